"""What every screen reads of the office's structure (issue 14): the unit tree, slots and
the person editor's vacant-slot picker, the staffing overview against the three-year plan,
the plan's lines and the guided set-up's progress; and the facts the structure rules read
(app.domain.structure) for :mod:`app.services.structure`'s writes and for an approval's
appointment (app.services.decisions).

Everyone reads their own organization, or one in their scope (``org_id``). Each call is one
read; results are frozen dataclasses, never ORM objects. The picker and the overview read an
office's slots through ``ix_position_state`` (its slots by state and number), so they stay
quick on a provincial PC of 100,000 people (``localhr bench staffing``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from app.domain import structure
from app.domain.entities import SlotState, User
from app.domain.structure import SlotFacts, UnitFacts
from app.domain.thai import sort_key
from app.services.context import actor, require_scope
from app.store.db import Database
from app.store.models import (
    OrgUnitModel,
    PersonModel,
    PositionModel,
    StaffingPlanModel,
    UserModel,
)


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
class SetupProgress:
    """What the guided set-up shows: the office's open units, slots not cut, active users."""

    units: int
    slots: int
    users: int


# --- reading -------------------------------------------------------------------------------


def reader(session: Session, actor_id: str, org_id: str | None) -> tuple[User, str]:
    user = actor(session, actor_id)
    org = org_id or user.org_id
    require_scope(user, org)
    return user, org


def unit_facts(session: Session, org_id: str) -> dict[str, UnitFacts]:
    rows = session.execute(
        select(
            OrgUnitModel.id, OrgUnitModel.org_id, OrgUnitModel.parent_id, OrgUnitModel.closed
        ).where(OrgUnitModel.org_id == org_id, OrgUnitModel.deleted.is_(False))
    )
    return {r.id: UnitFacts(r.id, r.org_id, r.parent_id, bool(r.closed)) for r in rows}


def org_slot_facts(session: Session, org_id: str) -> list[SlotFacts]:
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


def _state_counts(session: Session, org_id: str) -> dict[str | None, dict[str, int]]:
    """Unit id → slot state → how many of the organization's slots."""
    counts: dict[str | None, dict[str, int]] = {}
    for unit_id, state, n in session.execute(
        select(PositionModel.unit_id, PositionModel.state, func.count())
        .where(PositionModel.org_id == org_id, PositionModel.deleted.is_(False))
        .group_by(PositionModel.unit_id, PositionModel.state)
    ):
        counts.setdefault(unit_id, {})[state] = n
    return counts


def unit_tree(db: Database, actor_id: str, *, org_id: str | None = None) -> list[UnitNode]:
    """The organization's units as a tree (roots in name order, closed ones included)."""
    with db.reading() as session:
        _, org = reader(session, actor_id, org_id)
        units = session.scalars(
            select(OrgUnitModel).where(OrgUnitModel.org_id == org, OrgUnitModel.deleted.is_(False))
        ).all()
        counts = _state_counts(session, org)
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
        _, org = reader(session, actor_id, org_id)
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
        _, org = reader(session, actor_id, org_id)
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
        _, org = reader(session, actor_id, org_id)
        names = dict(
            session.execute(
                select(OrgUnitModel.id, OrgUnitModel.name).where(OrgUnitModel.org_id == org)
            ).all()
        )
        counts = _state_counts(session, org)
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
        _, org = reader(session, actor_id, org_id)
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
                plan_counts(p.counts),
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


def plan_counts(value: Any) -> tuple[int, int, int]:
    values = [int(v) for v in list(value or ())[:3]] + [0, 0, 0]
    return (values[0], values[1], values[2])


def setup_progress(db: Database, actor_id: str, *, org_id: str | None = None) -> SetupProgress:
    with db.reading() as session:
        _, org = reader(session, actor_id, org_id)
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
