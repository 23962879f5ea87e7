"""One copy of the desktop per data folder (issue 7): a second start, while a copy runs,
says in Thai that the program is already open and ends without touching the database; a
lock left behind by a copy that was killed does not stop the next start.

Each start is a real ``localhr`` process over ``LOCALHR_DATA_DIR``, on the offscreen
platform; a timer in it answers the first thing it shows and reports what that was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.store.db import current_revision, head_revision, make_engine
from tests.ui.session_helpers import SHOTS
from ui.single_instance import lock_path, take_folder

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "db" / "revision-0001.sqlite3"
TIMEOUT_S = 120

#: ``localhr`` (the desktop against its central) with a timer that answers the first thing
#: shown: the "already open" message (its button clicked) or first run (the program quit).
START = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from localhr.cli import main
from ui.app import create_application
from ui.first_run import FirstRunDialog

shot = sys.argv[1]
qt = create_application(sys.argv[:1])
seen = {}

def answer():
    for w in QApplication.topLevelWidgets():
        if not w.isVisible() or seen:
            continue
        if isinstance(w, QMessageBox) and w.objectName() == "alreadyOpen":
            seen.update(shown="already open", text=w.text(), more=w.informativeText(),
                        buttons=[b.text() for b in w.buttons()])
            w.grab().save(shot)
            w.buttons()[0].click()
        elif isinstance(w, FirstRunDialog):
            seen.update(shown="first run")
            QApplication.quit()

poll = QTimer(interval=20, timeout=answer)
poll.start()
status = main([])
poll.stop()
print(json.dumps({"status": status, **seen}))
"""

#: Takes the data folder's lock as the desktop does, says so, and waits to be killed.
HOLD = """
import sys, time
from pathlib import Path
from ui.single_instance import take_folder

lock = take_folder(Path(sys.argv[1]))
print("locked" if lock is not None and lock.isLocked() else "not locked", flush=True)
time.sleep(600)
"""


def environment(folder: Path) -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LOCALHR_DATA_DIR": str(folder)}


def start_desktop(folder: Path, shot: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", START, str(shot)],
        env=environment(folder), cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_S,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A data folder whose database is an old one: any start that opened it would back it
    up and upgrade it."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(FIXTURE, data / "localhr.sqlite3")
    return data


@pytest.fixture
def held(folder: Path) -> Iterator[None]:
    """The folder's lock, held by this test as a running desktop holds it."""
    lock = take_folder(folder)
    assert lock is not None and lock.isLocked()
    yield
    lock.unlock()


@pytest.mark.usefixtures("held")
def test_a_second_start_says_it_is_already_open_and_leaves_the_database(folder) -> None:
    database = folder / "localhr.sqlite3"
    before = digest(database)

    seen = start_desktop(folder, SHOTS / "already-open.png")

    assert seen["shown"] == "already open"
    assert seen["status"] == 1  # it did not run
    assert "เปิดอยู่แล้ว" in seen["text"]  # "is already open"
    assert str(folder) in seen["more"]
    assert seen["buttons"] == ["ปิด"]
    # Not opened, not backed up, not upgraded: byte for byte what it was, nothing beside it.
    assert digest(database) == before
    assert sorted(p.name for p in folder.glob("localhr.*")) == ["localhr.lock", "localhr.sqlite3"]
    log_text = (folder / "logs" / "localhr.log").read_text(encoding="utf-8")
    assert f"{folder} is in use by process {os.getpid()}" in log_text
    assert "ends (status 1)" in log_text


def test_a_lock_left_by_a_killed_copy_does_not_block_the_next_start(folder) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(folder)],
        env=environment(folder), cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    finally:
        holder.kill()  # no chance to let go of the lock: what a crash or a power cut leaves
        holder.wait(TIMEOUT_S)
        if holder.stdout is not None:
            holder.stdout.close()
    assert lock_path(folder).is_file()

    seen = start_desktop(folder, SHOTS / "after-a-killed-copy.png")

    assert seen["shown"] == "first run" and seen["status"] == 0
    assert not lock_path(folder).exists()  # let go of at the end
    engine = make_engine(folder / "localhr.sqlite3")
    try:
        assert current_revision(engine) == head_revision()  # this start opened and upgraded it
    finally:
        engine.dispose()
