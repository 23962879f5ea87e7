"""Logging in, and unlocking a locked session (DESIGN.md §5).

:class:`Authenticator` decides a login; :class:`LoginDialog` asks for it.

- A user who has logged in online on this PC before logs in **offline**, against the
  verifier kept in the local database (``users.login_offline``). If their session token
  is missing or expired, a new one is fetched in the background when the central answers
  (the sync needs it to send their work); a failure there only means later.
- A user's **first** login on this PC is **online**: the central checks the password and
  gives a token, kept in the keyring; then a sync brings the office's data, the user's own
  row with its verifier among it, and the local check makes the session.
- A password the local verifier refuses is tried at the central too when it answers (an
  admin may have reset it there); when it does not, the local verdict stands.
- A login the central answers with ``must_change_password`` (a one-time password: an admin's
  reset, a new account) stops there: :attr:`Authenticator.password_change_required` asks for
  a new password (:class:`ui.change_password.ChangePasswordDialog`, which the login dialog
  opens), and the login goes on with the new one once the central took it; without it, no
  login.
- Every login unlocks the user's signing key with their password (made at a login on a PC
  with a central when they have none that unlocks: :mod:`app.services.user_keys`): from
  then on it signs the ops they make, and their queued unsigned ops are signed.

Network work runs on the task runner's network lane, database work on its database lane,
and the keyring is read and written here, on the main thread (STYLE.md).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.entities import User
from app.domain.errors import AuthenticationFailed
from app.services import sync_log, user_keys, users
from app.store.db import Database
from sync.client import account
from sync.client.credentials import CredentialStore, DeviceCredential, UserToken
from sync.client.engine import Credentials, SyncEngine
from sync.client.engine import Progress as EngineProgress
from sync.client.errors import (
    AuthFailed,
    Forbidden,
    KeyringUnavailable,
    Offline,
    TooManyAttempts,
)
from sync.client.office import CentralSession, OfficeClient
from sync.client.transport import CentralClient
from sync.protocol import LoginResponse
from ui import texts
from ui.change_password import ChangePasswordDialog
from ui.dialogs import WorkDialog, notice_label, title_label
from ui.session import Session
from ui.sync_status import advice, classify, detail_of
from ui.tasks import Lane, Progress, Task, TaskHandle, TaskRunner

log = logging.getLogger(__name__)

POLL_MS = 150


@dataclass(frozen=True)
class CentralLink:
    """This PC's way to its central: the client, the credential store and the sync engine
    (one each per program run; the engine's client is ``client``)."""

    client: CentralClient
    store: CredentialStore
    engine: SyncEngine


@dataclass(frozen=True)
class PendingChange:
    """A login held until the user changes their one-time password."""

    username: str
    one_time: str
    response: LoginResponse
    device: DeviceCredential

    def __repr__(self) -> str:
        return f"PendingChange({self.username!r})"


class AccountMissing(Exception):
    """The central accepted the login but the user's row did not arrive with the sync."""


def _local_login(db: Database, username: str, password: str, linked: bool) -> User | None:
    """The user's session from the local verifier; None while they have never logged in
    online here (their first login must be online)."""
    if not users.logged_in_online_here(db, username):
        return None
    return _with_key(db, users.login_offline(db, username, password), password, make=linked)


def _with_key(db: Database, user: User, password: str, *, make: bool) -> User:
    """The user's signing key unlocked with their password (made when it is missing or no
    longer unlocks, on a PC with a central) signs their ops from now on; nobody else's."""
    user_keys.at_login(db, user.id, password, make=make)
    return user


def _first_sync(
    engine: SyncEngine,
    credentials: Credentials,
    watched: EngineProgress,
    user_id: str,
    password: str,
    *,
    progress: Progress,
) -> None:
    # the user's signing key first (made if need be), so that this sync registers it
    user_keys.unlock(engine.db, user_id, password, make=True)
    engine.sync(credentials, cancel=progress, progress=watched)
    sync_log.record_success(engine.db)


def _finish_online(db: Database, username: str, password: str) -> User:
    """After the sync: the row is here; remember the online login and check it locally."""
    if not users.record_online_login(db, username):
        raise AccountMissing(username)
    return _with_key(db, users.login_offline(db, username, password), password, make=True)


class Authenticator(QObject):
    """Decides logins (see the module doc). One at a time; :meth:`cancel` drops it."""

    #: The :class:`Session` of the user who logged in.
    succeeded = Signal(object)
    #: Words for the user: why not.
    failed = Signal(str)
    #: What is being done now (for a status line).
    step = Signal(str)
    #: A user's token was saved (a sync may now send their work).
    token_saved = Signal(str)
    #: The central wants a new password first: a :class:`PendingChange`; answer with
    #: :meth:`password_changed` or :meth:`password_not_changed`.
    password_change_required = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        link: CentralLink | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._db = db
        self.link = link
        self._handle: TaskHandle | None = None
        self._watched: EngineProgress | None = None
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self._show_progress)

    @property
    def runner(self) -> TaskRunner:
        return self._runner

    @property
    def busy(self) -> bool:
        return self._handle is not None and not self._handle.finished

    def log_in(self, username: str, password: str) -> None:
        username = username.strip().lower()
        if not username or not password:
            self.failed.emit(self.tr("Type your username and password."))
            return
        self.step.emit(self.tr("Checking your password…"))
        self._run(
            Task(_local_login, self._db, username, password, self.link is not None)
            .on_success(functools.partial(self._local_done, username, password))
            .on_failure(functools.partial(self._local_failed, username, password)),
            Lane.DB,
        )

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._stop_polling()

    # --- offline ------------------------------------------------------------------------------

    def _local_done(self, username: str, password: str, user: User | None) -> None:
        if user is None:
            self._online(username, password, local_refused=False)
            return
        self.succeeded.emit(Session.of(user))
        self._refresh_token(username, password)

    def _local_failed(self, username: str, password: str, exc: BaseException) -> None:
        if isinstance(exc, AuthenticationFailed) and self.link is not None:
            self._online(username, password, local_refused=True)
        elif isinstance(exc, AuthenticationFailed):
            self.failed.emit(self.wrong_password())
        else:
            self._fail(exc)

    def _refresh_token(self, username: str, password: str) -> None:
        """A new token in the background when this user has none (or an expired one)."""
        if self.link is None:
            return
        try:
            if self.link.store.token(username) is not None:
                return
            device = account.device(self.link.store)
        except (account.NotRegistered, KeyringUnavailable) as exc:
            log.info("no new token for %s: %s", username, detail_of(exc))
            return
        Task(self.link.client.login, device, username, password).on_success(
            functools.partial(self._save_token, username)
        ).on_failure(
            lambda exc: log.info("no new token for %s yet: %s", username, detail_of(exc))
        ).bound_to(self).run_on(self._runner, Lane.NET)

    def _save_token(self, username: str, response: LoginResponse) -> bool:
        assert self.link is not None
        try:
            self.link.store.save_token(UserToken.from_login(username, response))
        except KeyringUnavailable as exc:
            log.warning("the token of %s could not be kept: %s", username, exc.reason)
            return False
        self.token_saved.emit(username)
        return True

    # --- online -------------------------------------------------------------------------------

    def _online(self, username: str, password: str, *, local_refused: bool) -> None:
        if self.link is None:
            self.failed.emit(self.first_login_offline())
            return
        try:
            device = account.device(self.link.store)  # the keyring: main thread
        except (account.NotRegistered, KeyringUnavailable) as exc:
            self.failed.emit(self.wrong_password() if local_refused else self.explain(exc))
            return
        self.step.emit(self.tr("Checking your password at the central…"))
        self._run(
            Task(self.link.client.login, device, username, password)
            .on_success(functools.partial(self._logged_in_online, device, username, password))
            .on_failure(functools.partial(self._online_failed, local_refused)),
            Lane.NET,
        )

    def _logged_in_online(
        self, device: DeviceCredential, username: str, password: str, response: LoginResponse
    ) -> None:
        if response.must_change_password:
            self.step.emit(self.tr("Choose your own password…"))
            self.password_change_required.emit(PendingChange(username, password, response, device))
            return
        self._online_ok(username, password, response)

    def change_for(self, pending: PendingChange):
        """The call that changes ``pending``'s one-time password (for the network lane)."""
        assert self.link is not None
        office = OfficeClient(
            self.link.client, CentralSession(pending.device, pending.response.token)
        )
        return office.change_password

    def password_changed(self, pending: PendingChange, new_password: str) -> None:
        """The central took the new password: the login goes on with it."""
        response = pending.response.model_copy(update={"must_change_password": False})
        self._online_ok(pending.username, new_password, response)

    def password_not_changed(self) -> None:
        """The user would not change it: no login."""
        self.failed.emit(
            self.tr(
                "Your password was set by an administrator for one use only: you must "
                "choose your own before you can log in."
            )
        )

    def _online_ok(self, username: str, password: str, response: LoginResponse) -> None:
        assert self.link is not None
        if not self._save_token(username, response):
            self.failed.emit(self.explain(KeyringUnavailable("the token could not be saved")))
            return
        try:
            credentials = account.credentials(self._db, self.link.store, pull_as=username)
        except (account.NotRegistered, KeyringUnavailable) as exc:
            self._fail(exc)
            return
        self._watched = EngineProgress()
        user_id = response.user.id
        self.step.emit(self.tr("Receiving your office's data…"))
        self._poll.start()
        self._run(
            Task(_first_sync, self.link.engine, credentials, self._watched, user_id, password)
            .with_progress()
            .on_success(lambda _none: self._synced(username, password))
            .on_failure(self._fail),
            Lane.NET,
        )

    def _synced(self, username: str, password: str) -> None:
        self._stop_polling()
        self._run(
            Task(_finish_online, self._db, username, password)
            .on_success(lambda user: self.succeeded.emit(Session.of(user)))
            .on_failure(self._fail),
            Lane.DB,
        )

    def _online_failed(self, local_refused: bool, exc: BaseException) -> None:
        if local_refused and isinstance(exc, Offline | AuthFailed):
            self.failed.emit(self.wrong_password())  # the local verdict stands
        else:
            self._fail(exc)

    # --- words --------------------------------------------------------------------------------

    def wrong_password(self) -> str:
        return self.tr("The username or password is wrong. Check the keyboard language.")

    def first_login_offline(self) -> str:
        return self.tr(
            "Your first login on this PC must be online, and the central cannot be reached. "
            "Connect to the network and try again; after that you can also log in offline."
        )

    def explain(self, exc: BaseException) -> str:
        """A failed login in words a user can act on."""
        if isinstance(exc, AuthFailed):
            if exc.device_problem:
                return self.tr(
                    "The central no longer knows this PC. An organization admin must "
                    "register it again."
                )
            return self.wrong_password()
        if isinstance(exc, TooManyAttempts):
            return texts.too_many_attempts(exc.retry_after)
        if isinstance(exc, Forbidden):
            return self.tr(
                "The central refused this account here: it may be disabled or belong to "
                "another organization. Ask your organization admin."
            )
        if isinstance(exc, Offline):
            return self.first_login_offline()
        if isinstance(exc, account.NotRegistered):
            return self.tr(
                "This PC is not registered with the central, so only users who logged in "
                "here before can log in (offline)."
            )
        if isinstance(exc, AccountMissing):
            return self.tr(
                "The central accepted your password, but your account did not arrive on "
                "this PC. Try again; if it stays so, tell your organization admin."
            )
        if isinstance(exc, AuthenticationFailed):
            return self.wrong_password()
        _, reason = classify(exc)
        return advice(reason)

    # --- plumbing -----------------------------------------------------------------------------

    def _fail(self, exc: BaseException) -> None:
        self._stop_polling()
        log.info("login failed: %s", detail_of(exc))
        self.failed.emit(self.explain(exc))

    def _run(self, task: Task, lane: Lane) -> None:
        self._handle = task.bound_to(self).run_on(self._runner, lane)

    def _show_progress(self) -> None:
        if self._watched is None:
            return
        rows = self._watched.view().rows_pulled
        if rows:
            self.step.emit(
                self.tr("Receiving your office's data… (%1 rows)").replace("%1", f"{rows:,}")
            )

    def _stop_polling(self) -> None:
        self._poll.stop()
        self._watched = None


class LoginDialog(WorkDialog):
    """Username and password; in locked mode the user is fixed and the dialog cannot be
    closed, only unlocked, switched to another user, or the program quit.

    ``notice`` says something the user must know first (no password store, demo accounts).
    """

    #: The :class:`Session` of whoever logged in (the same or another user).
    logged_in = Signal(object)
    quit_requested = Signal()

    def __init__(
        self,
        auth: Authenticator,
        *,
        locked: Session | None = None,
        username: str = "",
        notice: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("login", parent)
        self.auth = auth
        self.locked = locked
        self._locked_before: Session | None = None  # while switching from a lock
        self.title = title_label("loginTitle")
        self.notice = notice_label("loginNotice", notice)
        self.who = QLabel(objectName="loginWho", wordWrap=True)
        self.username = QLineEdit(username, objectName="loginUsername")
        self.username.setInputMethodHints(Qt.InputMethodHint.ImhLatinOnly)
        self.password = QLineEdit(objectName="loginPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.username_label = QLabel(buddy=self.username)
        self.password_label = QLabel(buddy=self.password)
        self.form.addRow(self.username_label, self.username)
        self.form.addRow(self.password_label, self.password)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(QDialogButtonBox.StandardButton.Ok)
        self.ok.setObjectName("loginOk")
        self.switch = QPushButton(objectName="loginSwitch")
        self.switch.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.buttons.addButton(self.switch, QDialogButtonBox.ButtonRole.ResetRole)
        self.quit = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.quit.setObjectName("loginQuit")
        self.ok.clicked.connect(self._submit)
        self.switch.clicked.connect(self.switch_user)
        self.quit.clicked.connect(self._quit)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        for widget in (self.title, self.notice, self.who):
            layout.addWidget(widget)
        layout.addLayout(self.form)
        for widget in (self.error, self.step, self.busy):
            layout.addWidget(widget)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.change_dialog: ChangePasswordDialog | None = None
        auth.succeeded.connect(self._succeeded)
        auth.failed.connect(self._failed)
        auth.step.connect(self.show_step)
        auth.password_change_required.connect(self._change_password)
        self._show_mode()
        self._retranslate()

    # --- modes --------------------------------------------------------------------------------

    def _show_mode(self) -> None:
        locked = self.locked is not None
        self.username.setVisible(not locked)
        self.username_label.setVisible(not locked)
        self.who.setVisible(locked)
        self.switch.setVisible(locked)
        if locked:
            self.setWindowModality(Qt.WindowModality.ApplicationModal)
            self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
            self.password.setFocus()
        elif self.username.text():
            self.password.setFocus()
        else:
            self.username.setFocus()

    def switch_user(self) -> None:
        """Another user logs in here: the username is asked for (one step, offices share
        PCs); the locked user's work stays as it is underneath until someone logs in."""
        self._locked_before = self.locked or self._locked_before
        self.locked = None
        self.username.clear()
        self.password.clear()
        self.error.hide()
        self._show_mode()
        self._retranslate()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("LocalHR Desk: log in"))
        self.username_label.setText(self.tr("&Username"))
        self.password_label.setText(self.tr("&Password"))
        self.switch.setText(self.tr("S&witch user"))
        self.quit.setText(self.tr("&Quit"))
        if self.locked is not None:
            self.title.setText(self.tr("Locked"))
            self.who.setText(
                self.tr("%1 stepped away. Type the password of %2 to go on.")
                .replace("%1", self.locked.display_name or self.locked.username)
                .replace("%2", self.locked.username)
            )
            self.ok.setText(self.tr("&Unlock"))
        else:
            self.title.setText(self.tr("LocalHR Desk"))
            self.ok.setText(self.tr("&Log in"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # --- a login ------------------------------------------------------------------------------

    def _submit(self) -> None:
        username = self.locked.username if self.locked is not None else self.username.text()
        if self.begin():
            self.auth.log_in(username, self.password.text())

    def waiting_changed(self, waiting: bool) -> None:
        for widget in (self.username, self.password, self.ok, self.switch):
            widget.setEnabled(not waiting)

    def _succeeded(self, session: Session) -> None:
        if self.succeed():
            self.password.clear()
            self.logged_in.emit(session)
            self.accept()

    def _change_password(self, pending: PendingChange) -> None:
        """A one-time password: the new one is asked for before the login goes on."""
        dialog = ChangePasswordDialog(
            self.auth.runner, self.auth.change_for(pending), username=pending.username,
            one_time=pending.one_time, parent=self,
        )  # fmt: skip
        dialog.changed.connect(lambda new: self.auth.password_changed(pending, new))
        dialog.rejected.connect(self.auth.password_not_changed)
        self.change_dialog = dialog
        dialog.open()

    def _failed(self, message: str) -> None:
        if self.fail(message):
            self.password.selectAll()
            self.password.setFocus()

    def _quit(self) -> None:
        self.auth.cancel()
        self.stop()
        self.quit_requested.emit()
        super().reject()

    def reject(self) -> None:
        """Escape or the window's close button: cancel a login in progress; a switch of
        user goes back to the lock; a locked session's dialog stays; else the program ends."""
        if self.waiting:
            self.auth.cancel()
            self.stop()
        elif self._locked_before is not None and self.locked is None:
            self.locked, self._locked_before = self._locked_before, None
            self.password.clear()
            self.error.hide()
            self._show_mode()
            self._retranslate()
        elif self.locked is None:
            self._quit()
