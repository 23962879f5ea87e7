"""The sync part of the main window's status bar, always in view (DESIGN.md §7).

It shows what :class:`~ui.background_sync.BackgroundSync` publishes: the state with its
reason (the whole advice in the tooltip), a progress bar while syncing, how many changes
wait to be sent, how many need attention (a button, for the list of them to come), when
the last sync ended, and a "Sync now" button (F5).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from app.domain import thai
from ui.background_sync import BackgroundSync
from ui.sync_status import State, SyncProgress, SyncStatus

SYNC_NOW_KEY = QKeySequence(Qt.Key.Key_F5)
#: How often "5 minutes ago" is brought up to date while the bar is shown.
REFRESH_MS = 30_000

COLORS = {
    State.ONLINE: "#2e7d32",
    State.SYNCING: "#1565c0",
    State.OFFLINE: "#757575",
    State.NOT_CONFIGURED: "#9e9e9e",
    State.LOGIN_NEEDED: "#e65100",
    State.ERROR: "#c62828",
}


def _separator() -> QFrame:
    line = QFrame(frameShape=QFrame.Shape.VLine, frameShadow=QFrame.Shadow.Sunken)
    line.setFixedHeight(16)
    return line


class SyncStatusBar(QWidget):
    #: The user clicked the count of items needing attention.
    attention_clicked = Signal()

    def __init__(self, sync: BackgroundSync, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sync = sync
        self._status = sync.status
        self.dot = QLabel("●", objectName="syncDot")
        self.state = QLabel(objectName="syncState")
        self.progress = QProgressBar(objectName="syncProgress")
        self.progress.setFixedWidth(150)
        self.progress.setMaximumHeight(18)
        self.progress.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pending = QLabel(objectName="syncPending")
        self.attention = QToolButton(objectName="syncAttention")
        self.attention.setAutoRaise(True)
        self.attention.setStyleSheet("color: #c62828; font-weight: bold;")
        self.attention.clicked.connect(self.attention_clicked)
        self.last_sync = QLabel(objectName="syncLast")
        self.sync_now = QToolButton(objectName="syncNow")
        self.sync_now.clicked.connect(sync.sync_now)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(8)
        groups = [(self.dot, self.state, self.progress), (self.pending, self.attention),
                  (self.last_sync, self.sync_now)]  # fmt: skip
        for i, group in enumerate(groups):
            if i:
                layout.addWidget(_separator())
            for widget in group:
                layout.addWidget(widget)
        self._clock = QTimer(self, interval=REFRESH_MS)
        self._clock.timeout.connect(self._show_last_sync)
        sync.status_changed.connect(self.show_status)
        self._retranslate()
        self.show_status(sync.status)

    # --- showing a status -----------------------------------------------------------------

    def show_status(self, status: SyncStatus) -> None:
        self._status = status
        state = status.state
        self.dot.setStyleSheet(f"color: {COLORS[state]};")
        text = self._state_text(status)
        if status.headline and state not in (State.NOT_CONFIGURED, State.LOGIN_NEEDED):
            text = self.tr("%1: %2").replace("%1", text).replace("%2", status.headline)
        self.state.setText(text)
        self.state.setToolTip(self._state_tip(status))
        self._show_progress(status.progress if state is State.SYNCING else None)
        if status.pending:
            self.pending.setText(self.tr("%n change(s) to send", "", status.pending))
        else:
            self.pending.setText(self.tr("nothing to send"))
        self.attention.setVisible(status.attention > 0)
        self.attention.setText(self.tr("%n need(s) attention", "", status.attention))
        self.sync_now.setEnabled(self._sync.configured and state is not State.NOT_CONFIGURED)
        self._show_last_sync()

    def _retranslate(self) -> None:
        """The texts that do not change with the status."""
        self.pending.setToolTip(
            self.tr("Changes saved on this PC that the central has not received yet")
        )
        self.attention.setToolTip(
            self.tr("Changes the central did not accept: see why and what to do")
        )
        self.sync_now.setText(self.tr("Sync now"))
        self.sync_now.setShortcut(SYNC_NOW_KEY)  # after the text: setText resets a shortcut
        self.sync_now.setToolTip(
            self.tr("Send your changes to the central and fetch new data now (%1)").replace(
                "%1", SYNC_NOW_KEY.toString(QKeySequence.SequenceFormat.NativeText)
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.show_status(self._status)
        super().changeEvent(event)

    def _state_text(self, status: SyncStatus) -> str:
        words = {
            State.ONLINE: self.tr("Online"),
            State.OFFLINE: self.tr("Offline"),
            State.ERROR: self.tr("Sync failed"),
            State.LOGIN_NEEDED: self.tr("Log in again to send"),
            State.NOT_CONFIGURED: self.tr("Not connected to a central"),
        }
        if status.state is State.SYNCING:
            if status.progress is not None and status.progress.phase == "pull":
                return self.tr("Receiving…")
            return self.tr("Sending…")
        return words[status.state]

    def _state_tip(self, status: SyncStatus) -> str:
        lines = [status.message] if status.message else []
        if status.waiting_authors:
            lines.append(
                self.tr("Waiting for: %1").replace("%1", ", ".join(status.waiting_authors))
            )
        if status.state is State.OFFLINE:
            lines.append(self.tr("The program checks for the connection by itself."))
        if status.detail:
            lines.append(self.tr("Details: %1").replace("%1", status.detail))
        if not lines and status.state is State.ONLINE:
            lines.append(self.tr("Connected to the central"))
        return "\n".join(lines)

    def _show_progress(self, progress: SyncProgress | None) -> None:
        self.progress.setVisible(progress is not None)
        if progress is None:
            return
        if progress.phase == "pull" or not progress.ops_total:
            self.progress.setRange(0, 0)  # busy: the pull's size is not known ahead
            self.progress.setFormat(
                self.tr("%n row(s) received", "", progress.rows_pulled)
                if progress.phase == "pull"
                else ""
            )
        else:
            self.progress.setRange(0, progress.ops_total)
            self.progress.setValue(min(progress.ops_done, progress.ops_total))
            self.progress.setFormat(
                self.tr("%1 of %2")
                .replace("%1", f"{progress.ops_done:,}")
                .replace("%2", f"{progress.ops_total:,}")
            )
        size = QLocale().formattedDataSize
        tip = self.tr("Sent %1 of about %2, received %3").replace("%1", size(progress.bytes_sent))
        tip = tip.replace("%2", size(max(progress.bytes_total, progress.bytes_sent)))
        self.progress.setToolTip(tip.replace("%3", size(progress.bytes_received)))

    # --- the last sync ----------------------------------------------------------------------

    def _show_last_sync(self) -> None:
        at = self._status.last_sync
        if at is None:
            self.last_sync.setText(self.tr("Never synced"))
            self.last_sync.setToolTip("")
            return
        self.last_sync.setText(self.tr("Last sync %1").replace("%1", self.ago(at)))
        local = at.astimezone()
        self.last_sync.setToolTip(
            self.tr("%1 at %2")
            .replace("%1", thai.format_date_be(local.date(), "long"))
            .replace("%2", local.strftime("%H:%M"))
        )

    def ago(self, at: dt.datetime, now: dt.datetime | None = None) -> str:
        """``at`` as a person would say it: just now, 5 minutes ago, today 14:05, yesterday
        09:30, or a Buddhist-era date with the time."""
        now = (now or dt.datetime.now(dt.UTC)).astimezone()
        local = at.astimezone(now.tzinfo)
        seconds = (now - local).total_seconds()
        clock = local.strftime("%H:%M")
        if seconds < 60:
            return self.tr("just now")
        if seconds < 3600:
            return self.tr("%n minute(s) ago", "", int(seconds // 60))
        if local.date() == now.date():
            return self.tr("today at %1").replace("%1", clock)
        if local.date() == now.date() - dt.timedelta(days=1):
            return self.tr("yesterday at %1").replace("%1", clock)
        return (
            self.tr("%1 at %2")
            .replace("%1", thai.format_date_be(local.date(), "short"))
            .replace("%2", clock)
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._show_last_sync()
        self._clock.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._clock.stop()
        super().hideEvent(event)
