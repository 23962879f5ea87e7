"""Going live with no demo data (issue 14): from the operator's one command to the first
approved civil servant in a filled slot, on three PCs and a real central.

The operator makes the organization and its first org admin (``localhr central create-org
--admin-username``, a one-time password). The org admin enrols PC 1 with it, changes it at
the first login, builds three units and twenty position slots (ops, offline first, then
synced) and adds a clerk and a supervisor (the central's account API). On PC 2 the clerk
(one-time password changed at first login) registers a new local official into a vacant
slot and submits; on PC 3 the supervisor approves; after a sync every PC and the central
show the slot filled by that person. Only the programs' own services, sync engines and
command are used: no demo data, no row written by hand.
"""

from __future__ import annotations

import re
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import select

from app.services import decisions, review, structure, submissions, user_keys
from localhr.cli import main
from sync.central.app import create_app
from sync.central.config import CentralSettings
from sync.central.db import open_central
from sync.central.models import CentralRow
from sync.central.threaded import ThreadedServer
from sync.client import account
from sync.client.office import OfficeClient, session_of
from tests.fixtures_db import valid_citizen_id
from tests.sync_client.desktops import Desktop

NEW_PASSWORD = "รหัสใหม่-ของ-ฉัน-2569"
UNITS = (("สำนักปลัด", "bureau"), ("กองคลัง", "division"), ("กองช่าง", "division"))


def _one_time(out: str) -> str:
    found = re.search(r"one-time password[^:]*: (\S+)", out)
    assert found, out
    return found.group(1)


class Pc:
    """A desktop PC of the new office: its database, keyring, client and sync engine."""

    def __init__(self, folder: Path, url: str, stack: ExitStack) -> None:
        self.desk = Desktop(folder, url, stack)
        self.user_id = ""
        self.username = ""

    @property
    def db(self):
        return self.desk.db

    def enrol(self, org_id: str, admin: str, password: str, name: str) -> None:
        account.register(
            self.db, self.desk.client, self.desk.store, username=admin, password=password,
            org_id=org_id, name=name,
        )  # fmt: skip

    def first_login(self, username: str, one_time: str) -> None:
        """The first online login with a one-time password: it must be changed, then the
        new one logs in, and the user's signing key is made."""
        account.login(self.desk.client, self.desk.store, username, one_time)
        office = OfficeClient(self.desk.client, session_of(self.desk.store, username))
        office.change_password(one_time, NEW_PASSWORD)
        token = account.login(self.desk.client, self.desk.store, username, NEW_PASSWORD)
        user_keys.at_login(self.db, token.user_id, NEW_PASSWORD, make=True)
        self.user_id, self.username = token.user_id, username
        self.desk.at_pc = username

    def office(self) -> OfficeClient:
        return OfficeClient(self.desk.client, session_of(self.desk.store, self.username))

    def sync(self) -> None:
        report = self.desk.sync(self.username)
        assert report.rejected == 0 and report.conflict == 0, report


@pytest.fixture
def fresh_central(tmp_path, capsys):
    """A central on an empty database, the organization and its first admin made by the
    operator's one command: (url, db, org id, one-time password)."""
    url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    code = main([
        "central", "create-org", "--db", url, "--code", "6349901",
        "--name", "องค์การบริหารส่วนตำบลโนนสวรรค์", "--type", "sao", "--province", "34",
        "--admin-username", "boss", "--admin-name", "ปลัดสมหมาย ตั้งใจ",
    ])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    org_id = re.search(r"organization (\S+) created", out).group(1)
    with ExitStack() as stack:
        db = open_central(url)
        stack.callback(db.close)
        server = ThreadedServer(create_app(CentralSettings(database_url=url), db)).start()
        stack.callback(server.stop)
        yield server.url, db, org_id, _one_time(out), stack


def test_an_office_goes_from_nothing_to_its_first_approved_official(
    tmp_path, fresh_central
) -> None:
    url, central_db, org_id, admin_otp, stack = fresh_central
    with central_db.reading() as session:  # no demo data: the office and its admin only
        tables = sorted(session.scalars(select(CentralRow.table_name)))
    assert tables == ["organization", "user"]

    # PC 1: the org admin enrols it, logs in, builds the structure and the accounts
    pc1 = Pc(tmp_path / "pc1", url, stack)
    pc1.enrol(org_id, "boss", admin_otp, "เครื่องงานบุคคล 1")
    pc1.first_login("boss", admin_otp)
    pc1.sync()
    admin = pc1.user_id
    units = [
        structure.save_unit(pc1.db, admin, unit_id=None, name=name, unit_kind=kind, parent_id=None)
        for name, kind in UNITS
    ]
    for i in range(20):
        structure.save_slot(
            pc1.db,
            admin,
            structure.SlotInput(
                id=None,
                position_number=f"34-3-01-{3101 + i}",
                title="นักจัดการงานทั่วไป",
                job_line_code=None,
                position_type="academic",
                level_min="academic_practitioner",
                level_max="academic_professional",
                staff_type="local_official",
                unit_id=units[i % 3],
            ),
        )
    assert structure.setup_progress(pc1.db, admin).slots == 20
    pc1.sync()  # the structure's ops go to the central
    clerk_otp = pc1.office().add_user("somsri", "สมศรี ขยัน", "clerk").one_time_password
    boss_otp = pc1.office().add_user("somchai", "สมชาย ตรวจดี", "supervisor").one_time_password

    # PC 2: the clerk registers a new official into a vacant slot and submits
    pc2 = Pc(tmp_path / "pc2", url, stack)
    pc2.enrol(org_id, "boss", NEW_PASSWORD, "เครื่องงานบุคคล 2")
    pc2.first_login("somsri", clerk_otp)
    pc2.sync()
    vacant = structure.vacant_slots(pc2.db, pc2.user_id, staff_type="local_official")
    assert len(vacant) == 20  # the office's slots reached the clerk's PC
    slot = vacant[0]
    sid = submissions.start_draft(pc2.db, pc2.user_id).submission.id
    submissions.save_draft(pc2.db, pc2.user_id, sid, fields={
        "citizen_id": valid_citizen_id("310090012345"), "prefix": "mrs",
        "first_name_th": "มาลี", "last_name_th": "ศรีงาม", "gender": "female",
        "birth_date": "1990-05-17", "category": "local_official",
        "position_id": slot.id, "position_type": "academic", "level": "academic_practitioner",
        "salary": "15000", "appointment_date": "2026-10-01",
    })  # fmt: skip
    submissions.submit(pc2.db, pc2.user_id, sid)
    pc2.sync()

    # PC 3: the supervisor approves it
    pc3 = Pc(tmp_path / "pc3", url, stack)
    pc3.enrol(org_id, "boss", NEW_PASSWORD, "เครื่องปลัด")
    pc3.first_login("somchai", boss_otp)
    pc3.sync()
    assert [r.submission_id for r in review.review_queue(pc3.db, pc3.user_id)] == [sid]
    decisions.approve(pc3.db, pc3.user_id, sid)
    pc3.sync()

    # every PC and the central: the slot is filled by the new official
    for pc in (pc1, pc2, pc3):
        pc.sync()
        [shown] = [s for s in structure.slots(pc.db, pc.user_id) if s.id == slot.id]
        assert (shown.state, shown.holder_name) == ("filled", "มาลี ศรีงาม"), pc.username
        assert len(structure.vacant_slots(pc.db, pc.user_id)) == 19
    with central_db.reading() as session:
        row = session.scalar(
            select(CentralRow).where(CentralRow.table_name == "position", CentralRow.id == slot.id)
        )
        assert row.data["state"] == "filled" and row.data["holder_id"]
