"""What the Office area's pages over the local database share (structure, slots, staffing;
the accounts and PCs pages work at the central instead): the database, the task runner and
the org admin who acts, one line that says what happened (in red when refused), and the
``changed`` signal a page emits after each write it made, so the area refreshes the others
and tells the sync.

Every read and write is a :class:`ui.tasks.Task` on the database lane with a failure path
that ends in :attr:`LocalPage.message`; nothing here touches the database itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QWidget

from app.store.db import Database
from ui.dialogs import ERROR_STYLE
from ui.office import words
from ui.tasks import Lane, Task, TaskRunner

#: The kinds of change a page reports: which pages read again.
STRUCTURE, SLOTS, PLAN = "structure", "slots", "plan"
#: A unit as the pickers offer it: its id, its name, how deep it sits (0: at the top).
UnitChoice = tuple[str, str, int]


def open_units(roots: Iterable[Any]) -> list[UnitChoice]:
    """The open units of a unit tree (``structure.unit_tree``), parents before children."""
    out: list[UnitChoice] = []

    def add(nodes: Iterable[Any], depth: int) -> None:
        for node in nodes:
            if not node.closed:
                out.append((node.id, node.name, depth))
                add(node.children, depth + 1)

    add(roots, 0)
    return out


def add_units(box: QComboBox, units: Iterable[UnitChoice]) -> None:
    """Put ``units`` in ``box``, each indented under its parent, its id as the data."""
    for unit_id, name, depth in units:
        box.addItem("    " * depth + name, unit_id)


class LocalPage(QWidget):
    #: The page wrote something (STRUCTURE, SLOTS or PLAN): the office changed.
    changed = Signal(str)

    def __init__(
        self, db: Database, runner: TaskRunner, user_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._runner, self._user = db, runner, user_id
        self._stale = True  # read when first shown, and after a change while hidden
        self._keys: dict[QPushButton, str] = {}
        self.message = QLabel(objectName=f"{type(self).__name__}Message", wordWrap=True)

    # --- reading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read again what the page shows (subclasses)."""

    def mark_stale(self) -> None:
        """The office changed elsewhere: read again now if shown, else when next shown."""
        self._stale = True
        if self.isVisible():
            self._stale = False
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and not event.spontaneous():
            self._stale = False
            self.refresh()

    # --- keys --------------------------------------------------------------------------------

    def bind(self, key: str, slot: Callable[[], object], button: QPushButton | None = None) -> None:
        """``key`` does ``slot`` while the focus is in the page; ``button``'s tooltip names
        the key (:meth:`name_keys`, once the buttons have their words)."""
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        if button is not None:
            self._keys[button] = key

    def name_keys(self) -> None:
        for button, key in self._keys.items():
            native = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(f"{button.text().replace('&', '')} ({native})")

    # --- tasks -------------------------------------------------------------------------------

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], object],
        failed: Callable[[BaseException], object] | None = None,
        **kwargs: Any,
    ) -> None:
        """``fn(db, user, *args, **kwargs)`` on the database lane; ``done`` with its result,
        or the refusal in the message line (or ``failed``)."""
        Task(fn, self._db, self._user, *args, **kwargs).on_success(done).on_failure(
            failed or self.show_error
        ).bound_to(self).run_on(self._runner, Lane.DB)

    def wrote(self, kind: str, note: str = "") -> None:
        """A write went through: say so, and tell the area."""
        self.say(note)
        self.changed.emit(kind)

    # --- the message line --------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    def show_error(self, exc: BaseException) -> None:
        self.refuse(words.error_text(exc))

    def refuse(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)
