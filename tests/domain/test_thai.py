"""Thai text normalization, dictionary order and Buddhist-era dates."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import InvalidInput
from app.domain.thai import (
    MONTHS_TH,
    MONTHS_TH_ABBR,
    format_date_be,
    has_thai_letter,
    normalize_text,
    parse_date,
    sort_key,
    thai_digits_to_arabic,
    to_thai_digits,
)

# --- normalize_text ----------------------------------------------------------------------


def test_none_stays_none():
    assert normalize_text(None) is None


def test_zero_width_characters_are_removed():
    assert normalize_text("สม\u200bชาย\u200c\u200d\u2060\ufeff") == "สมชาย"


def test_white_space_is_collapsed_and_stripped():
    assert normalize_text("  สมชาย \t\n  ใจดี\u00a0 ") == "สมชาย ใจดี"


def test_nfc():
    assert normalize_text("Jose\u0301") == "Jos\u00e9"
    # a tone mark typed before SARA U is reordered canonically
    assert normalize_text("ก\u0e48\u0e38") == "ก\u0e38\u0e48"


def test_look_alike_thai_spellings_become_one():
    assert normalize_text("น\u0e49\u0e4d\u0e32") == "น้ำ"  # NIKHAHIT + SARA AA
    assert normalize_text("น\u0e4d\u0e49\u0e32") == "น้ำ"
    assert normalize_text("ท\u0e4d\u0e32") == "ทำ"
    assert normalize_text("ก\u0e48\u0e35") == "กี่"  # tone typed before the upper vowel
    assert normalize_text("ศักด\u0e4c\u0e34") == "ศักดิ์"


def test_multiline_keeps_line_breaks():
    text = "  บรรทัดแรก   มี  ช่องว่าง \r\n\n\n\n บรรทัดสอง\u200b  \n"
    assert normalize_text(text, multiline=True) == "บรรทัดแรก มี ช่องว่าง\n\nบรรทัดสอง"


def test_digits_both_ways():
    assert thai_digits_to_arabic("๓๑ ม.ค. ๒๕๖๓") == "31 ม.ค. 2563"
    assert to_thai_digits("31/01/2563") == "๓๑/๐๑/๒๕๖๓"
    assert thai_digits_to_arabic(to_thai_digits("0123456789")) == "0123456789"


def test_has_thai_letter():
    assert has_thai_letter("สมชาย")
    assert not has_thai_letter("Somchai")
    assert not has_thai_letter("๑๒๓")
    assert not has_thai_letter("")
    assert not has_thai_letter(None)


# --- sort_key ----------------------------------------------------------------------------


def _sorted(words):
    return sorted(words, key=sort_key)


def test_leading_vowel_sorts_under_its_consonant():
    # code-point order would put เก after ขา
    assert sorted(["ขา", "เก", "กา"]) == ["กา", "ขา", "เก"]
    assert _sorted(["ขา", "เก", "กา"]) == ["กา", "เก", "ขา"]
    assert _sorted(["คน", "ไก่", "ขา", "กา"]) == ["กา", "ไก่", "ขา", "คน"]
    assert _sorted(["ฉัน", "ใจ", "จาน", "จะ"]) == ["จะ", "จาน", "ใจ", "ฉัน"]


def test_tone_marks_only_break_ties():
    assert _sorted(["ขาวดำ", "ข้าว", "ข่าว", "ขาว"]) == ["ขาว", "ข่าว", "ข้าว", "ขาวดำ"]
    assert sort_key("ก่า") != sort_key("กา")


def test_latin_is_case_insensitive_and_thai_digits_are_numbers():
    assert _sorted(["banana", "Apple", "cherry"]) == ["Apple", "banana", "cherry"]
    assert _sorted(["ห้อง 3", "ห้อง ๒", "ห้อง 1"]) == ["ห้อง 1", "ห้อง ๒", "ห้อง 3"]


def test_key_is_a_str_that_ignores_invisible_differences():
    assert isinstance(sort_key("สมชาย"), str)
    assert sort_key(" สม\u200bชาย ") == sort_key("สมชาย")
    assert sort_key(None) == sort_key("")


THAI_NAMES_IN_DICTIONARY_ORDER = [
    "กมล", "กิตติ", "เกศินี", "ไกรสร", "ขวัญใจ", "จันทร์เพ็ญ", "ใจดี", "ชัยวัฒน์", "ณัฐพล",
    "ทองดี", "นภา", "บุญมี", "ประเสริฐ", "เปรมฤดี", "พิมพ์", "มานะ", "ยุพา", "วิไล",
    "ศรีสุดา", "สมชาย", "สมศักดิ์", "สุดา", "โสภา", "อนุชา", "อำนาจ", "เอกชัย",
]  # fmt: skip


def test_real_names_sort_in_dictionary_order():
    shuffled = THAI_NAMES_IN_DICTIONARY_ORDER[:]
    random.Random(7).shuffle(shuffled)
    assert _sorted(shuffled) == THAI_NAMES_IN_DICTIONARY_ORDER
    assert sorted(shuffled) != THAI_NAMES_IN_DICTIONARY_ORDER  # plain order is wrong


def test_sqlite_binary_order_of_the_key_is_dictionary_order():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE p (name TEXT, k TEXT)")
    db.execute("CREATE INDEX p_k ON p (k)")
    db.executemany(
        "INSERT INTO p VALUES (?, ?)",
        [(n, sort_key(n)) for n in reversed(THAI_NAMES_IN_DICTIONARY_ORDER)],
    )
    rows = [r[0] for r in db.execute("SELECT name FROM p ORDER BY k")]
    assert rows == THAI_NAMES_IN_DICTIONARY_ORDER


# --- dates -------------------------------------------------------------------------------

JAN_31_2020 = dt.date(2020, 1, 31)


@pytest.mark.parametrize(
    "text",
    [
        "31/1/2563",
        "31/01/2563",
        "31/01/2020",
        "31-01-2563",
        "31.1.2563",
        "2563-01-31",
        "2020-01-31",
        "31 มกราคม 2563",
        "31 ม.ค. 2563",
        "31 ม.ค.2563",
        "31 มค 2563",
        "31 มกราคม พ.ศ. 2563",
        "31 มกราคม ค.ศ. 2020",
        "๓๑ มกราคม ๒๕๖๓",
        "๓๑/๐๑/๒๕๖๓",
        " 31  ม.ค.  2563 ",
        "31 January 2020",
        "31 Jan 2020",
    ],
)
def test_parse_date_accepts_official_forms(text):
    assert parse_date(text) == JAN_31_2020


def test_year_above_2400_is_buddhist_era():
    assert parse_date("1/1/2401") == dt.date(1858, 1, 1)
    assert parse_date("1/1/2400") == dt.date(2400, 1, 1)


def test_every_month_name_and_abbreviation():
    for i, (full, abbr) in enumerate(zip(MONTHS_TH, MONTHS_TH_ABBR, strict=True), start=1):
        assert parse_date(f"1 {full} 2567") == dt.date(2024, i, 1)
        assert parse_date(f"1 {abbr} 2567") == dt.date(2024, i, 1)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "abc", "31/02/2563", "29/02/2566", "13/13/2020", "1/2/63", "31 มกรา 2563",
     "2020/01/31", "31 ม.ค.", "๓๒ มกราคม ๒๕๖๓", "พ.ศ. 2563"],
)  # fmt: skip
def test_invalid_dates_raise_a_typed_issue(text):
    with pytest.raises(InvalidInput) as info:
        parse_date(text, field="birth_date")
    (issue,) = info.value.issues
    assert issue.code == "date_invalid"
    assert issue.message_key == "error.date_invalid"
    assert issue.field == "birth_date"
    assert issue.is_error


def test_leap_day_in_buddhist_era():
    assert parse_date("29/02/2567") == dt.date(2024, 2, 29)


def test_format_date_be_styles():
    assert format_date_be(JAN_31_2020) == "31 ม.ค. 2563"
    assert format_date_be(JAN_31_2020, "long") == "31 มกราคม 2563"
    assert format_date_be(JAN_31_2020, "numeric") == "31/01/2563"
    assert format_date_be(JAN_31_2020, "long", thai_digits=True) == "๓๑ มกราคม ๒๕๖๓"
    assert format_date_be(dt.date(2024, 3, 5), "short") == "5 มี.ค. 2567"
    with pytest.raises(ValueError):
        format_date_be(JAN_31_2020, "iso")


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
    st.sampled_from(["short", "long", "numeric"]),
    st.booleans(),
)
def test_formatted_dates_read_back(d, style, thai_digits):
    assert parse_date(format_date_be(d, style, thai_digits=thai_digits)) == d
