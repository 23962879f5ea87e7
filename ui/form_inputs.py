"""The plain inputs of the forms, all with one small interface so a form treats them alike.

Every input has ``value()`` (the value in wire form, None when empty), ``set_value(v)``
(from the program: emits nothing), ``value_edited`` (the clerk changed it),
``display_text(v)`` (a value as words, for the official value in a tooltip),
``local_issues()`` and ``set_read_only()``. The citizen-ID and date fields have their own
modules (:mod:`ui.citizen_id_edit`, :mod:`ui.thai_date_edit`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QCompleter, QLineEdit, QPlainTextEdit, QWidget

from app.domain import reference, thai
from app.domain.errors import Issue
from app.domain.reference import Entry
from ui import texts


class TextEdit(QLineEdit):
    value_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.textEdited.connect(lambda _text: self.value_edited.emit())

    def value(self) -> str | None:
        return self.text() if self.text().strip() else None

    def set_value(self, value: Any) -> None:
        self.setText("" if value is None else str(value))

    @staticmethod
    def display_text(value: Any) -> str:
        return "" if value is None else str(value)

    def local_issues(self) -> list[Issue]:
        return []

    def set_read_only(self, read_only: bool) -> None:
        self.setReadOnly(read_only)


class NumberEdit(TextEdit):
    """An amount (``decimals`` > 0) or a whole number; Thai digits and thousands commas are
    read too. ``value()`` is the number as text, as the wire carries it."""

    NUMERIC = True

    def __init__(self, decimals: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        digit = "[0-9๐-๙]"
        fraction = f"([.]{digit}{{0,{decimals}}})?" if decimals else ""
        pattern = QRegularExpression(f"{digit}{{0,3}}(,?{digit}{{3}})*{digit}*{fraction}")
        self.setValidator(QRegularExpressionValidator(pattern, self))
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def value(self) -> str | None:
        text = thai.thai_digits_to_arabic(self.text()).replace(",", "").strip()
        if not text or text == ".":
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        return str(number)

    @staticmethod
    def display_text(value: Any) -> str:
        return texts.display_value("salary", value)


class NoteEdit(QPlainTextEdit):
    """A note of a few lines; Tab moves on to the next field, as in every other input."""

    value_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self._setting = False
        self.textChanged.connect(self._changed)

    def _changed(self) -> None:
        if not self._setting:
            self.value_edited.emit()

    def value(self) -> str | None:
        text = self.toPlainText()
        return text if text.strip() else None

    def set_value(self, value: Any) -> None:
        self._setting = True
        try:
            self.setPlainText("" if value is None else str(value))
        finally:
            self._setting = False

    display_text = staticmethod(TextEdit.display_text)

    def local_issues(self) -> list[Issue]:
        return []

    def set_read_only(self, read_only: bool) -> None:
        self.setReadOnly(read_only)


class CheckEdit(QCheckBox):
    value_edited = Signal()

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.clicked.connect(lambda _checked: self.value_edited.emit())

    def value(self) -> bool:
        return self.isChecked()

    def set_value(self, value: Any) -> None:
        self.setChecked(bool(value))

    @staticmethod
    def display_text(value: Any) -> str:
        return texts.display_value("", bool(value))

    def local_issues(self) -> list[Issue]:
        return []

    def set_read_only(self, read_only: bool) -> None:
        self.setEnabled(not read_only)


class ChoiceCombo(QComboBox):
    """A choice among (value, label) items, with an empty first item.

    ``searchable``: typing filters the items by any part of their label (a Thai fragment
    too), for long lists such as positions; what no item holds is not taken.
    ``free_text``: searchable, and the clerk may also keep what no item holds (old records
    name levels and ranks the lists do not). A value the items lack is kept and shown as it
    is, never dropped.
    """

    value_edited = Signal()

    def __init__(
        self, *, searchable: bool = False, free_text: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._setting = False
        self._free = free_text
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        self.setMaxVisibleItems(15)
        if searchable or free_text:
            self.setEditable(True)
            self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            completer = QCompleter(self.model(), self)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            self.setCompleter(completer)
            if free_text:
                self.lineEdit().textEdited.connect(lambda _text: self._picked())
            else:
                self.lineEdit().editingFinished.connect(self._settle)
        self.currentIndexChanged.connect(lambda _index: self._picked())
        self.addItem("", None)

    def _picked(self) -> None:
        if not self._setting:
            self.value_edited.emit()

    def _settle(self) -> None:
        """Searchable: the typed text picks the item it names, or goes back to the choice."""
        text = self.currentText().strip()
        found = self.findText(text, Qt.MatchFlag.MatchFixedString) if text else 0
        if found >= 0:
            self.setCurrentIndex(found)
        self.setEditText(self.itemText(self.currentIndex()))

    def set_items(self, items: Iterable[tuple[str, str]]) -> None:
        """Replace the items; the value stays if it is still among them (or free text)."""
        current = self.value()
        self._setting = True
        try:
            self.clear()
            self.addItem("", None)
            for value, label in items:
                self.addItem(label, value)
            self._select(current)
        finally:
            self._setting = False

    def values(self) -> list[str]:
        return [self.itemData(i) for i in range(1, self.count()) if self.itemData(i) is not None]

    def value(self) -> str | None:
        if self._free:
            text = self.currentText().strip()
            found = self.findText(text, Qt.MatchFlag.MatchFixedString)
            if found > 0:
                return self.itemData(found)
            return text or None
        return self.currentData()

    def set_value(self, value: Any) -> None:
        self._setting = True
        try:
            self._select(None if value is None else str(value))
        finally:
            self._setting = False

    def _select(self, value: str | None) -> None:
        index = 0 if value is None else self.findData(value)
        if index < 0:  # a value no item holds: keep it, as itself
            self.addItem(self.display_text(value), value)
            index = self.count() - 1
        self.setCurrentIndex(index)
        if self.isEditable():
            self.setEditText(self.itemText(index))

    def display_text(self, value: Any) -> str:
        if value is None:
            return ""
        index = self.findData(value)
        return self.itemText(index) if index > 0 else str(value)

    def local_issues(self) -> list[Issue]:
        return []

    def set_read_only(self, read_only: bool) -> None:
        self.setEnabled(not read_only)


class ReferenceCombo(ChoiceCombo):
    """A choice from a reference list (``resources/reference``), labels in the UI's language."""

    def __init__(
        self, list_name: str, *, free_text: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(free_text=free_text, parent=parent)
        self.list_name = list_name
        self.set_entries(reference.entries(list_name))

    def set_entries(self, entries: Sequence[Entry]) -> None:
        self.set_items((e.code, e.label(texts.lang())) for e in entries)

    def display_text(self, value: Any) -> str:
        if value is None:
            return ""
        return texts.ref_label(self.list_name, str(value))
