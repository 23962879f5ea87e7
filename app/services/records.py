"""Reading and writing submissions and the official record they change: the pieces the
clerk's use cases (:mod:`app.services.submissions`) and the supervisor's
(:mod:`app.services.decisions`) share. Helpers here never commit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import codec, validation
from app.domain.entities import HISTORY_KINDS, Person, Submission, User
from app.domain.errors import Issue, NotFound
from app.services import outbox
from app.store.mapping import history_wire, submission_entity
from app.store.models import HistoryRowModel, PersonModel, SubmissionModel

EDITABLE = Person.EDITABLE
# Placeholders that let an incomplete draft be checked like a whole record.
_BLANK = {"citizen_id": "", "prefix": "", "first_name_th": "", "last_name_th": "", "category": ""}


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
    return {**official, **{name: pair[1] for name, pair in changes.items()}}


def person_from(fields: Mapping[str, Any], sub: SubmissionModel) -> Person:
    values = {**_BLANK, **{k: v for k, v in fields.items() if v is not None or k not in _BLANK}}
    values = {k: v for k, v in values.items() if k in EDITABLE}
    return codec.build(Person, {**values, "id": sub.person_id, "org_id": sub.org_id})


def check_record(
    sub: SubmissionModel, proposed: Mapping[str, Any], rows: Iterable[dict]
) -> list[Issue]:
    issues = list(validation.validate_person(person_from(proposed, sub)))
    for row in rows:
        issues.extend(validation.validate_history_row(history_entity(row, sub)))
    return issues


def history_entity(row: Mapping[str, Any], sub: SubmissionModel):
    cls = HISTORY_KINDS[row["kind"]]
    data = {k: v for k, v in row.items() if k not in ("kind", "deleted")}
    return codec.build(cls, {**data, "person_id": sub.person_id, "org_id": sub.org_id})


def view(session: Session, sub: SubmissionModel) -> SubmissionView:
    official = official_fields(official_person(session, sub.person_id))
    proposed = proposed_fields(official, sub.changes)
    entity = submission_entity(sub)
    rows = list(entity.history.added) + [
        {**official_rows(session, sub.person_id).get(rid, {}), **{f: p[1] for f, p in d.items()}}
        for rid, d in entity.history.updated.items()
    ]
    rows = [r for r in rows if r.get("kind") in HISTORY_KINDS]
    return SubmissionView(entity, proposed, tuple(check_record(sub, proposed, rows)))


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
