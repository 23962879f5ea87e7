"""While an old database is backed up and upgraded at start, a small window says so, in
Thai, with where the copy is kept; it goes once the database is upgraded (issue 7). A start
with nothing to upgrade shows no window at all.

The upgrade runs on a real task runner's database lane, as the desktop runs it
(``localhr.desktop``); an event filter on the application sees the window shown and
hidden, and what the database was at those moments.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QApplication, QMessageBox

from app.store.db import current_revision, head_revision, open_database
from tests.store.later_program import later_program
from tests.store.test_safe_upgrade import WRITES_THEN_FAILS
from tests.ui.session_helpers import SHOTS
from ui.tasks import ProgressState
from ui.upgrade_notice import open_local_database
from ui.upgrade_progress import UpgradeProgress

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "db"


def stored_revision(path: Path) -> str:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()


@dataclass
class Seen:
    """What the user saw of the progress window: shown and hidden, with the database's
    schema revision in the file at each moment."""

    path: Path
    shown: list[tuple[str, str]] = field(default_factory=list)  # (revision, heading)
    hidden: list[tuple[str, str]] = field(default_factory=list)  # (revision, step)


class Watch(QObject):
    def __init__(self, seen: Seen) -> None:
        super().__init__()
        self.seen = seen

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, UpgradeProgress):
            if event.type() == QEvent.Type.Show:
                self.seen.shown.append((stored_revision(self.seen.path), watched.heading.text()))
                watched.grab().save(str(SHOTS / "upgrade-progress-start.png"))
            elif event.type() == QEvent.Type.Hide:
                self.seen.hidden.append((stored_revision(self.seen.path), watched.step.text()))
        return False


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """The database of development schema 0001 in a data folder."""
    path = tmp_path / "data" / "localhr.sqlite3"
    path.parent.mkdir()
    shutil.copyfile(FIXTURES / "revision-0001.sqlite3", path)
    return path


@pytest.fixture
def seen(qapp, database, language) -> Iterator[Seen]:
    language("th")
    seen = Seen(database)
    watch = Watch(seen)
    qapp.installEventFilter(watch)
    yield seen
    qapp.removeEventFilter(watch)


def progress_windows() -> list[UpgradeProgress]:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, UpgradeProgress)]


def test_an_old_database_is_upgraded_under_a_window_that_says_so(seen, database, threaded_runner):
    assert stored_revision(database) == "0001"

    db = open_local_database(database, runner=threaded_runner)

    assert db is not None
    try:
        assert not db.read_only and current_revision(db.engine) == head_revision()
    finally:
        db.close()
    # Shown before the upgrade began, gone once it was done.
    assert seen.shown == [("0001", "กำลังปรับรุ่นฐานข้อมูล…")]  # "upgrading the database"
    [(revision, step)] = seen.hidden
    assert revision == head_revision()
    assert str(database.parent) in step and "สำรอง" in step  # where the copy is kept
    assert progress_windows() == []
    [backup] = database.parent.glob("*.bak")
    assert stored_revision(backup) == "0001"


def test_a_failed_upgrade_under_the_window_opens_read_only(
    seen, database, threaded_runner, tmp_path, monkeypatch
):
    # today's schema (the screens read columns 0001 lacks), which the next program fails on
    open_database(database).close()
    for backup in database.parent.glob("*.bak"):
        backup.unlink()
    today = head_revision()
    later_program(tmp_path, monkeypatch, *WRITES_THEN_FAILS)
    shown: list[QMessageBox] = []

    db = open_local_database(database, show=shown.append, runner=threaded_runner)

    assert db is not None and shown == []
    try:
        assert db.read_only and db.upgrade_failure is not None
    finally:
        db.close()
    assert [revision for revision, _ in seen.shown] == [today]
    [(revision, step)] = seen.hidden
    assert revision == today  # put back as it was
    assert "คืน" in step  # "putting it back"
    assert progress_windows() == []


def test_a_database_with_nothing_to_upgrade_shows_no_window(seen, database, threaded_runner):
    open_database(database).close()  # upgraded once already
    new = database.parent / "new.sqlite3"

    for path in (database, new):
        db = open_local_database(path, runner=threaded_runner)
        assert db is not None and current_revision(db.engine) == head_revision()
        db.close()

    assert seen.shown == [] and progress_windows() == []


def test_the_window_shows_how_far_the_copy_is_and_cannot_be_closed(qtbot, tmp_path, language):
    language("th")
    window = UpgradeProgress(tmp_path)
    qtbot.addWidget(window)
    window.show()

    window.show_state(ProgressState(512, 2048, "backup"))
    assert (window.bar.value(), window.bar.maximum()) == (512, 2048)
    assert "สำรองไฟล์" in window.step.text() and str(tmp_path) in window.step.text()
    assert "อย่าปิดเครื่อง" in window.note.text()  # "do not turn off the PC"
    window.grab().save(str(SHOTS / "upgrade-progress-backup.png"))

    window.show_state(ProgressState(0, 0, "migrate"))
    assert window.bar.maximum() == 0  # busy: no measure of how far
    assert "รุ่นนี้" in window.step.text() and str(tmp_path) in window.step.text()
    window.grab().save(str(SHOTS / "upgrade-progress-migrate.png"))

    window.close()
    assert window.isVisible()  # an upgrade is not stopped halfway
    window.finish()
    assert not window.isVisible()
