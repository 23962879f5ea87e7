"""Fixtures and helpers of the UI tests that work on a demo office: a demo office per test
(tests/fixtures_db.py), a synchronous task runner, Thai on screen, and typing. The fixtures
reach every test in tests/ui through its conftest.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.services import decisions, submissions
from ui.app import install_translations
from ui.fonts import apply_default_font
from ui.tasks import TaskRunner


@pytest.fixture
def language(qapp) -> Iterator[Callable[[str], None]]:
    """``language("th")``: the app's translations, locale and font as the desktop has them;
    the session's application gets its own back afterwards."""
    installed: list = []
    font, locale = qapp.font(), QLocale()

    def use(code: str) -> None:
        installed.extend(install_translations(qapp, code))
        thai = QLocale(QLocale.Language.Thai, QLocale.Country.Thailand)
        QLocale.setDefault(thai if code == "th" else QLocale(QLocale.Language.English))
        apply_default_font(qapp)

    yield use
    for translator in installed:
        QCoreApplication.removeTranslator(translator)
    QLocale.setDefault(locale)
    qapp.setFont(font)


@pytest.fixture
def runner(qapp) -> Iterator[TaskRunner]:
    runner = TaskRunner(synchronous=True)
    yield runner
    runner.shutdown()


@pytest.fixture
def threaded_runner(qapp) -> Iterator[TaskRunner]:
    """A task runner with real worker threads, as the desktop has."""
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def type_thai(widget: QWidget, text: str) -> None:
    """Thai goes in as an input method commit, as a Thai keyboard's IME sends it:
    ``keyClicks`` aborts on characters outside Latin-1."""
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    event = QInputMethodEvent()
    event.setCommitString(text)
    QCoreApplication.sendEvent(widget, event)


def type_keys(widget: QWidget, text: str) -> None:
    """Latin letters and digits, key by key."""
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClicks(widget, text)


def clear(widget: QWidget) -> None:
    """Select everything in a line edit and delete it, as the clerk would."""
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(widget, Qt.Key.Key_Delete)


def leave(widget: QWidget) -> None:
    """Move the focus away from ``widget`` (its editing ends)."""
    widget.clearFocus()
    QApplication.processEvents()


def submitted(demo, person_id: str, **fields) -> str:
    """A change to an official person that the demo clerk sent for approval; its id."""
    sid = submissions.start_draft(demo.db, demo.clerk, person_id=person_id).submission.id
    submissions.save_draft(demo.db, demo.clerk, sid, fields=fields)
    submissions.submit(demo.db, demo.clerk, sid)
    return sid


def returned(demo, person_id: str, reason: str, comments: dict[str, str] | None = None) -> str:
    """A salary change the supervisor sent back to the clerk, with ``reason``; its id."""
    sid = submitted(demo, person_id, salary="31000")
    decisions.return_submission(demo.db, demo.supervisor, sid, reason, field_comments=comments)
    return sid


def shown(qtbot, widget: QWidget) -> QWidget:
    """``widget`` on screen in an active window, so focus and key events reach it; closed
    with the test."""
    qtbot.addWidget(widget)
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()
    return widget
