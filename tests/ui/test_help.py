"""Help (issue 15): the Thai manual shipped with the program, F1 at the page of the screen in
front, and About with the version."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

import ui
from app.logs import program_version
from ui import help_window
from ui.help_window import manual_dir, topic_of
from ui.main_window import MainWindow
from ui.review_queue import ReviewQueue

PAGES = sorted(p.name for p in manual_dir().glob("*.html"))


@pytest.mark.parametrize("page", PAGES)
def test_every_link_image_and_anchor_of_the_manual_exists(page) -> None:
    text = (manual_dir() / page).read_text(encoding="utf-8")
    assert "<h1>" in text and re.search("[ก-๙]", text), "a Thai page with a title"
    for target in re.findall(r'(?:href|src)="([^"]+)"', text):
        file, _, anchor = target.partition("#")
        path = manual_dir() / (file or page)
        assert path.is_file(), f"{page} names {target}, which is not shipped"
        if anchor:
            assert f'name="{anchor}"' in path.read_text(encoding="utf-8"), target


def _topics() -> dict[str, str]:
    """Every screen class of ``ui`` that names its place in the manual: name → topic."""
    found = {}
    for info in pkgutil.walk_packages(ui.__path__, "ui."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            topic = getattr(value, "HELP_TOPIC", None) if isinstance(value, type) else None
            if isinstance(topic, str) and value.__module__ == info.name:
                found[f"{info.name}.{name}"] = topic
    return found


def test_each_screens_topic_is_in_the_manual() -> None:
    topics = _topics()
    assert len(topics) >= 13  # the clerk's, the supervisor's and the org admin's screens
    for screen, topic in topics.items():
        page, _, anchor = topic.partition("#")
        text = (manual_dir() / page).read_text(encoding="utf-8")
        assert not anchor or f'name="{anchor}"' in text, (screen, topic)


def test_f1_opens_the_page_of_the_screen_in_front(qtbot, demo, runner, language) -> None:
    language("th")
    window = MainWindow(demo.db, runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    help_menu = window.menuBar().actions()[-1].menu()
    assert help_menu is window.menus["help"] and help_menu.title() == "วิธีใช้ (&H)"

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=1000)
    qtbot.keyClick(window.people.search, Qt.Key.Key_F1)
    shown = window.help_window
    assert shown is not None and shown.isVisible()
    assert shown.browser.source().fileName() == "clerk.html"
    assert shown.browser.source().fragment() == "people"
    assert "รายชื่อบุคลากร" in shown.browser.toPlainText()

    queue = ReviewQueue(demo.db, runner, demo.supervisor)
    window.add_screen(queue, "queue")
    window.show_screen(queue)
    assert topic_of(queue) == "supervisor.html#queue"
    window.commands["manual"].trigger()
    assert shown.browser.source().fileName() == "supervisor.html"
    shown.home.click()
    assert shown.browser.source().fileName() == "index.html"
    assert shown.back.isEnabled()
    shown.close()


def test_about_says_the_version(qtbot, demo, runner, monkeypatch) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda _parent, _title, text: said.append(text))
    window = MainWindow(demo.db, runner)
    qtbot.addWidget(window)
    window.commands["about"].trigger()
    assert said and program_version() in said[0] and "LocalHR Desk" in said[0]
    assert help_window.CONTENTS == "index.html"
