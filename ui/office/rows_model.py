"""A read-only table model over rows of text made once (the staffing overview's tables):
painting a cell is a lookup, and one service call fills it whole."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class TextRowsModel(QAbstractTableModel):
    """``headers()`` names the columns (called when shown, so a language switch applies);
    :meth:`set_rows` takes each row's id and texts. Columns in ``numeric`` align right."""

    def __init__(
        self,
        headers: Callable[[], Sequence[str]],
        numeric: frozenset[int] = frozenset(),
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._headers = headers
        self._numeric = numeric
        self._ids: list[Any] = []
        self._rows: list[tuple[str, ...]] = []

    def set_rows(self, rows: Sequence[tuple[Any, Sequence[str]]]) -> None:
        self.beginResetModel()
        self._ids = [row_id for row_id, _ in rows]
        self._rows = [tuple(texts) for _, texts in rows]
        self.endResetModel()

    def id_at(self, row: int) -> Any:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_texts(self, row: int) -> tuple[str, ...]:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            cells = self._rows[index.row()]
            return cells[index.column()] if index.column() < len(cells) else ""
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self._numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        headers = self._headers()
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(headers)
        ):
            return headers[section]
        return None
