"""The main window a clerk lives in: the personnel list first, the menus and shortcuts of
the whole program, and the sync status always in view (DESIGN.md §7).

What the window offers the screens around it:

- ``open_person(person_id)``: the user opened a person (Enter or a double click in the
  list); ``new_person()``: the user asked for a new one (Ctrl+N, File menu). The editor
  connects to these.
- :meth:`add_screen` / :meth:`show_screen`: further screens (my submissions, an editor)
  as tabs beside the list; the tab bar appears once there are two.
- ``menus`` (file, edit, view) and ``commands`` (their actions), by name: screens add theirs.
- :meth:`refresh_people` after the register changed (a save, an approval); a sync that
  pulled people, positions, units or submissions refreshes the list by itself.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QMessageBox, QTabWidget, QWidget

from app.store.db import Database
from sync.client.engine import SyncReport
from ui.background_sync import BackgroundSync
from ui.help_window import HelpWindow, show_about, topic_of
from ui.people_list import PeopleList
from ui.sync_status_bar import SyncStatusBar
from ui.tasks import TaskRunner
from ui.view_state import MAIN_GEOMETRY, ViewState

#: Tables whose pulled rows change what the personnel list shows.
LISTED_TABLES = frozenset({"person", "position", "org_unit", "submission"})
# Standard keys, not QKeySequence objects: those need the application to exist.
NEW_PERSON_KEY = QKeySequence.StandardKey.New  # Ctrl+N
FIND_KEY = QKeySequence.StandardKey.Find  # Ctrl+F
QUIT_KEY = "Ctrl+Q"  # Windows has no standard key to quit
HELP_KEY = "F1"  # QKeySequence.HelpContents is unbound on some platforms


class MainWindow(QMainWindow):
    #: The user opened a person of the list: their id.
    open_person = Signal(str)
    #: The user asked for a new person (Ctrl+N).
    new_person = Signal()

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        *,
        title: str = "",
        sync: BackgroundSync | None = None,
        view_state: ViewState | None = None,
        session: object | None = None,
    ) -> None:
        super().__init__()
        self.session = session  # the user logged in (ui.session.Session): screens act as them
        self._db = db
        self._runner = runner
        self._title = title
        self.sync = sync  # screens that save call sync.local_change() when a save succeeds
        self.view_state = view_state if view_state is not None else ViewState()

        self.people = PeopleList(db, runner, self.view_state)
        self.people.open_person.connect(self.open_person)
        self.screens = QTabWidget(objectName="screens")
        self.screens.setDocumentMode(True)
        self.screens.setTabBarAutoHide(True)
        self.screens.addTab(self.people, "")
        self.setCentralWidget(self.screens)

        self.commands: dict[str, QAction] = {}
        self.menus: dict[str, QMenu] = {}
        self.help_window: HelpWindow | None = None
        #: What waits when the user quits: (ops not yet at the central, drafts not yet sent
        #: for approval); the start-up sets it. None: nothing is asked at quit.
        self.quit_check: Callable[[], tuple[int, int]] | None = None
        self._leaving = False  # the user answered the quit question: close for good
        self._build_menus()
        self.sync_bar: SyncStatusBar | None = None
        if sync is not None:
            self.sync_bar = SyncStatusBar(sync)
            self.statusBar().addPermanentWidget(self.sync_bar)
            sync.synced.connect(self._synced)
        self._retranslate()
        self.resize(1180, 720)
        geometry = self.view_state.get(MAIN_GEOMETRY)
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
        self.people.focus_search()

    # --- for the other screens ----------------------------------------------------------------

    def add_screen(self, widget: QWidget, title: str) -> None:
        """Put a screen in a tab beside the list (its title already translated)."""
        self.screens.addTab(widget, title)

    def show_screen(self, widget: QWidget) -> None:
        self.screens.setCurrentWidget(widget)

    def refresh_people(self) -> None:
        """Read the list again after the register changed, keeping the person selected."""
        self.people.refresh()

    def _synced(self, report: SyncReport) -> None:
        if report.pulled_tables & LISTED_TABLES:
            self.refresh_people()

    # --- menus and keys -----------------------------------------------------------------------

    def _action(
        self, name: str, menu: str, slot, shortcut: QKeySequence.StandardKey | str | None = None
    ) -> None:
        action = QAction(self, objectName=f"action_{name}")
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.menus[menu].addAction(action)
        self.commands[name] = action

    def _build_menus(self) -> None:
        for name in ("file", "edit", "view", "help"):
            self.menus[name] = self.menuBar().addMenu("")
        self._action("new_person", "file", self.new_person.emit, NEW_PERSON_KEY)
        self.menus["file"].addSeparator()
        self._action("quit", "file", self.request_quit, QUIT_KEY)
        self._action("find", "edit", self.focus_search, FIND_KEY)
        self._action("open_person", "edit", self._open_selected)
        self.menus["view"].aboutToShow.connect(self._fill_view_menu)
        self._action("clear_filters", "view", self.people.reset_filters)
        self._action("refresh", "view", self.refresh_people)
        self._action("manual", "help", self.show_help, HELP_KEY)
        self._action("about", "help", lambda: show_about(self))

    def _fill_view_menu(self) -> None:
        menu = self.menus["view"]
        old = getattr(self, "_columns_menu", None)
        if old is not None:
            menu.removeAction(old.menuAction())
            old.deleteLater()
        self._columns_menu = self.people.columns_menu(menu)
        menu.insertMenu(menu.actions()[0], self._columns_menu)

    def show_help(self) -> None:
        """The manual at the page of the screen in front (F1)."""
        if self.help_window is None:
            self.help_window = HelpWindow(self)
        screen = self.screens.currentWidget()
        focus = QApplication.focusWidget()
        inside = focus is not None and screen is not None and screen.isAncestorOf(focus)
        self.help_window.show_topic(topic_of(focus if inside else screen))

    def help_menu(self) -> QMenu:
        """The Help menu: kept last, whatever menus the screens add after it."""
        return self.menus["help"]

    def focus_search(self) -> None:
        self.show_screen(self.people)
        self.people.focus_search()

    def _open_selected(self) -> None:
        self.show_screen(self.people)
        self.people.open_current()

    # --- words and leaving --------------------------------------------------------------------

    def _may_quit(self) -> bool:
        """Whether to close now. With work that has not left the PC or drafts not sent for
        approval, the user is told what waits and chooses: sync first (the window closes
        once the sync has ended), quit anyway, or stay (issue 15: Ctrl+Q quit without a
        word)."""
        pending, drafts = self.quit_check() if self.quit_check is not None else (0, 0)
        if not pending and not drafts:
            return True
        lines = []
        if pending:
            lines.append(self.tr("%n change(s) not yet sent to the central", "", pending))
        if drafts:
            lines.append(self.tr("%n draft(s) not yet sent for approval", "", drafts))
        text = self.tr("Still on this PC:") + "\n• " + "\n• ".join(lines)
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Quit LocalHR Desk?"), text)
        box.setParent(self, box.windowFlags())
        box.setInformativeText(
            self.tr("Nothing is lost: it stays on this PC and goes at the next sync.")
        )
        sync_first = box.addButton(self.tr("Sync, then quit"), QMessageBox.ButtonRole.AcceptRole)
        quit_now = box.addButton(self.tr("Quit now"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Stay"), QMessageBox.ButtonRole.RejectRole)
        sync_first.setEnabled(pending > 0 and self.sync is not None and self.sync.started)
        box.setDefaultButton(sync_first if sync_first.isEnabled() else quit_now)
        box.exec()
        if box.clickedButton() is quit_now:
            self._leaving = True
            return True
        if box.clickedButton() is sync_first:
            self._sync_then_quit()
        return False

    def _sync_then_quit(self) -> None:
        assert self.sync is not None
        self.statusBar().showMessage(self.tr("Syncing before quitting…"))
        sync = self.sync

        def ended(*_args) -> None:
            if sync.syncing:
                return
            sync.status_changed.disconnect(ended)
            self._leaving = True
            self.close()

        sync.status_changed.connect(ended)
        sync.sync_now()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        enter = self.tr("Enter")  # the key's name as printed on it, in any language
        self.setWindowTitle(self._title or self.tr("LocalHR Desk"))
        self.screens.setTabText(self.screens.indexOf(self.people), self.tr("Personnel"))
        for name, text in {
            "file": self.tr("&File"),
            "edit": self.tr("&Edit"),
            "view": self.tr("&View"),
            "help": self.tr("&Help"),
        }.items():
            self.menus[name].setTitle(text)
        for name, text in {
            "new_person": self.tr("&New person…"),
            "quit": self.tr("&Quit"),
            "find": self.tr("&Find a person"),
            # Enter is handled by the list (in the box and in the table): shown, not bound.
            "open_person": self.tr("&Open the selected person") + "\t" + enter,
            "clear_filters": self.tr("&Clear filters"),
            "refresh": self.tr("&Reload the list"),
            "manual": self.tr("&Manual"),
            "about": self.tr("&About LocalHR Desk"),
        }.items():
            self.commands[name].setText(text)

    def request_quit(self) -> None:
        """The user asked to quit (Ctrl+Q): what still waits is said first."""
        if self._leaving or self._may_quit():
            self._leaving = True
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        # the window's own close button asks too; the program's closing (a switch of user,
        # the end of the program) does not
        if event.spontaneous() and not self._leaving and not self._may_quit():
            event.ignore()
            return
        geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        self.view_state.set(MAIN_GEOMETRY, geometry)
        self.view_state.sync()
        super().closeEvent(event)
