"""The org admin's use cases on the office's structure (issue 14): units, position slots and
the three-year staffing plan; with the reads every screen makes of them
(:mod:`app.services.structure_views`, re-exported here: one API for the office's screens).

Each write is one transaction that changes the local rows, writes its op for the central
(``unit.save``, ``unit.close``, ``position.save``, ``plan.save``; its undo list included, so a
refusal puts the rows back) and an audit event: it works offline, and a pull never writes
over the edit before the central has answered it (app.services.replica). The rules are
:mod:`app.domain.structure`, the ones the central checks; a refusal is a
:class:`~app.domain.structure.StructureError` with its code. Only an org admin writes, and
only in their own organization. Nothing here returns an ORM object.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import limits, structure
from app.domain.entities import Role, User
from app.domain.errors import NotFound
from app.domain.ids import new_id, utcnow
from app.domain.structure import PlanFields, SlotFields, StructureError
from app.services import audit, outbox, replica
from app.services.context import actor, require_role
from app.services.structure_views import (
    PlanLine,
    SetupProgress,
    Slot,
    StaffingOverview,
    StaffingRow,
    UnitNode,
    org_slot_facts,
    plan_lines,
    setup_progress,
    slot_facts,
    slots,
    staffing_overview,
    unit_facts,
    unit_tree,
    vacant_slots,
)
from app.store.db import Database
from app.store.models import OrgUnitModel, PositionModel, StaffingPlanModel

__all__ = [
    "PlanLine",
    "PlanLineInput",
    "SetupProgress",
    "Slot",
    "SlotInput",
    "StaffingOverview",
    "StaffingRow",
    "UnitNode",
    "apply_slot_changes",
    "close_unit",
    "delete_plan_line",
    "plan_lines",
    "save_plan_line",
    "save_slot",
    "save_unit",
    "set_slot_state",
    "setup_progress",
    "slot_facts",
    "slots",
    "staffing_overview",
    "unit_tree",
    "vacant_slots",
]


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
class PlanLineInput:
    id: str | None
    first_year_be: int
    position_title: str
    position_type: str | None
    level: str | None
    unit_id: str | None
    counts: tuple[int, int, int]
    note: str | None = None


def _admin(session: Session, actor_id: str) -> User:
    user = actor(session, actor_id)
    require_role(user, Role.ORG_ADMIN)
    return user


def _own(row: Any, user: User, what: str) -> Any:
    """``row`` if it is a live row of the user's organization; else not found (a row of
    another office is not told apart from none)."""
    if row is None or row.deleted or row.org_id != user.org_id:
        raise NotFound(f"error.{what}_not_found", field="id")
    return row


def _write(
    session: Session, user: User, row: Any, kind: str, payload: dict[str, Any],
    undo: list[dict[str, Any]], **detail: Any,
) -> None:  # fmt: skip
    """Stamp ``row`` and write the op for the central and the audit event of one write."""
    row.updated_at, row.updated_by = utcnow(), user.id
    table = row.__tablename__
    outbox.enqueue(session, kind=kind, entity_id=row.id, org_id=user.org_id, author=user.id,
                   payload=payload, undo=undo)  # fmt: skip
    audit.append(session, org_id=user.org_id, actor_id=user.id, action=kind, entity_kind=table,
                 entity_id=row.id, detail={**payload, **detail})  # fmt: skip


def _row(
    session: Session, model: Any, row_id: str, user: User, **new: Any
) -> tuple[Any, list[dict[str, Any]]]:
    """The row to write (made when new) and its undo list (as it was before)."""
    undo = replica.preimages(session, [(model.__tablename__, row_id)])
    row = session.get(model, row_id)
    if row is None:
        row = model(id=row_id, org_id=user.org_id, version=0, deleted=False, **new)
        session.add(row)
    return row, undo


# --- units -----------------------------------------------------------------------------------


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
        clean, kind = structure.check_unit(
            unit_id=uid, org_id=user.org_id, name=name, unit_kind=unit_kind,
            parent_id=parent_id, units=unit_facts(session, user.org_id),
        )  # fmt: skip
        row, undo = _row(session, OrgUnitModel, uid, user, closed=False)
        row.name, row.unit_kind, row.parent_id = clean, kind, parent_id
        payload = {"name": clean, "unit_kind": kind, "parent_id": parent_id}
        _write(session, user, row, "unit.save", payload, undo, new=unit_id is None)
        return uid


def close_unit(db: Database, actor_id: str, unit_id: str) -> None:
    """Close a unit nobody holds a slot in, with no open slots or sub-units
    (:class:`StructureError` ``unit_not_empty`` otherwise, naming how many)."""
    with db.transaction() as session:
        user = _admin(session, actor_id)
        row = _own(session.get(OrgUnitModel, unit_id), user, "unit")
        if row.closed:
            return
        units = unit_facts(session, user.org_id).values()
        structure.check_close(unit_id, units, org_slot_facts(session, user.org_id))
        row, undo = _row(session, OrgUnitModel, unit_id, user)
        row.closed = True
        _write(session, user, row, "unit.close", {"unit_id": unit_id}, undo, name=row.name)


# --- slots -----------------------------------------------------------------------------------


def _save_slot(session: Session, user: User, slot_id: str, fields: SlotFields, new: bool) -> str:
    kept, state = structure.check_slot(
        slot_id, user.org_id, fields, current=None if new else slot_facts(session, slot_id),
        slots=org_slot_facts(session, user.org_id), units=unit_facts(session, user.org_id),
    )  # fmt: skip
    row, undo = _row(session, PositionModel, slot_id, user, holder_id=None)
    for name, value in kept.values().items():
        setattr(row, name, value)
    row.state = str(state)
    session.flush()
    payload = {**kept.values(), "state": fields.state}
    _write(session, user, row, "position.save", payload, undo, new=new)
    return slot_id


def save_slot(db: Database, actor_id: str, slot: SlotInput) -> str:
    """Add a slot (``slot.id`` None: vacant, its new id returned) or change one (its state
    and holder stay)."""
    with db.transaction() as session:
        user = _admin(session, actor_id)
        if slot.id is not None:
            _own(session.get(PositionModel, slot.id), user, "slot")
        return _save_slot(session, user, slot.id or new_id(), SlotFields.of(slot), slot.id is None)


def set_slot_state(db: Database, actor_id: str, slot_id: str, state: str) -> None:
    """Set a slot vacant, frozen or cut by hand (never filled: that is an appointment; never
    while someone holds it)."""
    with db.transaction() as session:
        user = _admin(session, actor_id)
        row = _own(session.get(PositionModel, slot_id), user, "slot")
        _save_slot(session, user, slot_id, SlotFields.of(row, state), False)


def apply_slot_changes(session: Session, changes: Iterable[structure.SlotChange], by: str) -> None:
    """Write what an approval's appointment does to the slots (app.services.decisions)."""
    now = utcnow()
    for change in changes:
        row = session.get(PositionModel, change.slot_id)
        if row is not None:
            row.state, row.holder_id = str(change.state), change.holder_id
            row.updated_at, row.updated_by = now, by


# --- the staffing plan -----------------------------------------------------------------------


def _put_plan_line(
    session: Session, user: User, line_id: str, fields: PlanFields, *, deleted: bool
) -> None:
    row, undo = _row(session, StaffingPlanModel, line_id, user)
    for name, value in fields.values().items():
        setattr(row, name, value)
    row.deleted = deleted
    payload = {**fields.values(), "deleted": deleted}
    _write(session, user, row, "plan.save", payload, undo)


def save_plan_line(db: Database, actor_id: str, line: PlanLineInput) -> str:
    """Add a line to the staffing plan (``line.id`` None: its new id returned) or change one."""
    with db.transaction() as session:
        user = _admin(session, actor_id)
        if line.id is not None:
            _own(session.get(StaffingPlanModel, line.id), user, "plan_line")
        else:
            _room_for_a_line(session, user.org_id)
        fields = structure.check_plan_line(
            user.org_id, PlanFields.of(line), unit_facts(session, user.org_id)
        )
        line_id = line.id or new_id()
        _put_plan_line(session, user, line_id, fields, deleted=False)
        return line_id


def _room_for_a_line(session: Session, org_id: str) -> None:
    lines = session.scalar(
        select(func.count()).select_from(StaffingPlanModel).where(
            StaffingPlanModel.org_id == org_id, StaffingPlanModel.deleted.is_(False))
    )  # fmt: skip
    if (lines or 0) >= limits.PLAN_LINES_PER_ORG:
        raise StructureError("too_many_plan_lines", "the plan has as many lines as it may",
                             max=limits.PLAN_LINES_PER_ORG)  # fmt: skip


def delete_plan_line(db: Database, actor_id: str, line_id: str) -> None:
    with db.transaction() as session:
        user = _admin(session, actor_id)
        row = _own(session.get(StaffingPlanModel, line_id), user, "plan_line")
        _put_plan_line(session, user, line_id, PlanFields.of(row), deleted=True)
