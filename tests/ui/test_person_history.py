"""A person's history in the main window: Ctrl+H on the selected person opens the timeline
of their submissions and decisions, in Thai, read-only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.services import people
from tests.fixtures_db import free_person_ids, returned_then_approved
from tests.ui.editor_fixtures import shown
from tests.ui.session_helpers import SHOTS
from ui import texts
from ui.main_window import MainWindow
from ui.person_history import HistoryScreens, PersonHistory


def test_ctrl_h_shows_who_proposed_returned_and_approved_what(qtbot, demo, runner, language):
    language("th")
    pid = free_person_ids(demo.db)[0]
    returned_then_approved(demo, pid, "แนบคำสั่งเลื่อนขั้น", "30000", "30500")

    window = MainWindow(demo.db, runner)
    window.history = HistoryScreens(window, demo.db, runner, demo.supervisor)
    shown(qtbot, window)
    qtbot.waitUntil(lambda: window.people.model.rowCount() > 0, timeout=3000)
    view = window.history.show(pid)

    assert isinstance(view, PersonHistory) and window.screens.currentWidget() is view
    person = people.get_person(demo.db, demo.supervisor, pid).person
    name = texts.person_name(person.prefix, person.first_name_th, person.last_name_th)
    assert window.screens.tabText(window.screens.indexOf(view)) == f"ประวัติ · {name}"
    table = view.table
    events = [table.item(r, 1).text() for r in range(table.rowCount())]
    assert events[0].startswith("เสนอ") and "อนุมัติ" in events[-1]
    # Sent, returned, sent again: both sendings shown, the first (whose time no record
    # keeps) said to be before the return.
    assert events[1:4] == ["ส่งขออนุมัติ", "ส่งกลับแก้ไข", "ส่งขออนุมัติอีกครั้ง (ครั้งที่ 2)"]
    when = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert when[1] == f"ก่อน {when[2]}" and table.item(1, 0).toolTip()
    assert not when[3].startswith("ก่อน")
    details = "\n".join(table.item(r, 3).text() for r in range(table.rowCount()))
    assert "แนบคำสั่งเลื่อนขั้น" in details
    view.grab().save(str(SHOTS / "person_history.png"))
    assert any(text in details for text in ("30,500", "30500")), details
    assert table.editTriggers() == table.EditTrigger.NoEditTriggers  # read-only
    view.grab().save(str(SHOTS / "person_history.png"))


def test_ctrl_h_opens_the_history_of_the_person_selected_in_the_list(qtbot, demo, runner):
    window = MainWindow(demo.db, runner)
    window.history = HistoryScreens(window, demo.db, runner, demo.supervisor)
    shown(qtbot, window)
    qtbot.waitUntil(lambda: window.people.current_person_id() is not None, timeout=3000)
    selected = window.people.current_person_id()

    QTest.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)

    view = window.screens.currentWidget()
    assert isinstance(view, PersonHistory) and view.person_id == selected
