"""A person's history (issue 6): the timeline of their submissions and decisions, read-only,
for every role (auditors included). View › History of the selected person (Ctrl+H) opens it
in a tab of the main window."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import timeline
from app.store.db import Database
from ui import texts
from ui.tasks import Lane, Task, TaskRunner

HISTORY_KEY = "Ctrl+H"


class PersonHistory(QWidget):
    """Who proposed what, who returned or approved it and why, what each change replaced.
    Every sending and return is a row; an earlier sending whose time no record keeps says
    "before" the return that answered it (see :mod:`app.services.timeline`)."""

    HELP_TOPIC = "clerk.html#history"

    #: The title changed (the person's name was read): the tab shows :meth:`title`.
    title_changed = Signal()

    def __init__(self, db: Database, runner: TaskRunner, user_id: str, person_id: str) -> None:
        super().__init__()
        self._db, self._runner, self._user = db, runner, user_id
        self.person_id = person_id
        self.note = QLabel(wordWrap=True)
        self.table = QTableWidget(0, 4, objectName="historyTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("When"), self.tr("What"), self.tr("Who"), self.tr("Details")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table)
        self.entries: list[timeline.Entry] = []
        self.name = ""
        self.refresh()

    def title(self) -> str:
        """ประวัติ · <the person's name>; the name once it has been read."""
        if not self.name:
            return self.tr("History")
        return self.tr("History · %1").replace("%1", self.name)

    def refresh(self) -> None:
        self.note.setText(self.tr("Reading…"))
        Task(timeline.read, self._db, self._user, self.person_id).on_success(self._show).on_failure(
            self._failed
        ).bound_to(self).run_on(self._runner, Lane.DB)

    def _failed(self, exc: BaseException) -> None:
        self.note.setText(texts.error_text(exc))

    def _show(self, found: timeline.Timeline) -> None:
        self.name = texts.person_name(*found.name)
        self.title_changed.emit()
        self.entries = entries = found.entries
        self.note.setText(
            self.tr("Nothing has been proposed about this person yet.")
            if not entries
            else self.tr("%1 events, oldest first").replace("%1", str(len(entries)))
        )
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = (
                self._when(entry),
                self._event(entry),
                entry.actor_name,
                self._details(entry),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
            if not entry.time_recorded:
                self.table.item(row, 0).setToolTip(
                    self.tr(
                        "Only the time of the latest sending is kept: this one was made "
                        "before the return that answered it."
                    )
                )
        self.table.resizeRowsToContents()

    def _when(self, entry: timeline.Entry) -> str:
        if entry.time_recorded:
            return texts.moment(entry.at)
        return self.tr("before %1").replace("%1", texts.moment(entry.at))

    def _event(self, entry: timeline.Entry) -> str:
        if entry.event == timeline.SUBMITTED and entry.sending > 1:
            return self.tr("Sent for approval again (time %1)").replace("%1", str(entry.sending))
        events = {
            timeline.PROPOSED: self.tr("Proposed (%1)"),
            timeline.SUBMITTED: self.tr("Sent for approval"),
            timeline.RETURNED: self.tr("Returned"),
            timeline.APPROVED: self.tr("Approved"),
            timeline.WITHDRAWN: self.tr("Withdrawn"),
        }
        return events[entry.event].replace("%1", texts.kind_label(entry.kind))

    def _details(self, entry: timeline.Entry) -> str:
        lines = []
        if entry.reason:
            lines.append(self.tr("Reason: %1").replace("%1", entry.reason))
        for name, (old, new) in entry.changes.items():
            before = texts.display_value(name, old) or "–"
            after = texts.display_value(name, new) or "–"
            lines.append(f"{texts.field_label(name)}: {before} → {after}")
        rows = (entry.rows_added, entry.rows_changed, entry.rows_deleted)
        if any(rows):
            lines.append(
                self.tr("History rows: %1 added, %2 changed, %3 removed")
                .replace("%1", str(rows[0]))
                .replace("%2", str(rows[1]))
                .replace("%3", str(rows[2]))
            )
        if entry.resolutions:
            lines.append(
                self.tr("Conflicts settled by the supervisor: %1").replace(
                    "%1", str(len(entry.resolutions))
                )
            )
        return "\n".join(lines)


class HistoryScreens(QObject):
    """View › History of the selected person (Ctrl+H): one tab a person."""

    def __init__(self, window, db: Database, runner: TaskRunner, user_id: str) -> None:
        super().__init__(window)
        self._window, self._db, self._runner, self._user = window, db, runner, user_id
        self.open: dict[str, PersonHistory] = {}
        action = QAction(
            self.tr("&History of the selected person"), window, objectName="action_history"
        )
        action.setShortcut(QKeySequence(HISTORY_KEY))
        action.triggered.connect(self.show_selected)
        window.menus["view"].addAction(action)

    def show_selected(self) -> PersonHistory | None:
        person_id = self._window.people.current_person_id()
        return self.show(person_id) if person_id else None

    def show(self, person_id: str) -> PersonHistory:
        view = self.open.get(person_id)
        if view is None:
            view = PersonHistory(self._db, self._runner, self._user, person_id)
            self.open[person_id] = view
            self._window.add_screen(view, view.title())
            view.title_changed.connect(lambda v=view: self._titled(v))
            self._titled(view)
        else:
            view.refresh()
        self._window.show_screen(view)
        return view

    def _titled(self, view: PersonHistory) -> None:
        screens = self._window.screens
        index = screens.indexOf(view)
        if index >= 0:
            screens.setTabText(index, view.title())
            screens.setTabToolTip(index, view.title())
