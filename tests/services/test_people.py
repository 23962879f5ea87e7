"""Reading people: one person with their history, scope, and the list's totals."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from app.domain import thai
from app.domain.entities import Role
from app.domain.errors import NotFound, PermissionDenied
from app.services import decisions, people, submissions, users
from app.store import search
from app.store.models import OrgUnitModel, PersonModel, PositionModel
from tests.fixtures_db import dump, free_person_ids, person_record, valid_citizen_id

OTHER_ORG = "018cc251-f400-7da4-0000-0000000000bb"


def test_one_person_with_history_and_open_submissions(demo) -> None:
    subs = submissions.list_submissions(demo.db, demo.supervisor)
    submitted = next(s for s in subs if s.state == "submitted")
    detail = people.get_person(demo.db, demo.clerk, submitted.person_id)
    assert detail.person.id == submitted.person_id
    assert [s.id for s in detail.open_submissions] == [submitted.id]
    assert detail.history and all(r.person_id == submitted.person_id for r in detail.history)
    kinds = [r.KIND for r in detail.history]
    assert kinds == sorted(kinds)  # grouped by kind
    salaries = [r.effective_date for r in detail.history if r.KIND == "salary"]
    assert salaries == sorted(salaries)  # and in date order within a kind
    assert detail.sensitive is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        detail.person.salary = 1  # frozen data, never an ORM object


def test_an_unknown_person_or_actor_is_not_found(demo) -> None:
    with pytest.raises(NotFound):
        people.get_person(demo.db, demo.clerk, "no-such-person")
    with pytest.raises(NotFound):
        people.get_person(demo.db, "no-such-user", free_person_ids(demo.db)[0])


def test_nobody_reads_or_changes_another_organizations_people(demo) -> None:
    clerk2 = users.create_user(
        demo.db, demo.admin, org_id=demo.org_id, username="clerk.far", display_name="ไกล",
        role=Role.CLERK, password="12345678", scope_org_ids=(OTHER_ORG,),
    ).id  # fmt: skip
    boss2 = users.create_user(
        demo.db, demo.admin, org_id=demo.org_id, username="boss.far", display_name="ไกล",
        role=Role.SUPERVISOR, password="12345678", scope_org_ids=(OTHER_ORG,),
    ).id  # fmt: skip
    sid = submissions.start_draft(demo.db, clerk2, org_id=OTHER_ORG).submission.id
    record = person_record("ห่างไกล", "ต่างแดน", valid_citizen_id("310990000077"))
    submissions.save_draft(demo.db, clerk2, sid, fields=record)
    submissions.submit(demo.db, clerk2, sid)

    before = dump(demo.db)
    with pytest.raises(PermissionDenied):  # the demo supervisor's scope is their own office
        decisions.approve(demo.db, demo.supervisor, sid)
    with pytest.raises(PermissionDenied):
        submissions.get_submission(demo.db, demo.clerk, sid)
    with pytest.raises(PermissionDenied):
        submissions.start_draft(demo.db, demo.clerk, org_id=OTHER_ORG)
    assert dump(demo.db) == before
    assert sid not in [s.id for s in submissions.list_submissions(demo.db, demo.supervisor)]

    far = decisions.approve(demo.db, boss2, sid).person.id
    with pytest.raises(PermissionDenied):
        people.get_person(demo.db, demo.clerk, far)
    with pytest.raises(PermissionDenied):
        submissions.start_draft(demo.db, demo.clerk, person_id=far)
    assert people.get_person(demo.db, clerk2, far).person.first_name_th == "ห่างไกล"


def test_sensitive_fields_are_not_for_auditors(demo) -> None:
    auditor = users.create_user(
        demo.db, demo.admin, org_id=demo.org_id, username="auditor", display_name="ผู้ตรวจ",
        role=Role.AUDITOR, password="12345678",
    ).id  # fmt: skip
    pid = free_person_ids(demo.db)[0]
    assert people.get_person(demo.db, auditor, pid).person.id == pid
    before = dump(demo.db)
    with pytest.raises(PermissionDenied):
        people.get_person(demo.db, auditor, pid, with_sensitive=True)
    assert dump(demo.db) == before


def test_list_totals(demo, monkeypatch) -> None:
    page = people.list_people(demo.db, limit=25)
    assert (len(page.items), page.total, page.total_capped) == (25, 60, False)
    page = people.list_people(demo.db, offset=50, limit=25)
    assert (len(page.items), page.total) == (10, 60)
    page = people.list_people(demo.db, offset=100, limit=25)
    assert (page.items, page.total) == ((), 60)
    page = people.list_people(demo.db, limit=25, with_total=False)
    assert page.total == 25  # search as you type does not wait for a count

    monkeypatch.setattr(people, "COUNT_CAP", 40)
    page = people.list_people(demo.db, limit=25)
    assert (page.total, page.total_capped) == (40, True)  # "40+"


def test_rows_for_ids_keep_the_order_asked(demo) -> None:
    ids = people.person_ids(demo.db)[:5]
    wanted = [ids[3], ids[0], "no-such-person", ids[4]]
    assert [r.id for r in people.people_rows(demo.db, wanted)] == [ids[3], ids[0], ids[4]]
    assert people.people_rows(demo.db, []) == []


def test_list_lines_name_the_unit_and_the_open_submission(demo) -> None:
    with demo.db.reading() as session:
        unit_of = dict(
            session.execute(
                select(PersonModel.id, OrgUnitModel.name)
                .join(PositionModel, PositionModel.id == PersonModel.position_id)
                .join(OrgUnitModel, OrgUnitModel.id == PositionModel.unit_id)
            ).all()
        )
    items = people.people_rows(demo.db, people.person_ids(demo.db))
    assert [i.unit_name for i in items] == [unit_of[i.id] for i in items]

    shown = {i.id: i.submission_state for i in items}
    opened = {s.person_id: s.state for s in submissions.list_submissions(demo.db, demo.supervisor)}
    assert {pid: state for pid, state in shown.items() if state} == {
        pid: state for pid, state in opened.items() if pid in shown
    }
    assert {"draft", "submitted"} <= set(shown.values())


def test_a_returned_submission_shows_before_another_clerks_draft(demo) -> None:
    pid = free_person_ids(demo.db)[0]
    sid = submissions.start_draft(demo.db, demo.clerk, person_id=pid).submission.id
    submissions.save_draft(demo.db, demo.clerk, sid, fields={"salary": "31000"})
    submissions.submit(demo.db, demo.clerk, sid)
    [line] = people.people_rows(demo.db, [pid])
    assert line.submission_state == "submitted"
    decisions.return_submission(demo.db, demo.supervisor, sid, reason="เงินเดือนไม่ถูกต้อง")
    other = submissions.start_draft(demo.db, demo.supervisor, person_id=pid).submission.id
    submissions.save_draft(demo.db, demo.supervisor, other, fields={"salary": "32000"})
    [line] = people.people_rows(demo.db, [pid])
    assert line.submission_state == "returned"  # what needs the clerk comes first


def test_units_to_filter_by_in_thai_order(demo) -> None:
    units = people.list_units(demo.db)
    names = [u.name for u in units]
    assert set(names) == {
        "สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม",
        "กองสาธารณสุขและสิ่งแวดล้อม",
    }  # fmt: skip
    assert names == sorted(names, key=thai.sort_key)
    assert {u.org_id for u in units} == {demo.org_id}
    assert people.list_units(demo.db, [demo.org_id]) == units
    assert people.list_units(demo.db, ["another-org"]) == []
    every_unit = {i.unit_id for i in people.people_rows(demo.db, people.person_ids(demo.db))}
    assert every_unit == {u.id for u in units}


@pytest.mark.parametrize(
    ("query", "filters"),
    [("", None), ("สม", None), ("", people.PeopleFilter(category="local_official")), ("zzz", None)],
)
def test_a_lazy_list_starts_with_its_first_lines_then_gets_every_key(demo, query, filters):
    ids = people.person_ids(demo.db, query, filters)
    keys = people.list_keys(demo.db, query, filters)
    assert len(keys) == len(ids) and len(set(keys)) == len(keys)
    lines = people.list_lines(demo.db, keys)
    assert [lines[k].id for k in keys] == ids  # the same people in the same (Thai) order

    start = people.list_start(demo.db, query, filters, limit=10)
    assert list(start.keys) == keys[:10]
    assert [i.id for i in start.items] == ids[:10]
    assert start.complete == (len(ids) < 10)
    whole = people.list_start(demo.db, query, filters, limit=len(ids) + 1)
    assert whole.complete and list(whole.keys) == keys


def test_lines_of_keys_leave_out_who_is_gone(demo) -> None:
    keys = people.list_keys(demo.db)[:3]
    assert set(people.list_lines(demo.db, [*keys, 10**9])) == set(keys)
    assert people.list_lines(demo.db, []) == {}


def test_reading_every_key_stops_when_asked(demo, monkeypatch) -> None:
    monkeypatch.setattr(search, "STOP_CHECK_STEPS", 10)  # 60 people take fewer than 20,000
    asked = []

    def stop() -> bool:
        asked.append(1)
        return True

    with pytest.raises(search.Stopped):
        people.list_keys(demo.db, "", stop=stop)
    assert asked
    assert len(people.list_keys(demo.db, "", stop=lambda: False)) == 60  # and reads again
