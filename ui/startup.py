"""From start to the main window, and the session's life after it (DESIGN.md §5, §7, §10).

:class:`Startup` runs the desktop's flow over one data folder:

1. the settings (:class:`ui.settings.SettingsFile`);
2. first run when no central is configured (:mod:`ui.first_run`); the demo's embedded
   central is started and this PC registered to it at every start of a demo folder;
3. the login (:mod:`ui.login`);
4. the main window, given the :class:`~ui.session.Session` and a
   :class:`~ui.background_sync.BackgroundSync` with the real engine and credentials, with
   the person editors and My submissions wired in (:class:`ui.clerk_screens.ClerkScreens`),
   and for an org admin the Office area (:class:`ui.office.area.OfficeScreens`);
5. then: the session locks after inactivity and unlocks with the same user's password;
   switching user is one step (a new main window for the new user); the settings dialog
   applies what it can at once; the attention panel opens from the status bar.

A database open read only, because its upgrade failed (``db.upgrade_failure``), skips
first run, the central and the demo's central: the login is offline only, and the main
window shows people and submissions in viewers under a banner that says why and what to
send the IT staff (:mod:`ui.read_only`); no sync, no review queue, no attention panel.

``localhr.desktop`` makes the application, the database
(:func:`ui.upgrade_notice.open_local_database`) and the task runner and hands them in,
with ``start_demo`` for the demo (so that the desktop never imports the central service
itself).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from html import escape as esc
from pathlib import Path
from typing import Any

import shiboken6
from keyring.backend import KeyringBackend
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMainWindow

from app.domain.entities import Role
from app.services.context import signer
from app.store.db import Database
from sync.client import account
from sync.client.credentials import CredentialStore, KeyringUnavailable
from sync.client.engine import SyncEngine
from sync.client.office import NoSession, OfficeClient, session_of
from sync.client.transport import CentralClient
from ui.app import set_language
from ui.attention_panel import AttentionPanel
from ui.background_sync import BackgroundSync, SyncSettings
from ui.change_password import ChangePasswordDialog
from ui.first_run import Connected, Enrolment, FirstRunDialog, StartDemo
from ui.fonts import apply_default_font
from ui.login import Authenticator, CentralLink, LoginDialog
from ui.session import Curtain, InactivityWatch, Session, SessionMenu, cover_windows
from ui.settings import Settings, SettingsFile
from ui.settings_dialog import SettingsDialog
from ui.tasks import TaskRunner
from ui.upgrade_notice import read_only_notice

log = logging.getLogger(__name__)

WindowFactory = Callable[..., QMainWindow]


def main_window(db: Database, runner: TaskRunner, **options: Any) -> QMainWindow:
    """The main window (imported late: the start-up screens do not need it)."""
    from ui.main_window import MainWindow

    return MainWindow(db, runner, **options)


def clerk_screens(
    window: QMainWindow, db: Database, runner: TaskRunner, session: Session, sync: BackgroundSync
) -> Any:
    """The person editors and My submissions, wired into ``window`` for ``session``."""
    from ui.clerk_screens import ClerkScreens

    return ClerkScreens(window, db, runner, session.user_id, local_change=sync.local_change)


def supervisor_screens(
    window: QMainWindow, db: Database, runner: TaskRunner, session: Session
) -> Any:
    """The review queue and decision views, for a supervisor's session only."""
    from ui.supervisor_screens import SupervisorScreens

    return SupervisorScreens(window, db, runner, session.user_id)


def office_screens(
    window: QMainWindow,
    db: Database,
    runner: TaskRunner,
    session: Session,
    settings: SettingsFile,
    sync: BackgroundSync | None,
    central: CentralLink | None,
) -> Any:
    """The Office area (structure, slots, staffing, accounts, PCs), for an org admin only."""
    from ui.office.area import OfficeScreens

    return OfficeScreens(window, db, runner, session, settings=settings, sync=sync, central=central)


def history_screens(window: QMainWindow, db: Database, runner: TaskRunner, session: Session) -> Any:
    """A person's history (Ctrl+H), for every role."""
    from ui.person_history import HistoryScreens

    return HistoryScreens(window, db, runner, session.user_id)


def read_only_screens(
    window: QMainWindow, db: Database, runner: TaskRunner, session: Session
) -> Any:
    """People and submissions in viewers, under the banner (a read-only database)."""
    from ui.read_only import ReadOnlyScreens

    return ReadOnlyScreens(window, db, runner, session.user_id)


def work_counts(window: QMainWindow, db: Database, runner: TaskRunner, session: Session) -> Any:
    """What waits for the user, in the status bar (returned to them, waiting for them)."""
    from ui.work_counts import WorkCounts

    return WorkCounts(db, runner, session.user_id, window)


class Startup(QObject):
    """The desktop's flow over one data folder (see the module doc)."""

    #: The main window shown for a session (a new one after a switch of user).
    window_opened = Signal(object)
    #: The user quit (from a login, first-run or lock screen).
    quit_requested = Signal()

    def __init__(
        self,
        folder: Path,
        db: Database,
        runner: TaskRunner,
        *,
        keyring_backend: KeyringBackend | None = None,
        start_demo: StartDemo | None = None,
        demo: bool = False,
        sync_settings: SyncSettings | None = None,
        window_factory: WindowFactory = main_window,
        auto_login: tuple[str, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self.db = db
        self.runner = runner
        self.settings = SettingsFile(self.folder)
        self._backend = keyring_backend
        self._start_demo = start_demo
        self._demo_folder = demo
        self._sync_settings = sync_settings or SyncSettings()
        self._window_factory = window_factory
        self._auto_login = auto_login  # typed in at the first login screen (a screenshot)
        self.enrolment = Enrolment(runner, db, self.folder, keyring_backend, self)
        self.link: CentralLink | None = None
        self.demo: Any = None  # the demo's running central
        self.auth = self._authenticator()
        self.auth.token_saved.connect(lambda _user: self.sync and self.sync.sync_now())
        self.session: Session | None = None
        self.sync: BackgroundSync | None = None
        self.window: QMainWindow | None = None
        self.menu: SessionMenu | None = None  # the user's menu in the window
        self.screens: Any = None  # the window's editors and My submissions (ClerkScreens)
        self.review: Any = None  # the supervisor's queue and decisions (SupervisorScreens)
        self.office: Any = None  # the org admin's Office area (OfficeScreens)
        self.history: Any = None  # a person's history, every role (HistoryScreens)
        self.work: Any = None  # the status bar's counts of what waits for the user
        self.panel: AttentionPanel | None = None
        self.dialog: Any = None  # the first-run, login or lock dialog on screen
        self.settings_dialog: SettingsDialog | None = None
        self.password_dialog: ChangePasswordDialog | None = None
        self.curtains: list[Curtain] = []
        self.watch = InactivityWatch(self.settings.settings.lock_after_min * 60, self)
        self.watch.idle.connect(self.lock)

    # --- 1. start -----------------------------------------------------------------------------

    def _authenticator(self) -> Authenticator:
        if self.db.read_only:
            from ui.read_only import ReadOnlyAuthenticator

            return ReadOnlyAuthenticator(self.runner, self.db, None, self)
        return Authenticator(self.runner, self.db, None, self)

    def start(self) -> None:
        if self.db.read_only:  # nothing may write: no first run, no central, offline logins
            self.login(read_only_notice())
            return
        settings = self.settings.settings
        if self._demo_folder and settings.mode != "demo":
            settings = self.settings.save(mode="demo", central_url="", ca_bundle="")
        if settings.mode == "demo" and self._start_demo is not None:
            self._restart_demo()
        elif settings.mode == "central" and settings.central_url:
            self._use_central(settings)
        else:
            self.first_run()

    def first_run(self, url: str = "") -> None:
        dialog = FirstRunDialog(self.enrolment, start_demo=self._start_demo, url=url)
        dialog.connected.connect(self._connected)
        self._show(dialog)

    def _restart_demo(self) -> None:
        """A demo folder: its central starts and registers this PC again (the in-memory
        keyring of the last run is gone)."""
        assert self._start_demo is not None
        self.enrolment.done.connect(self._demo_again)
        self.enrolment.failed.connect(self._demo_failed)
        self.enrolment.start_demo(self._start_demo)

    def _demo_again(self, connected: Connected) -> None:
        self._stop_listening()
        self._connected(connected)

    def _demo_failed(self, message: str) -> None:
        self._stop_listening()
        log.error("the demo did not start: %s", message)
        self.first_run()
        self.dialog.error.setText(message)
        self.dialog.error.show()

    def _stop_listening(self) -> None:
        self.enrolment.done.disconnect(self._demo_again)
        self.enrolment.failed.disconnect(self._demo_failed)

    def _use_central(self, settings: Settings) -> None:
        try:
            client = CentralClient(settings.central_url, ca_bundle=settings.ca_bundle or None)
        except ValueError:
            self.first_run()
            return
        store = CredentialStore.for_central(client.base_url, self.folder, self._backend)
        notice = ""
        try:
            registered = store.device() is not None  # the keyring: main thread
        except KeyringUnavailable as exc:
            registered = True  # it may be; offline logins work either way
            notice = self._offline_only(exc.reason)
        if not registered:
            client.close()
            self.first_run(settings.central_url)
            return
        self._set_link(CentralLink(client, store, SyncEngine(self.db, client)))
        self.login(notice)

    def _connected(self, connected: Connected) -> None:
        """First run (or the demo's start) registered this PC."""
        if connected.mode == "demo":
            self.demo = connected.demo
            self.settings.save(mode="demo")
        else:
            self.settings.save(
                mode="central", central_url=connected.central_url, ca_bundle=connected.ca_bundle
            )
        client = CentralClient(connected.central_url, ca_bundle=connected.ca_bundle or None)
        self._set_link(CentralLink(client, connected.store, SyncEngine(self.db, client)))
        self.login(self._demo_accounts() if self.demo is not None else "")

    def _set_link(self, link: CentralLink) -> None:
        if self.link is not None and self.link.client is not link.client:
            self.link.client.close()
        self.link = link
        self.auth.link = link

    # --- 2. login, lock, switch ---------------------------------------------------------------

    def login(self, notice: str = "") -> None:
        dialog = LoginDialog(
            self.auth, username=self.settings.settings.last_username, notice=notice
        )
        dialog.logged_in.connect(self._logged_in)
        self._show(dialog)
        if self._auto_login is not None:
            (username, password), self._auto_login = self._auto_login, None
            dialog.username.setText(username)
            dialog.password.setText(password)
            dialog.ok.click()

    @property
    def locked(self) -> bool:
        return bool(self.curtains)

    def lock(self) -> None:
        """Cover every window and ask the user's password again."""
        if self.session is None or self.locked:
            return
        self.watch.stop()
        signer(self.db).drop()  # the signing key leaves memory until the password is typed
        self.curtains = cover_windows()
        dialog = LoginDialog(self.auth, locked=self.session)
        dialog.logged_in.connect(self._logged_in)
        self._show(dialog)

    def switch_user(self) -> None:
        """One step: lock, and ask who logs in now."""
        self.lock()
        if isinstance(self.dialog, LoginDialog):
            self.dialog.switch_user()

    def _logged_in(self, session: Session) -> None:
        self.dialog = None
        self.settings.save(last_username=session.username)
        for curtain in self.curtains:
            if shiboken6.isValid(curtain):
                curtain.lift()
        self.curtains = []
        if self.session is None or session.user_id != self.session.user_id:
            self._open_main(session)
        self.watch.start()

    # --- 3. the main window -------------------------------------------------------------------

    def _open_main(self, session: Session) -> None:
        old = self.window
        self.session = session
        read_only = self.db.read_only
        if self.sync is None and not read_only:
            self.sync = self._background_sync()
        window = self._window_factory(
            self.db, self.runner, title=self._title(session), sync=self.sync, session=session
        )
        if read_only:
            self.screens = read_only_screens(window, self.db, self.runner, session)
        else:
            self.screens = clerk_screens(window, self.db, self.runner, session, self.sync)
        self.history = history_screens(window, self.db, self.runner, session)
        self.review = (
            supervisor_screens(window, self.db, self.runner, session)
            if session.decides and not read_only
            else None
        )
        self.office = (
            office_screens(
                window, self.db, self.runner, session, self.settings, self.sync, self.link
            )
            if session.role is Role.ORG_ADMIN and not read_only
            else None
        )
        self.work = work_counts(window, self.db, self.runner, session)
        self.work.returned_clicked.connect(lambda: window.show_screen(self.screens.my_submissions))
        if self.review is not None:
            self.work.waiting_clicked.connect(lambda: window.show_screen(self.review.queue))
        work = self.work
        window.quit_check = lambda: (
            self.sync.status.pending if self.sync is not None else 0,
            work.counts.drafts if work.counts is not None else 0,
        )
        menu = SessionMenu(session, window)
        window.menuBar().insertMenu(window.help_menu().menuAction(), menu)  # Help stays last
        menu.lock_requested.connect(self.lock)
        menu.switch_requested.connect(self.switch_user)
        menu.settings_requested.connect(self.show_settings)
        menu.attention_requested.connect(self.show_attention)
        menu.password_requested.connect(self.change_password)
        menu.attention.setVisible(not read_only)
        menu.password.setVisible(not read_only and self.link is not None)
        bar = getattr(window, "sync_bar", None)
        if bar is not None:
            bar.attention_clicked.connect(self.show_attention)
        self.window, self.menu = window, menu
        self.panel = None
        window.show()
        if old is not None:
            old.close()
            old.deleteLater()
        if self.sync is not None:
            self.sync.start()
        self.window_opened.emit(window)

    def _background_sync(self) -> BackgroundSync:
        interval = self.settings.settings.sync_interval_min * 60
        settings = replace(self._sync_settings, interval_s=interval)
        link = self.link
        if link is None:
            return BackgroundSync(self.runner, self.db, settings=settings, parent=self)
        return BackgroundSync(
            self.runner,
            self.db,
            link.engine,
            lambda: account.credentials(self.db, link.store, pull_as=self._username()),
            settings,
            parent=self,
        )

    def _username(self) -> str | None:
        return self.session.username if self.session is not None else None

    def _title(self, session: Session) -> str:
        name = session.display_name or session.username
        if self.db.read_only:
            return self.tr("LocalHR Desk (read only): %1").replace("%1", name)
        if self.demo is not None:
            return self.tr("LocalHR Desk (demo): %1").replace("%1", name)
        return self.tr("LocalHR Desk: %1").replace("%1", name)

    # --- 4. the panels ------------------------------------------------------------------------

    def show_attention(self) -> None:
        if self.window is None or self.session is None or self.db.read_only:
            return
        if self.panel is None or not shiboken6.isValid(self.panel):
            self.panel = AttentionPanel(self.runner, self.db, self.session, self.sync, self.window)
            self.panel.open_submission.connect(self.open_submission)
        else:
            self.panel.reload()
        self.panel.show()
        self.panel.raise_()
        self.panel.activateWindow()

    def open_submission(self, submission_id: str) -> None:
        """The submission in an editor tab of the main window, brought to the front."""
        if self.window is None or self.screens is None:
            return
        self.screens.open_submission(submission_id)
        self.window.raise_()
        self.window.activateWindow()

    def change_password(self) -> ChangePasswordDialog | None:
        """The user changes their own password at the central (their menu)."""
        if self.window is None or self.session is None or self.link is None:
            return None
        dialog = ChangePasswordDialog(
            self.runner, self._password_call(self.link, self.session.username),
            username=self.session.username, parent=self.window,
        )  # fmt: skip
        dialog.changed.connect(lambda _new: self.sync.sync_now() if self.sync else None)
        dialog.open()
        self.password_dialog = dialog
        return dialog

    @staticmethod
    def _password_call(link: CentralLink, username: str) -> Callable[[str, str], object]:
        """The change in the user's session at the central (read from the keyring here, on
        the main thread); without one, a call that says why."""
        try:
            office = OfficeClient(link.client, session_of(link.store, username))
        except (NoSession, account.NotRegistered, KeyringUnavailable) as exc:
            missing = exc

            def unavailable(_old: str, _new: str) -> None:
                raise missing

            return unavailable
        return office.change_password

    def show_settings(self) -> None:
        dialog = SettingsDialog(self.settings.settings, self.window)
        dialog.saved.connect(self.apply_settings)
        dialog.open()
        self.settings_dialog = dialog

    def apply_settings(self, new: Settings) -> None:
        """Keep ``new`` and put what changed into effect."""
        old = self.settings.settings
        self.settings.save(new)
        app = QApplication.instance()
        if new.language != old.language and app is not None:
            set_language(app, new.language)
        if new.font_size_pt != old.font_size_pt and isinstance(app, QApplication):
            apply_default_font(app, new.font_size_pt)
        self.watch.set_timeout(new.lock_after_min * 60)
        if self.sync is not None:
            self.sync.settings = replace(self.sync.settings, interval_s=new.sync_interval_min * 60)
        moved = (new.central_url, new.ca_bundle) != (old.central_url, old.ca_bundle)
        if moved and new.mode == "central" and self.session is not None and not self.db.read_only:
            self._reconnect(old, new)

    def _reconnect(self, old: Settings, new: Settings) -> None:
        """The central's address or certificates changed: this PC's credentials move to the
        new address, and the session goes on with a new client and sync."""
        client = CentralClient(new.central_url, ca_bundle=new.ca_bundle or None)
        store = CredentialStore.for_central(client.base_url, self.folder, self._backend)
        if self.link is not None and self.link.store.service != store.service:
            try:
                self._move_credentials(self.link.store, store)
            except KeyringUnavailable as exc:
                log.warning("credentials not moved to %s: %s", client.base_url, exc.reason)
        if self.sync is not None:
            self.sync.stop()
            self.sync.deleteLater()
            self.sync = None
        self._set_link(CentralLink(client, store, SyncEngine(self.db, client)))
        session, self.session = self.session, None
        assert session is not None
        self._open_main(session)

    def _move_credentials(self, old: CredentialStore, new: CredentialStore) -> None:
        device = old.device()
        if device is None:
            return
        new.save_device(device)
        names = [self._username()] + [u for u in (self.settings.settings.last_username,) if u]
        for username in {n for n in names if n}:
            token = old.token(username)
            if token is not None:
                new.save_token(token)
                old.delete_token(username)
        old.delete_device()

    # --- words --------------------------------------------------------------------------------

    def _offline_only(self, reason: str) -> str:
        """The words for the user; the password store's own reason goes to the log."""
        log.warning("the password store cannot be used: %s", reason)
        return self.tr(
            "This computer's secure password store cannot be used, so this PC cannot talk "
            "to the central: users who have logged in here before can still log in and "
            "work offline, and their work is sent once IT staff fix the password store "
            "(the details are in the program's log). To try the program meanwhile, run the "
            "demo (localhr demo)."
        )

    def _demo_accounts(self) -> str:
        roles = {
            "org_admin": self.tr("admin"),
            "clerk": self.tr("clerk"),
            "supervisor": self.tr("supervisor"),
        }
        rows = "".join(
            f"<tr><td>{esc(roles.get(str(a.role), str(a.role)))}</td>"
            f"<td style='padding: 0 12px'><b>{esc(a.username)}</b></td>"
            f"<td style='font-family: monospace'>{esc(a.password)}</td></tr>"
            for a in getattr(self.demo, "accounts", ())
        )
        title = esc(self.tr("A demo office. Its accounts (username, password):"))
        return f"{title}<table>{rows}</table>"

    # --- the end ------------------------------------------------------------------------------

    def _show(self, dialog: Any) -> None:
        dialog.quit_requested.connect(self.quit_requested)
        self.dialog = dialog
        dialog.show()

    def shutdown(self) -> None:
        """Stop what runs in the background: the inactivity watch, the sync (waiting for it
        to end), the demo's central, the client. Call before the task runner's shutdown."""
        self.watch.stop()
        if self.sync is not None:
            self.sync.stop()
        if self.link is not None:
            self.link.client.close()
        if self.demo is not None:
            self.demo.stop()
            self.demo = None
