"""Writing operations for the central into the outbox (DESIGN.md §4).

Helpers here run inside the caller's transaction and never commit: an op is written in the
same transaction as the change it carries, or not at all.

An op is signed by its author (DESIGN.md §5) when it is made, if the author's key is
unlocked at this PC (:class:`app.services.context.Signer`); else at the author's next login
(:func:`sign_queued`). The sync engine sends only signed ops.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, Update, case, func, select, update
from sqlalchemy.orm import Session

from app.domain import signing
from app.domain.ids import new_id, utcnow
from app.services.context import signer_of
from app.store.changes import note_enqueued
from app.store.db import Database
from app.store.models import Meta, OutboxOpModel, UserModel

# pending → sent (left this PC, no answer yet) → applied | conflict | rejected; a conflict or
# a rejection the user has seen and set aside is dismissed.
PENDING, SENT, APPLIED, CONFLICT, REJECTED, DISMISSED = (
    "pending", "sent", "applied", "conflict", "rejected", "dismissed",
)  # fmt: skip
UNANSWERED = (PENDING, SENT)
ATTENTION = (CONFLICT, REJECTED)
# The central refused the op's signature (its author's key revoked there, say): the op is
# kept and sent again once its author's next login has signed it with a key that counts.
SIGNATURE_CODES = frozenset({"unsigned", "bad_signature"})
# A rejection with these codes is not the op's fault: the central's own failure, a USB
# bundle that could not carry it (its author did not sign the bundle), or its signature. It
# is sent again.
RETRY_CODES = frozenset({"internal", "not_signer", "unproven_author"}) | SIGNATURE_CODES


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
    undo: list[dict[str, Any]] | None = None,
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
            _sign_made(session, last)
            note_enqueued(session)  # a newer version to send: the sync waits for it as well
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
        undo=undo,
    )
    _sign_made(session, op)
    session.add(op)
    note_enqueued(session)
    return op


def op_value(op: OutboxOpModel) -> dict[str, Any]:
    """What the op's signature covers (:func:`app.domain.signing.op_value`)."""
    return signing.op_value(
        op_id=op.op_id, kind=op.kind, entity_id=op.entity_id, org_id=op.org_id,
        author=op.author, device_id=op.device_id, created_at=op.created_at,
        payload=op.payload,
    )  # fmt: skip


def sign(op: OutboxOpModel, private_key: bytes) -> None:
    op.signature = signing.sign(private_key, signing.OP_CONTEXT, op_value(op))


def _sign_made(session: Session, op: OutboxOpModel) -> None:
    """Sign a new (or coalesced) op with its author's key if it is unlocked here; else
    leave it unsigned, to be signed at the author's next login."""
    signer = signer_of(session)
    key = signer.key_for(op.author) if signer is not None and op.device_id else None
    if key is None:
        op.signature = None
    else:
        sign(op, key)


def sign_queued(session: Session, user_id: str, private_key: bytes) -> int:
    """Sign ``user_id``'s unanswered ops that lack a signature by this key or carry another
    PC's id (made before this PC was registered, before signatures existed, or signed with a
    key since replaced): at their login, in the caller's transaction. How many."""
    kid = signing.key_id(signing.KeyPair.public_of(private_key))
    here = device_id(session)
    count = 0
    for op in session.scalars(
        select(OutboxOpModel).where(
            OutboxOpModel.author == user_id, OutboxOpModel.state.in_(UNANSWERED)
        )
    ):
        if op.device_id == here and signing.signature_key_id(op.signature) == kid:
            continue
        op.device_id = here
        sign(op, private_key)
        count += 1
    session.flush()
    return count


def pending(session: Session) -> list[OutboxEntry]:
    rows = session.scalars(
        select(OutboxOpModel).where(OutboxOpModel.state == PENDING).order_by(OutboxOpModel.seq)
    )
    return [OutboxEntry(r.seq, r.op_id, r.kind, r.entity_id, r.state) for r in rows]


# --- what the sync engine and the status bar need (each call one transaction) -------------


@dataclass(frozen=True, slots=True)
class QueuedOp:
    """An unanswered op as the sync engine sends it (the protocol's op fields)."""

    seq: int
    op_id: str
    kind: str
    entity_id: str
    org_id: str
    author: str
    device_id: str
    created_at: dt.datetime
    payload: dict[str, Any]
    sent: bool
    signature: str | None = None

    def wire(self) -> dict[str, Any]:
        return {
            "op_id": self.op_id, "kind": self.kind, "entity_id": self.entity_id,
            "org_id": self.org_id, "author": self.author, "device_id": self.device_id,
            "created_at": self.created_at, "payload": self.payload,
            "signature": self.signature,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Counts:
    pending: int  # not answered yet (never sent, or sent without an answer)
    attention: int  # conflicts and rejections the user has not set aside


@dataclass(frozen=True, slots=True)
class Attention:
    """An op the central did not apply, with its reason, for the user to act on."""

    op_id: str
    kind: str
    entity_id: str
    author: str
    author_name: str
    created_at: dt.datetime
    state: str  # conflict | rejected
    code: str | None
    message: str | None
    conflicts: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class Recorded:
    applied: int = 0
    conflict: int = 0
    rejected: int = 0
    retry: int = 0  # the central failed on them; they stay unanswered


def unanswered(db: Database, limit: int | None = None) -> list[QueuedOp]:
    """Ops not answered yet, in the order they were made."""
    query = (
        select(OutboxOpModel)
        .where(OutboxOpModel.state.in_(UNANSWERED))
        .order_by(OutboxOpModel.seq)
        .limit(limit)
    )
    with db.reading() as session:
        return [
            QueuedOp(
                r.seq,
                r.op_id,
                r.kind,
                r.entity_id,
                r.org_id,
                r.author,
                r.device_id,
                r.created_at,
                r.payload,
                r.state == SENT,
                r.signature,
            )
            for r in session.scalars(query)
        ]


def mark_sent(db: Database, op_ids: Iterable[str], at: dt.datetime | None = None) -> None:
    """Record that these ops are leaving this PC: from now on a save is a new op (it no
    longer coalesces into one the central may already hold)."""
    ids = list(op_ids)
    with db.transaction() as session:
        session.execute(
            update(OutboxOpModel)
            .where(OutboxOpModel.op_id.in_(ids), OutboxOpModel.state.in_(UNANSWERED))
            .values(state=SENT, sent_at=at or utcnow())
        )


def record(
    session: Session, results: Iterable[Mapping[str, Any]]
) -> tuple[Recorded, list[list[dict[str, Any]]]]:
    """Store the central's answers (protocol ``OpResult`` in JSON form) in the caller's
    transaction; also the undo lists of the ops refused now, in the order the ops were made.
    An answer for an op that is already answered changes nothing (a receipt read twice).
    Use :func:`app.services.replica.settle`, which also puts refused changes back."""
    counts = dict.fromkeys(("applied", "conflict", "rejected", "retry"), 0)
    refused: list[tuple[int, list[dict[str, Any]]]] = []
    for result in results:
        status = str(result["status"])
        retry = status == REJECTED and result.get("code") in RETRY_CODES
        op = session.scalar(
            select(OutboxOpModel).where(
                OutboxOpModel.op_id == result["op_id"], OutboxOpModel.state.in_(UNANSWERED)
            )
        )
        if op is None:
            continue
        op.state, op.result = (SENT if retry else status), dict(result)
        counts["retry" if retry else status] += 1
        if status in ATTENTION and not retry and op.undo:
            refused.append((op.seq, op.undo))
    session.flush()
    return Recorded(**counts), [undo for _, undo in sorted(refused, key=lambda r: r[0])]


def record_results(db: Database, results: Iterable[Mapping[str, Any]]) -> Recorded:
    """Store the central's answers and put back what refused ops changed here: one
    transaction (see :func:`app.services.replica.settle`)."""
    from app.services import replica  # replica builds on this module

    return replica.settle(db, results)


def counts(db: Database) -> Counts:
    with db.reading() as session:
        by_state = dict(
            session.execute(
                select(OutboxOpModel.state, func.count()).group_by(OutboxOpModel.state)
            ).all()
        )
    return Counts(
        pending=sum(by_state.get(s, 0) for s in UNANSWERED),
        attention=sum(by_state.get(s, 0) for s in ATTENTION),
    )


def attention(db: Database) -> list[Attention]:
    """Conflicts and rejections not set aside, oldest first."""
    query = (
        select(OutboxOpModel, UserModel.display_name)
        .outerjoin(UserModel, UserModel.id == OutboxOpModel.author)
        .where(OutboxOpModel.state.in_(ATTENTION))
        .order_by(OutboxOpModel.seq)
    )
    with db.reading() as session:
        out = []
        for op, name in session.execute(query):
            result = op.result or {}
            out.append(
                Attention(
                    op.op_id,
                    op.kind,
                    op.entity_id,
                    op.author,
                    name or "",
                    op.created_at,
                    op.state,
                    result.get("code"),
                    result.get("message"),
                    tuple(result.get("conflicts") or ()),
                )
            )
        return out


def dismiss(db: Database, op_id: str) -> bool:
    """Set a conflict or rejection aside (the user has dealt with it); True if it was one."""
    with db.transaction() as session:
        return bool(
            _updated(
                session,
                update(OutboxOpModel)
                .where(OutboxOpModel.op_id == op_id, OutboxOpModel.state.in_(ATTENTION))
                .values(state=DISMISSED),
            )
        )


def adopt_device(db: Database, device_id: str) -> int:
    """This PC was registered at the central as ``device_id``: make it the id new ops carry,
    and give it to the ops made before that have not left the PC (their signatures, made
    over the old id, are dropped: the author's next login signs them). Returns how many."""
    with db.transaction() as session:
        row = session.get(Meta, "device_id")
        if row is None:
            session.add(Meta(key="device_id", value=device_id))
        else:
            row.value = device_id
        return _updated(
            session,
            update(OutboxOpModel)
            .where(OutboxOpModel.state == PENDING, OutboxOpModel.sent_at.is_(None))
            .values(
                device_id=device_id,
                signature=case(
                    (OutboxOpModel.device_id == device_id, OutboxOpModel.signature), else_=None
                ),
            ),
        )


def _updated(session: Session, stmt: Update) -> int:
    """Run an UPDATE; how many rows it changed."""
    # An UPDATE's result is a CursorResult; Session.execute is typed for any statement.
    return cast(CursorResult[Any], session.execute(stmt)).rowcount
