"""A position slot in a dialog: its position number (unique in the office), title, job-line
code, position type and the lowest and highest levels it may be filled at (the levels of
that type, DOMAIN.md), staff type and unit.

The dialog checks what it can alone (required fields, a four-digit job line, the levels in
order), then asks its page to save (:attr:`SlotDialog.save_requested`); it closes when the
save went through and shows the service's refusal otherwise (a number already taken).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain import reference
from ui import texts
from ui.dialogs import FittedDialog, error_label
from ui.office import words
from ui.office.local_page import UnitChoice, add_units

#: The slot's editable fields, as SlotInput names them.
FIELDS = (
    "id", "position_number", "title", "job_line_code", "position_type", "level_min",
    "level_max", "staff_type", "unit_id",
)  # fmt: skip


class SlotDialog(FittedDialog):
    #: The values to save (a dict of :data:`FIELDS`).
    save_requested = Signal(dict)

    def __init__(
        self,
        units: list[UnitChoice],
        slot: Any = None,
        *,
        unit_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("slotDialog")
        self.slot_id = slot.id if slot is not None else None
        self.setWindowTitle(
            self.tr("A new position slot")
            if slot is None
            else self.tr("Position slot %1").replace("%1", slot.position_number)
        )
        self.number = QLineEdit(objectName="slotNumber")
        self.number.setMaxLength(64)
        self.number.setPlaceholderText("00-1-01-1101-001")
        self.title = QLineEdit(objectName="slotTitle")
        self.title.setMaxLength(200)
        self.job_line = QLineEdit(objectName="slotJobLine")
        self.job_line.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9]{0,4}")))
        self.job_line.setMaximumWidth(self.job_line.fontMetrics().horizontalAdvance("00000") + 24)
        self.type = QComboBox(objectName="slotType")
        for entry in reference.entries("position_types"):
            self.type.addItem(words.position_type(entry.code), entry.code)
        self.level_min = QComboBox(objectName="slotLevelMin")
        self.level_max = QComboBox(objectName="slotLevelMax")
        self.staff = QComboBox(objectName="slotStaffType")
        for entry in reference.entries("personnel_categories"):
            self.staff.addItem(texts.ref_label("personnel_categories", entry.code), entry.code)
        self.unit = QComboBox(objectName="slotUnit")
        self.unit.addItem(self.tr("(no unit)"), None)
        add_units(self.unit, units)
        self.error = error_label("slotError")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)

        levels = QHBoxLayout()
        levels.addWidget(self.level_min, 1)
        levels.addWidget(QLabel(self.tr("to")))
        levels.addWidget(self.level_max, 1)
        form = QFormLayout()
        form.addRow(self.tr("Position number:"), self.number)
        form.addRow(self.tr("Title:"), self.title)
        form.addRow(self.tr("Job line code:"), self.job_line)
        form.addRow(self.tr("Position type:"), self.type)
        form.addRow(self.tr("Levels from:"), levels)
        form.addRow(self.tr("Staff type:"), self.staff)
        form.addRow(self.tr("Unit:"), self.unit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        self.type.currentIndexChanged.connect(lambda _i: self._levels())
        if slot is not None:
            self.number.setText(slot.position_number)
            self.title.setText(slot.title)
            self.job_line.setText(slot.job_line_code or "")
            self.type.setCurrentIndex(max(0, self.type.findData(slot.position_type)))
            self.staff.setCurrentIndex(max(0, self.staff.findData(slot.staff_type)))
            unit_id = slot.unit_id
        self._levels()
        if slot is not None:
            self.level_min.setCurrentIndex(max(0, self.level_min.findData(slot.level_min)))
            self.level_max.setCurrentIndex(max(0, self.level_max.findData(slot.level_max)))
        self.unit.setCurrentIndex(max(0, self.unit.findData(unit_id)))
        self.resize(520, self.sizeHint().height())

    def _levels(self) -> None:
        """The levels of the chosen type; the whole range until the admin narrows it."""
        levels = reference.levels_for(self.type.currentData()) or ()
        for box in (self.level_min, self.level_max):
            box.clear()
            for entry in levels:
                box.addItem(words.level(entry.code), entry.code)
        self.level_max.setCurrentIndex(self.level_max.count() - 1)

    def values(self) -> dict[str, Any]:
        return {
            "id": self.slot_id,
            "position_number": self.number.text().strip(),
            "title": " ".join(self.title.text().split()),
            "job_line_code": self.job_line.text().strip() or None,
            "position_type": self.type.currentData(),
            "level_min": self.level_min.currentData(),
            "level_max": self.level_max.currentData(),
            "staff_type": self.staff.currentData(),
            "unit_id": self.unit.currentData(),
        }

    def _check(self) -> None:
        values = self.values()
        if not values["position_number"]:
            self.fail(self.tr("Type the position number"))
        elif not values["title"]:
            self.fail(self.tr("Type the position's title"))
        elif values["job_line_code"] and len(values["job_line_code"]) != 4:
            self.fail(self.tr("A job line code has four digits"))
        elif self.level_min.currentIndex() > self.level_max.currentIndex():
            self.fail(self.tr("The lowest level comes after the highest"))
        else:
            self.error.hide()
            self.ok.setEnabled(False)
            self.save_requested.emit(values)

    def fail(self, text: str) -> None:
        self.ok.setEnabled(True)
        self.error.setText(text)
        self.error.show()
        self.fit()
