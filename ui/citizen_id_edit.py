"""The citizen ID field: typed into the mask ``X-XXXX-XXXXX-XX-X`` and checked as it is typed.

Thirteen digits with a check digit (DOMAIN.md); the check is that of ``python-stdnum``
through :func:`app.domain.validation.check_citizen_id`, so the field and the services agree.
A wrong check digit is an error as soon as the last digit is in; an incomplete number is one
only once the clerk leaves the field; a leading 0 (some non-Thai cards) is a warning, never a
refusal. Thai digits, typed or pasted, become Arabic ones; a pasted number with dashes or
spaces fills the mask the same way. A paste of more than 13 digits is refused whole, with a
message, and the field keeps what it had (the mask alone would drop the extra digits and
leave a valid-looking number: issue 15).
"""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtGui import QContextMenuEvent, QFocusEvent, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget

from app.domain import thai, validation
from app.domain.errors import Issue
from ui import texts

PASTE_TOO_LONG = "error.citizen_id_paste_too_long"

MASK = "9-9999-99999-99-9;_"
DIGITS = 13
_THAI_DIGITS = re.compile("[๐-๙]")


class CitizenIdEdit(QLineEdit):
    """A masked citizen-ID field. ``value()`` is the digits typed (None when empty)."""

    #: The clerk changed the number (not emitted by :meth:`set_value`).
    value_edited = Signal()
    #: What :meth:`local_issues` returns may have changed.
    issues_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setInputMask(MASK)
        self.setAccessibleName(self.tr("Citizen ID"))
        self.setPlaceholderText("X-XXXX-XXXXX-XX-X")
        self.textEdited.connect(self._edited)
        self.editingFinished.connect(self.issues_changed)
        self._refused: Issue | None = None  # the last paste refused, until the next edit

    def digits(self) -> str:
        return re.sub(r"\D", "", self.text())

    def value(self) -> str | None:
        return self.digits() or None

    def set_value(self, value: str | None) -> None:
        self.setText(thai.thai_digits_to_arabic(value or ""))
        self._to_first_blank()
        self.issues_changed.emit()

    @staticmethod
    def display_text(value: str | None) -> str:
        return texts.display_value("citizen_id", value)

    def is_complete(self) -> bool:
        return len(self.digits()) == DIGITS

    def local_issues(self) -> list[Issue]:
        """The check of the number as it stands: nothing while it is empty, or while the
        clerk is still typing it; a refused paste until the next edit."""
        if self._refused is not None:
            return [self._refused]
        digits = self.digits()
        if not digits or (not self.is_complete() and self.hasFocus()):
            return []
        return validation.check_citizen_id(digits)

    def set_read_only(self, read_only: bool) -> None:
        self.setReadOnly(read_only)

    # --- pasting ---------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste) and not self.isReadOnly():
            self.paste_text(QGuiApplication.clipboard().text())
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu()
        for action in menu.actions():  # the menu's Paste goes through the same check
            if action.objectName() == "edit-paste":
                action.triggered.disconnect()
                action.triggered.connect(
                    lambda: self.paste_text(QGuiApplication.clipboard().text())
                )
        menu.exec(event.globalPos())
        menu.deleteLater()

    def paste_text(self, text: str) -> None:
        """Paste ``text`` as a citizen ID: its digits (Thai ones too) fill the mask from its
        start; more than 13 digits are refused whole, and the field is left as it was."""
        digits = re.sub(r"\D", "", thai.thai_digits_to_arabic(text))
        if not digits:
            return
        if len(digits) > DIGITS:
            self._refused = Issue(
                code="citizen_id_paste_too_long", field="citizen_id",
                message_key=PASTE_TOO_LONG, params={"digits": len(digits)},
            )  # fmt: skip
            self.issues_changed.emit()
            return
        self._refused = None
        self.setText(digits)
        self._to_first_blank()
        self.value_edited.emit()
        self.issues_changed.emit()

    def _edited(self, text: str) -> None:
        self._refused = None
        if _THAI_DIGITS.search(text):  # the mask takes any digit: keep Arabic ones only
            cursor = self.cursorPosition()
            self.setText(thai.thai_digits_to_arabic(text))
            self.setCursorPosition(cursor)
        self.value_edited.emit()
        self.issues_changed.emit()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._to_first_blank()

    def _to_first_blank(self) -> None:
        """An incomplete number is continued where it stops, whatever the click or Tab did."""
        blank = self.displayText().find("_")
        if blank >= 0:
            self.setCursorPosition(blank)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.issues_changed.emit()
