"""A real central process for end-to-end tests: ``localhr central serve`` on loopback over a
fresh SQLite file or PostgreSQL database, seeded with one office (organization A, its
accounts, and a small register of official people from the demo data)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from app import demo_data
from app.services import replica
from app.store.db import open_database
from sync.central import admin, seed
from sync.central.db import CentralDB, open_central
from sync.central.models import CentralOp, CentralRow
from tests.sync_client.desktops import PASSWORD

ACCOUNTS = [
    ("admin.a", "org_admin"),
    ("clerk1", "clerk"),
    ("clerk2", "clerk"),
    ("clerk3", "clerk"),
    ("boss1", "supervisor"),
    ("boss2", "supervisor"),
]


@dataclass
class CentralProcess:
    url: str
    db_url: str
    org_id: str
    proc: subprocess.Popen[bytes]
    users: dict[str, str] = field(default_factory=dict)  # username → id

    def db(self) -> CentralDB:
        return open_central(self.db_url)

    def rows(self) -> list[CentralRow]:
        """Every published row of the office, in seq order (detached)."""
        db = self.db()
        try:
            with db.reading() as session:
                rows = session.scalars(
                    select(CentralRow)
                    .where(CentralRow.org_id == self.org_id)
                    .order_by(CentralRow.seq)
                ).all()
                session.expunge_all()
                return list(rows)
        finally:
            db.close()

    def ops(self) -> dict[str, CentralOp]:
        db = self.db()
        try:
            with db.reading() as session:
                found = session.scalars(select(CentralOp)).all()
                session.expunge_all()
                return {op.op_id: op for op in found}
        finally:
            db.close()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(15)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_central(db_url: str, log: Path, people: int = 8) -> CentralProcess:
    """Seed an empty central database and serve it from its own process (its output in
    ``log``)."""
    db = open_central(db_url)
    try:
        org = admin.create_org(db, "6340101", "องค์การบริหารส่วนตำบลหนองบัว", "sao", "34", "3401")
        users = {
            name: admin.create_user(db, org, name, f"ผู้ใช้ {name}", role, PASSWORD)
            for name, role in ACCOUNTS
        }
        with tempfile.TemporaryDirectory() as folder:
            office = open_database(Path(folder) / "office.sqlite3")
            try:
                demo_data.generate(office, org_code="6340101", people=people, seed=3)
                seed.import_rows(db, org, replica.snapshot(office))
            finally:
                office.close()
    finally:
        db.close()
    port = free_port()
    env = {**os.environ, "LOCALHR_CENTRAL_DATABASE_URL": db_url}
    cmd = [sys.executable, "-m", "localhr.cli", "central", "serve", "--port", str(port)]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the central did not start: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as reply:
                if reply.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("the central did not answer /health within 60 s") from None
            time.sleep(0.2)
    return CentralProcess(url, db_url, org, proc, users)
