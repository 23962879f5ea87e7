"""The office's structure at the central (issue 14): the handlers of ``unit.save``,
``unit.close``, ``position.save`` and ``plan.save``, and the slots an approval fills and
vacates (sync.central.push's ``submission.approve``).

The rules are :mod:`app.domain.structure`, the ones the desktop applies; here they run
against the central's own rows, under the organization's lock (push.apply_batch), so two
PCs cannot both take one position number. Only an org admin of the op's own organization
changes the structure (``role_required``, ``out_of_scope``); ids are owned (a unit's, slot's
or plan line's id is of its organization and table: ``id_taken``). The organization's
units, slots and plan lines hang under it (``central_row.parent_id`` = the organization's
id: c0006), so reading an office's structure is one indexed query however many people it
has. Every refusal is a :class:`StructureError` with its code, answered for the op alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.domain import limits, structure
from app.domain.entities import Role, SlotState, User
from app.domain.structure import SlotFacts, SlotFields, StructureError, UnitFacts
from sync.central.batch import Batch, Row
from sync.protocol import Op, OpResult, OpStatus
from sync.protocol.ops import (
    PlanSavePayload,
    PositionSavePayload,
    UnitClosePayload,
    UnitSavePayload,
)

UNIT, SLOT, PLAN = "org_unit", "position", "staffing_plan"


def _applied(op: Op, versions: dict[str, int]) -> OpResult:
    return OpResult(op_id=op.op_id, status=OpStatus.APPLIED, versions=versions)


def _admin(user: User, op: Op) -> None:
    if user.role is not Role.ORG_ADMIN:
        raise StructureError(
            code="role_required",
            description="only an org admin changes the office's structure",
            roles=[str(Role.ORG_ADMIN)],
        )
    if op.org_id != user.org_id:
        raise StructureError(
            code="out_of_scope",
            description="an org admin changes the structure of their own organization only",
        )


def _rows(batch: Batch, table: str, org_id: str) -> list[Row]:
    return [r for r in batch.children(table, org_id) if not r.deleted and r.org_id == org_id]


def units(batch: Batch, org_id: str) -> dict[str, UnitFacts]:
    return {
        r.id: UnitFacts(r.id, r.org_id, (r.data or {}).get("parent_id"), _closed(r))
        for r in _rows(batch, UNIT, org_id)
    }


def _closed(row: Row) -> bool:
    return bool((row.data or {}).get("closed"))


def slots(batch: Batch, org_id: str) -> list[SlotFacts]:
    return [SlotFacts.of(r.id, r.org_id, r.data or {}) for r in _rows(batch, SLOT, org_id)]


def slot_facts(batch: Batch, slot_id: str) -> SlotFacts | None:
    """A slot as the appointment rule reads it (None: no live slot has this id)."""
    row = batch.get(SLOT, slot_id)
    if row is None or row.deleted:
        return None
    return SlotFacts.of(row.id, row.org_id, row.data or {})


def publish_slot_changes(
    batch: Batch, changes: Iterable[structure.SlotChange], by: str
) -> dict[str, int]:
    """Write the slots an approval fills and vacates; their new versions."""
    versions: dict[str, int] = {}
    for change in changes:
        row = batch.get(SLOT, change.slot_id)
        if row is None or row.deleted:
            continue
        data = {**(row.data or {}), "state": str(change.state), "holder_id": change.holder_id}
        data.pop("vacant", None)  # a slot stored before states
        versions[f"{SLOT}:{row.id}"] = batch.publish(
            SLOT, row.id, row.org_id, data, parent_id=row.org_id, by=by
        )
    return versions


def _owned(batch: Batch, table: str, op: Op) -> Row | None:
    """The op's row (None: a new one): its id of no other organization, record or table
    (``id_taken``), and not a removed row."""
    batch.check_owner(table, op.entity_id, op.org_id, op.org_id)
    row = batch.get(table, op.entity_id)
    if row is not None and row.deleted:
        raise StructureError(code="not_found", description="the row was removed")
    return row


# --- handlers ------------------------------------------------------------------------------


def unit_save(batch: Batch, user: User, op: Op, payload: UnitSavePayload) -> OpResult:
    _admin(user, op)
    current = _owned(batch, UNIT, op)
    facts = units(batch, op.org_id)
    name, kind = structure.check_unit(
        unit_id=op.entity_id,
        org_id=op.org_id,
        name=payload.name,
        unit_kind=payload.unit_kind,
        parent_id=payload.parent_id,
        units=facts,
    )
    data = {
        **((current.data or {}) if current else {"closed": False}),
        "id": op.entity_id,
        "org_id": op.org_id,
        "name": name,
        "unit_kind": kind,
        "parent_id": payload.parent_id,
    }
    version = batch.publish(UNIT, op.entity_id, op.org_id, data, parent_id=op.org_id, by=user.id)
    return _applied(op, {f"{UNIT}:{op.entity_id}": version})


def unit_close(batch: Batch, user: User, op: Op, payload: UnitClosePayload) -> OpResult:
    _admin(user, op)
    if payload.unit_id != op.entity_id:
        raise StructureError(code="bad_payload", description="the payload names another unit")
    current = _owned(batch, UNIT, op)
    if current is None:
        raise StructureError(code="unit_not_found", description="the central has no such unit")
    if _closed(current):
        return _applied(op, {})
    structure.check_close(op.entity_id, units(batch, op.org_id).values(), slots(batch, op.org_id))
    data = {**(current.data or {}), "closed": True}
    version = batch.publish(UNIT, op.entity_id, op.org_id, data, parent_id=op.org_id, by=user.id)
    return _applied(op, {f"{UNIT}:{op.entity_id}": version})


def slot_data(
    before: dict[str, Any] | None, slot_id: str, org_id: str, kept: SlotFields, state: SlotState
) -> dict[str, Any]:
    """A slot's row as a hand's save leaves it: ``kept`` over what it was, its holder kept
    only while it stays filled (a hand never fills a slot; app.domain.structure)."""
    before = dict(before or {})
    holder = before.get("holder_id") if state is SlotState.FILLED else None
    before.pop("vacant", None)  # a slot stored before states
    return before | kept.values() | {
        "id": slot_id, "org_id": org_id, "state": str(state), "holder_id": holder,
    }  # fmt: skip


def position_save(batch: Batch, user: User, op: Op, payload: PositionSavePayload) -> OpResult:
    _admin(user, op)
    current = _owned(batch, SLOT, op)
    facts = SlotFacts.of(current.id, current.org_id, current.data or {}) if current else None
    fields = SlotFields.of(payload, payload.state)
    kept, state = structure.check_slot(
        op.entity_id, op.org_id, fields, current=facts, slots=slots(batch, op.org_id),
        units=units(batch, op.org_id),
    )  # fmt: skip
    data = slot_data(current.data if current else None, op.entity_id, op.org_id, kept, state)
    version = batch.publish(SLOT, op.entity_id, op.org_id, data, parent_id=op.org_id, by=user.id)
    return _applied(op, {f"{SLOT}:{op.entity_id}": version})


def plan_save(batch: Batch, user: User, op: Op, payload: PlanSavePayload) -> OpResult:
    _admin(user, op)
    current = _owned(batch, PLAN, op)
    if payload.deleted:
        if current is None:
            raise StructureError(code="not_found", description="the plan has no such line")
        version = batch.publish(PLAN, op.entity_id, op.org_id, dict(current.data or {}),
                                parent_id=op.org_id, deleted=True, by=user.id)  # fmt: skip
        return _applied(op, {f"{PLAN}:{op.entity_id}": version})
    if current is None and len(_rows(batch, PLAN, op.org_id)) >= limits.PLAN_LINES_PER_ORG:
        raise StructureError(code="too_many_plan_lines", description="the plan is full",
                             max=limits.PLAN_LINES_PER_ORG)  # fmt: skip
    fields = structure.check_plan_line(
        op.org_id, structure.PlanFields.of(payload), units(batch, op.org_id)
    )
    data: dict[str, Any] = {"id": op.entity_id, "org_id": op.org_id, **fields.values()}
    version = batch.publish(PLAN, op.entity_id, op.org_id, data, parent_id=op.org_id, by=user.id)
    return _applied(op, {f"{PLAN}:{op.entity_id}": version})
