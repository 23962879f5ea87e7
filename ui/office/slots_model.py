"""The table model of the position slots page: plain rows read by one service call, no
query per row (an office of 2,000 slots stays quick). The texts of each row are made once
when the rows arrive, so painting a cell is a tuple lookup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ui import texts
from ui.office import words

Index = QModelIndex | QPersistentModelIndex
NUMBER, TITLE, UNIT, STATE, HOLDER, TYPE, LEVELS, STAFF = range(8)
#: Background of the state cell, by state.
STATE_COLORS = {"vacant": "#e8f5e9", "filled": "#e3f2fd", "frozen": "#fff8e1", "cut": "#eeeeee"}
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def row_texts(slot: Any) -> tuple[str, ...]:
    return (
        slot.position_number,
        slot.title,
        slot.unit_name or "",
        words.slot_state(slot.state),
        slot.holder_name or "",
        words.position_type(slot.position_type),
        words.levels_range(slot.level_min, slot.level_max),
        texts.ref_label("personnel_categories", slot.staff_type),
    )


class SlotsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._slots: tuple[Any, ...] = ()
        self._texts: list[tuple[str, ...]] = []
        self._brushes = {k: QBrush(QColor(v)) for k, v in STATE_COLORS.items()}

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Position number"), self.tr("Title"), self.tr("Unit"), self.tr("State"),
            self.tr("Holder"), self.tr("Position type"), self.tr("Levels"), self.tr("Staff type"),
        )  # fmt: skip

    def set_slots(self, slots: Sequence[Any]) -> None:
        self.beginResetModel()
        self._slots = tuple(slots)
        self._texts = [row_texts(s) for s in self._slots]
        self.endResetModel()

    def slot_at(self, row: int) -> Any:
        return self._slots[row] if 0 <= row < len(self._slots) else None

    def row_of(self, slot_id: str | None) -> int:
        return next((i for i, s in enumerate(self._slots) if s.id == slot_id), -1)

    @property
    def slots(self) -> tuple[Any, ...]:
        return self._slots

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._slots)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else STAFF + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._slots):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][index.column()]
        if role == ID_ROLE:
            return self._slots[index.row()].id
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == STATE:
            return self._brushes.get(self._slots[index.row()].state)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section <= STAFF
        ):
            return self.headers()[section]
        return None
