"""A desktop process killed (SIGKILL) at random points of a sync, then restarted, ends
identical to one that was never killed (issue 4): nothing lost, nothing applied twice."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from sqlalchemy import func, select

from app.services import outbox, replica
from app.store.db import Database
from app.store.models import OutboxOpModel, SyncDeferredModel
from sync.central.models import CentralOp, CentralRow
from sync.client import account
from tests.sync_client.conftest import Central
from tests.sync_client.desktops import Desktop, new_person
from tests.sync_client.test_convergence import _local_rows

KILLS = 8
MID_PUSH = 2  # kills that wait for the push to be under way


def _answered(db: Database) -> int:
    return sum(state != "pending" for _, _, state, _ in _outbox(db))


def _until_a_batch_more(db: Database, proc: subprocess.Popen[bytes]) -> float:
    """Wait until the running sync has had one batch more answered than before it started
    (or has ended); the seconds waited."""
    started = time.monotonic()
    before = _answered(db)
    while proc.poll() is None and time.monotonic() - started < 10:
        if _answered(db) > before:
            break
        time.sleep(0.002)
    return round(time.monotonic() - started, 2)


def _outbox(db: Database) -> list[tuple[str, str, str, object]]:
    with db.reading() as session:
        rows = session.execute(
            select(OutboxOpModel.op_id, OutboxOpModel.kind, OutboxOpModel.state,
                   OutboxOpModel.result).order_by(OutboxOpModel.seq)
        )  # fmt: skip
        return [tuple(r) for r in rows]


def _run(args: list[str]) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "tests.sync_client.killable_sync", *args]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_a_pc_killed_mid_sync_ends_as_one_never_killed(central: Central, tmp_path: Path) -> None:
    rng = random.Random(20261201)
    with ExitStack() as stack:
        folders = {n: tmp_path / n for n in ("killed", "other")}
        for folder in folders.values():
            folder.mkdir()
        pc = Desktop(folders["killed"], central.url, stack)
        pc.register(central.org_a)
        pc.login("clerk.a")
        pc.sync()
        other = Desktop(folders["other"], central.url, stack)  # gives the PC things to pull
        other.register(central.org_a, name="เครื่อง 2")
        other.login("clerk.a")
        other.sync()
        clerk = pc.sign_in("clerk.a")
        for i in range(25):
            new_person(pc, clerk, f"คนที่ {i}", seed=f"2{i:011d}")
            new_person(other, clerk, f"อีกคน {i}", seed=f"3{i:011d}")
        other.sync()
        twin_folder = tmp_path / "twin"
        twin_folder.mkdir()
        pc.db.engine.dispose()
        for name in ("localhr.sqlite3", "localhr.sqlite3-wal", "localhr.sqlite3-shm"):
            if (folders["killed"] / name).exists():
                shutil.copy(folders["killed"] / name, twin_folder / name)
        creds = account.credentials(pc.db, pc.store, "clerk.a")
        spec = json.dumps({
            "device": {"device_id": creds.device.device_id, "org_id": creds.device.org_id,
                       "secret": creds.device.secret},
            "tokens": dict(creds.tokens), "pull_as": creds.pull_as,
        })  # fmt: skip
        args = [str(pc.db.path), central.url, spec]

        killed_at = []
        for kill in range(KILLS):
            proc = _run(args)
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == b"syncing", proc.communicate()[1][-3000:]
            if kill < MID_PUSH:
                # the first kills come mid-push, whatever the machine's speed: as soon as a
                # batch more has been answered (a fixed delay finds a fast machine done)
                delay = _until_a_batch_more(pc.db, proc)
            else:
                delay = rng.uniform(0.0, 0.5)
                time.sleep(delay)
            proc.kill()
            out, _ = proc.communicate(timeout=30)
            answered = _answered(pc.db)
            killed_at.append((round(delay, 2), proc.returncode, answered, out.decode().strip()))
        total = len(_outbox(pc.db))
        partial = [k for k in killed_at if k[1] == -9 and 0 < k[2] < total]
        assert len(partial) >= 2, ("the kills never came mid-sync", killed_at, total)
        proc = _run(args)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and out.decode().split() == ["syncing", "synced"], err.decode()[
            -3000:
        ]

        twin = Desktop(twin_folder, central.url, stack)
        twin.store = pc.store  # the same PC's credentials
        twin.at_pc = "clerk.a"
        twin.sync()
        twin.sync()
        pc.sync()  # in this process too: nothing left to do

        # nothing lost, nothing twice: every op answered once, with the central's answer
        assert outbox.counts(pc.db).pending == 0
        assert _outbox(pc.db) == _outbox(twin.db)
        with central.db.reading() as session:
            stored = session.scalar(select(func.count()).select_from(CentralOp))
            subs = session.scalar(
                select(func.count()).select_from(CentralRow)
                .where(CentralRow.table_name == "submission")
            )  # fmt: skip
        assert stored == len(_outbox(pc.db)) + len(_outbox(other.db))
        assert subs == 50
        # the same data as the PC that was never killed, and nothing left waiting
        assert _local_rows(pc) == _local_rows(twin)
        assert replica.cursors(pc.db) == replica.cursors(twin.db)
        with pc.db.reading() as session:
            assert session.scalar(select(func.count()).select_from(SyncDeferredModel)) == 0
