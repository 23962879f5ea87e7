"""The clerk's screens in the main window: a person opened from the list gets an editor tab
(once), Ctrl+N a new one, My submissions a tab of its own, Ctrl+W closes an editor after
saving it, and closing the window saves what the editors hold."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.services import submissions
from tests.fixtures_db import free_person_ids
from tests.ui.editor_fixtures import returned, shown, type_thai
from tests.ui.session_helpers import SHOTS
from ui import person_editor
from ui.clerk_screens import ClerkScreens
from ui.main_window import MainWindow
from ui.my_submissions import MySubmissions
from ui.person_editor import PersonEditor


@pytest.fixture(autouse=True)
def slow_autosave(monkeypatch) -> None:
    """Long enough that only a flush saves within a test."""
    monkeypatch.setattr(person_editor, "AUTOSAVE_MS", 60_000)


@pytest.fixture
def window(qtbot, demo, runner, language):
    language("th")
    win = MainWindow(demo.db, runner)
    calls: list[int] = []
    win.clerk = ClerkScreens(win, demo.db, runner, demo.clerk, local_change=lambda: calls.append(1))
    win.local_changes = calls
    return shown(qtbot, win)


def tabs(window) -> list[str]:
    return [window.screens.tabText(i) for i in range(window.screens.count())]


def test_a_person_opens_in_one_tab_however_often_it_is_opened(window, demo) -> None:
    pid = free_person_ids(demo.db)[0]

    window.open_person.emit(pid)
    editor = window.screens.currentWidget()
    window.show_screen(window.people)
    window.open_person.emit(pid)

    assert isinstance(editor, PersonEditor)
    assert window.screens.currentWidget() is editor
    assert window.clerk.editors == [editor]
    assert editor.header.title() in tabs(window)
    window.grab().save(str(SHOTS / "main_window_person_editor.png"))


def test_ctrl_n_opens_a_new_person_whose_tab_follows_the_name(window, demo, qtbot) -> None:
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = window.screens.currentWidget()
    assert isinstance(editor, PersonEditor)
    assert "บุคคลใหม่" in tabs(window)
    assert QApplication.focusWidget() is editor.personal.citizen_id  # ready to type

    type_thai(editor.personal.fields["first_name_th"].widget, "มานี")

    assert "มานี" in tabs(window)


def test_ctrl_w_saves_the_editor_and_closes_its_tab(window, demo) -> None:
    window.new_person.emit()
    editor = window.screens.currentWidget()
    type_thai(editor.personal.fields["first_name_th"].widget, "มานี")
    assert editor.submission_id is None  # the autosave has not come yet

    QTest.keyClick(editor.focusWidget(), Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)

    assert window.clerk.editors == []
    assert not any(isinstance(window.screens.widget(i), PersonEditor) for i in range(3))
    mine = submissions.list_submissions(demo.db, demo.clerk, author_id=demo.clerk)
    assert any(s.changes.get("first_name_th", [None, None])[1] == "มานี" for s in mine)
    assert window.local_changes == [1]


def test_my_submissions_opens_a_returned_one_in_an_editor(window, demo) -> None:
    sid = returned(demo, free_person_ids(demo.db)[0], "แนบคำสั่ง")
    QTest.keyClick(
        window,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    screen = window.screens.currentWidget()
    assert isinstance(screen, MySubmissions)
    screen.refresh()
    screen.table.setCurrentCell(0, 0)  # returned ones come first

    screen.table.setFocus()
    QTest.keyClick(screen.table, Qt.Key.Key_Return)

    editor = window.screens.currentWidget()
    assert isinstance(editor, PersonEditor) and editor.submission_id == sid
    assert "แนบคำสั่ง" in editor.header.reason.text()


def test_closing_the_window_saves_what_the_editors_hold(window, demo) -> None:
    pid = free_person_ids(demo.db)[0]
    window.open_person.emit(pid)
    editor = window.screens.currentWidget()
    type_thai(editor.personal.fields["first_name_en"].widget, "x")

    window.close()

    assert editor.submission_id is not None
    assert not editor.has_unsaved_changes()


def _listed_state(window, person_id: str) -> str | None:
    from ui.people_model import COLUMN_KEYS, PersonIdRole

    model = window.people.model
    column = COLUMN_KEYS.index("submission_state")
    for row in range(model.rowCount()):
        if model.index(row, 0).data(PersonIdRole) == person_id:
            return model.index(row, column).data()
    return None


def test_the_list_shows_a_draft_as_soon_as_the_editor_saves_it(window, demo, qtbot) -> None:
    pid = free_person_ids(demo.db)[0]
    qtbot.waitUntil(lambda: _listed_state(window, pid) == "", timeout=3000)

    window.open_person.emit(pid)
    editor = window.screens.currentWidget()
    type_thai(editor.personal.fields["first_name_th"].widget, "มานี")
    editor.save_now()

    qtbot.waitUntil(lambda: bool(_listed_state(window, pid)), timeout=3000)
