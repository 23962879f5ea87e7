"""Reading and writing submissions and the official record they change: the pieces the
clerk's use cases (:mod:`app.services.submissions`) and the supervisor's
(:mod:`app.services.decisions`) share. Helpers here never commit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import codec, rules
from app.domain.entities import Person, Submission, User
from app.domain.errors import Issue, NotFound
from app.services import outbox
from app.store.mapping import history_wire, submission_entity
from app.store.models import HistoryRowModel, PersonModel, SubmissionModel

EDITABLE = Person.EDITABLE


@dataclass(frozen=True, slots=True)
class SubmissionView:
    """A submission, the record it proposes (wire form) and what is wrong with it."""

    submission: Submission
    proposed: dict[str, Any]
    issues: tuple[Issue, ...]


def load(session: Session, submission_id: str) -> SubmissionModel:
    row = session.get(SubmissionModel, submission_id)
    if row is None or row.deleted:
        raise NotFound("error.submission_not_found", field="submission_id")
    return row


def official_person(session: Session, person_id: str) -> PersonModel | None:
    row = session.scalar(select(PersonModel).where(PersonModel.id == person_id))
    return None if row is None or row.deleted else row


def official_fields(row: PersonModel | None) -> dict[str, Any]:
    if row is None:
        return {}
    return {name: codec.to_wire(getattr(row, name)) for name in EDITABLE}


def official_rows(session: Session, person_id: str) -> dict[str, dict[str, Any]]:
    rows = session.scalars(select(HistoryRowModel).where(HistoryRowModel.person_id == person_id))
    return {r.id: {**history_wire(r), "deleted": r.deleted} for r in rows}


def proposed_fields(official: dict[str, Any], changes: Mapping[str, list[Any]]) -> dict[str, Any]:
    return rules.proposed_fields(official, changes)


def person_from(fields: Mapping[str, Any], sub: SubmissionModel) -> Person:
    return rules.person_from(fields, sub.person_id, sub.org_id)


def view(session: Session, sub: SubmissionModel) -> SubmissionView:
    """The submission, the record it proposes and its issues, by the rules the central
    checks a submit with (app.domain.rules)."""
    official = official_fields(official_person(session, sub.person_id))
    proposed = rules.proposed_fields(official, sub.changes)
    entity = submission_entity(sub)
    rows = rules.proposed_rows(entity.history, official_rows(session, sub.person_id))
    issues = rules.record_issues(proposed, rows, sub.person_id, sub.org_id)
    return SubmissionView(entity, proposed, tuple(issues))


def payload(sub: SubmissionModel) -> dict[str, Any]:
    return codec.fields_of(submission_entity(sub)) | {"history": sub.history}


def op(
    session: Session,
    sub: SubmissionModel,
    kind: str,
    user: User,
    payload: dict,
    undo: list[dict[str, Any]] | None = None,
) -> None:
    """The op for the central; ``undo``: the rows it changed here as they were before
    (:func:`app.services.replica.preimages`), put back if the central refuses it."""
    outbox.enqueue(
        session, kind=kind, entity_id=sub.id, org_id=sub.org_id, author=user.id,
        payload=payload, undo=undo,
    )  # fmt: skip
