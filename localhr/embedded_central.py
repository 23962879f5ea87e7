"""The demo's own central, inside the desktop's process (DESIGN.md §10: ``localhr demo``).

The first time, :func:`prepare` makes a central database (SQLite) in the demo's data folder
holding a demo organization: the official records of Thai demo people
(:func:`app.demo_data.generate` on a scratch database, brought over as
:func:`app.services.replica.snapshot` rows by :func:`sync.central.seed.import_rows`) and three
accounts (org admin, clerk, supervisor) whose made-up passwords are kept beside it in the
clear, to be shown at every start. :class:`EmbeddedCentral` then serves it with uvicorn on
127.0.0.1 in a thread, and registers the desktop's PC to it, as a real central would (at
every start, under the same device id: :meth:`EmbeddedCentral.register_pc`).

The desktop reaches this module only for the demo (an import-linter contract keeps
``sync.central`` out of the rest of the desktop).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app import config, demo_data
from app.services import replica, users
from app.store.db import open_database
from sync.central import admin, seed
from sync.central.app import create_app
from sync.central.config import CentralSettings
from sync.central.db import CentralDB, open_central
from sync.central.threaded import ThreadedServer
from sync.protocol import DeviceRegistration

CENTRAL_FILE = "demo-central.sqlite3"
KEY_FILE = "demo-central-keys.json"  # the demo central's bundle keys (sync.central.central_key)
ACCOUNTS_FILE = "demo-accounts.txt"


@dataclass(frozen=True)
class DemoLogin:
    """A demo account and its made-up password."""

    role: str
    username: str
    password: str


def accounts_file(folder: Path) -> Path:
    return Path(folder) / ACCOUNTS_FILE


def read_accounts(folder: Path) -> tuple[DemoLogin, ...]:
    path = accounts_file(folder)
    if not path.exists():
        return ()
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(DemoLogin(*line.split("\t")) for line in lines if line.count("\t") == 2)


def prepare(folder: Path, *, people: int = config.DEMO_PEOPLE, seed_value: int = 1) -> bool:
    """Make the demo central's database in ``folder`` unless it is there; True if made.

    It is built under another name and renamed when whole, so a start cut short leaves
    nothing half made; the accounts file is written before the rename."""
    folder = Path(folder)
    path = folder / CENTRAL_FILE
    if path.exists():
        return False
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="localhr-demo-", dir=folder) as scratch:
        source = open_database(Path(scratch) / "office.sqlite3")
        try:
            made = demo_data.generate(
                source, org_code=config.DEMO_ORG_CODE, people=people, seed=seed_value
            )
            rows = replica.snapshot(source)
            names = {u.username: u.display_name for u in users.list_users(source)}
        finally:
            source.close()
        building = Path(scratch) / CENTRAL_FILE
        db = open_central(f"sqlite:///{building}")
        try:
            org = next(r.data for r in rows if r.table == "organization" and r.data)
            org_id = admin.create_org(
                db, org["dla_code"], org["name"], org["org_type"], org["province_code"],
                org.get("amphoe_code"),
            )  # fmt: skip
            for account in made.accounts:
                admin.create_user(
                    db, org_id, account.username, names[account.username], account.role,
                    account.password,
                )  # fmt: skip
            seed.import_rows(db, org_id, rows)
        finally:
            db.close()
        lines = [f"{a.role.value}\t{a.username}\t{a.password}\n" for a in made.accounts]
        accounts_file(folder).write_text("".join(lines), encoding="utf-8")
        os.replace(building, path)
    return True


class EmbeddedCentral:
    """The demo central of ``folder`` (made by :func:`prepare`), served until :meth:`stop`."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        path = self.folder / CENTRAL_FILE
        if not path.exists():
            raise FileNotFoundError(f"no demo central in {self.folder}: prepare() makes it")
        url = f"sqlite:///{path}"
        self.db: CentralDB = open_central(url)
        self.accounts = read_accounts(self.folder)
        settings = CentralSettings(database_url=url, key_file=self.folder / KEY_FILE)
        app = create_app(settings, self.db)
        self._central_keys = app.state.bundle_keys.public.hex()
        self._server = ThreadedServer(app, name="demo-central")
        self.url = self._server.url

    @classmethod
    def start(cls, folder: Path, *, people: int = config.DEMO_PEOPLE) -> EmbeddedCentral:
        """Prepare the demo central if needed and serve it (blocking: a worker's job)."""
        prepare(folder, people=people)
        central = cls(folder)
        try:
            central._server.start()
        except BaseException:
            central.db.close()
            raise
        return central

    def register_pc(self, name: str, device_id: str | None = None) -> DeviceRegistration:
        """This PC, registered to the demo organization as its operator would.

        The demo keeps the PC's credential in memory only, so every start registers the PC
        again: ``device_id``, the id its database already holds, keeps its identity (a
        fresh credential for the same device), so the ops it sent before are still its own.
        A new device only the first time, or for an id this central does not know."""
        org_id = admin.find_org(self.db, config.DEMO_ORG_CODE)
        reg = admin.register_device_as_operator(self.db, org_id, name, device_id=device_id)
        signing_key, encryption_key = self._central_keys
        return reg.model_copy(
            update={"central_signing_key": signing_key, "central_encryption_key": encryption_key}
        )

    def stop(self) -> None:
        self._server.stop()
        self.db.close()
