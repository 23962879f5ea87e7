"""The clerk's use cases on submissions (DESIGN.md §3): start, save, submit, withdraw.

The supervisor's are in :mod:`app.services.decisions`. Each function is one transaction
that also writes the op for the central into the outbox. A draft saves whatever the clerk
typed (nothing typed is ever lost) and reports what is wrong with it; :func:`submit`
refuses a record with errors.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import codec, limits, merge, rules, validation, workflow
from app.domain.entities import (
    HISTORY_KINDS,
    HistoryChanges,
    Person,
    Role,
    Submission,
    SubmissionKind,
    SubmissionState,
)
from app.domain.errors import (
    InvalidInput,
    Issue,
    NotFound,
    PermissionDenied,
)
from app.domain.ids import new_id, utcnow
from app.domain.workflow import Action
from app.services import outbox, replica
from app.services.context import actor, require_scope
from app.services.records import (
    EDITABLE,
    SubmissionView,
    load,
    official_fields,
    official_person,
    official_rows,
    op,
    payload,
    person_from,
    proposed_fields,
    view,
)
from app.store.db import Database
from app.store.mapping import (
    history_changes_json,
    submission_entity,
)
from app.store.models import (
    SubmissionModel,
)

OPEN = (SubmissionState.DRAFT, SubmissionState.SUBMITTED, SubmissionState.RETURNED)


@dataclass(frozen=True, slots=True)
class HistoryEdits:
    """History rows the clerk adds or changes (``upsert``: whole rows in wire form, each with
    ``id`` and ``kind``) or removes (``delete``: row ids)."""

    upsert: tuple[dict[str, Any], ...] = ()
    delete: tuple[str, ...] = ()


def get_submission(db: Database, actor_id: str, submission_id: str) -> SubmissionView:
    with db.reading() as session:
        user = actor(session, actor_id)
        sub = load(session, submission_id)
        require_scope(user, sub.org_id)
        return view(session, sub)


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
            official = official_person(session, person_id)
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
                return view(session, existing)
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
        return view(session, sub)


def _wire_value(name: str, value: Any) -> Any:
    if name not in EDITABLE:
        raise InvalidInput([Issue("unknown_field", name, "error.unknown_field")])
    return _bounded(Person, name, value)


def _bounded(cls: type, name: str, value: Any) -> Any:
    """``value`` in wire form, refused (nothing saved) if it cannot be read or lies outside
    the bounds every op is held to (app.domain.limits): the central would refuse it."""
    try:
        parsed = codec.from_wire(cls, name, value)
    except (ValueError, ArithmeticError, TypeError) as exc:
        shown = str(value)[:40]
        raise InvalidInput(
            [Issue("invalid_value", name, "error.invalid_value", params={"value": shown})]
        ) from exc
    if (bound := limits.check(name, parsed, hard=True)) is not None:
        raise InvalidInput([bound])
    return codec.to_wire(parsed)


def _normalized(fields: dict[str, Any], sub: SubmissionModel) -> dict[str, Any]:
    """Thai text in NFC without zero-width characters, the citizen ID as 13 digits."""
    person = validation.normalize_person(person_from(fields, sub))
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
        sub = load(session, submission_id)
        new_state = workflow.check(submission_entity(sub), user, Action.EDIT)
        official_row = official_person(session, sub.person_id)
        official = official_fields(official_row)
        # The base of each field: the old value recorded at its first edit, else the official.
        base = {**official, **{name: pair[0] for name, pair in sub.changes.items()}}
        edited = proposed_fields(official, sub.changes)
        edited.update({name: _wire_value(name, v) for name, v in (fields or {}).items()})
        edited = _normalized(edited, sub)
        sub.changes = merge.diff_fields(base, edited, names=EDITABLE)
        if history is not None:
            sub.history = history_changes_json(_edit_history(session, sub, history))
        sub.state = str(new_state)
        sub.updated_at, sub.updated_by = utcnow(), user.id
        _save_op(session, sub)
        return view(session, sub)


def _edit_history(session: Session, sub: SubmissionModel, edits: HistoryEdits) -> HistoryChanges:
    official = {
        rid: {k: v for k, v in row.items() if k != "deleted"}
        for rid, row in official_rows(session, sub.person_id).items()
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
    return _bounded(cls, name, value)


def _save_op(session: Session, sub: SubmissionModel) -> None:
    outbox.enqueue(
        session,
        kind="submission.save",
        entity_id=sub.id,
        org_id=sub.org_id,
        author=sub.updated_by or sub.author_id,
        payload=payload(sub),
        coalesce=True,
    )


def submit(db: Database, actor_id: str, submission_id: str) -> SubmissionView:
    """Send a draft for approval: refused while the record has errors or changes nothing."""
    with db.transaction() as session:
        user = actor(session, actor_id)
        sub = load(session, submission_id)
        new_state = rules.submit(submission_entity(sub), user, view(session, sub).issues)
        now = utcnow()
        undo = replica.preimages(session, [("submission", sub.id)])
        sub.state, sub.submitted_at = str(new_state), now
        sub.updated_at, sub.updated_by = now, user.id
        op(session, sub, "submission.submit", user, {"submission": payload(sub)}, undo)
        return view(session, sub)


def withdraw(db: Database, actor_id: str, submission_id: str) -> SubmissionView:
    """The author takes back a draft or a returned submission."""
    with db.transaction() as session:
        user = actor(session, actor_id)
        sub = load(session, submission_id)
        state = workflow.check(submission_entity(sub), user, Action.WITHDRAW)
        undo = replica.preimages(session, [("submission", sub.id)])
        sub.state = str(state)
        sub.updated_at, sub.updated_by = utcnow(), user.id
        op(session, sub, "submission.withdraw", user, {"submission_id": sub.id}, undo)
        return view(session, sub)
