"""The person editor: a person's record on tabs (personal data, current position, one tab
per history table), edited into a draft submission that saves itself as the clerk types.

Nothing typed is lost: every edit restarts a short timer, and when it fires what changed
goes to :func:`app.services.drafts.save` on the task runner's database lane (the first save
starts the draft). Fields that differ from the official record are marked, with the
official value in their tooltip; findings appear in words under each field as it is typed
(the same checks the services make). Ctrl+Enter submits for approval, Ctrl+S saves at once.
A returned submission shows the supervisor's reason and marks the fields to fix.

Embed it as a tab or in a dialog::

    editor = PersonEditor(db, runner, user_id, person_id=pid, local_change=sync.local_change)
    editor.title_changed.connect(lambda title: tabs.setTabText(tabs.indexOf(editor), title))

Call :meth:`flush` before the task runner shuts down (closing the widget does it too). An
error nobody handled stores the draft before it is shown (:meth:`save_before_crash`).
``read_only=True`` shows the record with nothing to change, whatever the submission's state
allows: the database is open read only (:mod:`ui.read_only`).
"""

from __future__ import annotations

import datetime as dt
import time
import weakref
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QIcon, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QMessageBox, QScrollArea, QVBoxLayout, QWidget

from app.domain.entities import HISTORY_KINDS
from app.domain.errors import DomainError, InvalidInput, Issue
from app.domain.workflow import Action
from app.services import drafts
from app.services.drafts import DraftDetail
from app.services.submissions import HistoryEdits
from app.store.db import Database
from ui import crash, texts
from ui.changes import Changes, bus
from ui.editor_frame import EditorFooter, EditorHeader, Sections, split_comments
from ui.field_form import STYLE_SHEET, FieldForm
from ui.history_tab import HistoryTab
from ui.person_tabs import PersonalTab, PositionTab, person_issues
from ui.tasks import Lane, Task, TaskRunner

#: How long typing must pause before the draft is saved.
AUTOSAVE_MS = 600
#: After a save that failed for a reason other than the input (a locked or full disk).
RETRY_MS = 5000
MAX_NAMED = 4  # fields named in a refusal to send; more are "…"
#: Saves tried, one after the other, to store the draft before an unhandled error is shown.
CRASH_SAVE_ROUNDS = 3


def _scrolled(form: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(form)
    return area


def _open(db: Database, user_id: str, person_id: str | None, submission_id: str | None):
    """On the database lane: the record to edit and the organization's positions."""
    if submission_id:
        detail = drafts.open_submission(db, user_id, submission_id)
    elif person_id:
        detail = drafts.open_person(db, user_id, person_id)
    else:
        detail = drafts.new_person(db, user_id)
    current = (detail.official.get("position_id"), detail.proposed.get("position_id"))
    return detail, drafts.positions(db, user_id, detail.org_id, include=current)


class PersonEditor(QWidget):
    HELP_TOPIC = "clerk.html#editor"
    #: The record as stored after each save, submit or withdraw (a DraftDetail).
    saved = Signal(object)
    #: Words for a tab or window title: the person's name, or "New person".
    title_changed = Signal(str)
    #: The clerk asked to close the editor (Ctrl+W); the host flushes and removes it.
    close_requested = Signal()

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        user_id: str,
        *,
        person_id: str | None = None,
        submission_id: str | None = None,
        local_change: Callable[[], object] | None = None,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._runner, self._user = db, runner, user_id
        self._view_only = read_only
        self._person_id, self._submission_id = person_id, submission_id
        self._local_change = local_change
        self.detail: DraftDetail | None = None
        self._dirty: set[str] = set()
        self._saving = False
        self._again = False
        self._submit_after_save = False
        self._show_required = False
        self._server_issues: list[Issue] = []
        self._not_sent = ""  # why the last Submit sent nothing, until the next edit
        self._comments: dict[str, str] = {}
        self._all_comments: dict[str, str] = {}
        self._read_only: bool | None = None
        self._focus_first = False

        self.setStyleSheet(STYLE_SHEET)
        self.header = EditorHeader()
        self.tabs = Sections()
        self.personal = PersonalTab()
        self.position = PositionTab()
        self.forms: tuple[FieldForm, ...] = (self.personal, self.position)
        self.tabs.addTab(_scrolled(self.personal), self.tr("Personal data"))
        self.tabs.addTab(_scrolled(self.position), self.tr("Current position"))
        self.history: dict[str, HistoryTab] = {}
        for kind in HISTORY_KINDS:
            self.history[kind] = HistoryTab(kind)
            self.tabs.addTab(self.history[kind], texts.history_title(kind))
        self.footer = EditorFooter()
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.footer)

        self._timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._timer.timeout.connect(self.save_now)
        for form in self.forms:
            form.edited.connect(self._field_edited)
        for tab in self.history.values():
            tab.edited.connect(self._edited)
        self.footer.submit_button.clicked.connect(self.submit)
        self.footer.withdraw_button.clicked.connect(self.withdraw)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.submit, context=context)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save_now, context=context)
        for keys in ("Ctrl+W", "Ctrl+F4"):
            QShortcut(QKeySequence(keys), self, self.close_requested.emit, context=context)
        self._set_read_only(True)
        crash.keep_drafts_of(self)
        self.footer.show_status(self.tr("Opening…"))
        self._run(_open, db, user_id, person_id, submission_id, done=self._opened)
        # what others write (a sync's return or approval, a supervisor on this PC) shows here:
        # a bound method, dropped with the editor
        bus(db).changed.connect(self._db_changed)

    # --- public -------------------------------------------------------------------------------

    @property
    def submission_id(self) -> str | None:
        return self._submission_id

    @property
    def person_id(self) -> str | None:
        """The person edited; None for a new person until the first save."""
        return self._person_id

    def _waiting(self) -> bool:
        """Edits not yet handed to a save."""
        return bool(self._dirty) or any(t.has_edits() for t in self.history.values())

    def has_unsaved_changes(self) -> bool:
        return self._saving or self._waiting()

    def flush(self) -> None:
        """Save now whatever waits for the autosave timer."""
        if self._waiting():
            self.save_now()

    def save_before_crash(self, timeout_s: float) -> bool:
        """An unhandled error is about to be shown (ui/crash.py): save what is typed and
        wait, for ``timeout_s`` at most, until it is stored. True once nothing waits."""
        deadline = time.monotonic() + timeout_s
        for _ in range(CRASH_SAVE_ROUNDS):
            self.flush()
            if not self.has_unsaved_changes():
                return True
            left = deadline - time.monotonic()
            if left <= 0 or not crash.settle(self._runner, Lane.DB, left):
                return False
        return not self.has_unsaved_changes()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._focus_first:
            self._take_focus()

    def _take_focus(self) -> None:
        """Ready to type: the first field has the focus once the record is in."""
        self._focus_first = False
        self.personal.citizen_id.setFocus(Qt.FocusReason.OtherFocusReason)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush()
        super().closeEvent(event)

    # --- tasks --------------------------------------------------------------------------------

    def _run(self, fn, *args: Any, done, failed=None, **kwargs: Any) -> None:
        """Run ``fn`` on the database lane. Not bound to this widget: a save must finish
        even when the editor is closed meanwhile; the answer is dropped if it is gone."""
        me = weakref.ref(self)

        def alive(cb):
            def call(value):
                editor = me()
                if editor is not None and shiboken6.isValid(editor):
                    cb(value)

            return call

        Task(fn, *args, **kwargs).on_success(alive(done)).on_failure(
            alive(failed or self._failed)
        ).run_on(self._runner, Lane.DB)

    def _failed(self, exc: BaseException) -> None:
        self.footer.show_status(texts.error_text(exc), error=True)

    def _opened(self, result) -> None:
        detail, positions = result
        if self._view_only:
            detail = replace(detail, allowed=frozenset())
        self.position.set_positions(positions)
        self._apply(detail, values=True)
        if self._view_only:
            self.footer.show_status(
                self.tr("Read only: the database could not be upgraded, so nothing can be changed.")
            )
        elif Action.EDIT in detail.allowed:
            self.footer.show_status(self.tr("Changes are saved as you type."))
            self._focus_first = True
            if self.isVisible():
                self._take_focus()
        else:
            self.footer.show_status(self.tr("Read only: this submission can no longer change."))

    # --- what changed elsewhere ---------------------------------------------------------------

    def _db_changed(self, changes: Changes) -> None:
        """A committed write that may concern this record: read it again, unless the clerk's
        own edits wait to be saved (their save answers with the record as stored)."""
        if self.detail is None or self._view_only or self.has_unsaved_changes():
            return
        mine = self._submission_id is not None and (
            self._submission_id in changes.ids("submission")
            or (changes.touches("submission") and not changes.ids("submission"))
        )
        person = self._person_id is not None and (
            self._person_id in changes.ids("person")
            or (changes.touches("person") and not changes.ids("person"))
        )
        if mine or person:
            self._run(
                _open, self._db, self._user, self._person_id, self._submission_id,
                done=self._reopened,
            )  # fmt: skip

    def _reopened(self, result) -> None:
        detail, positions = result
        old = self.detail
        if self.has_unsaved_changes() or old is None:
            return  # typing began meanwhile: it comes first
        same = (
            detail.submission == old.submission
            and detail.official == old.official
            and detail.allowed == old.allowed
        )
        if same:
            return  # this editor's own save, or nothing it shows
        self.position.set_positions(positions)
        self._apply(detail, values=True)
        state = detail.submission.state if detail.submission is not None else None
        words = texts.state_label(state) if state is not None else self.tr("official record")
        self.footer.show_status(self.tr("Updated from elsewhere: %1").replace("%1", words))

    # --- showing the record ---------------------------------------------------------------------

    def _apply(self, detail: DraftDetail, *, values: bool) -> None:
        self.detail = detail
        sub = detail.submission
        if sub is not None:
            self._submission_id, self._person_id = sub.id, sub.person_id
        if values:
            for form in self.forms:
                form.set_values(detail.proposed)
            for tab in self.history.values():
                tab.load(detail.rows, detail.deleted_rows, detail.official_rows)
        self._set_read_only(Action.EDIT not in detail.allowed)
        comments = dict(sub.field_comments) if sub is not None and sub.return_reason else {}
        if values or comments != self._all_comments:
            self._all_comments = comments
            self._comments, row_comments = split_comments(comments)
            for tab in self.history.values():
                tab.set_comments(row_comments)
        self._show_required = self._show_required or bool(sub and sub.return_reason)
        self.header.show_detail(detail)
        self.footer.show_actions(detail.allowed, sub is not None)
        self._refresh()

    def _set_read_only(self, read_only: bool) -> None:
        if read_only == self._read_only:
            return
        self._read_only = read_only
        for form in self.forms:
            form.set_read_only(read_only)
        for tab in self.history.values():
            tab.set_read_only(read_only)

    def values(self) -> dict[str, Any]:
        """The person's fields as they stand on the form (wire form)."""
        out: dict[str, Any] = {}
        for form in self.forms:
            out.update(form.values())
        return out

    def _issues(self, values: dict[str, Any]) -> list[Issue]:
        issues = person_issues(values)
        if not self._show_required:
            issues = [i for i in issues if i.code != "required"]
        fields = {i.field for i in issues}
        return issues + [i for i in self._server_issues if i.field not in fields]

    def _refresh(self) -> None:
        """Marks, findings, titles and counts, from what the form holds now."""
        if self.detail is None:
            return
        values = self.values()
        issues = self._issues(values)
        official = self.detail.official if self.detail.person_id and self.detail.official else None
        changed = 0
        for index, form in enumerate(self.forms):
            differs = form.mark(official)
            changed += len(differs)
            form.show_issues(issues, self._comments)
            self._title_tab(index, bool(differs), bool(form.errors()))
        rows_changed = 0
        for index, tab in enumerate(self.history.values(), start=len(self.forms)):
            tab_changed, tab_errors = tab.counts()
            rows_changed += tab_changed
            self._title_tab(index, bool(tab_changed), bool(tab_errors))
        self.header.show_name(values)
        self.title_changed.emit(self.header.title())
        self.footer.show_differences(changed, rows_changed, official is None)

    def _title_tab(self, index: int, changed: bool, errors: bool) -> None:
        base = self.tabs.tabText(index).removesuffix(" •")
        self.tabs.setTabText(index, base + (" •" if changed else ""))
        icon = self.style().standardIcon(self.style().StandardPixmap.SP_MessageBoxWarning)
        self.tabs.setTabIcon(index, icon if errors else QIcon())

    # --- editing and saving -------------------------------------------------------------------

    def _field_edited(self, name: str) -> None:
        self._dirty.add(name)
        self._server_issues = [i for i in self._server_issues if i.field != name]
        self._edited()

    def _edited(self) -> None:
        if self.detail is None or Action.EDIT not in self.detail.allowed:
            return
        self._not_sent = ""
        self._timer.start()
        self.footer.show_status(self.tr("Editing…"))
        self._refresh()

    def _history_edits(self) -> tuple[HistoryEdits | None, dict[str, tuple]]:
        taken = {kind: tab.take_edits() for kind, tab in self.history.items()}
        upsert = tuple(row for up, _ in taken.values() for row in up)
        delete = tuple(rid for _, dels in taken.values() for rid in dels)
        return (HistoryEdits(upsert, delete) if upsert or delete else None), taken

    def save_now(self) -> None:
        """Save what changed since the last save (Ctrl+S; the autosave timer calls it too)."""
        self._timer.stop()
        if self.detail is None or Action.EDIT not in self.detail.allowed:
            return
        if self._saving:
            self._again = True
            return
        values = self.values()
        fields = {name: values[name] for name in sorted(self._dirty)}
        history, taken = self._history_edits()
        if not fields and history is None:
            return
        self._dirty.clear()
        self._saving = True
        self.footer.show_status(self.tr("Saving…"))
        self._run(
            drafts.save,
            self._db,
            self._user,
            self._submission_id,
            person_id=self._person_id,
            fields=fields,
            history=history,
            done=self._saved,
            failed=lambda exc: self._save_failed(exc, fields, taken),
        )

    def _written(self, detail: DraftDetail, status: str) -> None:
        """After each write: show what is stored, tell the host and the sync."""
        self._apply(detail, values=False)
        if self._not_sent:  # saved, and still not sent: both are true
            self.footer.show_status(f"{status} · {self._not_sent}", error=True)
        else:
            self.footer.show_status(status)
        self.saved.emit(detail)
        if self._local_change is not None:
            self._local_change()

    def _saved(self, detail: DraftDetail) -> None:
        self._saving = False
        when = dt.datetime.now().strftime("%H:%M:%S")
        self._written(detail, self.tr("Saved at %1").replace("%1", when))
        if self._again or self._waiting():
            self._again = False
            self.save_now()
        elif self._submit_after_save:
            self._submit_after_save = False
            self.submit()

    def _save_failed(self, exc: BaseException, fields: dict[str, Any], taken: dict) -> None:
        self._saving = False
        self._submit_after_save = False
        retry = set(fields)
        if isinstance(exc, InvalidInput):  # what cannot be read is not sent again
            self._server_issues = list(exc.issues)
            retry -= {i.field for i in exc.issues}
        self._dirty |= retry
        for kind, (upserts, deletes) in taken.items():
            if not isinstance(exc, InvalidInput):
                self.history[kind].give_back(upserts, deletes)
        self.footer.show_status(
            self.tr("Not saved: %1").replace("%1", texts.error_text(exc)), error=True
        )
        if not isinstance(exc, DomainError):
            self._timer.start(RETRY_MS)
        self._refresh()

    # --- submit and withdraw ------------------------------------------------------------------

    def submit(self) -> None:
        """Send the draft for approval (Ctrl+Enter); what waits to be saved is saved first."""
        if self.detail is None or Action.EDIT not in self.detail.allowed:
            return
        self._show_required = True
        self._refresh()
        if self._refuse_unsendable():
            self.save_now()  # what can be kept is kept
            return
        if self._saving or self.has_unsaved_changes():
            self._submit_after_save = True
            self.save_now()
            return
        if self._submission_id is None or Action.SUBMIT not in self.detail.allowed:
            self.footer.show_status(texts.message("error.no_changes"), error=True)
            return
        self.footer.show_status(self.tr("Sending for approval…"))
        self._run(drafts.submit, self._db, self._user, self._submission_id,
                  done=self._submitted, failed=self._submit_failed)  # fmt: skip

    def _refuse_unsendable(self) -> bool:
        """Refuse to send while a field shows an error or holds what cannot be read (issue 15:
        a date showing "not a date" kept its last readable value, and that went): the fields
        are named, and the first gets the focus. True when refused."""
        blocking = [(i, name) for i, form in enumerate(self.forms) for name in form.blocking()]
        if not blocking:
            return False
        index, first = blocking[0]
        self.tabs.setCurrentIndex(index)
        self.forms[index].fields[first].widget.setFocus(Qt.FocusReason.OtherFocusReason)
        names = [texts.field_label(name) for _, name in blocking]
        shown = ", ".join(names[:MAX_NAMED]) + (" …" if len(names) > MAX_NAMED else "")
        self._not_sent = self.tr("Not sent: fix %1 first.").replace("%1", shown)
        self.footer.show_status(self._not_sent, error=True)
        self._refresh()
        return True

    def _submitted(self, detail: DraftDetail) -> None:
        self._written(detail, self.tr("Sent for approval."))

    def _submit_failed(self, exc: BaseException) -> None:
        if isinstance(exc, InvalidInput):
            self._server_issues = list(exc.issues)
            self._refresh()
            self._focus_first_error()
            count = len(exc.errors)
            self.footer.show_status(self.tr("Not sent: %n field(s) to fix.", "", count), error=True)
            return
        self._failed(exc)

    def _focus_first_error(self) -> None:
        for index, form in enumerate(self.forms):
            names = form.errors()
            if names:
                self.tabs.setCurrentIndex(index)
                form.fields[names[0]].widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def withdraw(self) -> None:
        """Take the submission back; it ends, and nothing of it reaches the record."""
        if self.detail is None or Action.WITHDRAW not in self.detail.allowed:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Withdraw"),
            self.tr("Withdraw this submission? It ends here and changes nothing."),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._timer.stop()
        self._dirty.clear()
        for tab in self.history.values():
            tab.take_edits()
        self._run(drafts.withdraw, self._db, self._user, self._submission_id,
                  done=self._withdrawn)  # fmt: skip

    def _withdrawn(self, detail: DraftDetail) -> None:
        self._written(detail, self.tr("Withdrawn."))
