"""What the user is told when the database could not be brought to this program's schema
(issue 7, safe upgrades; the decisions are in :mod:`app.store.upgrade`).

- :func:`open_local_database` opens the desktop's database at start, showing how far an
  upgrade is while it runs (:mod:`ui.upgrade_progress`). A database of a newer program, or
  one whose failed upgrade left a schema the screens cannot read, is explained in a
  message box and not opened (``None``: the program ends, the file untouched).
- After a failed upgrade the program runs read only (:mod:`ui.read_only`), and
  :class:`ReadOnlyBanner` says so above the main window's screens: what still works, that
  the data is safe, and what to send the IT staff — the backup and the log files.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.store.db import Database, DatabaseTooNew, FailedUpgrade, needs_upgrade
from app.store.upgrade import open_desktop_database
from ui.tasks import TaskRunner
from ui.upgrade_progress import upgrade_with_progress

log = logging.getLogger(__name__)

#: The log's folder in the data folder (app.logs writes ``localhr.log`` there).
LOG_FOLDER = "logs"
BANNER_STYLE = (
    "#readOnlyBanner { background: #fff3e0; border-bottom: 2px solid #fb8c00; }"
    "#readOnlyBanner QLabel { background: transparent; }"
)


def logs_folder(failure: FailedUpgrade) -> Path:
    return failure.path.parent / LOG_FOLDER


def notice_box(icon: QMessageBox.Icon, text: str, more: str) -> QMessageBox:
    """A message box in the program's words only (Qt's own buttons have no Thai)."""
    box = QMessageBox(icon, QCoreApplication.translate("UpgradeNotice", "LocalHR Desk"), text)
    box.setObjectName("upgradeNotice")
    box.setInformativeText(more)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    close = QCoreApplication.translate("UpgradeNotice", "Close")
    box.addButton(close, QMessageBox.ButtonRole.AcceptRole)
    return box


def too_new_box(exc: DatabaseTooNew) -> QMessageBox:
    more = (
        QCoreApplication.translate(
            "UpgradeNotice",
            "This version cannot open it without the risk of damaging it, so it has left it "
            "exactly as it was. Install the newer version again (ask your IT staff), then "
            "start the program.",
        )
        + "\n\n"
        + QCoreApplication.translate("UpgradeNotice", "The database: %1").replace(
            "%1", str(exc.path)
        )
    )
    return notice_box(
        QMessageBox.Icon.Critical,
        QCoreApplication.translate(
            "UpgradeNotice", "This database was saved by a newer version of LocalHR Desk."
        ),
        more,
    )


def support_words(failure: FailedUpgrade) -> str:
    """Where the data is safe and what to send the IT staff (plain text)."""
    return (
        QCoreApplication.translate(
            "UpgradeNotice",
            "Your data is safe: the database was put back as it was before the upgrade, and "
            "a copy of it was kept. Send your IT staff the copy %1 and the log files in the "
            "folder %2, and do not delete them.",
        )
        .replace("%1", str(failure.backup))
        .replace("%2", str(logs_folder(failure)))
    )


def details_of(failure: FailedUpgrade) -> str:
    """What IT staff need (plain text, not translated): for the clipboard and the log."""
    lines = [
        f"database: {failure.path}",
        f"backup: {failure.backup}",
        f"logs: {logs_folder(failure)}",
        f"schema: {failure.from_revision} -> {failure.to_revision} (failed, undone)",
        f"error: {failure.error}",
    ]
    if failure.unreadable:
        lines.append(f"not readable by this version: {', '.join(failure.unreadable)}")
    return "\n".join(lines)


def unreadable_box(failure: FailedUpgrade) -> QMessageBox:
    more = (
        support_words(failure)
        + "\n\n"
        + QCoreApplication.translate("UpgradeNotice", "The program closes now.")
    )
    return notice_box(
        QMessageBox.Icon.Critical,
        QCoreApplication.translate(
            "UpgradeNotice",
            "The database could not be upgraded, and this version cannot show it as it was.",
        ),
        more,
    )


def open_local_database(
    path: Path,
    show: Callable[[QMessageBox], object] = QMessageBox.exec,
    runner: TaskRunner | None = None,
) -> Database | None:
    """The desktop's database, upgraded or read only; ``None`` after telling the user, in
    a message box (``show``), why it cannot be used. With ``runner``, an upgrade runs on
    its database lane under a progress window (only when there is one to run)."""
    try:
        if runner is not None and needs_upgrade(path):
            db = upgrade_with_progress(path, runner)
        else:
            db = open_desktop_database(path)
    except DatabaseTooNew as exc:
        log.error("not opened: %s", exc)
        show(too_new_box(exc))
        return None
    failure = db.upgrade_failure
    if failure is not None and failure.unreadable:
        db.close()
        log.error("not opened: this version cannot show the old schema\n%s", details_of(failure))
        show(unreadable_box(failure))
        return None
    return db


def read_only_notice() -> str:
    """For the login screen."""
    return QCoreApplication.translate(
        "UpgradeNotice",
        "The database could not be upgraded to this version, so the program is read only: "
        "you can log in and look up people, but not edit, submit or sync. Only users who have "
        "logged in on this PC before can log in.",
    )


class ReadOnlyBanner(QFrame):
    """Above the main window's screens while the program is read only."""

    def __init__(self, failure: FailedUpgrade, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="readOnlyBanner")
        self.failure = failure
        self.setStyleSheet(BANNER_STYLE)
        self.title = QLabel(objectName="readOnlyTitle", wordWrap=True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel(objectName="readOnlyText", wordWrap=True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder = QPushButton(objectName="readOnlyOpenFolder")
        self.copy = QPushButton(objectName="readOnlyCopy")
        self.open_folder.clicked.connect(self.show_folder)
        self.copy.clicked.connect(self.copy_details)
        buttons = QVBoxLayout()
        buttons.addWidget(self.open_folder)
        buttons.addWidget(self.copy)
        buttons.addStretch(1)
        words = QVBoxLayout()
        words.addWidget(self.title)
        words.addWidget(self.text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(words, 1)
        layout.addLayout(buttons)
        self._retranslate()

    def _retranslate(self) -> None:
        self.title.setText(
            self.tr("Read only: the database could not be upgraded to this version.")
        )
        what = self.tr(
            "You can look up people and open their records, but you cannot edit, submit or "
            "sync until it is fixed."
        )
        self.text.setText(f"{what}\n{support_words(self.failure)}")
        self.open_folder.setText(self.tr("Open the folder"))
        self.copy.setText(self.tr("Copy the details"))

    def changeEvent(self, event) -> None:
        if event.type() == event.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def show_folder(self) -> bool:
        """The data folder, with the backup and the logs folder in it, in the file manager."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.failure.backup.parent)))

    def copy_details(self) -> None:
        words = f"{self.title.text()}\n{self.text.text()}\n\n{details_of(self.failure)}"
        QGuiApplication.clipboard().setText(words)


def add_banner(window, banner: QWidget) -> None:
    """Put ``banner`` above the central widget of ``window`` (a QMainWindow)."""
    central = window.takeCentralWidget()
    holder = QWidget(objectName="bannerHolder")
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(banner)
    layout.addWidget(central, 1)
    window.setCentralWidget(holder)
