"""The submission state machine of DESIGN.md §3.

::

    draft ──submit──► submitted ──approve──► approved (terminal; changes applied)
      ▲                  │
      └──── edit ◄── returned ◄──return (reason required)
    draft / submitted / returned ──withdraw──► withdrawn (terminal)

The author may withdraw a submitted change until a supervisor decides (issue 5), which
DESIGN.md's diagram does not show: whichever of a withdrawal and a decision reaches the
central first stands, and the other is refused there and undone on its PC.

One table of transitions and one permission rule, used by the desktop (to offer only the
buttons that will work, and to refuse offline) and by the central (which trusts no client
and checks every op again). :func:`check` says *why* an action is refused with a typed
error, so the UI can explain it and the central can answer a rejected op with a code.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from app.domain.entities import Role, Submission, SubmissionState, User
from app.domain.errors import InvalidInput, InvalidTransition, Issue, PermissionDenied

State = SubmissionState


class Action(StrEnum):
    """What a person can do to a submission. ``edit`` is saving changes to it."""

    EDIT = "edit"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    APPROVE = "approve"
    RETURN = "return"


# (state, action) → next state. Anything not listed is an invalid transition.
TRANSITIONS: Mapping[tuple[State, Action], State] = MappingProxyType(
    {
        (State.DRAFT, Action.EDIT): State.DRAFT,
        (State.RETURNED, Action.EDIT): State.DRAFT,
        (State.DRAFT, Action.SUBMIT): State.SUBMITTED,
        (State.DRAFT, Action.WITHDRAW): State.WITHDRAWN,
        (State.SUBMITTED, Action.WITHDRAW): State.WITHDRAWN,
        (State.RETURNED, Action.WITHDRAW): State.WITHDRAWN,
        (State.SUBMITTED, Action.APPROVE): State.APPROVED,
        (State.SUBMITTED, Action.RETURN): State.RETURNED,
    }
)

# Actions only the author takes, and actions only a supervisor other than the author takes.
AUTHOR_ACTIONS = frozenset({Action.EDIT, Action.SUBMIT, Action.WITHDRAW})
DECIDER_ACTIONS = frozenset({Action.APPROVE, Action.RETURN})


def _denial(submission: Submission, user: User, action: Action) -> PermissionDenied | None:
    """Why ``user`` may never take ``action`` on ``submission`` whatever its state, or None.

    Scope applies to everyone: nobody reads or writes another organization's rows
    (DESIGN.md §5), so an author who moved away loses their drafts there too.
    """
    params = {"action": str(action), "submission_id": submission.id}
    if not user.active:
        return PermissionDenied("error.inactive_user", **params)
    if submission.org_id not in user.scope:
        return PermissionDenied("error.out_of_scope", org_id=submission.org_id, **params)
    if action in AUTHOR_ACTIONS:
        if user.id != submission.author_id:
            return PermissionDenied("error.not_author", **params)
    elif user.role is not Role.SUPERVISOR:
        return PermissionDenied("error.not_supervisor", **params)
    elif user.id == submission.author_id:
        return PermissionDenied("error.own_submission", **params)
    return None


def check(
    submission: Submission, user: User, action: Action, *, reason: str | None = None
) -> SubmissionState:
    """The state ``submission`` moves to when ``user`` takes ``action``.

    Raises :class:`PermissionDenied` (wrong person, role or scope; checked first, so a
    clerk learns that they may not approve rather than that the draft is not submitted),
    :class:`InvalidTransition` (not from this state), or :class:`InvalidInput` (a return
    without a reason: the clerk must learn what to fix).
    """
    action = Action(action)
    if (denied := _denial(submission, user, action)) is not None:
        raise denied
    next_state = TRANSITIONS.get((submission.state, action))
    if next_state is None:
        raise InvalidTransition(
            "error.invalid_transition",
            state=str(submission.state),
            action=str(action),
            submission_id=submission.id,
        )
    if action is Action.RETURN and not (reason or "").strip():
        raise InvalidInput([Issue("reason_required", "reason", "error.reason_required")])
    return next_state


def allowed_actions(submission: Submission, user: User) -> frozenset[Action]:
    """The actions the UI may offer ``user`` now (a return still needs its reason)."""
    return frozenset(
        action
        for action in Action
        if (submission.state, action) in TRANSITIONS and _denial(submission, user, action) is None
    )
