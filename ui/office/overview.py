"""The staffing overview (issue 14): by unit, the framework (slots not cut) against filled,
vacant and frozen slots and the staffing plan's counts for its three years; the list of
vacancies; and the plan's lines, which the org admin adds, edits and deletes here.

Everything shown comes from two service calls (the overview, the plan's lines); each write
goes through the service and the page reads again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
)

from app.services import structure
from ui.office import words
from ui.office.local_page import PLAN, LocalPage, UnitChoice, open_units
from ui.office.plan_dialog import YEARS, PlanDialog
from ui.office.rows_model import TextRowsModel

COUNTS = frozenset(range(1, 5 + YEARS))


def _table(model: TextRowsModel, name: str) -> QTableView:
    table = QTableView(objectName=name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class OverviewPage(LocalPage):
    HELP_TOPIC = "office.html#overview"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.overview: Any = None
        self.lines: tuple[Any, ...] = ()
        self.dialog: PlanDialog | None = None
        self.confirmation: QMessageBox | None = None
        self._units: list[UnitChoice] = []
        self._years: tuple[int, ...] = ()
        self.by_unit = TextRowsModel(self._unit_headers, COUNTS, self)
        self.vacancies = TextRowsModel(self._vacancy_headers, parent=self)
        self.plan = TextRowsModel(self._plan_headers, frozenset({5, 6, 7}), self)
        self.unit_table = _table(self.by_unit, "overviewUnits")
        self.vacancy_table = _table(self.vacancies, "overviewVacancies")
        self.plan_table = _table(self.plan, "overviewPlan")
        header = self.unit_table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.totals = QLabel(objectName="overviewTotals", wordWrap=True)
        self.add_line = QPushButton(objectName="addPlanLine")
        self.edit_line = QPushButton(objectName="editPlanLine")
        self.delete_line = QPushButton(objectName="deletePlanLine")
        self.vacancy_box = QGroupBox(objectName="vacancyBox")
        self.plan_box = QGroupBox(objectName="planBox")

        box = QVBoxLayout(self.vacancy_box)
        box.addWidget(self.vacancy_table)
        plan_buttons = QHBoxLayout()
        for button in (self.add_line, self.edit_line, self.delete_line):
            plan_buttons.addWidget(button)
        plan_buttons.addStretch(1)
        box = QVBoxLayout(self.plan_box)
        box.addWidget(self.plan_table)
        box.addLayout(plan_buttons)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.vacancy_box)
        lower.addWidget(self.plan_box)
        lower.setSizes([460, 620])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.unit_table)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addWidget(self.totals)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)

        self.add_line.clicked.connect(self.ask_add)
        self.edit_line.clicked.connect(self.ask_edit)
        self.delete_line.clicked.connect(self.ask_delete)
        self.plan_table.doubleClicked.connect(lambda _i: self.ask_edit())
        self.plan_table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())
        self._retranslate()
        self._enable()

    def _retranslate(self) -> None:
        self.vacancy_box.setTitle(self.tr("Vacancies"))
        self.plan_box.setTitle(self.tr("The three-year staffing plan"))
        self.add_line.setText(self.tr("Add a line…"))
        self.edit_line.setText(self.tr("Edit…"))
        self.delete_line.setText(self.tr("Delete…"))

    def _year_headers(self) -> list[str]:
        if self._years:
            return [self.tr("Plan %1").replace("%1", str(y)) for y in self._years]
        return [self.tr("Plan year %1").replace("%1", str(i + 1)) for i in range(YEARS)]

    def _unit_headers(self) -> list[str]:
        return [
            self.tr("Unit"), self.tr("Framework"), self.tr("Filled"), self.tr("Vacant"),
            self.tr("Frozen"), *self._year_headers(),
        ]  # fmt: skip

    def _vacancy_headers(self) -> list[str]:
        return [self.tr("Position number"), self.tr("Title"), self.tr("Unit"), self.tr("Levels")]

    def _plan_headers(self) -> list[str]:
        first = self._plan_years_of_line()
        return [
            self.tr("From (BE)"), self.tr("Title"), self.tr("Type"), self.tr("Level"),
            self.tr("Unit"), *first, self.tr("Note"),
        ]  # fmt: skip

    def _plan_years_of_line(self) -> list[str]:
        return [self.tr("Year %1").replace("%1", str(i + 1)) for i in range(YEARS)]

    # --- reading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.run(structure.staffing_overview, done=self._loaded)

    def _loaded(self, overview: Any) -> None:
        self.overview = overview
        self._years = tuple(overview.plan_years or ())
        rows = []
        for r in overview.rows:
            planned = tuple(r.planned or ()) + (0,) * YEARS
            rows.append((r.unit_id, (
                r.unit_name or self.tr("(no unit)"), str(r.framework), str(r.filled),
                str(r.vacant), str(r.frozen), *(str(n) for n in planned[:YEARS]),
            )))  # fmt: skip
        self.by_unit.set_rows(rows)
        self.vacancies.set_rows([
            (s.id, (s.position_number, s.title, s.unit_name or "",
                    words.levels_range(s.level_min, s.level_max)))
            for s in overview.vacancies
        ])  # fmt: skip
        self.totals.setText(
            self.tr("Framework %1 · filled %2 · vacant %3 · frozen %4")
            .replace("%1", str(sum(r.framework for r in overview.rows)))
            .replace("%2", str(sum(r.filled for r in overview.rows)))
            .replace("%3", str(sum(r.vacant for r in overview.rows)))
            .replace("%4", str(sum(r.frozen for r in overview.rows)))
        )
        self.vacancy_table.resizeColumnsToContents()
        self.run(structure.unit_tree, done=self._units_loaded)

    def _units_loaded(self, roots: Any) -> None:
        self._units = open_units(roots)
        self.run(structure.plan_lines, done=self._lines_loaded)

    def _lines_loaded(self, lines: Any) -> None:
        current = self.current_line_id()
        self.lines = tuple(lines)
        names = {uid: name for uid, name, _ in self._units}
        self.plan.set_rows([
            (line.id, (
                str(line.first_year_be), line.position_title,
                words.position_type(line.position_type) if line.position_type else "",
                words.level(line.level) if line.level else "",
                names.get(line.unit_id, "") if line.unit_id else self.tr("(whole office)"),
                *(str(n) for n in line.counts), line.note or "",
            ))
            for line in self.lines
        ])  # fmt: skip
        self.plan_table.resizeColumnsToContents()
        ids = [line.id for line in self.lines]
        if ids:
            self.plan_table.selectRow(ids.index(current) if current in ids else 0)
        self._enable()

    def current_line_id(self) -> str | None:
        index = self.plan_table.currentIndex()
        return self.plan.id_at(index.row()) if index.isValid() else None

    def current_line(self) -> Any:
        line_id = self.current_line_id()
        return next((line for line in self.lines if line.id == line_id), None)

    def _enable(self) -> None:
        has = self.current_line() is not None
        self.edit_line.setEnabled(has)
        self.delete_line.setEnabled(has)

    # --- the plan's lines --------------------------------------------------------------------

    def ask_add(self) -> None:
        self._open(PlanDialog(self._units, parent=self))

    def ask_edit(self) -> None:
        line = self.current_line()
        if line is not None:
            self._open(PlanDialog(self._units, line, parent=self))

    def _open(self, dialog: PlanDialog) -> None:
        self.dialog = dialog
        dialog.save_requested.connect(lambda values: self._save(dialog, values))
        dialog.open()
        dialog.title.setFocus()

    def _save(self, dialog: PlanDialog, values: dict[str, Any]) -> None:
        self.run(
            structure.save_plan_line, structure.PlanLineInput(**values),
            done=lambda _id: (dialog.accept(), self._wrote(self.tr("Saved: %1").replace(
                "%1", values["position_title"]))),
            failed=lambda exc: dialog.fail(words.error_text(exc)),
        )  # fmt: skip

    def _wrote(self, note: str) -> None:
        self.wrote(PLAN, note)
        self.refresh()

    def ask_delete(self) -> None:
        line = self.current_line()
        if line is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Delete the line"),
            self.tr("Delete the plan's line “%1”?").replace("%1", line.position_title),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Delete"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Keep it"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        note = self.tr("Deleted: %1").replace("%1", line.position_title)
        box.accepted.connect(
            lambda: self.run(structure.delete_plan_line, line.id, done=lambda _r: self._wrote(note))
        )
        self.confirmation = box
        box.open()
