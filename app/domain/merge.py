"""The three-way merge of a submission into the official record (DESIGN.md §3).

One pure function, :func:`merge`, used by the desktop (offline approval) and by the central
(authoritative), so both reach the same result from the same inputs. Every value is in wire
form (see :mod:`app.domain.codec`), so a value compares equal on every PC.

Field by field, against the base value the clerk saw: official still equals the base → take
the proposed value; official already equals the proposed value → nothing to do; otherwise a
:class:`Conflict` that the supervisor settles. Nothing is silently overwritten: an unresolved
conflict leaves the official value in place and is listed.

Conflict keys are stable strings so that a supervisor's choices can travel over the wire in
``Decision.resolutions``::

    person:<field>              a person field
    history:<row_id>:<field>    one field of a history row both sides changed
    history:<row_id>            a whole history row (edit versus delete, or an added id
                                that already exists with other content)

A resolution is the value the supervisor wants the record to end with. For a field conflict
that is the field's value (usually ``conflict.official`` or ``conflict.proposed``). For a
whole-row conflict it is ``None`` (the row ends deleted) or a row dict (the row ends live with
exactly that content; ``id`` is forced to the row id and ``deleted`` to ``False``). The
``official`` and ``proposed`` sides of a whole-row conflict use the same form (``None`` for a
deleted row), so picking a side means passing that side's value.

Resolutions are only meaningful against the official record they were chosen for: callers
check the person's version before merging with them (``StaleVersion`` otherwise).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeGuard

from app.domain.entities import HistoryChanges, JsonDict
from app.domain.errors import ConflictsUnresolved, InvalidInput, Issue

# Row keys the store manages; a submission neither changes them nor is compared on them.
META = frozenset({"id", "version", "updated_at", "updated_by", "deleted"})

Rows = Mapping[str, JsonDict]


def person_key(field: str) -> str:
    return f"person:{field}"


def row_key(row_id: str, field: str | None = None) -> str:
    return f"history:{row_id}" if field is None else f"history:{row_id}:{field}"


@dataclass(frozen=True, slots=True)
class Conflict:
    """One place where the official record and the submission disagree with the base.

    ``field`` is None for a whole-row conflict; then ``base``, ``official`` and ``proposed``
    are row dicts, or None where the row does not exist (deleted on that side, or not yet
    born in the base).
    """

    key: str
    target: Literal["person", "history"]
    row_id: str | None
    field: str | None
    base: Any
    official: Any
    proposed: Any

    @property
    def whole_row(self) -> bool:
        return self.target == "history" and self.field is None


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The merged record and what it took. Treat the dicts as read-only.

    ``fields``: every person field after the merge. ``history``: every row after the merge,
    official rows first; a deleted row stays as its tombstone (``deleted: True``).
    ``conflicts``: those still open (their official values are kept); ``resolved``: those a
    resolution settled. ``applied_fields`` (field → [official, merged]) and
    ``applied_history`` (relative to the official rows) say what the approval writes: the
    store applies them and the audit trail records them.
    """

    fields: JsonDict
    history: dict[str, JsonDict]
    conflicts: tuple[Conflict, ...]
    resolved: tuple[Conflict, ...]
    applied_fields: dict[str, list[Any]]
    applied_history: HistoryChanges

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge(
    official_fields: JsonDict,
    changes: Mapping[str, list[Any]],
    official_history: Rows | None = None,
    history: HistoryChanges | None = None,
    resolutions: Mapping[str, Any] | None = None,
) -> MergeResult:
    """Merge a submission's ``changes`` and ``history`` into the official record.

    ``official_history`` maps row id → the official row (a tombstone has ``deleted: True``).
    A missing person field counts as None, so a new person merges against an empty record.
    """
    official_history = official_history or {}
    history = history or HistoryChanges()
    _check_history(history)
    found: list[Conflict] = []

    fields = dict(official_fields)
    for name, pair in changes.items():
        old, new = _pair(person_key(name), pair)
        current = official_fields.get(name)
        outcome = _three_way(old, new, current)
        if outcome == "take":
            fields[name] = new
        elif outcome == "conflict":
            found.append(Conflict(person_key(name), "person", None, name, old, current, new))

    rows = {rid: dict(row) for rid, row in official_history.items()}
    for rid, diffs in history.updated.items():
        found.extend(_update_row(rows, rid, official_history.get(rid), diffs))
    for rid, base_row in history.deleted.items():
        current = official_history.get(rid)
        if not _live(current):
            continue  # already gone: nothing to do
        if _same_content(current, base_row):
            rows[rid] = {**current, "deleted": True}
        else:
            found.append(Conflict(row_key(rid), "history", rid, None, base_row, current, None))
    for added in history.added:
        rid = added["id"]
        current = official_history.get(rid)
        if current is None:
            rows[rid] = dict(added)
        elif not _live(current) or not _same_content(current, added):
            # Ids are born with the row, so this means the row was added before and changed
            # or deleted since: report it rather than overwrite.
            official = current if _live(current) else None
            found.append(Conflict(row_key(rid), "history", rid, None, None, official, added))

    resolutions = resolutions or {}
    open_: list[Conflict] = []
    resolved: list[Conflict] = []
    for conflict in found:
        if conflict.key in resolutions:
            _resolve(conflict, resolutions[conflict.key], fields, rows)
            resolved.append(conflict)
        else:
            open_.append(conflict)

    return MergeResult(
        fields=fields,
        history=rows,
        conflicts=tuple(open_),
        resolved=tuple(resolved),
        applied_fields=diff_fields(official_fields, fields),
        applied_history=_applied_history(official_history, rows),
    )


def require_resolved(result: MergeResult) -> MergeResult:
    """``result`` itself, or :class:`ConflictsUnresolved` naming the open conflict keys."""
    if result.conflicts:
        raise ConflictsUnresolved(keys=[c.key for c in result.conflicts])
    return result


def diff_fields(
    base: JsonDict, edited: JsonDict, names: Iterable[str] | None = None
) -> dict[str, list[Any]]:
    """``field → [old, new]`` for each of ``names`` (default: every key) that differs."""
    if names is None:
        names = dict.fromkeys([*base, *edited])
    return {
        name: [base.get(name), edited.get(name)]
        for name in names
        if not _same(base.get(name), edited.get(name))
    }


def diff_history(base_rows: Rows, edited_rows: Rows) -> HistoryChanges:
    """The history part of a submission: what the clerk added, changed and deleted.

    A row missing from ``edited_rows`` or marked ``deleted`` there is deleted; store-managed
    keys (:data:`META`) are never part of an update.
    """
    added: list[JsonDict] = []
    updated: dict[str, dict[str, list[Any]]] = {}
    for rid, row in edited_rows.items():
        base = base_rows.get(rid)
        if not _live(row):
            continue
        if not _live(base):
            added.append({**row, "id": rid})
        elif diff := _row_diff(base, row):
            updated[rid] = diff
    deleted = {
        rid: dict(row)
        for rid, row in base_rows.items()
        if _live(row) and not _live(edited_rows.get(rid))
    }
    return HistoryChanges(added=tuple(added), updated=updated, deleted=deleted)


# --- helpers ----------------------------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    """Wire equality, except that ``True`` is not ``1`` (a flag is not a count)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def _three_way(old: Any, new: Any, current: Any) -> Literal["take", "keep", "conflict"]:
    if _same(old, new) or _same(current, new):
        return "keep"
    if _same(current, old):
        return "take"
    return "conflict"


def _live(row: JsonDict | None) -> TypeGuard[JsonDict]:
    """True if the row exists and is not a tombstone (a missing row counts as gone)."""
    return row is not None and row.get("deleted") is not True


def _content_keys(*rows: JsonDict) -> list[str]:
    return [k for k in dict.fromkeys(k for row in rows for k in row) if k not in META]


def _row_diff(before: JsonDict, after: JsonDict) -> dict[str, list[Any]]:
    return diff_fields(before, after, _content_keys(before, after))


def _same_content(a: JsonDict, b: JsonDict) -> bool:
    return not _row_diff(a, b)


def _update_row(
    rows: dict[str, JsonDict], rid: str, current: JsonDict | None, diffs: Mapping[str, Any]
) -> list[Conflict]:
    """Merge the clerk's field changes into one official row; the conflicts found."""
    pairs = {f: _pair(row_key(rid, f), pair) for f, pair in diffs.items()}
    if not _live(current):
        # Edit versus delete: offer the row the clerk saw and the row they wanted.
        known = {k: v for k, v in (current or {}).items() if k != "deleted"}
        base = {**known, **{f: old for f, (old, _) in pairs.items()}, "id": rid}
        proposed = {**base, **{f: new for f, (_, new) in pairs.items()}, "deleted": False}
        return [Conflict(row_key(rid), "history", rid, None, base, None, proposed)]
    row = dict(current)
    conflicts = []
    for f, (old, new) in pairs.items():
        outcome = _three_way(old, new, current.get(f))
        if outcome == "take":
            row[f] = new
        elif outcome == "conflict":
            key = row_key(rid, f)
            conflicts.append(Conflict(key, "history", rid, f, old, current.get(f), new))
    rows[rid] = row
    return conflicts


def _resolve(conflict: Conflict, value: Any, fields: JsonDict, rows: dict[str, JsonDict]) -> None:
    rid, field = conflict.row_id, conflict.field
    if conflict.target == "person":
        assert field is not None, "a person conflict names its field"
        fields[field] = value
        return
    assert rid is not None, "a history conflict names its row"
    if field is not None:
        rows[rid] = {**rows[rid], field: value}
    elif value is None:
        if rid in rows:
            rows[rid] = {**rows[rid], "deleted": True}
    elif isinstance(value, Mapping):
        rows[rid] = {**value, "id": rid, "deleted": False}
    else:
        raise _invalid("resolution_not_a_row", conflict.key)


def _applied_history(official: Rows, merged: Rows) -> HistoryChanges:
    added: list[JsonDict] = []
    updated: dict[str, dict[str, list[Any]]] = {}
    deleted: dict[str, JsonDict] = {}
    for rid, row in merged.items():
        before = official.get(rid)
        if not _live(row):
            if _live(before):
                deleted[rid] = dict(before)
        elif before is None:
            added.append(dict(row))
        elif not _live(before):  # revived by a resolution
            updated[rid] = {**_row_diff(before, row), "deleted": [True, False]}
        elif diff := _row_diff(before, row):
            updated[rid] = diff
    return HistoryChanges(added=tuple(added), updated=updated, deleted=deleted)


def _pair(key: str, pair: Any) -> tuple[Any, Any]:
    if not isinstance(pair, list | tuple) or len(pair) != 2:
        raise _invalid("change_not_a_pair", key)
    return pair[0], pair[1]


def _check_history(history: HistoryChanges) -> None:
    """Refuse history changes that name a row twice or add a row without an id."""
    if any(not isinstance(row.get("id"), str) for row in history.added):
        raise _invalid("history_row_without_id", "history")
    seen = Counter([*history.updated, *history.deleted, *(row["id"] for row in history.added)])
    for rid, count in seen.items():
        if count > 1:
            raise _invalid("history_row_twice", row_key(rid))


def _invalid(code: str, field: str) -> InvalidInput:
    return InvalidInput([Issue(code, field, f"error.{code}")])
