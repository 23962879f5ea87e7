"""Wire form of entity fields: JSON-safe values (dates ISO 8601, decimals as text).

Submissions, merges, the outbox and the protocol all speak this form, so a value compares
equal on every PC and on the central whatever the database returned.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from decimal import Decimal
from enum import StrEnum
from typing import Any

from app.domain.entities import JsonDict


def to_wire(value: Any) -> Any:
    """One value in wire form."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, StrEnum):
        return str(value)
    return value


@functools.cache
def _field_types(cls: type) -> dict[str, Any]:
    """Each field's type, with ``X | None`` read as ``X`` (worked out once per class)."""
    hints = typing.get_type_hints(cls)
    return {f.name: _base_type(hints[f.name]) for f in dataclasses.fields(cls)}


def field_type(cls: type, name: str) -> Any:
    """The type of field ``name`` of dataclass ``cls`` (``X`` of ``X | None``)."""
    return _field_types(cls)[name]


def _base_type(hint: Any) -> Any:
    """``X`` of ``X | None``; any other hint as it is."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint


def from_wire(cls: type, name: str, value: Any) -> Any:
    """A wire value of field ``name`` of dataclass ``cls`` back in its Python type."""
    if value is None:
        return None
    t = _field_types(cls)[name]
    if t is dt.datetime and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    if t is dt.date and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if t is Decimal and not isinstance(value, Decimal):
        return Decimal(str(value))
    if t is int and isinstance(value, str):
        return int(value)
    if isinstance(t, type) and issubclass(t, str) and t is not str:
        return t(value)  # StrEnum
    if typing.get_origin(t) is tuple:
        return tuple(value)
    return value


def fields_of(obj: Any, names: typing.Iterable[str] | None = None) -> JsonDict:
    """The named (default: all) fields of a dataclass instance, in wire form."""
    if names is None:
        names = [f.name for f in dataclasses.fields(obj)]
    return {n: to_wire(getattr(obj, n)) for n in names}


def build(cls: type, data: JsonDict) -> Any:
    """A dataclass instance from wire-form fields; unknown keys are ignored."""
    known = _field_types(cls)
    return cls(**{k: from_wire(cls, k, v) for k, v in data.items() if k in known})
