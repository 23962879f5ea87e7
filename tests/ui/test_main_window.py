"""The interim main window lists the local register in Thai order and searches as you type."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from app import demo_data
from app.domain import thai
from app.store.db import open_database
from ui.main_window import MainWindow
from ui.tasks import TaskRunner


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("window") / "demo.sqlite3"
    db = open_database(path)
    demo_data.generate(db, org_code="6340101", people=40, seed=3)
    db.close()
    return path


@pytest.fixture
def window(qtbot, demo_db):
    db = open_database(demo_db)
    runner = TaskRunner(synchronous=True)
    win = MainWindow(db, runner)
    qtbot.addWidget(win)
    yield win
    runner.shutdown()
    db.close()


def type_thai(widget, text: str) -> None:
    """Thai goes in as an input method commit: keyClicks aborts outside Latin-1."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QCoreApplication.sendEvent(widget, event)


def names(win: MainWindow) -> list[str]:
    return [win.table.item(r, 1).text() for r in range(win.table.rowCount())]


def test_lists_every_person_in_thai_dictionary_order(window) -> None:
    shown = names(window)
    assert len(shown) == 40
    assert "40" in window.status.text()
    # Longest prefix first: นางสาว before นาง before นาย.
    bare = [
        next(n.removeprefix(p) for p in ("นางสาว", "นาง", "นาย") if n.startswith(p)) for n in shown
    ]
    keys = [thai.sort_key(n) for n in bare]
    assert keys == sorted(keys)
    assert bare != sorted(bare), "code-point order differs here, so the check has teeth"


def test_typing_a_thai_fragment_narrows_the_list(window, qtbot) -> None:
    target = names(window)[7]
    surname = target.split()[-1]
    fragment = surname[1:4]
    type_thai(window.search, fragment)
    assert window.search.text() == fragment
    qtbot.waitUntil(lambda: 0 < window.table.rowCount() < 40, timeout=2000)
    assert all(fragment in n for n in names(window))
    assert target in names(window)


def test_ctrl_f_focuses_the_search_box(window, qtbot) -> None:
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.table.setFocus()
    assert QApplication.focusWidget() is window.table

    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)

    assert QApplication.focusWidget() is window.search
