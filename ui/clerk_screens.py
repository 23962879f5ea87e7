"""The clerk's screens in the main window: a person editor in a tab for each person opened
(from the list, Ctrl+N or My submissions), and My submissions as a tab of its own.

One call wires them to a :class:`ui.main_window.MainWindow`::

    ClerkScreens(window, db, runner, session.user_id, local_change=sync.local_change)

``editor`` makes the editors (:class:`PersonEditor` by default; the read-only mode gives
viewers, :mod:`ui.read_only`).

It answers the window's ``open_person`` and ``new_person``, adds "My submissions" to the
View menu (Ctrl+Shift+M), opens a person or a submission already open in its own tab
again rather than twice, closes an editor on Ctrl+W, and saves what every editor still
holds when the window closes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from app.services.drafts import DraftDetail
from app.store.db import Database
from ui.my_submissions import MySubmissions
from ui.person_editor import PersonEditor
from ui.tasks import TaskRunner

MY_SUBMISSIONS_KEY = "Ctrl+Shift+M"


class ClerkScreens(QObject):
    def __init__(
        self,
        window,  # ui.main_window.MainWindow: add_screen, show_screen, screens, menus
        db: Database,
        runner: TaskRunner,
        user_id: str,
        *,
        local_change: Callable[[], object] | None = None,
        editor: Callable[..., PersonEditor] = PersonEditor,
    ) -> None:
        super().__init__(window)
        self._window, self._db, self._runner, self._user = window, db, runner, user_id
        self._local_change = local_change
        self._editor = editor
        self._list_states: dict[int, object] = {}  # id(editor) → the state the list shows
        self.editors: list[PersonEditor] = []
        self.my_submissions = MySubmissions(db, runner, user_id)
        window.add_screen(self.my_submissions, self.tr("My submissions"))
        self.my_submissions.open_submission.connect(self.open_submission)
        action = QAction(self.tr("&My submissions"), window, objectName="action_my_submissions")
        action.setShortcut(QKeySequence(MY_SUBMISSIONS_KEY))
        action.triggered.connect(lambda: window.show_screen(self.my_submissions))
        window.menus["view"].addAction(action)
        window.open_person.connect(self.open_person)
        window.new_person.connect(self.new_person)
        window.installEventFilter(self)

    def open_person(self, person_id: str) -> PersonEditor:
        found = next((e for e in self.editors if e.person_id == person_id), None)
        return self._show(found) if found else self._add(person_id=person_id)

    def open_submission(self, submission_id: str) -> PersonEditor:
        found = next((e for e in self.editors if e.submission_id == submission_id), None)
        return self._show(found) if found else self._add(submission_id=submission_id)

    def new_person(self) -> PersonEditor:
        return self._add()

    def close_editor(self, editor: PersonEditor) -> None:
        """Save what the editor holds, then take its tab away."""
        editor.flush()
        screens = self._window.screens
        screens.removeTab(screens.indexOf(editor))
        self.editors.remove(editor)
        editor.deleteLater()

    def flush(self) -> None:
        for editor in self.editors:
            editor.flush()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            self.flush()
        return False

    def _add(self, **which: str) -> PersonEditor:
        editor = self._editor(
            self._db, self._runner, self._user, local_change=self._local_change, **which
        )
        self.editors.append(editor)
        placeholder = self.tr("Person") if which else self.tr("New person")  # until it opens
        self._window.add_screen(editor, editor.header.title() or placeholder)
        editor.title_changed.connect(lambda title: self._retitle(editor, title))
        editor.saved.connect(lambda detail: self._saved(editor, detail))
        editor.close_requested.connect(lambda: self.close_editor(editor))
        return self._show(editor)

    def _saved(self, editor: PersonEditor, detail: DraftDetail) -> None:
        if self.my_submissions.isVisible():  # else it reads again when it is shown
            self.my_submissions.refresh()
        # The list shows each person's open submission: read it again when that changes
        # (a first save makes a draft; submit and withdraw change its state), not per save.
        state = detail.submission.state if detail.submission is not None else None
        if self._list_states.get(id(editor), "unseen") != state:
            self._list_states[id(editor)] = state
            self._window.refresh_people()

    def _retitle(self, editor: QWidget, title: str) -> None:
        screens = self._window.screens
        screens.setTabText(screens.indexOf(editor), title)

    def _show(self, editor: PersonEditor) -> PersonEditor:
        self._window.show_screen(editor)
        return editor
