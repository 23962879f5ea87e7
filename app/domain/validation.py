"""Validation and normalization of a person and of history rows.

Validators return every :class:`Issue` they find rather than stopping at the first, so a
form can mark all its fields at once; warnings (a citizen ID starting with 0, an age under
18 at appointment) are shown but do not block a save. :func:`raise_if_errors` turns a list
into an :class:`InvalidInput` where a service must refuse. Codes are checked against the
reference lists, so a new code needs a data change only. Issues carry field names and codes,
never a citizen ID or a name: they may end up in logs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import types
import typing
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from stdnum.th import pin

from app.domain import limits
from app.domain import reference as ref
from app.domain.entities import HistoryRow, Person, Row
from app.domain.errors import InvalidInput, Issue, Severity
from app.domain.thai import has_thai_letter, normalize_text, thai_digits_to_arabic

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

MIN_AGE_AT_APPOINTMENT = 18
# Free-text fields whose line breaks are kept.
MULTILINE_FIELDS = frozenset({"note", "reason"})
# Person fields that every record needs whatever its category (used when the category is
# unknown, so that the identity is still checked).
IDENTITY_FIELDS = ("citizen_id", "prefix", "first_name_th", "last_name_th", "category")

PERSON_CODE_LISTS = {
    "prefix": "prefixes",
    "category": "personnel_categories",
    "gender": "genders",
    "position_type": "position_types",
    "level": ref.LEVELS,
    "employment_status": "employment_statuses",
}
# Position types, levels and prefixes in history rows stay free text: records reach back
# before the 2015 reform (ระดับ 1–11) and may name ranks the lists do not hold.
HISTORY_CODE_LISTS = {
    "movement_type": "movement_types",
    "decoration_class": "decorations",
    "leave_type": "leave_types",
    "penalty": "penalties",
    "education_level": "education_levels",
}
_METADATA = frozenset(f.name for f in dataclasses.fields(HistoryRow))  # Row fields + person_id
_CITIZEN_ID_RE = re.compile(r"[0-9]{13}")

T = TypeVar("T", bound="DataclassInstance")


def issue(
    code: str, field: str | None, severity: Severity = Severity.ERROR, **params: Any
) -> Issue:
    """An issue whose message key follows the ``error.<code>`` convention."""
    return Issue(code, field, f"error.{code}", severity, params)


def raise_if_errors(issues: Iterable[Issue]) -> None:
    """Raise :class:`InvalidInput` (with warnings too) if any issue is an error."""
    issues = tuple(issues)
    if any(i.is_error for i in issues):
        raise InvalidInput(issues)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- citizen ID --------------------------------------------------------------------------


def _clean_citizen_id(value: str) -> str:
    return pin.compact(thai_digits_to_arabic(normalize_text(value) or ""))


def normalize_citizen_id(value: str) -> str:
    """The 13 digits of an ID typed with dashes, spaces or Thai digits.

    Raises :class:`InvalidInput` (``citizen_id_format``) if there are not 13 digits; the
    checksum is :func:`check_citizen_id`'s concern.
    """
    digits = _clean_citizen_id(value)
    if not _CITIZEN_ID_RE.fullmatch(digits):
        raise InvalidInput([issue("citizen_id_format", "citizen_id")])
    return digits


def format_citizen_id(digits: str) -> str:
    """The grouped form ``X-XXXX-XXXXX-XX-X`` in which the ID is shown."""
    return pin.format(normalize_citizen_id(digits))


def check_citizen_id(value: str | None, field: str = "citizen_id") -> list[Issue]:
    """Format and checksum errors; a valid ID starting with 0 (some non-Thai cards) warns."""
    digits = _clean_citizen_id(value or "")
    if not _CITIZEN_ID_RE.fullmatch(digits):
        return [issue("citizen_id_format", field)]
    if pin.calc_check_digit(digits) != digits[-1]:
        return [issue("citizen_id_checksum", field)]
    if digits[0] == "0":
        return [issue("citizen_id_leading_zero", field, Severity.WARNING)]
    return []


# --- normalization -----------------------------------------------------------------------


@functools.cache
def _optional_fields(cls: type) -> frozenset[str]:
    hints = typing.get_type_hints(cls)
    return frozenset(
        name
        for name, hint in hints.items()
        if typing.get_origin(hint) in (typing.Union, types.UnionType)
        and type(None) in typing.get_args(hint)
    )


def _normalized(obj: T, skip: frozenset[str] = frozenset()) -> T:
    """``obj`` with every str field normalized; a blank optional field becomes None."""
    optional = _optional_fields(type(obj))
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if f.name in skip or not isinstance(value, str):
            continue
        new: str | None = normalize_text(value, multiline=f.name in MULTILINE_FIELDS)
        if new == "" and f.name in optional:
            new = None
        if f.name == "citizen_id" and _CITIZEN_ID_RE.fullmatch(_clean_citizen_id(value)):
            new = _clean_citizen_id(value)
        if new != value:
            changes[f.name] = new
    return dataclasses.replace(obj, **changes) if changes else obj


def normalize_person(person: Person) -> Person:
    """Text fields normalized, the citizen ID as 13 digits (left as typed if it has not 13)."""
    return _normalized(person, skip=frozenset(f.name for f in dataclasses.fields(Row)))


def normalize_history_row(row: HistoryRow) -> HistoryRow:
    """Text fields normalized; notes keep their line breaks."""
    return _normalized(row, skip=_METADATA)


# --- shared checks -----------------------------------------------------------------------


def _check_codes(obj: Any, lists: dict[str, str]) -> list[Issue]:
    out = []
    for field, list_name in lists.items():
        value = getattr(obj, field, None)
        if not _blank(value) and not ref.is_code(list_name, value):
            out.append(issue("unknown_code", field, list=list_name, value=value))
    return out


def _check_level(position_type: str | None, level: str | None) -> list[Issue]:
    """The level must belong to the position type (when both codes are known)."""
    if _blank(level) or not ref.is_code(ref.LEVELS, level):
        return []
    if _blank(position_type):
        return [issue("level_not_allowed", "level", position_type=None)]
    if ref.is_code("position_types", position_type) and not ref.level_allowed(position_type, level):
        return [issue("level_not_allowed", "level", position_type=position_type)]
    return []


def _check_common(obj: Any, names: Iterable[str], today: dt.date | None = None) -> list[Issue]:
    """Thai name fields hold Thai; every value within its bounds (app.domain.limits:
    lengths, amounts, dates)."""
    out = []
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if f.name.endswith("_th") and not _blank(value) and not has_thai_letter(value):
            out.append(issue("thai_required", f.name))
    flagged = {i.field for i in out}
    out += [i for i in limits.check_fields(obj, names, today) if i.field not in flagged]
    return out


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# --- person ------------------------------------------------------------------------------


def _check_dates(p: Person, today: dt.date) -> list[Issue]:
    out = []
    birth, appointed, retired = p.birth_date, p.appointment_date, p.retirement_date
    if birth and birth > today:
        out.append(issue("date_in_future", "birth_date"))
    if birth and appointed:
        if appointed <= birth:
            out.append(issue("date_order", "appointment_date", after="birth_date"))
        elif (age := _age(birth, appointed)) < MIN_AGE_AT_APPOINTMENT:
            out.append(
                issue(
                    "age_at_appointment",
                    "appointment_date",
                    Severity.WARNING,
                    age=age,
                    minimum=MIN_AGE_AT_APPOINTMENT,
                )
            )
    if retired and appointed and retired < appointed:
        out.append(issue("date_order", "retirement_date", after="appointment_date"))
    elif retired and birth and not appointed and retired <= birth:
        out.append(issue("date_order", "retirement_date", after="birth_date"))
    return out


def _check_prefix(p: Person) -> list[Issue]:
    prefix = ref.entry("prefixes", p.prefix)
    if prefix is None:
        return []
    out = []
    if p.acting_rank and prefix.get("kind") == "civil":
        out.append(issue("acting_rank_not_allowed", "acting_rank"))
    implied = prefix.get("gender")
    if implied and ref.is_code("genders", p.gender) and p.gender != implied:
        out.append(issue("prefix_gender_mismatch", "gender", Severity.WARNING, prefix=p.prefix))
    return out


def validate_person(person: Person, *, today: dt.date | None = None) -> list[Issue]:
    """Every issue of a person record, checked on its normalized form."""
    p = normalize_person(person)
    required = ref.required_fields(p.category) or ()
    issues = [
        issue("required", name)
        for name in dict.fromkeys((*IDENTITY_FIELDS, *required))
        if _blank(getattr(p, name))
    ]
    issues += _check_codes(p, PERSON_CODE_LISTS)
    issues += _check_level(p.position_type, p.level)
    if not _blank(p.citizen_id):
        issues += check_citizen_id(p.citizen_id)
    issues += _check_prefix(p)
    today = today or dt.date.today()
    issues += _check_dates(p, today)
    flagged = {i.field for i in issues if i.is_error}
    issues += [i for i in _check_common(p, Person.EDITABLE, today) if i.field not in flagged]
    return issues


# --- history rows ------------------------------------------------------------------------


@functools.cache
def _required_fields(cls: type) -> tuple[str, ...]:
    """Fields of a history row kind typed as a plain value (``str``, a date, an amount; not
    optional): they must be filled."""
    hints = typing.get_type_hints(cls)
    return tuple(
        f.name
        for f in dataclasses.fields(cls)
        if f.name not in _METADATA and hints[f.name] in (str, dt.date, Decimal)
    )


def validate_history_row(row: HistoryRow) -> list[Issue]:
    """Every issue of one history row: required fields, known codes, date order, amounts."""
    r = normalize_history_row(row)
    # Typed as a plain class: mypy checks type[HistoryRow] for Hashable against the row's own
    # __hash__ (a frozen dataclass's), not the class's, and refuses it (mypy issue 20409).
    kind: type = type(r)
    issues = [
        issue("required", name) for name in _required_fields(kind) if _blank(getattr(r, name))
    ]
    issues += _check_codes(r, HISTORY_CODE_LISTS)
    start, end = getattr(r, "start_date", None), getattr(r, "end_date", None)
    if start and end and end < start:
        issues.append(issue("date_order", "end_date", after="start_date"))
    days = getattr(r, "days", None)
    if start and end and end >= start and days is not None and days > (end - start).days + 1:
        issues.append(
            issue("leave_days_exceed_span", "days", Severity.WARNING, span=(end - start).days + 1)
        )
    names = [f.name for f in dataclasses.fields(r) if f.name not in _METADATA]
    issues += _check_common(r, names)
    return issues
