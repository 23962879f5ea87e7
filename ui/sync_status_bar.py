"""The sync part of the main window's status bar, always in view (DESIGN.md §7).

It shows what :class:`~ui.background_sync.BackgroundSync` publishes: the state in a word
with its reason beside it (the whole advice in the tooltip), a progress bar while syncing,
how many changes wait to be sent, how many need attention (a button that opens the list),
when the last sync ended, and a "Sync now" button (F5).

It fits a 1,024-pixel window in Thai, in English and in a language 1.7 times as long as
English: each item says its part in a few words (the details are in its tooltip); when the
row runs short the reason gives way first, shortened with "…" (:class:`ElidedLabel`), and
when even that is not enough the bar takes two lines (the state and the last sync above,
the counts below, "Sync now" as an icon). The state, the counts, the last sync and the
progress are never cut.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QLocale, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QHideEvent, QKeySequence, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QStatusBar,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import thai
from ui.background_sync import BackgroundSync
from ui.sync_status import State, SyncProgress, SyncStatus

SYNC_NOW_KEY = QKeySequence(Qt.Key.Key_F5)
PROGRESS_WIDTH = 110
REASON_COLOR = "#5f6368"
SPACING = 8
#: The least of the reason that is worth showing (in average characters) before the bar
#: takes two lines.
REASON_CHARS = 8
#: How often "5 min ago" is brought up to date while the bar is shown.
REFRESH_MS = 30_000

COLORS = {
    State.ONLINE: "#2e7d32",
    State.SYNCING: "#1565c0",
    State.OFFLINE: "#757575",
    State.NOT_CONFIGURED: "#9e9e9e",
    State.LOGIN_NEEDED: "#e65100",
    State.ERROR: "#c62828",
}


def _least_width(widgets: tuple[QWidget, ...]) -> int:
    """The least width of ``widgets`` side by side (those hidden left out)."""
    shown = [w for w in widgets if not w.isHidden()]
    return sum(w.minimumSizeHint().width() for w in shown) + SPACING * max(0, len(shown) - 1)


def _separator(parent: QWidget) -> QFrame:
    line = QFrame(parent, frameShape=QFrame.Shape.VLine, frameShadow=QFrame.Shadow.Sunken)
    line.setFixedHeight(16)
    return line


class ElidedLabel(QLabel):
    """A one-line label that asks for room for its whole text but takes less when the row
    is short, and then shows the start of its text ending in "…". Its ``elide`` property
    tells the clipping checks that this is on purpose."""

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.setProperty("elide", True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:
        least = self.fontMetrics().averageCharWidth() * REASON_CHARS
        whole = super().minimumSizeHint()
        return QSize(min(least, whole.width()), whole.height())

    def shown_text(self) -> str:
        """What fits of the text, as drawn."""
        width = self.contentsRect().width()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, width)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(self.contentsRect(), align, self.shown_text())
        painter.end()


class SyncStatusBar(QWidget):
    #: The user clicked the count of items needing attention.
    attention_clicked = Signal()

    def __init__(self, sync: BackgroundSync, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sync = sync
        self._status = sync.status
        self.dot = QLabel("●", objectName="syncDot")
        self.state = QLabel(objectName="syncState")
        self.reason = ElidedLabel(objectName="syncReason")
        palette = self.reason.palette()
        palette.setColor(self.reason.foregroundRole(), QColor(REASON_COLOR))
        self.reason.setPalette(palette)
        self.progress = QProgressBar(objectName="syncProgress")
        self.progress.setFixedWidth(PROGRESS_WIDTH)
        self.progress.setMaximumHeight(18)
        self.progress.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pending = QLabel(objectName="syncPending")
        self.attention = QToolButton(objectName="syncAttention")
        self.attention.setAutoRaise(True)
        self.attention.setStyleSheet("color: #c62828; font-weight: bold;")
        self.attention.clicked.connect(self.attention_clicked)
        self.last_sync = QLabel(objectName="syncLast")
        self.sync_now = QToolButton(objectName="syncNow")
        self.sync_now.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.sync_now.clicked.connect(sync.sync_now)
        # "Sync now" as it is on one line, to measure while the bar is on two
        self._sync_now_words = QToolButton(self, visible=False)
        self.state_group = (self.dot, self.state, self.reason, self.progress)
        self.count_group = (self.pending, self.attention)
        self.last_group = (self.last_sync, self.sync_now)
        self._separators = (_separator(self), _separator(self))
        self.rows = (QHBoxLayout(), QHBoxLayout())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(0)
        for row in self.rows:
            row.setSpacing(SPACING)
            layout.addLayout(row)
        self.two_lines = True
        self._arrange(False)
        self._watched: QStatusBar | None = None
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
        self.state.setText(self._state_text(status))
        shown = status.headline and state not in (State.NOT_CONFIGURED, State.LOGIN_NEEDED)
        self.reason.setText(status.headline if shown else "")
        self.reason.setVisible(bool(shown))
        tip = self._state_tip(status)
        self.state.setToolTip(tip)
        self.reason.setToolTip(tip)
        self._show_progress(status.progress if state is State.SYNCING else None)
        if status.pending:
            self.pending.setText(self.tr("%n to send", "", status.pending))
        else:
            self.pending.setText(self.tr("all sent"))
        self.attention.setVisible(status.attention > 0)
        self.attention.setText(self.tr("%n to check", "", status.attention))
        self.sync_now.setEnabled(self._sync.configured and state is not State.NOT_CONFIGURED)
        self._show_last_sync()
        self._fit()

    # --- one line or two ------------------------------------------------------------------

    def _arrange(self, two_lines: bool) -> None:
        """One line: state | counts | last sync. Two: state | last sync, then the counts."""
        if two_lines == self.two_lines:
            return
        self.two_lines = two_lines
        for row in self.rows:
            while row.takeAt(0) is not None:
                pass
        first, second = self._separators
        if two_lines:
            lines = [[*self.state_group, second, *self.last_group], [*self.count_group]]
        else:
            lines = [[*self.state_group, first, *self.count_group, second, *self.last_group], []]
        first.setVisible(not two_lines)
        for row, widgets in zip(self.rows, lines, strict=True):
            for widget in widgets:
                row.addWidget(widget)
            row.addStretch(1)
        self.sync_now.setToolButtonStyle(
            Qt.ToolButtonStyle.ToolButtonIconOnly
            if two_lines
            else Qt.ToolButtonStyle.ToolButtonTextOnly
        )
        self.layout().invalidate()

    def _fit(self) -> None:
        """Two lines when the status bar cannot give one line its least width."""
        bar = self._watched
        layout = bar.layout() if bar is not None else None
        if bar is None or layout is None or not bar.isVisible():
            return
        others = layout.minimumSize().width() - self.minimumSizeHint().width()
        self._arrange(self.one_line_width() > bar.width() - others)

    def one_line_width(self) -> int:
        """The least width of the bar on one line (the reason as short as it may be)."""
        groups = (self.state_group, self.count_group, self.last_group)
        widths = [_least_width(g) for g in groups if _least_width(g)]
        if self.two_lines and not self.sync_now.isHidden():  # an icon now; words on one line
            words = self._sync_now_words.minimumSizeHint().width()
            widths[-1] += words - self.sync_now.minimumSizeHint().width()
        separator = self._separators[0].sizeHint().width() + 2 * SPACING
        margins = self.layout().contentsMargins()
        return sum(widths) + separator * (len(widths) - 1) + margins.left() + margins.right()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched and event.type() in (
            QEvent.Type.Resize, QEvent.Type.LayoutRequest, QEvent.Type.Show
        ):  # fmt: skip
            self._fit()
        return False

    def _retranslate(self) -> None:
        """The texts that do not change with the status."""
        self.pending.setToolTip(
            self.tr("Changes saved on this PC that the central has not received yet")
        )
        self.attention.setToolTip(
            self.tr("Changes the central did not accept: see why and what to do")
        )
        self.sync_now.setText(self.tr("Sync now"))
        self._sync_now_words.setText(self.sync_now.text())
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
            State.LOGIN_NEEDED: self.tr("Log in to send"),
            State.NOT_CONFIGURED: self.tr("No central"),
        }
        if status.state is State.SYNCING:
            progress = status.progress
            if progress is not None and progress.phase == "pull":
                if progress.rows_pulled:
                    return self.tr("%n row(s) received", "", progress.rows_pulled)
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
        if status.state is State.LOGIN_NEEDED:
            lines.insert(0, self.tr("Log in again online: your changes wait to be sent."))
        if status.state is State.NOT_CONFIGURED:
            lines.insert(0, self.tr("This PC is not connected to a central."))
        if not lines and status.state is State.ONLINE:
            lines.append(self.tr("Connected to the central"))
        return "\n".join(lines)

    def _show_progress(self, progress: SyncProgress | None) -> None:
        self.progress.setVisible(progress is not None)
        if progress is None:
            self.progress.setFixedWidth(PROGRESS_WIDTH)
            return
        if progress.phase == "pull" or not progress.ops_total:
            # Busy: the pull's size is not known ahead (a busy bar shows no text: the rows
            # received so far are in the state's words).
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, progress.ops_total)
            self.progress.setValue(min(progress.ops_done, progress.ops_total))
            self.progress.setFormat(
                self.tr("%1 of %2")
                .replace("%1", f"{progress.ops_done:,}")
                .replace("%2", f"{progress.ops_total:,}")
            )
        # As wide as its text (never narrower during a sync, so it does not jitter)
        need = self.progress.fontMetrics().horizontalAdvance(self.progress.text()) + 24
        self.progress.setFixedWidth(max(need, self.progress.width(), PROGRESS_WIDTH))
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
        self.last_sync.setText(self.tr("Synced %1").replace("%1", self.ago(at)))
        local = at.astimezone()
        self.last_sync.setToolTip(
            self.tr("The last sync that went well: %1").replace(
                "%1",
                self.tr("%1 at %2")
                .replace("%1", thai.format_date_be(local.date(), "long"))
                .replace("%2", local.strftime("%H:%M")),
            )
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
            return self.tr("%n min ago", "", int(seconds // 60))
        if local.date() == now.date():
            return self.tr("today %1").replace("%1", clock)
        if local.date() == now.date() - dt.timedelta(days=1):
            return self.tr("yesterday %1").replace("%1", clock)
        return (
            self.tr("%1 at %2")
            .replace("%1", thai.format_date_be(local.date(), "short"))
            .replace("%2", clock)
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        bar = self.parentWidget()
        if bar is not self._watched and isinstance(bar, QStatusBar):
            if self._watched is not None:
                self._watched.removeEventFilter(self)
            self._watched = bar
            bar.installEventFilter(self)
        self._show_last_sync()
        self._clock.start()
        self._fit()

    def hideEvent(self, event: QHideEvent) -> None:
        self._clock.stop()
        super().hideEvent(event)
