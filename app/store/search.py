"""Finding people: Thai substrings through the FTS5 trigram index, and Thai order.

Each person row carries two derived columns, written with the row (see ``derived``):
``sort_key`` (Thai dictionary order as plain code-point order, so an index serves it) and
``search_text`` (names, citizen ID, position number and title, normalized and lower-cased),
which the ``person_fts`` index mirrors by triggers. Terms of three characters or more use
the index; shorter ones fall back to ``LIKE`` over the ``(sort_key, search_text)`` index,
which stops as soon as a page is full.

A list is ordered by one of its columns (:class:`PeopleOrder`); ties always go by the name in
Thai order, then by the row, so every order is total. Thai text columns kept on other rows
(position title, unit name) go in Thai dictionary order too: their few distinct values are
read first and ranked by :func:`app.domain.thai.sort_key`, and the query orders by that rank
(a ``CASE``; no Python called per row, which would wait for the interpreter's lock while
the GUI thread holds it). Coded columns go by their reference list's order (levels lowest
first); the citizen ID by its digits; dates by date. Empty values come last both ways.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.domain import reference, thai
from app.store.db import sqlite_connection

TRIGRAM = 3
_DIGITS_AND_DASHES = re.compile(r"[\d\-\s]+")


@dataclass(frozen=True, slots=True)
class PeopleFilter:
    """What narrows a list of people; ``None`` means any."""

    org_ids: tuple[str, ...] | None = None
    category: str | None = None
    position_type: str | None = None
    level: str | None = None
    unit_id: str | None = None
    employment_status: str | None = None
    submission_state: str | None = None


def _rank(column: str, list_name: str) -> str:
    """A reference-coded column as its place in the list (unknown codes and None last)."""
    whens = " ".join(f"WHEN '{code}' THEN {i}" for i, code in enumerate(reference.codes(list_name)))
    return f"CASE {column} {whens} END"


_OPEN_STATE_RANK = (
    "(SELECT min(CASE s.state WHEN 'returned' THEN 0 WHEN 'submitted' THEN 1 ELSE 2 END)"
    " FROM submission s WHERE s.person_id = p.id"
    " AND s.state IN ('draft', 'submitted', 'returned'))"
)
_POSITION = "LEFT JOIN position pos ON pos.id = p.position_id"
_UNIT = _POSITION + " LEFT JOIN org_unit u ON u.id = pos.unit_id"
#: What each column of the list is ordered by, over ``person p``, and the joins it needs.
ORDER_KEYS: dict[str, tuple[str, str]] = {
    "name": ("p.sort_key", ""),
    "citizen_id": ("p.citizen_id", ""),  # 13 digits: text order is the digits' order
    "position_title": ("pos.title", _POSITION),  # ranked in Thai order, see _thai_ranks
    "position_number": ("pos.position_number", _POSITION),  # as printed: text order
    "position_type": (_rank("p.position_type", "position_types"), ""),
    "level": (_rank("p.level", "levels"), ""),
    "category": (_rank("p.category", "personnel_categories"), ""),
    "unit": ("u.name", _UNIT),  # ranked in Thai order, see _thai_ranks
    "employment_status": (_rank("p.employment_status", "employment_statuses"), ""),
    "birth_date": ("p.birth_date", ""),  # ISO 8601: text order is date order
    "submission_state": (_OPEN_STATE_RANK, ""),  # returned first, then submitted, drafts
}
#: Thai text columns, with the query of their distinct values (a few dozen in an office).
_THAI_TEXT = {
    "position_title": "SELECT DISTINCT title FROM position",
    "unit": "SELECT DISTINCT name FROM org_unit",
}
#: Above this many distinct values a Thai text column goes in code-point order instead (a
#: ``CASE`` of that many branches a row would be slow; no register comes near it).
MAX_RANKED = 2000


@dataclass(frozen=True, slots=True)
class PeopleOrder:
    """How a list of people is ordered: by ``column`` (a key of :data:`ORDER_KEYS`),
    ascending unless ``descending``. Ties go by the name in Thai order, then by the row."""

    column: str = "name"
    descending: bool = False

    def __post_init__(self) -> None:
        if self.column not in ORDER_KEYS:
            raise ValueError(f"no order by {self.column!r}")

    @property
    def by_name(self) -> bool:
        return self.column == "name"


BY_NAME = PeopleOrder()


def _thai_ranks(session: Session, column: str, expression: str) -> tuple[str, dict[str, Any]]:
    """``expression`` (a Thai text column) as its rank in Thai dictionary order."""
    values = [v for v in session.execute(text(_THAI_TEXT[column])).scalars() if v is not None]
    if not values or len(values) > MAX_RANKED:
        return expression, {}
    keys = {v: thai.sort_key(v) for v in values}
    ranks = {key: i for i, key in enumerate(sorted(set(keys.values())))}
    whens = " ".join(f"WHEN :rank{i} THEN {ranks[keys[v]]}" for i, v in enumerate(values))
    return f"CASE {expression} {whens} END", {f"rank{i}": v for i, v in enumerate(values)}


def order_sql(session: Session, order: PeopleOrder) -> tuple[str, str, dict[str, Any]]:
    """The joins an order needs (one row at most each per person), its ``ORDER BY`` terms
    and their parameters."""
    expression, joins = ORDER_KEYS[order.column]
    if order.by_name:
        way = " DESC" if order.descending else ""
        return joins, f"p.sort_key{way}, p.local_id{way}", {}
    params: dict[str, Any] = {}
    if order.column in _THAI_TEXT:
        expression, params = _thai_ranks(session, order.column, expression)
    way = "DESC" if order.descending else "ASC"
    return joins, f"{expression} {way} NULLS LAST, p.sort_key, p.local_id", params


def derived(person: Any, position_number: str | None, position_title: str | None) -> dict:
    """``sort_key`` and ``search_text`` for a person (entity or row) and their position."""
    parts = (
        person.first_name_th,
        person.last_name_th,
        person.first_name_en,
        person.last_name_en,
        person.citizen_id,
        position_number,
        position_title,
    )
    # one normalization of the parts joined (it makes single spaces of every run of them)
    search = (thai.normalize_text(" ".join(p for p in parts if p)) or "").lower()
    name = f"{person.first_name_th} {person.last_name_th}"
    return {"sort_key": thai.sort_key(name), "search_text": search}


def query_terms(query: str) -> list[tuple[str, ...]]:
    """The terms of what a user typed, each a tuple of alternatives any of which may match:
    normalized, lower-cased, Thai digits as Arabic. Digits typed with dashes or spaces are
    one term: the digits of a citizen-ID fragment, or a position number as printed
    (``34-1-01-2101-044``), which keeps its dashes."""
    q = thai.normalize_text(thai.thai_digits_to_arabic(query or "")) or ""
    q = q.lower()
    if _DIGITS_AND_DASHES.fullmatch(q):
        digits = re.sub(r"\D", "", q)
        if not digits:
            return []
        return [(digits, q)] if "-" in q and " " not in q else [(digits,)]
    return [(term,) for term in q.split()]


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _fts_query(alternatives: tuple[str, ...]) -> str:
    return " OR ".join(_fts_phrase(term) for term in alternatives)


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def where_clause(query: str, filters: PeopleFilter | None) -> tuple[str, dict[str, Any]]:
    """SQL conditions over ``person p`` and their parameters."""
    conditions = ["p.deleted = 0"]
    params: dict[str, Any] = {}
    for i, alternatives in enumerate(query_terms(query)):
        if all(len(term) >= TRIGRAM for term in alternatives):
            conditions.append(
                f"p.local_id IN (SELECT rowid FROM person_fts WHERE person_fts MATCH :t{i})"
            )
            params[f"t{i}"] = _fts_query(alternatives)
        else:
            likes = [f"p.search_text LIKE :t{i}_{j} ESCAPE '\\'" for j in range(len(alternatives))]
            conditions.append("(" + " OR ".join(likes) + ")")
            params.update({f"t{i}_{j}": _like(term) for j, term in enumerate(alternatives)})
    f = filters or PeopleFilter()
    if f.org_ids is not None:
        keys = [f"o{i}" for i in range(len(f.org_ids))]
        conditions.append(f"p.org_id IN ({', '.join(':' + k for k in keys) or 'NULL'})")
        params.update(zip(keys, f.org_ids, strict=True))
    for column in ("category", "position_type", "level", "employment_status"):
        value = getattr(f, column)
        if value is not None:
            conditions.append(f"p.{column} = :{column}")
            params[column] = value
    if f.unit_id is not None:
        conditions.append("p.position_id IN (SELECT id FROM position WHERE unit_id = :unit_id)")
        params["unit_id"] = f.unit_id
    if f.submission_state is not None:
        conditions.append("p.id IN (SELECT person_id FROM submission WHERE state = :sub_state)")
        params["sub_state"] = f.submission_state
    return " AND ".join(conditions), params


# Above this many index matches a page is found faster by walking the people in Thai order
# and stopping at the page's end than by sorting every match (measured: docs/BENCHMARKS.md).
WALK_ABOVE = 3000


def _fts_matches(session: Session, query: str) -> int | None:
    """Matches of the rarest indexed term, or None when no term uses the index."""
    counts = [
        session.execute(
            text("SELECT count(*) FROM person_fts WHERE person_fts MATCH :q"),
            {"q": _fts_query(alternatives)},
        ).scalar_one()
        for alternatives in query_terms(query)
        if all(len(term) >= TRIGRAM for term in alternatives)
    ]
    return min(counts) if counts else None


def _source(session: Session, query: str, *, walk: bool, order: PeopleOrder = BY_NAME) -> str:
    matches = _fts_matches(session, query)
    if not order.by_name:
        # Every match is sorted anyway: a scan of the table (30 ms for 100,000 people) beats
        # the planner's walk of an index in name order with a row lookup each (160 ms).
        return "person p NOT INDEXED"
    if matches is None:
        return "person p"  # the planner walks an index in Thai order
    if walk and matches > WALK_ABOVE:
        return "person p INDEXED BY ix_person_order"
    return "person p NOT INDEXED"  # rowid lookups of the matches, then one sort


def _ordered_sql(
    session: Session,
    columns: str,
    query: str,
    filters: PeopleFilter | None,
    order: PeopleOrder,
    *,
    page: bool,
) -> tuple[str, dict[str, Any]]:
    where, params = where_clause(query, filters)
    source = _source(session, query, walk=page, order=order)
    joins, terms, order_params = order_sql(session, order)
    sql = f"SELECT {columns} FROM {source} {joins} WHERE {where} ORDER BY {terms}"
    return sql, params | order_params


def find_ids(
    session: Session,
    query: str = "",
    filters: PeopleFilter | None = None,
    *,
    order: PeopleOrder = BY_NAME,
    offset: int = 0,
    limit: int | None = None,
) -> list[str]:
    """Ids of the people matching, in ``order`` (Thai dictionary order of the name unless
    told otherwise).

    For one page of a query with common terms, the ``(deleted, sort_key, search_text)``
    index is walked in order and the walk stops when the page is full; for rare terms and
    for whole lists, the few matches are fetched by rowid and sorted."""
    keyed = find_keyed_ids(session, query, filters, order=order, offset=offset, limit=limit)
    return [i for _key, i in keyed]


def find_keyed_ids(
    session: Session,
    query: str = "",
    filters: PeopleFilter | None = None,
    *,
    order: PeopleOrder = BY_NAME,
    offset: int = 0,
    limit: int | None = None,
) -> list[tuple[int, str]]:
    """``(key, id)`` of the people matching, in the order of :func:`find_ids`; the key is
    the row's ``local_id``, what :func:`find_keys` returns."""
    sql, params = _ordered_sql(
        session, "p.local_id, p.id", query, filters, order, page=limit is not None
    )
    if limit is not None:
        sql += " LIMIT :limit OFFSET :offset"
        params |= {"limit": limit, "offset": offset}
    return [(key, i) for key, i in session.execute(text(sql), params)]


class Stopped(Exception):
    """A search was stopped midway because its ``stop()`` said so."""


#: How many SQLite virtual-machine steps run between two calls of a search's ``stop()``
#: (a few microseconds of work).
STOP_CHECK_STEPS = 20_000


def find_keys(
    session: Session,
    query: str = "",
    filters: PeopleFilter | None = None,
    *,
    order: PeopleOrder = BY_NAME,
    stop: Callable[[], bool] | None = None,
) -> list[int]:
    """The keys (``local_id``, an integer: no lookup of the row) of every person matching,
    in the order of :func:`find_ids`. A whole list of 100,000 people is cheap this way.

    SQLite hands them over as one JSON array (its rows come from the ordered subquery in
    order), so the rows are gathered while the interpreter's lock is free and decoded in one
    step: a row-by-row Python loop held the lock for ~100 ms of every 100,000 keys, and the
    GUI thread, which needs the lock for every cell it paints, stalled meanwhile.

    ``stop`` is asked every few thousand steps of SQLite's work; once it answers true the
    search ends at once with :class:`Stopped` (a search as you type is overtaken by the
    next keystroke)."""
    sql, params = _ordered_sql(session, "p.local_id", query, filters, order, page=False)
    raw = sqlite_connection(session.connection().connection)  # no SQLAlchemy result layer
    if stop is not None:
        raw.set_progress_handler(lambda: 1 if stop() else 0, STOP_CHECK_STEPS)
    try:
        (keys,) = raw.execute(f"SELECT json_group_array(local_id) FROM ({sql})", params).fetchone()
    except sqlite3.OperationalError as exc:
        if stop is not None and stop():
            raise Stopped from exc
        raise
    finally:
        if stop is not None:
            raw.set_progress_handler(None, 0)
    return json.loads(keys)


def count(
    session: Session,
    query: str = "",
    filters: PeopleFilter | None = None,
    *,
    cap: int | None = None,
) -> int:
    """How many people match; with ``cap``, counting stops there (a list says "10,000+")."""
    where, params = where_clause(query, filters)
    source = _source(session, query, walk=False)
    sql = f"SELECT 1 FROM {source} WHERE {where}"
    if cap is not None:
        sql += " LIMIT :cap"
        params["cap"] = cap
    return session.execute(text(f"SELECT count(*) FROM ({sql})"), params).scalar_one()


def ordered(ids: Sequence[str], rows: Sequence[Any]) -> list[Any]:
    """``rows`` (each with ``.id``) in the order of ``ids``, dropping ids not found."""
    by_id = {r.id: r for r in rows}
    return [by_id[i] for i in ids if i in by_id]
