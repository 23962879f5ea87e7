"""Writing operations for the central into the outbox (DESIGN.md §4).

Helpers here run inside the caller's transaction and never commit: an op is written in the
same transaction as the change it carries, or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.ids import new_id, utcnow
from app.store.models import Meta, OutboxOpModel

PENDING = "pending"


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    seq: int
    op_id: str
    kind: str
    entity_id: str
    state: str


def device_id(session: Session) -> str:
    return session.scalar(select(Meta.value).where(Meta.key == "device_id")) or ""


def enqueue(
    session: Session,
    *,
    kind: str,
    entity_id: str,
    org_id: str,
    author: str,
    payload: dict[str, Any],
    coalesce: bool = False,
) -> OutboxOpModel:
    """Add an op; with ``coalesce``, replace the payload of this entity's newest op instead
    when that op is of the same kind and has never left this PC, so that consecutive saves of
    one draft travel as one op. The op keeps its ``created_at``: the central dates a new
    submission by it, and the draft began when the first save was made, not the last."""
    if coalesce:
        last = session.scalars(
            select(OutboxOpModel)
            .where(OutboxOpModel.entity_id == entity_id)
            .order_by(OutboxOpModel.seq.desc())
            .limit(1)
        ).first()
        if last and last.kind == kind and last.state == PENDING and last.sent_at is None:
            last.payload = payload
            return last
    op = OutboxOpModel(
        op_id=new_id(),
        kind=kind,
        entity_id=entity_id,
        org_id=org_id,
        author=author,
        device_id=device_id(session),
        created_at=utcnow(),
        payload=payload,
        state=PENDING,
    )
    session.add(op)
    return op


def pending(session: Session) -> list[OutboxEntry]:
    rows = session.scalars(
        select(OutboxOpModel).where(OutboxOpModel.state == PENDING).order_by(OutboxOpModel.seq)
    )
    return [OutboxEntry(r.seq, r.op_id, r.kind, r.entity_id, r.state) for r in rows]
