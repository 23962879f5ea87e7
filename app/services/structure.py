"""The org admin's use cases on the office's structure (issue 14): units, position slots,
the three-year staffing plan; and what every screen reads of them (the unit tree, the
vacant-slot picker of the person editor, the staffing overview, the set-up's progress).

Each write is one transaction that changes the local rows, writes its op for the central
(``unit.save``, ``unit.close``, ``position.save``, ``plan.save``; undo list included, so a
refusal puts the rows back) and an audit event: it works offline, and a pull never writes
over the edit before the central has answered it (app.services.replica). The rules are
:mod:`app.domain.structure`, the ones the central checks. Only an org admin writes, and only
in their own organization; everyone reads their organization (or one in their scope).
Results are frozen dataclasses; nothing here returns an ORM object.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from app.domain import structure
from app.domain.entities import Role, SlotState, User
from app.domain.errors import NotFound
from app.domain.ids import new_id, utcnow
from app.domain.structure import SlotFacts, SlotFields, StructureError, UnitFacts
from app.services import audit, outbox, replica
from app.services.context import actor, require_role, require_scope
from app.store.db import Database
from app.store.models import (
    OrgUnitModel,
    PersonModel,
    PositionModel,
    StaffingPlanModel,
    UserModel,
)

__all__ = [
    "PlanLine",
    "PlanLineInput",
    "SetupProgress",
    "Slot",
    "SlotInput",
    "StaffingOverview",
    "StaffingRow",
    "UnitNode",
    "close_unit",
    "delete_plan_line",
    "plan_lines",
    "save_plan_line",
    "save_slot",
    "save_unit",
    "set_slot_state",
    "setup_progress",
    "slots",
    "staffing_overview",
    "unit_tree",
    "vacant_slots",
]


@dataclass(frozen=True, slots=True)
class UnitNode:
    """A unit of the tree: ``people`` hold its slots, ``open_slots`` are vacant or filled
    (its own, not its sub-units')."""

    id: str
    name: str
    unit_kind: str
    parent_id: str | None
    closed: bool
    people: int
    open_slots: int
    children: tuple[UnitNode, ...] = ()


@dataclass(frozen=True, slots=True)
class Slot:
    id: str
    position_number: str
    title: str
    job_line_code: str | None
    position_type: str
    level_min: str | None
    level_max: str | None
    staff_type: str | None
    unit_id: str | None
    unit_name: str | None
    state: str  # vacant | filled | frozen | cut
    holder_id: str | None
    holder_name: str | None


@dataclass(frozen=True, slots=True)
class SlotInput:
    """What the org admin edits on a slot; ``id`` None for a new one (the state is set
    apart, :func:`set_slot_state`)."""

    id: str | None
    position_number: str
    title: str
    job_line_code: str | None
    position_type: str
    level_min: str | None
    level_max: str | None
    staff_type: str | None
    unit_id: str | None


@dataclass(frozen=True, slots=True)
class StaffingRow:
    """A unit's slots: ``framework`` every slot not cut; ``planned`` the plan's approved
    counts for its three years (None: the plan says nothing of this unit)."""

    unit_id: str | None
    unit_name: str | None
    framework: int
    filled: int
    vacant: int
    frozen: int
    planned: tuple[int, int, int] | None


@dataclass(frozen=True, slots=True)
class StaffingOverview:
    rows: tuple[StaffingRow, ...]
    vacancies: tuple[Slot, ...]
    plan_years: tuple[int, int, int] | None  # the plan's three fiscal years (BE)


@dataclass(frozen=True, slots=True)
class PlanLine:
    id: str
    first_year_be: int
    position_title: str
    position_type: str | None
    level: str | None
    unit_id: str | None
    unit_name: str | None
    counts: tuple[int, int, int]
    note: str | None


@dataclass(frozen=True, slots=True)
class PlanLineInput:
    id: str | None
    first_year_be: int
    position_title: str
    position_type: str | None
    level: str | None
    unit_id: str | None
    counts: tuple[int, int, int]
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SetupProgress:
    """What the guided set-up shows: the office's open units, slots not cut, active users."""

    units: int
    slots: int
    users: int


# --- reading -------------------------------------------------------------------------------


def _reader(session: Session, actor_id: str, org_id: str | None) -> tuple[User, str]:
    user = actor(session, actor_id)
    org = org_id or user.org_id
    require_scope(user, org)
    return user, org


def _admin(session: Session, actor_id: str) -> User:
    user = actor(session, actor_id)
    require_role(user, Role.ORG_ADMIN)
    return user


def _unit_facts(session: Session, org_id: str) -> dict[str, UnitFacts]:
    rows = session.execute(
        select(
            OrgUnitModel.id, OrgUnitModel.org_id, OrgUnitModel.parent_id, OrgUnitModel.closed
        ).where(OrgUnitModel.org_id == org_id, OrgUnitModel.deleted.is_(False))
    )
    return {r.id: UnitFacts(r.id, r.org_id, r.parent_id, bool(r.closed)) for r in rows}


def _slot_facts(session: Session, org_id: str) -> list[SlotFacts]:
    rows = session.execute(
        select(
            PositionModel.id,
            PositionModel.org_id,
            PositionModel.unit_id,
            PositionModel.position_number,
            PositionModel.state,
            PositionModel.holder_id,
            PositionModel.staff_type,
        ).where(PositionModel.org_id == org_id, PositionModel.deleted.is_(False))
    )
    return [
        SlotFacts(
            r.id,
            r.org_id,
            r.unit_id,
            r.position_number,
            SlotState(r.state),
            r.holder_id,
            r.staff_type,
        )
        for r in rows
    ]


def slot_facts(session: Session, slot_id: str) -> SlotFacts | None:
    """One slot as the rules read it (the appointment of an approval), or None."""
    row = session.get(PositionModel, slot_id)
    if row is None or row.deleted:
        return None
    return SlotFacts(
        row.id,
        row.org_id,
        row.unit_id,
        row.position_number,
        structure.slot_state({"state": row.state}),
        row.holder_id,
        row.staff_type,
    )


def unit_tree(db: Database, actor_id: str, *, org_id: str | None = None) -> list[UnitNode]:
    """The organization's units as a tree (roots in name order, closed ones included)."""
    with db.reading() as session:
        _, org = _reader(session, actor_id, org_id)
        units = session.scalars(
            select(OrgUnitModel).where(OrgUnitModel.org_id == org, OrgUnitModel.deleted.is_(False))
        ).all()
        counts: dict[str | None, dict[str, int]] = {}
        for unit_id, state, n in session.execute(
            select(PositionModel.unit_id, PositionModel.state, func.count())
            .where(PositionModel.org_id == org, PositionModel.deleted.is_(False))
            .group_by(PositionModel.unit_id, PositionModel.state)
        ):
            counts.setdefault(unit_id, {})[state] = n
        facts = [(u.id, u.name, u.unit_kind, u.parent_id, bool(u.closed)) for u in units]
    known = {f[0] for f in facts}
    children: dict[str | None, list[tuple[str, str, str, str | None, bool]]] = {}
    for fact in facts:
        parent = fact[3] if fact[3] in known else None
        children.setdefault(parent, []).append(fact)

    def build(parent: str | None, depth: int) -> tuple[UnitNode, ...]:
        if depth > 64:  # a cycle that slipped in through old data: cut it, do not loop
            return ()
        out = []
        for uid, name, kind, parent_id, closed in sorted(
            children.get(parent, ()), key=lambda f: _thai_key(f[1])
        ):
            c = counts.get(uid, {})
            filled = c.get(SlotState.FILLED, 0)
            out.append(
                UnitNode(
                    uid,
                    name,
                    kind,
                    parent_id,
                    closed,
                    filled,
                    filled + c.get(SlotState.VACANT, 0),
                    build(uid, depth + 1),
                )
            )
        return tuple(out)

    return list(build(None, 0))


def _thai_key(text: str) -> str:
    from app.domain.thai import sort_key

    return sort_key(text)


_HOLDER = aliased(PersonModel)
_SLOT_COLUMNS = (
    PositionModel.id,
    PositionModel.position_number,
    PositionModel.title,
    PositionModel.job_line_code,
    PositionModel.position_type,
    PositionModel.level_min,
    PositionModel.level_max,
    PositionModel.staff_type,
    PositionModel.unit_id,
    OrgUnitModel.name,
    PositionModel.state,
    PositionModel.holder_id,
    _HOLDER.prefix,
    _HOLDER.first_name_th,
    _HOLDER.last_name_th,
)


def _slot_query(org_id: str) -> Any:
    return (
        select(*_SLOT_COLUMNS)
        .outerjoin(OrgUnitModel, OrgUnitModel.id == PositionModel.unit_id)
        .outerjoin(_HOLDER, _HOLDER.id == PositionModel.holder_id)
        .where(PositionModel.org_id == org_id, PositionModel.deleted.is_(False))
    )


def _slot(row: Any) -> Slot:
    name = " ".join(p for p in (row.first_name_th, row.last_name_th) if p) or None
    return Slot(
        row.id,
        row.position_number,
        row.title,
        row.job_line_code,
        row.position_type,
        row.level_min,
        row.level_max,
        row.staff_type,
        row.unit_id,
        row.name,
        row.state,
        row.holder_id,
        name,
    )


def _text_filter(query: Any, text: str | None) -> Any:
    if not text or not text.strip():
        return query
    number = structure.number_key(text)
    words = f"%{_escape(number)}%"
    return query.where(
        or_(
            PositionModel.position_number.like(words, escape="\\"),
            PositionModel.title.like(words, escape="\\"),
        )
    )


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def slots(
    db: Database,
    actor_id: str,
    *,
    unit_id: str | None = None,
    state: str | None = None,
    text: str | None = None,
    org_id: str | None = None,
) -> list[Slot]:
    """The organization's slots by position number; of one unit, in one state, or whose
    number or title holds ``text`` (Thai digits read as Arabic)."""
    with db.reading() as session:
        _, org = _reader(session, actor_id, org_id)
        query = _slot_query(org)
        if unit_id is not None:
            query = query.where(PositionModel.unit_id == unit_id)
        if state is not None:
            query = query.where(PositionModel.state == state)
        query = _text_filter(query, text).order_by(PositionModel.position_number)
        return [_slot(r) for r in session.execute(query)]


def vacant_slots(
    db: Database,
    actor_id: str,
    *,
    staff_type: str | None = None,
    text: str | None = None,
    limit: int = 200,
    org_id: str | None = None,
    include: str | None = None,
) -> list[Slot]:
    """The person editor's position picker: the organization's vacant slots by number (of
    ``staff_type`` or of no stated type), at most ``limit``; with ``include``, that slot
    first whatever its state (the person's current one)."""
    with db.reading() as session:
        _, org = _reader(session, actor_id, org_id)
        query = _slot_query(org).where(PositionModel.state == str(SlotState.VACANT))
        if staff_type is not None:
            query = query.where(
                or_(PositionModel.staff_type == staff_type, PositionModel.staff_type.is_(None))
            )
        query = _text_filter(query, text).order_by(PositionModel.position_number).limit(limit)
        found = [_slot(r) for r in session.execute(query)]
        if include is not None and all(s.id != include for s in found):
            current = session.execute(_slot_query(org).where(PositionModel.id == include)).first()
            if current is not None:
                found.insert(0, _slot(current))
        return found


def staffing_overview(
    db: Database, actor_id: str, *, org_id: str | None = None
) -> StaffingOverview:
    """Slots by unit (filled, vacant, frozen; the framework is every slot not cut) against
    the plan's counts, and the list of vacancies. The plan read is the one of the latest
    first year its lines name."""
    with db.reading() as session:
        _, org = _reader(session, actor_id, org_id)
        names = dict(
            session.execute(
                select(OrgUnitModel.id, OrgUnitModel.name).where(OrgUnitModel.org_id == org)
            ).all()
        )
        counts: dict[str | None, dict[str, int]] = {}
        for unit_id, state, n in session.execute(
            select(PositionModel.unit_id, PositionModel.state, func.count())
            .where(PositionModel.org_id == org, PositionModel.deleted.is_(False))
            .group_by(PositionModel.unit_id, PositionModel.state)
        ):
            counts.setdefault(unit_id, {})[state] = n
        plan = session.execute(
            select(
                StaffingPlanModel.first_year_be, StaffingPlanModel.unit_id, StaffingPlanModel.counts
            ).where(StaffingPlanModel.org_id == org, StaffingPlanModel.deleted.is_(False))
        ).all()
        vacancies = tuple(
            _slot(r)
            for r in session.execute(
                _slot_query(org)
                .where(PositionModel.state == str(SlotState.VACANT))
                .order_by(PositionModel.position_number)
            )
        )
    first = max((p.first_year_be for p in plan), default=None)
    planned: dict[str | None, list[int]] = {}
    for line in plan:
        if line.first_year_be == first:
            total = planned.setdefault(line.unit_id, [0, 0, 0])
            for i, n in enumerate(list(line.counts or ())[:3]):
                total[i] += int(n)
    rows = []
    for unit_id in sorted(
        set(counts) | set(planned), key=lambda u: _thai_key(names.get(u or "") or "")
    ):
        c = counts.get(unit_id, {})
        filled, vacant, frozen = (c.get(s, 0) for s in ("filled", "vacant", "frozen"))
        p = planned.get(unit_id)
        rows.append(
            StaffingRow(
                unit_id,
                names.get(unit_id) if unit_id is not None else None,
                filled + vacant + frozen,
                filled,
                vacant,
                frozen,
                (p[0], p[1], p[2]) if p else None,
            )
        )
    years = (first, first + 1, first + 2) if first is not None else None
    return StaffingOverview(tuple(rows), vacancies, years)


def plan_lines(db: Database, actor_id: str, *, org_id: str | None = None) -> list[PlanLine]:
    """The staffing plan's lines, by first year, unit and title."""
    with db.reading() as session:
        _, org = _reader(session, actor_id, org_id)
        rows = session.execute(
            select(StaffingPlanModel, OrgUnitModel.name)
            .outerjoin(OrgUnitModel, OrgUnitModel.id == StaffingPlanModel.unit_id)
            .where(StaffingPlanModel.org_id == org, StaffingPlanModel.deleted.is_(False))
        ).all()
        out = [
            PlanLine(
                p.id,
                p.first_year_be,
                p.position_title,
                p.position_type,
                p.level,
                p.unit_id,
                name,
                _counts(p.counts),
                p.note,
            )
            for p, name in rows
        ]
    out.sort(
        key=lambda line: (
            line.first_year_be,
            _thai_key(line.unit_name or ""),
            _thai_key(line.position_title),
        )
    )
    return out


def _counts(value: Any) -> tuple[int, int, int]:
    values = [int(v) for v in list(value or ())[:3]] + [0, 0, 0]
    return (values[0], values[1], values[2])


def setup_progress(db: Database, actor_id: str, *, org_id: str | None = None) -> SetupProgress:
    with db.reading() as session:
        _, org = _reader(session, actor_id, org_id)
        units = session.scalar(
            select(func.count())
            .select_from(OrgUnitModel)
            .where(
                OrgUnitModel.org_id == org,
                OrgUnitModel.deleted.is_(False),
                OrgUnitModel.closed.is_(False),
            )
        )
        slot_count = session.scalar(
            select(func.count())
            .select_from(PositionModel)
            .where(
                PositionModel.org_id == org,
                PositionModel.deleted.is_(False),
                PositionModel.state != str(SlotState.CUT),
            )
        )
        users = session.scalar(
            select(func.count())
            .select_from(UserModel)
            .where(
                UserModel.org_id == org, UserModel.deleted.is_(False), UserModel.active.is_(True)
            )
        )
    return SetupProgress(units or 0, slot_count or 0, users or 0)


# --- writing -------------------------------------------------------------------------------


def _write(
    session: Session,
    user: User,
    *,
    kind: str,
    table: str,
    entity_id: str,
    payload: dict[str, Any],
    undo: list[dict[str, Any]],
    detail: dict[str, Any],
) -> None:
    """The op for the central and the audit event of one write."""
    outbox.enqueue(
        session,
        kind=kind,
        entity_id=entity_id,
        org_id=user.org_id,
        author=user.id,
        payload=payload,
        undo=undo,
    )
    audit.append(
        session,
        org_id=user.org_id,
        actor_id=user.id,
        action=kind,
        entity_kind=table,
        entity_id=entity_id,
        detail=detail,
    )


def _own(row: Any, user: User, what: str) -> Any:
    """``row`` if it is a live row of the user's organization; else not found (a row of
    another office is not told apart from none)."""
    if row is None or row.deleted or row.org_id != user.org_id:
        raise NotFound(f"error.{what}_not_found", field="id")
    return row


def save_unit(
    db: Database,
    actor_id: str,
    *,
    unit_id: str | None,
    name: str,
    unit_kind: str,
    parent_id: str | None,
) -> str:
    """Add a unit (``unit_id`` None: its new id is returned), or rename or move one."""
    with db.transaction() as session:
        user = _admin(session, actor_id)
        if unit_id is not None:
            _own(session.get(OrgUnitModel, unit_id), user, "unit")
        uid = unit_id or new_id()
        units = _unit_facts(session, user.org_id)
        clean, kind = structure.check_unit(
            unit_id=uid,
            org_id=user.org_id,
            name=name,
            unit_kind=unit_kind,
            parent_id=parent_id,
            units=units,
        )
        undo = replica.preimages(session, [("org_unit", uid)])
        row = session.get(OrgUnitModel, uid)
        if row is None:
            row = OrgUnitModel(id=uid, org_id=user.org_id, version=0, closed=False, deleted=False)
            session.add(row)
        row.name, row.unit_kind, row.parent_id = clean, kind, parent_id
        row.updated_at, row.updated_by = utcnow(), user.id
        payload = {"name": clean, "unit_kind": kind, "parent_id": parent_id}
        _write(
            session,
            user,
            kind="unit.save",
            table="org_unit",
            entity_id=uid,
            payload=payload,
            undo=undo,
            detail={**payload, "new": unit_id is None},
        )
        return uid


def close_unit(db: Database, actor_id: str, unit_id: str) -> None:
    """Close a unit nobody holds a slot in, with no open slots or sub-units
    (:class:`StructureError` ``unit_not_empty`` otherwise, naming how many)."""
    with db.transaction() as session:
        user = _admin(session, actor_id)
        row = _own(session.get(OrgUnitModel, unit_id), user, "unit")
        if row.closed:
            return
        units = _unit_facts(session, user.org_id)
        structure.check_close(unit_id, units.values(), _slot_facts(session, user.org_id))
        undo = replica.preimages(session, [("org_unit", unit_id)])
        row.closed = True
        row.updated_at, row.updated_by = utcnow(), user.id
        _write(
            session,
            user,
            kind="unit.close",
            table="org_unit",
            entity_id=unit_id,
            payload={"unit_id": unit_id},
            undo=undo,
            detail={"name": row.name},
        )


def _fields(slot: SlotInput | PositionModel, state: str | None = None) -> SlotFields:
    return SlotFields(
        slot.position_number,
        slot.title,
        slot.job_line_code,
        slot.position_type,
        slot.level_min,
        slot.level_max,
        slot.staff_type,
        slot.unit_id,
        state,
    )


def _save_slot(session: Session, user: User, slot_id: str, fields: SlotFields, new: bool) -> str:
    current = None if new else slot_facts(session, slot_id)
    kept, state = structure.check_slot(
        slot_id,
        user.org_id,
        fields,
        current=current,
        slots=_slot_facts(session, user.org_id),
        units=_unit_facts(session, user.org_id),
    )
    undo = replica.preimages(session, [("position", slot_id)])
    row = session.get(PositionModel, slot_id)
    if row is None:
        row = PositionModel(
            id=slot_id, org_id=user.org_id, version=0, deleted=False, holder_id=None
        )
        session.add(row)
    row.position_number, row.title, row.job_line_code = (
        kept.position_number,
        kept.title,
        kept.job_line_code,
    )
    row.position_type, row.level_min, row.level_max = (
        kept.position_type,
        kept.level_min,
        kept.level_max,
    )
    row.staff_type, row.unit_id, row.state = kept.staff_type, kept.unit_id, str(state)
    row.updated_at, row.updated_by = utcnow(), user.id
    payload = {
        "position_number": kept.position_number,
        "title": kept.title,
        "job_line_code": kept.job_line_code,
        "position_type": kept.position_type,
        "level_min": kept.level_min,
        "level_max": kept.level_max,
        "staff_type": kept.staff_type,
        "unit_id": kept.unit_id,
        "state": fields.state,
    }
    session.flush()
    _write(
        session,
        user,
        kind="position.save",
        table="position",
        entity_id=slot_id,
        payload=payload,
        undo=undo,
        detail={**payload, "new": new},
    )
    return slot_id


def save_slot(db: Database, actor_id: str, slot: SlotInput) -> str:
    """Add a slot (``slot.id`` None: vacant, its new id returned) or change one (its state
    and holder stay)."""
    with db.transaction() as session:
        user = _admin(session, actor_id)
        if slot.id is not None:
            _own(session.get(PositionModel, slot.id), user, "slot")
        return _save_slot(session, user, slot.id or new_id(), _fields(slot), slot.id is None)


def set_slot_state(db: Database, actor_id: str, slot_id: str, state: str) -> None:
    """Set a slot vacant, frozen or cut by hand (never filled: that is an appointment; never
    while someone holds it)."""
    with db.transaction() as session:
        user = _admin(session, actor_id)
        row = _own(session.get(PositionModel, slot_id), user, "slot")
        _save_slot(session, user, slot_id, _fields(row, state), False)


def save_plan_line(db: Database, actor_id: str, line: PlanLineInput) -> str:
    """Add a line to the staffing plan (``line.id`` None: its new id returned) or change one."""
    with db.transaction() as session:
        user = _admin(session, actor_id)
        if line.id is not None:
            _own(session.get(StaffingPlanModel, line.id), user, "plan_line")
        elif (
            session.scalar(
                select(func.count())
                .select_from(StaffingPlanModel)
                .where(
                    StaffingPlanModel.org_id == user.org_id, StaffingPlanModel.deleted.is_(False)
                )
            )
            or 0
        ) >= structure.limits.PLAN_LINES_PER_ORG:
            raise StructureError("too_many_plan_lines", "the plan has as many lines as it may")
        fields = structure.check_plan_line(
            user.org_id,
            structure.PlanFields(
                line.first_year_be,
                line.position_title,
                line.position_type,
                line.level,
                line.unit_id,
                line.counts,
                line.note,
            ),
            _unit_facts(session, user.org_id),
        )
        lid = line.id or new_id()
        undo = replica.preimages(session, [("staffing_plan", lid)])
        row = session.get(StaffingPlanModel, lid)
        if row is None:
            row = StaffingPlanModel(id=lid, org_id=user.org_id, version=0, deleted=False)
            session.add(row)
        row.first_year_be, row.position_title = fields.first_year_be, fields.position_title
        row.position_type, row.level, row.unit_id = (
            fields.position_type,
            fields.level,
            fields.unit_id,
        )
        row.counts, row.note = list(fields.counts), fields.note
        row.updated_at, row.updated_by = utcnow(), user.id
        payload = _plan_payload(fields, deleted=False)
        _write(
            session,
            user,
            kind="plan.save",
            table="staffing_plan",
            entity_id=lid,
            payload=payload,
            undo=undo,
            detail=payload,
        )
        return lid


def _plan_payload(fields: structure.PlanFields, *, deleted: bool) -> dict[str, Any]:
    return {
        "first_year_be": fields.first_year_be,
        "position_title": fields.position_title,
        "position_type": fields.position_type,
        "level": fields.level,
        "unit_id": fields.unit_id,
        "counts": list(fields.counts),
        "note": fields.note,
        "deleted": deleted,
    }


def delete_plan_line(db: Database, actor_id: str, line_id: str) -> None:
    with db.transaction() as session:
        user = _admin(session, actor_id)
        row = _own(session.get(StaffingPlanModel, line_id), user, "plan_line")
        undo = replica.preimages(session, [("staffing_plan", line_id)])
        fields = structure.PlanFields(
            row.first_year_be,
            row.position_title,
            row.position_type,
            row.level,
            row.unit_id,
            _counts(row.counts),
            row.note,
        )
        row.deleted = True
        row.updated_at, row.updated_by = utcnow(), user.id
        payload = _plan_payload(fields, deleted=True)
        _write(
            session,
            user,
            kind="plan.save",
            table="staffing_plan",
            entity_id=line_id,
            payload=payload,
            undo=undo,
            detail=payload,
        )


def apply_slot_changes(session: Session, changes: Iterable[structure.SlotChange], by: str) -> None:
    """Write what an approval's appointment does to the slots (app.services.decisions)."""
    now = utcnow()
    for change in changes:
        row = session.get(PositionModel, change.slot_id)
        if row is not None:
            row.state, row.holder_id = str(change.state), change.holder_id
            row.updated_at, row.updated_by = now, by
