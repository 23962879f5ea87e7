"""A one-time password, shown once (issue 14): a new account's or a reset one.

The org admin reads it out or copies it for the user; it is not kept anywhere on this PC
and the central keeps only its verifier, so the dialog says it will not be shown again. The
user must change it at their first login (:mod:`ui.change_password`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs import FittedDialog, notice_label, title_label


class OneTimePasswordDialog(FittedDialog):
    """``password`` of ``username`` (``display_name``), with a Copy button."""

    def __init__(
        self, username: str, display_name: str, password: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("oneTimeDialog")
        self.username, self.display_name = username, display_name
        self.title = title_label("oneTimeTitle")
        self.title.setWordWrap(True)
        self.message = QLabel(objectName="oneTimeMessage", wordWrap=True)
        self.password = QLineEdit(password, objectName="oneTimePassword", readOnly=True)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), QFont().pointSizeF()) * 1.4)
        self.password.setFont(font)
        self.warning = notice_label("oneTimeWarning", " ")
        self.copy = QPushButton(objectName="oneTimeCopy")
        self.copy.clicked.connect(self.copy_password)
        self.copied = QLabel(objectName="oneTimeCopied", wordWrap=True)
        self.copied.hide()
        self.buttons = QDialogButtonBox()
        self.buttons.addButton(self.copy, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("oneTimeClose")
        self.close_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.message, self.password, self.warning, self.copied):
            layout.addWidget(widget)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self._retranslate()
        self.password.selectAll()
        self.password.setFocus()

    def copy_password(self) -> None:
        QGuiApplication.clipboard().setText(self.password.text())
        self.copied.show()
        self.fit()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("LocalHR Desk: one-time password"))
        self.title.setText(self.tr("One-time password of %1").replace("%1", self.username))
        self.message.setText(
            self.tr(
                "Give this password to %1 in person. It works for one login only: they "
                "must choose their own password at once, on a PC connected to the central."
            ).replace("%1", self.display_name or self.username)
        )
        self.warning.setText(
            self.tr("It will not be shown again. If it is lost, reset the password once more.")
        )
        self.copy.setText(self.tr("&Copy"))
        self.copied.setText(self.tr("Copied. Clear the clipboard once you have passed it on."))
        self.close_button.setText(self.tr("I have &noted it"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
