"""The supervisor's reading use cases (DESIGN.md §3, issue 6): the review queue of submitted
changes, the count of those waiting, and what one decision is about.

The writes (approve, return) are in :mod:`app.services.decisions`; :func:`approve_batch`
approves several clean submissions, each in its own transaction, and leaves conflicting
ones for the decision view. Everything returned is frozen, in wire form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from app.domain import codec, merge, structure, workflow
from app.domain.entities import Role, Submission, SubmissionKind, SubmissionState
from app.domain.errors import ConflictsUnresolved, DomainError
from app.domain.workflow import Action
from app.services import decisions, structure_views
from app.services.context import actor, require_role, require_scope
from app.services.records import (
    EDITABLE,
    load,
    official_fields,
    official_person,
    official_rows,
)
from app.store.db import Database
from app.store.mapping import history_wire, submission_entity
from app.store.models import (
    HistoryRowModel,
    OrganizationModel,
    OrgUnitModel,
    PersonModel,
    PositionModel,
    SubmissionModel,
    UserModel,
)

_NAME = (
    "prefix", "first_name_th", "last_name_th", "citizen_id", "position_id", "acting_rank",
)  # fmt: skip
_CHUNK = 500  # ids in one IN (…): well under SQLite's limit of bound parameters
REVIEWERS = (Role.SUPERVISOR,)


@dataclass(frozen=True, slots=True)
class QueueFilters:
    """Narrow the queue: by organization (a provincial supervisor covers several), unit,
    author, and the day it was submitted (inclusive)."""

    org_id: str | None = None
    unit_id: str | None = None
    author_id: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    #: Only those with a field in conflict with the official record.
    conflicts_only: bool = False


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One submitted change waiting for a decision."""

    submission_id: str
    person_id: str
    kind: SubmissionKind
    author_id: str
    author_name: str
    prefix: str | None
    first_name_th: str | None
    last_name_th: str | None
    citizen_id: str | None
    unit_id: str | None
    unit_name: str | None
    submitted_at: dt.datetime | None
    #: False for the actor's own submission: they may not decide it.
    can_decide: bool
    org_id: str = ""
    org_name: str = ""
    #: Where the official record moved away from the clerk's base to another value than
    #: the proposed one (the decision view's conflicts, by the same merge): their keys.
    conflicts: tuple[str, ...] = ()
    acting_rank: bool = False  # "ว่าที่" before the rank
    #: What another submission waiting about the same person changes too (merge keys): a
    #: conflict-to-be, since approving one makes the other meet it.
    competing: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FieldLine:
    """One changed person field: base → proposed, the official value where it moved."""

    field: str
    base: Any
    official: Any
    proposed: Any

    @property
    def official_moved(self) -> bool:
        return self.official != self.base


@dataclass(frozen=True, slots=True)
class RowLine:
    """One history row the submission adds, changes or deletes; ``fields``: field →
    [base, official, proposed] (a whole row for an added or deleted one)."""

    row_id: str
    kind: str
    change: str  # "added" | "updated" | "deleted"
    fields: dict[str, list[Any]]


@dataclass(frozen=True, slots=True)
class DecisionDetail:
    """Everything the supervisor decides on, read in one transaction."""

    submission: Submission
    author_name: str
    person_name: tuple[str | None, str | None, str | None, bool]  # prefix, names, acting
    fields: tuple[FieldLine, ...]
    rows: tuple[RowLine, ...]
    conflicts: tuple[merge.Conflict, ...]
    #: The official record's version the conflicts were found against (``expected_version``).
    official_version: int
    allowed: frozenset[Action]
    #: Why the appointment the change makes would be refused now (a slot another approval
    #: filled first, a frozen or cut slot...): the refusal's message key and its params.
    slot_problem: tuple[str, dict[str, Any]] | None = None
    #: The other submissions waiting about this person that change the same things.
    competing: tuple[Competing, ...] = ()


@dataclass(frozen=True, slots=True)
class Competing:
    """Another waiting submission about the same person that changes some of the same
    fields or history rows (differently): approving one puts the other in conflict."""

    submission_id: str
    author_name: str
    keys: tuple[str, ...]  # merge keys (app.domain.merge.person_key / row_key)


@dataclass(frozen=True, slots=True)
class WorkCounts:
    """What waits for the user: their submissions returned for changes, and (for a
    supervisor) the submissions waiting for a decision."""

    returned: int
    waiting: int
    #: The user's own drafts, saved but not yet sent for approval.
    drafts: int = 0


def work_counts(db: Database, actor_id: str) -> WorkCounts:
    with db.reading() as session:
        user = actor(session, actor_id)
        mine = dict(
            session.execute(
                select(SubmissionModel.state, func.count())
                .where(
                    SubmissionModel.author_id == user.id,
                    SubmissionModel.deleted.is_(False),
                    SubmissionModel.state.in_(
                        [str(SubmissionState.RETURNED), str(SubmissionState.DRAFT)]
                    ),
                )
                .group_by(SubmissionModel.state)
            ).all()
        )
    returned = mine.get(str(SubmissionState.RETURNED), 0)
    drafts = mine.get(str(SubmissionState.DRAFT), 0)
    return WorkCounts(returned, waiting_count(db, actor_id), drafts)


def waiting_count(db: Database, actor_id: str) -> int:
    """How many submissions in the actor's scope wait for a decision."""
    with db.reading() as session:
        user = actor(session, actor_id)
        if user.role not in REVIEWERS:
            return 0
        waiting = session.scalar(
            select(func.count())
            .select_from(SubmissionModel)
            .where(
                SubmissionModel.org_id.in_(sorted(user.scope)),
                SubmissionModel.deleted.is_(False),
                SubmissionModel.state == str(SubmissionState.SUBMITTED),
            )
        )
        return waiting or 0


def review_queue(
    db: Database, actor_id: str, filters: QueueFilters | None = None
) -> tuple[QueueRow, ...]:
    """Submitted changes in the actor's scope, the oldest first. Supervisors only."""
    filters = filters or QueueFilters()
    with db.reading() as session:
        user = actor(session, actor_id)
        require_role(user, *REVIEWERS)
        q = select(SubmissionModel).where(
            SubmissionModel.org_id.in_(sorted(user.scope)),
            SubmissionModel.deleted.is_(False),
            SubmissionModel.state == str(SubmissionState.SUBMITTED),
        )
        if filters.author_id:
            q = q.where(SubmissionModel.author_id == filters.author_id)
        if filters.org_id:
            q = q.where(SubmissionModel.org_id == filters.org_id)
        q = q.order_by(SubmissionModel.submitted_at, SubmissionModel.id)
        subs = [submission_entity(s) for s in session.scalars(q)]
        people = _officials(session, {s.person_id for s in subs})
        found = _conflicts(session, subs, people)
        rivals = _competing(session, subs)
        authors = dict(
            session.execute(
                select(UserModel.id, UserModel.display_name).where(
                    UserModel.id.in_({s.author_id for s in subs})
                )
            ).all()
        )
        units = dict(session.execute(select(OrgUnitModel.id, OrgUnitModel.name)).all())
        orgs = dict(session.execute(select(OrganizationModel.id, OrganizationModel.name)).all())
        positions = dict(session.execute(select(PositionModel.id, PositionModel.unit_id)).all())
        out = []
        for sub in subs:
            person = people.get(sub.person_id)
            name = {f: getattr(person, f) for f in _NAME} if person else {}
            name.update({f: p[1] for f, p in sub.changes.items() if f in _NAME})
            conflicts = tuple(c.key for c in found[sub.id])
            unit_id = positions.get(name.get("position_id") or "")
            day = _local_day(sub.submitted_at)
            if filters.unit_id and unit_id != filters.unit_id:
                continue
            if filters.since and (day is None or day < filters.since):
                continue
            if filters.until and (day is None or day > filters.until):
                continue
            competing = tuple(sorted({k for c in rivals.get(sub.id, ()) for k in c.keys}))
            if filters.conflicts_only and not conflicts and not competing:
                continue
            out.append(
                QueueRow(
                    submission_id=sub.id,
                    person_id=sub.person_id,
                    kind=sub.kind,
                    author_id=sub.author_id,
                    author_name=authors.get(sub.author_id, ""),
                    prefix=name.get("prefix"),
                    acting_rank=bool(name.get("acting_rank")),
                    competing=competing,
                    first_name_th=name.get("first_name_th"),
                    last_name_th=name.get("last_name_th"),
                    citizen_id=name.get("citizen_id"),
                    unit_id=unit_id,
                    unit_name=units.get(unit_id) if unit_id else None,
                    submitted_at=sub.submitted_at,
                    can_decide=sub.author_id != user.id,
                    org_id=sub.org_id,
                    org_name=orgs.get(sub.org_id, ""),
                    conflicts=conflicts,
                )
            )
        return tuple(out)


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    if moment is None:
        return None
    return (moment.astimezone() if moment.tzinfo else moment).date()


def _officials(session: Session, ids: Iterable[str]) -> dict[str, Row]:
    """person id → the official record's editable fields as stored, read 500 people at a
    time; a deleted or not yet official person is left out (the merge sees an empty record)."""
    ids = sorted(ids)
    cols = [getattr(PersonModel, n) for n in EDITABLE]
    found: dict[str, Row] = {}
    for i in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(PersonModel.id, *cols).where(
                PersonModel.id.in_(ids[i : i + _CHUNK]), PersonModel.deleted.is_(False)
            )
        )
        found.update({r.id: r for r in rows})
    return found


def _conflicts(
    session: Session, subs: Iterable[Submission], officials: dict[str, Row]
) -> dict[str, tuple[merge.Conflict, ...]]:
    """submission id → its open conflicts, by the merge the decision view and the approval
    use. A conflict depends only on what the submission touches, so the merge is given only
    those fields and history rows of the official record (the rows read 500 at a time):
    the same conflicts at a fraction of the cost over a queue of hundreds."""
    subs = list(subs)
    touched = sorted({rid for s in subs for rid in _row_ids(s)})
    rows: dict[str, dict[str, Any]] = {}
    for i in range(0, len(touched), _CHUNK):
        found = session.scalars(
            select(HistoryRowModel).where(HistoryRowModel.id.in_(touched[i : i + _CHUNK]))
        )
        rows.update({r.id: {**history_wire(r), "deleted": r.deleted} for r in found})
    out = {}
    for s in subs:
        person = officials.get(s.person_id)
        fields = {
            n: codec.to_wire(getattr(person, n)) for n in s.changes if n in EDITABLE and person
        }
        own = {rid: rows[rid] for rid in _row_ids(s) if rid in rows}
        out[s.id] = merge.merge(fields, s.changes, own, s.history).conflicts
    return out


def _competing(session: Session, subs: Iterable[Submission]) -> dict[str, tuple[Competing, ...]]:
    """submission id → the other submissions waiting about the same person that change
    some of the same fields to another value, or the same history rows. ``subs`` need not
    hold those others: every waiting submission of their people is read."""
    people = sorted({s.person_id for s in subs})
    waiting: dict[str, list[Submission]] = {}
    for i in range(0, len(people), _CHUNK):
        found = session.scalars(
            select(SubmissionModel).where(
                SubmissionModel.person_id.in_(people[i : i + _CHUNK]),
                SubmissionModel.deleted.is_(False),
                SubmissionModel.state == str(SubmissionState.SUBMITTED),
            )
        )
        for row in found:
            waiting.setdefault(row.person_id, []).append(submission_entity(row))
    rivals = [w for group in waiting.values() if len(group) > 1 for w in group]
    names = dict(
        session.execute(
            select(UserModel.id, UserModel.display_name).where(
                UserModel.id.in_({s.author_id for s in rivals})
            )
        ).all()
    ) if rivals else {}  # fmt: skip
    out: dict[str, tuple[Competing, ...]] = {}
    for sub in subs:
        others = [o for o in waiting.get(sub.person_id, ()) if o.id != sub.id]
        found_keys = [(o, _shared(sub, o)) for o in others]
        out[sub.id] = tuple(
            Competing(o.id, names.get(o.author_id, ""), keys) for o, keys in found_keys if keys
        )
    return out


def _shared(a: Submission, b: Submission) -> tuple[str, ...]:
    """What both change: person fields proposed differently, and history rows both edit."""
    fields = [
        merge.person_key(name)
        for name, pair in a.changes.items()
        if name in b.changes and b.changes[name][1] != pair[1]
    ]
    rows_a = {*a.history.updated, *a.history.deleted}
    rows_b = {*b.history.updated, *b.history.deleted}
    return tuple(sorted(fields)) + tuple(merge.row_key(r) for r in sorted(rows_a & rows_b))


def _row_ids(sub: Submission) -> list[str]:
    history = sub.history
    return [*(r["id"] for r in history.added), *history.updated, *history.deleted]


def decision_detail(db: Database, actor_id: str, submission_id: str) -> DecisionDetail:
    """The submission's changes side by side with the official record, and its conflicts."""
    with db.reading() as session:
        user = actor(session, actor_id)
        sub_row = load(session, submission_id)
        require_scope(user, sub_row.org_id)
        sub = submission_entity(sub_row)
        official_row = official_person(session, sub.person_id)
        official = official_fields(official_row)
        rows = official_rows(session, sub.person_id)
        result = merge.merge(official, sub.changes, rows, sub.history)
        fields = tuple(
            FieldLine(name, pair[0], official.get(name), pair[1])
            for name in EDITABLE
            if (pair := sub.changes.get(name)) is not None
        )
        author = session.get(UserModel, sub.author_id)
        name = {**official, **{f: p[1] for f, p in sub.changes.items()}}
        return DecisionDetail(
            submission=sub,
            author_name=author.display_name if author else "",
            person_name=(
                name.get("prefix"),
                name.get("first_name_th"),
                name.get("last_name_th"),
                bool(name.get("acting_rank")),
            ),
            fields=fields,
            rows=_row_lines(sub, rows),
            conflicts=result.conflicts,
            official_version=official_row.version if official_row else 0,
            allowed=workflow.allowed_actions(sub, user),
            slot_problem=_slot_problem(session, sub, official, name),
            competing=_competing(session, [sub])[sub.id]
            if sub.state is SubmissionState.SUBMITTED
            else (),
        )


def _slot_problem(
    session: Session, sub: Submission, official: dict[str, Any], proposed: dict[str, Any]
) -> tuple[str, dict[str, Any]] | None:
    """What the approval's appointment (app.domain.structure.appointment) would refuse now."""
    previous, held = structure.held_slot(official), structure.held_slot(proposed)
    if held is None or held == previous:
        return None
    try:
        structure.appointment(
            sub.person_id, sub.org_id, proposed.get("category"), previous, held,
            {i: structure_views.slot_facts(session, i) for i in {previous, held} if i},
        )  # fmt: skip
    except structure.StructureError as refused:
        return refused.message_key, dict(refused.params)
    return None


def _row_lines(sub: Submission, official: dict[str, dict[str, Any]]) -> tuple[RowLine, ...]:
    skip = merge.META | {"kind", "person_id", "org_id"}
    lines = []
    for row in sub.history.added:
        values = {k: [None, None, v] for k, v in row.items() if k not in skip}
        lines.append(RowLine(row["id"], row.get("kind", ""), "added", values))
    for rid, diffs in sub.history.updated.items():
        now = official.get(rid, {})
        values = {f: [p[0], now.get(f), p[1]] for f, p in diffs.items()}
        lines.append(RowLine(rid, now.get("kind", ""), "updated", values))
    for rid, base in sub.history.deleted.items():
        now = official.get(rid) or {}
        values = {k: [v, now.get(k), None] for k, v in base.items() if k not in skip}
        lines.append(RowLine(rid, base.get("kind", ""), "deleted", values))
    return tuple(lines)


@dataclass(frozen=True, slots=True)
class BatchResult:
    approved: tuple[str, ...]
    #: submission id → the error code that kept it out (a conflict, a stale record, …)
    skipped: dict[str, str]


def approve_batch(db: Database, actor_id: str, submission_ids: Iterable[str]) -> BatchResult:
    """Approve each submission that merges without a conflict, each in its own
    transaction; the others stay in the queue for the decision view."""
    approved: list[str] = []
    skipped: dict[str, str] = {}
    for sid in submission_ids:
        try:
            decisions.approve(db, actor_id, sid)
        except ConflictsUnresolved as exc:
            skipped[sid] = exc.message_key
        except DomainError as exc:
            skipped[sid] = exc.message_key
        else:
            approved.append(sid)
    return BatchResult(tuple(approved), skipped)


def batch_preview(db: Database, actor_id: str, submission_ids: Iterable[str]) -> BatchResult:
    """Which of ``submission_ids`` a batch would approve (``approved``) and which it would
    leave out (``skipped``: conflicting, or not the actor's to decide). Writes nothing."""
    clean: list[str] = []
    skipped: dict[str, str] = {}
    with db.reading() as session:
        user = actor(session, actor_id)
        subs = [submission_entity(load(session, sid)) for sid in submission_ids]
        for sub in subs:
            require_scope(user, sub.org_id)
        found = _conflicts(session, subs, _officials(session, {s.person_id for s in subs}))
        for sub in subs:
            if Action.APPROVE not in workflow.allowed_actions(sub, user):
                skipped[sub.id] = "error.not_decider"
            elif found[sub.id]:
                skipped[sub.id] = "error.conflicts_unresolved"
            else:
                clean.append(sub.id)
    return BatchResult(tuple(clean), skipped)
