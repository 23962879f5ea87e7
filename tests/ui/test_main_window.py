"""The main window's frame: menus and shortcuts, screens beside the list, what it remembers.
The list itself: test_people_list.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from app import demo_data
from app.store.db import open_database
from sync.client.engine import SyncReport
from tests.fixtures_db import add_person, valid_citizen_id
from ui.background_sync import BackgroundSync
from ui.main_window import MainWindow
from ui.tasks import TaskRunner
from ui.view_state import ViewState


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("window") / "demo.sqlite3"
    db = open_database(path)
    demo_data.generate(db, org_code="6340101", people=40, seed=3)
    db.close()
    return path


@pytest.fixture
def parts(qtbot, demo_db, tmp_path) -> Iterator[tuple]:
    db = open_database(demo_db)
    runner = TaskRunner(synchronous=True)
    state = ViewState(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    yield db, runner, state
    runner.shutdown()
    db.close()


@pytest.fixture
def window(qtbot, parts) -> MainWindow:
    win = MainWindow(*parts[:2], view_state=parts[2])
    qtbot.addWidget(win)
    return win


def test_the_menus_hold_the_program_s_keys(window) -> None:
    actions = window.commands
    assert actions["new_person"].shortcut() == QKeySequence("Ctrl+N")
    assert actions["find"].shortcut() == QKeySequence("Ctrl+F")
    assert actions["quit"].shortcut() == QKeySequence("Ctrl+Q")
    assert set(window.menus) == {"file", "edit", "view", "help"}
    assert all(menu.title() for menu in window.menus.values())

    window.menus["view"].aboutToShow.emit()  # the columns as they are now
    columns = window.menus["view"].actions()[0].menu()
    assert columns is not None and len(columns.actions()) == 11
    window.menus["view"].aboutToShow.emit()  # built anew each time, never twice
    assert [a.menu() is not None for a in window.menus["view"].actions()].count(True) == 1


def test_screens_open_beside_the_list_and_ctrl_f_comes_back_to_it(window, qtbot) -> None:
    tabs = window.screens
    window.show()
    assert not tabs.tabBar().isVisible()  # one screen: no tabs to choose from
    other = QLabel("รายการของฉัน")
    window.add_screen(other, "รายการเสนอของฉัน")
    window.show_screen(other)
    assert tabs.tabBar().isVisible() and tabs.currentWidget() is other

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=1000)
    qtbot.keyClick(other, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentWidget() is window.people
    assert QApplication.focusWidget() is window.people.search


def test_the_window_opens_where_it_was_left(qtbot, parts) -> None:
    db, runner, state = parts
    first = MainWindow(db, runner, view_state=state)
    qtbot.addWidget(first)
    first.resize(700, 480)  # within the offscreen screen (800 × 600)
    first.show()
    left = first.size()
    assert left.height() == 480
    first.close()
    second = MainWindow(db, runner, view_state=state)
    qtbot.addWidget(second)
    assert second.size() == left


def test_a_sync_that_pulled_people_refreshes_the_list(qtbot, demo, runner, tmp_path) -> None:
    state = ViewState(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    sync = BackgroundSync(runner, demo.db)  # not started: the test says what it pulled
    window = MainWindow(demo.db, runner, sync=sync, view_state=state)
    qtbot.addWidget(window)
    model = window.people.model
    qtbot.waitUntil(lambda: model.complete and model.rowCount() == 60, timeout=2000)
    new_id = add_person(demo, "ณัฐวดี", "ดึงมาใหม่", valid_citizen_id("110170020000"))

    sync.synced.emit(SyncReport(pulled_tables=frozenset({"audit_event"})))
    assert model.rowCount() == 60  # nothing the list shows
    sync.synced.emit(SyncReport(pulled_tables=frozenset({"person", "history_row"})))
    qtbot.waitUntil(lambda: model.rowCount() == 61, timeout=2000)
    qtbot.waitUntil(lambda: new_id in [model.person_id(r) for r in range(61)], timeout=2000)
    assert window.people.count.text() == "61 people"


class _Sync(QObject):
    """What the quit question reads of the background sync, and a sync that ends at once."""

    status_changed = Signal(object)

    def __init__(self, pending: int) -> None:
        super().__init__()
        self.pending, self.started, self.syncing, self.asked = pending, True, False, 0

    def sync_now(self) -> None:
        self.asked += 1
        self.syncing = True
        self.status_changed.emit("syncing")
        self.syncing, self.pending = False, 0
        self.status_changed.emit("synced")


def _answer(qtbot, button_text: str) -> list[str]:
    """Click ``button_text`` in the next question box; what the box said."""
    said: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox), box
        said.append(box.text())
        [button] = [b for b in box.buttons() if b.text() == button_text]
        button.click()

    QTimer.singleShot(50, click)
    return said


def test_quitting_with_unsent_work_asks_and_can_sync_first(qtbot, parts, language) -> None:
    """Issue 15: Ctrl+Q with unsent or unsubmitted work quit without a word."""
    language("th")
    db, runner, state = parts
    window = MainWindow(db, runner, view_state=state)
    qtbot.addWidget(window)
    sync = _Sync(pending=3)
    window.sync = sync  # type: ignore[assignment]
    window.quit_check = lambda: (sync.pending, 1)
    window.show()

    said = _answer(qtbot, "อยู่ต่อ")
    window.commands["quit"].trigger()
    assert window.isVisible()  # stayed
    assert "3" in said[0] and "ยังไม่ได้ส่งถึงศูนย์กลาง" in said[0] and "ฉบับร่าง 1" in said[0]

    _answer(qtbot, "ซิงค์ก่อนแล้วออก")
    window.commands["quit"].trigger()
    assert sync.asked == 1
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)  # closed once synced


def test_quitting_with_nothing_waiting_asks_nothing(qtbot, parts) -> None:
    db, runner, state = parts
    window = MainWindow(db, runner, view_state=state)
    qtbot.addWidget(window)
    window.quit_check = lambda: (0, 0)
    window.show()
    window.commands["quit"].trigger()
    assert not window.isVisible()
