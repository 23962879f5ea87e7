"""The main window as it stands until the clerk's screens land (issue 5): the people of the
local store in Thai dictionary order, with search as you type."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import reference, thai
from app.domain.validation import format_citizen_id
from app.services import people
from app.store.db import Database
from ui.background_sync import BackgroundSync
from ui.sync_status_bar import SyncStatusBar
from ui.tasks import Lane, Task, TaskRunner

PAGE = 200
SEARCH_DELAY_MS = 150


class MainWindow(QMainWindow):
    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        *,
        title: str = "",
        sync: BackgroundSync | None = None,
    ) -> None:
        super().__init__()
        self._db = db
        self._runner = runner
        self.sync = sync  # screens that save call sync.local_change() when a save succeeds
        self.setWindowTitle(title or self.tr("LocalHR Desk"))
        self.search = QLineEdit(placeholderText=self.tr("Search name, citizen ID, position…"))
        self.search.setClearButtonEnabled(True)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Citizen ID"),
                self.tr("Name"),
                self.tr("Position"),
                self.tr("Level"),
                self.tr("Born"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.status = QLabel()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        self.setCentralWidget(body)
        self.statusBar().addWidget(self.status, 1)
        self.sync_bar: SyncStatusBar | None = None
        if sync is not None:
            self.sync_bar = SyncStatusBar(sync)
            self.statusBar().addPermanentWidget(self.sync_bar)
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, activated=self._focus_search)
        self.resize(1100, 700)
        self.refresh()

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def refresh(self) -> None:
        """Load the first page of what the search box asks for, off the GUI thread."""
        query = self.search.text()
        self.status.setText(self.tr("Searching…"))
        Task(people.list_people, self._db, query, limit=PAGE).on_success(self._show).on_failure(
            self._failed
        ).bound_to(self).run_on(self._runner, Lane.DB)

    def _show(self, page: people.PeoplePage) -> None:
        self.table.setRowCount(len(page.items))
        for row, item in enumerate(page.items):
            prefix = reference.label("prefixes", item.prefix) or ""
            level = reference.label("levels", item.level) or ""
            born = thai.format_date_be(item.birth_date) if item.birth_date else ""
            cells = (
                format_citizen_id(item.citizen_id),
                f"{prefix}{item.first_name_th} {item.last_name_th}",
                item.position_title or "",
                level,
                born,
            )
            for col, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                cell.setData(Qt.ItemDataRole.UserRole, item.id)
                self.table.setItem(row, col, cell)
        self.table.resizeColumnsToContents()
        shown = len(page.items)
        total = f"{page.total:,}+" if page.total_capped else f"{page.total:,}"
        self.status.setText(
            self.tr("%1 of %2 people").replace("%1", f"{shown:,}").replace("%2", total)
        )

    def _failed(self, error: BaseException) -> None:
        self.status.setText(self.tr("Could not read the register: %1").replace("%1", str(error)))
