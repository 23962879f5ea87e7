"""The org admin's Office area ("ผู้ดูแลสำนักงาน", issue 14) in the main window: one tab
holding the pages Structure, Position slots, Staffing overview, Accounts and PCs, and a line
that offers the guided first set-up again until it is done.

One call wires it to a :class:`ui.main_window.MainWindow` for an org admin's session (the
start-up does so only for that role)::

    OfficeScreens(window, db, runner, session, settings=settings_file, sync=sync, central=link)

After a page wrote something the other pages read again when next shown, the personnel
list is read again (unit names show there), and ``sync.local_change()`` tells the sync that
work waits. A sync that pulled units, slots or plan lines marks the pages stale too.

When the office has no units yet and the set-up was neither skipped nor done, the set-up
wizard opens at login (:class:`ui.office.setup.SetupWizard`); on a PC that never synced,
once its first sync has ended (the office's units may come with it). Skipped, it waits for
the "Continue the set-up" button. Where the admin left it is kept in
:attr:`ui.settings.Settings.office_setup`, by organization.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.services import structure, sync_log
from app.store.db import Database
from sync.client.engine import SyncReport
from ui.office import words
from ui.office.accounts import AccountsPage
from ui.office.devices import DevicesPage
from ui.office.local_page import STRUCTURE, LocalPage
from ui.office.overview import OverviewPage
from ui.office.setup import SetupWizard
from ui.office.slots import SlotsPage
from ui.office.structure import StructurePage
from ui.settings import OfficeSetup, SettingsFile
from ui.sync_status import State, SyncStatus
from ui.tasks import Lane, Task, TaskRunner

OFFICE_KEY = "Ctrl+Shift+O"
REFRESH_KEY = QKeySequence.StandardKey.Refresh  # F5
# Tables whose pulled rows change what the area shows.
OFFICE_TABLES = frozenset({"org_unit", "position", "staffing_plan", "user"})


def _first_look(db: Database, user_id: str) -> tuple[Any, bool]:
    """On the database lane: the office's set-up progress, and whether this PC ever
    synced."""
    return structure.setup_progress(db, user_id), sync_log.last_success(db) is not None


class OfficeArea(QWidget):
    """The pages in tabs of their own, under the set-up line."""

    HELP_TOPIC = "office.html"

    def __init__(self, db: Database, runner: TaskRunner, user_id: str) -> None:
        super().__init__(objectName="officeArea")
        self.structure = StructurePage(db, runner, user_id)
        self.slots = SlotsPage(db, runner, user_id)
        self.overview = OverviewPage(db, runner, user_id)
        self.pages = QTabWidget(objectName="officePages")
        self.pages.addTab(self.structure, "")
        self.pages.addTab(self.slots, "")
        self.pages.addTab(self.overview, "")
        self.setup_line = QLabel(objectName="officeSetupLine", wordWrap=True)
        self.setup_button = QPushButton(objectName="officeSetupButton")
        top = QHBoxLayout()
        top.addWidget(self.setup_line, 1)
        top.addWidget(self.setup_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        refresh = QShortcut(QKeySequence(REFRESH_KEY), self)
        refresh.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh.activated.connect(self.refresh_current)
        self._retranslate()

    def refresh_current(self) -> None:
        """F5: the page on screen reads again (the accounts and PCs pages have their own)."""
        page = self.pages.currentWidget()
        if isinstance(page, LocalPage):
            page.refresh()

    def _retranslate(self) -> None:
        for page, title in (
            (self.structure, self.tr("Structure")),
            (self.slots, self.tr("Position slots")),
            (self.overview, self.tr("Staffing overview")),
        ):
            self.pages.setTabText(self.pages.indexOf(page), title)
        self.setup_button.setText(self.tr("Continue the set-up…"))

    def add_page(self, page: QWidget, title: str) -> None:
        self.pages.addTab(page, title)

    def office_pages(self) -> list[LocalPage]:
        return [self.structure, self.slots, self.overview]

    def show_progress(self, progress: Any, setup: OfficeSetup) -> None:
        text = self.tr("The office so far: %1 units · %2 slots · %3 accounts")
        for arg, value in (("%1", progress.units), ("%2", progress.slots), ("%3", progress.users)):
            text = text.replace(arg, str(value))
        self.setup_line.setText(text)
        self.setup_button.setVisible(not setup.done)


class OfficeScreens(QObject):
    def __init__(
        self,
        window: Any,  # ui.main_window.MainWindow: add_screen, show_screen, menus, sync
        db: Database,
        runner: TaskRunner,
        session: Any,  # ui.session.Session of an org admin
        *,
        settings: SettingsFile | None = None,
        sync: Any = None,  # ui.background_sync.BackgroundSync: local_change(), synced
        central: Any = None,  # ui.login.CentralLink (Startup.link); None: no central here
    ) -> None:
        super().__init__(window)
        self._window, self._db, self._runner = window, db, runner
        self._session, self._settings, self._sync = session, settings, sync
        self._user = session.user_id
        self.wizard: SetupWizard | None = None
        self.progress: Any = None
        self._saw_sync = False  # the first sync of this PC began (the set-up waits for it)
        self.area = OfficeArea(db, runner, self._user)
        self._central = central
        self.accounts = AccountsPage(session, runner, central=central)
        self.devices = DevicesPage(session, runner, central=central)
        self.area.add_page(self.accounts, self.tr("Accounts"))
        self.area.add_page(self.devices, self.tr("PCs"))
        window.add_screen(self.area, self.tr("Office"))
        for page in self.area.office_pages():
            page.changed.connect(self._changed)
        self.area.setup_button.clicked.connect(self.open_setup)
        action = QAction(self.tr("&Office administration"), window, objectName="action_office")
        action.setShortcut(QKeySequence(OFFICE_KEY))
        action.triggered.connect(self.show)
        window.menus["view"].addAction(action)
        if sync is not None:
            sync.synced.connect(self.pulled)
        self.read_progress(first=True)

    # --- the set-up --------------------------------------------------------------------------

    def setup_state(self) -> OfficeSetup:
        if self._settings is None:
            return OfficeSetup()
        return self._settings.settings.office_setup.get(self._session.org_id, OfficeSetup())

    def remember(self, state: OfficeSetup) -> None:
        if self._settings is None:
            return
        kept = dict(self._settings.settings.office_setup)
        kept[self._session.org_id] = state
        self._settings.save(office_setup=kept)
        if self.progress is not None:
            self.area.show_progress(self.progress, state)

    def read_progress(self, *, first: bool = False) -> None:
        """Read the office's progress; ``first`` (at login): open the set-up if it is due."""
        Task(_first_look, self._db, self._user).on_success(
            lambda look: self._progress(*look, first=first)
        ).on_failure(self._progress_failed).bound_to(self.area).run_on(self._runner, Lane.DB)

    def _progress(self, progress: Any, synced_before: bool, *, first: bool) -> None:
        self.progress = progress
        state = self.setup_state()
        self.area.show_progress(progress, state)
        if not first or state.skipped or state.done or progress.units:
            return
        if not synced_before and self._sync is not None and self._sync.configured:
            # A PC that never synced knows nothing of the office yet: its units may come
            # with the first sync. Decide once that sync has ended, well or not.
            self._sync.status_changed.connect(self._first_sync_status)
            return
        self.open_setup()

    def _first_sync_status(self, status: SyncStatus) -> None:
        if status.state is State.SYNCING:
            self._saw_sync = True
            return
        if not self._saw_sync and status.state is State.OFFLINE and status.last_sync is None:
            return  # the counts read before the sync starts
        self._sync.status_changed.disconnect(self._first_sync_status)
        Task(structure.setup_progress, self._db, self._user).on_success(
            lambda progress: self._progress(progress, True, first=True)
        ).on_failure(self._progress_failed).bound_to(self.area).run_on(self._runner, Lane.DB)

    def _progress_failed(self, exc: BaseException) -> None:
        self.area.setup_line.setText(words.error_text(exc))

    def open_setup(self) -> SetupWizard:
        """The guided set-up, at the step it was left at."""
        if self.wizard is not None and shiboken6.isValid(self.wizard) and self.wizard.isVisible():
            self.wizard.raise_()
            return self.wizard
        if self.wizard is not None and shiboken6.isValid(self.wizard):
            self.wizard.deleteLater()  # the one closed before: its pages go with it
        wizard = SetupWizard(
            self._db, self._runner, self._user, self.remember,
            accounts=AccountsPage(self._session, self._runner, central=self._central),
            start=self.setup_state().step, parent=self._window,
        )  # fmt: skip
        wizard.changed.connect(self._changed)
        wizard.finished.connect(lambda _r: (self.read_progress(), self.accounts.refresh()))
        self.wizard = wizard
        wizard.open()
        return wizard

    # --- changes -----------------------------------------------------------------------------

    def show(self) -> None:
        self._window.show_screen(self.area)

    def _changed(self, kind: str) -> None:
        """A page (or the wizard) wrote: the others read again, the sync learns of it."""
        sender = self.sender()
        for page in self.area.office_pages():
            if page is not sender:
                page.mark_stale()
        if self._sync is not None:
            self._sync.local_change()
        if kind == STRUCTURE:
            self._window.refresh_people()
        self.read_progress()

    def pulled(self, report: SyncReport) -> None:
        """A sync brought units, slots or plan lines made on another PC."""
        if report.pulled_tables & OFFICE_TABLES:
            for page in self.area.office_pages():
                page.mark_stale()
            self.read_progress()
