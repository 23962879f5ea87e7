"""Validation of citizen IDs, persons and history rows; normalization before storage."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from app.domain.entities import (
    DecorationRow,
    DisciplineRow,
    EducationRow,
    LeaveRow,
    MovementRow,
    NameChangeRow,
    Person,
    SalaryRow,
    TrainingRow,
)
from app.domain.errors import InvalidInput, Severity
from app.domain.validation import (
    check_citizen_id,
    format_citizen_id,
    issue,
    normalize_citizen_id,
    normalize_history_row,
    normalize_person,
    raise_if_errors,
    validate_history_row,
    validate_person,
)

VALID_ID = "3249800008341"
VALID_ID_LEADING_ZERO = "0105500001239"
TODAY = dt.date(2024, 6, 1)


def codes(issues):
    return {(i.code, i.field) for i in issues}


# --- citizen ID --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [VALID_ID, "3-2498-00008-34-1", " 3 2498 00008 34 1 ", "๓๒๔๙๘๐๐๐๐๘๓๔๑"]
)
def test_valid_citizen_id_in_any_typing(value):
    assert check_citizen_id(value) == []


def test_checksum_error_when_last_digit_changes():
    (i,) = check_citizen_id(VALID_ID[:-1] + "2")
    assert (i.code, i.field, i.is_error) == ("citizen_id_checksum", "citizen_id", True)
    assert i.message_key == "error.citizen_id_checksum"


@pytest.mark.parametrize("value", ["", "324980000834", "32498000083411", "32498OOOO8341", "abc"])
def test_format_error(value):
    (i,) = check_citizen_id(value, field="spouse_id")
    assert (i.code, i.field) == ("citizen_id_format", "spouse_id")


def test_leading_zero_warns_only_when_the_checksum_is_right():
    (i,) = check_citizen_id(VALID_ID_LEADING_ZERO)
    assert (i.code, i.severity) == ("citizen_id_leading_zero", Severity.WARNING)
    (i,) = check_citizen_id(VALID_ID_LEADING_ZERO[:-1] + "0")
    assert i.code == "citizen_id_checksum"


def test_normalize_and_format_citizen_id():
    assert normalize_citizen_id("๓-๒๔๙๘-๐๐๐๐๘-๓๔-๑") == VALID_ID
    assert format_citizen_id(VALID_ID) == "3-2498-00008-34-1"
    assert format_citizen_id("3 2498 00008 34 1") == "3-2498-00008-34-1"
    with pytest.raises(InvalidInput) as info:
        normalize_citizen_id("12345")
    assert info.value.issues[0].code == "citizen_id_format"


# --- raise_if_errors ---------------------------------------------------------------------


def test_warnings_alone_do_not_raise():
    raise_if_errors([])
    raise_if_errors([issue("citizen_id_leading_zero", "citizen_id", Severity.WARNING)])


def test_an_error_raises_with_every_issue():
    warning = issue("age_at_appointment", "appointment_date", Severity.WARNING)
    error = issue("required", "level")
    with pytest.raises(InvalidInput) as info:
        raise_if_errors(iter([warning, error]))
    assert info.value.issues == (warning, error)
    assert info.value.errors == (error,)
    assert info.value.field == "level"


# --- person ------------------------------------------------------------------------------


def make_person(**changes) -> Person:
    base = Person(
        id="p1",
        org_id="o1",
        citizen_id="3-2498-00008-34-1",
        prefix="mr",
        first_name_th="สมชาย",
        last_name_th="ใจดี",
        first_name_en="Somchai",
        last_name_en="Jaidee",
        birth_date=dt.date(1980, 5, 1),
        gender="male",
        category="local_official",
        position_id="pos-1",
        position_type="academic",
        level="academic_professional",
        salary=Decimal("30000"),
        appointment_date=dt.date(2005, 6, 1),
        retirement_date=dt.date(2040, 9, 30),
    )
    return dataclasses.replace(base, **changes)


def check(**changes):
    return validate_person(make_person(**changes), today=TODAY)


def test_a_complete_official_is_valid():
    assert check() == []


def test_required_fields_follow_the_category():
    assert codes(check(level=None)) == {("required", "level")}
    assert codes(check(position_id=None, salary=None)) == {
        ("required", "position_id"),
        ("required", "salary"),
    }
    contract = dict(category="mission_contract", position_type=None, level=None, position_id=None)
    assert check(**contract) == []
    assert codes(check(**contract, salary=None)) == {("required", "salary")}
    assert codes(check(**contract, appointment_date=None, retirement_date=None)) == {
        ("required", "appointment_date")
    }


def test_blank_text_counts_as_missing():
    assert codes(check(first_name_th="  \u200b ")) == {("required", "first_name_th")}


def test_unknown_category_still_checks_identity():
    found = codes(check(category="astronaut", prefix=""))
    assert ("unknown_code", "category") in found
    assert ("required", "prefix") in found


@pytest.mark.parametrize(
    "field", ["prefix", "gender", "position_type", "level", "employment_status"]
)
def test_unknown_codes(field):
    found = check(**{field: "no_such_code"})
    assert ("unknown_code", field) in codes(found)


def test_level_must_belong_to_the_position_type():
    assert codes(check(level="general_senior")) == {("level_not_allowed", "level")}
    assert check(position_type="general", level="general_senior") == []
    contract = dict(category="general_contract", position_type=None, level="general_senior")
    assert codes(check(**contract)) == {("level_not_allowed", "level")}


def test_citizen_id_is_checked():
    assert codes(check(citizen_id=VALID_ID[:-1] + "2")) == {("citizen_id_checksum", "citizen_id")}


def test_dates_in_order():
    assert codes(check(appointment_date=dt.date(1979, 1, 1))) == {
        ("date_order", "appointment_date")
    }
    assert codes(check(retirement_date=dt.date(2005, 5, 31))) == {("date_order", "retirement_date")}
    # appointment ≤ retirement: the same day is allowed
    assert check(retirement_date=dt.date(2005, 6, 1)) == []
    no_appointment = dict(category="mission_contract", appointment_date=None)
    found = codes(check(**no_appointment, retirement_date=dt.date(1970, 1, 1)))
    assert ("date_order", "retirement_date") in found


def test_birth_date_not_in_the_future():
    found = codes(check(birth_date=TODAY + dt.timedelta(days=1), appointment_date=None))
    assert ("date_in_future", "birth_date") in found
    assert ("date_in_future", "birth_date") not in codes(check(birth_date=TODAY))


def test_appointment_under_18_is_only_a_warning():
    (i,) = check(appointment_date=dt.date(1998, 4, 30))  # one day before 18
    assert (i.code, i.field, i.severity) == (
        "age_at_appointment",
        "appointment_date",
        Severity.WARNING,
    )
    assert i.params == {"age": 17, "minimum": 18}
    raise_if_errors([i])
    assert check(appointment_date=dt.date(1998, 5, 1)) == []


def test_salary_not_negative():
    assert codes(check(salary=Decimal("-1"))) == {("negative_value", "salary")}
    assert check(salary=Decimal("0")) == []


def test_thai_name_fields_need_thai():
    assert codes(check(first_name_th="Somchai")) == {("thai_required", "first_name_th")}
    assert codes(check(last_name_th="๑๒๓")) == {("thai_required", "last_name_th")}
    assert check(first_name_th=" สม\u200bชาย ") == []


def test_acting_rank_only_before_a_rank():
    assert codes(check(acting_rank=True)) == {("acting_rank_not_allowed", "acting_rank")}
    assert check(prefix="army_second_lieutenant", acting_rank=True) == []


def test_prefix_implying_another_gender_warns():
    (i,) = check(prefix="mrs")
    assert (i.code, i.field, i.severity) == ("prefix_gender_mismatch", "gender", Severity.WARNING)


def test_message_keys_follow_the_code():
    found = check(level=None, salary=Decimal("-5"), first_name_th="X", prefix="mrs")
    assert len(found) == 4
    assert all(i.message_key == f"error.{i.code}" for i in found)


# --- normalization -----------------------------------------------------------------------


def test_normalize_person():
    p = normalize_person(
        make_person(
            citizen_id="๓ ๒๔๙๘ ๐๐๐๐๘ ๓๔ ๑",
            first_name_th=" สม\u200bชาย ",
            last_name_th="ใจ  ดี",
            first_name_en="  ",
            id=" p1 ",
        )
    )
    assert p.citizen_id == VALID_ID
    assert (p.first_name_th, p.last_name_th) == ("สมชาย", "ใจ ดี")
    assert p.first_name_en is None  # blank optional text is absent
    assert p.id == " p1 "  # row metadata is not user text: untouched
    assert normalize_person(p) is p


def test_normalize_person_leaves_a_malformed_id_for_validation():
    assert normalize_person(make_person(citizen_id=" 12-34 ")).citizen_id == "12-34"


def test_normalize_history_row_keeps_note_lines():
    row = LeaveRow(
        id="r1",
        org_id="o1",
        person_id="p1",
        leave_type=" sick ",
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2024, 1, 2),
        note="  ไข้หวัด \n\n\n\n ใบรับรองแพทย์\u200b ",
    )
    r = normalize_history_row(row)
    assert r.leave_type == "sick"
    assert r.note == "ไข้หวัด\n\nใบรับรองแพทย์"


# --- history rows ------------------------------------------------------------------------

META = dict(id="r1", org_id="o1", person_id="p1")
D = dt.date(2020, 1, 31)
VALID_ROWS = [
    MovementRow(**META, movement_type="appointment", effective_date=D, level="ระดับ 3"),
    SalaryRow(**META, effective_date=D, salary=Decimal("15000")),
    EducationRow(**META, education_level="bachelor", degree="รัฐศาสตรบัณฑิต"),
    TrainingRow(**META, course="การเงินการคลัง", start_date=D, end_date=D, hours=6),
    DecorationRow(**META, decoration_class="crown_5", received_date=D),
    LeaveRow(**META, leave_type="vacation", start_date=D, end_date=D, days=Decimal("1")),
    DisciplineRow(**META, penalty="probation", order_date=D),
    NameChangeRow(**META, changed_date=D, new_first_name_th="สมศรี"),
]


@pytest.mark.parametrize("row", VALID_ROWS, ids=lambda r: r.KIND)
def test_valid_history_rows(row):
    assert validate_history_row(row) == []


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (VALID_ROWS[0], "movement_type"),
        (VALID_ROWS[2], "education_level"),
        (VALID_ROWS[4], "decoration_class"),
        (VALID_ROWS[5], "leave_type"),
        (VALID_ROWS[6], "penalty"),
    ],
)
def test_history_codes_must_exist(row, field):
    bad = dataclasses.replace(row, **{field: "no_such_code"})
    assert codes(validate_history_row(bad)) == {("unknown_code", field)}
    blank = dataclasses.replace(row, **{field: " "})
    assert codes(validate_history_row(blank)) == {("required", field)}


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (VALID_ROWS[0], "effective_date"),
        (VALID_ROWS[1], "salary"),
        (VALID_ROWS[3], "start_date"),
        (VALID_ROWS[5], "end_date"),
        (VALID_ROWS[6], "order_date"),
    ],
)
def test_history_dates_and_amounts_that_the_row_needs_are_required(row, field):
    """A row built from a half-filled form (the editor saves as the clerk types) has None
    where the type says a date or an amount must be: that is an error, not a valid row."""
    assert codes(validate_history_row(dataclasses.replace(row, **{field: None}))) == {
        ("required", field)
    }


def test_history_end_not_before_start():
    leave = dataclasses.replace(VALID_ROWS[5], end_date=D - dt.timedelta(days=1))
    assert codes(validate_history_row(leave)) == {("date_order", "end_date")}
    training = dataclasses.replace(VALID_ROWS[3], end_date=D - dt.timedelta(days=1))
    assert codes(validate_history_row(training)) == {("date_order", "end_date")}


def test_history_amounts_not_negative():
    assert codes(validate_history_row(dataclasses.replace(VALID_ROWS[3], hours=-1))) == {
        ("negative_value", "hours")
    }
    assert codes(validate_history_row(dataclasses.replace(VALID_ROWS[5], days=Decimal("-1")))) == {
        ("negative_value", "days")
    }
    assert codes(validate_history_row(dataclasses.replace(VALID_ROWS[1], salary=Decimal(-1)))) == {
        ("negative_value", "salary")
    }


def test_leave_days_beyond_the_dates_warn():
    row = dataclasses.replace(VALID_ROWS[5], end_date=D + dt.timedelta(days=1), days=Decimal(3))
    (i,) = validate_history_row(row)
    assert (i.code, i.severity, i.params) == (
        "leave_days_exceed_span",
        Severity.WARNING,
        {"span": 2},
    )


def test_history_required_text_and_thai_names():
    assert codes(validate_history_row(dataclasses.replace(VALID_ROWS[2], degree=""))) == {
        ("required", "degree")
    }
    renamed = dataclasses.replace(VALID_ROWS[7], new_first_name_th="Somsri")
    assert codes(validate_history_row(renamed)) == {("thai_required", "new_first_name_th")}
