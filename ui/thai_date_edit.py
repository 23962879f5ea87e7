"""A date field in the Buddhist era, typed the way Thai offices write dates.

The clerk types ``31/1/2563``, ``31 ม.ค. 2563``, ``๓๑ มกราคม ๒๕๖๓`` or a Christian-era date
(a year above 2400 is BE: :func:`app.domain.thai.parse_date`); on leaving the field it
shows the day, the Thai month name and the BE year ("31 มกราคม 2563"). The value is the
Christian-era date, as stored. Up and Down move the date by a day, Page Up and Page Down by
a month.
"""

from __future__ import annotations

import calendar
import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from app.domain import thai
from app.domain.errors import InvalidInput, Issue

STYLE = "long"


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


class ThaiDateEdit(QLineEdit):
    """``value()`` is the date in ISO form (Christian era), or None when the field is empty.

    Text that is not a date keeps the last date read from it and shows an error once the
    clerk leaves the field.
    """

    #: The date changed by the clerk's hand (not emitted by :meth:`set_value`).
    value_edited = Signal()
    #: What :meth:`local_issues` returns may have changed.
    issues_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._date: dt.date | None = None
        self._unreadable = False
        self.setPlaceholderText(self.tr("e.g. 31/1/2563"))
        self.textEdited.connect(self._edited)
        self.editingFinished.connect(self._finished)

    def date(self) -> dt.date | None:
        return self._date

    def value(self) -> str | None:
        return self._date.isoformat() if self._date else None

    def set_value(self, value: str | dt.date | None) -> None:
        if isinstance(value, str):
            value = dt.date.fromisoformat(value)
        self._date, self._unreadable = value, False
        self.setText(self.display_text(value))
        self.issues_changed.emit()

    @staticmethod
    def display_text(value: str | dt.date | None) -> str:
        if not value:
            return ""
        if isinstance(value, str):
            value = dt.date.fromisoformat(value)
        return thai.format_date_be(value, STYLE)

    def is_unreadable(self) -> bool:
        return self._unreadable

    def local_issues(self) -> list[Issue]:
        if self._unreadable and not self.hasFocus():
            return [Issue("date_invalid", None, "error.date_invalid")]
        return []

    def set_read_only(self, read_only: bool) -> None:
        self.setReadOnly(read_only)

    def _edited(self, text: str) -> None:
        if not text.strip():
            self._set(None)
            return
        try:
            day = thai.parse_date(text)
        except InvalidInput:
            was = self._unreadable
            self._unreadable = True
            if not was:
                self.issues_changed.emit()
            return
        self._set(day)

    def _set(self, day: dt.date | None) -> None:
        changed = day != self._date
        self._date, self._unreadable = day, False
        if changed:
            self.value_edited.emit()
        self.issues_changed.emit()

    def _finished(self) -> None:
        if not self._unreadable:
            shown = self.display_text(self._date)
            if self.text() != shown:
                self.setText(shown)
        self.issues_changed.emit()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.issues_changed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {
            Qt.Key.Key_Up: (1, 0),
            Qt.Key.Key_Down: (-1, 0),
            Qt.Key.Key_PageUp: (0, 1),
            Qt.Key.Key_PageDown: (0, -1),
        }
        step = steps.get(Qt.Key(event.key()))
        if step is None or self.isReadOnly() or self._date is None or self._unreadable:
            super().keyPressEvent(event)
            return
        days, months = step
        day = _add_months(self._date + dt.timedelta(days=days), months)
        self._set(day)
        self.setText(self.display_text(day))
