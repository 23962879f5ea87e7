"""The bounds of every value (app.domain.limits): what the desktop's forms show and what the
central holds every op to."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.domain import limits, validation
from app.domain.ids import new_id
from tests.domain.test_validation import make_person

TODAY = dt.date(2026, 12, 7)


def code(field: str, value, *, hard: bool = False) -> str | None:
    found = limits.check(field, value, TODAY, hard=hard)
    return found.code if found else None


def test_real_thai_names_and_titles_fit() -> None:
    assert code("first_name_th", "ประเสริฐศักดิ์" * 7) is None  # 98 characters
    assert code("position_title", "นักวิเคราะห์นโยบายและแผนชำนาญการพิเศษ " * 5) is None
    assert code("first_name_th", "ก" * 101) == "too_long"
    assert code("note", "ก" * 2000) is None and code("note", "ก" * 2001) == "too_long"
    assert code("order_number", "ก" * 201, hard=True) == "too_long"


@pytest.mark.parametrize(
    ("value", "soft", "hard"),
    [
        (Decimal("15310.50"), None, None),
        (Decimal("10000000"), None, None),
        (Decimal("10000000.01"), "out_of_range", "out_of_range"),
        (Decimal("1E+999999"), "out_of_range", "out_of_range"),
        (Decimal("Infinity"), "invalid_value", "invalid_value"),
        (Decimal("NaN"), "invalid_value", "invalid_value"),
        (Decimal("1.005"), "too_many_decimals", "too_many_decimals"),
        (Decimal("-5"), "negative_value", None),  # a draft keeps it; a submit refuses it
    ],
)
def test_money_is_a_finite_decimal_in_range(value, soft, hard) -> None:
    assert code("salary", value) == soft
    assert code("salary", value, hard=True) == hard


def test_dates_lie_in_a_plausible_range_for_their_field() -> None:
    assert code("birth_date", dt.date(1, 1, 1)) == "date_out_of_range"
    assert code("birth_date", dt.date(1, 1, 1), hard=True) == "date_out_of_range"
    assert code("birth_date", dt.date(1960, 5, 1)) is None
    assert code("birth_date", dt.date(2030, 1, 1)) == "date_out_of_range"
    assert code("birth_date", dt.date(2030, 1, 1), hard=True) is None  # a draft may hold it
    assert code("retirement_date", dt.date(2066, 9, 30)) is None
    assert code("order_date", dt.date(2040, 1, 1)) == "date_out_of_range"


def test_ids_are_canonical_uuids() -> None:
    assert limits.is_uuid(new_id())
    assert not limits.is_uuid(new_id().upper())
    assert not limits.is_uuid(new_id().replace("-", ""))
    assert not limits.is_uuid("x" * 36)


def test_validation_reports_the_bounds() -> None:
    issues = validation.validate_person(
        make_person(first_name_th="ก" * 101, salary=Decimal("1.005")), today=TODAY
    )
    found = {(i.code, i.field, i.message_key) for i in issues if i.is_error}
    assert ("too_long", "first_name_th", "error.too_long") in found
    assert ("too_many_decimals", "salary", "error.too_many_decimals") in found
