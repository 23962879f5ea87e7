"""The supervisor's use cases: return a submission, preview and approve it (DESIGN.md §3).

Official person data changes only here, by :func:`approve`, through the three-way merge of
:mod:`app.domain.merge`; nothing is applied over a conflict that nobody resolved. Each
function is one transaction that also writes the op for the central and an audit event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.domain import codec, merge, rules, workflow
from app.domain.entities import DecisionAction, Person, Submission
from app.domain.errors import ConflictsUnresolved, StaleVersion
from app.domain.ids import new_id, utcnow
from app.domain.workflow import Action
from app.services import audit, replica, structure
from app.services.context import actor, require_scope
from app.services.records import (
    EDITABLE,
    SubmissionView,
    load,
    official_fields,
    official_person,
    official_rows,
    op,
    view,
)
from app.store.db import Database
from app.store.mapping import entity, history_columns, submission_entity
from app.store.models import (
    DecisionModel,
    HistoryRowModel,
    PersonModel,
    PositionModel,
    SubmissionModel,
)
from app.store.search import derived


@dataclass(frozen=True, slots=True)
class ApprovalResult:
    submission: Submission
    person: Person
    decision_id: str
    applied_fields: dict[str, list[Any]]


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
        sub = load(session, submission_id)
        new_state, reason = rules.return_(submission_entity(sub), user, reason, field_comments)
        now = utcnow()
        undo = replica.preimages(session, [("submission", sub.id)])
        decision = _decision(session, sub, user, DecisionAction.RETURN, reason, {}, now)
        undo.append({"table": "decision", "id": decision.id, "absent": True})
        sub.state, sub.return_reason = str(new_state), reason
        sub.field_comments = dict(field_comments or {})
        sub.decided_at, sub.decided_by = now, user.id
        sub.updated_at, sub.updated_by = now, user.id
        op(
            session,
            sub,
            "submission.return",
            user,
            {"submission_id": sub.id, "decision_id": decision.id, "reason": reason,
             "field_comments": sub.field_comments},
            undo,
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
        return view(session, sub)


def preview_approval(
    db: Database,
    actor_id: str,
    submission_id: str,
    resolutions: Mapping[str, Any] | None = None,
) -> merge.MergeResult:
    """What approving would do now: the merged record and any conflicts to settle."""
    with db.reading() as session:
        user = actor(session, actor_id)
        sub = load(session, submission_id)
        require_scope(user, sub.org_id)
        return _merge(session, sub, resolutions)


def _merge(
    session: Session, sub: SubmissionModel, resolutions: Mapping[str, Any] | None
) -> merge.MergeResult:
    return merge.merge(
        official_fields(official_person(session, sub.person_id)),
        sub.changes,
        official_rows(session, sub.person_id),
        submission_entity(sub).history,
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
        sub = load(session, submission_id)
        current = submission_entity(sub)
        workflow.check(current, user, Action.APPROVE)  # who may, before what has changed
        official = official_person(session, sub.person_id)
        version = official.version if official else 0
        if rules.is_stale(expected_version, version):
            raise StaleVersion("error.stale_version", expected=expected_version, found=version)
        approval = rules.approve(
            current,
            user,
            official_fields(official),
            official_rows(session, sub.person_id),
            resolutions,
            slots=lambda slot_id: structure.slot_facts(session, slot_id),
        )
        result = approval.merged
        if result.conflicts:
            raise ConflictsUnresolved(
                "error.conflicts_unresolved", keys=[c.key for c in result.conflicts]
            )
        new_state = approval.state
        now = utcnow()
        touched = approval.changed_rows()
        undo = replica.preimages(
            session,
            [("submission", sub.id), ("person", sub.person_id)]
            + [("history_row", rid) for rid in touched]
            + [("position", change.slot_id) for change in approval.slots],
        )
        structure.apply_slot_changes(session, approval.slots, user.id)
        person_row = _apply_person(session, sub, official, result.fields, user, now)
        _apply_history(session, sub, result, user, now)
        decision = _decision(
            session, sub, user, DecisionAction.APPROVE, None, dict(resolutions or {}), now
        )
        undo.append({"table": "decision", "id": decision.id, "absent": True})
        sub.state = str(new_state)
        sub.decided_at, sub.decided_by = now, user.id
        sub.updated_at, sub.updated_by = now, user.id
        op(
            session,
            sub,
            "submission.approve",
            user,
            {"submission_id": sub.id, "decision_id": decision.id, "base_version": version,
             "resolutions": decision.resolutions},
            undo,
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
    # The version the central will give the person when it applies this approval (it
    # publishes the person once per approval): a later approval made here before the push
    # then names the record its supervisor saw, and is not taken for a stale one there.
    official.version = (official.version or 0) + 1
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
