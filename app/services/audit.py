"""The audit trail: append-only and hash-chained (DESIGN.md §5).

Each event's ``hash`` is SHA-256 over its canonical JSON, which includes the previous
event's hash (app.domain.audit), so removing or editing any event breaks every hash after
it. The database
refuses UPDATE and DELETE on the table (triggers of the first migration). Every event also
becomes an ``audit.append`` op for the central.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.audit import GENESIS, event_hash
from app.domain.entities import AuditEvent
from app.domain.ids import new_id, utcnow
from app.services import outbox
from app.store.db import Database
from app.store.mapping import entity
from app.store.models import AuditEventModel

__all__ = ["GENESIS", "ChainCheck", "append", "event_hash", "events_for", "verify_chain"]


def _hashed_fields(row: AuditEventModel) -> dict[str, Any]:
    return {
        "id": row.id,
        "org_id": row.org_id,
        "actor_id": row.actor_id,
        "at": row.at.isoformat(),
        "action": row.action,
        "entity_kind": row.entity_kind,
        "entity_id": row.entity_id,
        "detail": row.detail,
        "prev_hash": row.prev_hash,
    }


def append(
    session: Session,
    *,
    org_id: str,
    actor_id: str | None,
    action: str,
    entity_kind: str,
    entity_id: str | None,
    detail: dict[str, Any] | None = None,
) -> AuditEventModel:
    """Add an event to the chain (inside the caller's transaction)."""
    prev = session.scalar(select(AuditEventModel.hash).order_by(AuditEventModel.seq.desc()))
    row = AuditEventModel(
        id=new_id(),
        org_id=org_id,
        actor_id=actor_id,
        at=utcnow(),
        action=action,
        entity_kind=entity_kind,
        entity_id=entity_id,
        detail=detail or {},
        prev_hash=prev or GENESIS,
    )
    row.hash = event_hash(_hashed_fields(row))
    session.add(row)
    session.flush()
    outbox.enqueue(
        session,
        kind="audit.append",
        entity_id=row.id,
        org_id=org_id,
        author=actor_id or "",
        payload={**_hashed_fields(row), "hash": row.hash},
    )
    return row


@dataclass(frozen=True, slots=True)
class ChainCheck:
    ok: bool
    events: int
    broken_at_seq: int | None = None


def verify_chain(db: Database) -> ChainCheck:
    """Recompute every hash in order; report the first event that does not hold."""
    prev = GENESIS
    n = 0
    with db.reading() as session:
        for row in session.scalars(select(AuditEventModel).order_by(AuditEventModel.seq)):
            n += 1
            if row.prev_hash != prev or event_hash(_hashed_fields(row)) != row.hash:
                return ChainCheck(False, n, row.seq)
            prev = row.hash
    return ChainCheck(True, n)


def events_for(db: Database, entity_id: str | None = None, limit: int = 200) -> list[AuditEvent]:
    with db.reading() as session:
        q = select(AuditEventModel).order_by(AuditEventModel.seq.desc()).limit(limit)
        if entity_id is not None:
            q = q.where(AuditEventModel.entity_id == entity_id)
        return [entity(AuditEvent, r) for r in session.scalars(q)]
