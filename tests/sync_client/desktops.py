"""Desktop PCs for sync tests: each its own database, keyring and sync engine, against one
central (through a fault proxy where a test puts one in between)."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.services import submissions, user_keys
from app.services import users as users_service
from app.store.db import Database, open_database
from app.store.models import PersonModel
from sync.client import account
from sync.client.credentials import CredentialStore, MemoryKeyring
from sync.client.engine import CancelToken, Progress, SyncEngine, SyncReport
from sync.client.transport import CentralClient
from tests.fixtures_db import valid_citizen_id

PASSWORD = "รหัสผ่าน-ทดสอบ-1"


class Desktop:
    """One PC: registered by admin.a of ``org_id`` on first use of :meth:`register`."""

    def __init__(self, folder: Path, url: str, stack: ExitStack, **client_options: Any):
        client_options.setdefault("backoff_factor", 0)
        client_options.setdefault("timeout", (5.0, 30.0))
        self.folder = folder
        self.db: Database = open_database(folder / "localhr.sqlite3")
        stack.callback(self.db.close)
        self.client = stack.enter_context(CentralClient(url, **client_options))
        self.store = CredentialStore("localhr-test " + str(folder), MemoryKeyring())
        self.engine = SyncEngine(self.db, self.client)
        self.at_pc: str | None = None  # the username whose scope is pulled

    def register(self, org_id: str, admin: str = "admin.a", name: str = "เครื่อง 1") -> None:
        account.register(
            self.db, self.client, self.store, username=admin, password=PASSWORD,
            org_id=org_id, name=name,
        )  # fmt: skip

    def login(self, username: str) -> None:
        """Online login: a token for the background sync, and the user's signing key made
        (or unlocked), as the desktop's online login does; the next sync registers it."""
        token = account.login(self.client, self.store, username, PASSWORD)
        user_keys.at_login(self.db, token.user_id, PASSWORD, make=True)
        self.at_pc = self.at_pc or username

    def sync(
        self, pull_as: str | None = None, cancel: CancelToken | None = None,
        progress: Progress | None = None,
    ) -> SyncReport:  # fmt: skip
        creds = account.credentials(self.db, self.store, pull_as or self.at_pc)
        return self.engine.sync(creds, cancel, progress)

    def sign_in(self, username: str) -> str:
        """The user signs in at this PC against the pulled verifier (an audit op), and their
        signing key is unlocked (made the first time) as the desktop's login does; their id."""
        user = users_service.login_offline(self.db, username, PASSWORD)
        user_keys.at_login(self.db, user.id, PASSWORD, make=True)
        return user.id

    def person(self, person_id: str) -> PersonModel | None:
        with self.db.reading() as session:
            row = session.scalar(select(PersonModel).where(PersonModel.id == person_id))
            if row is not None:
                session.expunge(row)
            return row


def new_person(desk: Desktop, clerk_id: str, first_name: str, seed: str = "31009001234") -> str:
    """A clerk's new-person draft, saved twice and submitted; returns the submission id."""
    view = submissions.start_draft(desk.db, clerk_id)
    sid = view.submission.id
    first = {"prefix": "mr", "first_name_th": first_name}
    submissions.save_draft(desk.db, clerk_id, sid, fields=first)
    submissions.save_draft(desk.db, clerk_id, sid, fields={
        "citizen_id": valid_citizen_id(seed.ljust(12, "0")[:12]), "last_name_th": "ใจดี",
        "gender": "male", "birth_date": "1990-05-17", "category": "general_contract",
        "salary": "15000", "appointment_date": "2015-10-01",
    })  # fmt: skip
    submissions.submit(desk.db, clerk_id, sid)
    return sid
