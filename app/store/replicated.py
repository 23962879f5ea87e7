"""The tables a PC replicates from the central, and writing pulled rows into them.

A pulled row comes in wire form (app.domain.codec: dates as ISO text, decimals as text); it is
stored as the ORM would store it, column by column, with the conversions worked out once per
column type. A page's rows of a table are written by one statement that reads them from a
JSON array (``json_each``): SQLite then writes the whole page in one call, without taking the
Python interpreter's lock back after every row.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import JSON, Date, Table, select
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect
from sqlalchemy.orm import Session

from app.domain.ids import utcnow
from app.domain.structure import slot_state
from app.store.mapping import history_columns
from app.store.models import (
    Base,
    DecisionModel,
    HistoryRowModel,
    OrganizationModel,
    OrgUnitModel,
    PersonModel,
    PersonSensitiveModel,
    PositionModel,
    StaffingPlanModel,
    SubmissionModel,
    UserModel,
)
from app.store.search import derived
from app.store.types import UTCDateTime

# The tables the central replicates, in an order where parents come before children.
MODELS: dict[str, type[Base]] = {
    "organization": OrganizationModel,
    "user": UserModel,
    "org_unit": OrgUnitModel,
    "position": PositionModel,
    "staffing_plan": StaffingPlanModel,
    "person": PersonModel,
    "person_sensitive": PersonSensitiveModel,
    "history_row": HistoryRowModel,
    "submission": SubmissionModel,
    "decision": DecisionModel,
}
TABLE_OF = {"organization": "organization", "user": "app_user"}  # wire name → table name


def table_of(name: str) -> Table:
    """The table of the replicated table ``name`` (its wire name)."""
    return cast(Table, MODELS[name].__table__)


def _convert(table: Table, name: str, value: Any) -> Any:
    """A wire value as the Python value of ``table.name`` (for the derived columns)."""
    column_type = table.c[name].type
    if value is None:
        return None
    if isinstance(column_type, UTCDateTime) and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    if isinstance(column_type, Date) and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


Storer = Callable[[Any], Any]


@functools.cache
def storers(table_name: str) -> dict[str, Storer]:
    """For each column of the table: wire value → the value SQLite stores, exactly as the
    ORM would store it (its own bind processing), with the costly parts memoized: a first
    sync writes tens of thousands of rows, and most share their timestamps."""
    table = table_of(table_name)
    dialect = sqlite_dialect()
    out: dict[str, Storer] = {}
    for column in table.columns:
        bind = column.type._cached_bind_processor(dialect)
        out[column.name] = _storer(table, column.name, bind)
    return out


# An aware UTC time as UTCDateTime stores it: the central sends its own times in this form.
_STORED_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00")


def _storer(table: Table, name: str, bind: Storer | None) -> Storer:
    column_type = table.c[name].type
    if isinstance(column_type, JSON):
        return _same  # the JSON array of the page carries it; SQL keeps it as JSON text
    if isinstance(column_type, UTCDateTime):
        convert = _date_storer(table, name, bind)
        match = _STORED_UTC.fullmatch
        return lambda value: value if isinstance(value, str) and match(value) else convert(value)
    if isinstance(column_type, Date):
        return _date_storer(table, name, bind)
    if bind is None:
        return _same
    return lambda value: None if value is None else bind(value)


def _date_storer(table: Table, name: str, bind: Storer | None) -> Storer:
    """Wire text → Python → stored text, memoized (most rows share their dates)."""

    @functools.lru_cache(maxsize=4096)
    def store(value: Any) -> Any:
        if value is None:
            return None
        value = _convert(table, name, value)
        return bind(value) if bind is not None else value

    return store


def _same(value: Any) -> Any:
    return value


@functools.cache
def _upsert_sql(table_name: str, names: tuple[str, ...]) -> str:
    """One statement that upserts every row of a JSON array of rows (each an array of the
    values of ``names``): SQLite reads them itself, in one call that lets the other
    threads run the whole time (a statement per row takes the interpreter's lock back after
    every row, and waits for it while the next page is being decoded)."""
    table = table_of(table_name)
    columns = ", ".join(f'"{n}"' for n in names)
    values = ", ".join(
        # a JSON column's value is JSON in the array: kept as its JSON text (null as NULL)
        f"nullif(value -> {i}, 'null')" if isinstance(table.c[n].type, JSON) else f"value ->> {i}"
        for i, n in enumerate(names)
    )
    updates = ", ".join(f'"{n}" = excluded."{n}"' for n in names if n != "id")
    return (
        f'INSERT INTO "{table.name}" ({columns}) SELECT {values} FROM json_each(?) WHERE true '
        f'ON CONFLICT ("id") DO UPDATE SET {updates}'
    )


def columns(table_name: str, change: Any, now: str) -> dict[str, Any]:
    """The stored values of one pulled row's columns (only those the row carries)."""
    store = storers(table_name)
    data = change.data or {}
    if table_name == "history_row":
        values = {"id": change.id, "person_id": data.get("person_id")}
        kind = data.get("kind")
        if kind is not None:
            derived_values = history_columns(kind, data)
            values |= {n: store[n](v) for n, v in derived_values.items()}
    else:
        values = {
            name: fn(data[name])
            for name, fn in store.items()
            if name in data and name not in ("local_id", "sort_key", "search_text")
        }
        values["id"] = change.id
        if table_name == "position" and "state" not in data:
            values["state"] = str(slot_state(data))  # a slot stored before states: vacant
    values |= {
        "org_id": change.org_id,
        "version": change.version,
        "deleted": int(change.deleted),
        "updated_at": store["updated_at"](data.get("updated_at")) or now,
        "updated_by": data.get("updated_by"),
    }
    return values


def write(
    session: Session,
    table_name: str,
    changes: list[
        Any
    ],  # replica.Change or the wire model: table, id, org_id, version, deleted, data
    prepared: dict[int, dict[str, Any]] | None = None,
) -> None:
    now = utcnow()
    table = table_of(table_name)
    full = [c for c in changes if c.data is not None]
    bare = [c for c in changes if c.data is None]  # a tombstone without its last state
    if bare:
        ids = [c.id for c in bare]
        for i in range(0, len(ids), 500):
            session.execute(
                table.update()
                .where(table.c.id.in_(ids[i : i + 500]))
                .values(deleted=True, updated_at=now)
            )
    if not full:
        return
    stored_now = storers(table_name)["updated_at"](now.isoformat())
    prepared = prepared or {}
    rows = [prepared.get(id(c)) or columns(table_name, c, stored_now) for c in full]
    if table_name == "person":
        _derive_person_columns(session, rows)
    groups: dict[tuple[str, ...], list[list[Any]]] = {}
    for row in rows:  # one statement per set of columns: a row only sets what it carries
        names = tuple(row)
        groups.setdefault(names, []).append(list(row.values()))
    connection = session.connection()
    for names, group in groups.items():
        rows_json = json.dumps(group, ensure_ascii=False, separators=(",", ":"))
        connection.exec_driver_sql(_upsert_sql(table_name, names), (rows_json,))


def _derive_person_columns(session: Session, rows: list[dict[str, Any]]) -> None:
    """``sort_key`` and ``search_text`` (search and Thai order), from the person and the
    number and title of their position."""
    ids = sorted({r["position_id"] for r in rows if r.get("position_id")})
    labels: dict[str, tuple[str | None, str | None]] = {}
    for i in range(0, len(ids), 500):
        found = session.execute(
            select(PositionModel.id, PositionModel.position_number, PositionModel.title).where(
                PositionModel.id.in_(ids[i : i + 500])
            )
        )
        labels |= {pid: (number, title) for pid, number, title in found}
    for row in rows:
        person = _PersonView(row)
        row |= derived(person, *labels.get(row.get("position_id") or "", (None, None)))


class _PersonView:
    """Attribute access over a row dict, as :func:`derived` reads a person."""

    def __init__(self, row: dict[str, Any]):
        self._row = row

    def __getattr__(self, name: str) -> Any:
        return self._row.get(name)


def stored_now() -> str:
    """The time now as an ``updated_at`` column stores it."""
    return storers("person")["updated_at"](utcnow().isoformat())
