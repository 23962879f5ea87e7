"""Concurrent writers on PostgreSQL never make a reader skip a change (DESIGN.md §4).

A real central (uvicorn on a loopback port, in a thread) on a real PostgreSQL. Six clerks
of three organizations, each on their own PC and HTTP client, push batches of new
submissions at the same time, while a provincial supervisor whose scope covers all three
organizations pulls in a loop with small pages and their cursors. ``seq`` must grow in
commit order per organization: if a change could commit after a later ``seq`` was already
served, the reader's cursor would have passed it and the change would never reach that PC.
So, afterwards, the reader must have seen every row the central holds, each exactly once,
and every organization's ``seq`` without a gap and in increasing order.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
from sqlalchemy import select

from app.domain import signing
from app.domain.ids import new_id, utcnow
from sync.central import admin
from sync.central.app import create_app
from sync.central.config import CentralSettings
from sync.central.db import CentralDB, open_central
from sync.central.models import CentralRow, OrgCounter
from sync.client.credentials import DeviceCredential
from sync.client.transport import CentralClient
from sync.protocol import Op, PullRequest
from tests.central.sync_helpers import key_at_central, signed_model

PASSWORD = "รหัสผ่าน-ทดสอบ-1"
ORGS = [
    ("6340101", "องค์การบริหารส่วนตำบลหนองบัว", "sao"),
    ("5340102", "เทศบาลตำบลดอนมดแดง", "subdistrict_municipality"),
    ("6340103", "องค์การบริหารส่วนตำบลโนนสูง", "sao"),
]
CLERKS_PER_ORG = 2
BATCHES = 12  # per writer
OPS_PER_BATCH = 15
PAGE = 9  # the reader's page size: small, so it pulls many times while the writers write
DEADLINE_S = 60.0  # a hard stop for every loop and join; the test takes a few seconds
FIRST_NAMES = ["สมชาย", "สมหญิง", "วิไลวรรณ", "ประเสริฐ", "กาญจนา", "ณัฐพล"]


@dataclass
class Writer:
    username: str
    user_id: str
    org_id: str
    device: DeviceCredential
    keys: signing.KeyPair | None = field(default=None, repr=False)  # the clerk's, on the PC
    versions: dict[str, int] = field(default_factory=dict)  # every applied op's versions
    not_applied: list[Any] = field(default_factory=list)
    error: BaseException | None = None


@dataclass
class Reader:
    seen: list[tuple[str, str, str, int]] = field(default_factory=list)  # org, table, id, seq
    pulls: int = 0
    pulls_during_writes: int = 0
    error: BaseException | None = None


def _serve(app: Any) -> tuple[str, Callable[[], None]]:
    """``app`` under uvicorn on a free loopback port, in a thread: (base URL, stop)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on", loop="asyncio", http="h11")
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"central:{port}", daemon=True
    )
    thread.start()

    def stop() -> None:
        server.should_exit = True
        thread.join(15)
        sock.close()
        assert not thread.is_alive(), "the central did not stop"

    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            stop()
            raise RuntimeError("the central did not start")
        time.sleep(0.01)
    return f"http://127.0.0.1:{port}", stop


@pytest.fixture
def pg_central(pg_module_url: str) -> Iterator[CentralDB]:
    """The central's database on PostgreSQL only: the point is PostgreSQL's concurrency
    (SQLite has one writer at a time by construction)."""
    db = open_central(pg_module_url)
    try:
        yield db
    finally:
        db.close()


@pytest.fixture
def central_url(pg_central: CentralDB) -> Iterator[str]:
    url, stop = _serve(create_app(CentralSettings(database_url=pg_central.url), pg_central))
    try:
        yield url
    finally:
        stop()


def _client(url: str) -> CentralClient:
    return CentralClient(url, timeout=(5.0, 30.0), backoff_factor=0)


def _new_submissions(writer: Writer, n: int, batch: int) -> list[Op]:
    ops = []
    for i in range(n):
        name = FIRST_NAMES[(batch + i) % len(FIRST_NAMES)]
        changes = {
            "prefix": [None, "mr"],
            "first_name_th": [None, name],
            "last_name_th": [None, f"ทดสอบ{batch}{i}"],
            "category": [None, "general_contract"],
        }
        payload = {
            "person_id": new_id(),
            "kind": "new",
            "base_version": 0,
            "changes": changes,
            "history": {"added": [], "updated": {}, "deleted": {}},
        }
        ops.append(
            Op(
                op_id=new_id(),
                kind="submission.save",
                entity_id=new_id(),
                org_id=writer.org_id,
                author=writer.user_id,
                device_id=writer.device.device_id,
                created_at=utcnow(),
                payload=payload,
            )
        )
    assert writer.keys is not None
    return [signed_model(op, writer.keys) for op in ops]


def _write(url: str, writer: Writer, start: threading.Barrier, stop_at: float) -> None:
    try:
        with _client(url) as client:
            client.login(writer.device, writer.username, PASSWORD)
            start.wait(timeout=DEADLINE_S)
            for batch in range(BATCHES):
                if time.monotonic() > stop_at:
                    raise TimeoutError(f"{writer.username} ran out of time at batch {batch}")
                results = client.push(_new_submissions(writer, OPS_PER_BATCH, batch)).results
                for result in results:
                    if result.status == "applied":
                        writer.versions.update(result.versions)
                    else:
                        writer.not_applied.append(result)
    except BaseException as exc:  # reported by the test, in the test's thread
        writer.error = exc


def _read(
    url: str,
    device: DeviceCredential,
    reader: Reader,
    start: threading.Barrier,
    writers_done: threading.Event,
    stop_at: float,
) -> None:
    try:
        with _client(url) as client:
            client.login(device, "province", PASSWORD)
            start.wait(timeout=DEADLINE_S)
            cursors: dict[str, int] = {}
            drained = False
            while not drained:
                if time.monotonic() > stop_at:
                    raise TimeoutError(f"the reader ran out of time after {reader.pulls} pulls")
                done_before = writers_done.is_set()  # read before the pull: see below
                page = client.pull(PullRequest(cursors=cursors, limit=PAGE))
                reader.pulls += 1
                reader.pulls_during_writes += not done_before
                for change in page.changes:
                    reader.seen.append((change.org_id, change.table, change.id, change.seq))
                cursors = dict(page.cursors)
                # Drained only by a pull that began after every writer had finished.
                drained = done_before and not page.more
                if not page.more and not done_before:
                    time.sleep(0.002)
    except BaseException as exc:
        reader.error = exc


def test_concurrent_writers_never_make_a_reader_skip_a_change(
    pg_central: CentralDB, central_url: str
) -> None:
    db = pg_central
    org_ids = [admin.create_org(db, code, name, kind, "34") for code, name, kind in ORGS]
    devices = {
        org: DeviceCredential.from_registration(
            admin.register_device_as_operator(db, org, f"เครื่องงานบุคคล {i}")
        )
        for i, org in enumerate(org_ids, 1)
    }
    writers = []
    for o, org in enumerate(org_ids):
        for c in range(CLERKS_PER_ORG):
            username = f"clerk.{o}.{c}"
            user_id = admin.create_user(db, org, username, f"เสมียน {o}-{c}", "clerk", PASSWORD)
            keys = key_at_central(db, user_id, devices[org].device_id)
            writers.append(Writer(username, user_id, org, devices[org], keys))
    admin.create_user(db, org_ids[0], "province", "ผู้ตรวจจังหวัด", "supervisor", PASSWORD, org_ids[1:])

    stop_at = time.monotonic() + DEADLINE_S
    start = threading.Barrier(len(writers) + 1, timeout=DEADLINE_S)  # writers and reader
    writers_done = threading.Event()
    reader = Reader()
    reader_thread = threading.Thread(
        target=_read,
        args=(central_url, devices[org_ids[0]], reader, start, writers_done, stop_at),
        name="reader",
    )
    writer_threads = [
        threading.Thread(target=_write, args=(central_url, w, start, stop_at), name=w.username)
        for w in writers
    ]
    for t in [reader_thread, *writer_threads]:
        t.start()
    try:
        for t in writer_threads:
            t.join(max(0.0, stop_at - time.monotonic()))
    finally:
        writers_done.set()
        reader_thread.join(max(1.0, stop_at - time.monotonic()))
    assert not any(t.is_alive() for t in [reader_thread, *writer_threads]), "a thread hangs"
    for w in writers:
        assert w.error is None, f"{w.username}: {w.error!r}"
        assert w.not_applied == [], w.not_applied[:3]
    assert reader.error is None, repr(reader.error)

    # every submission the writers were told was applied, and every row the central holds
    applied = {tuple(key.split(":", 1)) for w in writers for key in w.versions}
    assert len(applied) == len(writers) * BATCHES * OPS_PER_BATCH
    with db.transaction() as session:
        rows = {
            (org, table, row_id, seq)
            for org, table, row_id, seq in session.execute(
                select(CentralRow.org_id, CentralRow.table_name, CentralRow.id, CentralRow.seq)
            )
        }
        counters = dict(session.execute(select(OrgCounter.org_id, OrgCounter.seq)).all())
    seen = set(reader.seen)
    assert len(seen) == len(reader.seen), "a change was served twice"
    assert applied <= {(table, row_id) for _org, table, row_id, _seq in seen}
    missed = rows - seen
    assert not missed, f"the reader never saw {len(missed)} rows, e.g. {sorted(missed)[:3]}"
    assert seen == rows

    for org in org_ids:
        seqs = [seq for o, _table, _id, seq in reader.seen if o == org]
        assert seqs == sorted(set(seqs)), f"seq not increasing for {org}"
        # only new rows were written: each org's seq runs 1..counter without a gap
        assert seqs == list(range(1, counters[org] + 1)), org
    # the reader really read while the writers wrote (not only after they had finished)
    assert reader.pulls_during_writes >= 10, reader.pulls_during_writes
