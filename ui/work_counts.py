"""What waits for the user, always in sight (issue 6, Notifications): a clerk's submissions
returned for changes, a supervisor's submissions waiting for a decision. Read from the local
database on the DB lane — never the network, never the GUI thread — when the window opens,
after each sync, and when the user moves between screens. At login a returned submission is
also said once in the status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from app.services import review
from app.store.db import Database
from ui.tasks import Lane, Task, TaskRunner

LOGIN_NOTICE_MS = 15_000


class WorkCounts(QWidget):
    #: The user clicked the returned count (show My submissions) or the waiting one (the queue).
    returned_clicked = Signal()
    waiting_clicked = Signal()

    def __init__(self, db: Database, runner: TaskRunner, user_id: str, window=None) -> None:
        super().__init__()
        self._db, self._runner, self._user, self._window = db, runner, user_id, window
        self.counts: review.WorkCounts | None = None
        self._noticed = False
        self.returned = QLabel(objectName="workReturned")
        self.waiting = QLabel(objectName="workWaiting")
        for label, signal in ((self.returned, self.returned_clicked),
                              (self.waiting, self.waiting_clicked)):  # fmt: skip
            label.setTextFormat(Qt.TextFormat.RichText)
            label.linkActivated.connect(lambda _link, s=signal: s.emit())
            label.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.returned)
        layout.addWidget(self.waiting)
        if window is not None:
            sync = getattr(window, "sync", None)
            if sync is not None:
                sync.synced.connect(lambda _report: self.refresh())
            window.screens.currentChanged.connect(lambda _index: self.refresh())
            window.statusBar().addPermanentWidget(self)
        self.refresh()

    def refresh(self) -> None:
        Task(review.work_counts, self._db, self._user).on_success(self._show).on_failure(
            self._failed
        ).bound_to(self).run_on(self._runner, Lane.DB)

    def _failed(self, exc: BaseException) -> None:
        self.returned.setText(self.tr("Could not count the work waiting"))
        self.returned.setToolTip(str(exc))
        self.returned.show()

    def _show(self, counts: review.WorkCounts) -> None:
        self.counts = counts
        self.returned.setVisible(counts.returned > 0)
        self.returned.setToolTip("")
        self.returned.setText(
            '<a href="returned" style="color:#b3261e">'
            + self.tr("Returned to you: %1").replace("%1", str(counts.returned))
            + "</a>"
        )
        self.waiting.setVisible(counts.waiting > 0)
        self.waiting.setText(
            '<a href="waiting">'
            + self.tr("Waiting for your decision: %1").replace("%1", str(counts.waiting))
            + "</a>"
        )
        if not self._noticed and self._window is not None:
            self._noticed = True  # the login notice, once
            if counts.returned:
                self._window.statusBar().showMessage(
                    self.tr(
                        "%1 of your submissions came back for changes: see My submissions"
                    ).replace("%1", str(counts.returned)),
                    LOGIN_NOTICE_MS,
                )
