"""The office's structure and its position slots (issue 14), once, for the desktop's
services (app.services.structure) and the central's handlers (sync.central.structure_ops).

- **Units** (สำนัก / กอง / ส่วน / ฝ่าย / งาน: the ``unit_kinds`` reference list, open to new
  kinds) form a tree within one organization: a parent of the same organization, open, and
  no cycle (:func:`check_unit`). A unit is closed, not deleted, and only when nobody holds a
  slot in it and none of its slots is open (vacant or filled) and none of its sub-units is
  open (:func:`check_close`; the refusal names how many).
- **Slots** (ตำแหน่งเลขที่): a position number unique in the office once normalized
  (:func:`number_key`: NFC, trimmed, single spaces, Thai digits as Arabic), a title, a
  position type and the levels it may be filled at (levels of that type, lowest ≤ highest),
  a staff type (a personnel category), a unit and a state (:class:`SlotState`). By hand a
  slot is only vacant, frozen or cut, and never while someone holds it; ``filled`` comes only
  from an approved appointment (:func:`appointment`).
- **The appointment**: approving a submission that sets a person's ``position_id`` fills the
  new slot (holder: the person) and vacates the previous one; a person out of service
  (:func:`in_service`) holds no slot, so retiring vacates it. A slot filled by someone else
  (:class:`SlotTaken`: a conflict at the decision), frozen, cut, of another organization,
  of another staff type or unknown is refused with its code.
- **The staffing plan** (แผนอัตรากำลัง 3 ปี): lines of approved counts for three fiscal
  years (:func:`check_plan_line`).

Every refusal is a :class:`StructureError` with a stable ``code`` (the central answers it,
the desktop's screens turn it into Thai) and a short English ``description``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.domain import limits, reference, thai
from app.domain.entities import SlotState
from app.domain.errors import DomainError

__all__ = [
    "HAND_STATES",
    "OPEN_STATES",
    "PLAN_FIELDS",
    "SLOT_FIELDS",
    "PlanFields",
    "SlotChange",
    "SlotFacts",
    "SlotFields",
    "SlotState",
    "SlotTaken",
    "StructureError",
    "UnitFacts",
    "appointment",
    "check_close",
    "check_plan_line",
    "check_slot",
    "check_unit",
    "held_slot",
    "in_service",
    "number_key",
    "slot_state",
]

HAND_STATES = frozenset({SlotState.VACANT, SlotState.FROZEN, SlotState.CUT})
OPEN_STATES = frozenset({SlotState.VACANT, SlotState.FILLED})


class StructureError(DomainError):
    """A refusal of a structure rule; ``code`` names it, ``description`` says it in English
    (the central's answer), ``params`` carry the numbers the screens show."""

    def __init__(self, code: str, description: str, *, field: str | None = None, **params: Any):
        self.code = code
        self.description = description
        super().__init__(f"error.{code}", field=field, **params)


class SlotTaken(StructureError):
    """The slot an approval appoints to is filled by someone else: a conflict at the
    decision (two waiting submissions for one slot), not a fault of the op."""


# --- reading stored rows -----------------------------------------------------------------


def slot_state(data: Mapping[str, Any]) -> SlotState:
    """The state of a stored slot (wire form); a row written before slots had states
    carries ``vacant`` (true → vacant, false → filled)."""
    state = data.get("state")
    if isinstance(state, str) and state in SlotState._value2member_map_:
        return SlotState(state)
    return SlotState.VACANT if data.get("vacant", True) else SlotState.FILLED


def number_key(number: str | None) -> str:
    """A position number as it is compared and stored: NFC, no zero-width characters,
    single spaces, trimmed, Thai digits as Arabic ("๓๔-๑" and " 34-1" are one number)."""
    return thai.thai_digits_to_arabic(thai.normalize_text(number or "") or "")


def _text(value: str | None) -> str:
    return thai.normalize_text(value or "") or ""


def _named(value: str | None, field: str, code: str, description: str) -> str:
    """A required name or title as kept (normalized), within its length."""
    clean = _text(value)
    if not clean:
        raise StructureError(code, description, field=field)
    if len(clean) > limits.TEXT_LENGTH:
        raise StructureError("too_long", f"the {field.replace('_', ' ')} is too long",
                             field=field, max=limits.TEXT_LENGTH)  # fmt: skip
    return clean


@dataclass(frozen=True, slots=True)
class UnitFacts:
    """What the rules need of a unit."""

    id: str
    org_id: str
    parent_id: str | None
    closed: bool = False


@dataclass(frozen=True, slots=True)
class SlotFacts:
    """What the rules need of a slot."""

    id: str
    org_id: str
    unit_id: str | None
    number: str
    state: SlotState
    holder_id: str | None = None
    staff_type: str | None = None

    @classmethod
    def of(cls, slot_id: str, org_id: str, data: Mapping[str, Any]) -> SlotFacts:
        """From a stored slot in wire form."""
        return cls(
            slot_id,
            org_id,
            data.get("unit_id"),
            number_key(data.get("position_number")),
            slot_state(data),
            data.get("holder_id"),
            data.get("staff_type"),
        )


# --- units -------------------------------------------------------------------------------


def check_unit(
    *,
    unit_id: str,
    org_id: str,
    name: str | None,
    unit_kind: str | None,
    parent_id: str | None,
    units: Mapping[str, UnitFacts],
) -> tuple[str, str]:
    """A unit's name and kind as kept, or a refusal: a name (bounded), a known kind, a
    parent that is an open unit of the same organization and not the unit itself or one
    under it, no deeper than :data:`limits.UNIT_DEPTH`. ``units``: the organization's
    units (the one edited included, if it exists), by id."""
    clean = _named(name, "name", "unit_name_required", "a unit needs a name")
    if not reference.is_code("unit_kinds", unit_kind):
        raise StructureError(
            "unknown_unit_kind", f"unknown unit kind {str(unit_kind)[:40]!r}", field="unit_kind"
        )
    current = units.get(unit_id)
    if current is not None and current.org_id != org_id:
        raise StructureError("unit_other_org", "the unit belongs to another organization")
    if current is None and sum(1 for u in units.values() if u.org_id == org_id) >= (
        limits.UNITS_PER_ORG
    ):
        raise StructureError(
            "too_many_units",
            "the organization has as many units as it may",
            max=limits.UNITS_PER_ORG,
        )
    depth = 1
    seen = {unit_id}
    at = parent_id
    while at is not None:
        parent = units.get(at)
        if parent is None or parent.org_id != org_id:
            raise StructureError(
                "unit_not_found",
                "the parent unit is not a unit of this organization",
                field="parent_id",
            )
        if at == parent_id and parent.closed:
            raise StructureError("unit_closed", "the parent unit is closed", field="parent_id")
        if at in seen:
            raise StructureError(
                "unit_cycle",
                "a unit cannot be placed under itself or a unit under it",
                field="parent_id",
            )
        seen.add(at)
        depth += 1
        if depth > limits.UNIT_DEPTH:
            raise StructureError(
                "unit_too_deep",
                f"units may nest at most {limits.UNIT_DEPTH} deep",
                field="parent_id",
                max=limits.UNIT_DEPTH,
            )
        at = parent.parent_id
    return clean, str(unit_kind)


def check_close(unit_id: str, units: Iterable[UnitFacts], slots: Iterable[SlotFacts]) -> None:
    """Refuse to close a unit that someone holds a slot in, that has open (vacant or
    filled) slots, or open sub-units; the refusal names how many of each."""
    people = open_slots = 0
    for slot in slots:
        if slot.unit_id != unit_id:
            continue
        if slot.state is SlotState.FILLED:
            people += 1
        if slot.state in OPEN_STATES:
            open_slots += 1
    sub_units = sum(1 for u in units if u.parent_id == unit_id and not u.closed)
    if people or open_slots or sub_units:
        raise StructureError(
            "unit_not_empty",
            f"the unit has {people} people in its slots, {open_slots} open slots and "
            f"{sub_units} open units under it: move them first",
            people=people,
            slots=open_slots,
            units=sub_units,
        )


# --- slots -------------------------------------------------------------------------------


#: What a hand edits on a slot (its state is set apart; its holder never).
SLOT_FIELDS = ("position_number", "title", "job_line_code", "position_type", "level_min",
               "level_max", "staff_type", "unit_id")  # fmt: skip


@dataclass(frozen=True, slots=True)
class SlotFields:
    """What a hand may set on a slot (``state`` None: keep it; new: vacant)."""

    position_number: str
    title: str
    job_line_code: str | None
    position_type: str
    level_min: str | None
    level_max: str | None
    staff_type: str | None
    unit_id: str | None
    state: str | None = None

    @classmethod
    def of(cls, obj: Any, state: str | None = None) -> SlotFields:
        """The :data:`SLOT_FIELDS` of any object that has them (a form's input, a row)."""
        return cls(**{name: getattr(obj, name) for name in SLOT_FIELDS}, state=state)

    def values(self) -> dict[str, Any]:
        """The :data:`SLOT_FIELDS` by name (wire form)."""
        return {name: getattr(self, name) for name in SLOT_FIELDS}


def _level_index(position_type: str, level: str | None, name: str) -> int | None:
    if level is None:
        return None
    levels = reference.levels_for(position_type) or ()
    for i, entry in enumerate(levels):
        if entry.code == level:
            return i
    raise StructureError(
        "unknown_level", f"{level[:40]!r} is not a level of {position_type!r}", field=name
    )


def check_slot(
    slot_id: str,
    org_id: str,
    fields: SlotFields,
    *,
    current: SlotFacts | None,
    slots: Iterable[SlotFacts],
    units: Mapping[str, UnitFacts],
) -> tuple[SlotFields, SlotState]:
    """The slot's fields as kept (normalized) and its state after the save, or a refusal.
    ``current``: the slot as stored (None: a new one); ``slots``: the organization's slots
    (for the number's uniqueness and their count); ``units``: its units by id."""
    if current is not None and current.org_id != org_id:
        raise StructureError("slot_other_org", "the slot belongs to another organization")
    number = number_key(fields.position_number)
    if not number:
        raise StructureError(
            "position_number_required", "a slot needs its position number", field="position_number"
        )
    if len(number) > limits.POSITION_NUMBER_LENGTH:
        raise StructureError(
            "too_long",
            "the position number is too long",
            field="position_number",
            max=limits.POSITION_NUMBER_LENGTH,
        )
    title = _named(fields.title, "title", "title_required", "a slot needs a title")
    job_line = thai.thai_digits_to_arabic(_text(fields.job_line_code)) or None
    if job_line is not None and len(job_line) > limits.JOB_LINE_CODE_LENGTH:
        raise StructureError(
            "too_long",
            "the job-line code is too long",
            field="job_line_code",
            max=limits.JOB_LINE_CODE_LENGTH,
        )
    if not reference.is_code("position_types", fields.position_type):
        raise StructureError(
            "unknown_position_type",
            f"unknown position type {str(fields.position_type)[:40]!r}",
            field="position_type",
        )
    low = _level_index(fields.position_type, fields.level_min, "level_min")
    high = _level_index(fields.position_type, fields.level_max, "level_max")
    if low is not None and high is not None and low > high:
        raise StructureError(
            "level_range", "the lowest level is above the highest", field="level_min"
        )
    if fields.staff_type is not None and not reference.is_code(
        "personnel_categories", fields.staff_type
    ):
        raise StructureError(
            "unknown_staff_type",
            f"unknown staff type {fields.staff_type[:40]!r}",
            field="staff_type",
        )
    if fields.unit_id is not None:
        unit = units.get(fields.unit_id)
        if unit is None or unit.org_id != org_id:
            raise StructureError(
                "unit_not_found", "the unit is not a unit of this organization", field="unit_id"
            )
        if unit.closed and (current is None or current.unit_id != fields.unit_id):
            raise StructureError("unit_closed", "the unit is closed", field="unit_id")
    count = 0
    for other in slots:
        count += 1
        if other.id != slot_id and other.org_id == org_id and other.number == number:
            raise StructureError(
                "position_number_taken",
                f"position number {number!r} is already a slot of this office",
                field="position_number",
                number=number,
            )
    if current is None and count >= limits.SLOTS_PER_ORG:
        raise StructureError(
            "too_many_slots",
            "the organization has as many slots as it may",
            max=limits.SLOTS_PER_ORG,
        )
    state = _state_after(current, fields.state)
    kept = SlotFields(
        number,
        title,
        job_line,
        fields.position_type,
        fields.level_min,
        fields.level_max,
        fields.staff_type,
        fields.unit_id,
        str(state),
    )
    return kept, state


def _state_after(current: SlotFacts | None, wanted: str | None) -> SlotState:
    before = current.state if current is not None else SlotState.VACANT
    if wanted is None or wanted == before:
        return before
    if wanted not in SlotState._value2member_map_ or SlotState(wanted) not in HAND_STATES:
        raise StructureError(
            "state_not_by_hand", "a slot is filled only by an appointment", field="state"
        )
    if before is SlotState.FILLED:
        raise StructureError(
            "slot_filled", "someone holds this slot: appoint them elsewhere first", field="state"
        )
    return SlotState(wanted)


# --- the appointment ----------------------------------------------------------------------


def in_service(employment_status: str | None) -> bool:
    """Whether a person of this employment status holds their slot (``in_service`` of the
    employment_statuses list: a suspended person keeps it, a retired one does not; an
    unknown status keeps it)."""
    entry = reference.entry("employment_statuses", employment_status or "active")
    return bool(entry.get("in_service", True)) if entry is not None else True


def held_slot(fields: Mapping[str, Any]) -> str | None:
    """The slot a person's record (wire form) holds: its ``position_id`` while in service."""
    position = fields.get("position_id")
    return position if position and in_service(fields.get("employment_status")) else None


@dataclass(frozen=True, slots=True)
class SlotChange:
    """A slot's new state and holder, as an approval leaves it."""

    slot_id: str
    state: SlotState
    holder_id: str | None


def appointment(
    person_id: str,
    org_id: str,
    category: str | None,
    previous_id: str | None,
    new_id: str | None,
    slots: Mapping[str, SlotFacts | None],
) -> tuple[SlotChange, ...]:
    """What approving a person's record whose ``position_id`` goes from ``previous_id`` to
    ``new_id`` does to the slots (``slots``: at least those two, by id; None for one that
    does not exist): the new one filled by the person, the previous one vacant (if the
    person held it). Refuses a new slot that does not exist, is of another organization, is
    frozen or cut, or is of another staff type than the person's category; a slot filled by
    someone else is :class:`SlotTaken`."""
    changes: list[SlotChange] = []
    slot = slots.get(new_id) if new_id is not None else None
    if new_id is not None and new_id == previous_id:
        # The person stays: only a slot stored before slots had holders is put right.
        if (
            slot is not None
            and slot.org_id == org_id
            and (
                slot.state is SlotState.VACANT
                or (slot.state is SlotState.FILLED and slot.holder_id is None)
            )
        ):
            changes.append(SlotChange(new_id, SlotState.FILLED, person_id))
        return tuple(changes)
    if new_id is not None:
        if slot is None:
            raise StructureError(
                "slot_not_found", "the position slot does not exist", field="position_id"
            )
        if slot.org_id != org_id:
            raise StructureError(
                "slot_other_org",
                "the position slot belongs to another organization",
                field="position_id",
            )
        if slot.state is SlotState.FILLED and slot.holder_id != person_id:
            raise SlotTaken(
                "slot_not_vacant",
                f"position {slot.number} is already filled",
                field="position_id",
                number=slot.number,
            )
        if slot.state in (SlotState.FROZEN, SlotState.CUT):
            code = "slot_frozen" if slot.state is SlotState.FROZEN else "slot_cut"
            raise StructureError(
                code,
                f"position {slot.number} is {slot.state}",
                field="position_id",
                number=slot.number,
            )
        if slot.staff_type is not None and category is not None and slot.staff_type != category:
            raise StructureError(
                "slot_staff_type",
                f"position {slot.number} is for another staff type",
                field="position_id",
                number=slot.number,
            )
        if slot.state is SlotState.VACANT:
            changes.append(SlotChange(new_id, SlotState.FILLED, person_id))
    if previous_id is not None:
        old = slots.get(previous_id)
        if (
            old is not None
            and old.org_id == org_id
            and old.state is SlotState.FILLED
            and old.holder_id in (None, person_id)
        ):
            changes.append(SlotChange(previous_id, SlotState.VACANT, None))
    return tuple(changes)


# --- the staffing plan --------------------------------------------------------------------


PLAN_FIELDS = ("first_year_be", "position_title", "position_type", "level", "unit_id",
               "counts", "note")  # fmt: skip


@dataclass(frozen=True, slots=True)
class PlanFields:
    first_year_be: int
    position_title: str
    position_type: str | None
    level: str | None
    unit_id: str | None
    counts: tuple[int, int, int]
    note: str | None

    @classmethod
    def of(cls, obj: Any) -> PlanFields:
        """The :data:`PLAN_FIELDS` of any object that has them (a form's input, a row)."""
        values = {name: getattr(obj, name) for name in PLAN_FIELDS}
        return cls(**{**values, "counts": tuple(values["counts"] or ())})

    def values(self) -> dict[str, Any]:
        """The :data:`PLAN_FIELDS` by name (wire form: the counts a list)."""
        return {**{name: getattr(self, name) for name in PLAN_FIELDS}, "counts": list(self.counts)}


def check_plan_line(org_id: str, fields: PlanFields, units: Mapping[str, UnitFacts]) -> PlanFields:
    """A plan line as kept, or a refusal: a fiscal year (BE) in range, a title, a known type
    and a level of it, a unit of the organization, three counts from 0."""
    low, high = limits.PLAN_YEAR_BE
    if not low <= fields.first_year_be <= high:
        raise StructureError(
            "plan_year",
            f"the plan's first year must be {low}–{high} (BE)",
            field="first_year_be",
            min=low,
            max=high,
        )
    title = _named(fields.position_title, "position_title", "title_required",
                   "a plan line needs a position title")  # fmt: skip
    if fields.position_type is not None and not reference.is_code(
        "position_types", fields.position_type
    ):
        raise StructureError(
            "unknown_position_type", "unknown position type", field="position_type"
        )
    if fields.level is not None:
        if fields.position_type is None:
            raise StructureError("unknown_level", "a level needs its position type", field="level")
        _level_index(fields.position_type, fields.level, "level")
    if fields.unit_id is not None:
        unit = units.get(fields.unit_id)
        if unit is None or unit.org_id != org_id:
            raise StructureError(
                "unit_not_found", "the unit is not a unit of this organization", field="unit_id"
            )
    counts = tuple(fields.counts)
    if len(counts) != limits.PLAN_YEARS or not all(
        isinstance(c, int) and not isinstance(c, bool) and 0 <= c <= limits.PLAN_COUNT_MAX
        for c in counts
    ):
        raise StructureError(
            "plan_counts",
            f"a plan line has three counts, each from 0 to {limits.PLAN_COUNT_MAX}",
            field="counts",
            max=limits.PLAN_COUNT_MAX,
        )
    note = thai.normalize_text(fields.note or "", multiline=True) or None
    if note is not None and len(note) > limits.FREE_TEXT_LENGTH:
        raise StructureError(
            "too_long", "the note is too long", field="note", max=limits.FREE_TEXT_LENGTH
        )
    return PlanFields(
        fields.first_year_be,
        title,
        fields.position_type,
        fields.level,
        fields.unit_id,
        (counts[0], counts[1], counts[2]),
        note,
    )
