"""The supervisor's review queue, the decision's detail and the batch approval, through the
real services on a demo office (issue 6)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.domain.entities import SubmissionState
from app.domain.errors import PermissionDenied
from app.domain.workflow import Action
from app.services import decisions, people, review, submissions
from app.services.submissions import HistoryEdits
from tests.fixtures_db import free_person_ids


def _ours(rows, *ids: str) -> list:
    """The rows of ``ids`` in the queue's order (the demo office has submissions of its own)."""
    return [r for r in rows if r.submission_id in ids]


def _submitted(demo, author: str, pid: str, **fields) -> str:
    sid = submissions.start_draft(demo.db, author, person_id=pid).submission.id
    submissions.save_draft(demo.db, author, sid, fields=fields)
    submissions.submit(demo.db, author, sid)
    return sid


def test_the_queue_lists_submitted_changes_oldest_first_and_filters(demo, second_clerk) -> None:
    a, b, c = free_person_ids(demo.db)[:3]
    first = _submitted(demo, demo.clerk, a, salary="31000")
    second = _submitted(demo, second_clerk, b, salary="32000")
    draft = submissions.start_draft(demo.db, demo.clerk, person_id=c).submission.id
    submissions.save_draft(demo.db, demo.clerk, draft, fields={"salary": "33000"})

    waiting = review.waiting_count(demo.db, demo.supervisor)
    rows = _ours(review.review_queue(demo.db, demo.supervisor), first, second, draft)
    assert [r.submission_id for r in rows] == [first, second]
    assert rows[1].author_name == "มานี มีงาน" and rows[0].first_name_th
    assert all(r.can_decide for r in rows)
    assert waiting == len(review.review_queue(demo.db, demo.supervisor)) >= 2

    only = review.review_queue(
        demo.db, demo.supervisor, review.QueueFilters(author_id=second_clerk)
    )
    assert [r.submission_id for r in only] == [second]
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert review.review_queue(demo.db, demo.supervisor, review.QueueFilters(since=tomorrow)) == ()
    unit = rows[0].unit_id
    if unit is not None:
        by_unit = review.review_queue(demo.db, demo.supervisor, review.QueueFilters(unit_id=unit))
        assert first in [r.submission_id for r in by_unit]
        assert all(r.unit_id == unit for r in by_unit)


def test_a_clerk_has_no_queue(demo) -> None:
    with pytest.raises(PermissionDenied):
        review.review_queue(demo.db, demo.clerk)
    assert review.waiting_count(demo.db, demo.clerk) == 0


def test_the_detail_shows_base_official_proposed_and_conflicts(demo, second_clerk) -> None:
    pid = free_person_ids(demo.db)[0]
    base = people.get_person(demo.db, demo.supervisor, pid).person.salary
    first = _submitted(demo, demo.clerk, pid, salary="31000")
    second = _submitted(demo, second_clerk, pid, salary="32000")
    detail = review.decision_detail(demo.db, demo.supervisor, first)
    [line] = detail.fields
    assert (line.field, Decimal(line.base), line.proposed) == ("salary", base, "31000")
    assert not line.official_moved and not detail.conflicts
    assert Action.APPROVE in detail.allowed

    decisions.approve(demo.db, demo.supervisor, first)
    detail = review.decision_detail(demo.db, demo.supervisor, second)
    [line] = detail.fields
    assert line.official == "31000" and line.official_moved
    [conflict] = detail.conflicts
    assert conflict.key == "person:salary" and conflict.proposed == "32000"


def test_the_author_may_not_decide_their_own(demo) -> None:
    pid = free_person_ids(demo.db)[0]
    own = _submitted(demo, demo.supervisor, pid, salary="31000")
    [row] = _ours(review.review_queue(demo.db, demo.supervisor), own)
    assert row.submission_id == own and not row.can_decide
    assert Action.APPROVE not in review.decision_detail(demo.db, demo.supervisor, own).allowed


def test_batch_approves_the_clean_ones_and_leaves_conflicts(demo, second_clerk) -> None:
    a, b = free_person_ids(demo.db)[:2]
    first = _submitted(demo, demo.clerk, a, salary="31000")
    clash = _submitted(demo, second_clerk, a, salary="32000")
    other = _submitted(demo, second_clerk, b, salary="33000")
    decisions.approve(demo.db, demo.supervisor, first)

    preview = review.batch_preview(demo.db, demo.supervisor, [clash, other])
    assert preview.approved == (other,) and set(preview.skipped) == {clash}
    result = review.approve_batch(demo.db, demo.supervisor, [clash, other])
    assert result.approved == (other,) and result.skipped == {clash: "error.conflicts_unresolved"}
    state = submissions.get_submission(demo.db, demo.supervisor, clash).submission.state
    assert state is SubmissionState.SUBMITTED
    left = _ours(review.review_queue(demo.db, demo.supervisor), clash, other)
    assert [r.submission_id for r in left] == [clash]


def test_the_queue_narrows_to_one_organization_and_names_it(demo) -> None:
    rows = review.review_queue(demo.db, demo.supervisor)
    assert rows and {r.org_id for r in rows} == {demo.org_id}
    assert all(r.org_name for r in rows)  # a provincial supervisor sees whose it is
    mine = review.review_queue(demo.db, demo.supervisor, review.QueueFilters(org_id=demo.org_id))
    assert mine == rows
    other = review.review_queue(demo.db, demo.supervisor, review.QueueFilters(org_id="other"))
    assert other == ()


def test_the_queue_shows_the_conflicts_the_decision_view_will_show(demo, second_clerk) -> None:
    """Two clerks propose a salary for one person from the same base; once the first is
    approved the official salary has moved: the second waits with one field in conflict,
    the same one its decision view lists. A row one clerk deletes and another edits too."""
    a, b, c = free_person_ids(demo.db)[:3]
    first = _submitted(demo, demo.clerk, a, salary="31000")
    clash = _submitted(demo, second_clerk, a, salary="32000")
    clean = _submitted(demo, second_clerk, b, salary="33000")
    education = next(r for r in people.get_person(demo.db, demo.clerk, c).history
                     if r.KIND == "education")  # fmt: skip
    deleting = submissions.start_draft(demo.db, demo.clerk, person_id=c).submission.id
    submissions.save_draft(
        demo.db, demo.clerk, deleting, history=HistoryEdits(delete=(education.id,))
    )
    submissions.submit(demo.db, demo.clerk, deleting)
    editing = submissions.start_draft(demo.db, second_clerk, person_id=c).submission.id
    edit = {"id": education.id, "kind": "education", "major": "นิติศาสตร์"}
    submissions.save_draft(demo.db, second_clerk, editing, history=HistoryEdits(upsert=(edit,)))
    submissions.submit(demo.db, second_clerk, editing)

    before = {r.submission_id: r.conflicts for r in review.review_queue(demo.db, demo.supervisor)}
    assert before[first] == before[clash] == before[clean] == before[editing] == ()

    decisions.approve(demo.db, demo.supervisor, first)
    decisions.approve(demo.db, demo.supervisor, deleting)
    rows = {r.submission_id: r for r in review.review_queue(demo.db, demo.supervisor)}
    assert rows[clash].conflicts == ("person:salary",)
    assert rows[editing].conflicts == (f"history:{education.id}",)
    assert rows[clean].conflicts == ()
    for sid in (clash, editing, clean):
        detail = review.decision_detail(demo.db, demo.supervisor, sid)
        assert rows[sid].conflicts == tuple(c.key for c in detail.conflicts)

    only = review.review_queue(demo.db, demo.supervisor, review.QueueFilters(conflicts_only=True))
    assert {r.submission_id for r in only} == {clash, editing}


def test_competing_submissions_are_flagged_while_both_wait(demo, second_clerk) -> None:
    """Issue 15: two waiting submissions changing one field of a person were not flagged
    until one was approved."""
    pid, other = free_person_ids(demo.db)[:2]
    first = _submitted(demo, demo.clerk, pid, salary="31000", salary_step="10")
    second = _submitted(demo, second_clerk, pid, salary="32000", salary_step="10")
    alone = _submitted(demo, second_clerk, other, salary="33000")

    rows = {r.submission_id: r for r in review.review_queue(demo.db, demo.supervisor)}
    # the salary differs, the step is the same: only the salary competes
    assert rows[first].competing == rows[second].competing == ("person:salary",)
    assert rows[alone].competing == ()
    only = review.QueueFilters(conflicts_only=True)
    flagged = {r.submission_id for r in review.review_queue(demo.db, demo.supervisor, only)}
    assert {first, second} <= flagged and alone not in flagged

    [rival] = review.decision_detail(demo.db, demo.supervisor, first).competing
    assert (rival.submission_id, rival.keys) == (second, ("person:salary",))
    assert rival.author_name == "มานี มีงาน"

    decisions.approve(demo.db, demo.supervisor, first)  # the other now meets a conflict
    detail = review.decision_detail(demo.db, demo.supervisor, second)
    assert detail.competing == () and [c.key for c in detail.conflicts] == ["person:salary"]
