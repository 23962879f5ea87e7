"""The settings dialog: the central's address and certificates, how often to sync, when to
lock, the language and the font size (:class:`ui.settings.Settings`).

It edits a copy and hands the new settings to its owner (:attr:`SettingsDialog.saved`),
which keeps and applies them: the language and font size at once, the sync interval from
the next sync, the lock time at once, and a new central address by reconnecting.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sync.client.transport import CentralClient
from ui.dialogs import FittedDialog, error_label
from ui.settings import Settings

LANGUAGE_NAMES = (("th", "ไทย"), ("en", "English"))  # each in its own language


def url_ok(url: str) -> bool:
    """Whether the sync client takes ``url`` as a central's address."""
    try:
        CentralClient(url).close()
    except ValueError:
        return False
    return True


class SettingsDialog(FittedDialog):
    saved = Signal(object)  # the new Settings

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self._settings = settings
        demo = settings.mode == "demo"
        self.url = QLineEdit(settings.central_url, objectName="settingsUrl")
        self.ca_bundle = QLineEdit(settings.ca_bundle, objectName="settingsCaBundle")
        self.browse = QPushButton(objectName="settingsBrowse")
        self.browse.clicked.connect(self._choose_ca_bundle)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_bundle, 1)
        ca_row.addWidget(self.browse)
        for widget in (self.url, self.ca_bundle, self.browse):
            widget.setEnabled(not demo)
        self.central_note = QLabel(objectName="settingsCentralNote", wordWrap=True)
        self.central_note.setStyleSheet("color: #616161;")
        self.interval = QSpinBox(objectName="settingsInterval")
        self.interval.setRange(1, 24 * 60)
        self.interval.setValue(settings.sync_interval_min)
        self.lock_after = QSpinBox(objectName="settingsLockAfter")
        self.lock_after.setRange(1, 8 * 60)
        self.lock_after.setValue(settings.lock_after_min)
        self.language = QComboBox(objectName="settingsLanguage")
        for code, name in LANGUAGE_NAMES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.font_size = QSpinBox(objectName="settingsFontSize")
        self.font_size.setRange(9, 20)
        self.font_size.setValue(settings.font_size_pt)
        self.error = error_label("settingsError")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        fields = (self.url, self.ca_bundle, self.interval, self.lock_after, self.language,
                  self.font_size)  # fmt: skip
        self.labels = [QLabel(buddy=field) for field in fields]
        rows = (self.url, ca_row, self.interval, self.lock_after, self.language, self.font_size)
        for label, row in zip(self.labels, rows, strict=True):
            self.form.addRow(label, row)
            if row is ca_row:
                self.form.addRow("", self.central_note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self._retranslate()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        labels = (
            self.tr("Central &address"),
            self.tr("C&ertificate file"),
            self.tr("S&ync every"),
            self.tr("&Lock when unused for"),
            self.tr("Lan&guage"),
            self.tr("&Font size"),
        )
        for label, text in zip(self.labels, labels, strict=True):
            label.setText(text)
        if self._settings.mode == "demo":
            self.central_note.setText(self.tr("The demo's central runs inside this program."))
        else:
            self.central_note.setText(
                self.tr(
                    "Change the address only when your central has moved: this PC's "
                    "credential goes with it."
                )
            )
        self.ca_bundle.setPlaceholderText(self.tr("the system's certificates"))
        self.browse.setText(self.tr("&Browse…"))
        self.interval.setSuffix(self.tr(" minutes"))
        self.lock_after.setSuffix(self.tr(" minutes"))
        self.font_size.setSuffix(self.tr(" pt"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _choose_ca_bundle(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("CA certificates"), "", self.tr("Certificates (*.pem *.crt *.cer)")
        )
        if path:
            self.ca_bundle.setText(path)

    def edited(self) -> Settings:
        """The settings as the form has them."""
        return Settings.model_validate(
            {
                **self._settings.model_dump(),
                "central_url": self.url.text().strip(),
                "ca_bundle": self.ca_bundle.text().strip(),
                "sync_interval_min": self.interval.value(),
                "lock_after_min": self.lock_after.value(),
                "language": self.language.currentData(),
                "font_size_pt": self.font_size.value(),
            }
        )

    def problem(self, new: Settings) -> str | None:
        """What keeps ``new`` from being saved, in words; None when nothing does."""
        moved = new.mode == "central" and new.central_url != self._settings.central_url
        if moved and not url_ok(new.central_url):
            return self.tr(
                "The central's address must start with https:// (plain http:// only "
                "for a central on this same computer)."
            )
        new_file = new.ca_bundle and new.ca_bundle != self._settings.ca_bundle
        if new_file and not Path(new.ca_bundle).is_file():
            return self.tr("The certificate file %1 does not exist.").replace("%1", new.ca_bundle)
        return None

    def _save(self) -> None:
        new = self.edited()
        problem = self.problem(new)
        if problem is not None:
            self.error.setText(problem)
            self.error.show()
            self.fit()
            return
        self.saved.emit(new)
        self.accept()
