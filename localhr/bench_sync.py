"""``localhr bench sync``: the desktop's sync against a real central on loopback (DESIGN.md §8).

An office of ``--people`` demo people, with their positions, units and history, is loaded
into an empty central (``sync.central.seed``), which then runs as ``localhr central serve``
in its own process. A fresh desktop, registered and logged in, is timed through:

- ``first_sync_s``: its first sync, the whole office pulled and applied;
- ``wire_bytes_per_person``: the body bytes of that sync on the wire, per person, beside
  ``zstd_bytes_per_person``, the same rows as one zstd stream (the floor);
- ``noop_ms`` / ``noop_bytes``: a sync with nothing to do (median of 20), its bytes counted
  on the wire by a proxy, HTTP headers included;
- ``push_1000_s``: 1,000 edits (a clerk's drafts) pushed;
- ``slow_link_s``: 500 more edits synced through a proxy that shapes the link to 64 kbit/s
  with 600 ms round trips, beside ``slow_link_floor_s``: what crosses (the ops, their
  answers and the rows pulled back, each as one zstd stream) at that bandwidth, plus one
  round trip for the push and one for the pull.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import zstandard
from sqlalchemy import select

from app import demo_data
from app.services import outbox, replica, submissions, user_keys
from app.store.db import Database, open_database
from app.store.models import OutboxOpModel, PersonModel
from localhr.bench_central import _free_port, _start_server
from sync.central import admin, seed
from sync.central.db import open_central
from sync.central.models import CentralRow
from sync.central.pull import COLUMNS
from sync.client import account
from sync.client.credentials import CredentialStore, DeviceCredential, MemoryKeyring
from sync.client.engine import SyncEngine
from sync.client.transport import CentralClient
from sync.testing.faultproxy import FaultProxy
from sync.testing.faults import Link

PASSWORD = "bench-รหัสผ่าน-2569"
ORG_CODE = "6340199"
SLOW = Link(bandwidth_bps=64_000, latency_s=0.6)
NAMES = ("สมชาย", "กาญจนา", "ไพลิน", "ประเสริฐ", "วิไลวรรณ", "ธนากร", "อัมพร", "สุนทร")


def _zstd_size(items: list[Any]) -> int:
    raw = json.dumps(items, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    return len(zstandard.ZstdCompressor(level=3).compress(raw))


def _central(folder: Path, db_url: str | None, people: int) -> tuple[str, str, DeviceCredential]:
    """Seed the central with the office: (db url, the office's id, the desktop's device)."""
    source = open_database(folder / "office.sqlite3")
    try:
        demo_data.generate(source, org_code=ORG_CODE, people=people, seed=7)
        rows = replica.snapshot(source)
    finally:
        source.close()
    db_url = db_url or f"sqlite:///{folder / 'central.sqlite3'}"
    db = open_central(db_url)
    try:
        org = admin.create_org(db, ORG_CODE, "องค์การบริหารส่วนตำบลทดสอบ", "sao", "34", "3401")
        admin.create_user(db, org, "clerk", "เสมียน ทดสอบ", "clerk", PASSWORD)
        seed.import_rows(db, org, rows)
        device = DeviceCredential.from_registration(
            admin.register_device_as_operator(db, org, "เครื่องทดสอบ")
        )
    finally:
        db.close()
    return db_url, org, device


def _served(db_url: str, org_id: str, after: int, upto: int) -> list[dict[str, Any]]:
    """The rows a pull serves for ``org_id`` between two cursors, as the pull writes them."""
    db = open_central(db_url)
    try:
        with db.reading() as session:
            rows = session.execute(
                select(*COLUMNS)
                .where(CentralRow.org_id == org_id, CentralRow.seq > after, CentralRow.seq <= upto)
                .order_by(CentralRow.seq)
            ).all()
    finally:
        db.close()
    names = ("table", "id", "org_id", "version", "seq", "deleted", "data")
    served = [dict(zip(names, row, strict=True)) for row in rows]
    for change in served:  # the pull reads the stored JSON text as it is
        if isinstance(change["data"], str):
            change["data"] = json.loads(change["data"])
    return served


def _edit(db: Database, clerk_id: str, n: int, skip: int) -> None:
    """``n`` edits of a clerk: drafts changing one person's first name each, for the people
    after the first ``skip``."""
    with db.reading() as session:
        ids = session.scalars(
            select(PersonModel.id).order_by(PersonModel.id).offset(skip).limit(n)
        ).all()
    for i, person_id in enumerate(ids):
        sid = submissions.start_draft(db, clerk_id, person_id=person_id).submission.id
        name = f"{NAMES[i % len(NAMES)]}{skip}"
        submissions.save_draft(db, clerk_id, sid, fields={"first_name_th": name})


def bench_sync(
    people: int = 10_000, db_url: str | None = None, *, edits: int = 1000, slow_edits: int = 500
) -> dict[str, Any]:
    """The figures of the module doc; ``edits`` and ``slow_edits`` (at most ``people``
    together) change the sizes of the two push measurements and the names of their keys."""
    if edits + slow_edits > people:
        raise SystemExit(f"--people must be at least {edits + slow_edits} for the edits")
    folder = Path(tempfile.mkdtemp(prefix="localhr-bench-sync-"))
    db_url, org, device = _central(folder, db_url, people)
    clerk = "clerk"
    port = _free_port()
    server = _start_server(db_url, port, workers=1)
    url = f"http://127.0.0.1:{port}"
    result: dict[str, Any] = {"people": people}
    with ExitStack() as stack:
        stack.callback(server.wait, 30)
        stack.callback(server.terminate)
        desk = open_database(folder / "desk.sqlite3")
        stack.callback(desk.close)
        store = CredentialStore("localhr-bench", MemoryKeyring())
        account.adopt(desk, store, device)
        client = stack.enter_context(CentralClient(url))
        token = account.login(client, store, clerk, PASSWORD)
        user_keys.at_login(desk, token.user_id, PASSWORD, make=True)  # as the desktop's login
        creds = account.credentials(desk, store, clerk)
        engine = SyncEngine(desk, client)

        started = time.perf_counter()
        first = engine.sync(creds)
        result["first_sync_s"] = round(time.perf_counter() - started, 3)
        result["rows_pulled"] = first.pulled
        result["pages"] = first.pages
        served = _served(db_url, org, 0, replica.cursors(desk)[org])
        result["wire_bytes_per_person"] = round(first.bytes_received / people, 1)
        result["zstd_bytes_per_person"] = round(_zstd_size(served) / people, 1)

        # a sync with nothing to do, its bytes counted on the wire by a proxy
        proxy = stack.enter_context(FaultProxy(url))
        noop_client = stack.enter_context(CentralClient(proxy.url))
        noop_engine = SyncEngine(desk, noop_client)
        noop_engine.sync(creds)  # the connection made
        times, before = [], proxy.stats
        for _ in range(20):
            t = time.perf_counter()
            noop_engine.sync(creds)
            times.append((time.perf_counter() - t) * 1000)
        after = proxy.stats
        result["noop_ms"] = round(statistics.median(times), 2)
        wire = (after.bytes_up - before.bytes_up) + (after.bytes_down - before.bytes_down)
        result["noop_bytes"] = round(wire / 20)

        # 1,000 edits pushed
        clerk_id = account.credentials(desk, store, clerk).pull_as or ""
        _edit(desk, clerk_id, edits, 0)
        started = time.perf_counter()
        pushed = engine.sync(creds)
        result[f"push_{edits}_s"] = round(time.perf_counter() - started, 3)
        assert pushed.applied == edits and pushed.rejected == 0, pushed

        # 500 edits over 64 kbit/s with 600 ms round trips
        _edit(desk, clerk_id, slow_edits, edits)
        ops = [op.wire() for op in outbox.unanswered(desk)]
        cursor = replica.cursors(desk)[org]
        proxy.link = SLOW
        slow_engine = SyncEngine(desk, noop_client)
        started = time.perf_counter()
        slow = slow_engine.sync(creds)
        result["slow_link_s"] = round(time.perf_counter() - started, 2)
        assert slow.applied == slow_edits and slow.rejected == 0, slow
        answers = _answers(desk, [o["op_id"] for o in ops])
        back = _served(db_url, org, cursor, replica.cursors(desk)[org])
        crossing = _zstd_size(ops) + _zstd_size(answers) + _zstd_size(back)
        result["slow_link_floor_s"] = round(SLOW.floor_s(crossing, round_trips=2), 2)
        result["slow_link_batches"] = slow.batches
    result["budgets_met"] = {
        "first_sync_s": result["first_sync_s"] <= 5,
        "wire_bytes_per_person": result["wire_bytes_per_person"]
        <= 1.3 * result["zstd_bytes_per_person"],
        "noop_ms": result["noop_ms"] <= 50,
        "noop_bytes": result["noop_bytes"] <= 1024,
        "slow_link_s": result["slow_link_s"] <= 1.5 * result["slow_link_floor_s"],
    }
    result["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}"
    result["central_db"] = db_url.split(":", 1)[0]
    return result


def _answers(db: Database, op_ids: list[str]) -> list[Any]:
    with db.reading() as session:
        query = select(OutboxOpModel.result).where(OutboxOpModel.op_id.in_(op_ids))
        return list(session.scalars(query))
