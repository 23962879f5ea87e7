"""Settings: declared once with defaults, kept in the data folder and read back; a bad value
falls back alone; the dialog edits them; the language and font size apply at once."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QDialogButtonBox

from app.store.db import open_database
from tests.ui import session_helpers as helpers
from tests.ui.session_helpers import SHOTS, type_into
from ui.fonts import DEFAULT_SIZE_PT
from ui.session import Session, SessionMenu
from ui.settings import FILE_NAME, Settings, SettingsFile
from ui.settings_dialog import SettingsDialog
from ui.startup import Startup
from ui.tasks import TaskRunner

# Fixtures shared with the other start-up tests.
thai = helpers.thai


def test_defaults_without_a_file(tmp_path) -> None:
    settings = SettingsFile(tmp_path).settings
    assert settings == Settings()
    assert (settings.language, settings.sync_interval_min, settings.lock_after_min) == ("th", 5, 10)
    assert settings.font_size_pt == DEFAULT_SIZE_PT and not settings.configured
    assert not (tmp_path / FILE_NAME).exists()  # nothing written until something is chosen


def test_saved_settings_are_read_back(tmp_path) -> None:
    saved = SettingsFile(tmp_path).save(
        mode="central", central_url="https://central.example.go.th", sync_interval_min=30,
        language="en", font_size_pt=14, last_username="clerk",
    )  # fmt: skip
    again = SettingsFile(tmp_path).settings
    assert again == saved and again.configured
    assert again.central_url == "https://central.example.go.th" and again.font_size_pt == 14


def test_a_bad_value_falls_back_alone(tmp_path) -> None:
    (tmp_path / FILE_NAME).write_text(
        json.dumps({"sync_interval_min": 0, "language": "fr", "font_size_pt": 13,
                    "central_url": "https://c.example", "mode": "central", "future": 1}),
        encoding="utf-8",
    )  # fmt: skip
    settings = SettingsFile(tmp_path).settings
    assert settings.sync_interval_min == 5 and settings.language == "th"  # defaults
    assert settings.font_size_pt == 13 and settings.central_url == "https://c.example"


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", ""])
def test_an_unreadable_file_gives_the_defaults(tmp_path, text) -> None:
    (tmp_path / FILE_NAME).write_text(text, encoding="utf-8")
    assert SettingsFile(tmp_path).settings == Settings()


def test_saving_refuses_a_bad_value_and_keeps_the_file(tmp_path) -> None:
    file = SettingsFile(tmp_path)
    file.save(sync_interval_min=15)
    with pytest.raises(ValueError):
        file.save(sync_interval_min=-1)
    assert SettingsFile(tmp_path).settings.sync_interval_min == 15
    assert [p.name for p in tmp_path.iterdir()] == [FILE_NAME]  # no temporary file left


@pytest.fixture
def startup(qapp, tmp_path) -> Iterator[Startup]:
    db = open_database(tmp_path / "localhr.sqlite3")
    runner = TaskRunner(synchronous=True)
    flow = Startup(tmp_path, db, runner)
    yield flow
    flow.shutdown()
    runner.shutdown()
    db.close()
    for translator in qapp.findChildren(QTranslator):
        QCoreApplication.removeTranslator(translator)
        translator.deleteLater()


def test_the_dialog_edits_and_the_changes_apply_at_once(qtbot, qapp, startup, tmp_path) -> None:
    font, locale = qapp.font(), QLocale()
    menu = SessionMenu(Session("u1", "clerk", "สุภาพร", "clerk", "o1"))  # type: ignore[arg-type]
    qtbot.addWidget(menu)
    startup.apply_settings(startup.settings.settings.model_copy(update={"language": "en"}))
    qtbot.waitUntil(lambda: menu.lock.text() == "&Lock")
    dialog = SettingsDialog(startup.settings.settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.interval.setValue(15)
    dialog.lock_after.setValue(3)
    dialog.font_size.setValue(14)
    dialog.language.setCurrentIndex(dialog.language.findData("th"))
    dialog.saved.connect(startup.apply_settings)
    try:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()

        assert not dialog.isVisible()
        kept = SettingsFile(tmp_path).settings
        assert (kept.sync_interval_min, kept.lock_after_min, kept.font_size_pt, kept.language) == (
            15, 3, 14, "th",
        )  # fmt: skip
        assert qapp.font().pointSize() == 14
        assert startup.watch.timeout_s == 180
        qtbot.waitUntil(lambda: menu.lock.text() != "&Lock")  # a menu shown speaks Thai now
        assert QLocale().language() is QLocale.Language.Thai
        shown = SettingsDialog(kept)
        qtbot.addWidget(shown)
        shown.show()
        shown.grab().save(str(SHOTS / "settings.png"))
        assert shown.windowTitle() == "ตั้งค่า"
    finally:
        qapp.setFont(font)
        QLocale.setDefault(locale)


def test_a_bad_central_address_is_not_saved(qtbot, tmp_path, thai) -> None:
    settings = Settings(mode="central", central_url="https://central.example.go.th")
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    saved: list[Settings] = []
    dialog.saved.connect(saved.append)
    dialog.url.clear()
    type_into(qtbot, dialog.url, "http://central.example.go.th")  # plain http, not loopback
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert saved == [] and dialog.isVisible()
    assert "https://" in dialog.error.text()
    dialog.ca_bundle.setText(str(tmp_path / "no-such.pem"))
    dialog.url.setText("https://central2.example.go.th")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert saved == [] and "no-such.pem" in dialog.error.text()


def test_the_demo_central_address_is_not_editable(qtbot) -> None:
    dialog = SettingsDialog(Settings(mode="demo"))
    qtbot.addWidget(dialog)
    assert not dialog.url.isEnabled() and not dialog.ca_bundle.isEnabled()
