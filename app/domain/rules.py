"""The rules of submit, return and approve, once, for the desktop's services
(app.services.submissions, app.services.decisions) and the central's handlers
(sync.central.push) alike (DESIGN.md §3; issue 13, "one definition of each op").

Each rule takes plain data (the submission, the acting user, the official record in wire
form) and either returns what the action leads to or raises a :class:`DomainError` (a
refusal the desktop shows and the central answers with its code). Neither side reads or
writes a database here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.domain import codec, limits, merge, structure, validation, workflow
from app.domain.entities import (
    HISTORY_KINDS,
    HistoryChanges,
    HistoryRow,
    Person,
    Submission,
    SubmissionState,
    User,
)
from app.domain.errors import InvalidInput, Issue
from app.domain.workflow import Action

EDITABLE = Person.EDITABLE
# Placeholders that let an incomplete draft be checked like a whole record.
_BLANK = {"citizen_id": "", "prefix": "", "first_name_th": "", "last_name_th": "", "category": ""}


def person_from(fields: Mapping[str, Any], person_id: str, org_id: str) -> Person:
    """The person that wire-form ``fields`` describe (blank where a required field is
    missing, so that an incomplete draft can be checked like a whole record)."""
    values = {**_BLANK, **{k: v for k, v in fields.items() if v is not None or k not in _BLANK}}
    values = {k: v for k, v in values.items() if k in EDITABLE}
    return codec.build(Person, {**values, "id": person_id, "org_id": org_id})


def proposed_fields(official: Mapping[str, Any], changes: Mapping[str, list[Any]]) -> dict:
    """The person's fields as the submission would leave them (before any merge)."""
    return {**official, **{name: pair[1] for name, pair in changes.items()}}


def history_entity(row: Mapping[str, Any], person_id: str, org_id: str) -> HistoryRow:
    """The history row that wire-form ``row`` describes; a missing field counts as blank
    (validation reports it)."""
    cls = HISTORY_KINDS[row["kind"]]
    data = {f.name: None for f in dataclasses.fields(cls)}
    data |= {k: v for k, v in row.items() if k not in ("kind", "deleted")}
    return codec.build(cls, {**data, "person_id": person_id, "org_id": org_id})


def proposed_rows(
    history: HistoryChanges, official_rows: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The history rows a submission adds or changes, as it would leave them. A changed row
    the person lacks is left out: the merge reports it to the supervisor."""
    rows = [dict(row) for row in history.added] + [
        {**official_rows[rid], **{name: pair[1] for name, pair in diffs.items()}}
        for rid, diffs in history.updated.items()
        if rid in official_rows
    ]
    return [r for r in rows if r.get("kind") in HISTORY_KINDS]


def record_issues(
    fields: Mapping[str, Any], rows: Iterable[Mapping[str, Any]], person_id: str, org_id: str
) -> list[Issue]:
    """Every issue (errors and warnings) of a proposed record: the person and its rows."""
    issues = list(validation.validate_person(person_from(fields, person_id, org_id)))
    for row in rows:
        issues.extend(validation.validate_history_row(history_entity(row, person_id, org_id)))
    return issues


def submit(submission: Submission, user: User, issues: Iterable[Issue]) -> SubmissionState:
    """The state a submit leads to: refused while the record has errors (``issues``, of
    :func:`record_issues`) or changes nothing."""
    state = workflow.check(submission, user, Action.SUBMIT)
    errors = [i for i in issues if i.is_error]
    if not submission.changes and submission.history.is_empty():
        errors.append(Issue("no_changes", None, "error.no_changes"))
    if errors:
        raise InvalidInput(errors)
    return state


def return_(
    submission: Submission,
    user: User,
    reason: str | None,
    field_comments: Mapping[str, str] | None = None,
) -> tuple[SubmissionState, str]:
    """The state a return leads to, and its reason as kept (required). The reason and each
    comment on a field are free text of bounded length."""
    reason = (reason or "").strip()
    bounds = [limits.check_text("reason", reason)] + [
        limits.check_text("note", text) for text in (field_comments or {}).values()
    ]
    if any(len(name) > limits.CODE_LENGTH for name in field_comments or {}):
        bounds.append(Issue("unknown_field", "field_comments", "error.unknown_field"))
    if found := [b for b in bounds if b is not None]:
        raise InvalidInput(found)
    return workflow.check(submission, user, Action.RETURN, reason=reason), reason


@dataclass(frozen=True, slots=True)
class Approval:
    """What approving leads to: ``person`` is None while ``merged`` has open conflicts."""

    state: SubmissionState
    merged: merge.MergeResult
    person: Person | None
    # the slots the appointment fills and vacates (app.domain.structure.appointment)
    slots: tuple[structure.SlotChange, ...] = ()

    def changed_rows(self) -> list[str]:
        """The ids of the history rows the approval writes, in order."""
        changed = self.merged.applied_history
        return [r["id"] for r in changed.added] + [*changed.updated, *changed.deleted]


def is_stale(base_version: int | None, current_version: int) -> bool:
    """Resolutions chosen against ``base_version`` of a record now at another version
    could overwrite a value the supervisor never saw."""
    return base_version is not None and base_version != current_version


def approve(
    submission: Submission,
    user: User,
    official_fields: Mapping[str, Any],
    official_rows: merge.Rows,
    resolutions: Mapping[str, Any] | None = None,
    *,
    slots: Callable[[str], structure.SlotFacts | None],
) -> Approval:
    """Approve ``submission`` against the official record (wire form): the state it leads
    to, the merge, the merged person, normalized and valid, and what it does to the
    position slots (``slots``: a slot by id, None if there is none). Raises if the user may
    not, if the merged record (resolutions included) has errors or values out of bounds, or
    if the appointment it makes is refused (:class:`structure.SlotTaken` for a slot filled
    by someone else meanwhile)."""
    state = workflow.check(submission, user, Action.APPROVE)
    result = merge.merge(
        dict(official_fields),
        submission.changes,
        dict(official_rows),
        submission.history,
        resolutions,
    )
    if result.conflicts:
        return Approval(state, result, None)
    # A resolution is the supervisor's value: it is checked like any other.
    try:
        merged = person_from(result.fields, submission.person_id, submission.org_id)
    except (ValueError, ArithmeticError, TypeError):
        raise InvalidInput([Issue("invalid_value", None, "error.invalid_value")]) from None
    person = validation.normalize_person(merged)
    issues = validation.validate_person(person)
    approval = Approval(state, result, person)
    for rid in approval.changed_rows():
        issues += _row_issues(result.history[rid], submission)
    validation.raise_if_errors(issues)
    # the slot the person held, and the one the record now gives them (none once they
    # leave service: their slot is vacant)
    previous = structure.held_slot(official_fields)
    held = structure.held_slot(codec.fields_of(person, ("position_id", "employment_status")))
    wanted = {i for i in (previous, held) if i}
    changes = structure.appointment(
        submission.person_id, submission.org_id, person.category, previous, held,
        {i: slots(i) for i in wanted},
    )  # fmt: skip
    return dataclasses.replace(approval, slots=changes)


def _row_issues(row: Mapping[str, Any], submission: Submission) -> list[Issue]:
    """What no history row may hold: an unknown kind or field, a value out of its hard
    bounds (a row a resolution wrote is stored exactly as given)."""
    if row.get("deleted"):
        return []
    cls = HISTORY_KINDS.get(row.get("kind"))  # type: ignore[arg-type]
    known = {f.name for f in dataclasses.fields(cls)} if cls else set()
    others = [row[k] for k in set(row) - known]  # row metadata: short plain values
    if cls is None or not all(_plain(v) for v in others):
        return [Issue("invalid_value", "history", "error.invalid_value")]
    try:
        entity = history_entity(row, submission.person_id, submission.org_id)
    except (ValueError, ArithmeticError, TypeError):
        return [Issue("invalid_value", "history", "error.invalid_value")]
    return limits.check_fields(entity, _row_fields(entity), hard=True)


def _plain(value: Any) -> bool:
    return (
        value is None
        or isinstance(value, bool | int)
        or (isinstance(value, str) and len(value) <= limits.TEXT_LENGTH)
    )


def _row_fields(row: HistoryRow) -> list[str]:
    meta = {f.name for f in dataclasses.fields(HistoryRow)}
    return [f.name for f in dataclasses.fields(row) if f.name not in meta]
