"""After a failed upgrade the desktop is usable read only, and says so (issue 7): a user
who logged in here before logs in offline, finds people and opens them and their drafts
with nothing to change, under a banner naming the backup and the logs to send; nothing is
written. A newer program's database, or one this version cannot show, is explained in a
message box and not opened."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from app.store.db import open_database
from tests.store.later_program import LATER_REVISION, later_program
from tests.store.test_safe_upgrade import WRITES_THEN_FAILS
from tests.ui.editor_fixtures import type_thai
from tests.ui.session_helpers import SHOTS, type_into
from ui.login import LoginDialog
from ui.person_editor import PersonEditor
from ui.read_only import PersonViewer
from ui.startup import Startup
from ui.upgrade_notice import ReadOnlyBanner, open_local_database

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "db" / "release-0.1.0.sqlite3"
SAVED = json.loads(FIXTURE.with_suffix(".json").read_text(encoding="utf-8"))
CLERK_PASSWORD = SAVED["accounts"]["clerk"]["password"]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A data folder whose database (release 0.1.0's, upgraded by today's program: its
    screens read the columns 0005 added) the next program fails to upgrade."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(FIXTURE, data / "localhr.sqlite3")
    open_database(data / "localhr.sqlite3").close()
    for backup in data.glob("*.bak"):  # of today's upgrade: only the failed one's is looked at
        backup.unlink()
    return data


@pytest.fixture
def read_only_flow(qapp, folder, tmp_path, monkeypatch, runner, language) -> Iterator[Startup]:
    language("th")
    later_program(tmp_path, monkeypatch, *WRITES_THEN_FAILS)
    shown: list[QMessageBox] = []
    db = open_local_database(folder / "localhr.sqlite3", show=shown.append)
    assert db is not None and db.read_only and shown == []
    flow = Startup(folder, db, runner)
    yield flow
    windows = [w for w in (flow.window, flow.dialog) if w is not None]
    for window in windows:
        window.close()
    flow.shutdown()
    db.close()
    for window in windows:  # its viewers too: none left for a later test to find
        window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def log_in(qtbot, flow: Startup, username: str, password: str) -> LoginDialog:
    dialog = flow.dialog
    assert isinstance(dialog, LoginDialog)
    dialog.username.clear()
    type_into(qtbot, dialog.username, username)
    type_into(qtbot, dialog.password, password)
    dialog.ok.click()
    return dialog


def test_the_clerk_logs_in_and_browses_with_nothing_to_change(qtbot, read_only_flow, folder):
    flow = read_only_flow
    failure = flow.db.upgrade_failure
    assert failure is not None
    flow.start()
    dialog = flow.dialog
    assert isinstance(dialog, LoginDialog) and dialog.notice.isVisible()
    assert "อ่านอย่างเดียว" in dialog.notice.text()  # "read only", in Thai
    dialog.show()
    dialog.grab().save(str(SHOTS / "read-only-login.png"))

    log_in(qtbot, flow, "clerk", CLERK_PASSWORD)
    qtbot.waitUntil(lambda: flow.window is not None and flow.window.isVisible())
    window = flow.window
    assert "อ่านอย่างเดียว" in window.windowTitle()

    banner = window.findChild(ReadOnlyBanner)
    assert banner is not None and banner.isVisible()
    words = banner.text.text()
    assert str(failure.backup) in words and str(folder / "logs") in words
    assert "ส่ง" in words  # what to send, in Thai
    assert flow.sync is None and flow.review is None
    assert not window.commands["new_person"].isEnabled()
    assert not flow.menu.attention.isVisible()

    # The list and the search, as always.
    listed = window.people
    qtbot.waitUntil(lambda: listed.model.rowCount() == SAVED["people"])
    type_into(qtbot, listed.search, SAVED["approved"]["first_name_th"])
    qtbot.waitUntil(lambda: listed.model.rowCount() == 1)
    listed.open_current()
    viewer = window.screens.currentWidget()
    assert isinstance(viewer, PersonViewer) and viewer.person_id == SAVED["approved"]["person_id"]
    salary = viewer.personal.fields.get("salary") or viewer.position.fields["salary"]
    assert salary.widget.isReadOnly()
    assert "อ่านอย่างเดียว" in viewer.footer.status.text()
    assert not viewer.footer.submit_button.isVisible()

    # The draft the clerk left: shown as it was saved, nothing to change.
    draft = flow.screens.open_submission(SAVED["draft"]["submission_id"])
    assert isinstance(draft, PersonViewer)
    salary = draft.personal.fields.get("salary") or draft.position.fields["salary"]
    assert str(salary.value()) == SAVED["draft"]["salary"]
    assert salary.widget.isReadOnly()
    assert not draft.footer.submit_button.isVisible()
    assert not draft.footer.withdraw_button.isVisible()
    window.resize(1180, 720)
    window.grab().save(str(SHOTS / "read-only-draft.png"))

    # Who proposed and approved what: the history of the approved person reads too.
    history = flow.history.show(SAVED["approved"]["person_id"])
    assert [e.event for e in history.entries][-1] == "approved"

    window.show_screen(window.people)
    window.resize(1180, 720)
    window.grab().save(str(SHOTS / "read-only-window.png"))

    banner.copy_details()
    copied = QGuiApplication.clipboard().text()
    assert str(failure.backup) in copied and failure.error in copied


def test_nothing_is_written_while_read_only(qtbot, read_only_flow) -> None:
    flow = read_only_flow
    backup = flow.db.upgrade_failure.backup
    flow.start()
    log_in(qtbot, flow, "clerk", CLERK_PASSWORD)
    qtbot.waitUntil(lambda: flow.window is not None)
    flow.screens.open_submission(SAVED["draft"]["submission_id"])
    flow.lock()
    log_in(qtbot, flow, "clerk", CLERK_PASSWORD)
    qtbot.waitUntil(lambda: not flow.locked)
    flow.window.close()
    flow.db.close()
    assert digest(flow.db.path) == digest(backup)  # no login, no audit event, no draft save


def test_a_write_refused_while_read_only_is_said_in_words(qtbot, read_only_flow) -> None:
    """Should anything try to save (here the plain editor, which the read-only screens never
    open), the clerk reads why in Thai, not a code."""
    flow = read_only_flow
    backup = flow.db.upgrade_failure.backup
    editor = PersonEditor(
        flow.db, flow.runner, SAVED["accounts"]["clerk"]["id"],
        submission_id=SAVED["draft"]["submission_id"],
    )  # fmt: skip
    qtbot.addWidget(editor)
    editor.show()
    last = editor.personal.fields["last_name_th"].widget
    last.clear()
    type_thai(last, "ศรีสุวรรณ")
    editor.save_now()

    words = editor.footer.status.text()
    assert words.startswith("ยังไม่ได้บันทึก: ")  # "not saved: "
    assert "อ่านอย่างเดียว" in words and "ปรับรุ่นฐานข้อมูลไม่สำเร็จ" in words
    assert "read_only" not in words
    editor.resize(1000, 640)
    editor.grab().save(str(SHOTS / "read-only-write-refused.png"))
    editor.close()
    flow.db.close()
    assert digest(flow.db.path) == digest(backup)


def test_only_users_known_on_this_pc_log_in(qtbot, read_only_flow) -> None:
    flow = read_only_flow
    flow.start()
    dialog = log_in(qtbot, flow, "clerk", "not the password")
    qtbot.waitUntil(dialog.error.isVisible)
    assert "รหัสผ่าน" in dialog.error.text() and flow.window is None  # wrong password

    admin = SAVED["accounts"]["admin"]["password"]  # right, but never logged in on this PC
    log_in(qtbot, flow, "admin", admin)
    qtbot.waitUntil(lambda: "อ่านอย่างเดียว" in dialog.error.text())
    assert flow.window is None


def show_and_grab(box: QMessageBox, name: str) -> None:
    box.show()
    box.grab().save(str(SHOTS / name))
    box.close()


def test_a_newer_programs_database_is_explained_and_left_alone(
    qapp, folder, language, caplog
) -> None:
    language("th")
    path = folder / "localhr.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = 'f00d1e55'")
    conn.commit()
    conn.close()
    before = digest(path)
    shown: list[QMessageBox] = []

    assert open_local_database(path, show=shown.append) is None

    [box] = shown
    assert "รุ่นใหม่กว่า" in box.text()  # "a newer version"
    assert str(path) in box.informativeText()
    assert [b.text() for b in box.buttons()] == ["ปิด"]
    assert "f00d1e55" in caplog.text  # for IT staff, in the log
    show_and_grab(box, "database-too-new.png")
    assert digest(path) == before
    assert sorted(p.name for p in folder.iterdir()) == ["localhr.sqlite3"]


def test_an_old_schema_this_version_cannot_show_is_explained(
    qapp, folder, tmp_path, monkeypatch, language, caplog
) -> None:
    language("th")
    path = folder / "localhr.sqlite3"
    open_database(path).close()  # today's schema, then one column short
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE person DROP COLUMN salary_step")
    conn.commit()
    conn.close()
    later_program(tmp_path, monkeypatch, *WRITES_THEN_FAILS)
    shown: list[QMessageBox] = []

    assert open_local_database(path, show=shown.append) is None

    [box] = shown
    # the backup of the failed upgrade (the fixture's own upgrade to today's made another)
    [backup] = folder.glob(f"*.before-{LATER_REVISION}.bak")
    assert str(backup) in box.informativeText()
    assert str(folder / "logs") in box.informativeText()
    assert "person.salary_step" in caplog.text  # for IT staff, in the log
    show_and_grab(box, "database-unreadable.png")
    assert digest(path) == digest(backup)
