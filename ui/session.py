"""Who is at the PC, and keeping others out when they step away (DESIGN.md §5).

- :class:`Session`: the logged-in user as plain data. The main window and the screens it
  opens receive it (``MainWindow(..., session=session)``) and act as ``session.user_id``.
  A switch of user makes a new main window with the new session; a session never changes.
- :class:`InactivityWatch`: an event filter on the application that notes the user's last
  key, click or wheel, and says ``idle`` once none came for the configured minutes.
- :class:`Curtain`: covers a window's content while the session is locked, so personal
  data is not on screen for whoever passes by; the window's state (an editor half filled,
  a modal dialog) is left as it is underneath.
- :class:`SessionMenu`: the user's menu in the main window: lock, switch user, change
  password, settings, items needing attention.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QVBoxLayout, QWidget

from app.domain.entities import Role, User


@dataclass(frozen=True)
class Session:
    """The user logged in at this PC: what screens need to act as them."""

    user_id: str
    username: str
    display_name: str
    role: Role
    org_id: str
    scope_org_ids: tuple[str, ...] = ()

    @classmethod
    def of(cls, user: User) -> Session:
        return cls(
            user_id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=Role(user.role),
            org_id=user.org_id,
            scope_org_ids=tuple(user.scope_org_ids),
        )

    @property
    def scope(self) -> frozenset[str]:
        return frozenset((self.org_id, *self.scope_org_ids))

    @property
    def decides(self) -> bool:
        """A supervisor approves and returns submissions (never their own)."""
        return self.role is Role.SUPERVISOR


# What counts as the user being there: input, not a timer or a repaint.
ACTIVITY = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.InputMethod, QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress,
})  # fmt: skip


class InactivityWatch(QObject):
    """Emits :attr:`idle` once no input reached the application for ``timeout_s``.

    The filter only notes the time of each input; one single-shot timer looks at it when
    the time could be up, so a moving mouse costs a clock read, not a timer restart.
    Stopped until :meth:`start`, and after :attr:`idle` until started again.
    """

    idle = Signal()

    def __init__(self, timeout_s: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timeout_s = timeout_s
        self._last = time.monotonic()
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._check)
        self._installed = False

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self._last = time.monotonic()
        self._arm(self.timeout_s)

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    def set_timeout(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        if self.active:
            self._check()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY:
            self._last = time.monotonic()
        return False

    def _arm(self, seconds: float) -> None:
        self._timer.start(max(0, round(seconds * 1000)))

    def _check(self) -> None:
        left = self.timeout_s - (time.monotonic() - self._last)
        if left > 0:
            self._arm(left)
            return
        self.stop()
        self.idle.emit()


class Curtain(QWidget):
    """An opaque cover over ``window``'s content that follows its size."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("sessionCurtain")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#sessionCurtain { background: palette(window); }")
        self.label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        self._retranslate()
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.raise_()
        self.show()

    def _retranslate(self) -> None:
        self.label.setText(self.tr("🔒 Locked: log in again to see this window"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def lift(self) -> None:
        """Take the cover away for good."""
        if self.parent() is not None:
            self.parent().removeEventFilter(self)
        self.hide()
        self.deleteLater()


def cover_windows(keep: QWidget | None = None) -> list[Curtain]:
    """A curtain over each visible window of the application except ``keep`` (the lock
    dialog); open menus and popups are closed first."""
    while (popup := QApplication.activePopupWidget()) is not None:
        popup.close()
    windows = [
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and w is not keep and not isinstance(w, QMenu)
        and w.windowType() not in (Qt.WindowType.ToolTip, Qt.WindowType.Popup)
    ]  # fmt: skip
    return [Curtain(w) for w in windows]


class SessionMenu(QMenu):
    """The logged-in user's menu: titled with their name, it locks the session, switches
    user, and opens the settings and the items needing attention."""

    lock_requested = Signal()
    switch_requested = Signal()
    settings_requested = Signal()
    attention_requested = Signal()
    password_requested = Signal()

    LOCK_KEY = QKeySequence("Ctrl+L")
    SWITCH_KEY = QKeySequence("Ctrl+Shift+L")

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionMenu")
        self.session = session
        self.who = QAction(self, enabled=False)
        self.lock = QAction(self, shortcut=self.LOCK_KEY)
        self.switch = QAction(self, shortcut=self.SWITCH_KEY)
        self.attention = QAction(self)
        self.settings = QAction(self)
        self.password = QAction(self, objectName="action_change_password")
        self.password.triggered.connect(self.password_requested)
        self.lock.triggered.connect(self.lock_requested)
        self.switch.triggered.connect(self.switch_requested)
        self.attention.triggered.connect(self.attention_requested)
        self.settings.triggered.connect(self.settings_requested)
        self.settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        for action in (self.lock, self.switch, self.attention, self.settings):
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.addAction(self.who)
        self.addSeparator()
        self.addActions([self.lock, self.switch, self.password])
        self.addSeparator()
        self.addActions([self.attention, self.settings])
        self._retranslate()

    def _retranslate(self) -> None:
        self.setTitle(self.session.display_name or self.session.username)
        roles = {
            Role.CLERK: self.tr("clerk"),
            Role.SUPERVISOR: self.tr("supervisor"),
            Role.ORG_ADMIN: self.tr("organization admin"),
            Role.AUDITOR: self.tr("auditor"),
        }
        self.who.setText(
            self.tr("%1 (%2)")
            .replace("%1", self.session.username)
            .replace("%2", roles[self.session.role])
        )
        self.lock.setText(self.tr("&Lock"))
        self.switch.setText(self.tr("S&witch user…"))
        self.password.setText(self.tr("Change &password…"))
        self.attention.setText(self.tr("Changes the central did not &accept…"))
        self.settings.setText(self.tr("&Settings…"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
