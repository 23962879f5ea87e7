"""The dialog an unhandled error shows (ui/crash.py): what happened in words, whether the
program goes on, that the draft is kept, and where the crash report is — with a button to
open its folder and one to copy its path for IT support."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ui.crash import Crash

#: The widest the report's path makes the dialog (a longer one scrolls).
MAX_PATH_WIDTH = 860
MIN_TEXT_WIDTH = 460


class CrashDialog(QDialog):
    def __init__(self, crash: Crash, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.crash = crash
        self.setWindowTitle(self.tr("Something went wrong"))

        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
                       .pixmap(size, size))  # fmt: skip
        self.heading = QLabel(self.tr("Something went wrong in LocalHR Desk."))
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.message = QLabel(self._message())
        self.drafts = QLabel(self._drafts())
        self.drafts.setVisible(bool(self.drafts.text()))
        self.drafts.setStyleSheet("font-weight: bold")
        for label in (self.heading, self.message, self.drafts):
            label.setWordWrap(True)
        self.message.setMinimumWidth(MIN_TEXT_WIDTH)  # else the words wrap into a column

        self.report_label = QLabel(self.tr("Crash report:"))
        self.report_path = QLineEdit(str(crash.report or ""), readOnly=True)
        fits = self.report_path.fontMetrics().horizontalAdvance(self.report_path.text()) + 24
        self.report_path.setMinimumWidth(min(fits, MAX_PATH_WIDTH))
        self.report_path.setCursorPosition(len(self.report_path.text()))  # the file's name
        self.report_label.setBuddy(self.report_path)
        self.details = QLabel(self.tr("Details: %1").replace("%1", crash.summary))
        self.details.setWordWrap(True)
        self.details.setStyleSheet("color: palette(mid)")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QDialogButtonBox()
        self.open_folder = QPushButton(self.tr("Open folder"))
        self.copy_path = QPushButton(self.tr("Copy path"))
        self.close_button = QPushButton(
            self.tr("Close the program") if crash.fatal else self.tr("Close")
        )
        buttons.addButton(self.open_folder, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_path, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button.setDefault(True)
        if crash.report is None:
            self.report_label.setText(self.tr("The crash report could not be written."))
            self.report_path.hide()
            self.open_folder.setEnabled(False)
            self.copy_path.setEnabled(False)
        self.open_folder.clicked.connect(self.show_folder)
        self.copy_path.clicked.connect(self.copy)
        buttons.accepted.connect(self.accept)

        text = QVBoxLayout()
        for widget in (self.heading, self.message, self.drafts, self.report_label,
                       self.report_path, self.details):  # fmt: skip
            text.addWidget(widget)
        top = QHBoxLayout()
        top.addWidget(icon, 0)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)
        self.close_button.setFocus()

    def _message(self) -> str:
        if self.crash.fatal:
            return self.tr(
                "The program could not finish starting and must close. Start it again; if "
                "this happens again, send the crash report below to your IT support."
            )
        return self.tr(
            "The program keeps running: you can go on working. If this happens again, send "
            "the crash report below to your IT support."
        )

    def _drafts(self) -> str:
        if self.crash.lost:
            return self.tr(
                "Some of what you were typing could not be saved. Do not close the program "
                "yet: check the records you have open first."
            )
        if self.crash.kept:
            return self.tr("What you were typing has been saved as a draft.")
        return ""

    def show_folder(self) -> None:
        if self.crash.report is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.crash.report.parent)))

    def copy(self) -> None:
        """The report's path to the clipboard, to paste into a message to IT support."""
        QGuiApplication.clipboard().setText(self.report_path.text())
        self.copy_path.setText(self.tr("Path copied"))
