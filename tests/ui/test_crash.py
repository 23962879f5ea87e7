"""An error nobody handled, as the clerk meets it: what they typed is in the database as a
draft, a crash report is in the data folder, and a dialog in Thai says so and where it is;
a burst of the same error shows one dialog; an error in a thread of our own is told too."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.logs import start_logging
from app.services import submissions
from tests.fixtures_db import free_person_ids
from tests.ui.editor_fixtures import shown, type_thai
from tests.ui.session_helpers import SHOTS
from ui.crash import Crash, CrashHandler
from ui.crash_dialog import CrashDialog
from ui.person_editor import PersonEditor
from ui.tasks import TaskRunner

WAIT_MS = 10_000


class Clock:
    """The handler's clock, moved by the test: 'a minute later' without waiting a minute."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def crashes(qapp, tmp_path, clock) -> Iterator[CrashHandler]:
    """The desktop's hooks over a data folder ``tmp_path``, after start-up (a main window
    exists): what pytest-qt would catch goes to them instead while the test runs."""
    logs = start_logging(tmp_path)
    handler = CrashHandler(tmp_path, logs, clock=clock)
    handler.started()
    handler.install()
    yield handler
    handler.uninstall()
    logs.close()
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, CrashDialog) and shiboken6.isValid(widget):
            widget.close()


def raise_in_a_slot(qtbot, handler: CrashHandler, error: Exception) -> Crash:
    """``error`` raised by a function a timer calls (a slot, as Qt calls them)."""

    def broken() -> None:
        raise error

    with qtbot.waitSignal(handler.crashed, timeout=WAIT_MS) as signal:
        QTimer.singleShot(0, broken)
    return signal.args[0]


def dialogs() -> list[CrashDialog]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, CrashDialog) and w.isVisible()]  # fmt: skip


def test_an_error_in_a_slot_keeps_the_typed_thai_draft_writes_a_report_and_tells_the_clerk(
    qtbot, demo, language, crashes, tmp_path
) -> None:
    language("th")
    threaded = TaskRunner()  # the desktop's runner: the save goes through the database lane
    try:
        editor = PersonEditor(demo.db, threaded, demo.clerk, person_id=free_person_ids(demo.db)[0])
        editor.resize(1000, 720)
        shown(qtbot, editor)
        qtbot.waitUntil(lambda: editor.detail is not None, timeout=WAIT_MS)
        name = editor.personal.fields["first_name_th"].widget
        name.selectAll()
        type_thai(name, "สมศรีทดสอบ")
        assert editor.has_unsaved_changes()  # the autosave has not run: the crash comes first

        crash = raise_in_a_slot(qtbot, crashes, ZeroDivisionError("division by zero"))

        # The draft is in the database already, as typed.
        assert editor.submission_id is not None
        stored = submissions.get_submission(demo.db, demo.clerk, editor.submission_id)
        assert stored.proposed["first_name_th"] == "สมศรีทดสอบ"
        assert not editor.has_unsaved_changes()
        assert (crash.kept, crash.lost) == (1, 0)

        # The report, in the data folder, with what support needs.
        assert crash.report is not None and crash.report.parent == tmp_path / "crash-reports"
        assert re.fullmatch(r"crash-\d{8}-\d{6}\.txt", crash.report.name)
        report = crash.report.read_text(encoding="utf-8")
        for line in ("program: localhr-desk", "python: 3.", "qt: 6.", "system: ",
                     "during start-up: no", "ZeroDivisionError: division by zero",
                     "in broken", "last log lines:"):  # fmt: skip
            assert line in report
        log_text = (tmp_path / "logs" / "localhr.log").read_text(encoding="utf-8")
        assert "unhandled error" in log_text and "ZeroDivisionError" in log_text

        # The dialog, in Thai: the work goes on, the draft is kept, the report is there.
        qtbot.waitUntil(lambda: len(dialogs()) == 1, timeout=WAIT_MS)
        dialog = dialogs()[0]
        assert dialog is crash.dialog
        assert dialog.windowTitle() == "เกิดข้อผิดพลาด"
        assert "ทำงานต่อ" in dialog.message.text()
        assert dialog.drafts.isVisible() and "ฉบับร่าง" in dialog.drafts.text()
        assert dialog.report_path.text() == str(crash.report)
        assert dialog.close_button.text() == "ปิด"
        dialog.grab().save(str(SHOTS / "crash-dialog.png"))
        dialog.copy_path.click()
        assert QApplication.clipboard().text() == str(crash.report)
        assert dialog.copy_path.text() == "คัดลอกแล้ว"
        dialog.close_button.click()
        qtbot.waitUntil(lambda: not dialogs(), timeout=WAIT_MS)
        assert editor.isVisible()  # the program goes on
    finally:
        threaded.shutdown(cancel=False)


def test_a_burst_of_the_same_error_shows_one_dialog_and_writes_one_report(
    qtbot, crashes, clock, tmp_path
) -> None:
    def broken() -> None:
        raise ValueError("the same place")

    first = raise_in_a_slot(qtbot, crashes, ValueError("x"))
    for _ in range(5):
        clock.now += 1
        QTimer.singleShot(0, broken)
        QTimer.singleShot(0, broken)
    qtbot.wait(50)
    reports = sorted((tmp_path / "crash-reports").iterdir())
    assert len(dialogs()) == 1

    # broken() raises from one place: one report for all ten; the first error had its own.
    assert len(reports) == 2 and first.report in reports
    log_text = (tmp_path / "logs" / "localhr.log").read_text(encoding="utf-8")
    assert "the same unhandled error again (10 times)" in log_text

    # A minute after its last time, the same error is news again, but one dialog is enough.
    clock.now += 61
    with qtbot.waitSignal(crashes.crashed, timeout=WAIT_MS, raising=False) as signal:
        QTimer.singleShot(0, broken)
    assert not signal.signal_triggered
    assert len(list((tmp_path / "crash-reports").iterdir())) == 3
    assert len(dialogs()) == 1


def test_an_error_in_a_thread_of_our_own_is_reported_and_shown_on_the_gui_thread(
    qtbot, language, crashes, tmp_path
) -> None:
    language("th")

    def work() -> None:
        raise OSError("the disk is full")

    with qtbot.waitSignal(crashes.crashed, timeout=WAIT_MS) as signal:
        thread = threading.Thread(target=work, name="import-worker")
        thread.start()
        thread.join()
    crash = signal.args[0]
    report = crash.report.read_text(encoding="utf-8")
    assert "thread: import-worker" in report and "OSError: the disk is full" in report
    qtbot.waitUntil(lambda: len(dialogs()) == 1, timeout=WAIT_MS)
    assert not dialogs()[0].drafts.isVisible()  # no editor open: nothing to say of drafts


def test_a_crash_report_holds_no_citizen_id(qtbot, crashes) -> None:
    crash = raise_in_a_slot(qtbot, crashes, ValueError("duplicate citizen_id 3249800008341"))
    report = crash.report.read_text(encoding="utf-8")
    assert "3249800008341" not in report
    assert "duplicate citizen_id x-xxxx-xxxxx-xx-x" in report
    assert "3249800008341" not in dialogs()[0].details.text()


# A desktop of its own (a process: run_desktop installs its hooks, language and translations
# for a whole program), with one fault put in: the start-up flow, or the database, breaks.
# What the clerk would see in the crash dialog is read and its button clicked as they would.
STARTUP_SCRIPT = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import ui.startup, ui.upgrade_notice
from localhr.desktop import run_desktop
from ui.app import create_application
from ui.crash_dialog import CrashDialog

folder, fault, shot = Path(sys.argv[1]), sys.argv[2], sys.argv[3]

def broken(*args, **kwargs):
    raise RuntimeError("start-up broke here")

if fault == "flow":
    ui.startup.Startup.start = broken
else:
    ui.upgrade_notice.open_local_database = broken
qt = create_application(sys.argv[:1])
seen = {}

def close_the_dialog():
    for w in QApplication.topLevelWidgets():
        if isinstance(w, CrashDialog) and w.isVisible() and not seen:
            seen.update(message=w.message.text(), button=w.close_button.text(),
                        report=w.report_path.text())
            w.grab().save(shot)
            w.close_button.click()

poll = QTimer(interval=20, timeout=close_the_dialog)
poll.start()
status = run_desktop(folder)
poll.stop()
print(json.dumps({"status": status, **seen}))
"""


@pytest.mark.parametrize("fault", ["flow", "database"])
def test_an_error_at_start_up_says_the_program_must_close_and_it_does(tmp_path, fault) -> None:
    """``flow``: inside the event loop, with nothing on screen yet (the program would hang);
    ``database``: before the event loop. Either way the program ends, with status 1."""
    import json
    import os
    import subprocess
    import sys

    folder = tmp_path / "data"
    shot = SHOTS / f"crash-startup-{fault}.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", STARTUP_SCRIPT, str(folder), fault, str(shot)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["status"] == 1
    assert "ต้องปิด" in seen["message"]  # "... must close"
    assert seen["button"] == "ปิดโปรแกรม"
    report = Path(seen["report"])
    assert report.parent == folder / "crash-reports"
    text = report.read_text(encoding="utf-8")
    assert "during start-up: yes" in text and "RuntimeError: start-up broke here" in text
    log_text = (folder / "logs" / "localhr.log").read_text(encoding="utf-8")
    assert "LocalHR Desk" in log_text and "starts" in log_text
    assert "unhandled error" in log_text and "ends (status 1)" in log_text
