"""The bounds of every value a person or a client may give: one place, read by the desktop's
validation (so a form shows the limits) and by the central's op payload models (so no PC can
store what a form would refuse). DESIGN.md §5: the central trusts nothing from a client.

- **Ids** are UUIDs in canonical form (36 characters, lowercase; :mod:`app.domain.ids` makes
  UUIDv7). Ids of reference rows (positions, units) are at most :data:`MAX_ID` characters.
- **Text** has a maximum length per field (:func:`max_length`): names 100 characters
  (real Thai names and rank titles are far shorter), order numbers, titles and other short
  text 200, free text (notes, reasons) 2,000.
- **Money** (salaries) is a finite decimal from 0 to 10,000,000 baht with at most 2 decimal
  places; leave days 0 to 1,000 with at most 2 places; training hours 0 to 100,000.
- **Dates** lie in a plausible range for their field (:func:`date_range`): from 1900-01-01;
  a birth date not after today (a day's grace for time zones), a retirement date within 80
  years, any other date within 10 years (orders are sometimes dated ahead).

:func:`check` says what is wrong with one value as an :class:`Issue` (message keys
``error.too_long``, ``error.out_of_range``, ``error.too_many_decimals``,
``error.negative_value``, ``error.date_out_of_range``, ``error.invalid_value``), or None.

Two tiers. A draft keeps whatever the clerk typed, errors included (nothing typed is lost),
but never what no form can hold: :func:`check` with ``hard=True`` refuses only the latter
(text over its length, a number not finite, beyond the field's magnitude or with too many
places, a date outside 1900..2199) — the desktop refuses such a value on save and the central
refuses any op carrying it. The full bounds (a salary is not negative, a birth date not in
the future) are errors of validation (:mod:`app.domain.validation`): they block a submit
and an approval, on the desktop and on the central alike.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from app.domain.errors import Issue

MAX_ID = 36
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

NAME_LENGTH = 100
TEXT_LENGTH = 200
FREE_TEXT_LENGTH = 2000
CODE_LENGTH = 64  # a code of a reference list, an action name, a conflict key's parts
CITIZEN_ID_LENGTH = 32  # 13 digits as typed, with dashes or spaces

# Fields of free text (a note, a reason): long, with their line breaks.
FREE_TEXT_FIELDS = frozenset({"note", "reason", "health_note", "return_reason"})
NAME_FIELDS = frozenset({
    "prefix", "first_name_th", "last_name_th", "first_name_en", "last_name_en",
    "old_prefix", "old_first_name_th", "old_last_name_th",
    "new_prefix", "new_first_name_th", "new_last_name_th",
})  # fmt: skip
# Reference ids a record points at (not made by the record's author).
REFERENCE_ID_FIELDS = frozenset({"position_id", "unit_id"})

MONEY_FIELDS = frozenset({"salary"})
MONEY_MAX = Decimal("10000000")
MONEY_PLACES = 2
# field → (minimum, maximum, decimal places)
NUMBER_RANGES: dict[str, tuple[Decimal, Decimal, int]] = {
    "salary": (Decimal(0), MONEY_MAX, MONEY_PLACES),
    "days": (Decimal(0), Decimal(1000), 2),
    "hours": (Decimal(0), Decimal(100000), 0),
    "base_version": (Decimal(0), Decimal(2**53), 0),
}

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2199, 12, 31)  # the hard bound of every date
# field → how many years after today it may lie (default DATE_AHEAD_YEARS)
DATE_AHEAD = {"birth_date": 0, "retirement_date": 80}
DATE_AHEAD_YEARS = 10


def is_uuid(value: Any) -> bool:
    """``value`` is a UUID in canonical form (lowercase, with its dashes)."""
    return isinstance(value, str) and len(value) == MAX_ID and UUID_RE.fullmatch(value) is not None


def max_length(field: str) -> int:
    """The longest text ``field`` may hold."""
    if field in FREE_TEXT_FIELDS:
        return FREE_TEXT_LENGTH
    if field in NAME_FIELDS:
        return NAME_LENGTH
    if field == "citizen_id":
        return CITIZEN_ID_LENGTH
    if field in REFERENCE_ID_FIELDS or field == "id" or field.endswith("_id"):
        return MAX_ID
    return TEXT_LENGTH


def date_range(field: str, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The first and last date ``field`` may hold."""
    today = today or dt.date.today()
    years = DATE_AHEAD.get(field, DATE_AHEAD_YEARS)
    try:
        last = today.replace(year=today.year + years)
    except ValueError:  # 29 February
        last = today.replace(year=today.year + years, day=28)
    return DATE_MIN, last + dt.timedelta(days=1)  # a day's grace: the PC's and central's zones


def _issue(code: str, field: str, **params: Any) -> Issue:
    return Issue(code, field, f"error.{code}", params=params)


def check_text(field: str, value: str) -> Issue | None:
    limit = max_length(field)
    if len(value) > limit:
        return _issue("too_long", field, max=limit)
    return None


def check_number(field: str, value: Decimal | int, hard: bool = False) -> Issue | None:
    """Finite, in the field's range, with no more decimal places than it allows; ``hard``:
    only within the range's magnitude either side of zero."""
    number = Decimal(value)
    if not number.is_finite():
        return _issue("invalid_value", field)
    if field not in NUMBER_RANGES:
        return None
    low, high, places = NUMBER_RANGES[field]
    if hard:
        low = -high
    if number < low:
        return (
            _issue("negative_value", field)
            if low == 0
            else _issue("out_of_range", field, min=str(low), max=str(high))
        )
    if number > high:
        return _issue("out_of_range", field, min=str(low), max=str(high))
    if number != number.quantize(Decimal(1).scaleb(-places)):
        return _issue("too_many_decimals", field, places=places)
    return None


def check_date(
    field: str, value: dt.date, today: dt.date | None = None, hard: bool = False
) -> Issue | None:
    first, last = (DATE_MIN, DATE_MAX) if hard else date_range(field, today)
    if isinstance(value, dt.datetime):
        value = value.date()
    if not first <= value <= last:
        return _issue("date_out_of_range", field, min=first.isoformat(), max=last.isoformat())
    return None


def check(
    field: str, value: Any, today: dt.date | None = None, *, hard: bool = False
) -> Issue | None:
    """What is out of bounds in ``value`` (a Python value of ``field``), or None; ``hard``:
    only what no draft may hold (see the module's docstring)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return check_text(field, value)
    if isinstance(value, Decimal | int | float):
        if isinstance(value, float):
            try:
                value = Decimal(str(value))
            except InvalidOperation:
                return _issue("invalid_value", field)
        return check_number(field, value, hard)
    if isinstance(value, dt.date):
        return check_date(field, value, today, hard)
    return None


def check_fields(
    obj: Any, names: Any = None, today: dt.date | None = None, *, hard: bool = False
) -> list[Issue]:
    """Every out-of-bounds field of a dataclass instance (Person, a history row)."""
    names = names or [f.name for f in dataclasses.fields(obj)]
    issues = [check(name, getattr(obj, name), today, hard=hard) for name in names]
    return [i for i in issues if i is not None]


# --- the office's structure (issue 14, app.domain.structure) ------------------------------

POSITION_NUMBER_LENGTH = 64  # ตำแหน่งเลขที่ as typed, e.g. "34-1-01-2101-001"
JOB_LINE_CODE_LENGTH = 8  # สายงาน: 4 digits (DOMAIN.md), room for a suffix
UNIT_DEPTH = 8  # units under units: สำนัก/กอง → ส่วน → ฝ่าย → งาน, with room
UNITS_PER_ORG = 2_000
SLOTS_PER_ORG = 20_000  # an อบจ. with its schools holds a few thousand
PLAN_LINES_PER_ORG = 5_000
PLAN_YEARS = 3  # แผนอัตรากำลัง 3 ปี
PLAN_YEAR_BE = (2500, 2800)  # the plan's first fiscal year, Buddhist era
PLAN_COUNT_MAX = 100_000  # positions of one line in one year
