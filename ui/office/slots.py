"""The office's position slots (กรอบอัตรากำลัง, issue 14): a table of every slot — number,
title, type and levels, staff type, unit, state and, for a filled slot, who holds it —
filtered by unit, state and text (position number or title) in the service's one query.

Add or edit a slot in :class:`ui.office.slot_dialog.SlotDialog`; freeze, cut or reopen
(vacant again) the selected one. A filled slot changes state only by an appointment, so
those buttons are off for it.

Keys: Insert adds, Enter or F2 edits.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from app.services import structure
from ui.office import words
from ui.office.local_page import SLOTS, LocalPage, UnitChoice, add_units, open_units
from ui.office.slot_dialog import SlotDialog
from ui.office.slots_model import SlotsModel

TYPING_PAUSE_MS = 200
#: The widest a column is made to fit its contents (the admin can widen it).
COLUMN_MAX = 240
#: How many rows the column widths are measured on (an office may have thousands).
MEASURED_ROWS = 200
#: Which states each button leads to, and from which states.
MOVES = {"frozen": ("vacant",), "cut": ("vacant", "frozen"), "vacant": ("frozen", "cut")}


class SlotsTable(QTableView):
    """Enter edits the current slot rather than moving down."""

    def __init__(self, page: SlotsPage) -> None:
        super().__init__(objectName="slotsTable")
        self._page = page

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._page.ask_edit()
        else:
            super().keyPressEvent(event)


class SlotsPage(LocalPage):
    HELP_TOPIC = "office.html#slots"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dialog: SlotDialog | None = None
        self._units: list[UnitChoice] = []
        self._sized = False  # the columns fit the first rows read, then the admin's widths
        self.unit = QComboBox(objectName="slotsUnitFilter")
        self.state = QComboBox(objectName="slotsStateFilter")
        for box in (self.unit, self.state):  # as wide as their longest choice, on any style
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.text = QLineEdit(objectName="slotsTextFilter")
        self.text.setClearButtonEnabled(True)
        self.count = QLabel(objectName="slotsCount")
        self.model = SlotsModel(self)
        self.table = SlotsTable(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setResizeContentsPrecision(MEASURED_ROWS)
        self.add = QPushButton(objectName="addSlot")
        self.edit = QPushButton(objectName="editSlot")
        self.freeze = QPushButton(objectName="freezeSlot")
        self.cut = QPushButton(objectName="cutSlot")
        self.reopen = QPushButton(objectName="reopenSlot")
        self._unit_label, self._state_label, self._text_label = QLabel(), QLabel(), QLabel()
        self._typing = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)

        filters = QHBoxLayout()
        for label, widget in (
            (self._unit_label, self.unit),
            (self._state_label, self.state),
            (self._text_label, self.text),
        ):
            filters.addWidget(label)
            filters.addWidget(widget, 1 if widget is self.text else 0)
        buttons = QHBoxLayout()
        for button in (self.add, self.edit, self.freeze, self.cut, self.reopen):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

        self.unit.currentIndexChanged.connect(lambda _i: self.read())
        self.state.currentIndexChanged.connect(lambda _i: self.read())
        self.text.textChanged.connect(lambda _t: self._typing.start())
        self._typing.timeout.connect(self.read)
        self.add.clicked.connect(self.ask_add)
        self.edit.clicked.connect(self.ask_edit)
        self.freeze.clicked.connect(lambda: self.set_state("frozen"))
        self.cut.clicked.connect(lambda: self.set_state("cut"))
        self.reopen.clicked.connect(lambda: self.set_state("vacant"))
        self.table.doubleClicked.connect(lambda _i: self.ask_edit())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())
        self.bind("Ins", self.ask_add, self.add)
        self.bind("F2", self.ask_edit, self.edit)
        self._retranslate()
        self._enable()

    def _retranslate(self) -> None:
        self._unit_label.setText(self.tr("Unit:"))
        self._state_label.setText(self.tr("State:"))
        self._text_label.setText(self.tr("Find:"))
        self.text.setPlaceholderText(self.tr("position number or title"))
        self.state.blockSignals(True)
        current = self.state.currentData()
        self.state.clear()
        self.state.addItem(self.tr("All states"), None)
        for state in words.SLOT_STATES:
            self.state.addItem(words.slot_state(state), state)
        self.state.setCurrentIndex(max(0, self.state.findData(current)))
        self.state.blockSignals(False)
        self.add.setText(self.tr("Add a slot…"))
        self.edit.setText(self.tr("Edit…"))
        self.freeze.setText(self.tr("Freeze"))
        self.cut.setText(self.tr("Cut"))
        self.reopen.setText(self.tr("Reopen (vacant)"))
        self.name_keys()

    # --- reading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """The units (for the filter and the dialog), then the slots."""
        self.run(structure.unit_tree, done=self._units_loaded)

    def _units_loaded(self, roots: Any) -> None:
        self._units = units = open_units(roots)
        current = self.unit.currentData()
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItem(self.tr("All units"), None)
        add_units(self.unit, units)
        self.unit.setCurrentIndex(max(0, self.unit.findData(current)))
        self.unit.blockSignals(False)
        self.read()

    def read(self) -> None:
        self._typing.stop()
        self.run(
            structure.slots,
            unit_id=self.unit.currentData(),
            state=self.state.currentData(),
            text=self.text.text().strip() or None,
            done=self._loaded,
        )

    def _loaded(self, slots: Any) -> None:
        current = self.current_id()
        self.model.set_slots(slots)
        if self.model.rowCount() and not self._sized:
            self._sized = True
            self.table.resizeColumnsToContents()
            for column in range(self.model.columnCount()):
                if self.table.columnWidth(column) > COLUMN_MAX:
                    self.table.setColumnWidth(column, COLUMN_MAX)
        self.count.setText(self.tr("%n slot(s)", "", self.model.rowCount()))
        self.select(current)
        self._enable()

    def select(self, slot_id: str | None) -> None:
        row = self.model.row_of(slot_id)
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.table.selectRow(row)

    def current(self) -> Any:
        index = self.table.currentIndex()
        return self.model.slot_at(index.row()) if index.isValid() else None

    def current_id(self) -> str | None:
        slot = self.current()
        return slot.id if slot is not None else None

    def _enable(self) -> None:
        slot = self.current()
        state = slot.state if slot is not None else None
        self.edit.setEnabled(slot is not None)
        self.freeze.setEnabled(state in MOVES["frozen"])
        self.cut.setEnabled(state in MOVES["cut"])
        self.reopen.setEnabled(state in ("frozen", "cut"))

    # --- writing -----------------------------------------------------------------------------

    def ask_add(self) -> None:
        self._open(SlotDialog(self._units, unit_id=self.unit.currentData(), parent=self))

    def ask_edit(self) -> None:
        slot = self.current()
        if slot is not None:
            self._open(SlotDialog(self._units, slot, parent=self))

    def _open(self, dialog: SlotDialog) -> None:
        self.dialog = dialog
        dialog.save_requested.connect(lambda values: self._save(dialog, values))
        dialog.open()
        dialog.number.setFocus()

    def _save(self, dialog: SlotDialog, values: dict[str, Any]) -> None:
        self.run(
            structure.save_slot, structure.SlotInput(**values),
            done=lambda slot_id: self._saved(dialog, slot_id, values["position_number"]),
            failed=lambda exc: dialog.fail(words.error_text(exc)),
        )  # fmt: skip

    def _saved(self, dialog: SlotDialog, slot_id: str, number: str) -> None:
        dialog.accept()
        self.wrote(SLOTS, self.tr("Saved: %1").replace("%1", number))
        self.run(
            structure.slots,
            unit_id=self.unit.currentData(),
            state=self.state.currentData(),
            text=self.text.text().strip() or None,
            done=lambda slots: (self._loaded(slots), self.select(slot_id), self._enable()),
        )

    def set_state(self, state: str) -> None:
        slot = self.current()
        if slot is None or slot.state not in MOVES[state]:
            return
        note = (
            self.tr("%1 is now: %2")
            .replace("%1", slot.position_number)
            .replace("%2", words.slot_state(state))
        )
        self.run(
            structure.set_slot_state, slot.id, state,
            done=lambda _r: (self.wrote(SLOTS, note), self.read()),
        )  # fmt: skip
