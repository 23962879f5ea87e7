"""The list ordered by any of its columns, in SQL: each order checked against one computed in
Python over every person (Thai dictionary order for Thai text, digits for the citizen ID,
dates by date, reference order for coded columns), with ties by the name's Thai order."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update

from app.domain import reference, thai
from app.services import people
from app.store.models import OrgUnitModel, PersonModel, SubmissionModel
from app.store.models import PositionModel as Pos
from app.store.search import ORDER_KEYS, PeopleFilter, PeopleOrder

_RANKED = {
    "position_type": "position_types",
    "level": "levels",
    "category": "personnel_categories",
    "employment_status": "employment_statuses",
}
#: An open submission shown first: what needs the clerk, then what waits for a supervisor.
_STATE_RANK = {"returned": 0, "submitted": 1, "draft": 2}


def _rows(db) -> dict[str, dict[str, Any]]:
    """Every official person's values of the list's columns, in no order."""
    with db.reading() as session:
        rows = session.execute(
            select(PersonModel, Pos.title, Pos.position_number, OrgUnitModel.name)
            .outerjoin(Pos, Pos.id == PersonModel.position_id)
            .outerjoin(OrgUnitModel, OrgUnitModel.id == Pos.unit_id)
            .where(PersonModel.deleted.is_(False))
        ).all()
        states: dict[str, int] = {}
        for pid, state in session.execute(select(SubmissionModel.person_id, SubmissionModel.state)):
            if state in _STATE_RANK:
                states[pid] = min(states.get(pid, 9), _STATE_RANK[state])
    return {
        p.id: {
            "local_id": p.local_id,
            "name": thai.sort_key(f"{p.first_name_th} {p.last_name_th}"),
            "citizen_id": p.citizen_id,
            "position_title": title,
            "position_number": number,
            "unit": unit,
            "birth_date": p.birth_date,
            "submission_state": states.get(p.id),
            **{column: getattr(p, column) for column in _RANKED},
        }
        for p, title, number, unit in rows
    }


def _value(column: str, row: dict[str, Any]) -> Any:
    """What the column is ordered by, in Python; None when empty."""
    value = row[column]
    if value is None:
        return None
    if column in ("position_title", "unit"):
        return thai.sort_key(value)
    if column in _RANKED:
        return reference.codes(_RANKED[column]).index(value)
    return value


def _expected(db, order: PeopleOrder, ids: set[str] | None = None) -> list[str]:
    rows = _rows(db)
    chosen = [i for i in rows if ids is None or i in ids]
    if order.by_name:
        return sorted(
            chosen,
            key=lambda i: (rows[i]["name"], rows[i]["local_id"]),
            reverse=order.descending,
        )
    tie = sorted(chosen, key=lambda i: (rows[i]["name"], rows[i]["local_id"]))
    present = [i for i in tie if _value(order.column, rows[i]) is not None]
    empty = [i for i in tie if _value(order.column, rows[i]) is None]
    # a stable sort keeps the ties in the name's order, in either direction
    present.sort(key=lambda i: _value(order.column, rows[i]), reverse=order.descending)
    return present + empty


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("column", list(ORDER_KEYS))
def test_every_column_orders_the_list(demo, column, descending) -> None:
    order = PeopleOrder(column, descending)
    if column == "submission_state":
        assert len({_value(column, r) for r in _rows(demo.db).values()}) > 2, "several states"
    assert people.person_ids(demo.db, order=order) == _expected(demo.db, order)
    start = people.list_start(demo.db, order=order, limit=10)
    assert [i.id for i in start.items] == _expected(demo.db, order)[:10]


def test_thai_text_columns_go_in_thai_dictionary_order_not_code_point_order(demo) -> None:
    with demo.db.reading() as session:
        rows = session.execute(
            select(PersonModel.id, PersonModel.first_name_th, PersonModel.last_name_th)
        ).all()
    names = {i: f"{first} {last}" for i, first, last in rows}
    titles = {i: row["position_title"] for i, row in _rows(demo.db).items()}
    for column, texts in (("name", names), ("position_title", titles)):
        shown = [texts[i] for i in people.person_ids(demo.db, order=PeopleOrder(column))]
        # leading vowels (เ แ โ ใ ไ) sort by the consonant after them, among the others
        assert any(t[0] in "เแโใไ" for t in shown), "the demo has leading vowels here"
        assert shown != sorted(shown), "code-point order differs: the check has teeth"
        keys = [thai.sort_key(t) for t in shown]
        assert keys == sorted(keys)


def test_citizen_ids_by_their_digits_and_dates_by_date(demo) -> None:
    rows = _rows(demo.db)
    ids = people.person_ids(demo.db, order=PeopleOrder("citizen_id"))
    numbers = [int(rows[i]["citizen_id"]) for i in ids]
    assert numbers == sorted(numbers)
    ids = people.person_ids(demo.db, order=PeopleOrder("birth_date", descending=True))
    dates = [rows[i]["birth_date"] for i in ids]
    assert dates == sorted(dates, reverse=True)


def test_empty_values_come_last_in_both_directions(demo) -> None:
    with demo.db.transaction() as session:
        nobody = session.scalars(select(PersonModel.id).order_by(PersonModel.sort_key)).first()
        session.execute(
            update(PersonModel).where(PersonModel.id == nobody).values(position_id=None)
        )
    for descending in (False, True):
        for column in ("position_title", "unit", "position_number"):
            order = PeopleOrder(column, descending)
            ids = people.person_ids(demo.db, order=order)
            assert ids[-1] == nobody
            assert ids == _expected(demo.db, order)


@pytest.mark.parametrize("query", ["", "า", "สุข", "นัก", "1-"])
def test_a_search_and_filters_keep_the_order_chosen(demo, query) -> None:
    filters = PeopleFilter(category="local_official")
    for order in (PeopleOrder("unit", True), PeopleOrder("name", True), PeopleOrder("level")):
        for f in (None, filters):
            found = people.person_ids(demo.db, query, f, order=order)
            assert found, (query, f)
            assert found == _expected(demo.db, order, set(people.person_ids(demo.db, query, f)))
            keys = people.list_keys(demo.db, query, f, order=order)
            start = people.list_start(demo.db, query, f, order=order, limit=5)
            assert list(start.keys) == keys[:5]
            assert [i.id for i in start.items] == found[:5]


def test_an_unknown_column_is_refused() -> None:
    with pytest.raises(ValueError):
        PeopleOrder("salary")
