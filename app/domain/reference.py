"""Reference lists (enumerations) read from ``resources/reference/*.json``.

The lists are data, not code, so an office can meet a new personnel category or leave type
with a data change only. Each file holds ``{"_note": ..., "entries": [...]}``; each entry a
stable ASCII ``code``, a Thai ``th`` and an English ``en`` label, and any other attributes.
Files are read once per process and returned as frozen objects that callers cannot change
by accident.

Lookups by an unknown *list name* raise :class:`KeyError` (a programming error); lookups by
an unknown *code* return ``None`` or ``False`` (a data question the caller must handle).
``levels`` is a derived list: the levels of every position type, each with a
``position_type`` attribute.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from app.paths import resource

LIST_NAMES: tuple[str, ...] = (
    "org_types",
    "personnel_categories",
    "position_types",
    "prefixes",
    "decorations",
    "leave_types",
    "penalties",
    "movement_types",
    "employment_statuses",
    "genders",
    "unit_kinds",
    "education_levels",
    "blood_groups",
)
LEVELS = "levels"  # derived from position_types
LANGS = ("th", "en")

_CODE_RE = re.compile(r"[a-z0-9_]+")


@dataclass(frozen=True, slots=True)
class Entry:
    """One value of a reference list."""

    code: str
    th: str
    en: str
    attrs: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def label(self, lang: str = "th") -> str:
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}; use one of {LANGS}")
        return self.th if lang == "th" else self.en

    def get(self, key: str, default: Any = None) -> Any:
        """An extra attribute such as ``abbr`` or ``rank``."""
        return self.attrs.get(key, default)


@dataclass(frozen=True, slots=True)
class RefList:
    name: str
    entries: tuple[Entry, ...]
    by_code: Mapping[str, Entry]
    note: str | None = None


def _freeze(value: Any) -> Any:
    """Lists become tuples and dicts read-only, so cached data stays as loaded."""
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    return value


def _entry(raw: Any, where: str) -> Entry:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: an entry must be an object")
    code, th, en = raw.get("code"), raw.get("th"), raw.get("en")
    if not isinstance(code, str) or not _CODE_RE.fullmatch(code):
        raise ValueError(f"{where}: code {code!r} must be lowercase ASCII letters, digits or _")
    if not isinstance(th, str) or not th or not isinstance(en, str) or not en:
        raise ValueError(f"{where}: entry {code!r} needs non-empty 'th' and 'en' labels")
    attrs = {k: v for k, v in raw.items() if k not in ("code", "th", "en")}
    return Entry(code=code, th=th, en=en, attrs=_freeze(attrs))


def _with(e: Entry, **attrs: Any) -> Entry:
    return Entry(e.code, e.th, e.en, MappingProxyType({**e.attrs, **attrs}))


def _make_list(name: str, entries: list[Entry], note: str | None) -> RefList:
    by_code: dict[str, Entry] = {}
    for e in entries:
        if e.code in by_code:
            raise ValueError(f"{name}: duplicate code {e.code!r}")
        by_code[e.code] = e
    return RefList(name, tuple(entries), MappingProxyType(by_code), note)


def parse_list(name: str, data: Any) -> RefList:
    """A reference list from the parsed JSON of its file; malformed data raises ValueError."""
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise ValueError(f"{name}: expected an object with an 'entries' list")
    entries = []
    for i, raw in enumerate(data["entries"]):
        entry = _entry(raw, f"{name}[{i}]")
        if name == "position_types":
            levels = tuple(
                _with(_entry(lv, f"{name}[{i}].levels[{j}]"), position_type=entry.code)
                for j, lv in enumerate(raw.get("levels") or [])
            )
            entry = _with(entry, levels=levels)
        entries.append(entry)
    return _make_list(name, entries, data.get("_note"))


@functools.cache
def ref_list(name: str) -> RefList:
    """The whole list ``name``, read from disk on first use."""
    if name == LEVELS:
        levels = [lv for pt in ref_list("position_types").entries for lv in pt.get("levels", ())]
        return _make_list(LEVELS, levels, "derived from position_types")
    if name not in LIST_NAMES:
        raise KeyError(name)
    path = resource("reference", f"{name}.json")
    with path.open(encoding="utf-8") as f:
        return parse_list(name, json.load(f))


def entries(list_name: str) -> tuple[Entry, ...]:
    """Entries of a list in file order (which is the meaningful order, e.g. by rank)."""
    return ref_list(list_name).entries


def codes(list_name: str) -> tuple[str, ...]:
    return tuple(e.code for e in entries(list_name))


def entry(list_name: str, code: str | None) -> Entry | None:
    if code is None:
        ref_list(list_name)  # still reject an unknown list name
        return None
    return ref_list(list_name).by_code.get(code)


def is_code(list_name: str, code: str | None) -> bool:
    return entry(list_name, code) is not None


def label(list_name: str, code: str | None, lang: str = "th") -> str | None:
    """The label of ``code`` in ``lang`` ("th" or "en"); None for an unknown code."""
    e = entry(list_name, code)
    return e.label(lang) if e else None


def levels_for(position_type: str | None) -> tuple[Entry, ...] | None:
    """Levels allowed for a position type, lowest first; None for an unknown type."""
    e = entry("position_types", position_type)
    return e.get("levels", ()) if e else None


def level_allowed(position_type: str | None, level: str | None) -> bool:
    levels = levels_for(position_type)
    return levels is not None and any(lv.code == level for lv in levels)


def required_fields(category: str | None) -> tuple[str, ...] | None:
    """Person fields that must be filled for a personnel category; None if unknown."""
    e = entry("personnel_categories", category)
    return tuple(e.get("required_fields", ())) if e else None


def decoration_rank(code: str | None) -> int | None:
    """1 (ร.ง.ม.) to 16 (ม.ป.ช.); None for an unknown class."""
    e = entry("decorations", code)
    return e.get("rank") if e else None
