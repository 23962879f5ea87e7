"""The Buddhist-era date field: dates typed as Thai offices write them are read, shown as
day, Thai month name and BE year, and kept in the Christian era."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.ui.editor_fixtures import clear, leave, shown, type_keys, type_thai
from ui.thai_date_edit import ThaiDateEdit


@pytest.fixture
def edit(qtbot) -> ThaiDateEdit:
    return shown(qtbot, ThaiDateEdit())


def test_a_be_date_typed_with_slashes_is_kept_in_the_christian_era(edit, qtbot) -> None:
    with qtbot.waitSignal(edit.value_edited):
        type_keys(edit, "31/1/2563")

    assert edit.value() == "2020-01-31"
    leave(edit)
    assert edit.text() == "31 มกราคม 2563"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("31 ม.ค. 2563", "2020-01-31"),
        ("๓๑ มกราคม ๒๕๖๓", "2020-01-31"),
        ("1 ต.ค. 2500", "1957-10-01"),
        ("29/2/2567", "2024-02-29"),
        ("31/01/2020", "2020-01-31"),  # a Christian-era year is read as one
    ],
)
def test_dates_written_the_thai_way_are_read(edit, typed, stored) -> None:
    type_thai(edit, typed)

    assert edit.value() == stored
    assert edit.local_issues() == []


def test_text_that_is_no_date_is_an_error_once_the_clerk_leaves_it(edit, qtbot) -> None:
    type_keys(edit, "31/1/2563")
    type_keys(edit, "9")  # 31/1/25639: no longer a date
    assert edit.local_issues() == []  # still typing

    with qtbot.waitSignal(edit.issues_changed):
        leave(edit)

    [issue] = edit.local_issues()
    assert issue.code == "date_invalid"
    assert edit.text() == "31/1/25639"  # what was typed stays for the clerk to fix
    assert edit.value() == "2020-01-31"  # the last date the text held


def test_a_day_that_does_not_exist_is_no_date(edit) -> None:
    type_keys(edit, "30/2/2563")
    leave(edit)

    assert [i.code for i in edit.local_issues()] == ["date_invalid"]
    assert edit.value() is None


def test_clearing_the_field_clears_the_date(edit, qtbot) -> None:
    edit.set_value("2020-01-31")
    with qtbot.waitSignal(edit.value_edited):
        clear(edit)

    assert edit.value() is None
    assert edit.local_issues() == []


def test_arrow_keys_move_the_date_by_a_day_and_page_keys_by_a_month(edit) -> None:
    edit.set_value(dt.date(2020, 1, 31))
    edit.setFocus()

    QTest.keyClick(edit, Qt.Key.Key_Up)
    assert edit.value() == "2020-02-01"
    QTest.keyClick(edit, Qt.Key.Key_PageDown)
    assert edit.value() == "2020-01-01"
    QTest.keyClick(edit, Qt.Key.Key_PageDown)
    assert edit.value() == "2019-12-01"
    assert edit.text() == "1 ธันวาคม 2562"


def test_set_value_shows_the_be_date_without_an_edit_signal(edit, qtbot) -> None:
    with qtbot.assertNotEmitted(edit.value_edited):
        edit.set_value("2020-01-31")

    assert edit.text() == "31 มกราคม 2563"
    assert edit.date() == dt.date(2020, 1, 31)
