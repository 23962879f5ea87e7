"""Clipped text: every main screen opened in a pseudo language whose strings are all about
1.7 times as long as the English ones, and in Thai; no label, button, check box, group box
title or tab may be cut off (STYLE.md: Vorta's pseudo-translation switch). The main
window's status bar (the sync status, what waits for the user) is checked again in a
window of :data:`NARROW` pixels, in both languages and in English.

The pseudo language is made at test time from the sources of ``localhr_th.ts``: each string
with its letters accented, Thai filler (marks above and below the line included) added to
make it about 1.7 times as long, and brackets around it, so that a cut-off end shows;
``%1``, ``%n``, ``{value}`` and ``&&`` stay as they are. ``pyside6-lrelease`` compiles it and a
QTranslator installs it, with the Thai locale and the bundled font. The screens are those
of the screenshots (:func:`localhr.screenshots.screens`), built the same way.

A widget is clipped when it is smaller than its size hint (a label, a button), when a
word-wrapped label is lower than its height for its width, when a group box is narrower than
its title needs, when a tab or a list of sections is narrower than its text, or when the
main window cannot fit its layout in the screenshots' window size. A widget that elides its
text on purpose says so with the dynamic property ``elide`` set to true.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QTabBar,
    QWidget,
)

from localhr.screenshots import HEIGHT, SCREENS, WIDTH, Shot, office, screens, settle
from tests.ui.test_translations import TRANSLATIONS, tool
from ui.fonts import apply_default_font

ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖƤǪŔŠŢÛṼŴẊÝŽ",
)
FILLER = "ทดสอบภาษาที่ยาวกว่าเดิมมาก"
#: What a translation must keep as it is: Qt's and Python's arguments, an escaped
#: ampersand, markup.
KEEP = re.compile(r"(%L?\d|%L?n|\{\w*\}|&&|<[^>]*>|&\w+;)")
GROWTH = 0.7
PEOPLE = 60
#: The width of a small office screen's window, where the status bar must still fit.
NARROW = 1024


def pseudo(text: str) -> str:
    """``text`` accented, about 1.7 times as long with Thai filler, in brackets."""
    core = text.strip()
    if not core:
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    parts = KEEP.split(core)
    accented = "".join(p if KEEP.fullmatch(p) else p.translate(ACCENTED) for p in parts)
    extra = max(3, round(len(core) * GROWTH))
    filler = (FILLER * (extra // len(FILLER) + 1))[:extra]
    return f"{lead}[{accented} {filler}]{trail}"


def pseudo_ts(source: Path, target: Path) -> int:
    """A .ts of every message of ``source`` still in use, translated by :func:`pseudo`; how
    many messages it has."""
    root = ET.Element("TS", version="2.1", language="th_TH")
    count = 0
    for context in ET.parse(source).getroot().iter("context"):
        out = ET.SubElement(root, "context")
        ET.SubElement(out, "name").text = context.findtext("name")
        for message in context.iter("message"):
            kind = message.find("translation").get("type")
            if kind in ("vanished", "obsolete"):
                continue
            text = message.findtext("source") or ""
            copy = ET.SubElement(out, "message", numerus=message.get("numerus", "no"))
            ET.SubElement(copy, "source").text = text
            if message.find("comment") is not None:  # a disambiguation is part of the key
                ET.SubElement(copy, "comment").text = message.findtext("comment")
            translation = ET.SubElement(copy, "translation")
            if message.get("numerus") == "yes":
                ET.SubElement(translation, "numerusform").text = pseudo(text)
            else:
                translation.text = pseudo(text)
            count += 1
    ET.ElementTree(root).write(target, encoding="utf-8", xml_declaration=True)
    return count


@pytest.fixture(scope="module")
def pseudo_qm(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pseudo")
    ts, qm = folder / "localhr_pseudo.ts", folder / "localhr_pseudo.qm"
    assert pseudo_ts(TRANSLATIONS / "localhr_th.ts", ts) > 300
    subprocess.run([tool("lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True)
    return qm


@pytest.fixture
def pseudo_language(qapp, pseudo_qm) -> Iterator[None]:
    """The pseudo language with the Thai locale and the bundled font, as the desktop sets
    up Thai; the application's own afterwards."""
    font, locale = qapp.font(), QLocale()
    translator = QTranslator()
    assert translator.load(str(pseudo_qm))
    QCoreApplication.installTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.Thai, QLocale.Country.Thailand))
    apply_default_font(qapp)
    yield
    QCoreApplication.removeTranslator(translator)
    QLocale.setDefault(locale)
    qapp.setFont(font)


# --- the check ------------------------------------------------------------------------------


def _name(widget: QWidget, text: str) -> str:
    return f"{type(widget).__name__} {widget.objectName() or '-'} {text[:60]!r}"


def _size(widget: QWidget) -> str:
    return f"{widget.width()}×{widget.height()}"


def _label(label: QLabel) -> str | None:
    if not label.text():  # a picture, or nothing yet
        return None
    if label.wordWrap():
        need = label.heightForWidth(label.width())
        if label.height() < need:
            return f"{_name(label, label.text())}: {_size(label)}, wrapped needs height {need}"
        return None
    hint = label.sizeHint()
    if label.width() < hint.width() or label.height() < hint.height():
        return f"{_name(label, label.text())}: {_size(label)} < {hint.width()}×{hint.height()}"
    return None


def _button(button: QAbstractButton) -> str | None:
    hint = button.sizeHint()
    if button.text() and (button.width() < hint.width() or button.height() < hint.height()):
        return f"{_name(button, button.text())}: {_size(button)} < {hint.width()}×{hint.height()}"
    return None


def _group(box: QGroupBox) -> str | None:
    need = box.minimumSizeHint().width()
    if box.title() and box.width() < need:
        return f"{_name(box, box.title())}: width {box.width()} < {need}"
    return None


def _tabs(bar: QTabBar) -> list[str]:
    problems = []
    for i in range(bar.count()):
        rect, need = bar.tabRect(i), bar.tabSizeHint(i)
        if rect.intersects(bar.rect()) and rect.width() < need.width():
            problems.append(
                f"{_name(bar, bar.tabText(i))}: tab width {rect.width()} < {need.width()}"
            )
    return problems


def _sections(items: QListWidget) -> str | None:
    need = items.sizeHintForColumn(0)
    if items.count() and not items.wordWrap() and items.viewport().width() < need:
        text = max((items.item(i).text() for i in range(items.count())), key=len)
        return f"{_name(items, text)}: width {items.viewport().width()} < {need}"
    return None


def clipped(root: QWidget, skip: QWidget | None = None) -> list[str]:
    """What is cut off among the visible widgets of ``root`` (those of ``skip`` aside), in
    words."""
    problems: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.property("elide"):
            continue
        if skip is not None and (widget is skip or skip.isAncestorOf(widget)):
            continue
        if isinstance(widget, QLabel):
            problems.append(_label(widget))
        elif isinstance(widget, QAbstractButton):
            problems.append(_button(widget))
        elif isinstance(widget, QGroupBox):
            problems.append(_group(widget))
        elif isinstance(widget, QListWidget):
            problems.append(_sections(widget))
        elif isinstance(widget, QTabBar):
            problems.extend(_tabs(widget))
    return [p for p in problems if p]


def check(shot: Shot) -> list[str]:
    """What is cut off on ``shot``'s screen, the main window :data:`WIDTH` wide."""
    problems = clipped(shot.widget)
    if not shot.dialog and (shot.widget.width() > WIDTH or shot.widget.height() > HEIGHT):
        problems.append(f"the main window needs {_size(shot.widget)}, not {WIDTH}×{HEIGHT}")
    return [f"{shot.name}: {p}" for p in problems]


def check_status_bar(shot: Shot, width: int = NARROW) -> list[str]:
    """What is cut off in the status bar of ``shot``'s main window made ``width`` wide (or
    as narrow as the screen above it allows); the window gets its size back after."""
    if shot.dialog or not isinstance(shot.widget, QMainWindow):
        return []  # a dialog, or a page of its own (the org admin's): no status bar
    window = shot.widget
    window.resize(width, HEIGHT)
    settle()
    try:
        found = clipped(window.statusBar())
        return [f"{shot.name} at {window.width()} px: {p}" for p in found]
    finally:
        window.resize(WIDTH, HEIGHT)
        settle()


def clipped_on_screens(folder: Path, names: tuple[str, ...] = SCREENS) -> list[str]:
    """What is cut off on the screens ``names``, and in their status bar when narrow."""
    with office(folder, people_count=PEOPLE) as demo:
        return [
            problem
            for shot in screens(demo, names)
            for problem in (*check(shot), *check_status_bar(shot))
        ]


# --- the tests ------------------------------------------------------------------------------


def test_pseudo_strings_are_longer_and_keep_their_arguments() -> None:
    text = pseudo("Sent %1 of about %2, received %3")
    assert text.startswith("[Šéñţ %1 öƒ åƀöûţ %2") and text.endswith("]")
    assert len(text) >= 1.6 * len("Sent %1 of about %2, received %3")
    assert pseudo("&Quit").startswith("[&Ǫûîţ ") and pseudo(" minutes").startswith(" [ɱ")
    assert pseudo("%n change(s) to send").startswith("[%n çĥåñĝé(š)")


def test_the_check_finds_cut_off_text_and_lets_elided_text_be(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    short = QLabel("a label far too long for its width", window, objectName="short")
    short.setFixedWidth(40)
    low = QLabel("a wrapped label " * 8, window, objectName="low", wordWrap=True)
    low.setGeometry(0, 40, 120, 20)
    button = QPushButton("a button too narrow", window, objectName="narrow")
    button.setGeometry(0, 80, 30, 30)
    elided = QLabel("elided on purpose…", window, objectName="elided")
    elided.setProperty("elide", True)
    elided.setFixedWidth(30)
    window.show()

    found = clipped(window)
    assert [p.split()[1] for p in found] == ["short", "low", "narrow"]
    short.setFixedWidth(short.sizeHint().width())
    assert len(clipped(window)) == 2


def test_no_screen_clips_text_in_the_pseudo_language(tmp_path, pseudo_language) -> None:
    """The sync status bar takes two lines here when the window is narrow."""
    assert QCoreApplication.translate("MainWindow", "Personnel").startswith("[Ƥéŕšöññéļ ")
    found = clipped_on_screens(tmp_path)
    assert not found, "clipped:\n" + "\n".join(found)


def test_no_screen_clips_text_in_thai(tmp_path, language) -> None:
    language("th")
    found = clipped_on_screens(tmp_path)
    assert not found, "clipped:\n" + "\n".join(found)


def test_the_status_bar_keeps_one_line_in_a_narrow_window_in_thai_and_english(
    tmp_path, language
) -> None:
    """Offline, sending (with its progress), items needing attention, the supervisor's
    count waiting: one line in Thai and English, nothing cut."""
    for code in ("en", "th"):
        language(code)
        with office(tmp_path / code, people_count=PEOPLE) as demo:
            for shot in screens(demo, ("people", "my-submissions", "review-queue")):
                assert not check_status_bar(shot), check_status_bar(shot)
                shot.widget.resize(NARROW, HEIGHT)
                settle()
                assert not shot.widget.sync_bar.two_lines, f"{code} {shot.name}"
