"""The rules of the office's structure (app.domain.structure), as the desktop and the central
apply them."""

from __future__ import annotations

import pytest

from app.domain import limits
from app.domain.entities import SlotState
from app.domain.structure import (
    PlanFields,
    SlotChange,
    SlotFacts,
    SlotFields,
    SlotTaken,
    StructureError,
    UnitFacts,
    appointment,
    check_close,
    check_plan_line,
    check_slot,
    check_unit,
    number_key,
    slot_state,
)

ORG, OTHER = "org-a", "org-b"


def _units(*rows: tuple[str, str | None]) -> dict[str, UnitFacts]:
    return {uid: UnitFacts(uid, ORG, parent) for uid, parent in rows}


def _code(call, *args, **kwargs) -> str:
    with pytest.raises(StructureError) as refused:
        call(*args, **kwargs)
    return refused.value.code


# --- numbers and old rows ----------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["34-1-01-2101-001", "๓๔-๑-๐๑-๒๑๐๑-๐๐๑", "  34-1-01-2101-001 ", "34-1-01-2101-001\u200b"],
)
def test_a_position_number_is_one_number_however_typed(typed: str) -> None:
    assert number_key(typed) == "34-1-01-2101-001"


def test_a_slot_stored_before_states_reads_from_its_vacant_flag() -> None:
    assert slot_state({"vacant": True}) is SlotState.VACANT
    assert slot_state({"vacant": False}) is SlotState.FILLED
    assert slot_state({}) is SlotState.VACANT
    assert slot_state({"state": "frozen", "vacant": True}) is SlotState.FROZEN


# --- units -------------------------------------------------------------------------------


def test_a_unit_is_named_and_of_a_known_kind() -> None:
    units = _units(("a", None))
    assert check_unit(unit_id="b", org_id=ORG, name="  กอง\u200bคลัง ", unit_kind="division",
                      parent_id="a", units=units) == ("กองคลัง", "division")  # fmt: skip
    assert check_unit(unit_id="b", org_id=ORG, name="ส่วนการคลัง", unit_kind="part",
                      parent_id="a", units=units)[1] == "part"  # fmt: skip
    for name, kind, code in [
        ("", "division", "unit_name_required"),
        ("กองคลัง", "castle", "unknown_unit_kind"),
        ("ก" * (limits.TEXT_LENGTH + 1), "division", "too_long"),
    ]:
        assert _code(check_unit, unit_id="b", org_id=ORG, name=name, unit_kind=kind,
                     parent_id=None, units=units) == code  # fmt: skip


def test_units_form_a_tree_without_cycles() -> None:
    units = _units(("a", None), ("b", "a"), ("c", "b"))
    for unit_id, parent in [("a", "c"), ("a", "a"), ("b", "c")]:
        assert _code(check_unit, unit_id=unit_id, org_id=ORG, name="x", unit_kind="unit",
                     parent_id=parent, units=units) == "unit_cycle"  # fmt: skip
    # moving c up under a is no cycle
    check_unit(unit_id="c", org_id=ORG, name="x", unit_kind="unit", parent_id="a", units=units)


def test_a_parent_is_an_open_unit_of_the_same_organization() -> None:
    units = {"a": UnitFacts("a", OTHER, None), "b": UnitFacts("b", ORG, None, closed=True)}
    for parent, code in [("a", "unit_not_found"), ("zz", "unit_not_found"), ("b", "unit_closed")]:
        assert _code(check_unit, unit_id="n", org_id=ORG, name="x", unit_kind="unit",
                     parent_id=parent, units=units) == code  # fmt: skip


def test_units_nest_only_so_deep() -> None:
    chain = [(f"u{i}", f"u{i - 1}" if i else None) for i in range(limits.UNIT_DEPTH)]
    units = _units(*chain)
    last = f"u{limits.UNIT_DEPTH - 1}"
    assert _code(check_unit, unit_id="new", org_id=ORG, name="x", unit_kind="unit",
                 parent_id=last, units=units) == "unit_too_deep"  # fmt: skip


def _slot(sid: str, unit_id: str | None, state: SlotState, holder: str | None = None):
    return SlotFacts(sid, ORG, unit_id, sid, state, holder)


@pytest.mark.parametrize(
    ("slots", "children", "counts"),
    [
        ([_slot("1", "u", SlotState.FILLED, "p")], [], (1, 1, 0)),
        ([_slot("1", "u", SlotState.VACANT)], [], (0, 1, 0)),
        ([_slot("1", "u", SlotState.FILLED, "p"), _slot("2", "u", SlotState.VACANT)], [],
         (1, 2, 0)),
        ([], [UnitFacts("c", ORG, "u")], (0, 0, 1)),
    ],
)  # fmt: skip
def test_a_unit_with_people_open_slots_or_open_units_does_not_close(
    slots, children, counts
) -> None:
    units = [UnitFacts("u", ORG, None), *children]
    with pytest.raises(StructureError) as refused:
        check_close("u", units, slots)
    assert refused.value.code == "unit_not_empty"
    params = refused.value.params
    assert (params["people"], params["slots"], params["units"]) == counts


def test_a_unit_with_only_frozen_or_cut_slots_and_closed_units_closes() -> None:
    units = [UnitFacts("u", ORG, None), UnitFacts("c", ORG, "u", closed=True)]
    slots = [_slot("1", "u", SlotState.FROZEN), _slot("2", "u", SlotState.CUT),
             _slot("3", "other", SlotState.FILLED, "p")]  # fmt: skip
    check_close("u", units, slots)


# --- slots -------------------------------------------------------------------------------


def _fields(**changes) -> SlotFields:
    values = {
        "position_number": "34-1-001", "title": "นักทรัพยากรบุคคล", "job_line_code": "๒๑๐๑",
        "position_type": "academic", "level_min": "academic_practitioner",
        "level_max": "academic_professional", "staff_type": "local_official", "unit_id": "u",
        "state": None,
    }  # fmt: skip
    return SlotFields(**{**values, **changes})


def _check(fields: SlotFields, current: SlotFacts | None = None, slots=()):
    return check_slot(
        "s", ORG, fields, current=current, slots=list(slots), units=_units(("u", None))
    )


def test_a_slot_is_kept_normalized_and_new_ones_are_vacant() -> None:
    kept, state = _check(_fields(position_number=" ๓๔-๑-๐๐๑ "))
    assert kept.position_number == "34-1-001" and kept.job_line_code == "2101"
    assert state is SlotState.VACANT


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"level_min": "academic_expert"}, "level_range"),
        ({"level_max": "general_senior"}, "unknown_level"),
        ({"position_type": "teacher"}, "unknown_level"),
        ({"position_type": "nope"}, "unknown_position_type"),
        ({"staff_type": "nope"}, "unknown_staff_type"),
        ({"position_number": " \u200b "}, "position_number_required"),
        ({"position_number": "9" * (limits.POSITION_NUMBER_LENGTH + 1)}, "too_long"),
        ({"title": "  "}, "title_required"),
        ({"unit_id": "elsewhere"}, "unit_not_found"),
        ({"state": "filled"}, "state_not_by_hand"),
        ({"state": "gone"}, "state_not_by_hand"),
    ],
)
def test_a_slot_out_of_the_rules_is_refused(changes, code) -> None:
    assert _code(_check, _fields(**changes)) == code


def test_levels_may_be_open_at_either_end() -> None:
    _check(_fields(level_min=None))
    _check(_fields(level_max=None, level_min="academic_expert"))


def test_a_number_is_unique_in_the_office_not_across_offices() -> None:
    mine = SlotFacts("t", ORG, "u", "34-1-001", SlotState.VACANT)
    theirs = SlotFacts("t", OTHER, "u", "34-1-001", SlotState.VACANT)
    assert _code(_check, _fields(position_number="๓๔-๑-๐๐๑"), None, [mine]) == (
        "position_number_taken"
    )
    _check(_fields(), None, [theirs])
    # the slot keeps its own number
    own = SlotFacts("s", ORG, "u", "34-1-001", SlotState.VACANT)
    _check(_fields(), own, [own])


def test_a_held_slot_is_not_frozen_cut_or_emptied_by_hand() -> None:
    held = SlotFacts("s", ORG, "u", "34-1-001", SlotState.FILLED, "p")
    for state in ("frozen", "cut", "vacant"):
        assert _code(_check, _fields(state=state), held, [held]) == "slot_filled"
    kept, state = _check(_fields(title="ชื่อใหม่"), held, [held])  # other fields: fine
    assert state is SlotState.FILLED and kept.title == "ชื่อใหม่"
    frozen = SlotFacts("s", ORG, "u", "34-1-001", SlotState.FROZEN)
    assert _check(_fields(state="vacant"), frozen, [frozen])[1] is SlotState.VACANT


def test_a_closed_unit_takes_no_new_slot_but_keeps_its_own() -> None:
    units = {"u": UnitFacts("u", ORG, None, closed=True)}
    assert _code(check_slot, "s", ORG, _fields(), current=None, slots=[], units=units) == (
        "unit_closed"
    )
    own = SlotFacts("s", ORG, "u", "34-1-001", SlotState.CUT)
    check_slot("s", ORG, _fields(), current=own, slots=[own], units=units)


# --- the appointment -----------------------------------------------------------------------


def _facts(sid: str, state: SlotState, holder: str | None = None, org: str = ORG,
           staff_type: str | None = "local_official") -> SlotFacts:  # fmt: skip
    return SlotFacts(sid, org, "u", f"no-{sid}", state, holder, staff_type)


def test_an_appointment_fills_the_new_slot_and_vacates_the_old() -> None:
    slots = {"old": _facts("old", SlotState.FILLED, "p"), "new": _facts("new", SlotState.VACANT)}
    assert appointment("p", ORG, "local_official", "old", "new", slots) == (
        SlotChange("new", SlotState.FILLED, "p"),
        SlotChange("old", SlotState.VACANT, None),
    )
    # leaving every slot (end of service): the old one is vacant
    assert appointment("p", ORG, "local_official", "old", None, slots) == (
        SlotChange("old", SlotState.VACANT, None),
    )
    # a slot someone else holds is not emptied because this person named it before
    other = {"old": _facts("old", SlotState.FILLED, "q"), "new": _facts("new", SlotState.VACANT)}
    assert appointment("p", ORG, None, "old", "new", other) == (
        SlotChange("new", SlotState.FILLED, "p"),
    )


def test_staying_in_a_slot_changes_nothing_but_an_old_rows_holder() -> None:
    held = {"s": _facts("s", SlotState.FILLED, "p")}
    assert appointment("p", ORG, "local_official", "s", "s", held) == ()
    legacy = {"s": _facts("s", SlotState.FILLED, None)}
    assert appointment("p", ORG, "local_official", "s", "s", legacy) == (
        SlotChange("s", SlotState.FILLED, "p"),
    )
    frozen = {"s": _facts("s", SlotState.FROZEN)}  # no refusal of an unrelated change
    assert appointment("p", ORG, "local_official", "s", "s", frozen) == ()


@pytest.mark.parametrize(
    ("slot", "code"),
    [
        (None, "slot_not_found"),
        (_facts("new", SlotState.VACANT, org=OTHER), "slot_other_org"),
        (_facts("new", SlotState.FROZEN), "slot_frozen"),
        (_facts("new", SlotState.CUT), "slot_cut"),
        (_facts("new", SlotState.VACANT, staff_type="local_teacher"), "slot_staff_type"),
        (_facts("new", SlotState.FILLED, "q"), "slot_not_vacant"),
        (_facts("new", SlotState.FILLED, None), "slot_not_vacant"),
    ],
)
def test_an_appointment_to_a_slot_that_cannot_take_the_person_is_refused(slot, code) -> None:
    assert _code(appointment, "p", ORG, "local_official", None, "new", {"new": slot}) == code


def test_a_slot_filled_meanwhile_is_a_conflict_not_a_fault() -> None:
    with pytest.raises(SlotTaken) as taken:
        appointment("p", ORG, None, None, "new", {"new": _facts("new", SlotState.FILLED, "q")})
    assert taken.value.params["number"] == "no-new"


# --- the plan ------------------------------------------------------------------------------


def _plan(**changes) -> PlanFields:
    values = {"first_year_be": 2569, "position_title": " นักทรัพยากรบุคคล ",
              "position_type": "academic", "level": "academic_practitioner", "unit_id": "u",
              "counts": (1, 2, 2), "note": None}  # fmt: skip
    return PlanFields(**{**values, **changes})


def test_a_plan_line_is_kept_normalized() -> None:
    kept = check_plan_line(ORG, _plan(), _units(("u", None)))
    assert kept.position_title == "นักทรัพยากรบุคคล" and kept.counts == (1, 2, 2)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"first_year_be": 2026}, "plan_year"),
        ({"position_title": ""}, "title_required"),
        ({"level": "general_senior"}, "unknown_level"),
        ({"position_type": None}, "unknown_level"),
        ({"unit_id": "elsewhere"}, "unit_not_found"),
        ({"counts": (1, 2)}, "plan_counts"),
        ({"counts": (1, 2, -1)}, "plan_counts"),
        ({"counts": (1, 2, limits.PLAN_COUNT_MAX + 1)}, "plan_counts"),
    ],
)
def test_a_plan_line_out_of_bounds_is_refused(changes, code) -> None:
    assert _code(check_plan_line, ORG, _plan(**changes), _units(("u", None))) == code


def test_a_person_holds_their_slot_only_while_in_service() -> None:
    from app.domain.structure import held_slot, in_service

    assert in_service("active") and in_service("suspended") and in_service(None)
    assert not in_service("retired") and not in_service("deceased")
    assert in_service("a_status_added_later")  # unknown: kept, the list is open
    assert held_slot({"position_id": "s", "employment_status": "active"}) == "s"
    assert held_slot({"position_id": "s", "employment_status": "retired"}) is None
    assert held_slot({}) is None
