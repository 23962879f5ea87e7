"""The payload of every op kind: one pydantic model each, the only definition of what an op
may carry (DESIGN.md §4).

The central validates each op's ``payload`` with the model of its kind
(:func:`parse_payload`); a payload that does not fit is refused for that op alone
(``bad_payload``, with the reason), never for its batch. The desktop builds the same dicts
(``app.services``: ``app`` may not import ``sync``, so the models live here, next to the
envelope); a test holds every op the desktop writes to its model
(tests/central/test_op_payloads.py). The bounds come from :mod:`app.domain.limits`, the
ones the desktop's forms show. The OpenAPI document shows every model under ``Op.payload``.

Ids are UUIDs in canonical form; values of person and history fields are in wire form
(app.domain.codec) and within their hard bounds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    ValidationError,
    field_validator,
)

from app.domain import codec, limits
from app.domain.entities import HISTORY_KINDS, HistoryRow, Person, SubmissionKind
from sync.protocol.v1 import OpKind

__all__ = [
    "PAYLOADS",
    "ApprovePayload",
    "AuditAppendPayload",
    "HistoryPatch",
    "PlanSavePayload",
    "PositionSavePayload",
    "ReturnPayload",
    "SubmissionSavePayload",
    "SubmissionSubmitPayload",
    "UnitClosePayload",
    "UnitSavePayload",
    "WithdrawPayload",
    "parse_payload",
]

UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
Uuid = Annotated[str, StringConstraints(min_length=36, max_length=36, pattern=UUID_PATTERN)]
Hash = Annotated[str, StringConstraints(min_length=64, max_length=64, pattern=r"^[0-9a-f]{64}$")]
FreeText = Annotated[str, StringConstraints(max_length=limits.FREE_TEXT_LENGTH)]
Code = Annotated[str, StringConstraints(max_length=limits.CODE_LENGTH)]
Version = Annotated[StrictInt, Field(ge=0, le=2**53)]
Pair = tuple[Any, Any]  # [old, new], wire form

MAX_HISTORY_ROWS = 500  # rows a submission adds, changes or deletes, each
MAX_RESOLUTIONS = 1000
MAX_AUDIT_DETAIL = 65_536  # characters of an audit event's detail as JSON
_HISTORY_FIELDS: dict[str, type[HistoryRow]] = {
    f.name: cls for cls in HISTORY_KINDS.values() for f in dataclasses.fields(cls)
}
_ROW_META = frozenset({"id", "kind", "person_id", "org_id", "version", "updated_at",
                       "updated_by", "deleted"})  # fmt: skip


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _value(cls: type, name: str, value: Any) -> None:
    """``value`` reads as field ``name`` of ``cls`` and lies within its hard bounds."""
    if isinstance(value, str) and (bound := limits.check_text(name, value)) is not None:
        raise ValueError(f"{name}: longer than {bound.params['max']} characters")
    try:
        parsed = codec.from_wire(cls, name, value)
        expected = codec.field_type(cls, name)
        if parsed is not None and isinstance(expected, type) and not isinstance(parsed, expected):
            raise TypeError(name)
    except (ValueError, ArithmeticError, TypeError):
        raise ValueError(f"{name}: {str(value)[:40]!r} is not a valid value") from None
    if (bound := limits.check(name, parsed, hard=True)) is not None:
        raise ValueError(f"{name}: {str(value)[:40]!r} is out of bounds ({bound.code})")


def _row(row: dict[str, Any], added: bool) -> dict[str, Any]:
    """A history row in wire form: known kind, known fields, bounded values."""
    kind = row.get("kind")
    cls = HISTORY_KINDS.get(kind) if isinstance(kind, str) else None
    if added and not limits.is_uuid(row.get("id")):
        raise ValueError("every added history row needs a UUID id")
    if cls is None:
        if added:
            raise ValueError(f"unknown kind {str(kind)[:40]!r}")
        for name, value in row.items():  # a deleted row as the clerk saw it
            _history_value(name, value)
        return row
    names = {f.name for f in dataclasses.fields(cls)}
    for name, value in row.items():
        if name in _ROW_META:
            is_id = name in ("id", "person_id", "org_id") and value is not None
            if is_id and not (isinstance(value, str) and len(value) <= limits.MAX_ID):
                raise ValueError(f"{name} is not an id")
            continue
        if name not in names:
            raise ValueError(f"{kind} has no field {str(name)[:40]!r}")
        _value(cls, name, value)
    return row


def _named(row_id: Any, check: Any, *args: Any) -> Any:
    """``check(*args)``, its error naming the history row."""
    try:
        return check(*args)
    except ValueError as exc:
        raise ValueError(f"history row {str(row_id)[:36]}: {exc}") from None


def _history_value(name: str, value: Any) -> None:
    if name in _ROW_META:
        if value is not None and not isinstance(value, str | int | bool):
            raise ValueError(f"{name} is not a plain value")
        if isinstance(value, str) and len(value) > limits.TEXT_LENGTH:
            raise ValueError(f"{name} is too long")
        return
    cls = _HISTORY_FIELDS.get(name)
    if cls is None:
        raise ValueError(f"no kind of row has a field {str(name)[:40]!r}")
    _value(cls, name, value)


class HistoryPatch(_Payload):
    """History rows a submission adds (whole rows, each with its UUID ``id`` and ``kind``),
    updates (row id → {field: [old, new]}) or deletes (row id → the row as the clerk saw
    it)."""

    added: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_HISTORY_ROWS)
    updated: dict[Uuid, dict[str, Pair]] = Field(default_factory=dict, max_length=MAX_HISTORY_ROWS)
    deleted: dict[Uuid, dict[str, Any]] = Field(default_factory=dict, max_length=MAX_HISTORY_ROWS)

    @field_validator("added")
    @classmethod
    def _added(cls, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = [_named(row.get("id"), _row, row, True)["id"] for row in rows]
        if len(set(ids)) != len(ids):
            raise ValueError("two added history rows have the same id")
        return rows

    @field_validator("updated")
    @classmethod
    def _updated(cls, rows: dict[str, dict[str, Pair]]) -> dict[str, dict[str, Pair]]:
        for rid, diffs in rows.items():
            for name, pair in diffs.items():
                for value in pair:
                    _named(rid, _history_value, name, value)
        return rows

    @field_validator("deleted")
    @classmethod
    def _deleted(cls, rows: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        for rid, row in rows.items():
            _named(rid, _row, row, False)
        return rows


def _changes(changes: dict[str, Pair]) -> dict[str, Pair]:
    for name, pair in changes.items():
        if name not in Person.EDITABLE:
            raise ValueError(f"changes: {str(name)[:40]!r} is not a field a submission changes")
        for value in pair:
            _value(Person, name, value)
    return changes


class SubmissionSavePayload(BaseModel):
    """``submission.save``: the author's submission as it now stands. The desktop sends the
    whole submission; the central reads only the fields below (state, decisions, times and
    authorship are the central's to set) and ignores the rest."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: Uuid | None = Field(default=None, description="the op's entity_id, if given")
    person_id: Uuid
    kind: SubmissionKind
    base_version: Version = Field(description="the person's version the changes are against")
    changes: Annotated[dict[str, Pair], AfterValidator(_changes)] = Field(
        max_length=len(Person.EDITABLE), description="person field → [old, new], wire form"
    )
    history: HistoryPatch


class SubmissionSubmitPayload(_Payload):
    """``submission.submit``: the whole submission, saved and sent for approval at once."""

    submission: SubmissionSavePayload


class WithdrawPayload(_Payload):
    """``submission.withdraw``: the author takes the submission back."""

    submission_id: Uuid


class ReturnPayload(_Payload):
    """``submission.return``: a supervisor sends it back with a reason (required)."""

    submission_id: Uuid
    decision_id: Uuid = Field(description="the id of the new decision; never an existing one")
    reason: FreeText
    field_comments: dict[Code, FreeText] = Field(default_factory=dict, max_length=100)


class ApprovePayload(_Payload):
    """``submission.approve``: a supervisor applies it, settling conflicts by
    ``resolutions`` (conflict key → chosen value) chosen against ``base_version``."""

    submission_id: Uuid
    decision_id: Uuid = Field(description="the id of the new decision; never an existing one")
    base_version: Version | None = None
    resolutions: dict[Annotated[str, StringConstraints(max_length=200)], Any] = Field(
        default_factory=dict, max_length=MAX_RESOLUTIONS
    )


def _aware_time(value: str) -> str:
    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("not an ISO 8601 time") from None
    if at.tzinfo is None:
        raise ValueError("a time needs its UTC offset")
    return value


class AuditAppendPayload(_Payload):
    """``audit.append``: one event of the PC's hash-chained trail, exactly as hashed
    (app.domain.audit). Its ``actor_id`` must be the op's author."""

    id: Uuid
    org_id: Uuid
    actor_id: Uuid | None
    at: Annotated[str, StringConstraints(max_length=40), AfterValidator(_aware_time)]
    action: Code
    entity_kind: Annotated[str, StringConstraints(max_length=32)]
    entity_id: Annotated[str, StringConstraints(max_length=limits.MAX_ID)] | None
    detail: dict[str, Any]
    prev_hash: Hash
    hash: Hash

    @field_validator("detail")
    @classmethod
    def _small(cls, detail: dict[str, Any]) -> dict[str, Any]:
        if len(json.dumps(detail, ensure_ascii=False, default=str)) > MAX_AUDIT_DETAIL:
            raise ValueError(f"detail is longer than {MAX_AUDIT_DETAIL} characters")
        return detail


# --- the office's structure (issue 14; rules: app.domain.structure) ------------------------

Text = Annotated[str, StringConstraints(max_length=limits.TEXT_LENGTH)]


class UnitSavePayload(_Payload):
    """``unit.save``: a unit (the op's ``entity_id``) made, renamed or moved."""

    name: Text
    unit_kind: Code = Field(description="a code of the unit_kinds reference list")
    parent_id: Uuid | None = None


class UnitClosePayload(_Payload):
    """``unit.close``: close a unit nobody holds a slot in, with no open slots or units."""

    unit_id: Uuid = Field(description="the op's entity_id")


class PositionSavePayload(_Payload):
    """``position.save``: a position slot (the op's ``entity_id``) made or changed. ``state``
    None keeps the slot's state (a new one: vacant); by hand only vacant, frozen or cut, and
    never while someone holds the slot. The holder comes only from an approval."""

    position_number: Text
    title: Text
    job_line_code: Annotated[str, StringConstraints(max_length=32)] | None = None
    position_type: Code
    level_min: Code | None = None
    level_max: Code | None = None
    staff_type: Code | None = Field(default=None, description="a personnel category")
    unit_id: Uuid | None = None
    state: Code | None = None


class PlanSavePayload(_Payload):
    """``plan.save``: a line of the three-year staffing plan (the op's ``entity_id``), or
    its removal (``deleted``)."""

    first_year_be: Annotated[StrictInt, Field(ge=0, le=10_000)]
    position_title: Text
    position_type: Code | None = None
    level: Code | None = None
    unit_id: Uuid | None = None
    counts: list[Annotated[StrictInt, Field(ge=0, le=limits.PLAN_COUNT_MAX)]] = Field(
        min_length=limits.PLAN_YEARS, max_length=limits.PLAN_YEARS
    )
    note: FreeText | None = None
    deleted: bool = False


PAYLOADS: dict[OpKind, type[BaseModel]] = {
    OpKind.SUBMISSION_SAVE: SubmissionSavePayload,
    OpKind.SUBMISSION_SUBMIT: SubmissionSubmitPayload,
    OpKind.SUBMISSION_WITHDRAW: WithdrawPayload,
    OpKind.SUBMISSION_RETURN: ReturnPayload,
    OpKind.SUBMISSION_APPROVE: ApprovePayload,
    OpKind.AUDIT_APPEND: AuditAppendPayload,
    OpKind.UNIT_SAVE: UnitSavePayload,
    OpKind.UNIT_CLOSE: UnitClosePayload,
    OpKind.POSITION_SAVE: PositionSavePayload,
    OpKind.PLAN_SAVE: PlanSavePayload,
}


def _reason(error: Any) -> str:
    where = ".".join(str(p) for p in error["loc"])[:80] or "-"
    given = error.get("input")
    shown = f" (not {given[:40]!r})" if isinstance(given, str) and error["type"] == "enum" else ""
    return f"{where}: {error['msg'][:160]}{shown}"


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """``node`` with every ``$ref`` to ``defs`` replaced by its definition."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def payload_schemas() -> list[dict[str, Any]]:
    """The JSON schema of every kind's payload, self-contained, titled by its kind."""
    out = []
    for kind, model in PAYLOADS.items():
        schema = model.model_json_schema()
        schema = _inline(schema, schema.get("$defs", {}))
        out.append({**schema, "title": f"{kind} ({model.__name__})"})
    return out


class PayloadError(ValueError):
    """A payload that does not fit its kind's model; ``reason`` says where and why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def parse_payload(kind: OpKind, payload: dict[str, Any]) -> Any:
    """The payload as its kind's model, or :class:`PayloadError` with a short reason."""
    try:
        return PAYLOADS[kind].model_validate(payload)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[:3]
        reason = "; ".join(_reason(e) for e in first) or "the payload does not fit its kind"
        raise PayloadError(f"{kind}: {reason}") from None
    except RecursionError:
        raise PayloadError("the payload is nested too deeply") from None
