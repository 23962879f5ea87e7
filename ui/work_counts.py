"""What waits for the user, always in sight (issue 6, Notifications): a clerk's submissions
returned for changes, a supervisor's submissions waiting for a decision. Read from the local
database on the DB lane — never the network, never the GUI thread — when the window opens,
after any committed write to submissions or decisions (the database's change signal,
:mod:`ui.changes`: this user's, another's on this PC, or a sync's), and when the user moves
between screens. At login a returned submission is
also said once, for 15 seconds, in a note just above the status bar's right end (the status
bar itself has no room left for a sentence beside the sync state): whole, wrapped if need
be, and a click on it opens My submissions."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from app.services import review
from app.store.db import Database
from ui.changes import Changes, bus
from ui.tasks import Lane, Task, TaskRunner

LOGIN_NOTICE_MS = 15_000
PADDING = 6


class Notice(QLabel):
    """The login notice: a note over the window's bottom right corner, above the status
    bar, as wide as its text (at most half the window, then wrapped); a click emits
    ``clicked`` and closes it."""

    clicked = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window, objectName="workNotice", wordWrap=True)
        self._window = window
        self.setStyleSheet(
            "background: #fff8e1; color: #b3261e; border: 1px solid #ffcc80;"
            f" border-radius: 4px; padding: {PADDING}px;"
        )
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.hide()
        window.installEventFilter(self)

    def say(self, text: str) -> None:
        self.setText(text)
        self.show()
        self.place()
        self.raise_()

    def place(self) -> None:
        """Above the status bar, at the window's right, fully inside the window."""
        window = self._window
        margins = 2 * (PADDING + 1) + 4
        whole = self.fontMetrics().horizontalAdvance(self.text()) + margins
        width = min(whole, max(200, window.width() // 2))
        self.resize(width, max(self.heightForWidth(width), self.minimumSizeHint().height()))
        bar = window.statusBar().geometry()
        self.move(window.width() - self.width() - 8, bar.top() - self.height() - 4)

    def eventFilter(self, watched, event) -> bool:
        moved = event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.LayoutRequest)
        if watched is self._window and moved and not self.isHidden():
            self.place()
        return False

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.hide()
            self.clicked.emit()
        super().mousePressEvent(event)


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
        self.notice: Notice | None = None
        self._notice_timer = QTimer(self, singleShot=True, interval=LOGIN_NOTICE_MS)
        if window is not None:
            self.notice = Notice(window)
            self.notice.clicked.connect(self.returned_clicked)
            self._notice_timer.timeout.connect(self.notice.hide)
            window.screens.currentChanged.connect(self._moved)
            window.statusBar().addPermanentWidget(self)
        # a bound method: Qt drops the connection with this widget (a switch of user deletes
        # its window while the database and its signal go on)
        bus(db).changed.connect(self._changed)
        self.refresh()

    def _changed(self, changes: Changes) -> None:
        if changes.touches("submission", "decision"):
            self.refresh()

    def _moved(self, _index: int) -> None:
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
            + self.tr("%1 to decide").replace("%1", str(counts.waiting))
            + "</a>"
        )
        self.waiting.setToolTip(
            self.tr("Submissions waiting for your decision: %1 (a click opens the queue)").replace(
                "%1", str(counts.waiting)
            )
        )
        if not self._noticed and self.notice is not None:
            self._noticed = True  # the login notice, once
            if counts.returned:
                self.show_notice(
                    self.tr(
                        "%1 of your submissions came back for changes: see My submissions"
                    ).replace("%1", str(counts.returned))
                )

    def show_notice(self, text: str) -> None:
        """Say ``text`` above the status bar for :data:`LOGIN_NOTICE_MS`."""
        if self.notice is not None:
            self.notice.say(text)
            self._notice_timer.start()
