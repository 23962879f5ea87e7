"""Issue 6 across PCs: two clerks and supervisors on their own PCs, a real central on
loopback. Disjoint edits of one person merge without a question; the same field changed two
ways is a conflict a supervisor settles, and the settled value reaches every PC; an approval
made offline that the central finds in conflict comes back to the supervisor's queue with the
conflict shown, and nothing is lost."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from sqlalchemy import select

from app.domain.errors import ConflictsUnresolved
from app.services import decisions, outbox, submissions
from app.store.models import SubmissionModel
from sync.central import admin
from sync.central.models import CentralRow
from tests.sync_client.conftest import Central
from tests.sync_client.desktops import PASSWORD, Desktop, new_person


class Office:
    """PCs of organization A, each with one user logged in online and signed in."""

    def __init__(self, central: Central, tmp_path, stack: ExitStack):
        self.central, self.tmp_path, self.stack = central, tmp_path, stack
        self.pcs: dict[str, tuple[Desktop, str]] = {}

    def pc(self, username: str) -> tuple[Desktop, str]:
        if username not in self.pcs:
            folder = self.tmp_path / username
            folder.mkdir()
            desk = Desktop(folder, self.central.url, self.stack)
            desk.register(self.central.org_a, name=f"เครื่อง {username}")
            desk.login(username)
            desk.sync()
            self.pcs[username] = (desk, desk.sign_in(username))
        return self.pcs[username]

    def sync_all(self) -> None:
        for desk, _ in self.pcs.values():
            desk.sync()


@pytest.fixture
def office(central: Central, tmp_path) -> Iterator[Office]:
    admin.create_user(central.db, central.org_a, "clerk2.a", "ผู้ใช้ clerk2.a", "clerk", PASSWORD)
    admin.create_user(central.db, central.org_a, "super2.a", "ผู้ใช้ super2.a", "supervisor", PASSWORD)
    with ExitStack() as stack:
        yield Office(central, tmp_path, stack)


def _official_person(office: Office) -> str:
    """A person made official by clerk.a's submission and super.a's approval."""
    clerk_pc, clerk = office.pc("clerk.a")
    sid = new_person(clerk_pc, clerk, "สมชาย")
    clerk_pc.sync()
    boss_pc, boss = office.pc("super.a")
    boss_pc.sync()
    decisions.approve(boss_pc.db, boss, sid)
    assert boss_pc.sync().applied >= 1
    office.sync_all()
    with clerk_pc.db.reading() as session:
        return session.get(SubmissionModel, sid).person_id


def _edit(desk: Desktop, user: str, person_id: str, **fields: str) -> str:
    sid = submissions.start_draft(desk.db, user, person_id=person_id).submission.id
    submissions.save_draft(desk.db, user, sid, fields=fields)
    submissions.submit(desk.db, user, sid)
    assert desk.sync().rejected == 0
    return sid


def _central_person(office: Office, person_id: str) -> dict:
    with office.central.db.reading() as session:
        row = session.scalar(
            select(CentralRow).where(CentralRow.table_name == "person", CentralRow.id == person_id)
        )
        return dict(row.data)


def test_disjoint_edits_of_one_person_on_two_pcs_merge_without_a_question(office) -> None:
    pid = _official_person(office)
    pc1, clerk1 = office.pc("clerk.a")
    pc2, clerk2 = office.pc("clerk2.a")
    first = _edit(pc1, clerk1, pid, first_name_th="สมศักดิ์")
    second = _edit(pc2, clerk2, pid, salary="18000")
    boss_pc, boss = office.pc("super.a")
    boss_pc.sync()
    decisions.approve(boss_pc.db, boss, first)
    decisions.approve(boss_pc.db, boss, second)  # no conflict: another field
    assert boss_pc.sync().conflict == 0

    office.sync_all()
    central = _central_person(office, pid)
    assert (central["first_name_th"], central["salary"]) == ("สมศักดิ์", "18000")
    for desk, _ in office.pcs.values():
        person = desk.person(pid)
        assert (person.first_name_th, str(person.salary)) == ("สมศักดิ์", "18000")


def test_the_same_field_two_ways_is_settled_by_a_supervisor_and_reaches_every_pc(office) -> None:
    pid = _official_person(office)
    pc1, clerk1 = office.pc("clerk.a")
    pc2, clerk2 = office.pc("clerk2.a")
    first = _edit(pc1, clerk1, pid, salary="17000")
    second = _edit(pc2, clerk2, pid, salary="17500")
    boss_pc, boss = office.pc("super.a")
    boss_pc.sync()
    decisions.approve(boss_pc.db, boss, first)
    with pytest.raises(ConflictsUnresolved):
        decisions.approve(boss_pc.db, boss, second)
    [conflict] = decisions.preview_approval(boss_pc.db, boss, second).conflicts
    assert (conflict.field, conflict.official, conflict.proposed) == ("salary", "17000", "17500")
    decisions.approve(boss_pc.db, boss, second, resolutions={conflict.key: "17250"})
    report = boss_pc.sync()
    assert (report.applied >= 2, report.conflict, report.rejected) == (True, 0, 0)

    office.sync_all()
    assert _central_person(office, pid)["salary"] == "17250"
    for desk, _ in office.pcs.values():
        assert str(desk.person(pid).salary) == "17250"


def test_an_offline_approval_in_conflict_at_the_central_returns_to_the_queue(office) -> None:
    pid = _official_person(office)
    pc1, clerk1 = office.pc("clerk.a")
    pc2, clerk2 = office.pc("clerk2.a")
    first = _edit(pc1, clerk1, pid, last_name_th="ใจงาม")
    second = _edit(pc2, clerk2, pid, last_name_th="ใจเย็น")
    far_pc, far_boss = office.pc("super2.a")  # pulls both, then goes offline
    near_pc, near_boss = office.pc("super.a")
    near_pc.sync()
    decisions.approve(near_pc.db, near_boss, first)
    assert near_pc.sync().applied >= 1  # the central's record is now ใจงาม

    decisions.approve(far_pc.db, far_boss, second)  # offline: here the base still holds
    assert far_pc.person(pid).last_name_th == "ใจเย็น"
    report = far_pc.sync()

    assert report.conflict == 1
    [item] = outbox.attention(far_pc.db)
    assert item.kind == "submission.approve" and item.state == "conflict"
    assert [c["field"] for c in item.conflicts] == ["last_name_th"]
    # undone here: the central's record, and the submission back in the queue
    assert far_pc.person(pid).last_name_th == "ใจงาม"
    with far_pc.db.reading() as session:
        assert session.get(SubmissionModel, second).state == "submitted"
    [conflict] = decisions.preview_approval(far_pc.db, far_boss, second).conflicts
    assert (conflict.official, conflict.proposed) == ("ใจงาม", "ใจเย็น")
    decisions.approve(far_pc.db, far_boss, second, resolutions={conflict.key: "ใจเย็น"})
    assert far_pc.sync().applied >= 1

    office.sync_all()
    assert _central_person(office, pid)["last_name_th"] == "ใจเย็น"
    for desk, _ in office.pcs.values():
        assert desk.person(pid).last_name_th == "ใจเย็น"
        with desk.db.reading() as session:
            assert session.get(SubmissionModel, second).state == "approved"
