"""The supervisor's screens in the main window (issue 6): the review queue as a tab of its
own (View menu, Ctrl+Shift+R) and a decision view in a tab for each submission opened.

One call wires them to a :class:`ui.main_window.MainWindow` for a supervisor's session::

    SupervisorScreens(window, db, runner, session.user_id)

The tab's title carries the count of waiting submissions; a decision (here or in a batch)
reads the queue and the personnel list again, and so does a sync that pulls submissions. A
clerk never gets these screens.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from app.store.db import Database
from sync.client.engine import SyncReport
from ui.decision_view import DecisionView
from ui.review_queue import ReviewQueue
from ui.tasks import TaskRunner

REVIEW_QUEUE_KEY = "Ctrl+Shift+R"


class SupervisorScreens(QObject):
    def __init__(self, window, db: Database, runner: TaskRunner, user_id: str) -> None:
        super().__init__(window)
        self._window, self._db, self._runner, self._user = window, db, runner, user_id
        self.views: list[DecisionView] = []
        self.waiting = 0
        self.queue = ReviewQueue(db, runner, user_id)
        window.add_screen(self.queue, self._queue_title(0))
        self.queue.count_changed.connect(self._counted)
        self.queue.open_submission.connect(self.open_submission)
        self.queue.approved.connect(lambda _ids: window.refresh_people())
        action = QAction(self.tr("&Review queue"), window, objectName="action_review_queue")
        action.setShortcut(QKeySequence(REVIEW_QUEUE_KEY))
        action.triggered.connect(lambda: window.show_screen(self.queue))
        window.menus["view"].addAction(action)
        self.queue.refresh()  # the count, before the tab is first shown
        sync = getattr(window, "sync", None)
        if sync is not None:
            sync.synced.connect(self.pulled)

    def pulled(self, report: SyncReport) -> None:
        """A sync brought submissions (new ones to decide, or decided elsewhere): the queue
        and its count are read again."""
        if "submission" in report.pulled_tables:
            self.queue.refresh()

    def _queue_title(self, count: int) -> str:
        return self.tr("Review queue (%1)").replace("%1", str(count))

    def _counted(self, count: int) -> None:
        self.waiting = count
        screens = self._window.screens
        screens.setTabText(screens.indexOf(self.queue), self._queue_title(count))

    def open_submission(self, submission_id: str) -> DecisionView:
        view = next((v for v in self.views if v.submission_id == submission_id), None)
        if view is None:
            view = DecisionView(self._db, self._runner, self._user, submission_id)
            self.views.append(view)
            self._window.add_screen(view, view.title())
            view.decided.connect(self._decided)
        screens = self._window.screens
        screens.setTabText(screens.indexOf(view), view.title())
        self._window.show_screen(view)
        return view

    def _decided(self, _submission_id: str) -> None:
        self.queue.refresh()
        self._window.refresh_people()
