"""The supervisor's review queue (issue 6): the submitted changes waiting for a decision, the
oldest first, with author, person, kind, age and the fields in conflict with the official
record (found by the merge the decision view uses); filters by unit, author, the day it was
submitted and conflicts; the count of those waiting (:attr:`ReviewQueue.count_changed`).

Enter or a double click asks to open the selected one (:attr:`ReviewQueue.open_submission`)
in a decision view. "Approve selected…" approves several at once after a confirmation that
lists them; those with a conflict are left out with a note, for the decision view.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import review
from app.services.review import BatchResult, QueueFilters, QueueRow
from app.store.db import Database
from ui import texts
from ui.citizen_id_edit import CitizenIdEdit
from ui.tables import ActivatingTable
from ui.tasks import Lane, Task, TaskRunner
from ui.thai_date_edit import ThaiDateEdit

CONFLICT_COLUMN, AUTHOR_COLUMN = 5, 6
CONFLICT_COLOR = "#b3261e"


class ReviewQueue(QWidget):
    HELP_TOPIC = "supervisor.html#queue"
    #: The supervisor asked to open this submission (its id) in a decision view.
    open_submission = Signal(str)
    #: How many submissions wait (all of them, whatever the filters).
    count_changed = Signal(int)
    #: Submissions were approved here (their ids): the register changed.
    approved = Signal(tuple)

    def __init__(
        self, db: Database, runner: TaskRunner, user_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._runner, self._user = db, runner, user_id
        self._all: tuple[QueueRow, ...] = ()
        self._rows: tuple[QueueRow, ...] = ()
        self._read_once = False
        self.confirmation: QMessageBox | None = None
        self._note = ""  # what the last batch did, kept over the read that follows it

        self.org = QComboBox(objectName="queue_org")  # shown when the queue spans organizations
        self.org_label = QLabel(self.tr("Organization:"))
        self.unit = QComboBox(objectName="queue_unit")
        self.author = QComboBox(objectName="queue_author")
        self.since = ThaiDateEdit()
        self.until = ThaiDateEdit()
        for edit in (self.since, self.until):
            edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("00 ก.ค. 2569") + 24)
        self.conflicts_only = QCheckBox(self.tr("Conflicts only"), objectName="queue_conflicts")
        self.count = QLabel(objectName="queue_count", wordWrap=True)
        self.table = ActivatingTable(0, 7)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Submitted"), self.tr("Waiting"), self.tr("Person"),
             self.tr("Citizen ID"), self.tr("Change"), self.tr("Conflicts"), self.tr("Author")]
        )  # fmt: skip
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.open_button = QPushButton(self.tr("Open (Enter)"))
        self.batch_button = QPushButton(self.tr("Approve selected…"))
        self.status = QLabel(wordWrap=True)

        filters = QHBoxLayout()
        filters.addWidget(self.org_label)
        filters.addWidget(self.org)
        for label, widget in (
            (self.tr("Unit:"), self.unit),
            (self.tr("Author:"), self.author),
            (self.tr("Submitted from:"), self.since),
            (self.tr("to:"), self.until),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.conflicts_only)  # the filter bar is full in a longer language
        buttons.addWidget(self.batch_button)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

        self.org.currentIndexChanged.connect(lambda _i: self._read())
        self.unit.currentIndexChanged.connect(lambda _i: self._read())
        self.author.currentIndexChanged.connect(lambda _i: self._read())
        self.since.editingFinished.connect(self._read)
        self.until.editingFinished.connect(self._read)
        self.conflicts_only.toggled.connect(lambda _on: self._read())
        self.table.cellDoubleClicked.connect(lambda *_: self._open())
        self.table.activated_row.connect(self._open)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.open_button.clicked.connect(self._open)
        self.batch_button.clicked.connect(self.ask_batch)
        self.refresh()

    # --- reading -------------------------------------------------------------------------

    def filters(self) -> QueueFilters:
        return QueueFilters(
            org_id=self.org.currentData(),
            unit_id=self.unit.currentData(),
            author_id=self.author.currentData(),
            since=self.since.date(),
            until=self.until.date(),
            conflicts_only=self.conflicts_only.isChecked(),
        )

    def refresh(self) -> None:
        """Read the whole queue again (its count and the filters' choices), then the rows
        the filters keep."""
        self.status.setText(self.tr("Reading…"))
        Task(review.review_queue, self._db, self._user).on_success(self._loaded_all).on_failure(
            self._failed
        ).bound_to(self).run_on(self._runner, Lane.DB)

    def _read(self) -> None:
        Task(review.review_queue, self._db, self._user, self.filters()).on_success(
            self._loaded
        ).on_failure(self._failed).bound_to(self).run_on(self._runner, Lane.DB)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous() and self._read_once:
            self.refresh()

    def _loaded_all(self, rows: tuple[QueueRow, ...]) -> None:
        self._read_once = True
        self._all = rows
        orgs = {r.org_id: r.org_name for r in rows}
        self._choices(self.org, self.tr("All organizations"), orgs)
        several = len(orgs) > 1 or self.org.currentData() is not None
        self.org.setVisible(several)
        self.org_label.setVisible(several)
        self._choices(self.unit, self.tr("All units"), {r.unit_id: r.unit_name for r in rows})
        self._choices(
            self.author, self.tr("All authors"), {r.author_id: r.author_name for r in rows}
        )
        self.count.setText(self.tr("%n submission(s) waiting", "", len(rows)))
        self.count_changed.emit(len(rows))
        self._read()

    def _choices(self, box: QComboBox, everything: str, found: dict) -> None:
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(everything, None)
        for key, name in sorted(found.items(), key=lambda kv: kv[1] or ""):
            if key is not None:
                box.addItem(name or key, key)
        index = box.findData(current)
        box.setCurrentIndex(max(index, 0))
        box.blockSignals(False)

    def _loaded(self, rows: tuple[QueueRow, ...]) -> None:
        self._rows = rows
        empty = "" if rows else self.tr("Nothing waits for a decision.")
        self.status.setText(" ".join(t for t in (self._note, empty) if t))
        self._note = ""
        self._fill()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(
            self.tr("Could not read the queue: %1").replace("%1", texts.error_text(exc))
        )

    # --- showing -------------------------------------------------------------------------

    def rows(self) -> tuple[QueueRow, ...]:
        """The rows shown, in order."""
        return self._rows

    def _age(self, moment: dt.datetime | None) -> str:
        if moment is None:
            return ""
        now = dt.datetime.now(moment.tzinfo) if moment.tzinfo else dt.datetime.now()
        days = (now - moment).days
        if days < 1:
            return self.tr("today")
        return self.tr("%n day(s)", "", days)

    def _fill(self) -> None:
        self.table.setRowCount(len(self._rows))
        for index, row in enumerate(self._rows):
            when = row.submitted_at
            local = when.astimezone() if when and when.tzinfo else when
            cells = (
                texts.display_value("submitted", local.date(), short=True) if local else "",
                self._age(when),
                texts.person_name(row.prefix, row.first_name_th, row.last_name_th, row.acting_rank),
                CitizenIdEdit.display_text(row.citizen_id),
                texts.kind_label(row.kind),
                self._conflict_text(row),
                row.author_name
                + ("" if row.can_decide else " " + self.tr("(you: not yours to decide)")),
            )
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, row.submission_id)
                self.table.setItem(index, col, cell)
            if row.conflicts or row.competing:
                self._mark_conflict(self.table.item(index, CONFLICT_COLUMN), row)
        self.table.resizeColumnsToContents()
        if self._rows:
            self.table.setCurrentCell(0, 0)
        self._selection_changed()

    def _conflict_text(self, row: QueueRow) -> str:
        if row.conflicts:
            return self.tr("%n field(s) in conflict", "", len(row.conflicts))
        if row.competing:
            return self.tr("%n field(s) also in another waiting", "", len(row.competing))
        return ""

    def _mark_conflict(self, cell: QTableWidgetItem, row: QueueRow) -> None:
        cell.setForeground(QBrush(QColor(CONFLICT_COLOR)))
        font = QFont(cell.font())
        font.setBold(True)
        cell.setFont(font)
        tips = []
        if row.conflicts:
            names = "\n".join(f"• {texts.key_label(key)}" for key in row.conflicts)
            tips.append(
                self.tr("The official record changed since the clerk's edit:") + "\n" + names
            )
        if row.competing:
            names = "\n".join(f"• {texts.key_label(key)}" for key in row.competing)
            tips.append(
                self.tr(
                    "Another submission waiting about this person changes the same "
                    "(approving one puts the other in conflict):"
                )
                + "\n"
                + names
            )
        cell.setToolTip("\n\n".join(tips))

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self._rows[r].submission_id for r in rows if r < len(self._rows)]

    def _selection_changed(self) -> None:
        chosen = set(self.selected_ids())
        self.open_button.setEnabled(len(chosen) == 1)
        decidable = [r for r in self._rows if r.submission_id in chosen and r.can_decide]
        self.batch_button.setEnabled(bool(decidable))

    def _open(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            self.open_submission.emit(ids[0])

    # --- batch ---------------------------------------------------------------------------

    def ask_batch(self) -> None:
        """Check the selected submissions, then ask to approve the clean ones."""
        ids = self.selected_ids()
        if not ids:
            return
        Task(review.batch_preview, self._db, self._user, ids).on_success(self._confirm).on_failure(
            self._failed
        ).bound_to(self).run_on(self._runner, Lane.DB)

    def _name(self, sid: str) -> str:
        row = next((r for r in self._rows if r.submission_id == sid), None)
        if row is None:
            return sid
        return texts.person_name(row.prefix, row.first_name_th, row.last_name_th, row.acting_rank)

    def _why(self, code: str) -> str:
        if code == "error.conflicts_unresolved":
            return self.tr("the official record changed the same field: a conflict to settle")
        if code == "error.not_decider":
            return self.tr("your own submission: another supervisor decides it")
        return texts.message(code)

    def _confirm(self, preview: BatchResult) -> None:
        lines = [f"• {self._name(sid)}" for sid in preview.approved]
        left = [f"• {self._name(sid)}: {self._why(code)}" for sid, code in preview.skipped.items()]
        box = QMessageBox(self, objectName="batch_confirmation")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Approve several submissions"))
        if preview.approved:
            box.setText(self.tr("Approve these %n submission(s)?", "", len(preview.approved)))
            box.setStandardButtons(
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
            )
            box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Approve"))
            box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        else:
            box.setText(self.tr("None of the selected submissions can be approved at once."))
            box.setStandardButtons(QMessageBox.StandardButton.Close)
            box.button(QMessageBox.StandardButton.Close).setText(self.tr("Close"))
        details = "\n".join(lines)
        if left:
            note = self.tr("Left out (open each one to decide):")
            details += ("\n\n" if details else "") + note + "\n" + "\n".join(left)
        box.setInformativeText(details)
        box.finished.connect(
            lambda result: (
                self._confirmed(preview.approved)
                if result == QMessageBox.StandardButton.Yes
                else None
            )
        )
        self.confirmation = box
        box.open()

    def _confirmed(self, ids: tuple[str, ...]) -> None:
        self.confirmation = None
        Task(review.approve_batch, self._db, self._user, ids).on_success(
            self._batch_done
        ).on_failure(self._failed).bound_to(self).run_on(self._runner, Lane.DB)

    def _batch_done(self, result: BatchResult) -> None:
        text = self.tr("Approved %n submission(s).", "", len(result.approved))
        if result.skipped:
            text += " " + self.tr("%n left for a decision.", "", len(result.skipped))
        self._note = text
        self.refresh()
        self.approved.emit(result.approved)
