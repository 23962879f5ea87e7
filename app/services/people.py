"""Reading people: the list, search as you type, one person with history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.domain import thai
from app.domain.entities import HistoryRow, Person, PersonSensitive, Role, Submission
from app.domain.errors import NotFound, PermissionDenied
from app.services import audit
from app.services.context import actor, require_scope
from app.store import search
from app.store.db import Database
from app.store.mapping import entity, history_entity, submission_entity
from app.store.models import (
    HistoryRowModel,
    OrgUnitModel,
    PersonModel,
    PersonSensitiveModel,
    PositionModel,
    SubmissionModel,
)
from app.store.search import BY_NAME, PeopleFilter, PeopleOrder

__all__ = [
    "ListStart",
    "PeopleFilter",
    "PeopleOrder",
    "PeoplePage",
    "PersonDetail",
    "PersonListItem",
    "UnitItem",
]

OPEN_STATES = ("draft", "submitted", "returned")
#: Which open submission a list line shows when a person has several: what needs the
#: clerk first (a returned one), then what waits for a supervisor.
_STATE_SHOWN_FIRST = {"returned": 0, "submitted": 1, "draft": 2}


@dataclass(frozen=True, slots=True)
class PersonListItem:
    """One line of the personnel list."""

    id: str
    org_id: str
    citizen_id: str
    prefix: str
    first_name_th: str
    last_name_th: str
    category: str
    position_type: str | None
    level: str | None
    employment_status: str
    position_number: str | None
    position_title: str | None
    birth_date: dt.date | None
    unit_id: str | None = None
    unit_name: str | None = None
    acting_rank: bool = False  # "ว่าที่" before the rank
    #: The state of an open submission about this person (draft, submitted, returned).
    submission_state: str | None = None


@dataclass(frozen=True, slots=True)
class UnitItem:
    """A unit (สำนัก, กอง, …) the list can be narrowed to."""

    id: str
    org_id: str
    name: str
    unit_kind: str


COUNT_CAP = 10_000


@dataclass(frozen=True, slots=True)
class PeoplePage:
    """One page; ``total`` is exact unless ``total_capped`` (then "at least ``total``")."""

    items: tuple[PersonListItem, ...]
    offset: int
    limit: int
    total: int
    total_capped: bool = False


@dataclass(frozen=True, slots=True)
class PersonDetail:
    person: Person
    history: tuple[HistoryRow, ...]
    open_submissions: tuple[Submission, ...]
    sensitive: PersonSensitive | None = None


def person_ids(
    db: Database,
    query: str = "",
    filters: PeopleFilter | None = None,
    *,
    order: PeopleOrder = BY_NAME,
) -> list[str]:
    """Every matching id in ``order`` (the name's Thai order unless told otherwise)."""
    with db.reading() as session:
        return search.find_ids(session, query, filters, order=order)


def people_rows(db: Database, ids: Sequence[str]) -> list[PersonListItem]:
    """List lines for ``ids``, in that order (a lazy model's fetch of one block)."""
    with db.reading() as session:
        return _items(session, ids)


@dataclass(frozen=True, slots=True)
class ListStart:
    """The first lines of a list or search, to show at once; ``keys[i]`` is the key of
    ``items[i]``. ``complete``: these are all the people matching."""

    keys: tuple[int, ...]
    items: tuple[PersonListItem, ...]
    complete: bool


def list_start(
    db: Database,
    query: str = "",
    filters: PeopleFilter | None = None,
    *,
    order: PeopleOrder = BY_NAME,
    limit: int = 100,
) -> ListStart:
    """The first ``limit`` lines of a list or search in ``order``, with their keys: what a
    lazy list shows before it has all the keys (:func:`list_keys`), which begin with these."""
    with db.reading() as session:
        keyed = search.find_keyed_ids(session, query, filters, order=order, limit=limit)
        items = _items(session, [i for _key, i in keyed])
    if len(items) != len(keyed):  # cannot happen inside one read; never misalign them
        raise RuntimeError("list lines do not match their keys")
    return ListStart(tuple(k for k, _id in keyed), tuple(items), len(keyed) < limit)


def list_keys(
    db: Database,
    query: str = "",
    filters: PeopleFilter | None = None,
    *,
    order: PeopleOrder = BY_NAME,
    stop: Callable[[], bool] | None = None,
) -> list[int]:
    """The keys of every person matching, in ``order``: what a lazy list model holds (an
    integer each; 100,000 of them are quick to read). ``stop``: see
    :func:`app.store.search.find_keys`, which raises ``search.Stopped``."""
    with db.reading() as session:
        return search.find_keys(session, query, filters, order=order, stop=stop)


def list_lines(db: Database, keys: Sequence[int]) -> dict[int, PersonListItem]:
    """The list lines of ``keys`` (a block of a lazy list), by key; a key whose person is
    gone since is left out."""
    if not keys:
        return {}
    with db.reading() as session:
        return dict(_lines(session, PersonModel.local_id.in_(list(keys))))


def list_people(
    db: Database,
    query: str = "",
    filters: PeopleFilter | None = None,
    *,
    offset: int = 0,
    limit: int = 100,
    with_total: bool = True,
) -> PeoplePage:
    """One page of the list or of a search, in Thai dictionary order, with the total
    (counted only when the page is full, and only up to :data:`COUNT_CAP`). Search as you
    type asks ``with_total=False``: then ``total`` is what the page holds."""
    with db.reading() as session:
        ids = search.find_ids(session, query, filters, offset=offset, limit=limit)
        if not with_total or (len(ids) < limit and (ids or offset == 0)):
            total = offset + len(ids)
        else:
            total = search.count(session, query, filters, cap=COUNT_CAP)
        capped = total >= COUNT_CAP
        return PeoplePage(tuple(_items(session, ids)), offset, limit, total, capped)


def list_units(db: Database, org_ids: Sequence[str] | None = None) -> list[UnitItem]:
    """The units of the organizations in ``org_ids`` (None: every one here), in Thai order:
    the choices of the list's unit filter."""
    with db.reading() as session:
        stmt = select(OrgUnitModel).where(OrgUnitModel.deleted.is_(False))
        if org_ids is not None:
            stmt = stmt.where(OrgUnitModel.org_id.in_(list(org_ids)))
        units = [UnitItem(u.id, u.org_id, u.name, u.unit_kind) for u in session.scalars(stmt)]
    return sorted(units, key=lambda u: (thai.sort_key(u.name), u.id))


def _open_states(session, ids: Sequence[str]) -> dict[str, str]:
    """The open submission state each of ``ids`` shows, for those that have one."""
    rows = session.execute(
        select(SubmissionModel.person_id, SubmissionModel.state).where(
            SubmissionModel.person_id.in_(list(ids)), SubmissionModel.state.in_(OPEN_STATES)
        )
    ).all()
    shown: dict[str, str] = {}
    for person_id, state in rows:
        current = shown.get(person_id)
        if current is None or _STATE_SHOWN_FIRST[state] < _STATE_SHOWN_FIRST[current]:
            shown[person_id] = state
    return shown


def _items(session, ids: Sequence[str]) -> list[PersonListItem]:
    if not ids:
        return []
    by_id = {item.id: item for _key, item in _lines(session, PersonModel.id.in_(list(ids)))}
    return [by_id[i] for i in ids if i in by_id]


#: The person's columns a list line holds, in the order of PersonListItem's first fields.
_LINE_COLUMNS = (
    PersonModel.id, PersonModel.org_id, PersonModel.citizen_id, PersonModel.prefix,
    PersonModel.first_name_th, PersonModel.last_name_th, PersonModel.category,
    PersonModel.position_type, PersonModel.level, PersonModel.employment_status,
    PositionModel.position_number, PositionModel.title, PersonModel.birth_date,
    OrgUnitModel.id, OrgUnitModel.name, PersonModel.acting_rank,
)  # fmt: skip


# PersonListItem from the columns of _LINE_COLUMNS (a row the type checker cannot count)
_line_item: Any = PersonListItem


def _lines(session, condition) -> list[tuple[int, PersonListItem]]:
    """``(key, list line)`` of the people that meet ``condition``, in no particular order.
    Plain columns, no ORM objects: a block of lines is read several times a second while
    the user scrolls or types, and the GUI thread shares the interpreter with this one."""
    rows = session.execute(
        select(PersonModel.local_id, *_LINE_COLUMNS)
        .outerjoin(PositionModel, PositionModel.id == PersonModel.position_id)
        .outerjoin(OrgUnitModel, OrgUnitModel.id == PositionModel.unit_id)
        .where(condition)
    ).all()
    states = _open_states(session, [row[1] for row in rows]) if rows else {}
    return [
        (key, _line_item(*fields, submission_state=states.get(fields[0]))) for key, *fields in rows
    ]


def get_person(
    db: Database, actor_id: str, person_id: str, *, with_sensitive: bool = False
) -> PersonDetail:
    """One person with every history row and the open submissions about them. Reading the
    sensitive fields is itself recorded in the audit trail (PDPA), so only then does this
    read take the write lock."""
    with db.transaction() if with_sensitive else db.reading() as session:
        user = actor(session, actor_id)
        row = session.scalar(select(PersonModel).where(PersonModel.id == person_id))
        if row is None or row.deleted:
            raise NotFound("error.person_not_found", field="person_id")
        require_scope(user, row.org_id)
        history = session.scalars(
            select(HistoryRowModel)
            .where(HistoryRowModel.person_id == person_id, HistoryRowModel.deleted.is_(False))
            .order_by(HistoryRowModel.kind, HistoryRowModel.sort_date, HistoryRowModel.id)
        )
        subs = session.scalars(
            select(SubmissionModel)
            .where(SubmissionModel.person_id == person_id, SubmissionModel.state.in_(OPEN_STATES))
            .order_by(SubmissionModel.created_at)
        )
        sensitive = None
        if with_sensitive:
            if user.role not in (Role.SUPERVISOR, Role.ORG_ADMIN, Role.CLERK):
                raise PermissionDenied("error.sensitive_forbidden")
            srow = session.scalar(
                select(PersonSensitiveModel).where(PersonSensitiveModel.person_id == person_id)
            )
            sensitive = entity(PersonSensitive, srow) if srow else None
            audit.append(
                session,
                org_id=row.org_id,
                actor_id=user.id,
                action="person.view_sensitive",
                entity_kind="person",
                entity_id=person_id,
            )
        return PersonDetail(
            person=_person(row),
            history=tuple(history_entity(h) for h in history),
            open_submissions=tuple(submission_entity(s) for s in subs),
            sensitive=sensitive,
        )


def _person(row: PersonModel) -> Person:
    return entity(Person, row)
