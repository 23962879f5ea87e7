"""Small table widgets the screens share."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QTableWidget


class ActivatingTable(QTableWidget):
    """A table whose Enter opens the current row (``activated_row``) instead of moving on."""

    activated_row = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated_row.emit()
        else:
            super().keyPressEvent(event)
