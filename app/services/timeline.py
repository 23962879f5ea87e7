"""A person's timeline (issue 6, History): who proposed what, who approved or returned it,
when, and what each change replaced — from the submissions and decisions every PC of the
office holds, so it reads the same on any of them. Read-only, for every role in scope
(auditors included); drafts that never went to a supervisor stay their author's own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.services.context import actor, require_scope
from app.store.db import Database
from app.store.models import DecisionModel, PersonModel, SubmissionModel, UserModel

PROPOSED, SUBMITTED, RETURNED, APPROVED, WITHDRAWN = (
    "proposed", "submitted", "returned", "approved", "withdrawn",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Entry:
    at: dt.datetime
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


def person_timeline(db: Database, actor_id: str, person_id: str) -> list[Entry]:
    """The person's submissions and decisions, oldest first."""
    with db.reading() as session:
        user = actor(session, actor_id)
        subs = session.scalars(
            select(SubmissionModel).where(SubmissionModel.person_id == person_id)
        ).all()
        official = session.get(PersonModel, person_id) if not subs else None
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
        entries = [e for s in shared for e in _of_submission(s, names)]
        by_sub = {s.id: s for s in shared}
        entries += [_of_decision(d, by_sub[d.submission_id], names) for d in decisions]
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(entries, key=lambda e: (e.at or epoch, _ORDER[e.event]))


_ORDER = {PROPOSED: 0, SUBMITTED: 1, RETURNED: 2, APPROVED: 2, WITHDRAWN: 3}


def _changes(sub: SubmissionModel) -> dict[str, tuple[Any, Any]]:
    return {name: (pair[0], pair[1]) for name, pair in (sub.changes or {}).items()}


def _rows(sub: SubmissionModel) -> dict[str, int]:
    history = sub.history or {}
    return {
        "rows_added": len(history.get("added") or ()),
        "rows_changed": len(history.get("updated") or {}),
        "rows_deleted": len(history.get("deleted") or {}),
    }


def _of_submission(sub: SubmissionModel, names: dict[str, str]) -> list[Entry]:
    author = (sub.author_id, names.get(sub.author_id, ""))
    out = [Entry(sub.created_at, PROPOSED, sub.id, sub.kind, *author, changes=_changes(sub),
                 **_rows(sub))]  # fmt: skip
    if sub.submitted_at is not None:
        out.append(Entry(sub.submitted_at, SUBMITTED, sub.id, sub.kind, *author))
    if sub.state == WITHDRAWN:
        out.append(Entry(sub.updated_at, WITHDRAWN, sub.id, sub.kind, *author))
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
        **(_rows(sub) if approved else {}),
    )
