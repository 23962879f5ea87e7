"""Help (issue 15): the manual shipped with the program, shown in the program, and About.

The manual is HTML in Thai under ``resources/manual/th/`` (one page for clerks, one for
supervisors, one for org admins, one on sync and working offline), with screenshots of the
real screens beside it (``images/``, refreshed by ``scripts/screenshots``). F1 opens the page
of the screen in front: a screen names its place in the manual with a ``HELP_TOPIC`` class
attribute (``"clerk.html#editor"``); a screen without one opens the contents.
"""

from __future__ import annotations

import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QUrl, qVersion
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.logs import program_version
from app.paths import resource

CONTENTS = "index.html"


def manual_dir() -> Path:
    return resource("manual", "th")


def topic_of(widget: QWidget | None) -> str:
    """The manual page (and anchor) of ``widget``, or of the nearest of its parents that
    names one; the contents when none does."""
    while widget is not None:
        topic = getattr(type(widget), "HELP_TOPIC", None)
        if isinstance(topic, str):
            return topic
        widget = widget.parentWidget()
    return CONTENTS


def topic_url(topic: str) -> QUrl:
    """``page.html#anchor`` as a URL of the shipped file."""
    page, _, anchor = topic.partition("#")
    url = QUrl.fromLocalFile(str(manual_dir() / (page or CONTENTS)))
    if anchor:
        url.setFragment(anchor)
    return url


class HelpWindow(QDialog):
    """The manual in a window of its own, beside the program (not modal)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="help_window")
        self.setWindowTitle(self.tr("LocalHR Desk manual"))
        self.browser = QTextBrowser(objectName="help_browser")
        self.browser.setOpenExternalLinks(False)
        self.back = QPushButton(self.tr("Back"), objectName="help_back")
        self.back.setShortcut(QKeySequence.StandardKey.Back)
        self.forward = QPushButton(self.tr("Forward"), objectName="help_forward")
        self.forward.setShortcut(QKeySequence.StandardKey.Forward)
        self.home = QPushButton(self.tr("Contents"), objectName="help_home")
        self.back.clicked.connect(self.browser.backward)
        self.forward.clicked.connect(self.browser.forward)
        self.home.clicked.connect(lambda: self.show_topic(CONTENTS))
        self.browser.backwardAvailable.connect(self.back.setEnabled)
        self.browser.forwardAvailable.connect(self.forward.setEnabled)
        self.back.setEnabled(False)
        self.forward.setEnabled(False)
        buttons = QHBoxLayout()
        for button in (self.back, self.forward, self.home):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.browser, 1)
        self.resize(900, 700)

    def show_topic(self, topic: str) -> None:
        self.browser.setSource(topic_url(topic))
        self.show()
        self.raise_()
        self.activateWindow()


def show_about(parent: QWidget) -> None:
    """The program's name, version and what it runs on."""
    title = QCoreApplication.translate("HelpWindow", "About LocalHR Desk")
    text = (
        "<h3>LocalHR Desk</h3>"
        + "<p>"
        + QCoreApplication.translate("HelpWindow", "Version %1").replace("%1", program_version())
        + "</p><p>"
        + QCoreApplication.translate(
            "HelpWindow",
            "The personnel register of local government offices: it works offline and "
            "syncs with the central data center whenever a connection exists.",
        )
        + "</p><p><small>"
        + f"Python {platform.python_version()} · Qt {qVersion()} · PySide6 {PySide6.__version__}"
        + "</small></p>"
    )
    QMessageBox.about(parent, title, text)
