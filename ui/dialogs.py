"""What the start-up dialogs (first run, login, settings) share: their title, notice, error
and busy widgets, a height that fits wrapped Thai text, and one piece of work at a time.

Qt sizes a new window from its layout's size hint, which does not account for labels that
wrap at the window's real width; long Thai sentences then overlap the fields below them.
:class:`FittedDialog` grows to the height its layout needs at its width when shown and
whenever :meth:`FittedDialog.fit` is called (after an error appears).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QWidget

NOTICE_STYLE = "background: #fff8e1; border: 1px solid #ffcc80; border-radius: 4px; padding: 6px;"
ERROR_STYLE = "color: #c62828;"


class FittedDialog(QDialog):
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit()

    def fit(self) -> None:
        """At least as tall as the content needs at the present width."""
        layout = self.layout()
        if layout is None or not layout.hasHeightForWidth():
            return
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)


def title_label(name: str) -> QLabel:
    label = QLabel(objectName=name)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    label.setFont(font)
    return label


def notice_label(name: str, text: str = "") -> QLabel:
    """Something to know before going on, on a pale yellow ground."""
    label = QLabel(text, objectName=name, wordWrap=True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet(NOTICE_STYLE)
    label.setVisible(bool(text))
    return label


def error_label(name: str) -> QLabel:
    """Why the last attempt failed, in red; hidden until there is one."""
    label = QLabel(objectName=name, wordWrap=True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def busy_bar(name: str) -> QProgressBar:
    """A thin bar that moves while work of unknown length runs; hidden until then."""
    bar = QProgressBar(objectName=name, textVisible=False, maximumHeight=8)
    bar.setRange(0, 0)
    bar.hide()
    return bar


class WorkDialog(FittedDialog):
    """A dialog that sends one piece of work off at a time (a login, a registration): while
    it runs, the step under way and a moving bar; when it fails, why, in red.

    Subclasses put :attr:`error`, :attr:`step` and :attr:`busy` in their layout, call
    :meth:`begin` when the work starts and :meth:`succeed` or :meth:`fail` (both False when
    no work was waiting: an answer that came after a cancel), and enable their fields in
    :meth:`waiting_changed`.
    """

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Dialog")
        self.error = error_label(f"{name}Error")
        self.step = QLabel(objectName=f"{name}Step", wordWrap=True)
        self.busy = busy_bar(f"{name}Busy")
        self._waiting = False

    @property
    def waiting(self) -> bool:
        """The work is under way."""
        return self._waiting

    def waiting_changed(self, waiting: bool) -> None:
        """Enable or disable the fields (subclasses)."""

    def _set_waiting(self, waiting: bool) -> None:
        self._waiting = waiting
        self.busy.setVisible(waiting)
        if not waiting:
            self.step.clear()
        self.waiting_changed(waiting)

    def checked_begin(self, problem: str | None) -> bool:
        """Begin the work unless the fields have a ``problem`` (said in red), or some work
        runs already; True when it began."""
        if problem is not None:
            self.error.setText(problem)
            self.error.show()
            self.fit()
            return False
        return self.begin()

    def begin(self) -> bool:
        """The work starts now; False if some already runs."""
        if self._waiting:
            return False
        self.error.hide()
        self._set_waiting(True)
        return True

    def show_step(self, text: str) -> None:
        if self._waiting:
            self.step.setText(text)

    def stop(self) -> None:
        """The work was called off."""
        self._set_waiting(False)

    def succeed(self) -> bool:
        if not self._waiting:
            return False
        self._set_waiting(False)
        return True

    def fail(self, message: str) -> bool:
        if not self._waiting:
            return False
        self._set_waiting(False)
        self.error.setText(message)
        self.error.show()
        self.fit()
        return True
