"""The citizen ID field: a mask X-XXXX-XXXXX-XX-X, a check digit checked as it is typed, a
leading 0 that warns, and Thai digits or a pasted number taken as the clerk means them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtTest import QTest

from tests.ui.editor_fixtures import leave, shown, type_keys, type_thai
from ui import texts
from ui.citizen_id_edit import CitizenIdEdit

VALID = "3249800008341"  # DOMAIN.md's example
WRONG_CHECK = "3249800008342"
LEADING_ZERO = "0105500001239"


@pytest.fixture
def edit(qtbot) -> CitizenIdEdit:
    return shown(qtbot, CitizenIdEdit())


def codes(edit: CitizenIdEdit) -> list[str]:
    return [i.code for i in edit.local_issues()]


def test_typed_digits_fill_the_mask_and_the_value_is_the_digits(edit, qtbot) -> None:
    with qtbot.waitSignal(edit.value_edited):
        type_keys(edit, VALID)

    assert edit.text() == "3-2498-00008-34-1"
    assert edit.value() == VALID
    assert codes(edit) == []


def test_a_wrong_check_digit_is_an_error_as_soon_as_the_last_digit_is_typed(edit) -> None:
    type_keys(edit, WRONG_CHECK[:-1])
    assert codes(edit) == []  # still typing: nothing to say yet

    type_keys(edit, WRONG_CHECK[-1])

    assert edit.hasFocus()
    assert codes(edit) == ["citizen_id_checksum"]
    QTest.keyClick(edit, Qt.Key.Key_Backspace)
    type_keys(edit, "1")
    assert codes(edit) == []


def test_an_incomplete_number_is_an_error_once_the_clerk_leaves_it(edit, qtbot) -> None:
    type_keys(edit, "32498")
    assert codes(edit) == []

    with qtbot.waitSignal(edit.issues_changed):
        leave(edit)

    assert codes(edit) == ["citizen_id_format"]


def test_a_leading_zero_warns_and_does_not_refuse(edit) -> None:
    type_keys(edit, LEADING_ZERO)

    [issue] = edit.local_issues()
    assert issue.code == "citizen_id_leading_zero"
    assert not issue.is_error
    assert edit.value() == LEADING_ZERO


def test_thai_digits_become_arabic_digits(edit) -> None:
    type_thai(edit, "๓๒๔๙๘")

    assert edit.text().startswith("3-2498-")
    assert edit.value() == "32498"


@pytest.mark.parametrize("pasted", ["3-2498-00008-34-1", "3 2498 00008 34 1", VALID])
def test_a_pasted_number_fills_the_mask_whatever_its_separators(edit, pasted) -> None:
    QGuiApplication.clipboard().setText(pasted)
    edit.setCursorPosition(0)
    QTest.keySequence(edit, QKeySequence.StandardKey.Paste)

    assert edit.value() == VALID
    assert codes(edit) == []


@pytest.mark.parametrize("pasted", [VALID + "9", "1-2345-67890-12-34", "๓๒๔๙๘๐๐๐๐๘๓๔๑๕"])
def test_a_paste_of_too_many_digits_is_refused_whole_and_said(edit, pasted, language) -> None:
    """Issue 15: the mask dropped the 14th digit and left a valid-looking number."""
    language("th")
    type_keys(edit, WRONG_CHECK[:5])
    QGuiApplication.clipboard().setText(pasted)
    QTest.keySequence(edit, QKeySequence.StandardKey.Paste)

    assert edit.value() == WRONG_CHECK[:5]  # as it was
    [issue] = edit.local_issues()
    assert issue.is_error and "14" in texts.issue_text(issue)
    assert "ไม่ได้วาง" in texts.issue_text(issue)
    type_keys(edit, "0")  # the next edit: the refusal is over
    assert "citizen_id_paste_too_long" not in codes(edit)


def test_set_value_shows_the_grouped_number_without_an_edit_signal(edit, qtbot) -> None:
    with qtbot.assertNotEmitted(edit.value_edited):
        edit.set_value(VALID)

    assert edit.text() == "3-2498-00008-34-1"
    assert CitizenIdEdit.display_text(VALID) == "3-2498-00008-34-1"
    edit.set_value(None)
    assert edit.value() is None
