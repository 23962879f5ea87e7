"""My submissions: what the clerk has proposed, by state — returned ones first (they wait for
the clerk), then drafts, those waiting for approval, approved and withdrawn ones.

A returned submission shows the supervisor's reason and the fields to fix. Enter or a
double click asks to open the selected one (:attr:`MySubmissions.open_submission`); the
main window opens it in a :class:`ui.person_editor.PersonEditor`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.entities import SubmissionState
from app.services import drafts
from app.services.drafts import SubmissionSummary
from app.store.db import Database
from ui import texts
from ui.citizen_id_edit import CitizenIdEdit
from ui.editor_frame import STATE_COLORS, split_comments
from ui.tables import ActivatingTable
from ui.tasks import Lane, Task, TaskRunner

S = SubmissionState
#: The order of the list: what waits for the clerk first.
ORDER = (S.RETURNED, S.DRAFT, S.SUBMITTED, S.APPROVED, S.WITHDRAWN)


class MySubmissions(QWidget):
    HELP_TOPIC = "clerk.html#mine"
    #: The clerk asked to open this submission (its id) in the person editor.
    open_submission = Signal(str)

    def __init__(
        self, db: Database, runner: TaskRunner, user_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._runner, self._user = db, runner, user_id
        self._items: list[SubmissionSummary] = []
        self._read_once = False
        self.filter = QComboBox()
        self.filter.addItem(self.tr("All"), None)
        for state in ORDER:
            self.filter.addItem(texts.state_label(state), str(state))
        self.counts = QLabel(wordWrap=True)  # five states' counts in a longer language
        self.table = ActivatingTable(0, 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("State"), self.tr("Person"), self.tr("Citizen ID"), self.tr("Change"),
             self.tr("Last saved")]
        )  # fmt: skip
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setContentsMargins(8, 6, 8, 6)
        self.open_button = QPushButton(self.tr("Open (Enter)"))
        self.status = QLabel()

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Show:")))
        top.addWidget(self.filter)
        top.addSpacing(16)
        top.addWidget(self.counts, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.detail, 1)
        bottom.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.status)

        self.filter.currentIndexChanged.connect(lambda _index: self._fill())
        self.table.currentCellChanged.connect(lambda *_: self._show_detail())
        self.table.cellDoubleClicked.connect(lambda *_: self._open())
        self.table.activated_row.connect(self._open)
        self.open_button.clicked.connect(self._open)
        self.refresh()

    # --- reading -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the clerk's submissions again (after a save elsewhere, or a sync)."""
        self.status.setText(self.tr("Reading…"))
        Task(drafts.summaries, self._db, self._user).on_success(self._loaded).on_failure(
            self._failed
        ).bound_to(self).run_on(self._runner, Lane.DB)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous() and self._read_once:  # the first read is the constructor's
            self.refresh()

    def _loaded(self, items: tuple[SubmissionSummary, ...]) -> None:
        self._read_once = True
        rank = {state: i for i, state in enumerate(ORDER)}
        self._items = sorted(items, key=lambda i: rank.get(i.submission.state, len(ORDER)))
        by_state = {state: 0 for state in ORDER}
        for item in self._items:
            by_state[item.submission.state] = by_state.get(item.submission.state, 0) + 1
        self.counts.setText(
            "  ·  ".join(f"{texts.state_label(s)} {n}" for s, n in by_state.items() if n)
        )
        self.status.setText("" if items else self.tr("You have proposed nothing yet."))
        self._fill()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(
            self.tr("Could not read your submissions: %1").replace("%1", texts.error_text(exc))
        )

    # --- showing -------------------------------------------------------------------------

    def shown(self) -> list[SubmissionSummary]:
        state = self.filter.currentData()
        return [i for i in self._items if state is None or i.submission.state == state]

    def _fill(self) -> None:
        current = self.current_id()
        rows = self.shown()
        self.table.setRowCount(len(rows))
        for index, item in enumerate(rows):
            sub = item.submission
            cells = (
                texts.state_label(sub.state),
                texts.person_name(
                    item.prefix, item.first_name_th, item.last_name_th, item.acting_rank
                ),
                CitizenIdEdit.display_text(item.citizen_id),
                texts.kind_label(sub.kind),
                texts.moment(sub.updated_at or sub.created_at),
            )
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, sub.id)
                if col == 0:
                    cell.setBackground(QBrush(QColor(STATE_COLORS[sub.state])))
                self.table.setItem(index, col, cell)
        self.table.resizeColumnsToContents()
        ids = [i.submission.id for i in rows]
        self.table.setCurrentCell(ids.index(current) if current in ids else 0, 0)
        if not rows:
            self._show_detail()

    def current_id(self) -> str | None:
        item = self.table.item(self.table.currentRow(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _current(self) -> SubmissionSummary | None:
        sid = self.current_id()
        return next((i for i in self._items if i.submission.id == sid), None)

    def _show_detail(self) -> None:
        item = self._current()
        self.open_button.setEnabled(item is not None)
        if item is None or not item.submission.return_reason:
            self.detail.setText("")
            self.detail.setStyleSheet("")
            return
        sub = item.submission
        lines = [self.tr("Returned by the supervisor: %1").replace("%1", sub.return_reason or "")]
        person, rows = split_comments(sub.field_comments)
        lines += [f"• {texts.field_label(name)}: {text}" for name, text in person.items()]
        for comments in rows.values():
            for name, text in comments.items():
                label = texts.field_label(name) if name else self.tr("History row")
                lines.append(f"• {label}: {text}")
        self.detail.setText("\n".join(lines))
        self.detail.setStyleSheet(f"background-color: {STATE_COLORS[S.RETURNED]};")

    def _open(self) -> None:
        sid = self.current_id()
        if sid is not None:
            self.open_submission.emit(sid)
