"""The office's structure at the central (issue 14), played over HTTP on SQLite and
PostgreSQL with raw JSON ops: what an org admin builds every PC of the office pulls; every
other role, another organization, forged ids and values out of bounds are refused op by op
with their code and leave nothing behind; an approved appointment fills its slot and vacates
the previous one, and a second appointment to a filled slot is a conflict."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from app.domain.ids import new_id
from sync.central import admin
from tests.central.conftest import PASSWORD
from tests.central.sync_helpers import (
    PERSON,
    Caller,
    latest,
    login,
    new_person,
    rows_of,
    submitted,
)


@pytest.fixture
def org_admin(client, office) -> Caller:
    return login(client, office, "admin.a")


@pytest.fixture
def admin_b(client, office) -> Caller:
    pc_b = admin.register_device_as_operator(office.db, office.org_b, "เครื่องงานบุคคล B")
    return login(client, office, "admin.b", pc_b)


@pytest.fixture
def auditor(client, office) -> Caller:
    office.users["audit.a"] = admin.create_user(
        office.db, office.org_a, "audit.a", "ผู้ตรวจสอบ", "auditor", PASSWORD, ()
    )
    return login(client, office, "audit.a")


def unit(caller: Caller, uid: str, name: str = "สำนักปลัด", kind: str = "bureau",
         parent: str | None = None, **env: Any) -> dict[str, Any]:  # fmt: skip
    payload = {"name": name, "unit_kind": kind, "parent_id": parent}
    return caller.op("unit.save", uid, payload, **env)


def slot(caller: Caller, sid: str, number: str, unit_id: str | None, **fields: Any) -> dict:
    payload = {
        "position_number": number, "title": "นักทรัพยากรบุคคล", "job_line_code": "2101",
        "position_type": "academic", "level_min": "academic_practitioner",
        "level_max": "academic_professional", "staff_type": "local_official",
        "unit_id": unit_id, "state": None,
    }  # fmt: skip
    env = {k: fields.pop(k) for k in ("org_id",) if k in fields}
    return caller.op("position.save", sid, {**payload, **fields}, **env)


def plan(caller: Caller, lid: str, unit_id: str | None, **fields: Any) -> dict[str, Any]:
    payload = {
        "first_year_be": 2569, "position_title": "นักทรัพยากรบุคคล",
        "position_type": "academic", "level": None, "unit_id": unit_id,
        "counts": [1, 2, 2], "note": None, "deleted": False,
    }  # fmt: skip
    return caller.op("plan.save", lid, {**payload, **fields})


def close(caller: Caller, uid: str) -> dict[str, Any]:
    return caller.op("unit.close", uid, {"unit_id": uid})


def _refused(result: dict[str, Any], code: str) -> None:
    assert (result["status"], result["code"]) == ("rejected", code), result
    assert result["message"] and result["versions"] == {}


def _office(org_admin: Caller) -> tuple[str, str, str]:
    """Two units (one under the other) and a vacant slot in the lower one."""
    top, sub, sid = new_id(), new_id(), new_id()
    org_admin.applied(
        unit(org_admin, top),
        unit(org_admin, sub, "งานการเจ้าหน้าที่", "unit", top),
        slot(org_admin, sid, "34-1-01-2101-001", sub),
    )
    return top, sub, sid


# --- what an org admin builds, every PC of the office pulls ----------------------------------


def test_an_org_admin_builds_the_structure_and_a_clerk_pulls_it(org_admin, clerk) -> None:
    top, sub, sid = _office(org_admin)
    lid = new_id()
    org_admin.applied(plan(org_admin, lid, sub))
    changes = clerk.changes()
    units = rows_of(changes, "org_unit")
    assert units[sub]["data"]["parent_id"] == top and units[top]["data"]["closed"] is False
    assert units[sub]["data"]["name"] == "งานการเจ้าหน้าที่"
    position = latest(changes, "position", sid)["data"]
    assert (position["state"], position["holder_id"], position["unit_id"]) == ("vacant", None, sub)
    assert latest(changes, "staffing_plan", lid)["data"]["counts"] == [1, 2, 2]
    # the unit closes once nothing is open in it: its slot frozen
    [answer] = org_admin.push(close(org_admin, sub))
    _refused(answer, "unit_not_empty")
    assert "0 people" in answer["message"] and "1 open slots" in answer["message"]
    org_admin.applied(slot(org_admin, sid, "34-1-01-2101-001", sub, state="frozen"))
    org_admin.applied(close(org_admin, sub))
    assert latest(clerk.changes(), "org_unit", sub)["data"]["closed"] is True
    org_admin.applied(plan(org_admin, lid, sub, deleted=True))
    assert latest(clerk.changes(), "staffing_plan", lid)["deleted"] is True


# --- only an org admin, of their own organization -----------------------------------------------


def _every_kind(caller: Caller, existing_unit: str, existing_slot: str) -> list[dict[str, Any]]:
    return [
        unit(caller, new_id()),
        unit(caller, existing_unit, "ชื่อใหม่"),
        close(caller, existing_unit),
        slot(caller, new_id(), "34-9-99", existing_unit),
        slot(caller, existing_slot, "34-1-01-2101-001", existing_unit, state="frozen"),
        plan(caller, new_id(), existing_unit),
    ]


@pytest.mark.parametrize("who", ["clerk", "supervisor", "auditor"])
def test_other_roles_are_refused_and_nothing_changes(request, org_admin, who) -> None:
    _, sub, sid = _office(org_admin)
    caller: Caller = request.getfixturevalue(who)
    cursor = org_admin.pull()["cursors"]
    for result in caller.push(*_every_kind(caller, sub, sid)):
        _refused(result, "role_required")
    assert org_admin.changes(cursor) == []


def test_another_organizations_admin_is_refused(org_admin, admin_b, client, office) -> None:
    _, sub, sid = _office(org_admin)
    cursor = org_admin.pull()["cursors"]
    # B's admin naming A's organization: outside their scope
    ops = [{**op, "org_id": office.org_a} for op in _every_kind(admin_b, sub, sid)]
    for result in admin_b.push(*ops):
        _refused(result, "out_of_scope")
    # B's admin with A in their scope is still an admin of B only
    office.users["admin.p"] = admin.create_user(
        office.db, office.org_b, "admin.p", "ผู้ดูแลจังหวัด", "org_admin", PASSWORD,
        (office.org_a,),
    )  # fmt: skip
    pc_b = admin.register_device_as_operator(office.db, office.org_b, "เครื่อง P")
    provincial = login(client, office, "admin.p", pc_b)
    ops = [{**op, "org_id": office.org_a} for op in _every_kind(provincial, sub, sid)]
    for result in provincial.push(*ops):
        _refused(result, "out_of_scope")
    assert org_admin.changes(cursor) == []


# --- ids are owned -----------------------------------------------------------------------------


def test_ids_of_another_organization_or_table_are_refused(org_admin, admin_b, clerk) -> None:
    _, sub, sid = _office(org_admin)
    theirs = new_id()
    admin_b.applied(unit(admin_b, theirs, "กองคลัง", "division"))
    sub_id = submitted(clerk, new_person())
    cursor = org_admin.pull()["cursors"]
    cursor_b = admin_b.pull()["cursors"]
    results = org_admin.push(
        unit(org_admin, theirs, "ยึดกองของคนอื่น", "division"),  # B's unit
        slot(org_admin, theirs, "34-9-01", sub),  # B's unit's id as a slot
        slot(org_admin, sub_id, "34-9-02", sub),  # a submission's id
        plan(org_admin, sid, sub),  # a slot's id as a plan line
        unit(org_admin, new_id(), "ฝ่ายใหม่", "section", theirs),  # under B's unit
        slot(org_admin, new_id(), "34-9-03", theirs),  # in B's unit
        plan(org_admin, new_id(), theirs),
        unit(org_admin, "not-a-uuid"),
    )
    for result, code in zip(results, ["id_taken"] * 4 + ["unit_not_found"] * 3 + ["bad_id"],
                            strict=True):  # fmt: skip
        _refused(result, code)
    assert org_admin.changes(cursor) == [] and admin_b.changes(cursor_b) == []


# --- the rules and the bounds ------------------------------------------------------------------


def test_rules_and_bounds_are_checked_op_by_op(org_admin) -> None:
    top, sub, _sid = _office(org_admin)
    cursor = org_admin.pull()["cursors"]
    cases = [
        (slot(org_admin, new_id(), "๓๔-๑-๐๑-๒๑๐๑-๐๐๑", sub), "position_number_taken"),
        (slot(org_admin, new_id(), " 34-1-01-2101-001 ", sub), "position_number_taken"),
        (unit(org_admin, top, "สำนักปลัด", "bureau", sub), "unit_cycle"),
        (unit(org_admin, top, "สำนักปลัด", "bureau", top), "unit_cycle"),
        (unit(org_admin, new_id(), "กองใหม่", "castle"), "unknown_unit_kind"),
        (unit(org_admin, new_id(), "   "), "unit_name_required"),
        (unit(org_admin, new_id(), "ก" * 201), "bad_payload"),
        (close(org_admin, top), "unit_not_empty"),
        (close(org_admin, sub), "unit_not_empty"),
        (slot(org_admin, new_id(), "34-9-01", sub, level_min="academic_expert"), "level_range"),
        (slot(org_admin, new_id(), "34-9-02", sub, level_max="general_senior"), "unknown_level"),
        (slot(org_admin, new_id(), "34-9-03", sub, staff_type="pirate"), "unknown_staff_type"),
        (slot(org_admin, new_id(), "34-9-04", sub, state="filled"), "state_not_by_hand"),
        (slot(org_admin, new_id(), "9" * 300, sub), "bad_payload"),
        (slot(org_admin, new_id(), "9" * 100, sub), "too_long"),
        (slot(org_admin, new_id(), "34-9-05", sub, title=None), "bad_payload"),
        (plan(org_admin, new_id(), sub, counts=[1, 2]), "bad_payload"),
        (plan(org_admin, new_id(), sub, counts=[1, 2, 10**9]), "bad_payload"),
        (plan(org_admin, new_id(), sub, counts=[1, 2, "3"]), "bad_payload"),
        (plan(org_admin, new_id(), sub, first_year_be=3000), "plan_year"),
        (plan(org_admin, new_id(), sub, note="ก" * 2001), "bad_payload"),
        (plan(org_admin, new_id(), sub, deleted=True), "not_found"),
        (close(org_admin, new_id()), "unit_not_found"),
        ({**close(org_admin, sub), "payload": {"unit_id": top}}, "bad_payload"),
    ]
    results = org_admin.push(*(op for op, _ in cases))
    for result, (_, code) in zip(results, cases, strict=True):
        _refused(result, code)
    assert org_admin.changes(cursor) == []


# --- the appointment ---------------------------------------------------------------------------


def _official(slot_id: str, **fields: Any) -> dict[str, Any]:
    """A new civil servant appointed to ``slot_id``."""
    values = {"category": "local_official", "position_id": slot_id, "position_type": "academic",
              "level": "academic_practitioner", **fields}  # fmt: skip
    return new_person(**values)


def test_an_approval_fills_the_slot_and_vacates_the_previous(org_admin, clerk, supervisor) -> None:
    _, sub, first = _office(org_admin)
    second = new_id()
    org_admin.applied(slot(org_admin, second, "34-1-01-2101-002", sub))
    data = _official(first)
    pid = data["person_id"]
    sid = submitted(clerk, data)
    [result] = supervisor.applied(supervisor.approve(sid))
    assert f"position:{first}" in result["versions"]
    filled = latest(clerk.changes(), "position", first)["data"]
    assert (filled["state"], filled["holder_id"]) == ("filled", pid)
    # moved to the second slot
    move = new_id()
    person = latest(clerk.changes(), "person", pid)
    changes = {"position_id": [first, second]}
    history = {"added": [], "updated": {}, "deleted": {}}
    content = {"person_id": pid, "kind": "update", "base_version": person["version"],
               "changes": changes, "history": history}  # fmt: skip
    clerk.applied(clerk.save(move, content), clerk.submit(move, content))
    supervisor.applied(supervisor.approve(move))
    pulled = clerk.changes()
    assert latest(pulled, "position", second)["data"]["holder_id"] == pid
    assert latest(pulled, "position", first)["data"]["state"] == "vacant"
    assert latest(pulled, "position", first)["data"]["holder_id"] is None
    # a filled slot is not frozen by hand
    [answer] = org_admin.push(slot(org_admin, second, "34-1-01-2101-002", sub, state="frozen"))
    _refused(answer, "slot_filled")


def test_two_waiting_appointments_to_one_slot_meet_a_conflict(org_admin, clerk, supervisor) -> None:
    _, _, sid = _office(org_admin)
    one, two = submitted(clerk, _official(sid)), submitted(clerk, _official(sid))
    supervisor.applied(supervisor.approve(one))
    cursor = clerk.pull()["cursors"]
    [result] = supervisor.push(supervisor.approve(two))
    assert (result["status"], result["code"]) == ("conflict", "slot_not_vacant"), result
    assert result["versions"] == {} and "already filled" in result["message"]
    assert clerk.changes(cursor) == []


@pytest.mark.parametrize(
    ("state", "code"), [("frozen", "slot_frozen"), ("cut", "slot_cut"), (None, "slot_not_found")]
)
def test_an_appointment_to_a_slot_that_cannot_take_it_is_refused(
    org_admin, clerk, supervisor, state, code
) -> None:
    _, sub, sid = _office(org_admin)
    target = sid if state else new_id()
    approval = submitted(clerk, _official(target))
    if state:
        org_admin.applied(slot(org_admin, sid, "34-1-01-2101-001", sub, state=state))
    cursor = clerk.pull()["cursors"]
    [result] = supervisor.push(supervisor.approve(approval))
    _refused(result, code)
    assert clerk.changes(cursor) == []


def test_an_appointment_to_another_organizations_slot_is_refused(
    org_admin, admin_b, clerk, supervisor
) -> None:
    theirs = new_id()
    admin_b.applied(slot(admin_b, theirs, "53-1-01", None))
    approval = submitted(clerk, _official(theirs))
    cursor = clerk.pull()["cursors"]
    [result] = supervisor.push(supervisor.approve(approval))
    _refused(result, "slot_other_org")
    assert clerk.changes(cursor) == []
    assert PERSON["first_name_th"] not in result["message"]


# --- at the same moment --------------------------------------------------------------------------


def _at_once(pushes: list[tuple[Caller, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each caller pushes its op at the same moment (real concurrency on PostgreSQL): the
    answers, in order."""
    barrier = threading.Barrier(len(pushes))
    answers: list[Any] = [None] * len(pushes)

    def push(i: int) -> None:
        caller, op = pushes[i]
        signed = caller.sign(op)
        barrier.wait(timeout=30)
        answers[i] = caller.client.post("/v1/push", json={"ops": [signed]}, headers=caller.headers)

    threads = [threading.Thread(target=push, args=(i,)) for i in range(len(pushes))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert [a.status_code for a in answers] == [200] * len(pushes), [a.text for a in answers]
    return [a.json()["results"][0] for a in answers]


def _second_pc(client_for, office, username: str) -> Caller:
    pc = admin.register_device_as_operator(office.db, office.org_a, f"เครื่องของ {username}")
    return login(client_for(), office, username, pc)


def test_two_pcs_taking_one_position_number_at_once(client_for, office, org_admin) -> None:
    """The organization's lock orders them: one slot gets the number, the other is told."""
    _, sub, _ = _office(org_admin)
    other = _second_pc(client_for, office, "admin.a")
    answers = _at_once([
        (org_admin, slot(org_admin, new_id(), "34-7-777", sub)),
        (other, slot(other, new_id(), "๓๔-๗-๗๗๗", sub)),
    ])  # fmt: skip
    assert sorted(a["status"] for a in answers) == ["applied", "rejected"]
    assert {a["code"] for a in answers} == {None, "position_number_taken"}
    numbers = [
        c["data"]["position_number"] for c in rows_of(org_admin.changes(), "position").values()
    ]
    assert numbers.count("34-7-777") == 1


def test_two_supervisors_approving_into_one_slot_at_once(
    client_for, office, org_admin, clerk, supervisor
) -> None:
    _, _, sid = _office(org_admin)
    one, two = submitted(clerk, _official(sid)), submitted(clerk, _official(sid))
    other = _second_pc(client_for, office, "super.a")
    answers = _at_once([(supervisor, supervisor.approve(one)), (other, other.approve(two))])
    assert sorted(a["status"] for a in answers) == ["applied", "conflict"]
    assert [a["code"] for a in answers if a["status"] == "conflict"] == ["slot_not_vacant"]
    changes = clerk.changes()
    held = latest(changes, "position", sid)["data"]["holder_id"]
    people = [c["id"] for c in rows_of(changes, "person").values()]
    assert held is not None and people == [held]  # one person made, and it holds the slot


def test_an_office_holds_only_so_many_units_slots_and_plan_lines(org_admin, monkeypatch) -> None:
    from app.domain import limits

    _, sub, sid = _office(org_admin)  # two units, one slot
    monkeypatch.setattr(limits, "UNITS_PER_ORG", 2)
    monkeypatch.setattr(limits, "SLOTS_PER_ORG", 1)
    monkeypatch.setattr(limits, "PLAN_LINES_PER_ORG", 0)
    cursor = org_admin.pull()["cursors"]
    results = org_admin.push(
        unit(org_admin, new_id(), "กองเกิน", "division"),
        slot(org_admin, new_id(), "34-1-01-2101-009", sub),
        plan(org_admin, new_id(), sub),
    )
    for result, code in zip(results, ["too_many_units", "too_many_slots", "too_many_plan_lines"],
                            strict=True):  # fmt: skip
        _refused(result, code)
    assert org_admin.changes(cursor) == []
    # what the office has can still change
    org_admin.applied(slot(org_admin, sid, "34-1-01-2101-001", sub, title="นักทรัพยากรบุคคลชำนาญการ"))
