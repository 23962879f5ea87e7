"""Small table widgets the screens share."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QTableWidget


class ActivatingTable(QTableWidget):
    """A table whose Enter opens the current row (``activated_row``) instead of moving on,
    and whose last column fills the row.

    Sizing the columns to their contents while the table has never been laid out (a tab not
    shown yet) leaves the last column at its contents' width: the stretch is applied again
    after each such sizing and when the table is shown."""

    activated_row = Signal()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.horizontalHeader().setStretchLastSection(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated_row.emit()
        else:
            super().keyPressEvent(event)

    def resizeColumnsToContents(self) -> None:
        super().resizeColumnsToContents()
        self._stretch_last()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._stretch_last()

    def _stretch_last(self) -> None:
        header = self.horizontalHeader()
        if header.stretchLastSection():
            header.setStretchLastSection(False)
            header.setStretchLastSection(True)
