"""A clerk's change travels draft → submitted → (returned → draft →) approved, end to end
on one database through the real services, and official data changes only on approval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.entities import Role, SubmissionKind, SubmissionState
from app.domain.errors import (
    ConflictsUnresolved,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
)
from app.services import audit, decisions, people, submissions, users
from app.services.submissions import HistoryEdits
from app.store.models import DecisionModel, HistoryRowModel
from tests.fixtures_db import dump, free_person_ids, person_record

S = SubmissionState
NEW_CITIZEN_ID = "3249800008341"


def _codes(exc: pytest.ExceptionInfo) -> list[str]:
    return [i.code for i in exc.value.issues]


def _person(demo, pid: str):
    return people.get_person(demo.db, demo.supervisor, pid).person


def _state(demo, sid: str) -> SubmissionState:
    return submissions.get_submission(demo.db, demo.clerk, sid).submission.state


def _decisions(demo, sid: str) -> list[tuple[str, str | None, dict]]:
    with demo.db.reading() as session:
        rows = session.scalars(
            select(DecisionModel)
            .where(DecisionModel.submission_id == sid)
            .order_by(DecisionModel.decided_at)
        )
        return [(r.action, r.reason, r.resolutions) for r in rows]


def _draft(demo, actor: str, pid: str | None = None, **fields) -> str:
    sid = submissions.start_draft(demo.db, actor, person_id=pid).submission.id
    if fields:
        submissions.save_draft(demo.db, actor, sid, fields=fields)
    return sid


def _submitted(demo, actor: str, pid: str | None = None, **fields) -> str:
    sid = _draft(demo, actor, pid, **fields)
    submissions.submit(demo.db, actor, sid)
    return sid


# --- drafts --------------------------------------------------------------------------------


def test_a_draft_stores_what_was_typed_normalized(demo) -> None:
    pid = free_person_ids(demo.db)[0]
    old = _person(demo, pid)
    view = submissions.start_draft(demo.db, demo.clerk, person_id=pid)
    assert view.submission.state is S.DRAFT
    assert view.submission.kind is SubmissionKind.UPDATE
    assert view.submission.changes == {}

    typed = {
        # NIKHAHIT + MAI THO + SARA AA, as some keyboards send it; shows as น้ำ
        "first_name_th": "น\u0e4d\u0e49\u0e32ฝน",
        "last_name_th": "ใจ\u200bดี",  # a zero-width space pasted from a web page
        "first_name_en": "Rene\u0301e",  # e + combining acute
        "citizen_id": "3-2498-00008-34-1",
    }
    submissions.save_draft(demo.db, demo.clerk, view.submission.id, fields=typed)

    stored = submissions.get_submission(demo.db, demo.clerk, view.submission.id)
    assert stored.submission.changes["first_name_th"] == [old.first_name_th, "น\u0e49\u0e33ฝน"]
    assert stored.submission.changes["last_name_th"] == [old.last_name_th, "ใจดี"]
    assert stored.submission.changes["first_name_en"] == [old.first_name_en, "Ren\u00e9e"]
    assert stored.submission.changes["citizen_id"] == [old.citizen_id, NEW_CITIZEN_ID]
    assert stored.proposed["citizen_id"] == NEW_CITIZEN_ID
    assert stored.proposed["salary"] == str(old.salary)  # untouched fields: the official
    assert _person(demo, pid) == old  # a draft never touches the official record


def test_a_draft_with_errors_is_saved_and_reports_them(demo) -> None:
    pid = free_person_ids(demo.db)[0]
    sid = _draft(demo, demo.clerk, pid)
    view = submissions.save_draft(
        demo.db, demo.clerk, sid,
        fields={"citizen_id": "3249800008340", "last_name_th": "", "salary": "-5"},
    )  # fmt: skip
    errors = {(i.code, i.field) for i in view.issues if i.is_error}
    assert ("citizen_id_checksum", "citizen_id") in errors
    assert ("required", "last_name_th") in errors
    assert ("negative_value", "salary") in errors
    # Nothing typed is lost: the same values come back from the database.
    again = submissions.get_submission(demo.db, demo.clerk, sid)
    assert again.proposed["citizen_id"] == "3249800008340"
    assert not again.proposed["last_name_th"]  # cleared, as typed
    assert again.proposed["salary"] == "-5"
    assert {(i.code, i.field) for i in again.issues if i.is_error} == errors


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"birth_date": "31/02/abc"}, "invalid_value", "birth_date"),
        ({"salary": "สองหมื่น"}, "invalid_value", "salary"),
        ({"first_name_th": "ถูกต้อง", "appointment_date": "2020-13-45"}, "invalid_value",
         "appointment_date"),
        ({"no_such_field": "x"}, "unknown_field", "no_such_field"),
        ({"version": 99}, "unknown_field", "version"),
    ],
)  # fmt: skip
def test_an_unreadable_value_is_refused_and_changes_nothing(demo, fields, code, field) -> None:
    pid = free_person_ids(demo.db)[0]
    sid = _draft(demo, demo.clerk, pid, first_name_en="Kept")
    before = dump(demo.db)
    with pytest.raises(InvalidInput) as exc:
        submissions.save_draft(demo.db, demo.clerk, sid, fields=fields)
    assert [(i.code, i.field) for i in exc.value.issues] == [(code, field)]
    assert dump(demo.db) == before
    assert submissions.get_submission(demo.db, demo.clerk, sid).proposed["first_name_en"] == "Kept"


def test_an_unknown_history_kind_is_refused_and_changes_nothing(demo) -> None:
    sid = _draft(demo, demo.clerk, free_person_ids(demo.db)[0])
    before = dump(demo.db)
    with pytest.raises(InvalidInput) as exc:
        submissions.save_draft(
            demo.db, demo.clerk, sid, history=HistoryEdits(upsert=({"kind": "hobby"},))
        )
    assert _codes(exc) == ["unknown_history_kind"]
    with pytest.raises(InvalidInput):
        submissions.save_draft(
            demo.db, demo.clerk, sid,
            history=HistoryEdits(upsert=({"kind": "training", "start_date": "soon"},)),
        )  # fmt: skip
    assert dump(demo.db) == before


def test_starting_twice_returns_the_same_open_draft(demo) -> None:
    pid = free_person_ids(demo.db)[0]
    first = _draft(demo, demo.clerk, pid, salary="20000")
    again = submissions.start_draft(demo.db, demo.clerk, person_id=pid)
    assert again.submission.id == first
    assert again.submission.changes["salary"][1] == "20000"


def test_drafts_need_a_known_person_and_a_writing_role(demo) -> None:
    with pytest.raises(NotFound):
        submissions.start_draft(demo.db, demo.clerk, person_id="no-such-person")
    auditor = users.create_user(
        demo.db, demo.admin, org_id=demo.org_id, username="auditor", display_name="ผู้ตรวจ",
        role=Role.AUDITOR, password="auditor password",
    ).id  # fmt: skip
    before = dump(demo.db)
    with pytest.raises(PermissionDenied):
        submissions.start_draft(demo.db, auditor, person_id=free_person_ids(demo.db)[0])
    assert dump(demo.db) == before


# --- submit --------------------------------------------------------------------------------


def test_submit_refuses_a_record_with_errors_then_accepts_it_fixed(demo) -> None:
    sid = _draft(demo, demo.clerk, free_person_ids(demo.db)[0], citizen_id="3249800008340")
    before = dump(demo.db)
    with pytest.raises(InvalidInput) as exc:
        submissions.submit(demo.db, demo.clerk, sid)
    assert _codes(exc) == ["citizen_id_checksum"]
    assert exc.value.field == "citizen_id"
    assert dump(demo.db) == before

    submissions.save_draft(demo.db, demo.clerk, sid, fields={"citizen_id": NEW_CITIZEN_ID})
    view = submissions.submit(demo.db, demo.clerk, sid)
    assert view.submission.state is S.SUBMITTED
    assert view.submission.submitted_at is not None


def test_submit_refuses_a_draft_that_changes_nothing(demo) -> None:
    pid = free_person_ids(demo.db)[0]
    official = _person(demo, pid)
    sid = _draft(demo, demo.clerk, pid)
    with pytest.raises(InvalidInput) as exc:
        submissions.submit(demo.db, demo.clerk, sid)
    assert _codes(exc) == ["no_changes"]
    # Typed a change and typed it back: still nothing to send.
    submissions.save_draft(demo.db, demo.clerk, sid, fields={"salary": "99999"})
    submissions.save_draft(demo.db, demo.clerk, sid, fields={"salary": official.salary})
    with pytest.raises(InvalidInput) as exc:
        submissions.submit(demo.db, demo.clerk, sid)
    assert _codes(exc) == ["no_changes"]
    assert _state(demo, sid) is S.DRAFT


# --- return, edit again, approve -------------------------------------------------------------


def test_the_whole_round_trip(demo) -> None:
    db = demo.db
    pid = free_person_ids(db)[0]
    before = _person(demo, pid)
    sid = _submitted(demo, demo.clerk, pid, salary="23450", first_name_en="Somsri")

    # A return needs a reason.
    with pytest.raises(InvalidInput) as exc:
        decisions.return_submission(db, demo.supervisor, sid, "   ")
    assert _codes(exc) == ["reason_required"]
    assert _state(demo, sid) is S.SUBMITTED

    reason = "เงินเดือนไม่ตรงกับคำสั่ง"
    view = decisions.return_submission(
        db, demo.supervisor, sid, reason, field_comments={"salary": "ดูคำสั่งที่ 12/2569"}
    )
    assert view.submission.state is S.RETURNED
    assert view.submission.return_reason == reason
    assert view.submission.field_comments == {"salary": "ดูคำสั่งที่ 12/2569"}
    assert _person(demo, pid) == before

    # The clerk fixes it: editing a returned submission makes it a draft again.
    view = submissions.save_draft(db, demo.clerk, sid, fields={"salary": Decimal("23540")})
    assert view.submission.state is S.DRAFT
    assert view.submission.changes["salary"] == [str(before.salary), "23540"]
    submissions.submit(db, demo.clerk, sid)

    result = decisions.approve(db, demo.supervisor, sid)
    assert result.submission.state is S.APPROVED
    assert result.submission.decided_by == demo.supervisor
    assert result.applied_fields == {
        "salary": [str(before.salary), "23540"],
        "first_name_en": [before.first_name_en, "Somsri"],
    }
    after = _person(demo, pid)
    assert after.salary == Decimal("23540")
    assert after.first_name_en == "Somsri"
    assert after.updated_by == demo.supervisor
    assert after.first_name_th == before.first_name_th  # nothing else changed
    assert people.get_person(db, demo.clerk, pid).open_submissions == ()
    assert _state(demo, sid) is S.APPROVED

    assert _decisions(demo, sid) == [("return", reason, {}), ("approve", None, {})]
    actions = [e.action for e in audit.events_for(db, sid)]
    assert sorted(actions) == ["submission.approve", "submission.return"]
    assert audit.verify_chain(db).ok
    assert people.person_ids(db, "somsri") == [pid]


def test_a_clerk_cannot_approve_nor_a_supervisor_their_own(demo) -> None:
    sid = _submitted(demo, demo.clerk, free_person_ids(demo.db)[0], salary="30000")
    before = dump(demo.db)
    with pytest.raises(PermissionDenied):
        decisions.approve(demo.db, demo.clerk, sid)
    with pytest.raises(PermissionDenied):
        decisions.return_submission(demo.db, demo.clerk, sid, "ไม่ผ่าน")

    own = _submitted(demo, demo.supervisor, free_person_ids(demo.db)[1], salary="30000")
    before = dump(demo.db)
    with pytest.raises(PermissionDenied) as exc:
        decisions.approve(demo.db, demo.supervisor, own)
    assert exc.value.message_key == "error.own_submission"
    with pytest.raises(PermissionDenied):
        decisions.return_submission(demo.db, demo.supervisor, own, "ของตัวเอง")
    assert dump(demo.db) == before


def test_only_the_author_edits_submits_or_withdraws(demo, second_clerk) -> None:
    sid = _draft(demo, demo.clerk, free_person_ids(demo.db)[0], salary="30000")
    before = dump(demo.db)
    for action in (
        lambda a: submissions.save_draft(demo.db, a, sid, fields={"salary": "1"}),
        lambda a: submissions.submit(demo.db, a, sid),
        lambda a: submissions.withdraw(demo.db, a, sid),
    ):
        for someone_else in (second_clerk, demo.supervisor):
            with pytest.raises(PermissionDenied):
                action(someone_else)
    assert dump(demo.db) == before


def test_a_draft_cannot_be_approved_or_returned_before_it_is_submitted(demo) -> None:
    sid = _draft(demo, demo.clerk, free_person_ids(demo.db)[0], salary="30000")
    with pytest.raises(InvalidTransition):
        decisions.approve(demo.db, demo.supervisor, sid)
    with pytest.raises(InvalidTransition):
        decisions.return_submission(demo.db, demo.supervisor, sid, "ยังไม่ส่ง")
    assert _state(demo, sid) is S.DRAFT


def test_withdraw(demo) -> None:
    ids = free_person_ids(demo.db)
    draft = _draft(demo, demo.clerk, ids[0], salary="30000")
    assert submissions.withdraw(demo.db, demo.clerk, draft).submission.state is S.WITHDRAWN
    with pytest.raises(InvalidTransition):
        submissions.save_draft(demo.db, demo.clerk, draft, fields={"salary": "1"})
    # A withdrawn draft no longer blocks a new one about the same person.
    assert submissions.start_draft(demo.db, demo.clerk, person_id=ids[0]).submission.id != draft

    returned = _submitted(demo, demo.clerk, ids[1], salary="30000")
    decisions.return_submission(demo.db, demo.supervisor, returned, "ขาดเอกสาร")
    assert submissions.withdraw(demo.db, demo.clerk, returned).submission.state is S.WITHDRAWN

    waiting = _submitted(demo, demo.clerk, ids[3], salary="30000")
    # with the supervisor, not decided yet: the author may still take it back
    assert submissions.withdraw(demo.db, demo.clerk, waiting).submission.state is S.WITHDRAWN
    with pytest.raises(InvalidTransition):  # and then nobody decides it
        decisions.approve(demo.db, demo.supervisor, waiting)

    pending = _submitted(demo, demo.clerk, ids[2], salary="30000")
    decisions.approve(demo.db, demo.supervisor, pending)
    before = dump(demo.db)
    with pytest.raises(InvalidTransition):
        submissions.withdraw(demo.db, demo.clerk, pending)
    with pytest.raises(InvalidTransition):
        decisions.approve(demo.db, demo.supervisor, pending)
    assert dump(demo.db) == before
    assert _state(demo, pending) is S.APPROVED


# --- a new person ----------------------------------------------------------------------------


def test_a_new_person_becomes_official_on_approval(demo) -> None:
    db = demo.db
    view = submissions.start_draft(db, demo.clerk)
    assert view.submission.kind is SubmissionKind.NEW_PERSON
    sid, pid = view.submission.id, view.submission.person_id
    education = {
        "kind": "education", "education_level": "bachelor", "degree": "ปริญญาตรี",
        "major": "รัฐประศาสนศาสตร์", "institution": "มหาวิทยาลัยขอนแก่น",
        "graduated_date": "2012-03-31",
    }  # fmt: skip
    record = person_record("วิไลวรรณ", "ทดลองใหม่", "3-2498-00008-34-1",
                           first_name_en="Wilaiwan", prefix="miss", gender="female")  # fmt: skip
    view = submissions.save_draft(
        db, demo.clerk, sid, fields=record, history=HistoryEdits(upsert=(education,))
    )
    assert [i for i in view.issues if i.is_error] == []
    assert people.person_ids(db, "วิไลวรรณ") == []  # not official while a draft
    submissions.submit(db, demo.clerk, sid)
    assert people.person_ids(db, "วิไลวรรณ") == []

    result = decisions.approve(db, demo.supervisor, sid)

    assert result.person.id == pid
    detail = people.get_person(db, demo.clerk, pid)
    p = detail.person
    assert (p.first_name_th, p.last_name_th) == ("วิไลวรรณ", "ทดลองใหม่")
    assert p.citizen_id == NEW_CITIZEN_ID
    assert p.birth_date == dt.date(1990, 5, 1)
    assert p.salary == Decimal("12000")
    assert p.org_id == demo.org_id
    [row] = detail.history
    assert row.KIND == "education"
    assert (row.institution, row.graduated_date) == ("มหาวิทยาลัยขอนแก่น", dt.date(2012, 3, 31))
    for query in ("วิไลวรรณ", "ลองให", "wilaiwan", "3-2498-0000", "324980", "ทด"):
        assert pid in people.person_ids(db, query), query
    assert len(people.person_ids(db)) == 61


# --- conflicts -------------------------------------------------------------------------------


def test_two_clerks_change_the_same_field_differently(demo, second_clerk) -> None:
    db = demo.db
    pid = free_person_ids(db)[0]
    base = _person(demo, pid).salary
    first = _submitted(demo, demo.clerk, pid, salary="31000")
    second = _submitted(demo, second_clerk, pid, salary="32000")
    decisions.approve(db, demo.supervisor, first)
    assert _person(demo, pid).salary == Decimal("31000")

    preview = decisions.preview_approval(db, demo.supervisor, second)
    [conflict] = preview.conflicts
    assert conflict.key == "person:salary"
    assert (conflict.base, conflict.official, conflict.proposed) == (str(base), "31000", "32000")

    before = dump(db)
    with pytest.raises(ConflictsUnresolved) as exc:
        decisions.approve(db, demo.supervisor, second)
    assert exc.value.params["keys"] == ["person:salary"]
    assert dump(db) == before  # person, submission, decisions, outbox, audit: all untouched
    assert _person(demo, pid).salary == Decimal("31000")
    assert _state(demo, second) is S.SUBMITTED

    choice = {"person:salary": "32000"}
    assert decisions.preview_approval(db, demo.supervisor, second, choice).conflicts == ()
    result = decisions.approve(db, demo.supervisor, second, resolutions=choice)
    assert result.submission.state is S.APPROVED
    assert _person(demo, pid).salary == Decimal("32000")
    assert _decisions(demo, second) == [("approve", None, choice)]
    assert audit.verify_chain(db).ok


def test_keeping_the_official_value_settles_a_conflict_too(demo, second_clerk) -> None:
    pid = free_person_ids(demo.db)[0]
    first = _submitted(demo, demo.clerk, pid, first_name_en="Alpha")
    second = _submitted(demo, second_clerk, pid, first_name_en="Beta", salary="40000")
    decisions.approve(demo.db, demo.supervisor, first)
    decisions.approve(
        demo.db, demo.supervisor, second, resolutions={"person:first_name_en": "Alpha"}
    )
    after = _person(demo, pid)
    assert (after.first_name_en, after.salary) == ("Alpha", Decimal("40000"))


def test_disjoint_and_identical_edits_merge_without_conflict(demo, second_clerk) -> None:
    pid = free_person_ids(demo.db)[0]
    first = _submitted(demo, demo.clerk, pid, salary="33000", last_name_en="Same")
    second = _submitted(demo, second_clerk, pid, first_name_en="Other", last_name_en="Same")
    decisions.approve(demo.db, demo.supervisor, first)
    assert decisions.preview_approval(demo.db, demo.supervisor, second).conflicts == ()
    decisions.approve(demo.db, demo.supervisor, second)
    after = _person(demo, pid)
    assert (after.salary, after.first_name_en, after.last_name_en) == (
        Decimal("33000"), "Other", "Same",
    )  # fmt: skip


def test_approval_checks_the_merged_record_again(demo, second_clerk) -> None:
    # Each change is valid alone; together the person would be appointed before birth.
    pid = free_person_ids(demo.db)[0]
    p = _person(demo, pid)
    later_birth = (p.appointment_date - dt.timedelta(days=365)).isoformat()
    earlier_appointment = (p.birth_date + dt.timedelta(days=365)).isoformat()
    first = _submitted(demo, demo.clerk, pid, birth_date=later_birth)
    second = _submitted(demo, second_clerk, pid, appointment_date=earlier_appointment)
    decisions.approve(demo.db, demo.supervisor, first)
    before = dump(demo.db)
    with pytest.raises(InvalidInput) as exc:
        decisions.approve(demo.db, demo.supervisor, second)
    assert "date_order" in _codes(exc)
    assert dump(demo.db) == before


# --- history rows ----------------------------------------------------------------------------


def _history(demo, pid: str) -> dict[str, object]:
    return {r.id: r for r in people.get_person(demo.db, demo.clerk, pid).history}


def test_history_rows_are_updated_and_deleted_by_approval(demo) -> None:
    pid = free_person_ids(demo.db)[0]
    rows = _history(demo, pid)
    education = next(r for r in rows.values() if r.KIND == "education")
    salary = next(r for r in rows.values() if r.KIND == "salary")
    sid = _draft(demo, demo.clerk, pid)
    view = submissions.save_draft(
        demo.db, demo.clerk, sid,
        history=HistoryEdits(
            upsert=({"id": education.id, "kind": "education", "institution": "มหาวิทยาลัยมหิดล"},),
            delete=(salary.id,),
        ),
    )  # fmt: skip
    changes = view.submission.history
    assert changes.updated == {
        education.id: {"institution": [education.institution, "มหาวิทยาลัยมหิดล"]}
    }
    assert list(changes.deleted) == [salary.id]
    assert _history(demo, pid) == rows  # the official rows wait for the approval

    submissions.submit(demo.db, demo.clerk, sid)
    decisions.approve(demo.db, demo.supervisor, sid)

    after = _history(demo, pid)
    assert salary.id not in after
    assert after[education.id].institution == "มหาวิทยาลัยมหิดล"
    assert after[education.id].degree == education.degree  # the rest of the row kept
    assert set(after) == set(rows) - {salary.id}
    with demo.db.reading() as session:
        tomb = session.get(HistoryRowModel, salary.id)
        assert tomb is not None and tomb.deleted  # a tombstone, for the central to learn
        assert tomb.updated_by == demo.supervisor


def test_editing_a_row_another_clerk_deleted_is_a_conflict(demo, second_clerk) -> None:
    pid = free_person_ids(demo.db)[0]
    education = next(r for r in _history(demo, pid).values() if r.KIND == "education")
    deleting = _draft(demo, demo.clerk, pid)
    submissions.save_draft(demo.db, demo.clerk, deleting,
                           history=HistoryEdits(delete=(education.id,)))  # fmt: skip
    submissions.submit(demo.db, demo.clerk, deleting)
    editing = _draft(demo, second_clerk, pid)
    edit = {"id": education.id, "kind": "education", "major": "นิติศาสตร์"}
    submissions.save_draft(demo.db, second_clerk, editing, history=HistoryEdits(upsert=(edit,)))
    submissions.submit(demo.db, second_clerk, editing)

    decisions.approve(demo.db, demo.supervisor, deleting)
    before = dump(demo.db)
    with pytest.raises(ConflictsUnresolved) as exc:
        decisions.approve(demo.db, demo.supervisor, editing)
    assert exc.value.params["keys"] == [f"history:{education.id}"]
    assert dump(demo.db) == before
    assert education.id not in _history(demo, pid)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("salary", "Infinity", "invalid_value"),
        ("salary", "NaN", "invalid_value"),
        ("salary", "1E+999999", "out_of_range"),
        ("salary", "15000.125", "too_many_decimals"),
        ("first_name_th", "ก" * 1_000_000, "too_long"),
        ("birth_date", "0001-01-01", "date_out_of_range"),
    ],
)
def test_a_value_no_form_can_hold_is_refused_on_save(demo, field, value, code) -> None:
    """What the central would refuse (app.domain.limits' hard bounds) is refused here first,
    with the field and a message key, and nothing is saved."""
    sid = _draft(demo, demo.clerk, free_person_ids(demo.db)[0])
    before = dump(demo.db)
    with pytest.raises(InvalidInput) as refused:
        submissions.save_draft(demo.db, demo.clerk, sid, fields={field: value})
    [issue] = refused.value.issues
    assert (issue.code, issue.field, issue.message_key) == (code, field, f"error.{code}")
    assert dump(demo.db) == before
