"""The office's structure made on one PC reaches the others (issue 14), with the real
desktop services on both ends and the central over HTTP (SQLite and PostgreSQL): an org
admin builds units and slots on PC 1; PC 2 pulls them and its clerk registers a new civil
servant into a vacant slot; the supervisor approves offline on PC 1; the central and PC 2
show the slot filled. A pull never writes over a structure edit not yet pushed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from app.services import decisions, structure, submissions
from app.services import users as users_service
from app.store.db import open_database
from app.store.models import Meta, OrgUnitModel
from sync.central import admin
from tests.central.test_desktop_ops import RECORD, Desk, _latest, desk  # noqa: F401
from tests.fixtures_db import valid_citizen_id


class OtherDesk(Desk):
    """Another PC of organization A, registered apart."""

    def __init__(self, db, client, office, reg):
        super().__init__(db, client, office)
        self.reg = reg

    def login(self, username: str) -> dict[str, str]:
        if username not in self.headers:
            self.headers[username] = self.office.login(self.client, username, self.reg)
        return self.headers[username]


@pytest.fixture
def pc2(tmp_path, client, office) -> Iterator[OtherDesk]:
    reg = admin.register_device_as_operator(office.db, office.org_a, "เครื่องงานบุคคล 2")
    db = open_database(tmp_path / "pc2.sqlite3")
    try:
        with db.transaction() as session:
            session.get(Meta, "device_id").value = reg.device_id
        other = OtherDesk(db, client, office, reg)
        other.pull("clerk.a")
        for username in ("clerk.a", "admin.a"):
            users_service.login_offline(db, username, office.password)
            other.push_applied(username)
        yield other
    finally:
        db.close()


def _admin_in(desk: Desk) -> str:  # noqa: F811
    admin_id = desk.user("admin.a")
    users_service.login_offline(desk.db, "admin.a", desk.office.password)
    desk.push_applied("admin.a")
    return admin_id


def _slot(number: str, unit_id: str) -> structure.SlotInput:
    return structure.SlotInput(None, number, "นักทรัพยากรบุคคล", "2101", "academic",
                               "academic_practitioner", "academic_professional",
                               "local_official", unit_id)  # fmt: skip


def test_a_structure_made_on_one_pc_fills_on_another(desk: Desk, pc2: OtherDesk) -> None:  # noqa: F811
    admin_id = _admin_in(desk)
    top = structure.save_unit(desk.db, admin_id, unit_id=None, name="สำนักปลัด",
                              unit_kind="bureau", parent_id=None)  # fmt: skip
    sub = structure.save_unit(desk.db, admin_id, unit_id=None, name="งานการเจ้าหน้าที่",
                              unit_kind="unit", parent_id=top)  # fmt: skip
    first = structure.save_slot(desk.db, admin_id, _slot("34-1-01-2101-001", sub))
    structure.save_slot(desk.db, admin_id, _slot("34-1-01-2101-002", sub))
    pushed = desk.push_applied("admin.a")
    assert [op.kind for op in pushed].count("position.save") == 2

    # PC 2 pulls the structure: its clerk's picker offers the vacant slots
    pc2.pull("clerk.a")
    clerk = pc2.user("clerk.a")
    tree = structure.unit_tree(pc2.db, clerk)
    assert [n.name for n in tree] == ["สำนักปลัด"] and tree[0].children[0].id == sub
    offered = structure.vacant_slots(pc2.db, clerk, staff_type="local_official")
    assert [s.position_number for s in offered] == ["34-1-01-2101-001", "34-1-01-2101-002"]

    # the clerk registers a new civil servant into the first slot and submits
    sid = submissions.start_draft(pc2.db, clerk).submission.id
    record = {**RECORD, "citizen_id": valid_citizen_id("310090054321"),
              "category": "local_official", "position_id": first, "position_type": "academic",
              "level": "academic_practitioner"}  # fmt: skip
    submissions.save_draft(pc2.db, clerk, sid, fields=record)
    submissions.submit(pc2.db, clerk, sid)
    pc2.push_applied("clerk.a")

    # the supervisor approves on PC 1, offline: the slot is filled there at once
    desk.pull("super.a")
    person = decisions.approve(desk.db, desk.user("super.a"), sid).person
    [filled] = structure.slots(desk.db, desk.user("super.a"), state="filled", text="2101-001")
    assert filled.holder_id == person.id and filled.holder_name == "สมหญิง คำงาม"
    desk.push_applied("super.a")

    # the central and PC 2 show it too
    central = _latest(desk.central_view("super.a"), "position", first).data
    assert (central["state"], central["holder_id"]) == ("filled", person.id)
    pc2.pull("clerk.a")
    [seen] = structure.slots(pc2.db, clerk, text="2101-001")
    assert (seen.state, seen.holder_id) == ("filled", person.id)
    assert [s.position_number for s in structure.vacant_slots(pc2.db, clerk)] == [
        "34-1-01-2101-002"
    ]


def test_a_pull_keeps_a_structure_edit_not_yet_pushed(desk: Desk, pc2: OtherDesk) -> None:  # noqa: F811
    admin_id = _admin_in(desk)
    uid = structure.save_unit(desk.db, admin_id, unit_id=None, name="กองคลัง",
                              unit_kind="division", parent_id=None)  # fmt: skip
    desk.push_applied("admin.a")
    pc2.pull("admin.a")
    # PC 1 renames it offline; PC 2 renames it and pushes first
    structure.save_unit(desk.db, admin_id, unit_id=uid, name="กองคลังและพัสดุ",
                        unit_kind="division", parent_id=None)  # fmt: skip
    structure.save_unit(pc2.db, pc2.user("admin.a"), unit_id=uid, name="กองการคลัง",
                        unit_kind="division", parent_id=None)  # fmt: skip
    pc2.push_applied("admin.a")
    desk.pull("admin.a")
    assert _name(desk, uid) == "กองคลังและพัสดุ"  # the local edit stays on top
    desk.push_applied("admin.a")
    desk.pull("admin.a")
    pc2.pull("admin.a")
    assert _name(desk, uid) == _name(pc2, uid) == "กองคลังและพัสดุ"


def _name(pc: Desk, uid: str) -> str:
    with pc.db.reading() as session:
        return session.scalar(select(OrgUnitModel.name).where(OrgUnitModel.id == uid))
