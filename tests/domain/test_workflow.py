"""The submission state machine: who may do what, from which state."""

from __future__ import annotations

import dataclasses

import pytest

from app.domain.entities import Role, Submission, SubmissionKind, SubmissionState, User
from app.domain.errors import InvalidInput, InvalidTransition, PermissionDenied
from app.domain.workflow import Action, allowed_actions, check

S = SubmissionState
OFFICE = "org-abt-ban-suan"  # อบต.บ้านสวน
OTHER_OFFICE = "org-tessaban-na-mueang"  # เทศบาลตำบลนาเมือง
PROVINCE = "org-province-office"  # สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด

# The rules written out independently of the module under test.
EXPECTED_NEXT = {
    (S.DRAFT, Action.EDIT): S.DRAFT,
    (S.RETURNED, Action.EDIT): S.DRAFT,
    (S.DRAFT, Action.SUBMIT): S.SUBMITTED,
    (S.DRAFT, Action.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, Action.WITHDRAW): S.WITHDRAWN,  # until a supervisor decides (issue 5)
    (S.RETURNED, Action.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, Action.APPROVE): S.APPROVED,
    (S.SUBMITTED, Action.RETURN): S.RETURNED,
}
AUTHOR_ACTIONS = {Action.EDIT, Action.SUBMIT, Action.WITHDRAW}
DECIDER_ACTIONS = {Action.APPROVE, Action.RETURN}


def user(uid: str, role: Role, org_id: str = OFFICE, **kw) -> User:
    return User(id=uid, org_id=org_id, username=uid, display_name=uid, role=role, **kw)


CLERK = user("somchai", Role.CLERK)  # the author
# actor kind → (user, the actions that kind may take when the state allows)
ACTORS: dict[str, tuple[User, set[Action]]] = {
    "author clerk": (CLERK, AUTHOR_ACTIONS),
    "author supervisor": (user("palad", Role.SUPERVISOR), AUTHOR_ACTIONS),
    "other clerk": (user("somsri", Role.CLERK), set()),
    "supervisor": (user("hua-na", Role.SUPERVISOR), DECIDER_ACTIONS),
    "provincial supervisor": (
        user("provincial", Role.SUPERVISOR, PROVINCE, scope_org_ids=(OTHER_OFFICE, OFFICE)),
        DECIDER_ACTIONS,
    ),
    "out-of-scope supervisor": (user("elsewhere", Role.SUPERVISOR, OTHER_OFFICE), set()),
    "org admin": (user("admin", Role.ORG_ADMIN), set()),
    "auditor": (user("auditor", Role.AUDITOR), set()),
    "inactive author": (dataclasses.replace(CLERK, active=False), set()),
    "inactive supervisor": (user("retired", Role.SUPERVISOR, active=False), set()),
}
AUTHOR_OF = {"author supervisor": "palad", "inactive author": "somchai"}


def submission(state: S, author_id: str = "somchai") -> Submission:
    return Submission(
        id="sub-1",
        org_id=OFFICE,
        person_id="person-1",
        kind=SubmissionKind.UPDATE,
        state=state,
        author_id=author_id,
        changes={"last_name_th": ["ใจดี", "ใจงาม"]},
    )


CASES = [(state, action, kind) for state in S for action in Action for kind in ACTORS]


@pytest.mark.parametrize(("state", "action", "kind"), CASES)
def test_every_state_action_and_actor(state: S, action: Action, kind: str) -> None:
    actor, may = ACTORS[kind]
    sub = submission(state, AUTHOR_OF.get(kind, "somchai"))
    if action not in may:
        with pytest.raises(PermissionDenied):
            check(sub, actor, action, reason="เอกสารไม่ครบ")
        assert action not in allowed_actions(sub, actor)
    elif (state, action) not in EXPECTED_NEXT:
        with pytest.raises(InvalidTransition):
            check(sub, actor, action, reason="เอกสารไม่ครบ")
        assert action not in allowed_actions(sub, actor)
    else:
        assert check(sub, actor, action, reason="เอกสารไม่ครบ") is EXPECTED_NEXT[state, action]
        assert action in allowed_actions(sub, actor)


def test_terminal_states_offer_nothing_to_anyone() -> None:
    for state in (S.APPROVED, S.WITHDRAWN):
        for actor, _ in ACTORS.values():
            assert allowed_actions(submission(state), actor) == frozenset()


def test_the_clerk_sees_edit_submit_withdraw_on_a_draft_and_the_supervisor_nothing() -> None:
    draft = submission(S.DRAFT)
    assert allowed_actions(draft, CLERK) == {Action.EDIT, Action.SUBMIT, Action.WITHDRAW}
    assert allowed_actions(draft, ACTORS["supervisor"][0]) == frozenset()


def test_editing_a_returned_submission_makes_it_a_draft_again() -> None:
    assert check(submission(S.RETURNED), CLERK, Action.EDIT) is S.DRAFT


def test_a_supervisor_cannot_approve_their_own_submission() -> None:
    palad = ACTORS["author supervisor"][0]
    own = submission(S.SUBMITTED, author_id=palad.id)
    with pytest.raises(PermissionDenied) as caught:
        check(own, palad, Action.APPROVE)
    assert caught.value.message_key == "error.own_submission"
    assert allowed_actions(own, palad) == {Action.WITHDRAW}  # as its author, nothing more


def test_a_clerk_cannot_approve() -> None:
    with pytest.raises(PermissionDenied) as caught:
        check(submission(S.SUBMITTED), ACTORS["other clerk"][0], Action.APPROVE)
    assert caught.value.message_key == "error.not_supervisor"


def test_only_the_author_submits() -> None:
    with pytest.raises(PermissionDenied) as caught:
        check(submission(S.DRAFT), ACTORS["other clerk"][0], Action.SUBMIT)
    assert caught.value.message_key == "error.not_author"


def test_a_supervisor_of_another_office_cannot_approve() -> None:
    with pytest.raises(PermissionDenied) as caught:
        check(submission(S.SUBMITTED), ACTORS["out-of-scope supervisor"][0], Action.APPROVE)
    assert caught.value.message_key == "error.out_of_scope"


def test_a_provincial_supervisor_approves_within_their_scope_org_ids() -> None:
    provincial = ACTORS["provincial supervisor"][0]
    assert provincial.org_id != OFFICE
    assert check(submission(S.SUBMITTED), provincial, Action.APPROVE) is S.APPROVED


def test_an_inactive_user_may_do_nothing() -> None:
    with pytest.raises(PermissionDenied) as caught:
        check(submission(S.DRAFT), ACTORS["inactive author"][0], Action.SUBMIT)
    assert caught.value.message_key == "error.inactive_user"


@pytest.mark.parametrize("reason", [None, "", "  ", "\t\n"])
def test_a_return_needs_a_reason(reason: str | None) -> None:
    with pytest.raises(InvalidInput) as caught:
        check(submission(S.SUBMITTED), ACTORS["supervisor"][0], Action.RETURN, reason=reason)
    [issue] = caught.value.issues
    assert (issue.code, issue.field) == ("reason_required", "reason")


def test_a_return_with_a_thai_reason_goes_through() -> None:
    supervisor = ACTORS["supervisor"][0]
    reason = "กรุณาแนบสำเนาคำสั่งแต่งตั้ง"
    assert check(submission(S.SUBMITTED), supervisor, Action.RETURN, reason=reason) is S.RETURNED


def test_an_invalid_transition_says_from_where_and_what() -> None:
    with pytest.raises(InvalidTransition) as caught:
        check(submission(S.APPROVED), CLERK, Action.EDIT)
    assert caught.value.params["state"] == "approved"
    assert caught.value.params["action"] == "edit"


def test_actions_travel_as_plain_strings() -> None:
    assert check(submission(S.DRAFT), CLERK, "submit") is S.SUBMITTED  # type: ignore[arg-type]
