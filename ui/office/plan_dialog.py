"""One line of the three-year staffing plan (แผนอัตรากำลัง 3 ปี) in a dialog: the plan's
first fiscal year (Buddhist era), the position's title, type, level and unit, how many the
plan approves in each of its three years, and a note.

Like the slot dialog, it asks its page to save (:attr:`PlanDialog.save_requested`) and
closes only when the save went through.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain import reference
from ui.dialogs import FittedDialog, error_label
from ui.office import words
from ui.office.local_page import UnitChoice, add_units

BE = 543
YEARS = 3
MAX_COUNT = 9999


def fiscal_year_be(today: dt.date | None = None) -> int:
    """The fiscal year (1 October – 30 September) ``today`` falls in, Buddhist era."""
    today = today or dt.date.today()
    return today.year + BE + (1 if today.month >= 10 else 0)


class PlanDialog(FittedDialog):
    #: The values to save: the plan line's fields, as PlanLineInput names them.
    save_requested = Signal(dict)

    def __init__(
        self, units: list[UnitChoice], line: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("planDialog")
        self.line_id = line.id if line is not None else None
        self.setWindowTitle(
            self.tr("A new line of the staffing plan") if line is None
            else self.tr("A line of the staffing plan")
        )  # fmt: skip
        self.year = QSpinBox(objectName="planYear")
        self.year.setRange(2500, 2700)
        self.year.setValue(fiscal_year_be())
        self.title = QLineEdit(objectName="planTitle")
        self.title.setMaxLength(200)
        self.type = QComboBox(objectName="planType")
        self.type.addItem(self.tr("(any type)"), None)
        for entry in reference.entries("position_types"):
            self.type.addItem(words.position_type(entry.code), entry.code)
        self.level = QComboBox(objectName="planLevel")
        self.unit = QComboBox(objectName="planUnit")
        self.unit.addItem(self.tr("(the whole office)"), None)
        add_units(self.unit, units)
        self.counts = [QSpinBox(objectName=f"planCount{i + 1}") for i in range(YEARS)]
        self.year_labels = [QLabel() for _ in range(YEARS)]
        for box in self.counts:
            box.setRange(0, MAX_COUNT)
        self.note = QLineEdit(objectName="planNote")
        self.note.setMaxLength(1000)
        self.error = error_label("planError")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)

        counts = QHBoxLayout()
        for label, box in zip(self.year_labels, self.counts, strict=True):
            counts.addWidget(label)
            counts.addWidget(box)
        counts.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("First fiscal year (BE):"), self.year)
        form.addRow(self.tr("Position title:"), self.title)
        form.addRow(self.tr("Position type:"), self.type)
        form.addRow(self.tr("Level:"), self.level)
        form.addRow(self.tr("Unit:"), self.unit)
        form.addRow(self.tr("Approved count:"), counts)
        form.addRow(self.tr("Note:"), self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        self.type.currentIndexChanged.connect(lambda _i: self._levels())
        self.year.valueChanged.connect(lambda _v: self._years())
        if line is not None:
            self.year.setValue(line.first_year_be)
            self.title.setText(line.position_title)
            self.type.setCurrentIndex(max(0, self.type.findData(line.position_type)))
            self.unit.setCurrentIndex(max(0, self.unit.findData(line.unit_id)))
            for box, count in zip(self.counts, line.counts, strict=True):
                box.setValue(count)
            self.note.setText(line.note or "")
        self._levels()
        if line is not None:
            self.level.setCurrentIndex(max(0, self.level.findData(line.level)))
        self._years()
        self.resize(600, self.sizeHint().height())

    def _levels(self) -> None:
        self.level.clear()
        self.level.addItem(self.tr("(any level)"), None)
        for entry in reference.levels_for(self.type.currentData()) or ():
            self.level.addItem(words.level(entry.code), entry.code)

    def _years(self) -> None:
        for i, label in enumerate(self.year_labels):
            label.setText(str(self.year.value() + i))

    def values(self) -> dict[str, Any]:
        return {
            "id": self.line_id,
            "first_year_be": self.year.value(),
            "position_title": " ".join(self.title.text().split()),
            "position_type": self.type.currentData(),
            "level": self.level.currentData(),
            "unit_id": self.unit.currentData(),
            "counts": tuple(box.value() for box in self.counts),
            "note": self.note.text().strip() or None,
        }

    def _check(self) -> None:
        if not self.values()["position_title"]:
            self.fail(self.tr("Type the position's title"))
            return
        self.error.hide()
        self.ok.setEnabled(False)
        self.save_requested.emit(self.values())

    def fail(self, text: str) -> None:
        self.ok.setEnabled(True)
        self.error.setText(text)
        self.error.show()
        self.fit()
