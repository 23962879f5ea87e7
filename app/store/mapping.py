"""Between ORM rows and the frozen entities of app.domain. Nothing else crosses."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, TypeVar, cast

from app.domain import codec
from app.domain.entities import HISTORY_KINDS, HistoryChanges, HistoryRow, Submission
from app.store.models import HistoryRowModel, SubmissionModel

T = TypeVar("T")

_HISTORY_COMMON = ("id", "org_id", "person_id", "version", "updated_at", "updated_by", "deleted")


def entity(cls: type[T], row: Any) -> T:
    """The entity ``cls`` from an ORM object whose attributes carry the same names (enums
    and tuples restored from their stored form)."""
    names = [f.name for f in dataclasses.fields(cast(Any, cls))]
    return cast(T, codec.build(cls, {name: getattr(row, name) for name in names}))


def columns(obj: Any, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields of an entity as column values (Python types, not wire form)."""
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj) if f.name not in exclude}


def history_entity(row: HistoryRowModel) -> HistoryRow:
    cls = HISTORY_KINDS[row.kind]
    data = {k: getattr(row, k) for k in _HISTORY_COMMON}
    fields = {k: codec.from_wire(cls, k, v) for k, v in row.data.items() if k not in data}
    return cls(**data, **fields)


@functools.cache
def _own_fields(kind: str) -> tuple[str, ...]:
    cls = HISTORY_KINDS[kind]
    return tuple(sorted({f.name for f in dataclasses.fields(cls)} - set(_HISTORY_COMMON)))


def history_wire(row: HistoryRowModel) -> dict[str, Any]:
    """A stored history row as one wire-form dict (``id``, ``kind`` and every field of its
    kind, None where nothing is stored)."""
    data = row.data or {}
    fields = {name: data.get(name) for name in _own_fields(row.kind)}
    return {"id": row.id, "kind": row.kind, "person_id": row.person_id, **fields}


def history_columns(kind: str, wire: dict[str, Any]) -> dict[str, Any]:
    """Column values of a history row from its wire form."""
    cls = HISTORY_KINDS[kind]
    # Empty fields are not stored: a register holds millions of history rows.
    data = {k: wire[k] for k in _own_fields(kind) if wire.get(k) is not None}
    date = data.get(cls.DATE_FIELD)
    return {"kind": kind, "data": data, "sort_date": codec.from_wire(cls, cls.DATE_FIELD, date)}


def submission_entity(row: SubmissionModel) -> Submission:
    hist = row.history or {}
    values = {f.name: getattr(row, f.name) for f in dataclasses.fields(Submission)}
    values["history"] = HistoryChanges(
        added=tuple(hist.get("added", ())),
        updated=dict(hist.get("updated", {})),
        deleted=dict(hist.get("deleted", {})),
    )
    return codec.build(Submission, values)


def history_changes_json(changes: HistoryChanges) -> dict[str, Any]:
    return {
        "added": list(changes.added),
        "updated": changes.updated,
        "deleted": changes.deleted,
    }
