"""What the person editor and My submissions read and write (app.services.drafts): looking at
a person makes no draft, the first save starts one, the history as proposed, names."""

from __future__ import annotations

import pytest

from app.domain.entities import SubmissionKind, SubmissionState
from app.domain.errors import NotFound
from app.domain.workflow import Action
from app.services import decisions, drafts, people, submissions
from app.services.submissions import HistoryEdits
from tests.fixtures_db import free_person_ids


def test_opening_a_person_reads_the_official_record_and_makes_no_draft(demo) -> None:
    pid = free_person_ids(demo.db)[0]
    official = people.get_person(demo.db, demo.clerk, pid)

    detail = drafts.open_person(demo.db, demo.clerk, pid)

    assert detail.submission is None
    assert detail.proposed == detail.official
    assert detail.official["citizen_id"] == official.person.citizen_id
    assert {r["id"] for r in detail.rows} == {h.id for h in official.history}
    assert detail.allowed == {Action.EDIT}
    assert all(s.person_id != pid for s in submissions.list_submissions(demo.db, demo.clerk))


def test_the_first_save_starts_the_draft_and_later_ones_continue_it(demo) -> None:
    pid = free_person_ids(demo.db)[0]

    first = drafts.save(demo.db, demo.clerk, None, person_id=pid, fields={"salary": "40000"})
    again = drafts.save(demo.db, demo.clerk, first.submission.id, fields={"salary_step": "5"})

    assert first.submission.kind is SubmissionKind.UPDATE
    assert again.submission.id == first.submission.id
    assert again.submission.changes["salary"][1] == "40000"
    assert again.proposed["salary_step"] == "5"
    assert drafts.open_person(demo.db, demo.clerk, pid).submission.id == first.submission.id


def test_a_new_person_starts_as_active_and_is_named_in_my_submissions(demo) -> None:
    blank = drafts.new_person(demo.db, demo.clerk)
    assert blank.person_id is None and blank.proposed == {"employment_status": "active"}

    saved = drafts.save(demo.db, demo.clerk, None, fields={"first_name_th": "มานี"})

    assert saved.submission.kind is SubmissionKind.NEW_PERSON
    assert saved.proposed["employment_status"] == "active"
    [mine] = [
        s for s in drafts.summaries(demo.db, demo.clerk) if s.submission.id == saved.submission.id
    ]
    assert mine.first_name_th == "มานี"
    assert drafts.summaries(demo.db, demo.clerk)[0].submission.id == saved.submission.id


def test_history_as_proposed_adds_changes_and_deletes_rows(demo) -> None:
    pid = free_person_ids(demo.db)[0]
    rows = drafts.open_person(demo.db, demo.clerk, pid).rows
    salary = next(r for r in rows if r["kind"] == "salary")
    movement = next(r for r in rows if r["kind"] == "movement")
    added = {"id": "01900000-0000-7000-8000-000000000001", "kind": "training",
             "course": "การเงินการคลัง", "start_date": "2024-03-01"}  # fmt: skip

    detail = drafts.save(
        demo.db, demo.clerk, None, person_id=pid,
        history=HistoryEdits(upsert=({**salary, "salary": "99999"}, added),
                             delete=(movement["id"],)),
    )  # fmt: skip

    by_id = {r["id"]: r for r in detail.rows}
    assert by_id[salary["id"]]["salary"] == "99999"
    assert by_id[added["id"]]["course"] == "การเงินการคลัง"
    assert movement["id"] not in by_id
    assert detail.deleted_rows[movement["id"]]["movement_type"] == movement["movement_type"]
    assert detail.official_rows[salary["id"]]["salary"] == salary["salary"]


def test_submit_and_withdraw_answer_with_the_new_state_and_what_may_follow(demo) -> None:
    pid = free_person_ids(demo.db)[0]
    sid = drafts.save(demo.db, demo.clerk, None, person_id=pid, fields={"salary": "40000"})
    sid = sid.submission.id

    sent = drafts.submit(demo.db, demo.clerk, sid)
    assert sent.submission.state is SubmissionState.SUBMITTED
    assert sent.allowed == {Action.WITHDRAW}  # until a supervisor decides

    decisions.return_submission(demo.db, demo.supervisor, sid, "แก้ขั้น")
    back = drafts.open_submission(demo.db, demo.clerk, sid)
    assert back.allowed == {Action.EDIT, Action.WITHDRAW}
    assert drafts.withdraw(demo.db, demo.clerk, sid).submission.state is SubmissionState.WITHDRAWN


def test_the_picker_offers_vacant_slots_by_number_and_the_persons_own(demo) -> None:
    choices = drafts.positions(demo.db, demo.clerk, demo.org_id)
    numbers = [c.position_number for c in choices]
    # the demo office's six vacant slots (one for every ten people), none of the held ones
    assert len(choices) == 6 and numbers == sorted(numbers)
    assert all(c.vacant and c.position_type for c in choices)
    person = drafts.open_person(demo.db, demo.clerk, free_person_ids(demo.db)[0])
    own = person.official["position_id"]
    mine = drafts.positions(demo.db, demo.clerk, demo.org_id, include=[own, None])
    assert mine[0].id == own and not mine[0].vacant and len(mine) == 7


def test_an_unknown_person_is_not_found(demo) -> None:
    with pytest.raises(NotFound):
        drafts.open_person(demo.db, demo.clerk, "no-such-person")
