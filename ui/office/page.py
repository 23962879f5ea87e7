"""What the office pages share (issue 14): a page that works at the central as the user at
the PC, with a notice when it cannot, an error line, a table and a row of actions.

Each call goes through the task runner's network lane (:meth:`OfficePage.call`): the
user's session is read from the keyring here, on the main thread
(:func:`sync.client.office.session_of`), and the worker gets an
:class:`~sync.client.office.OfficeClient` and plain arguments only. Every call has an error
path: the central unreachable, or no session there, turns the page "offline" (the notice
says accounts and PCs need the central; the actions are off, Refresh stays); any other
refusal is said on the error line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sync.client import account
from sync.client.errors import AuthFailed, CentralError, Forbidden, KeyringUnavailable, Offline
from sync.client.office import NoSession, OfficeClient, session_of
from ui.dialogs import error_label, notice_label, title_label
from ui.sync_status import advice, classify, detail_of
from ui.tables import ActivatingTable
from ui.tasks import Lane, Task, TaskRunner

REFRESH_KEY = QKeySequence.StandardKey.Refresh  # F5


class OfficePage(QWidget):
    """A page of the office area (see the module doc). Subclasses fill :attr:`table` in
    :meth:`refresh` and say their words in :meth:`retranslate`."""

    def __init__(
        self,
        session: Any,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        central: Any = None,
        name: str,
        columns: int,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.session, self._runner, self._central = session, runner, central
        self.online = False  # the last call reached the central
        self.busy = 0  # calls under way
        self.confirmation: QMessageBox | None = None
        self.this_device: str | None = None  # this PC's id at the central, once known
        self.title = title_label(f"{name}Title")
        self.notice = notice_label(f"{name}Notice")
        self.error = error_label(f"{name}Error")
        self.status = QLabel(objectName=f"{name}Status", wordWrap=True)
        self.table = ActivatingTable(0, columns, objectName=f"{name}Table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.itemSelectionChanged.connect(self.update_actions)
        self.actions_row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        self.commands: dict[str, QAction] = {}
        self.refresh_button = self.command("refresh", self.refresh, REFRESH_KEY)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.notice, self.error):
            layout.addWidget(widget)
        layout.addLayout(self.actions_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

    # --- actions --------------------------------------------------------------------------

    def command(
        self, name: str, slot: Callable[[], object], key: QKeySequence | str | Any = None
    ) -> QPushButton:
        """An action of the page: a button, and its shortcut while the page has focus."""
        action = QAction(self, objectName=f"action_{name}")
        if key is not None:
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        button = QPushButton(objectName=f"{self.objectName()}_{name}")
        button.clicked.connect(action.trigger)
        self.actions_row.addWidget(button)
        self.buttons[name], self.commands[name] = button, action
        return button

    def label_command(self, name: str, text: str) -> None:
        """``text`` on the button and action ``name``, with the shortcut in its tooltip."""
        action, button = self.commands[name], self.buttons[name]
        action.setText(text)
        button.setText(text)
        key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        plain = text.replace("&", "")
        button.setToolTip(f"{plain} ({key})" if key else plain)

    def enable(self, name: str, on: bool) -> None:
        self.commands[name].setEnabled(on)
        self.buttons[name].setEnabled(on)

    def update_actions(self) -> None:
        """Enable what the selection and the link allow (subclasses add theirs)."""
        self.enable("refresh", self.busy == 0)

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def confirm(self, text: str, yes: str, then: Callable[[], object]) -> QMessageBox:
        """Ask before doing ``then`` (a message box, open without blocking)."""
        box = QMessageBox(QMessageBox.Icon.Question, self.title.text() or " ", text,
                          parent=self)  # fmt: skip
        box.setObjectName(f"{self.objectName()}Confirm")
        ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(
            QCoreApplication.translate("OfficePage", "Cancel"), QMessageBox.ButtonRole.RejectRole
        )
        box.setDefaultButton(QMessageBox.StandardButton.NoButton)
        box.setEscapeButton(QMessageBox.StandardButton.NoButton)
        box.buttonClicked.connect(lambda clicked: then() if clicked is ok else None)
        self.confirmation = box
        box.open()
        return box

    # --- the central ----------------------------------------------------------------------

    def office(self) -> OfficeClient:
        """The user's calls at the central (the keyring: main thread)."""
        if self._central is None:
            raise NoSession("this PC has no central")
        found = session_of(self._central.store, self.session.username)
        self.this_device = found.device.device_id
        return OfficeClient(self._central.client, found)

    def call(
        self,
        method: str,
        *args: Any,
        done: Callable[[Any], object],
        failed: Callable[[BaseException], object] | None = None,
    ) -> None:
        """``OfficeClient.<method>(*args)`` on the network lane; ``done(answer)`` after."""
        try:
            office = self.office()
        except (NoSession, account.NotRegistered, KeyringUnavailable) as exc:
            self.went_offline(exc)
            return
        self.busy += 1
        self.error.hide()
        self.update_actions()
        Task(getattr(office, method), *args).on_success(
            lambda answer: self._finished(done, answer)
        ).on_failure(lambda exc: self._finished(failed or self.failed, exc)).bound_to(self).run_on(
            self._runner, Lane.NET
        )

    def _finished(self, then: Callable[[Any], object], outcome: Any) -> None:
        self.busy = max(0, self.busy - 1)
        if not isinstance(outcome, BaseException):
            self.came_online()
        then(outcome)
        self.update_actions()

    def came_online(self) -> None:
        self.online = True
        self.notice.hide()

    def went_offline(self, exc: BaseException) -> None:
        """The central cannot be reached, or not as this user: say so, actions off."""
        self.online = False
        self.notice.setText(self.needs_central(exc))
        self.notice.show()
        self.update_actions()

    def failed(self, exc: BaseException) -> None:
        gone = (Offline, AuthFailed, NoSession, account.NotRegistered, KeyringUnavailable)
        if isinstance(exc, gone):
            self.went_offline(exc)
            return
        self.error.setText(self.explain(exc))
        self.error.show()

    # --- words ----------------------------------------------------------------------------

    def needs_central(self, exc: BaseException) -> str:
        """Why the page cannot work now, in words (subclasses name what needs the central)."""
        if self._central is None or isinstance(exc, account.NotRegistered):
            return QCoreApplication.translate(
                "OfficePage",
                "This PC is not registered with a central, and this page works only there.",
            )
        if isinstance(exc, NoSession) or (isinstance(exc, AuthFailed) and not exc.device_problem):
            return QCoreApplication.translate(
                "OfficePage",
                "Your session at the central has ended. Lock the program (Ctrl+L) and log "
                "in again while the central can be reached, then press Refresh.",
            )
        if isinstance(exc, AuthFailed):
            return QCoreApplication.translate(
                "OfficePage", "The central no longer knows this PC: it must be registered again."
            )
        if isinstance(exc, KeyringUnavailable):
            return QCoreApplication.translate(
                "OfficePage",
                "This computer's secure password store cannot be used, so this PC cannot "
                "talk to the central.",
            )
        return self.offline_text()

    def offline_text(self) -> str:
        """What the page says when the central cannot be reached (each page its own)."""
        raise NotImplementedError(type(self).__name__)

    def explain(self, exc: BaseException) -> str:
        code = getattr(exc, "code", "")
        if isinstance(exc, Forbidden) and code == "forbidden":
            return QCoreApplication.translate(
                "OfficePage",
                "The central refused: only an organization admin of this office may do this.",
            )
        if isinstance(exc, Forbidden) and code == "password_change_required":
            return QCoreApplication.translate(
                "OfficePage", "Change your one-time password first (your menu: Change password)."
            )
        if isinstance(exc, CentralError) and code == "not_found":
            return QCoreApplication.translate(
                "OfficePage", "The central has no such entry any more: press Refresh."
            )
        if isinstance(exc, CentralError):
            _, reason = classify(exc)
            return f"{advice(reason)} ({detail_of(exc)})"
        return QCoreApplication.translate("OfficePage", "Something went wrong: %1").replace(
            "%1", detail_of(exc)
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.label_command("refresh", QCoreApplication.translate("OfficePage", "Re&fresh"))

    def refresh(self) -> None:
        """Read the page's rows from the central again (each page its own)."""
        raise NotImplementedError(type(self).__name__)
