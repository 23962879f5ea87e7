"""One push batch as a unit of work: reads through a cache, writes staged, stored at once.

Applying ops one statement at a time costs about ten round trips to the database per op; a
province's PCs push thousands. A :class:`Batch` instead loads the rows a batch will touch
with a few ``IN`` queries, lets each op read and write them in memory, and at the end
stores every changed row, op answer and audit event with one bulk statement per table.

Each op runs in its own in-memory frame (:meth:`Batch.op`): what it publishes becomes
visible to the later ops of the batch only if the op is applied; a rejected op leaves
nothing behind, which is what a savepoint per op gave before, without its round trips.
Ids are owned (issue 13): :meth:`Batch.publish` refuses (:class:`IdTaken`) a write whose id
is held by a row of another organization, another parent record or another table, so a
client-chosen id never re-owns a record. Rows are loaded by id across tables for this
(``ix_central_row_id``).

``seq`` values are handed out when an op is applied, in the order it published its rows,
from the organization's counter read once under the organization's lock (the caller holds
it: :meth:`CentralDB.lock_orgs`), so ``seq`` order stays commit order.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, cast

import orjson
from sqlalchemy import (
    ColumnElement,
    CursorResult,
    String,
    Table,
    TextClause,
    any_,
    bindparam,
    insert,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from app.domain.ids import utcnow
from sync.central.models import CentralAudit, CentralBase, CentralOp, CentralRow, OrgCounter

Key = tuple[str, str]  # (table, id)


class IdTaken(Exception):
    """A write names an id that another organization, record or table owns."""


class Raced(Exception):
    """Another transaction stored one of the batch's ops first: run the batch again."""


IN_CHUNK = 500  # ids per IN (...) query


@dataclass(frozen=True, slots=True)
class Row:
    """The state of one ``central_row``, as the batch sees it."""

    table: str
    id: str
    org_id: str
    parent_id: str | None
    version: int
    deleted: bool
    data: dict[str, Any] | None
    updated_at: dt.datetime
    updated_by: str | None
    seq: int = 0

    @property
    def live(self) -> dict[str, Any] | None:
        return None if self.deleted else dict(self.data or {})


ROW_COLUMNS = (CentralRow.table_name, CentralRow.id, CentralRow.org_id, CentralRow.parent_id,
               CentralRow.version, CentralRow.deleted, CentralRow.data, CentralRow.updated_at,
               CentralRow.updated_by, CentralRow.seq)  # fmt: skip


def _row(m: CentralRow) -> Row:
    return Row(m.table_name, m.id, m.org_id, m.parent_id, m.version, m.deleted, m.data,
               m.updated_at, m.updated_by, m.seq)  # fmt: skip


def one_of(session: Session, column: Any, values: list[str]) -> ColumnElement[bool]:
    """``column IN values``; on PostgreSQL as ``= ANY(array)``, one short statement whatever
    the number of values (a long IN list costs milliseconds to compile and convert)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam("values", values, type_=postgresql.ARRAY(String)))
    return column.in_(values)


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(items), IN_CHUNK):
        yield items[i : i + IN_CHUNK]


class Batch:
    def __init__(self, session: Session):
        self.session = session
        self._loaded: dict[Key, Row | None] = {}  # what the database holds (None: no row)
        self._staged: dict[Key, Row] = {}  # applied in this batch, not yet stored
        self._order: list[Key] = []  # the applied writes in order (a key may repeat)
        self._frame: dict[Key, Row] | None = None  # the running op's writes
        self._frame_order: list[Key] = []
        self._counters: dict[str, int] = {}
        self._children_loaded: set[Key] = set()
        self._looked: set[str] = set()  # ids whose rows of every table are loaded
        self._tables: dict[str, set[str]] = {}  # id → the tables seen holding it
        self._by_parent: dict[Key, set[str]] = {}  # (table, parent_id) → ids ever seen
        self.cache: dict[Any, Any] = {}  # for the handlers: e.g. the users of the batch
        self.ops: list[dict[str, Any]] = []
        self.audits: list[dict[str, Any]] = []
        self._audit_ids: set[str] = set()
        self._audit_after: dict[str, str] = {}  # prev_hash → the event this batch chained on it

    # --- reading --------------------------------------------------------------------------

    def prefetch(self, keys: Iterable[Key]) -> None:
        """Load these rows, and any row of another table with the same id, in one query per
        500 ids."""
        keys = set(keys)
        self.load_ids({row_id for _, row_id in keys})
        for key in keys:
            self._loaded.setdefault(key, None)

    def load_ids(self, ids: Iterable[str]) -> None:
        """Load every row, of any table, with one of these ids."""
        ids = sorted(set(ids) - self._looked)
        for chunk in _chunks(ids):
            found = self.session.execute(
                select(*ROW_COLUMNS).where(one_of(self.session, CentralRow.id, chunk))
            )
            for r in found:
                if (r.table_name, r.id) not in self._loaded:
                    self._loaded[(r.table_name, r.id)] = self._seen(Row(*r))
        self._looked.update(ids)

    def get(self, table: str, row_id: str) -> Row | None:
        key = (table, row_id)
        if self._frame is not None and key in self._frame:
            return self._frame[key]
        if key in self._staged:
            return self._staged[key]
        if key not in self._loaded:
            self.prefetch([key])
        return self._loaded[key]

    def live_data(self, table: str, row_id: str) -> dict[str, Any] | None:
        row = self.get(table, row_id)
        return None if row is None else row.live

    def prefetch_children(self, table: str, parent_ids: Iterable[str]) -> None:
        """Load the rows of ``table`` under these parents, in one query per 500 parents."""
        todo = sorted({p for p in parent_ids if (table, p) not in self._children_loaded})
        for chunk in _chunks(todo):
            found = self.session.execute(
                select(*ROW_COLUMNS).where(
                    CentralRow.table_name == table,
                    one_of(self.session, CentralRow.parent_id, chunk),
                )
            )
            for r in found:
                if (r.table_name, r.id) not in self._loaded:
                    self._loaded[(r.table_name, r.id)] = self._seen(Row(*r))
            self._children_loaded.update((table, p) for p in chunk)

    def holders(self, row_id: str) -> set[str]:
        """The tables holding a row (live or tombstone) with this id, as the batch sees it."""
        self.load_ids([row_id])
        return {t for t in self._tables.get(row_id, ()) if self.get(t, row_id) is not None}

    def check_owner(
        self, table: str, row_id: str, org_id: str, parent_id: str | None = None
    ) -> None:
        """Raise :class:`IdTaken` unless writing ``table`` row ``row_id`` of ``org_id`` under
        ``parent_id`` keeps the id with its owner: a new id in no table, or this table's row
        of the same organization and parent."""
        others = self.holders(row_id) - {table}
        if others:
            raise IdTaken(f"the id {row_id} is already used by a row of another kind")
        current = self.get(table, row_id)
        if current is not None and current.org_id != org_id:
            raise IdTaken(f"the id {row_id} belongs to another organization's {table}")
        if current is not None and current.parent_id != parent_id:
            raise IdTaken(f"the id {row_id} belongs to another record's {table}")

    def children(self, table: str, parent_id: str) -> list[Row]:
        """Rows of ``table`` under ``parent_id`` (deleted ones too), as this batch sees them."""
        if (table, parent_id) not in self._children_loaded:
            found = self.session.scalars(
                select(CentralRow).where(
                    CentralRow.table_name == table, CentralRow.parent_id == parent_id
                )
            )
            for m in found:
                if (m.table_name, m.id) not in self._loaded:
                    self._loaded[(m.table_name, m.id)] = self._seen(_row(m))
            self._children_loaded.add((table, parent_id))
        rows = (self.get(table, i) for i in sorted(self._by_parent.get((table, parent_id), ())))
        return [r for r in rows if r is not None and r.parent_id == parent_id]

    def _seen(self, row: Row) -> Row:
        self._tables.setdefault(row.id, set()).add(row.table)
        if row.parent_id is not None:
            self._by_parent.setdefault((row.table, row.parent_id), set()).add(row.id)
        return row

    # --- writing --------------------------------------------------------------------------

    @contextmanager
    def op(self) -> Iterator[None]:
        """A frame for one op's writes; :meth:`apply` keeps them, leaving without it drops
        them."""
        self._frame, self._frame_order = {}, []
        try:
            yield
        finally:
            self._frame, self._frame_order = None, []

    def publish(
        self,
        table: str,
        row_id: str,
        org_id: str,
        data: dict[str, Any] | None,
        *,
        parent_id: str | None = None,
        deleted: bool = False,
        by: str | None = None,
    ) -> int:
        """Write the row's new full state (or tombstone) in the running op; its new version.
        ``data`` gets the row's ``updated_at`` and ``updated_by``, as every synced row's state
        carries them (DESIGN.md §3): a PC that pulls the row keeps who changed it and when."""
        assert self._frame is not None, "publish outside Batch.op()"
        self.check_owner(table, row_id, org_id, parent_id)
        current = self.get(table, row_id)
        version = (current.version if current else 0) + 1
        key = (table, row_id)
        now = utcnow()
        if data is not None:
            data = {**data, "updated_at": now.isoformat(), "updated_by": by}
        self._frame[key] = self._seen(
            Row(table, row_id, org_id, parent_id, version, deleted, data, now, by)
        )
        self._frame_order.append(key)
        return version

    def apply(self) -> None:
        """Keep the running op's writes, giving each its ``seq``."""
        assert self._frame is not None
        for key in self._frame_order:
            row = self._frame[key]
            seq = self._next_seq(row.org_id)
            self._staged[key] = replace(row, seq=seq)
        self._order.extend(self._frame_order)
        self._frame, self._frame_order = {}, []

    def _next_seq(self, org_id: str) -> int:
        if org_id not in self._counters:
            current = self.session.scalar(
                select(OrgCounter.seq).where(OrgCounter.org_id == org_id).with_for_update()
            )
            self._counters[org_id] = current or 0
        self._counters[org_id] += 1
        return self._counters[org_id]

    def has_audit(self, event_id: str) -> bool:
        if event_id in self._audit_ids:
            return True
        return self.session.get(CentralAudit, event_id) is not None

    def audit_after(self, prev_hash: str) -> str | None:
        """The id of the event already chained on ``prev_hash`` (kept, or in this batch)."""
        if prev_hash in self._audit_after:
            return self._audit_after[prev_hash]
        return self.session.scalar(
            select(CentralAudit.id).where(CentralAudit.prev_hash == prev_hash).limit(1)
        )

    def add_audit(self, values: dict[str, Any]) -> None:
        self._audit_ids.add(values["id"])
        self._audit_after[values["prev_hash"]] = values["id"]
        self.audits.append(values)

    # --- storing --------------------------------------------------------------------------

    def store(self) -> None:
        """Write everything the batch applied: rows, counters, op answers, audit events."""
        if self._staged:
            rows = [
                {"table_name": r.table, "id": r.id, "org_id": r.org_id, "parent_id": r.parent_id,
                 "version": r.version, "seq": r.seq, "deleted": r.deleted, "data": r.data,
                 "updated_at": r.updated_at, "updated_by": r.updated_by}
                for r in sorted(self._staged.values(), key=lambda r: (r.org_id, r.seq))
            ]  # fmt: skip
            self._upsert(CentralRow, rows, ("table_name", "id"))
        if self._counters:
            counters = [{"org_id": o, "seq": s} for o, s in self._counters.items()]
            self._upsert(OrgCounter, counters, ("org_id",))
        if self.ops:
            self._insert_new(CentralOp, self.ops, "op_id")
        if self.audits:
            self._insert_new(CentralAudit, self.audits, "id")

    def _postgres(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    def _insert_new(self, model: type[CentralBase], values: list[dict[str, Any]], key: str) -> None:
        """Insert rows that must be new. On PostgreSQL a concurrent transaction may have
        stored one first (two pushes of one op at once, outside any organization's lock):
        :class:`Raced`, and the caller runs the batch again, which finds the stored answer.
        SQLite has one writer (BEGIN IMMEDIATE): no race there."""
        if not self._postgres():
            self.session.execute(insert(model), values)
            return
        stored = _unnest(self.session, _table(model), values, conflict=(key,), nothing=True)
        if stored < len(values):
            raise Raced(f"{model.__tablename__}: stored by another transaction meanwhile")

    def _upsert(
        self, model: type[CentralBase], values: list[dict[str, Any]], keys: tuple[str, ...]
    ) -> None:
        if self._postgres():
            _unnest(self.session, _table(model), values, conflict=keys)
            return
        stmt = sqlite.insert(model)
        updated = {c: stmt.excluded[c] for c in values[0] if c not in keys}
        self.session.execute(stmt.on_conflict_do_update(index_elements=keys, set_=updated), values)


def _table(model: type[CentralBase]) -> Table:
    table = model.__table__  # typed FromClause: any selectable can be mapped
    assert isinstance(table, Table), f"{model.__name__} maps a table"
    return table


def _unnest(
    session: Session,
    table: Table,
    values: list[dict[str, Any]],
    conflict: tuple[str, ...] | None,
    nothing: bool = False,
) -> int:
    """PostgreSQL: insert (or upsert on ``conflict``) many rows in ONE statement, the rows
    travelling as one JSON array (``json_populate_recordset``): one plan, one round trip and
    one ``orjson.dumps`` for the whole batch, where executemany runs once a row (orjson: a
    seventh of ``json.dumps``'s time here, where that was a tenth of a push's CPU).
    ``nothing``: a row that conflicts is left out (not updated). The number of rows written."""
    names = tuple(values[0])
    sql, converters = _unnest_sql(table, names, conflict, nothing)
    if converters:
        values = [{**v, **{n: f(v[n]) for n, f in converters.items()}} for v in values]
    # An INSERT's result is a CursorResult; Session.execute is typed for any statement.
    rows = orjson.dumps(values, option=orjson.OPT_NON_STR_KEYS).decode()
    result = session.execute(sql, {"rows": rows})
    return cast(CursorResult[Any], result).rowcount


_PG = postgresql.dialect()


@functools.cache
def _unnest_sql(
    table: Table, names: tuple[str, ...], conflict: tuple[str, ...] | None, nothing: bool = False
) -> tuple[TextClause, dict[str, Callable[[Any], Any]]]:
    converters: dict[str, Callable[[Any], Any]] = {}
    for name in names:
        column_type = table.c[name].type
        if isinstance(column_type, TypeDecorator):
            converters[name] = functools.partial(_bind, column_type)
    columns = ", ".join(names)
    sql = (
        f"INSERT INTO {table.name} ({columns}) SELECT {columns} "
        f"FROM json_populate_recordset(NULL::{table.name}, CAST(:rows AS json))"
    )
    if conflict is not None and nothing:
        sql += f" ON CONFLICT ({', '.join(conflict)}) DO NOTHING"
    elif conflict is not None:
        updates = ", ".join(f"{n} = EXCLUDED.{n}" for n in names if n not in conflict)
        sql += f" ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {updates}"
    return text(sql), converters


def _bind(column_type: TypeDecorator, value: Any) -> Any:
    return column_type.process_bind_param(value, _PG)
