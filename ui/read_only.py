"""The desktop while its database is open read only, after a failed upgrade (issue 7).

"Usable read only" means: a user who has logged in on this PC before logs in offline,
browses and searches the personnel list, opens people (their record, history rows and
history of changes) and their own submissions, and can lock or switch user. Nothing that
writes is offered: no editing, no new person, no submit, withdraw, approval or return, no
sync (a pull writes too), and no sensitive fields (their every viewing must be written to
the audit trail). The database refuses writes anyway (:mod:`app.store.db`).

- :class:`ReadOnlyAuthenticator` checks a password against the local verifier without
  writing the login to the audit trail (it goes to the log file instead).
- :class:`PersonViewer` is the person editor with nothing to change (``read_only=True``).
- :class:`ReadOnlyScreens` wires the viewers and My submissions into the main window, and
  the banner that says why (:class:`ui.upgrade_notice.ReadOnlyBanner`).
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from PySide6.QtWidgets import QMainWindow

from app.domain.entities import User
from app.domain.errors import AuthenticationFailed
from app.services import users
from app.store.db import Database
from ui.clerk_screens import ClerkScreens
from ui.login import Authenticator
from ui.person_editor import PersonEditor
from ui.tasks import Lane, Task, TaskRunner
from ui.upgrade_notice import ReadOnlyBanner, add_banner

log = logging.getLogger(__name__)


class NeverHere(AuthenticationFailed):
    """The user has never logged in on this PC: no verifier of theirs to trust here."""


def check_login(db: Database, username: str, password: str) -> User:
    """The user whose local verifier accepts ``password``; nothing is written."""
    if not users.logged_in_online_here(db, username):
        raise NeverHere("error.login_failed")
    found = next((u for u in users.list_users(db) if u.username == username), None)
    if found is None or not found.active:
        raise AuthenticationFailed("error.login_failed")
    if not users.check_offline_verifier(password, found.password_verifier):
        raise AuthenticationFailed("error.login_failed")
    log.info("read-only login of %s (not in the audit trail: the database is read only)", found.id)
    return found


class ReadOnlyAuthenticator(Authenticator):
    """Offline logins only, and none written down (see the module doc)."""

    def log_in(self, username: str, password: str) -> None:
        username = username.strip().lower()
        if not username or not password:
            super().log_in(username, password)  # says what is missing
            return
        self.step.emit(self.tr("Checking your password…"))
        self._run(
            Task(check_login, self._db, username, password)
            .on_success(functools.partial(self._local_done, username, password))
            .on_failure(self._refused),
            Lane.DB,
        )

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, NeverHere):
            self.failed.emit(
                self.tr(
                    "While the program is read only, only users who have logged in on this PC "
                    "before can log in."
                )
            )
        elif isinstance(exc, AuthenticationFailed):
            self.failed.emit(self.wrong_password())
        else:
            self._fail(exc)


class PersonViewer(PersonEditor):
    """A person, or a submission, shown as the editor shows it, with nothing to change."""

    def __init__(self, db: Database, runner: TaskRunner, user_id: str, **options: Any) -> None:
        super().__init__(db, runner, user_id, **options, read_only=True)


class ReadOnlyScreens(ClerkScreens):
    """People and submissions open in viewers; no new person; the banner on top."""

    def __init__(self, window: QMainWindow, db: Database, runner: TaskRunner, user_id: str) -> None:
        super().__init__(window, db, runner, user_id, editor=PersonViewer)
        assert db.upgrade_failure is not None
        self.banner = ReadOnlyBanner(db.upgrade_failure)
        add_banner(window, self.banner)
        window.commands["new_person"].setEnabled(False)

    def new_person(self) -> None:  # type: ignore[override]
        """Nothing: a new person would be written (the command is disabled)."""
