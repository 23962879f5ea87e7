"""Applying pushed ops: one transaction a batch, one answer an op, idempotent by ``op_id``.

The central trusts nothing from a client (DESIGN.md §5): every op is checked against its
author's role and scope and the submission state machine of :mod:`app.domain.workflow`, and
an approval runs the authoritative three-way merge of :mod:`app.domain.merge` against the
central's own official record. An op that fails is rolled back to its savepoint and answered
``rejected`` (or ``conflict``) without blocking the ops after it; its answer is stored, so a
re-sent op (a lost answer, a retried batch) gets the same answer and has no second effect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from app.domain import codec, merge, validation, workflow
from app.domain.entities import (
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
from sync.central import rows
from sync.central.auth import Principal
from sync.central.db import CentralDB
from sync.central.models import CentralAudit, CentralOp, CentralUser
from sync.protocol import Op, OpKind, OpResult, OpStatus

EDITABLE = Person.EDITABLE
# What a client may say about a submission; state and decisions are the central's to set.
CLIENT_FIELDS = ("person_id", "kind", "base_version", "changes", "history")


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
        for op in ops:
            stored = session.get(CentralOp, op.op_id)
            if stored is not None:
                results.append(OpResult.model_validate(stored.result))
                continue
            result = _apply_one(session, principal, op)
            session.add(
                CentralOp(
                    op_id=op.op_id,
                    org_id=op.org_id,
                    device_id=principal.device_id,
                    author=op.author,
                    kind=op.kind[:48],
                    received_at=utcnow(),
                    status=str(result.status),
                    result=result.model_dump(mode="json"),
                )
            )
            session.flush()
            results.append(result)
    return results


def _apply_one(session: Session, principal: Principal, op: Op) -> OpResult:
    savepoint = session.begin_nested()
    try:
        result = _dispatch(session, principal, op)
    except Rejected as exc:
        savepoint.rollback()
        return _rejected(op, exc.code, exc.message)
    except DomainError as exc:
        savepoint.rollback()
        return _rejected(op, exc.code, exc.message_key, detail=exc)
    if result.status is not OpStatus.APPLIED:
        savepoint.rollback()
    else:
        savepoint.commit()
    return result


def _rejected(op: Op, code: str, message: str, detail: DomainError | None = None) -> OpResult:
    if isinstance(detail, InvalidInput):
        message = "; ".join(f"{i.field or '-'}: {i.message_key}" for i in detail.errors) or message
    return OpResult(op_id=op.op_id, status=OpStatus.REJECTED, code=code, message=message)


def _dispatch(session: Session, principal: Principal, op: Op) -> OpResult:
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
    return handler(session, _actor(session, op.author), op)


def _actor(session: Session, user_id: str) -> User:
    row = session.get(CentralUser, user_id)
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


def _stored_submission(session: Session, op: Op) -> tuple[dict[str, Any], Submission]:
    data = rows.live_data(session, "submission", op.entity_id)
    if data is None:
        raise Rejected("not_found", "the central has no such submission")
    current = _submission(data)
    if current.org_id != op.org_id:
        raise Rejected("out_of_scope", "the submission belongs to another organization")
    return data, current


def _publish_submission(session: Session, data: dict[str, Any], by: str) -> dict[str, int]:
    now = utcnow().isoformat()
    data = {**data, "updated_at": now, "updated_by": by}
    version = rows.publish(
        session, "submission", data["id"], data["org_id"], data, parent_id=data["person_id"], by=by
    )
    return {f"submission:{data['id']}": version}


def _content(op: Op, payload: dict[str, Any]) -> dict[str, Any]:
    if payload.get("id", op.entity_id) != op.entity_id:
        raise Rejected("bad_payload", "the payload is about another submission")
    missing = [f for f in CLIENT_FIELDS if f not in payload]
    if missing:
        raise Rejected("bad_payload", f"the payload lacks {', '.join(missing)}")
    content = {f: payload[f] for f in CLIENT_FIELDS}
    try:
        SubmissionKind(content["kind"])
        _submission({**content, "id": op.entity_id, "org_id": op.org_id, "author_id": ""})
    except (ValueError, TypeError, AttributeError) as exc:
        raise Rejected("bad_payload", f"the submission cannot be read: {exc}") from None
    if not isinstance(content["changes"], dict) or any(
        name not in EDITABLE or not isinstance(pair, list) or len(pair) != 2
        for name, pair in content["changes"].items()
    ):
        raise Rejected("bad_payload", "changes must be field: [old, new] pairs of person fields")
    return content


def _saved(session: Session, user: User, op: Op, payload: dict[str, Any]) -> dict[str, Any]:
    """The submission after the author's edit, as it is to be stored (not yet published)."""
    content = _content(op, payload)
    existing = rows.live_data(session, "submission", op.entity_id)
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
    official = rows.get_row(session, "person", content["person_id"])
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


def _save(session: Session, user: User, op: Op) -> OpResult:
    data = _saved(session, user, op, op.payload)
    return _applied(op, _publish_submission(session, data, user.id))


def _official_fields(session: Session, person_id: str) -> dict[str, Any]:
    data = rows.live_data(session, "person", person_id) or {}
    return {name: data.get(name) for name in EDITABLE} if data else {}


def _official_history(session: Session, person_id: str) -> dict[str, dict[str, Any]]:
    return {
        row.id: {**(row.data or {}), "id": row.id, "deleted": row.deleted}
        for row in rows.children(session, "history_row", person_id)
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


def _submit(session: Session, user: User, op: Op) -> OpResult:
    payload = op.payload.get("submission")
    if not isinstance(payload, dict):
        raise Rejected("bad_payload", "submission.submit carries the whole submission")
    data = _saved(session, user, op, payload)
    submission = _submission(data)
    state = workflow.check(submission, user, Action.SUBMIT)
    proposed = {**_official_fields(session, submission.person_id)}
    proposed.update({name: pair[1] for name, pair in submission.changes.items()})
    issues = [i for i in validation.validate_person(_person(proposed, submission)) if i.is_error]
    if not submission.changes and submission.history.is_empty():
        issues.append(Issue("no_changes", None, "error.no_changes"))
    if issues:
        raise InvalidInput(issues)
    data = {**data, "state": str(state), "submitted_at": op.created_at.isoformat()}
    return _applied(op, _publish_submission(session, data, user.id))


def _withdraw(session: Session, user: User, op: Op) -> OpResult:
    data, current = _stored_submission(session, op)
    state = workflow.check(current, user, Action.WITHDRAW)
    return _applied(op, _publish_submission(session, {**data, "state": str(state)}, user.id))


def _decision(session: Session, user: User, op: Op, sub: Submission, action: str, **extra) -> dict:
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
    version = rows.publish(
        session, "decision", decision_id, sub.org_id, data, parent_id=sub.id, by=user.id
    )
    return {f"decision:{decision_id}": version}


def _return(session: Session, user: User, op: Op) -> OpResult:
    data, current = _stored_submission(session, op)
    reason = str(op.payload.get("reason") or "").strip()
    state = workflow.check(current, user, Action.RETURN, reason=reason)
    comments = op.payload.get("field_comments") or {}
    versions = _decision(session, user, op, current, "return", reason=reason, resolutions={})
    data = {
        **data,
        "state": str(state),
        "return_reason": reason,
        "field_comments": comments if isinstance(comments, dict) else {},
        "decided_at": op.created_at.isoformat(),
        "decided_by": user.id,
    }
    return _applied(op, versions | _publish_submission(session, data, user.id))


def _approve(session: Session, user: User, op: Op) -> OpResult:
    data, current = _stored_submission(session, op)
    state = workflow.check(current, user, Action.APPROVE)
    resolutions = op.payload.get("resolutions") or {}
    if not isinstance(resolutions, dict):
        raise Rejected("bad_payload", "resolutions map conflict keys to values")
    official = _official_fields(session, current.person_id)
    result = merge.merge(
        official,
        current.changes,
        _official_history(session, current.person_id),
        current.history,
        resolutions,
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
        f"person:{current.person_id}": rows.publish(
            session, "person", current.person_id, current.org_id, person, by=by
        )
    }
    changed = result.applied_history
    for rid in [r["id"] for r in changed.added] + [*changed.updated, *changed.deleted]:
        row = {k: v for k, v in result.history[rid].items() if k != "deleted"}
        row["person_id"] = current.person_id
        versions[f"history_row:{rid}"] = rows.publish(
            session,
            "history_row",
            rid,
            current.org_id,
            row,
            parent_id=current.person_id,
            deleted=bool(result.history[rid].get("deleted")),
            by=by,
        )
    versions |= _decision(
        session, user, op, current, "approve", reason=None, resolutions=resolutions
    )
    data = {
        **data,
        "state": str(state),
        "decided_at": op.created_at.isoformat(),
        "decided_by": by,
    }
    return _applied(op, versions | _publish_submission(session, data, by))


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


def _audit(session: Session, user: User, op: Op) -> OpResult:
    p = op.payload
    if any(k not in p for k in (*AUDIT_HASHED, "hash")):
        raise Rejected("bad_payload", "an audit event needs every hashed field and its hash")
    if event_hash({k: p[k] for k in AUDIT_HASHED}) != p["hash"]:
        raise Rejected("audit_hash_mismatch", "the audit event does not match its hash")
    if p["org_id"] != op.org_id or p["id"] != op.entity_id:
        raise Rejected("bad_payload", "the audit event names another organization or id")
    if session.get(CentralAudit, p["id"]) is None:
        session.add(
            CentralAudit(
                id=p["id"],
                org_id=p["org_id"],
                device_id=op.device_id,
                actor_id=p["actor_id"],
                at=_datetime(p["at"]),
                action=str(p["action"])[:64],
                entity_kind=str(p["entity_kind"])[:32],
                entity_id=p["entity_id"],
                detail=p["detail"] if isinstance(p["detail"], dict) else {},
                prev_hash=p["prev_hash"],
                hash=p["hash"],
                received_at=utcnow(),
            )
        )
    return _applied(op, {})


def _datetime(value: Any) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise Rejected("bad_payload", "the audit event's time is not ISO 8601") from None


HANDLERS: dict[OpKind, Callable[[Session, User, Op], OpResult]] = {
    OpKind.SUBMISSION_SAVE: _save,
    OpKind.SUBMISSION_SUBMIT: _submit,
    OpKind.SUBMISSION_WITHDRAW: _withdraw,
    OpKind.SUBMISSION_RETURN: _return,
    OpKind.SUBMISSION_APPROVE: _approve,
    OpKind.AUDIT_APPEND: _audit,
}
