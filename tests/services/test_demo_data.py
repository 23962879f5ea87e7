"""The demo office: deterministic, realistic, valid, and only ever made in an empty database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select
from stdnum.th import pin

from app import demo_data
from app.domain.entities import Person, SubmissionKind, SubmissionState
from app.domain.validation import validate_history_row, validate_person
from app.paths import resource
from app.services import audit, decisions, people, submissions
from app.store.db import open_database
from app.store.mapping import entity, history_entity
from app.store.models import HistoryRowModel, OrganizationModel, PersonModel, PositionModel
from tests.fixtures_db import ORG_CODE, PEOPLE, dump


def _generate(path: Path, **kwargs):
    db = open_database(path)
    try:
        result = demo_data.generate(db, **kwargs)
        return result, _content(db)
    finally:
        db.close()


SEEN = ("citizen_id", "first_name_th", "last_name_th", "first_name_en", "birth_date", "salary",
        "level", "appointment_date")  # fmt: skip


def _content(db) -> dict:
    """What a person sees of the office: everyone in list order, with their history."""
    with db.reading() as session:
        persons = {p.id: p for p in session.scalars(select(PersonModel))}
        history = {}
        for row in session.scalars(select(HistoryRowModel).order_by(HistoryRowModel.id)):
            history.setdefault(row.person_id, []).append((row.kind, row.data))
    order = people.person_ids(db)
    return {
        "order": order,
        "people": [tuple(getattr(persons[i], name) for name in SEEN) for i in order],
        "history": [history.get(i, []) for i in order],
    }


def test_the_same_arguments_give_the_same_office(demo, tmp_path) -> None:
    path = tmp_path / "again.sqlite3"
    result, content = _generate(path, org_code=ORG_CODE, people=PEOPLE, seed=1)
    assert content == _content(demo.db)
    assert result.org_id == demo.result.org_id and result.org_name == demo.result.org_name
    assert [(a.username, a.password) for a in result.accounts] == [
        (a.username, a.password) for a in demo.result.accounts
    ]
    assert (result.drafts, result.submitted) == (demo.result.drafts, demo.result.submitted)


def test_another_seed_or_office_gives_other_people(demo, tmp_path) -> None:
    mine = _content(demo.db)["people"]
    _, seeded = _generate(tmp_path / "seed2.sqlite3", org_code=ORG_CODE, people=PEOPLE, seed=2)
    _, office = _generate(tmp_path / "office.sqlite3", org_code="3500101", people=PEOPLE, seed=1)
    for other in (seeded["people"], office["people"]):
        assert {p[0] for p in other}.isdisjoint({p[0] for p in mine})


def test_the_organization_matches_its_code(demo, tmp_path) -> None:
    with demo.db.reading() as session:
        org = session.scalar(select(OrganizationModel))
    assert (org.dla_code, org.org_type, org.province_code) == (ORG_CODE, "sao", "34")
    assert org.name.startswith("องค์การบริหารส่วนตำบล")
    city, _ = _generate(tmp_path / "city.sqlite3", org_code="3500101", people=3, seed=1)
    assert city.org_name.startswith("เทศบาลนคร")


def _persons(db) -> list[tuple[PersonModel, PositionModel | None]]:
    with db.reading() as session:
        return list(
            session.execute(
                select(PersonModel, PositionModel).outerjoin(
                    PositionModel, PositionModel.id == PersonModel.position_id
                )
            ).all()
        )


def test_every_person_is_a_valid_record(demo) -> None:
    rows = _persons(demo.db)
    assert len(rows) == PEOPLE
    for row, _ in rows:
        person = entity(Person, row)
        errors = [i for i in validate_person(person) if i.is_error]
        assert errors == [], (person.first_name_th, errors)


def test_citizen_ids_are_valid_and_unique(demo) -> None:
    ids = [p.citizen_id for p, _ in _persons(demo.db)]
    assert all(pin.is_valid(i) for i in ids)
    assert len(set(ids)) == len(ids)
    # Born from 1984 on: the ID starts with 1 (registered at birth).
    assert all(p.citizen_id[0] == "1" for p, _ in _persons(demo.db) if p.birth_date.year >= 1984)


def test_names_come_from_the_lists_of_real_names(demo) -> None:
    names = json.loads(resource("demo", "thai_names.json").read_text(encoding="utf-8"))
    given = {th: en for th, en in names["male"] + names["female"]}
    surnames = {th: en for th, en in names["surnames"]}
    for p, _ in _persons(demo.db):
        assert given[p.first_name_th] == p.first_name_en
        assert surnames[p.last_name_th] == p.last_name_en
        assert p.prefix == "mr" if p.gender == "male" else p.prefix in ("mrs", "miss")


def test_positions_agree_with_type_level_and_salary(demo) -> None:
    numbers = set()
    for p, position in _persons(demo.db):
        assert position is not None and position.state == "filled" and position.holder_id == p.id
        numbers.add(position.position_number)
        assert p.salary > 0
        if p.category in ("local_official", "local_teacher"):
            assert p.position_type == position.position_type
            levels = demo_data.SALARY_BY_LEVEL
            low, high = levels[p.level]
            assert low <= p.salary < high
            assert p.retirement_date.month == 9 and p.retirement_date.day == 30
            assert p.retirement_date.year - p.birth_date.year in (60, 61)
        else:
            assert p.level is None and p.position_type is None
        assert p.birth_date < p.appointment_date <= dt.date(2026, 10, 1)
    assert len(numbers) == PEOPLE  # one position each, numbers unique


def test_every_history_row_is_valid(demo) -> None:
    with demo.db.reading() as session:
        rows = [history_entity(r) for r in session.scalars(select(HistoryRowModel))]
    assert len(rows) >= 3 * PEOPLE  # an appointment, an education, salaries…
    kinds = {r.KIND for r in rows}
    assert {"movement", "salary", "education"} <= kinds
    for row in rows:
        assert [i for i in validate_history_row(row) if i.is_error] == [], row


def test_drafts_and_submitted_changes_exist(demo) -> None:
    subs = submissions.list_submissions(demo.db, demo.supervisor)
    drafts = [s for s in subs if s.state is SubmissionState.DRAFT]
    submitted = [s for s in subs if s.state is SubmissionState.SUBMITTED]
    assert len(drafts) == demo.result.drafts >= 1
    assert len(submitted) == demo.result.submitted >= 1
    assert any(s.kind is SubmissionKind.NEW_PERSON for s in drafts)
    assert all(s.author_id == demo.clerk for s in subs)
    # A supervisor can act on what the demo submitted, straight away.
    result = decisions.approve(demo.db, demo.supervisor, submitted[0].id)
    assert result.submission.state is SubmissionState.APPROVED
    assert audit.verify_chain(demo.db).ok


def test_refuses_to_fill_a_database_that_holds_people(demo) -> None:
    before = dump(demo.db)
    with pytest.raises(ValueError, match="empty database"):
        demo_data.generate(demo.db, org_code=ORG_CODE, people=5, seed=9)
    assert dump(demo.db) == before
