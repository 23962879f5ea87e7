"""Applying pushed ops: one transaction a batch, one answer an op, idempotent by ``op_id``.

The central trusts nothing from a client (DESIGN.md §5): every op is checked against its
author's role and scope and the submission state machine of :mod:`app.domain.workflow`, and
an approval runs the authoritative three-way merge of :mod:`app.domain.merge` against the
central's own official record. An op that fails is rolled back to its savepoint and answered
``rejected`` (or ``conflict``) without blocking the ops after it; its answer is stored, so a
re-sent op (a lost answer, a retried batch) gets the same answer and has no second effect.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import codec, merge, validation, workflow
from app.domain.entities import (
    HISTORY_KINDS,
    HistoryChanges,
    Person,
    Role,
    Submission,
    SubmissionKind,
    SubmissionState,
    User,
)
from app.domain.errors import DomainError, InvalidInput, Issue
from app.domain.ids import utcnow
from app.domain.workflow import Action
from app.services.audit import event_hash
from sync.central import signatures
from sync.central.auth import Principal
from sync.central.batch import Batch, one_of
from sync.central.db import CentralDB
from sync.central.models import CentralOp, CentralUser
from sync.protocol import Op, OpKind, OpResult, OpStatus

log = logging.getLogger(__name__)

EDITABLE = Person.EDITABLE
INTERNAL = "internal"  # an op the central failed on: answered, not kept, tried again if re-sent
# What a client may say about a submission; state and decisions are the central's to set.
CLIENT_FIELDS = ("person_id", "kind", "base_version", "changes", "history")
HISTORY_PARTS = {"added": list, "updated": dict, "deleted": dict}
HISTORY_SHAPE = (
    "history must be {added: [rows], updated: {row id: {field: [old, new]}}, "
    "deleted: {row id: row}}"
)


class Rejected(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def apply_batch(db: CentralDB, principal: Principal, ops: list[Op]) -> list[OpResult]:
    """Apply ``ops`` in order in one transaction; return one result per op, in order."""
    results: list[OpResult] = []
    with db.transaction() as session:
        db.lock_orgs(session, {op.org_id for op in ops} & principal.user.scope)
        batch = Batch(session)
        answered = _stored_results(session, [op.op_id for op in ops], principal.user.id)
        fresh = [op for op in ops if op.op_id not in answered]
        _prefetch(batch, fresh)
        unsigned = signatures.refusals(session, [op for op in fresh if _own(principal, op)])
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
    """Load the submissions and people the batch is about, in a few queries."""
    subs = [op for op in ops if op.kind.startswith("submission.")]
    batch.prefetch(("submission", op.entity_id) for op in subs)
    people = set()
    for op in subs:
        payload = op.payload.get("submission", op.payload)
        if isinstance(payload, dict) and isinstance(payload.get("person_id"), str):
            people.add(payload["person_id"])
        stored = batch.live_data("submission", op.entity_id)
        if stored and isinstance(stored.get("person_id"), str):
            people.add(stored["person_id"])
    batch.prefetch(("person", p) for p in people)


def _apply_one(batch: Batch, principal: Principal, op: Op) -> OpResult:
    with batch.op():
        try:
            result = _dispatch(batch, principal, op)
        except Rejected as exc:
            return _rejected(op, exc.code, exc.message)
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
    return OpResult(op_id=op.op_id, status=OpStatus.REJECTED, code=code, message=message)


def _dispatch(batch: Batch, principal: Principal, op: Op) -> OpResult:
    if op.author != principal.user.id:
        raise Rejected("author_mismatch", "the op's author is not the user who pushed it")
    if op.device_id != principal.device_id:
        raise Rejected("device_mismatch", "the op was made on another device")
    if op.org_id not in principal.user.scope:
        raise Rejected("out_of_scope", "the op's organization is outside the user's scope")
    try:
        handler = HANDLERS[OpKind(op.kind)]
    except ValueError:
        raise Rejected("unknown_kind", f"unknown op kind {op.kind!r}") from None
    return handler(batch, _actor(batch, op.author), op)


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


# --- submissions -------------------------------------------------------------------------


def _submission(data: dict[str, Any]) -> Submission:
    hist = data.get("history") or {}
    history = HistoryChanges(
        added=tuple(hist.get("added", ())),
        updated=dict(hist.get("updated", {})),
        deleted=dict(hist.get("deleted", {})),
    )
    return codec.build(Submission, {**data, "history": history})


def _stored_submission(batch: Batch, op: Op) -> tuple[dict[str, Any], Submission]:
    data = batch.live_data("submission", op.entity_id)
    if data is None:
        raise Rejected("not_found", "the central has no such submission")
    current = _submission(data)
    if current.org_id != op.org_id:
        raise Rejected("out_of_scope", "the submission belongs to another organization")
    return data, current


def _publish_submission(batch: Batch, data: dict[str, Any], by: str) -> dict[str, int]:
    now = utcnow().isoformat()
    data = {**data, "updated_at": now, "updated_by": by}
    version = batch.publish(
        "submission", data["id"], data["org_id"], data, parent_id=data["person_id"], by=by
    )
    return {f"submission:{data['id']}": version}


def _content(op: Op, payload: dict[str, Any]) -> dict[str, Any]:
    if payload.get("id", op.entity_id) != op.entity_id:
        raise Rejected("bad_payload", "the payload is about another submission")
    missing = [f for f in CLIENT_FIELDS if f not in payload]
    if missing:
        raise Rejected("bad_payload", f"the payload lacks {', '.join(missing)}")
    content = {f: payload[f] for f in CLIENT_FIELDS}
    _check_content(content)
    try:
        SubmissionKind(content["kind"])
        _submission({**content, "id": op.entity_id, "org_id": op.org_id, "author_id": ""})
    except (ValueError, TypeError, AttributeError) as exc:
        raise Rejected("bad_payload", f"the submission cannot be read: {exc}") from None
    return content


def _is_pair(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2


def _check_value(cls: type, name: str, value: Any, where: str) -> None:
    """``value`` must read as the field's type, as the desktop checks on save: a value that
    does not would fail the central's checks and every PC that pulls it."""
    try:
        parsed = codec.from_wire(cls, name, value)
        expected = codec.field_type(cls, name)
        if parsed is not None and isinstance(expected, type) and not isinstance(parsed, expected):
            raise TypeError(name)
    except (ValueError, ArithmeticError, TypeError):
        shown = str(value)[:40]
        raise Rejected("bad_payload", f"{where}{name}: {shown!r} is not a valid value") from None


def _check_content(content: dict[str, Any]) -> None:
    """Refuse a submission no PC writes: the central stores it, every PC of the organization
    pulls it, and an approval copies its values into the official record."""
    if not isinstance(content["person_id"], str) or not content["person_id"]:
        raise Rejected("bad_payload", "person_id must be the id of a person")
    if type(content["base_version"]) is not int:
        raise Rejected("bad_payload", "base_version must be a whole number")
    changes = content["changes"]
    if not isinstance(changes, dict) or any(
        name not in EDITABLE or not _is_pair(pair) for name, pair in changes.items()
    ):
        raise Rejected("bad_payload", "changes must be field: [old, new] pairs of person fields")
    for name, pair in changes.items():
        for value in pair:
            _check_value(Person, name, value, "changes.")
    history = content["history"]
    if not isinstance(history, dict) or any(
        part not in HISTORY_PARTS or not isinstance(rows, HISTORY_PARTS[part])
        for part, rows in history.items()
    ):
        raise Rejected("bad_payload", HISTORY_SHAPE)
    for row in history.get("added", ()):
        if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not row["id"]:
            raise Rejected("bad_payload", "history: every added row needs its id")
        kind = row.get("kind")
        cls = HISTORY_KINDS.get(kind) if isinstance(kind, str) else None
        if cls is None:
            raise Rejected("bad_payload", f"history row {row['id']}: unknown kind {kind!r}")
        _check_row(cls, row)
    updated, deleted = history.get("updated", {}), history.get("deleted", {})
    if not all(isinstance(d, dict) and all(map(_is_pair, d.values())) for d in updated.values()):
        raise Rejected("bad_payload", HISTORY_SHAPE)
    if not all(isinstance(row, dict) for row in deleted.values()):
        raise Rejected("bad_payload", HISTORY_SHAPE)


def _check_row(cls: type, row: dict[str, Any]) -> None:
    names = {f.name for f in dataclasses.fields(cls)}
    for name, value in row.items():
        if name in names:
            _check_value(cls, name, value, f"history row {row.get('id')}: ")


def _history_issues(batch: Batch, submission: Submission) -> list[Issue]:
    """The checks the desktop makes of the history rows a submission adds or changes
    before it may be submitted (app.services.records.check_record)."""
    official = _official_history(batch, submission.person_id)
    rows = [dict(row) for row in submission.history.added] + [
        {**official[rid], **{name: pair[1] for name, pair in diffs.items()}}
        for rid, diffs in submission.history.updated.items()
        if rid in official  # a row the person lacks: the merge reports it to the supervisor
    ]
    issues: list[Issue] = []
    for row in rows:
        cls = HISTORY_KINDS.get(row.get("kind"))
        if cls is None:
            continue
        _check_row(cls, row)
        fields = {f.name: None for f in dataclasses.fields(cls)} | {
            k: v for k, v in row.items() if k not in ("kind", "deleted")
        }
        fields |= {"person_id": submission.person_id, "org_id": submission.org_id}
        issues += validation.validate_history_row(codec.build(cls, fields))
    return issues


def _saved(batch: Batch, user: User, op: Op, payload: dict[str, Any]) -> dict[str, Any]:
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
    if kind is SubmissionKind.NEW_PERSON and official is not None:
        raise Rejected("bad_payload", "a new-person submission names an existing person")
    if kind is not SubmissionKind.NEW_PERSON and (official is None or official.deleted):
        raise Rejected("not_found", "the submission is about a person the central does not have")
    if official is not None and official.org_id != op.org_id:
        raise Rejected("out_of_scope", "the person belongs to another organization")
    return {
        **content,
        "id": op.entity_id,
        "org_id": op.org_id,
        "author_id": user.id,
        "state": str(SubmissionState.DRAFT),
        "created_at": op.created_at.isoformat(),
        "return_reason": None,
        "field_comments": {},
        "submitted_at": None,
        "decided_at": None,
        "decided_by": None,
        "version": 0,
        "deleted": False,
    }


def _save(batch: Batch, user: User, op: Op) -> OpResult:
    data = _saved(batch, user, op, op.payload)
    return _applied(op, _publish_submission(batch, data, user.id))


def _official_fields(batch: Batch, person_id: str) -> dict[str, Any]:
    data = batch.live_data("person", person_id) or {}
    return {name: data.get(name) for name in EDITABLE} if data else {}


def _official_history(batch: Batch, person_id: str) -> dict[str, dict[str, Any]]:
    return {
        row.id: {**(row.data or {}), "id": row.id, "deleted": row.deleted}
        for row in batch.children("history_row", person_id)
    }


def _person(fields: dict[str, Any], submission: Submission) -> Person:
    blank = {
        "citizen_id": "",
        "prefix": "",
        "first_name_th": "",
        "last_name_th": "",
        "category": "",
    }
    values = {**blank, **{k: v for k, v in fields.items() if k in EDITABLE and v is not None}}
    return codec.build(Person, {**values, "id": submission.person_id, "org_id": submission.org_id})


def _submit(batch: Batch, user: User, op: Op) -> OpResult:
    payload = op.payload.get("submission")
    if not isinstance(payload, dict):
        raise Rejected("bad_payload", "submission.submit carries the whole submission")
    data = _saved(batch, user, op, payload)
    submission = _submission(data)
    state = workflow.check(submission, user, Action.SUBMIT)
    proposed = {**_official_fields(batch, submission.person_id)}
    proposed.update({name: pair[1] for name, pair in submission.changes.items()})
    issues = validation.validate_person(_person(proposed, submission))
    issues = [i for i in issues + _history_issues(batch, submission) if i.is_error]
    if not submission.changes and submission.history.is_empty():
        issues.append(Issue("no_changes", None, "error.no_changes"))
    if issues:
        raise InvalidInput(issues)
    data = {**data, "state": str(state), "submitted_at": op.created_at.isoformat()}
    return _applied(op, _publish_submission(batch, data, user.id))


def _withdraw(batch: Batch, user: User, op: Op) -> OpResult:
    data, current = _stored_submission(batch, op)
    state = workflow.check(current, user, Action.WITHDRAW)
    return _applied(op, _publish_submission(batch, {**data, "state": str(state)}, user.id))


def _decision(batch: Batch, user: User, op: Op, sub: Submission, action: str, **extra) -> dict:
    decision_id = op.payload.get("decision_id")
    if not isinstance(decision_id, str) or not 32 <= len(decision_id) <= 36:
        raise Rejected("bad_payload", "the decision needs its id")
    data = {
        "id": decision_id,
        "org_id": sub.org_id,
        "submission_id": sub.id,
        "decider_id": user.id,
        "action": action,
        "decided_at": op.created_at.isoformat(),
        **extra,
    }
    version = batch.publish("decision", decision_id, sub.org_id, data, parent_id=sub.id, by=user.id)
    return {f"decision:{decision_id}": version}


def _return(batch: Batch, user: User, op: Op) -> OpResult:
    data, current = _stored_submission(batch, op)
    reason = str(op.payload.get("reason") or "").strip()
    state = workflow.check(current, user, Action.RETURN, reason=reason)
    comments = op.payload.get("field_comments") or {}
    versions = _decision(batch, user, op, current, "return", reason=reason, resolutions={})
    data = {
        **data,
        "state": str(state),
        "return_reason": reason,
        "field_comments": comments if isinstance(comments, dict) else {},
        "decided_at": op.created_at.isoformat(),
        "decided_by": user.id,
    }
    return _applied(op, versions | _publish_submission(batch, data, user.id))


def _approve(batch: Batch, user: User, op: Op) -> OpResult:
    data, current = _stored_submission(batch, op)
    state = workflow.check(current, user, Action.APPROVE)
    resolutions = op.payload.get("resolutions") or {}
    if not isinstance(resolutions, dict):
        raise Rejected("bad_payload", "resolutions map conflict keys to values")
    official = _official_fields(batch, current.person_id)
    result = merge.merge(
        official,
        current.changes,
        _official_history(batch, current.person_id),
        current.history,
        resolutions,
    )
    if result.resolved and _stale(batch, op, current.person_id):
        # The choices were made against an official record that has changed since: applied
        # now they could overwrite a value the supervisor never saw. Show the conflicts as
        # they stand now, to be settled again.
        fresh = merge.merge(
            official,
            current.changes,
            _official_history(batch, current.person_id),
            current.history,
        )
        return OpResult(
            op_id=op.op_id,
            status=OpStatus.CONFLICT,
            code="stale_version",
            message="the official record changed since these conflicts were settled; "
            "settle them again",
            conflicts=[_conflict(c) for c in fresh.conflicts],
        )
    if result.conflicts:
        return OpResult(
            op_id=op.op_id,
            status=OpStatus.CONFLICT,
            code="conflict",
            message="the official record changed since the clerk's base",
            conflicts=[_conflict(c) for c in result.conflicts],
        )
    merged = validation.normalize_person(_person(result.fields, current))
    validation.raise_if_errors(validation.validate_person(merged))
    by = user.id
    person = {
        **codec.fields_of(merged, EDITABLE),
        "id": current.person_id,
        "org_id": current.org_id,
    }
    versions = {
        f"person:{current.person_id}": batch.publish(
            "person", current.person_id, current.org_id, person, by=by
        )
    }
    changed = result.applied_history
    for rid in [r["id"] for r in changed.added] + [*changed.updated, *changed.deleted]:
        row = {k: v for k, v in result.history[rid].items() if k != "deleted"}
        row["person_id"] = current.person_id
        versions[f"history_row:{rid}"] = batch.publish(
            "history_row",
            rid,
            current.org_id,
            row,
            parent_id=current.person_id,
            deleted=bool(result.history[rid].get("deleted")),
            by=by,
        )
    versions |= _decision(batch, user, op, current, "approve", reason=None, resolutions=resolutions)
    data = {
        **data,
        "state": str(state),
        "decided_at": op.created_at.isoformat(),
        "decided_by": by,
    }
    return _applied(op, versions | _publish_submission(batch, data, by))


def _stale(batch: Batch, op: Op, person_id: str) -> bool:
    """The approval says which version of the person its resolutions were chosen against
    (``base_version``, as the desktop sends it) and the person is at another one now."""
    base = op.payload.get("base_version")
    person = batch.get("person", person_id)
    return type(base) is int and base != (person.version if person is not None else 0)


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

AUDIT_HASHED = ("id", "org_id", "actor_id", "at", "action", "entity_kind", "entity_id", "detail",
                "prev_hash")  # fmt: skip


def _audit(batch: Batch, user: User, op: Op) -> OpResult:
    p = op.payload
    if any(k not in p for k in (*AUDIT_HASHED, "hash")):
        raise Rejected("bad_payload", "an audit event needs every hashed field and its hash")
    if event_hash({k: p[k] for k in AUDIT_HASHED}) != p["hash"]:
        raise Rejected("audit_hash_mismatch", "the audit event does not match its hash")
    if p["org_id"] != op.org_id or p["id"] != op.entity_id:
        raise Rejected("bad_payload", "the audit event names another organization or id")
    if not batch.has_audit(p["id"]):
        batch.add_audit(
            {
                "id": p["id"],
                "org_id": p["org_id"],
                "device_id": op.device_id,
                "actor_id": p["actor_id"],
                "at": _datetime(p["at"]),
                "action": str(p["action"])[:64],
                "entity_kind": str(p["entity_kind"])[:32],
                "entity_id": p["entity_id"],
                "detail": p["detail"] if isinstance(p["detail"], dict) else {},
                "prev_hash": p["prev_hash"],
                "hash": p["hash"],
                "received_at": utcnow(),
            }
        )
    return _applied(op, {})


def _datetime(value: Any) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise Rejected("bad_payload", "the audit event's time is not ISO 8601") from None


HANDLERS: dict[OpKind, Callable[[Batch, User, Op], OpResult]] = {
    OpKind.SUBMISSION_SAVE: _save,
    OpKind.SUBMISSION_SUBMIT: _submit,
    OpKind.SUBMISSION_WITHDRAW: _withdraw,
    OpKind.SUBMISSION_RETURN: _return,
    OpKind.SUBMISSION_APPROVE: _approve,
    OpKind.AUDIT_APPEND: _audit,
}
