"""What the clerk's screens read and write: in the person editor, one person's record as
the clerk's open submission proposes it, with the official record beside it; in My
submissions, the clerk's submissions with the names they are about.

The editor opens a person without making a draft (looking is not proposing); the first
edit starts one. Each write here is the use case of :mod:`app.services.submissions` (one
transaction with its outbox op) followed by a read of the result, so the editor always
shows what is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.domain import workflow
from app.domain.entities import HISTORY_KINDS, JsonDict, Role, Submission, SubmissionKind, User
from app.domain.errors import NotFound
from app.domain.workflow import Action
from app.services import submissions
from app.services.context import actor, require_scope
from app.services.records import load, official_fields, official_person, official_rows, view
from app.services.submissions import OPEN, HistoryEdits
from app.store.db import Database
from app.store.models import PersonModel, SubmissionModel

#: What a new person's record holds before the clerk types anything.
NEW_PERSON_DEFAULTS = {"employment_status": "active"}


@dataclass(frozen=True, slots=True)
class DraftDetail:
    """A person as the editor shows them. Values are in wire form (see app.domain.codec).

    ``submission`` is None while nothing is proposed (an official person opened to look);
    then ``proposed`` is the official record. ``rows`` are the history rows as proposed
    (official rows with the edits, added rows last); ``deleted_rows`` the official rows the
    submission deletes, as the clerk saw them.
    """

    person_id: str | None
    org_id: str
    submission: Submission | None
    proposed: JsonDict
    official: JsonDict
    official_rows: Mapping[str, JsonDict]
    rows: tuple[JsonDict, ...]
    deleted_rows: Mapping[str, JsonDict]
    allowed: frozenset[Action] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class SubmissionSummary:
    """One line of My submissions: the submission and the name of the person, as proposed."""

    submission: Submission
    prefix: str | None
    first_name_th: str | None
    last_name_th: str | None
    citizen_id: str | None


@dataclass(frozen=True, slots=True)
class PositionChoice:
    """A numbered position of the organization, as a chooser lists it."""

    id: str
    position_number: str
    title: str
    position_type: str
    vacant: bool


def apply_history(
    official: Mapping[str, JsonDict], sub: Submission | None
) -> tuple[tuple[JsonDict, ...], dict[str, JsonDict]]:
    """The proposed history rows and the deleted ones, from the official rows and a
    submission's history changes."""
    if sub is None:
        return tuple(official.values()), {}
    changes = sub.history
    rows = []
    for rid, row in official.items():
        if rid in changes.deleted:
            continue
        diffs = changes.updated.get(rid, {})
        rows.append({**row, **{name: pair[1] for name, pair in diffs.items()}})
    rows.extend(dict(r) for r in changes.added)
    deleted = {rid: {**official.get(rid, {}), **base} for rid, base in changes.deleted.items()}
    return tuple(r for r in rows if r.get("kind") in HISTORY_KINDS), deleted


def _detail(session, user, person_id: str | None, sub_row: SubmissionModel | None) -> DraftDetail:
    person_row = official_person(session, person_id) if person_id else None
    official = official_fields(person_row)
    live_rows: dict[str, JsonDict] = {}
    if person_id:
        live_rows = {
            rid: {k: v for k, v in row.items() if k != "deleted"}
            for rid, row in official_rows(session, person_id).items()
            if not row["deleted"]
        }
    if sub_row is None:
        if person_row is None:
            raise NotFound("error.person_not_found", field="person_id")
        require_scope(user, person_row.org_id)
        rows, deleted = apply_history(live_rows, None)
        return DraftDetail(person_id, person_row.org_id, None, official, official, live_rows,
                           rows, deleted, _may_propose(user))  # fmt: skip
    require_scope(user, sub_row.org_id)
    current = view(session, sub_row)
    sub = current.submission
    rows, deleted = apply_history(live_rows, sub)
    allowed = workflow.allowed_actions(sub, user)
    return DraftDetail(sub.person_id, sub.org_id, sub, current.proposed, official, live_rows,
                       rows, deleted, allowed)  # fmt: skip


def _may_propose(user: User) -> frozenset[Action]:
    """What the actor may do before any submission exists: start one by editing."""
    return frozenset() if user.role is Role.AUDITOR else frozenset({Action.EDIT})


def _open_of(session, author_id: str, person_id: str) -> SubmissionModel | None:
    return session.scalar(
        select(SubmissionModel)
        .where(
            SubmissionModel.person_id == person_id,
            SubmissionModel.author_id == author_id,
            SubmissionModel.state.in_([str(s) for s in OPEN]),
        )
        .order_by(SubmissionModel.created_at.desc())
    )


def new_person(db: Database, actor_id: str) -> DraftDetail:
    """An empty record for a person not yet in the register, in the actor's organization.
    The draft itself is started by the first save."""
    with db.reading() as session:
        user = actor(session, actor_id)
        proposed = dict(NEW_PERSON_DEFAULTS)
        return DraftDetail(None, user.org_id, None, proposed, {}, {}, (), {}, _may_propose(user))


def open_person(db: Database, actor_id: str, person_id: str) -> DraftDetail:
    """An official person with the actor's open submission about them, if there is one."""
    with db.reading() as session:
        user = actor(session, actor_id)
        return _detail(session, user, person_id, _open_of(session, user.id, person_id))


def open_submission(db: Database, actor_id: str, submission_id: str) -> DraftDetail:
    with db.reading() as session:
        user = actor(session, actor_id)
        sub = load(session, submission_id)
        return _detail(session, user, sub.person_id, sub)


def save(
    db: Database,
    actor_id: str,
    submission_id: str | None,
    *,
    person_id: str | None = None,
    fields: Mapping[str, Any] | None = None,
    history: HistoryEdits | None = None,
) -> DraftDetail:
    """Record what the clerk typed. Without ``submission_id`` a draft is started first:
    about ``person_id``, or a new person when that is None too."""
    if submission_id is None:
        if person_id is None:
            fields = {**NEW_PERSON_DEFAULTS, **(fields or {})}
        kind = SubmissionKind.UPDATE if person_id else SubmissionKind.NEW_PERSON
        started = submissions.start_draft(db, actor_id, person_id=person_id, kind=kind)
        submission_id = started.submission.id
    submissions.save_draft(db, actor_id, submission_id, fields=fields, history=history)
    return open_submission(db, actor_id, submission_id)


def submit(db: Database, actor_id: str, submission_id: str) -> DraftDetail:
    submissions.submit(db, actor_id, submission_id)
    return open_submission(db, actor_id, submission_id)


def withdraw(db: Database, actor_id: str, submission_id: str) -> DraftDetail:
    submissions.withdraw(db, actor_id, submission_id)
    return open_submission(db, actor_id, submission_id)


def positions(
    db: Database, actor_id: str, org_id: str, *, include: Iterable[str | None] = ()
) -> tuple[PositionChoice, ...]:
    """What the editor's position picker offers: the organization's vacant slots by number,
    and the slots of ``include`` whatever their state (the person's current one, the one a
    draft proposes) first."""
    from app.services import structure  # structure reads the records this module writes

    wanted = [i for i in dict.fromkeys(include) if i]
    found: dict[str, structure.Slot] = {}
    for slot_id in wanted:
        for slot in structure.vacant_slots(db, actor_id, org_id=org_id, include=slot_id, limit=0):
            found[slot.id] = slot
    for slot in structure.vacant_slots(db, actor_id, org_id=org_id, limit=PICKER_LIMIT):
        found.setdefault(slot.id, slot)
    return tuple(
        PositionChoice(s.id, s.position_number, s.title, s.position_type, s.state == "vacant")
        for s in found.values()
    )


#: vacant slots the picker lists at most (an office has a few thousand slots in all)
PICKER_LIMIT = 2000


_NAME_FIELDS = ("prefix", "first_name_th", "last_name_th", "citizen_id")


def summaries(db: Database, actor_id: str) -> tuple[SubmissionSummary, ...]:
    """The actor's own submissions, latest change first, each with the person's name as
    the submission proposes it (the official name where it changes none)."""
    subs = submissions.list_submissions(db, actor_id, author_id=actor_id)
    ids = sorted({s.person_id for s in subs})
    names: dict[str, dict[str, Any]] = {}
    with db.reading() as session:
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows = session.execute(
                select(PersonModel.id, *(getattr(PersonModel, n) for n in _NAME_FIELDS)).where(
                    PersonModel.id.in_(chunk)
                )
            )
            names.update({r[0]: dict(zip(_NAME_FIELDS, r[1:], strict=True)) for r in rows})
    out = []
    for sub in subs:
        name = {**names.get(sub.person_id, {})}
        name.update({f: pair[1] for f, pair in sub.changes.items() if f in _NAME_FIELDS})
        out.append(SubmissionSummary(sub, *(name.get(f) for f in _NAME_FIELDS)))
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)  # a time no record keeps: last
    out.sort(key=lambda s: s.submission.updated_at or s.submission.created_at or epoch,
             reverse=True)  # fmt: skip
    return tuple(out)
