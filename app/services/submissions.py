"""The clerk's and the supervisor's use cases on submissions (DESIGN.md §3).

Official person data changes only here, by :func:`approve`. Each function is one
transaction that also writes the op for the central into the outbox and, for decisions, an
audit event. A draft saves whatever the clerk typed (nothing typed is ever lost) and reports
what is wrong with it; :func:`submit` refuses a record with errors.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import codec, merge, validation, workflow
from app.domain.entities import (
    HISTORY_KINDS,
    DecisionAction,
    HistoryChanges,
    Person,
    Role,
    Submission,
    SubmissionKind,
    SubmissionState,
    User,
)
from app.domain.errors import (
    ConflictsUnresolved,
    InvalidInput,
    Issue,
    NotFound,
    PermissionDenied,
    StaleVersion,
)
from app.domain.ids import new_id, utcnow
from app.domain.workflow import Action
from app.services import audit, outbox
from app.services.context import actor, require_scope
from app.store.db import Database
from app.store.mapping import (
    entity,
    history_changes_json,
    history_columns,
    history_wire,
    submission_entity,
)
from app.store.models import (
    DecisionModel,
    HistoryRowModel,
    PersonModel,
    PositionModel,
    SubmissionModel,
)
from app.store.search import derived

EDITABLE = Person.EDITABLE
OPEN = (SubmissionState.DRAFT, SubmissionState.SUBMITTED, SubmissionState.RETURNED)
# Placeholders that let an incomplete draft be checked like a whole record.
_BLANK = {"citizen_id": "", "prefix": "", "first_name_th": "", "last_name_th": "", "category": ""}


@dataclass(frozen=True, slots=True)
class HistoryEdits:
    """History rows the clerk adds or changes (``upsert``: whole rows in wire form, each with
    ``id`` and ``kind``) or removes (``delete``: row ids)."""

    upsert: tuple[dict[str, Any], ...] = ()
    delete: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SubmissionView:
    """A submission, the record it proposes (wire form) and what is wrong with it."""

    submission: Submission
    proposed: dict[str, Any]
    issues: tuple[Issue, ...]


@dataclass(frozen=True, slots=True)
class ApprovalResult:
    submission: Submission
    person: Person
    decision_id: str
    applied_fields: dict[str, list[Any]]


# --- reading -------------------------------------------------------------------------------


def _load(session: Session, submission_id: str) -> SubmissionModel:
    row = session.get(SubmissionModel, submission_id)
    if row is None or row.deleted:
        raise NotFound("error.submission_not_found", field="submission_id")
    return row


def _official(session: Session, person_id: str) -> PersonModel | None:
    row = session.scalar(select(PersonModel).where(PersonModel.id == person_id))
    return None if row is None or row.deleted else row


def _official_fields(row: PersonModel | None) -> dict[str, Any]:
    if row is None:
        return {}
    return {name: codec.to_wire(getattr(row, name)) for name in EDITABLE}


def _official_rows(session: Session, person_id: str) -> dict[str, dict[str, Any]]:
    rows = session.scalars(select(HistoryRowModel).where(HistoryRowModel.person_id == person_id))
    return {r.id: {**history_wire(r), "deleted": r.deleted} for r in rows}


def _proposed(official: dict[str, Any], changes: Mapping[str, list[Any]]) -> dict[str, Any]:
    return {**official, **{name: pair[1] for name, pair in changes.items()}}


def _person_from(fields: Mapping[str, Any], sub: SubmissionModel) -> Person:
    values = {**_BLANK, **{k: v for k, v in fields.items() if v is not None or k not in _BLANK}}
    values = {k: v for k, v in values.items() if k in EDITABLE}
    return codec.build(Person, {**values, "id": sub.person_id, "org_id": sub.org_id})


def _check(sub: SubmissionModel, proposed: Mapping[str, Any], rows: Iterable[dict]) -> list[Issue]:
    issues = list(validation.validate_person(_person_from(proposed, sub)))
    for row in rows:
        issues.extend(validation.validate_history_row(_history_entity(row, sub)))
    return issues


def _history_entity(row: Mapping[str, Any], sub: SubmissionModel):
    cls = HISTORY_KINDS[row["kind"]]
    data = {k: v for k, v in row.items() if k not in ("kind", "deleted")}
    return codec.build(cls, {**data, "person_id": sub.person_id, "org_id": sub.org_id})


def _view(session: Session, sub: SubmissionModel) -> SubmissionView:
    proposed = _proposed(_official_fields(_official(session, sub.person_id)), sub.changes)
    entity = submission_entity(sub)
    rows = list(entity.history.added) + [
        {**_official_rows(session, sub.person_id).get(rid, {}), **{f: p[1] for f, p in d.items()}}
        for rid, d in entity.history.updated.items()
    ]
    rows = [r for r in rows if r.get("kind") in HISTORY_KINDS]
    return SubmissionView(entity, proposed, tuple(_check(sub, proposed, rows)))


def get_submission(db: Database, actor_id: str, submission_id: str) -> SubmissionView:
    with db.reading() as session:
        user = actor(session, actor_id)
        sub = _load(session, submission_id)
        require_scope(user, sub.org_id)
        return _view(session, sub)


def list_submissions(
    db: Database,
    actor_id: str,
    *,
    states: Iterable[SubmissionState] | None = None,
    author_id: str | None = None,
) -> list[Submission]:
    """Submissions in the actor's scope, oldest first."""
    with db.reading() as session:
        user = actor(session, actor_id)
        q = select(SubmissionModel).where(
            SubmissionModel.org_id.in_(sorted(user.scope)), SubmissionModel.deleted.is_(False)
        )
        if states is not None:
            q = q.where(SubmissionModel.state.in_([str(s) for s in states]))
        if author_id is not None:
            q = q.where(SubmissionModel.author_id == author_id)
        q = q.order_by(SubmissionModel.created_at, SubmissionModel.id)
        return [submission_entity(s) for s in session.scalars(q)]


# --- the clerk ------------------------------------------------------------------------------


def start_draft(
    db: Database,
    actor_id: str,
    *,
    person_id: str | None = None,
    kind: SubmissionKind = SubmissionKind.UPDATE,
    org_id: str | None = None,
) -> SubmissionView:
    """A draft for a new person (no ``person_id``) or a change to an official one. The
    clerk's open submission about the same person is returned instead of a second one."""
    with db.transaction() as session:
        user = actor(session, actor_id)
        if user.role is Role.AUDITOR:
            raise PermissionDenied("error.read_only_role")
        if person_id is None:
            kind, person_id, base_version = SubmissionKind.NEW_PERSON, new_id(), 0
            org_id = org_id or user.org_id
        else:
            official = _official(session, person_id)
            if official is None:
                raise NotFound("error.person_not_found", field="person_id")
            org_id, base_version = official.org_id, official.version
            existing = session.scalar(
                select(SubmissionModel).where(
                    SubmissionModel.person_id == person_id,
                    SubmissionModel.author_id == user.id,
                    SubmissionModel.state.in_([str(s) for s in OPEN]),
                )
            )
            if existing is not None:
                return _view(session, existing)
        require_scope(user, org_id)
        now = utcnow()
        sub = SubmissionModel(
            id=new_id(),
            org_id=org_id,
            person_id=person_id,
            kind=str(kind),
            state=str(SubmissionState.DRAFT),
            author_id=user.id,
            base_version=base_version,
            changes={},
            history=history_changes_json(HistoryChanges()),
            field_comments={},
            created_at=now,
            updated_at=now,
            updated_by=user.id,
        )
        session.add(sub)
        session.flush()
        _save_op(session, sub)
        return _view(session, sub)


def _wire_value(name: str, value: Any) -> Any:
    if name not in EDITABLE:
        raise InvalidInput([Issue("unknown_field", name, "error.unknown_field")])
    try:
        return codec.to_wire(codec.from_wire(Person, name, value))
    except (ValueError, ArithmeticError, TypeError) as exc:
        raise InvalidInput(
            [Issue("invalid_value", name, "error.invalid_value", params={"value": str(value)})]
        ) from exc


def _normalized(fields: dict[str, Any], sub: SubmissionModel) -> dict[str, Any]:
    """Thai text in NFC without zero-width characters, the citizen ID as 13 digits."""
    person = validation.normalize_person(_person_from(fields, sub))
    clean = codec.fields_of(person, EDITABLE)
    return {k: clean[k] if fields.get(k) is not None else fields.get(k) for k in fields}


def save_draft(
    db: Database,
    actor_id: str,
    submission_id: str,
    *,
    fields: Mapping[str, Any] | None = None,
    history: HistoryEdits | None = None,
) -> SubmissionView:
    """Record what the clerk typed: ``fields`` are the person's new values (Python or wire
    form), ``history`` the rows added, changed or removed. Editing a returned submission
    makes it a draft again. Values that cannot be read (a date that is no date) raise
    :class:`InvalidInput` and change nothing; a record with errors is still saved."""
    with db.transaction() as session:
        user = actor(session, actor_id)
        sub = _load(session, submission_id)
        new_state = workflow.check(submission_entity(sub), user, Action.EDIT)
        official_row = _official(session, sub.person_id)
        official = _official_fields(official_row)
        # The base of each field: the old value recorded at its first edit, else the official.
        base = {**official, **{name: pair[0] for name, pair in sub.changes.items()}}
        edited = _proposed(official, sub.changes)
        edited.update({name: _wire_value(name, v) for name, v in (fields or {}).items()})
        edited = _normalized(edited, sub)
        sub.changes = merge.diff_fields(base, edited, names=EDITABLE)
        if history is not None:
            sub.history = history_changes_json(_edit_history(session, sub, history))
        sub.state = str(new_state)
        sub.updated_at, sub.updated_by = utcnow(), user.id
        _save_op(session, sub)
        return _view(session, sub)


def _edit_history(session: Session, sub: SubmissionModel, edits: HistoryEdits) -> HistoryChanges:
    official = {
        rid: {k: v for k, v in row.items() if k != "deleted"}
        for rid, row in _official_rows(session, sub.person_id).items()
        if not row["deleted"]
    }
    current = submission_entity(sub).history
    edited = {rid: dict(row) for rid, row in official.items()}
    for rid, diffs in current.updated.items():
        if rid in edited:
            edited[rid].update({f: pair[1] for f, pair in diffs.items()})
    for rid in current.deleted:
        edited.pop(rid, None)
    for row in current.added:
        edited[row["id"]] = dict(row)
    for row in edits.upsert:
        kind = row.get("kind")
        if kind not in HISTORY_KINDS:
            raise InvalidInput([Issue("unknown_history_kind", "kind", "error.unknown_code")])
        rid = row.get("id") or new_id()
        wire = {"id": rid, "kind": kind, "person_id": sub.person_id}
        for name, value in row.items():
            if name in ("id", "kind", "person_id", "org_id"):
                continue
            wire[name] = _history_value(HISTORY_KINDS[kind], name, value)
        edited[rid] = {**edited.get(rid, {}), **wire}
    for rid in edits.delete:
        edited.pop(rid, None)
    return merge.diff_history(official, edited)


def _history_value(cls: type, name: str, value: Any) -> Any:
    own = {f.name for f in dataclasses.fields(cls)}
    if name not in own:
        raise InvalidInput([Issue("unknown_field", name, "error.unknown_field")])
    try:
        return codec.to_wire(codec.from_wire(cls, name, value))
    except (ValueError, ArithmeticError, TypeError) as exc:
        raise InvalidInput([Issue("invalid_value", name, "error.invalid_value")]) from exc


def _payload(sub: SubmissionModel) -> dict[str, Any]:
    return codec.fields_of(submission_entity(sub)) | {"history": sub.history}


def _save_op(session: Session, sub: SubmissionModel) -> None:
    outbox.enqueue(
        session,
        kind="submission.save",
        entity_id=sub.id,
        org_id=sub.org_id,
        author=sub.updated_by or sub.author_id,
        payload=_payload(sub),
        coalesce=True,
    )


def submit(db: Database, actor_id: str, submission_id: str) -> SubmissionView:
    """Send a draft for approval: refused while the record has errors or changes nothing."""
    with db.transaction() as session:
        user = actor(session, actor_id)
        sub = _load(session, submission_id)
        new_state = workflow.check(submission_entity(sub), user, Action.SUBMIT)
        view = _view(session, sub)
        errors = [i for i in view.issues if i.is_error]
        if not sub.changes and HistoryChanges(**_history_args(sub)).is_empty():
            errors.append(Issue("no_changes", None, "error.no_changes"))
        if errors:
            raise InvalidInput(errors)
        now = utcnow()
        sub.state, sub.submitted_at = str(new_state), now
        sub.updated_at, sub.updated_by = now, user.id
        _op(session, sub, "submission.submit", user, {"submission": _payload(sub)})
        return _view(session, sub)


def _history_args(sub: SubmissionModel) -> dict[str, Any]:
    h = sub.history or {}
    return {
        "added": tuple(h.get("added", ())),
        "updated": h.get("updated", {}),
        "deleted": h.get("deleted", {}),
    }


def withdraw(db: Database, actor_id: str, submission_id: str) -> SubmissionView:
    """The author takes back a draft or a returned submission."""
    with db.transaction() as session:
        user = actor(session, actor_id)
        sub = _load(session, submission_id)
        sub.state = str(workflow.check(submission_entity(sub), user, Action.WITHDRAW))
        sub.updated_at, sub.updated_by = utcnow(), user.id
        _op(session, sub, "submission.withdraw", user, {"submission_id": sub.id})
        return _view(session, sub)


def _op(session: Session, sub: SubmissionModel, kind: str, user: User, payload: dict) -> None:
    outbox.enqueue(
        session, kind=kind, entity_id=sub.id, org_id=sub.org_id, author=user.id, payload=payload
    )


# --- the supervisor ---------------------------------------------------------------------------


def return_submission(
    db: Database,
    actor_id: str,
    submission_id: str,
    reason: str,
    *,
    field_comments: Mapping[str, str] | None = None,
) -> SubmissionView:
    """Send a submission back to its author with a reason (required)."""
    with db.transaction() as session:
        user = actor(session, actor_id)
        sub = _load(session, submission_id)
        reason = (reason or "").strip()
        new_state = workflow.check(submission_entity(sub), user, Action.RETURN, reason=reason)
        now = utcnow()
        decision = _decision(session, sub, user, DecisionAction.RETURN, reason, {}, now)
        sub.state, sub.return_reason = str(new_state), reason
        sub.field_comments = dict(field_comments or {})
        sub.decided_at, sub.decided_by = now, user.id
        sub.updated_at, sub.updated_by = now, user.id
        _op(
            session,
            sub,
            "submission.return",
            user,
            {"submission_id": sub.id, "decision_id": decision.id, "reason": reason,
             "field_comments": sub.field_comments},
        )  # fmt: skip
        audit.append(
            session,
            org_id=sub.org_id,
            actor_id=user.id,
            action="submission.return",
            entity_kind="submission",
            entity_id=sub.id,
            detail={"reason": reason, "person_id": sub.person_id},
        )
        return _view(session, sub)


def preview_approval(
    db: Database,
    actor_id: str,
    submission_id: str,
    resolutions: Mapping[str, Any] | None = None,
) -> merge.MergeResult:
    """What approving would do now: the merged record and any conflicts to settle."""
    with db.reading() as session:
        user = actor(session, actor_id)
        sub = _load(session, submission_id)
        require_scope(user, sub.org_id)
        return _merge(session, sub, resolutions)


def _merge(
    session: Session, sub: SubmissionModel, resolutions: Mapping[str, Any] | None
) -> merge.MergeResult:
    official_rows = _official_rows(session, sub.person_id)
    return merge.merge(
        _official_fields(_official(session, sub.person_id)),
        sub.changes,
        official_rows,
        HistoryChanges(**_history_args(sub)),
        resolutions,
    )


def approve(
    db: Database,
    actor_id: str,
    submission_id: str,
    *,
    resolutions: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
) -> ApprovalResult:
    """Apply a submission to the official record by the three-way merge.

    Raises :class:`ConflictsUnresolved` (with the conflict keys) while a conflict has no
    resolution, and :class:`StaleVersion` when resolutions were chosen against a record
    (``expected_version``) that has changed since. Nothing is written in either case."""
    with db.transaction() as session:
        user = actor(session, actor_id)
        sub = _load(session, submission_id)
        new_state = workflow.check(submission_entity(sub), user, Action.APPROVE)
        official = _official(session, sub.person_id)
        version = official.version if official else 0
        if expected_version is not None and expected_version != version:
            raise StaleVersion("error.stale_version", expected=expected_version, found=version)
        result = _merge(session, sub, resolutions)
        if result.conflicts:
            raise ConflictsUnresolved(
                "error.conflicts_unresolved", keys=[c.key for c in result.conflicts]
            )
        merged = validation.normalize_person(_person_from(result.fields, sub))
        validation.raise_if_errors(validation.validate_person(merged))
        now = utcnow()
        person_row = _apply_person(session, sub, official, result.fields, user, now)
        _apply_history(session, sub, result, user, now)
        decision = _decision(
            session, sub, user, DecisionAction.APPROVE, None, dict(resolutions or {}), now
        )
        sub.state = str(new_state)
        sub.decided_at, sub.decided_by = now, user.id
        sub.updated_at, sub.updated_by = now, user.id
        _op(
            session,
            sub,
            "submission.approve",
            user,
            {"submission_id": sub.id, "decision_id": decision.id, "base_version": version,
             "resolutions": decision.resolutions},
        )  # fmt: skip
        audit.append(
            session,
            org_id=sub.org_id,
            actor_id=user.id,
            action="submission.approve",
            entity_kind="submission",
            entity_id=sub.id,
            detail={
                "person_id": sub.person_id,
                "applied": result.applied_fields,
                "resolved": [c.key for c in result.resolved],
            },
        )
        session.flush()
        return ApprovalResult(
            submission=submission_entity(sub),
            person=entity(Person, person_row),
            decision_id=decision.id,
            applied_fields=result.applied_fields,
        )


def _decision(session, sub, user, action, reason, resolutions, now) -> DecisionModel:
    row = DecisionModel(
        id=new_id(),
        org_id=sub.org_id,
        submission_id=sub.id,
        decider_id=user.id,
        action=str(action),
        reason=reason,
        resolutions=resolutions,
        decided_at=now,
        updated_at=now,
        updated_by=user.id,
    )
    session.add(row)
    return row


def _apply_person(session, sub, official, fields, user, now) -> PersonModel:
    values = {name: codec.from_wire(Person, name, fields.get(name)) for name in EDITABLE}
    values = {k: v for k, v in values.items() if v is not None or official is not None}
    if official is None:
        official = PersonModel(id=sub.person_id, org_id=sub.org_id, version=0, **values)
        session.add(official)
    else:
        for name, value in values.items():
            setattr(official, name, value)
    official.updated_at, official.updated_by, official.deleted = now, user.id, False
    position = session.get(PositionModel, official.position_id) if official.position_id else None
    label = (position.position_number, position.title) if position else (None, None)
    for name, value in derived(official, *label).items():
        setattr(official, name, value)
    session.flush()
    return official


def _apply_history(session, sub, result: merge.MergeResult, user, now) -> None:
    changed = result.applied_history
    touched = [row["id"] for row in changed.added] + list(changed.updated) + list(changed.deleted)
    for rid in touched:
        row = result.history[rid]
        model = session.get(HistoryRowModel, rid)
        if model is None:
            model = HistoryRowModel(id=rid, org_id=sub.org_id, person_id=sub.person_id, version=0)
            session.add(model)
        for name, value in history_columns(row["kind"], row).items():
            setattr(model, name, value)
        model.deleted = bool(row.get("deleted"))
        model.updated_at, model.updated_by = now, user.id
