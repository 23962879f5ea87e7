"""Applying what the central sends: one pulled page and its cursors in one transaction.

The pull side of DESIGN.md §4. A page of changes (each the full state of one row, or its
tombstone, with the version the central gave it) is written into the local tables together
with the new cursors, so a sync cut at any byte resumes where it stopped and never applies a
page twice.

Two kinds of change wait in ``sync_deferred`` instead of being applied:

- **local**: the row has an edit on this PC that has not reached the central yet (an op in
  the outbox that is pending or sent without an answer). Local edits stay on top; the
  central's state is applied once the op is answered (applied: the central publishes the
  merged state again, which comes in a later pull; rejected: the central's state is what
  stands).
- **parent**: the row points to a row this PC does not have yet (a history row whose
  person was last changed after it, so comes in a later page). It is applied as soon as the
  parent arrives.

Rows are written with bulk upserts (``INSERT … ON CONFLICT DO UPDATE``): a first sync brings
tens of thousands of rows.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, delete, func, literal_column, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from app.domain import codec
from app.services import outbox
from app.store import replicated as rows
from app.store.db import Database
from app.store.models import (
    HistoryRowModel,
    OutboxOpModel,
    SubmissionModel,
    SyncCursorModel,
    SyncDeferredModel,
)
from app.store.replicated import MODELS, table_of

UNANSWERED = outbox.UNANSWERED
LOCAL, PARENT = "local", "parent"
# op kind → the table of the row it writes (its entity_id): the office's structure
STRUCTURE_ROWS = {"unit.save": "org_unit", "unit.close": "org_unit",
                  "position.save": "position", "plan.save": "staffing_plan"}  # fmt: skip


FIELDS = ("table", "id", "org_id", "version", "seq", "deleted", "data")


@dataclass(frozen=True, slots=True)
class Change:
    """One pulled row state (the wire ``Change``, as plain data)."""

    table: str
    id: str
    org_id: str
    version: int
    seq: int
    deleted: bool = False
    data: dict[str, Any] | None = None

    @classmethod
    def of(cls, change: Any) -> Change:
        """A change from a dict, or any object with these attributes as it is (the wire
        model has them: a first sync is 60,000 rows, not worth copying)."""
        if isinstance(change, dict):
            fields: dict[str, Any] = {k: change.get(k) for k in FIELDS}
            return cls(**fields)
        return change


@dataclass(frozen=True, slots=True)
class Applied:
    """What one page did, for the sync status and the screens to refresh."""

    applied: int
    deferred: int
    released: int  # waiting rows applied now that their reason is gone
    tables: frozenset[str] = field(default_factory=frozenset)
    ignored: int = 0  # rows of tables this version does not know


def cursors(db: Database) -> dict[str, int]:
    with db.reading() as session:
        return dict(session.execute(select(SyncCursorModel.org_id, SyncCursorModel.seq)).all())


@dataclass(frozen=True)
class Prepared:
    """A pulled page with its rows' stored values worked out (:func:`prepare`)."""

    changes: list[Any]
    columns: dict[int, dict[str, Any]]  # id() of a change → its columns


def prepare(changes: Iterable[Any]) -> Prepared:
    """Work out the stored values of a page's rows: pure, so a sync engine can do it for the
    next page on another thread while this one is written (SQLite lets other threads run
    while it writes)."""
    page = [Change.of(c) for c in changes]
    now = rows.stored_now()
    columns = {
        id(c): rows.columns(c.table, c, now)
        for c in page
        if c.table in MODELS and c.data is not None
    }
    return Prepared(page, columns)


def apply_page(
    db: Database, changes: Iterable[Any] | Prepared, new_cursors: dict[str, int]
) -> Applied:
    """Apply one pulled page and advance the cursors, in one transaction."""
    if not isinstance(changes, Prepared):
        changes = Prepared([Change.of(c) for c in changes], {})
    with db.transaction() as session:
        result = _apply(session, changes.changes, changes.columns)
        _save_cursors(session, new_cursors)
    return result


def release(db: Database) -> Applied:
    """Apply the waiting rows whose reason is gone (after a push was answered)."""
    with db.transaction() as session:
        return _apply(session, [])


def settle(db: Database, results: Iterable[Mapping[str, Any]]) -> outbox.Recorded:
    """Record the central's answers to pushed ops, in one transaction with what follows from
    them: the rows a refused op (conflict or rejected) changed on this PC are put back as
    they were before it (latest op first), so this PC ends with the central's state, and
    pulled rows that waited for those answers are applied."""
    with db.transaction() as session:
        recorded, refused = outbox.record(session, results)
        for undo in reversed(refused):
            _restore(session, undo)
        _apply(session, [])
    return recorded


def preimages(session: Session, keys: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """The rows ``keys`` name as they are now (wire form), for an op's undo list; a row that
    does not exist is listed as absent (the op makes it)."""
    out: list[dict[str, Any]] = []
    for table_name, row_id in dict.fromkeys(keys):
        table = table_of(table_name)
        row = session.execute(select(table).where(table.c.id == row_id)).mappings().first()
        if row is None:
            out.append({"table": table_name, "id": row_id, "absent": True})
        else:
            out.append({
                "table": table_name, "id": row_id, "org_id": row["org_id"],
                "version": row["version"], "deleted": bool(row["deleted"]),
                "data": _wire(table_name, row),
            })  # fmt: skip
    return out


def _restore(session: Session, undo: list[dict[str, Any]]) -> None:
    session.flush()
    gone = [e for e in undo if e.get("absent")]
    for table_name in reversed(MODELS):  # children before their parents
        ids = [e["id"] for e in gone if e["table"] == table_name]
        if ids:
            table = table_of(table_name)
            session.execute(delete(table).where(table.c.id.in_(ids)))
    for table_name in MODELS:
        back = [
            Change(table_name, e["id"], e["org_id"], e["version"], 0, e["deleted"], e["data"])
            for e in undo
            if e["table"] == table_name and not e.get("absent")
        ]
        if back:
            rows.write(session, table_name, back)
    session.expire_all()


def waiting(db: Database) -> int:
    with db.reading() as session:
        return len(session.scalars(select(SyncDeferredModel.table_name)).all())


# --- the work ---------------------------------------------------------------------------


def _apply(
    session: Session, page: list[Change], prepared: dict[int, dict[str, Any]] | None = None
) -> Applied:
    known = [c for c in page if c.table in MODELS]
    waiting_rows = _take_deferred(session)
    released_keys = {(c.table, c.id) for c in waiting_rows}
    latest: dict[tuple[str, str], Change] = {}
    for change in [*waiting_rows, *known]:  # a row pulled now replaces a waiting older one
        key = (change.table, change.id)
        if key not in latest or latest[key].version <= change.version:
            latest[key] = change
    protected = _protected(session)
    todo = [c for key, c in latest.items() if key not in protected]
    deferred = {key: (c, LOCAL) for key, c in latest.items() if key in protected}
    ready, blocked = _with_parents(session, todo)
    deferred |= {(c.table, c.id): (c, PARENT) for c in blocked}
    by_table: dict[str, list[Change]] = {}
    for change in ready:
        by_table.setdefault(change.table, []).append(change)
    for table in MODELS:  # parents first
        if table in by_table:
            rows.write(session, table, by_table[table], prepared)
    _defer(session, deferred.values())
    applied_keys = {(c.table, c.id) for c in ready}
    return Applied(
        applied=len(applied_keys - released_keys),
        deferred=len(deferred),
        released=len(applied_keys & released_keys),
        tables=frozenset(by_table),
        ignored=len(page) - len(known),
    )


def _protected(session: Session) -> set[tuple[str, str]]:
    """Rows with an edit on this PC that the central has not answered yet."""
    keys: set[tuple[str, str]] = set()
    ops = session.execute(
        select(
            OutboxOpModel.kind, OutboxOpModel.entity_id, OutboxOpModel.payload, OutboxOpModel.undo
        ).where(OutboxOpModel.state.in_(UNANSWERED))
    )
    for kind, entity_id, payload, undo in ops:
        # Every row the op changed here (its undo list: an approval's slots among them).
        keys |= {(e["table"], e["id"]) for e in undo or () if isinstance(e, dict) and "id" in e}
        if kind in STRUCTURE_ROWS:
            keys.add((STRUCTURE_ROWS[kind], entity_id))
            continue
        if not kind.startswith("submission."):
            continue
        keys.add(("submission", entity_id))
        decision = (payload or {}).get("decision_id")
        if decision:
            keys.add(("decision", decision))
        if kind == "submission.approve":
            sub = session.get(SubmissionModel, entity_id)
            if sub is not None:
                keys.add(("person", sub.person_id))
                rows = select(HistoryRowModel.id).where(HistoryRowModel.person_id == sub.person_id)
                keys |= {("history_row", rid) for rid in session.scalars(rows)}
                for rid in _history_ids(sub.history):
                    keys.add(("history_row", rid))
    return keys


def _history_ids(history: dict[str, Any] | None) -> set[str]:
    history = history or {}
    added = {row.get("id") for row in history.get("added", ()) if isinstance(row, dict)}
    return {*added, *history.get("updated", {}), *history.get("deleted", {})} - {None}


@functools.cache
def _foreign_keys(table: str) -> tuple[tuple[str, str, str], ...]:
    """(column, parent wire table, parent column) of each foreign key of ``table``."""
    wire = {table_of(name).name: name for name in MODELS}
    out = []
    for column in table_of(table).columns:
        for fk in column.foreign_keys:
            parent = wire.get(fk.column.table.name)
            if parent is not None:
                out.append((column.name, parent, fk.column.name))
    return tuple(out)


def _with_parents(session: Session, changes: list[Change]) -> tuple[list[Change], list[Change]]:
    """Split ``changes`` into those whose parents exist (here or in the page) and the rest;
    a tombstone needs no parent. Repeats until stable: a child of a blocked row is blocked."""
    present: dict[str, set[str]] = {t: set() for t in MODELS}
    pointing_by_table: dict[str, list[Change]] = {}
    for change in changes:
        if change.deleted:
            continue
        present[change.table].add(change.id)
        if change.data is not None and _foreign_keys(change.table):
            pointing_by_table.setdefault(change.table, []).append(change)
    # the parent ids named and not in the page, column by column (a first sync: 60,000 rows)
    wanted: dict[tuple[str, str], set[str]] = {}
    for table, group in pointing_by_table.items():
        for column, parent, parent_column in _foreign_keys(table):
            values: set[Any] = {data.get(column) for c in group if (data := c.data) is not None}
            values.discard(None)
            values -= present[parent]
            if values:
                wanted.setdefault((parent, parent_column), set()).update(values)
    existing: dict[str, set[str]] = {t: set() for t in MODELS}
    for (parent, parent_column), values in wanted.items():
        col = getattr(MODELS[parent], parent_column)
        named = func.json_each(json.dumps(list(values)))
        ids: Select[Any] = select(literal_column("value")).select_from(named)
        existing[parent] |= set(session.scalars(select(col).where(col.in_(ids))))
    if all(values <= existing[parent] for (parent, _), values in wanted.items()):
        return changes, []  # every parent is here: the usual case
    pointing = [
        (change, parents)
        for table, group in pointing_by_table.items()
        for change in group
        if (
            parents := [
                (p, pc, v)
                for column, p, pc in _foreign_keys(table)
                if (v := (change.data or {}).get(column)) is not None
            ]
        )
    ]
    have = {t: present[t] | existing[t] for t in MODELS}
    blocked: list[Change] = []
    stuck_ids: set[int] = set()
    while pointing:  # a child of a blocked row is blocked in turn: repeat until stable
        stuck = [c for c, parents in pointing if any(v not in have[p] for p, _, v in parents)]
        if not stuck:
            break
        blocked += stuck
        stuck_ids |= {id(c) for c in stuck}
        for change in stuck:
            if change.id not in existing[change.table]:
                have[change.table].discard(change.id)
        pointing = [(c, parents) for c, parents in pointing if id(c) not in stuck_ids]
    return [c for c in changes if id(c) not in stuck_ids], blocked


def _take_deferred(session: Session) -> list[Change]:
    rows = session.scalars(select(SyncDeferredModel)).all()
    if rows:
        session.execute(delete(SyncDeferredModel))
    return [Change(r.table_name, r.id, r.org_id, r.version, r.seq, r.deleted, r.data) for r in rows]


def _defer(session: Session, entries: Iterable[tuple[Change, str]]) -> None:
    rows = [
        {"table_name": c.table, "id": c.id, "org_id": c.org_id, "version": c.version,
         "seq": c.seq, "deleted": c.deleted, "data": c.data, "reason": reason}
        for c, reason in entries
    ]  # fmt: skip
    if rows:
        session.execute(insert(SyncDeferredModel), rows)


def _save_cursors(session: Session, new_cursors: dict[str, int]) -> None:
    if not new_cursors:
        return
    stmt = insert(SyncCursorModel)
    stmt = stmt.on_conflict_do_update(index_elements=["org_id"], set_={"seq": stmt.excluded.seq})
    session.execute(stmt, [{"org_id": o, "seq": s} for o, s in new_cursors.items()])


# --- the other way: local rows as the central holds them -----------------------------------

SNAPSHOT_TABLES = (
    "organization", "org_unit", "position", "staffing_plan", "person", "history_row",
)  # fmt: skip


def snapshot(db: Database, tables: Iterable[str] = SNAPSHOT_TABLES) -> list[Change]:
    """Every row of ``tables`` as the change that would bring it to another PC: the office's
    official records in wire form (what a central is seeded with)."""
    out: list[Change] = []
    with db.reading() as session:
        for name in tables:
            table = table_of(name)
            for row in session.execute(select(table)).mappings():
                version, deleted = row["version"] or 1, bool(row["deleted"])
                out.append(Change(name, row["id"], row["org_id"], version, 0, deleted,
                                  _wire(name, row)))  # fmt: skip
    return out


def _wire(table_name: str, row: Any) -> dict[str, Any]:
    skip = ("local_id", "sort_key", "search_text", "version", "deleted", "sort_date", "data")
    data = {k: codec.to_wire(v) for k, v in row.items() if k not in skip}
    if table_name == "history_row":
        data |= {"kind": row["kind"], **(row["data"] or {})}
    return data
