"""A person's timeline (issue 6, History): who proposed what, who approved or returned it,
when, and what each change replaced — from the submissions and decisions every PC of the
office holds, so it reads the same on any of them. Read-only, for every role in scope
(auditors included); drafts that never went to a supervisor stay their author's own.

Every sending and every return is shown, in order. A submission keeps only the time of its
latest sending (``submitted_at``: each sending overwrites it, on this PC and at the
central), and no audit event records a sending; but every decision is kept, and each one
answered a sending made before it. So a submission sent, returned and sent again shows two
sendings: the latest at its recorded time, the earlier one without a time of its own
(``time_recorded`` False), placed just before the return that answered it (its ``at`` is
that return's time, the latest it can have been)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypedDict

from sqlalchemy import select

from app.services.context import actor, require_scope
from app.services.records import official_person
from app.store.db import Database
from app.store.models import DecisionModel, PersonModel, SubmissionModel, UserModel

PROPOSED, SUBMITTED, RETURNED, APPROVED, WITHDRAWN = (
    "proposed", "submitted", "returned", "approved", "withdrawn",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Entry:
    at: dt.datetime | None  # None: a time no record keeps (sorted first)
    event: str  # proposed | submitted | returned | approved | withdrawn
    submission_id: str
    kind: str  # new_person | update | end_of_service
    actor_id: str | None
    actor_name: str
    reason: str | None = None
    # field → (the value it replaced, the value proposed): what the change meant to do
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    # conflict key → the value the supervisor chose
    resolutions: dict[str, Any] = field(default_factory=dict)
    rows_added: int = 0
    rows_changed: int = 0
    rows_deleted: int = 0
    #: For a sending: which of the submission's sendings it was (1 the first).
    sending: int = 0
    #: False for an earlier sending whose time no record keeps: ``at`` is then the time of
    #: the return that answered it (it was sent before that).
    time_recorded: bool = True


@dataclass(frozen=True, slots=True)
class Timeline:
    """A person's name (prefix, Thai first and last names: the official record's, or the
    latest proposed one for a person not yet official) and their timeline, oldest first."""

    name: tuple[str | None, str | None, str | None, bool | None]  # prefix, names, acting
    entries: list[Entry]


def person_timeline(db: Database, actor_id: str, person_id: str) -> list[Entry]:
    """The person's submissions and decisions, oldest first."""
    return read(db, actor_id, person_id).entries


def read(db: Database, actor_id: str, person_id: str) -> Timeline:
    """The person's name and timeline."""
    with db.reading() as session:
        user = actor(session, actor_id)
        subs = session.scalars(
            select(SubmissionModel).where(SubmissionModel.person_id == person_id)
        ).all()
        official = official_person(session, person_id)
        org_id = subs[0].org_id if subs else (official.org_id if official else user.org_id)
        require_scope(user, org_id)
        shared = [
            s for s in subs if s.submitted_at is not None or s.decided_at is not None
            or s.author_id == user.id
        ]  # fmt: skip
        decisions = session.scalars(
            select(DecisionModel).where(DecisionModel.submission_id.in_([s.id for s in shared]))
        ).all()
        people = {s.author_id for s in shared} | {d.decider_id for d in decisions}
        names = dict(
            session.execute(
                select(UserModel.id, UserModel.display_name).where(UserModel.id.in_(people))
            ).all()
        )
        answers: dict[str, list[DecisionModel]] = {}
        for d in sorted(decisions, key=lambda d: d.decided_at or _EPOCH):
            answers.setdefault(d.submission_id, []).append(d)
        entries = [e for s in shared for e in _of_submission(s, answers.get(s.id, []), names)]
        by_sub = {s.id: s for s in shared}
        entries += [_of_decision(d, by_sub[d.submission_id], names) for d in decisions]
        name = _name(official, shared)
    entries.sort(key=lambda e: (e.at or _EPOCH, _ORDER[e.event], e.sending))
    return Timeline(name, entries)


_EPOCH = dt.datetime.min.replace(tzinfo=dt.UTC)
_NAME = ("prefix", "first_name_th", "last_name_th", "acting_rank")


def _name(official: PersonModel | None, subs: list[SubmissionModel]) -> tuple:
    if official is not None:
        return tuple(getattr(official, f) for f in _NAME)
    latest = max(subs, key=lambda s: s.updated_at or s.created_at or _EPOCH, default=None)
    changes = (latest.changes or {}) if latest is not None else {}
    return tuple((changes.get(f) or [None, None])[1] for f in _NAME)


_ORDER = {PROPOSED: 0, SUBMITTED: 1, RETURNED: 2, APPROVED: 2, WITHDRAWN: 3}


def _changes(sub: SubmissionModel) -> dict[str, tuple[Any, Any]]:
    return {name: (pair[0], pair[1]) for name, pair in (sub.changes or {}).items()}


class _RowCounts(TypedDict):
    rows_added: int
    rows_changed: int
    rows_deleted: int


_NO_ROWS = _RowCounts(rows_added=0, rows_changed=0, rows_deleted=0)


def _rows(sub: SubmissionModel) -> _RowCounts:
    history = sub.history or {}
    return _RowCounts(
        rows_added=len(history.get("added") or ()),
        rows_changed=len(history.get("updated") or {}),
        rows_deleted=len(history.get("deleted") or {}),
    )


def _of_submission(
    sub: SubmissionModel, answers: list[DecisionModel], names: dict[str, str]
) -> list[Entry]:
    author = (sub.author_id, names.get(sub.author_id, ""))
    out = [Entry(sub.created_at, PROPOSED, sub.id, sub.kind, *author, changes=_changes(sub),
                 **_rows(sub))]  # fmt: skip
    out += _sendings(sub, answers, author)
    if sub.state == WITHDRAWN:
        out.append(Entry(sub.updated_at, WITHDRAWN, sub.id, sub.kind, *author))
    return out


def _sendings(
    sub: SubmissionModel, answers: list[DecisionModel], author: tuple[str, str]
) -> list[Entry]:
    """One sending before each decision, and one waiting for a decision; only the latest
    has its time (``submitted_at``), the earlier ones are placed before their answer."""
    count = len(answers) + (sub.state == SUBMITTED)
    if count == 0 and sub.submitted_at is not None:
        count = 1  # sent, and its decision not here yet
    out = []
    at: dt.datetime | None
    for number in range(1, count + 1):
        if number == count and sub.submitted_at is not None:
            at, known = sub.submitted_at, True
        else:
            answer = answers[number - 1] if number <= len(answers) else None
            at, known = (answer.decided_at if answer else None), False
        out.append(Entry(at, SUBMITTED, sub.id, sub.kind, *author, sending=number,
                         time_recorded=known))  # fmt: skip
    return out


def _of_decision(decision: DecisionModel, sub: SubmissionModel, names: dict[str, str]) -> Entry:
    approved = decision.action == "approve"
    return Entry(
        decision.decided_at,
        APPROVED if approved else RETURNED,
        sub.id,
        sub.kind,
        decision.decider_id,
        names.get(decision.decider_id, ""),
        reason=decision.reason,
        changes=_changes(sub) if approved else {},
        resolutions=dict(decision.resolutions or {}),
        **(_rows(sub) if approved else _NO_ROWS),
    )
