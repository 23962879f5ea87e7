"""Applying pushed ops: one transaction a batch, one answer an op, idempotent by ``op_id``.

The central trusts nothing from a client (DESIGN.md §5): every op's payload is read with
its kind's model (:mod:`sync.protocol.ops`, bounds of :mod:`app.domain.limits`), checked
against its author's role and scope and the rules of :mod:`app.domain.rules` (the ones the
desktop applies), and an approval runs the authoritative three-way merge against the
central's own official record. Ids are owned (:meth:`Batch.check_owner`): an op naming an id
of another organization, record or table is refused (``id_taken``). Times the central sets
(``submitted_at``, ``decided_at``) are its own; what the client claimed is kept beside them
(``*claimed_at``). An op that fails is dropped from the batch and answered ``rejected`` (or
``conflict``) without blocking the ops after it; its answer is stored, so a re-sent op (a
lost answer, a retried batch, two pushes at once) gets the same answer and has no second
effect.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import codec, limits, merge, rules, workflow
from app.domain.audit import GENESIS, HASHED, event_hash
from app.domain.entities import (
    HistoryChanges,
    Person,
    Role,
    Submission,
    SubmissionKind,
    SubmissionState,
    User,
)
from app.domain.errors import DomainError, InvalidInput
from app.domain.ids import utcnow
from app.domain.structure import SlotTaken, StructureError
from app.domain.workflow import Action
from sync.central import signatures, structure_ops
from sync.central.auth import Principal
from sync.central.batch import Batch, IdTaken, Raced, one_of
from sync.central.db import CentralDB
from sync.central.models import CentralOp, CentralUser
from sync.protocol import Op, OpKind, OpResult, OpStatus
from sync.protocol.ops import (
    ApprovePayload,
    AuditAppendPayload,
    PayloadError,
    ReturnPayload,
    SubmissionSavePayload,
    SubmissionSubmitPayload,
    WithdrawPayload,
    parse_payload,
)

log = logging.getLogger(__name__)

EDITABLE = Person.EDITABLE
INTERNAL = "internal"  # an op the central failed on: answered, not kept, tried again if re-sent
RACE_ATTEMPTS = 3  # runs of a batch that found one of its ops stored meanwhile (Raced)


class Rejected(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def apply_batch(db: CentralDB, principal: Principal, ops: list[Op]) -> list[OpResult]:
    """Apply ``ops`` in order in one transaction; return one result per op, in order."""
    # Signatures are checked before the organizations are locked: the check is most of an
    # op's CPU (Ed25519), and other pushes of these organizations need not wait for it.
    with db.reading() as session:
        unsigned = signatures.refusals(session, [op for op in ops if _own(principal, op)])
    for attempt in range(1, RACE_ATTEMPTS + 1):
        try:
            return _apply_batch(db, principal, ops, unsigned)
        except Raced:
            # Another push stored one of these ops while this one ran (and was rolled back):
            # run again, to answer with what is stored now.
            if attempt == RACE_ATTEMPTS:
                raise
            log.info("push raced another push of the same ops; running it again")
    raise AssertionError("unreachable")


def _apply_batch(
    db: CentralDB, principal: Principal, ops: list[Op], unsigned: dict[str, OpResult]
) -> list[OpResult]:
    """``unsigned``: the ops refused for their signature (signatures.refusals)."""
    results: list[OpResult] = []
    with db.transaction() as session:
        db.lock_orgs(session, {op.org_id for op in ops} & principal.user.scope)
        batch = Batch(session)
        answered = _stored_results(session, [op.op_id for op in ops], principal.user.id)
        fresh = [op for op in ops if op.op_id not in answered]
        _prefetch(batch, [op for op in fresh if op.op_id not in unsigned])
        for op in ops:
            if op.op_id in answered or op.op_id in unsigned:  # a signature refusal: not kept
                results.append(answered.get(op.op_id) or unsigned[op.op_id])
                continue
            result = _apply_one(batch, principal, op)
            results.append(result)
            if result.code == INTERNAL:
                continue  # not kept: the op is tried again when it is sent again
            answered[op.op_id] = result
            batch.ops.append(
                {
                    "op_id": op.op_id,
                    "org_id": op.org_id,
                    "device_id": principal.device_id,
                    "author": op.author,
                    "kind": op.kind[:48],
                    "received_at": utcnow(),
                    "status": str(result.status),
                    "result": result.model_dump(mode="json"),
                }
            )
        batch.store()
    return results


def _own(principal: Principal, op: Op) -> bool:
    """An op the caller may send (its author and PC); others are refused as such."""
    return op.author == principal.user.id and op.device_id == principal.device_id


def _stored_results(
    session: Session, op_ids: list[str], author: str | None = None
) -> dict[str, OpResult]:
    """The stored answers of the ops the central has. With ``author``, an op another user
    sent is answered ``op_id_taken`` instead: its answer (a conflict holds a person's
    values) is for its author only."""
    found: dict[str, OpResult] = {}
    for i in range(0, len(op_ids), 500):
        rows = session.execute(
            select(CentralOp.op_id, CentralOp.result, CentralOp.author).where(
                one_of(session, CentralOp.op_id, op_ids[i : i + 500])
            )
        )
        for op_id, result, sender in rows:
            if author is not None and sender != author:
                found[op_id] = OpResult(
                    op_id=op_id,
                    status=OpStatus.REJECTED,
                    code="op_id_taken",
                    message="another user's op has this op_id",
                )
            else:
                found[op_id] = OpResult.model_validate(result)
    return found


def _prefetch(batch: Batch, ops: list[Op]) -> None:
    """Load the submissions, people and decision ids the batch is about, in a few queries."""
    subs = [op for op in ops if op.kind.startswith("submission.")]
    batch.prefetch(("submission", op.entity_id) for op in subs)
    people, decisions = set(), set()
    for op in subs:
        payload = op.payload.get("submission", op.payload)
        if isinstance(payload, dict) and isinstance(payload.get("person_id"), str):
            people.add(payload["person_id"][: limits.MAX_ID])
        stored = batch.live_data("submission", op.entity_id)
        if stored and isinstance(stored.get("person_id"), str):
            people.add(stored["person_id"])
        if isinstance(op.payload.get("decision_id"), str):
            decisions.add(op.payload["decision_id"][: limits.MAX_ID])
    batch.prefetch(("person", p) for p in people)
    batch.prefetch_children("submission", people)  # who else names a new person's id
    batch.load_ids(decisions)


def _apply_one(batch: Batch, principal: Principal, op: Op) -> OpResult:
    with batch.op():
        try:
            result = _dispatch(batch, principal, op)
        except Rejected as exc:
            return _rejected(op, exc.code, exc.message)
        except IdTaken as exc:
            return _rejected(op, "id_taken", str(exc))
        except DomainError as exc:
            return _rejected(op, exc.code, exc.message_key, detail=exc)
        except Exception:
            log.exception("op %s (%s) failed", op.op_id, op.kind)
            return _rejected(op, INTERNAL, "the central failed on this op; send it again later")
        if result.status is OpStatus.APPLIED:
            batch.apply()
        return result


def _rejected(op: Op, code: str, message: str, detail: DomainError | None = None) -> OpResult:
    if isinstance(detail, InvalidInput):
        message = "; ".join(f"{i.field or '-'}: {i.message_key}" for i in detail.errors) or message
    elif isinstance(detail, StructureError):
        message = detail.description  # a structure rule's words (app.domain.structure)
    return OpResult(op_id=op.op_id, status=OpStatus.REJECTED, code=code, message=message)


def _dispatch(batch: Batch, principal: Principal, op: Op) -> OpResult:
    if op.author != principal.user.id:
        raise Rejected("author_mismatch", "the op's author is not the user who pushed it")
    if op.device_id != principal.device_id:
        raise Rejected("device_mismatch", "the op was made on another device")
    if op.org_id not in principal.user.scope:
        raise Rejected("out_of_scope", "the op's organization is outside the user's scope")
    try:
        kind = OpKind(op.kind)
    except ValueError:
        raise Rejected("unknown_kind", f"unknown op kind {op.kind!r}") from None
    _check_envelope(op)
    try:
        payload = parse_payload(kind, op.payload)
    except PayloadError as exc:
        raise Rejected("bad_payload", exc.reason) from None
    return HANDLERS[kind](batch, _actor(batch, op.author), op, payload)


def _check_envelope(op: Op) -> None:
    """Ids in canonical UUID form; a claimed time with its UTC offset."""
    for name in ("op_id", "entity_id"):
        if not limits.is_uuid(getattr(op, name)):
            raise Rejected("bad_id", f"{name} must be a UUID in canonical form")
    if op.created_at.tzinfo is None or op.created_at.utcoffset() is None:
        raise Rejected("bad_time", "created_at needs its UTC offset")


def _actor(batch: Batch, user_id: str) -> User:
    key = ("user", user_id)
    if key not in batch.cache:
        batch.cache[key] = batch.session.get(CentralUser, user_id)
    row = batch.cache[key]
    if row is None:
        raise Rejected("unknown_user", "the op's author is not a user of the central")
    return User(
        id=row.id,
        org_id=row.org_id,
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        scope_org_ids=tuple(row.scope_org_ids or ()),
        active=row.active,
    )


def _applied(op: Op, versions: dict[str, int]) -> OpResult:
    return OpResult(op_id=op.op_id, status=OpStatus.APPLIED, versions=versions)


def _now() -> str:
    return utcnow().isoformat()


# --- submissions -------------------------------------------------------------------------


def _submission(data: dict[str, Any]) -> Submission:
    hist = data.get("history") or {}
    history = HistoryChanges(
        added=tuple(hist.get("added", ())),
        updated=dict(hist.get("updated", {})),
        deleted=dict(hist.get("deleted", {})),
    )
    return codec.build(Submission, {**data, "history": history})


def _stored_submission(batch: Batch, op: Op, submission_id: str) -> tuple[dict, Submission]:
    if submission_id != op.entity_id:
        raise Rejected("bad_payload", "the payload is about another submission")
    data = batch.live_data("submission", op.entity_id)
    if data is None:
        raise Rejected("not_found", "the central has no such submission")
    current = _submission(data)
    if current.org_id != op.org_id:
        raise Rejected("out_of_scope", "the submission belongs to another organization")
    _check_person_owner(batch, current)
    return data, current


def _check_person_owner(batch: Batch, submission: Submission) -> None:
    """The submission's person, if the central has it, is of the submission's organization
    (a new person's id taken by another organization since): refused without a word of the
    other person's values."""
    person = batch.get("person", submission.person_id)
    if person is not None and person.org_id != submission.org_id:
        raise Rejected("id_taken", "the submission's person id belongs to another organization")


def _publish_submission(batch: Batch, data: dict[str, Any], by: str) -> dict[str, int]:
    data = {**data, "updated_at": _now(), "updated_by": by}
    version = batch.publish(
        "submission", data["id"], data["org_id"], data, parent_id=data["person_id"], by=by
    )
    return {f"submission:{data['id']}": version}


def _content(op: Op, payload: SubmissionSavePayload) -> dict[str, Any]:
    """What the author may say about a submission (state, decisions and times are the
    central's to set)."""
    if payload.id is not None and payload.id != op.entity_id:
        raise Rejected("bad_payload", "the payload is about another submission")
    history = payload.history
    return {
        "person_id": payload.person_id,
        "kind": str(payload.kind),
        "base_version": payload.base_version,
        "changes": {name: list(pair) for name, pair in payload.changes.items()},
        "history": {
            "added": list(history.added),
            "updated": {r: {f: list(p) for f, p in d.items()} for r, d in history.updated.items()},
            "deleted": dict(history.deleted),
        },
    }


def _new_person_id(batch: Batch, person_id: str, org_id: str) -> None:
    """A new person's id is in no table yet, nor named by another organization's
    submission."""
    if batch.holders(person_id):
        raise Rejected("id_taken", "the new person's id is already in use")
    if any(r.org_id != org_id for r in batch.children("submission", person_id)):
        raise Rejected("id_taken", "the new person's id is another organization's")


def _saved(batch: Batch, user: User, op: Op, payload: SubmissionSavePayload) -> dict[str, Any]:
    """The submission after the author's edit, as it is to be stored (not yet published)."""
    content = _content(op, payload)
    existing = batch.live_data("submission", op.entity_id)
    if existing is not None:
        current = _submission(existing)
        if current.org_id != op.org_id:
            raise Rejected("out_of_scope", "the submission belongs to another organization")
        state = workflow.check(current, user, Action.EDIT)
        if content["person_id"] != current.person_id or content["kind"] != str(current.kind):
            raise Rejected("bad_payload", "a submission cannot change its person or kind")
        return {**existing, **content, "state": str(state)}
    if user.role is Role.AUDITOR:
        raise Rejected("forbidden", "an auditor cannot propose changes")
    kind = SubmissionKind(content["kind"])
    official = batch.get("person", content["person_id"])
    if kind is SubmissionKind.NEW_PERSON:
        _new_person_id(batch, content["person_id"], op.org_id)
    elif official is None or official.deleted:
        raise Rejected("not_found", "the submission is about a person the central does not have")
    elif official.org_id != op.org_id:
        raise Rejected("out_of_scope", "the person belongs to another organization")
    return {
        **content,
        "id": op.entity_id,
        "org_id": op.org_id,
        "author_id": user.id,
        "state": str(SubmissionState.DRAFT),
        "created_at": op.created_at.isoformat(),
        "received_at": _now(),
        "return_reason": None,
        "field_comments": {},
        "submitted_at": None,
        "decided_at": None,
        "decided_by": None,
        "version": 0,
        "deleted": False,
    }


def _save(batch: Batch, user: User, op: Op, payload: SubmissionSavePayload) -> OpResult:
    data = _saved(batch, user, op, payload)
    return _applied(op, _publish_submission(batch, data, user.id))


def _official_fields(batch: Batch, person_id: str) -> dict[str, Any]:
    data = batch.live_data("person", person_id) or {}
    return {name: data.get(name) for name in EDITABLE} if data else {}


def _official_history(batch: Batch, person_id: str) -> dict[str, dict[str, Any]]:
    return {
        row.id: {**(row.data or {}), "id": row.id, "deleted": row.deleted}
        for row in batch.children("history_row", person_id)
    }


def _submit(batch: Batch, user: User, op: Op, payload: SubmissionSubmitPayload) -> OpResult:
    data = _saved(batch, user, op, payload.submission)
    submission = _submission(data)
    _check_person_owner(batch, submission)
    for row in submission.history.added:  # refused now rather than at the approval
        batch.check_owner("history_row", row["id"], submission.org_id, submission.person_id)
    official = _official_fields(batch, submission.person_id)
    rows = rules.proposed_rows(submission.history, _official_history(batch, submission.person_id))
    fields = rules.proposed_fields(official, submission.changes)
    issues = rules.record_issues(fields, rows, submission.person_id, submission.org_id)
    state = rules.submit(submission, user, issues)
    data = {**data, "state": str(state), "submitted_at": _now(),
            "submitted_claimed_at": op.created_at.isoformat()}  # fmt: skip
    return _applied(op, _publish_submission(batch, data, user.id))


def _withdraw(batch: Batch, user: User, op: Op, payload: WithdrawPayload) -> OpResult:
    data, current = _stored_submission(batch, op, payload.submission_id)
    state = workflow.check(current, user, Action.WITHDRAW)
    return _applied(op, _publish_submission(batch, {**data, "state": str(state)}, user.id))


def _decision(
    batch: Batch, user: User, op: Op, sub: Submission, decision_id: str, action: str, **extra: Any
) -> dict[str, int]:
    """Publish a new decision: its id must be new (a decision is never replaced)."""
    if batch.holders(decision_id):
        raise Rejected("id_taken", "the decision's id is already in use")
    data = {
        "id": decision_id,
        "org_id": sub.org_id,
        "submission_id": sub.id,
        "decider_id": user.id,
        "action": action,
        "decided_at": _now(),
        "claimed_at": op.created_at.isoformat(),
        **extra,
    }
    version = batch.publish("decision", decision_id, sub.org_id, data, parent_id=sub.id, by=user.id)
    return {f"decision:{decision_id}": version}


def _decided(data: dict[str, Any], op: Op, user: User, state: SubmissionState) -> dict[str, Any]:
    return {**data, "state": str(state), "decided_at": _now(),
            "decided_claimed_at": op.created_at.isoformat(), "decided_by": user.id}  # fmt: skip


def _return(batch: Batch, user: User, op: Op, payload: ReturnPayload) -> OpResult:
    data, current = _stored_submission(batch, op, payload.submission_id)
    state, reason = rules.return_(current, user, payload.reason, payload.field_comments)
    versions = _decision(batch, user, op, current, payload.decision_id, "return",
                         reason=reason, resolutions={})  # fmt: skip
    data = {**_decided(data, op, user, state), "return_reason": reason,
            "field_comments": dict(payload.field_comments)}  # fmt: skip
    return _applied(op, versions | _publish_submission(batch, data, user.id))


def _approve(batch: Batch, user: User, op: Op, payload: ApprovePayload) -> OpResult:
    data, current = _stored_submission(batch, op, payload.submission_id)
    person_id = current.person_id
    official, rows = _official_fields(batch, person_id), _official_history(batch, person_id)
    try:
        approval = rules.approve(
            current, user, official, rows, payload.resolutions,
            slots=lambda slot_id: structure_ops.slot_facts(batch, slot_id),
        )  # fmt: skip
    except SlotTaken as exc:
        # Another approval filled the slot first (two waiting submissions for one slot):
        # a conflict at the decision, for the supervisor to see.
        return OpResult(op_id=op.op_id, status=OpStatus.CONFLICT, code=exc.code,
                        message=exc.description)  # fmt: skip
    person = batch.get("person", person_id)
    version = person.version if person is not None else 0
    if approval.merged.resolved and rules.is_stale(payload.base_version, version):
        # The choices were made against an official record that has changed since: applied
        # now they could overwrite a value the supervisor never saw. Show the conflicts as
        # they stand now, to be settled again.
        fresh = merge.merge(official, current.changes, rows, current.history)
        return OpResult(
            op_id=op.op_id,
            status=OpStatus.CONFLICT,
            code="stale_version",
            message="the official record changed since these conflicts were settled; "
            "settle them again",
            conflicts=[_conflict(c) for c in fresh.conflicts],
        )
    if approval.person is None:
        return OpResult(
            op_id=op.op_id,
            status=OpStatus.CONFLICT,
            code="conflict",
            message="the official record changed since the clerk's base",
            conflicts=[_conflict(c) for c in approval.merged.conflicts],
        )
    by = user.id
    values = {**codec.fields_of(approval.person, EDITABLE), "id": person_id,
              "org_id": current.org_id}  # fmt: skip
    versions = {
        f"person:{person_id}": batch.publish("person", person_id, current.org_id, values, by=by)
    }
    history = approval.merged.history
    for rid in approval.changed_rows():
        row = {k: v for k, v in history[rid].items() if k != "deleted"}
        row["person_id"] = person_id
        versions[f"history_row:{rid}"] = batch.publish(
            "history_row",
            rid,
            current.org_id,
            row,
            parent_id=person_id,
            deleted=bool(history[rid].get("deleted")),
            by=by,
        )
    versions |= structure_ops.publish_slot_changes(batch, approval.slots, by)
    versions |= _decision(batch, user, op, current, payload.decision_id, "approve",
                          reason=None, resolutions=dict(payload.resolutions))  # fmt: skip
    data = _decided(data, op, user, approval.state)
    return _applied(op, versions | _publish_submission(batch, data, by))


def _conflict(c: merge.Conflict) -> dict[str, Any]:
    return {
        "key": c.key,
        "target": c.target,
        "row_id": c.row_id,
        "field": c.field,
        "base": c.base,
        "official": c.official,
        "proposed": c.proposed,
    }


# --- audit ---------------------------------------------------------------------------------


def _audit(batch: Batch, user: User, op: Op, payload: AuditAppendPayload) -> OpResult:
    p = payload.model_dump()
    if payload.actor_id != op.author:
        raise Rejected("actor_mismatch", "the event's actor is not the op's author")
    if event_hash({k: p[k] for k in HASHED}) != payload.hash:
        raise Rejected("audit_hash_mismatch", "the audit event does not match its hash")
    if payload.org_id != op.org_id or payload.id != op.entity_id:
        raise Rejected("bad_payload", "the audit event names another organization or id")
    if not batch.has_audit(payload.id):
        _check_link(batch, payload)
        batch.add_audit(
            {
                "id": payload.id,
                "org_id": payload.org_id,
                "device_id": op.device_id,
                "actor_id": op.author,
                "at": dt.datetime.fromisoformat(payload.at),  # aware: checked by the model
                "action": payload.action,
                "entity_kind": payload.entity_kind,
                "entity_id": payload.entity_id,
                "detail": payload.detail,
                "prev_hash": payload.prev_hash,
                "hash": payload.hash,
                "received_at": utcnow(),
            }
        )
    return _applied(op, {})


def _check_link(batch: Batch, payload: AuditAppendPayload) -> None:
    """Each event names the hash of the one before it on its PC (app.services.audit): two
    events chained on one predecessor mean the trail was rewritten after it had left the
    PC, and the second is refused. An event may arrive before its predecessor (its author
    synced first); a missing link shows in ``localhr central audit-gaps``."""
    if payload.prev_hash == GENESIS:
        return  # a PC's first event (one per local database)
    if batch.audit_after(payload.prev_hash) not in (None, payload.id):
        raise Rejected(
            "audit_chain_fork",
            "another event already follows this one's predecessor in the PC's audit trail: "
            "the trail was changed after it was sent",
        )


HANDLERS: dict[OpKind, Callable[[Batch, User, Op, Any], OpResult]] = {
    OpKind.SUBMISSION_SAVE: _save,
    OpKind.SUBMISSION_SUBMIT: _submit,
    OpKind.SUBMISSION_WITHDRAW: _withdraw,
    OpKind.SUBMISSION_RETURN: _return,
    OpKind.SUBMISSION_APPROVE: _approve,
    OpKind.AUDIT_APPEND: _audit,
    OpKind.UNIT_SAVE: structure_ops.unit_save,
    OpKind.UNIT_CLOSE: structure_ops.unit_close,
    OpKind.POSITION_SAVE: structure_ops.position_save,
    OpKind.PLAN_SAVE: structure_ops.plan_save,
}
