"""The org admin's structure on the desktop (issue 14): units, slots, the plan, the picker and
the overview, and the appointment an approval makes (offline, on this PC)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain.errors import DomainError, PermissionDenied
from app.domain.structure import SlotTaken, StructureError
from app.services import decisions, outbox, structure, submissions
from app.store.models import OrgUnitModel, PersonModel, PositionModel
from tests.fixtures_db import Demo, dump, last_seq, ops_after, person_record, valid_citizen_id


def _slot(number: str, unit_id: str | None = None, **extra: Any) -> structure.SlotInput:
    values: dict[str, Any] = {
        "id": None,
        "position_number": number,
        "title": "นักจัดการงานทั่วไป",
        "job_line_code": "2105",
        "position_type": "academic",
        "level_min": "academic_practitioner",
        "level_max": "academic_professional",
        "staff_type": "local_official",
        "unit_id": unit_id,
    }
    return structure.SlotInput(**{**values, **extra})


def _units(demo: Demo) -> tuple[str, str, str]:
    office = structure.save_unit(
        demo.db, demo.admin, unit_id=None, name="สำนักงานทดลอง", unit_kind="bureau", parent_id=None
    )
    part = structure.save_unit(
        demo.db, demo.admin, unit_id=None, name="ส่วนบริหาร", unit_kind="part", parent_id=office
    )
    section = structure.save_unit(
        demo.db, demo.admin, unit_id=None, name="ฝ่ายธุรการ", unit_kind="section", parent_id=part
    )
    return office, part, section


def _find(nodes: list[structure.UnitNode] | tuple[structure.UnitNode, ...], uid: str):
    for node in nodes:
        if node.id == uid:
            return node
        found = _find(node.children, uid)
        if found is not None:
            return found
    return None


def test_an_org_admin_builds_units_and_slots_and_each_write_is_an_op(demo: Demo) -> None:
    start = last_seq(demo.db)
    office, part, section = _units(demo)
    first = structure.save_slot(demo.db, demo.admin, _slot("๙๙-๑-๐๑", section))
    tree = structure.unit_tree(demo.db, demo.clerk)
    node = _find(tree, office)
    assert node is not None and node.children[0].id == part
    assert node.children[0].children[0].id == section
    assert _find(tree, section).open_slots == 1 and _find(tree, section).people == 0
    [slot] = structure.slots(demo.db, demo.clerk, unit_id=section)
    # Thai digits are kept as Arabic: one number however it was typed
    assert slot.id == first and slot.position_number == "99-1-01" and slot.state == "vacant"
    assert slot.unit_name == "ฝ่ายธุรการ"
    kinds = [op["kind"] for op in ops_after(demo.db, start)]
    assert kinds.count("unit.save") == 3 and kinds.count("position.save") == 1
    assert kinds.count("audit.append") == 4


def test_a_position_number_is_unique_in_the_office_however_typed(demo: Demo) -> None:
    _, _, section = _units(demo)
    structure.save_slot(demo.db, demo.admin, _slot("99-1-01", section))
    before = dump(demo.db)
    for typed in ("๙๙-๑-๐๑", " 99-1-01 ", "99-1-01\u200b"):
        with pytest.raises(StructureError) as refused:
            structure.save_slot(demo.db, demo.admin, _slot(typed, section))
        assert refused.value.code == "position_number_taken"
    assert dump(demo.db) == before


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        (
            {"level_min": "academic_professional", "level_max": "academic_practitioner"},
            "level_range",
        ),
        ({"level_min": "general_senior"}, "unknown_level"),
        ({"position_type": "wizard"}, "unknown_position_type"),
        ({"staff_type": "pirate"}, "unknown_staff_type"),
        ({"position_number": "  "}, "position_number_required"),
        ({"title": ""}, "title_required"),
        ({"unit_id": "0190a6d2-0000-7000-8000-000000000000"}, "unit_not_found"),
    ],
)
def test_a_slot_out_of_the_rules_is_refused_and_nothing_changes(demo: Demo, extra, code) -> None:
    _, _, section = _units(demo)
    before = dump(demo.db)
    with pytest.raises(StructureError) as refused:
        structure.save_slot(demo.db, demo.admin, _slot("99-2-01", **{"unit_id": section, **extra}))
    assert refused.value.code == code
    assert dump(demo.db) == before


def test_only_an_org_admin_writes(demo: Demo) -> None:
    before = dump(demo.db)
    for who in (demo.clerk, demo.supervisor):
        with pytest.raises(PermissionDenied):
            structure.save_unit(
                demo.db, who, unit_id=None, name="กองใหม่", unit_kind="division", parent_id=None
            )
    assert dump(demo.db) == before


def test_units_cannot_form_a_cycle(demo: Demo) -> None:
    office, _part, section = _units(demo)
    for parent in (section, office):
        with pytest.raises(StructureError) as refused:
            structure.save_unit(
                demo.db,
                demo.admin,
                unit_id=office,
                name="สำนักงานทดลอง",
                unit_kind="bureau",
                parent_id=parent,
            )
        assert refused.value.code == "unit_cycle"
    # a move elsewhere is fine
    structure.save_unit(
        demo.db, demo.admin, unit_id=section, name="ฝ่ายธุรการ", unit_kind="section", parent_id=office
    )
    assert _find(structure.unit_tree(demo.db, demo.admin), section).parent_id == office


def test_a_unit_with_open_slots_or_sub_units_cannot_be_closed(demo: Demo) -> None:
    _office, part, section = _units(demo)
    slot = structure.save_slot(demo.db, demo.admin, _slot("99-3-01", section))
    with pytest.raises(StructureError) as refused:
        structure.close_unit(demo.db, demo.admin, section)
    assert refused.value.code == "unit_not_empty" and refused.value.params["slots"] == 1
    with pytest.raises(StructureError) as refused:
        structure.close_unit(demo.db, demo.admin, part)
    assert refused.value.params["units"] == 1
    structure.set_slot_state(demo.db, demo.admin, slot, "cut")
    structure.close_unit(demo.db, demo.admin, section)
    assert _find(structure.unit_tree(demo.db, demo.admin), section).closed
    with pytest.raises(StructureError) as refused:  # a closed unit takes no new slots
        structure.save_slot(demo.db, demo.admin, _slot("99-3-02", section))
    assert refused.value.code == "unit_closed"


def test_a_unit_whose_slots_people_hold_names_how_many(demo: Demo) -> None:
    with demo.db.reading() as session:
        unit_id, _people = session.execute(
            select(PositionModel.unit_id, PositionModel.id)
            .where(PositionModel.state == "filled")
            .limit(1)
        ).one()
        held = session.scalar(
            select(PositionModel.id)
            .where(PositionModel.unit_id == unit_id, PositionModel.state == "filled")
            .limit(1)
        )
    assert held is not None
    with pytest.raises(StructureError) as refused:
        structure.close_unit(demo.db, demo.admin, unit_id)
    assert refused.value.code == "unit_not_empty" and refused.value.params["people"] >= 1


def test_filled_is_never_set_by_hand(demo: Demo) -> None:
    _, _, section = _units(demo)
    slot = structure.save_slot(demo.db, demo.admin, _slot("99-4-01", section))
    with pytest.raises(StructureError) as refused:
        structure.set_slot_state(demo.db, demo.admin, slot, "filled")
    assert refused.value.code == "state_not_by_hand"
    held = structure.slots(demo.db, demo.admin, state="filled")[0]
    with pytest.raises(StructureError) as refused:
        structure.set_slot_state(demo.db, demo.admin, held.id, "frozen")
    assert refused.value.code == "slot_filled"


def _new_official(demo: Demo, slot_id: str, digits: str) -> str:
    """A clerk registers a new civil servant into ``slot_id`` and submits: the submission."""
    sid = submissions.start_draft(demo.db, demo.clerk).submission.id
    fields = person_record(
        "สมหญิง",
        "ใจงาม",
        valid_citizen_id(digits),
        category="local_official",
        position_id=slot_id,
        position_type="academic",
        level="academic_practitioner",
        prefix="miss",
        gender="female",
    )
    submissions.save_draft(demo.db, demo.clerk, sid, fields=fields)
    submissions.submit(demo.db, demo.clerk, sid)
    return sid


def _state(demo: Demo, slot_id: str) -> tuple[str, str | None]:
    with demo.db.reading() as session:
        row = session.get(PositionModel, slot_id)
        return row.state, row.holder_id


def test_an_approved_appointment_fills_the_slot_and_vacates_the_previous(demo: Demo) -> None:
    _, _, section = _units(demo)
    first = structure.save_slot(demo.db, demo.admin, _slot("99-5-01", section))
    second = structure.save_slot(demo.db, demo.admin, _slot("99-5-02", section))
    assert first in {s.id for s in structure.vacant_slots(demo.db, demo.clerk)}
    sid = _new_official(demo, first, "110170020301")
    person = decisions.approve(demo.db, demo.supervisor, sid).person
    assert _state(demo, first) == ("filled", person.id)
    assert first not in {s.id for s in structure.vacant_slots(demo.db, demo.clerk)}
    [shown] = structure.slots(demo.db, demo.clerk, text="99-5-01")
    assert shown.holder_name == "สมหญิง ใจงาม"
    # moved to the second slot: the first is vacant again
    move = submissions.start_draft(demo.db, demo.clerk, person_id=person.id).submission.id
    submissions.save_draft(demo.db, demo.clerk, move, fields={"position_id": second})
    submissions.submit(demo.db, demo.clerk, move)
    decisions.approve(demo.db, demo.supervisor, move)
    assert _state(demo, second) == ("filled", person.id)
    assert _state(demo, first) == ("vacant", None)
    # the approval's op keeps both slots from a pull until the central answers it
    from app.services import replica

    with demo.db.reading() as session:
        protected = replica._protected(session)
    assert {("position", first), ("position", second)} <= protected


def test_two_waiting_appointments_to_one_slot_the_second_is_refused(demo: Demo) -> None:
    _, _, section = _units(demo)
    slot = structure.save_slot(demo.db, demo.admin, _slot("99-6-01", section))
    one = _new_official(demo, slot, "110170020302")
    two = _new_official(demo, slot, "110170020303")
    decisions.approve(demo.db, demo.supervisor, one)
    before = dump(demo.db)
    with pytest.raises(SlotTaken) as refused:
        decisions.approve(demo.db, demo.supervisor, two)
    assert refused.value.code == "slot_not_vacant"
    assert dump(demo.db) == before


@pytest.mark.parametrize("state", ["frozen", "cut"])
def test_an_appointment_to_a_frozen_or_cut_slot_is_refused(demo: Demo, state: str) -> None:
    _, _, section = _units(demo)
    slot = structure.save_slot(demo.db, demo.admin, _slot("99-7-01", section))
    sid = _new_official(demo, slot, "110170020304")
    structure.set_slot_state(demo.db, demo.admin, slot, state)
    with pytest.raises(DomainError) as refused:
        decisions.approve(demo.db, demo.supervisor, sid)
    assert refused.value.code == f"slot_{state}"


def test_the_picker_offers_vacant_slots_of_the_staff_type(demo: Demo) -> None:
    _, _, section = _units(demo)
    mine = structure.save_slot(demo.db, demo.admin, _slot("99-8-01", section))
    other = structure.save_slot(
        demo.db, demo.admin, _slot("99-8-02", section, staff_type="local_teacher")
    )
    offered = {
        s.id for s in structure.vacant_slots(demo.db, demo.clerk, staff_type="local_official")
    }
    assert mine in offered and other not in offered
    held = structure.slots(demo.db, demo.clerk, state="filled")[0]
    picked = structure.vacant_slots(demo.db, demo.clerk, include=held.id, limit=5)
    assert picked[0].id == held.id and len(picked) <= 6
    assert [s.id for s in structure.vacant_slots(demo.db, demo.clerk, text="๙๙-๘-๐๑")] == [mine]


def test_the_staffing_overview_counts_slots_against_the_plan(demo: Demo) -> None:
    _, _, section = _units(demo)
    a = structure.save_slot(demo.db, demo.admin, _slot("99-9-01", section))
    structure.save_slot(demo.db, demo.admin, _slot("99-9-02", section))
    structure.set_slot_state(demo.db, demo.admin, a, "frozen")
    line = structure.save_plan_line(
        demo.db,
        demo.admin,
        structure.PlanLineInput(
            None, 2569, "นักจัดการงานทั่วไป", "academic", None, section, (2, 3, 3), "เพิ่มปีละหนึ่ง"
        ),
    )
    overview = structure.staffing_overview(demo.db, demo.clerk)
    row = next(r for r in overview.rows if r.unit_id == section)
    assert (row.framework, row.filled, row.vacant, row.frozen) == (2, 0, 1, 1)
    assert row.planned == (2, 3, 3) and overview.plan_years == (2569, 2570, 2571)
    assert any(s.position_number == "99-9-02" for s in overview.vacancies)
    assert [p.id for p in structure.plan_lines(demo.db, demo.clerk)] == [line]
    structure.delete_plan_line(demo.db, demo.admin, line)
    assert structure.plan_lines(demo.db, demo.clerk) == []
    assert structure.staffing_overview(demo.db, demo.clerk).plan_years is None


def test_setup_progress_counts_what_the_office_has(demo: Demo) -> None:
    before = structure.setup_progress(demo.db, demo.admin)
    _, _, section = _units(demo)
    structure.save_slot(demo.db, demo.admin, _slot("99-10-01", section))
    after = structure.setup_progress(demo.db, demo.admin)
    assert (after.units, after.slots) == (before.units + 3, before.slots + 1)
    assert after.users == before.users >= 3


def test_a_refused_structure_op_puts_the_rows_back(demo: Demo) -> None:
    unit = structure.save_unit(
        demo.db, demo.admin, unit_id=None, name="กองทดลอง", unit_kind="division", parent_id=None
    )
    with demo.db.reading() as session:
        from app.store.models import OutboxOpModel

        op_id = session.scalar(select(OutboxOpModel.op_id).where(OutboxOpModel.kind == "unit.save"))
    outbox.record_results(
        demo.db, [{"op_id": op_id, "status": "rejected", "code": "role_required"}]
    )
    assert _find(structure.unit_tree(demo.db, demo.admin), unit) is None
    with demo.db.reading() as session:
        assert session.scalar(select(PersonModel.id).limit(1)) is not None


def test_leaving_service_vacates_the_slot_and_a_return_fills_it_again(demo: Demo) -> None:
    _, _, section = _units(demo)
    slot = structure.save_slot(demo.db, demo.admin, _slot("99-11-01", section))
    person = decisions.approve(demo.db, demo.supervisor, _new_official(demo, slot, "110170020305"))
    leaving = submissions.start_draft(demo.db, demo.clerk, person_id=person.person.id)
    sid = leaving.submission.id
    submissions.save_draft(demo.db, demo.clerk, sid, fields={"employment_status": "resigned"})
    submissions.submit(demo.db, demo.clerk, sid)
    decisions.approve(demo.db, demo.supervisor, sid)
    assert _state(demo, slot) == ("vacant", None)
    back = submissions.start_draft(demo.db, demo.clerk, person_id=person.person.id)
    bid = back.submission.id
    submissions.save_draft(demo.db, demo.clerk, bid, fields={"employment_status": "active"})
    submissions.submit(demo.db, demo.clerk, bid)
    decisions.approve(demo.db, demo.supervisor, bid)
    assert _state(demo, slot) == ("filled", person.person.id)


def test_an_office_holds_only_so_many_units_slots_and_plan_lines(demo: Demo, monkeypatch) -> None:
    from app.domain import limits

    _, _, section = _units(demo)
    with demo.db.reading() as session:
        units = session.scalar(select(func.count()).select_from(OrgUnitModel))
        slots = session.scalar(select(func.count()).select_from(PositionModel))
    monkeypatch.setattr(limits, "UNITS_PER_ORG", units)
    monkeypatch.setattr(limits, "SLOTS_PER_ORG", slots)
    monkeypatch.setattr(limits, "PLAN_LINES_PER_ORG", 0)
    before = dump(demo.db)
    for call, code in [
        (lambda: structure.save_unit(demo.db, demo.admin, unit_id=None, name="กองเกิน",
                                     unit_kind="division", parent_id=None), "too_many_units"),
        (lambda: structure.save_slot(demo.db, demo.admin, _slot("99-12-01", section)),
         "too_many_slots"),
        (lambda: structure.save_plan_line(demo.db, demo.admin, structure.PlanLineInput(
            None, 2569, "นักจัดการงานทั่วไป", None, None, None, (1, 1, 1))),
         "too_many_plan_lines"),
    ]:  # fmt: skip
        with pytest.raises(StructureError) as refused:
            call()
        assert refused.value.code == code
    assert dump(demo.db) == before
    # what the office has can still change
    structure.save_unit(demo.db, demo.admin, unit_id=section, name="ฝ่ายธุรการและสารบรรณ",
                        unit_kind="section", parent_id=None)  # fmt: skip
