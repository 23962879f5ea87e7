"""``localhr bench ui``: the desktop's budgets of DESIGN.md §8 and issue 5, measured on the
real main window over a database of ``--people`` demo people, as JSON.

- ``cold_start_ms``: a fresh process (``python -m localhr.bench_ui child``) starts, imports
  the program, makes the application, opens the database, builds the main window (the
  sync status bar included) and shows it, until the list's first rows are painted; timed
  from just before the process is started to the child's timestamp after that paint
  (wall clock, the same machine). The median of ``--runs``; the OS file cache is warm (the
  database was just written or read), as it is for a PC that ran the program today. The
  login screen, which waits for a person, is not part of it.
- ``list_first_rows_ms``: in this process, on a freshly opened database, from building the
  main window to the first rows painted; ``list_all_rows_ms``: until every key is there
  ("N people" exact).
- ``search_keystroke_*``: from a key press in the search box to the repainted results of
  what the box then holds: Latin letters, digits and dashes as key events, Thai as
  input-method commits (a Thai keyboard layout commits a character a key). Every prefix of
  1 to 8 characters of the words of ``localhr.bench.TYPED`` is one keystroke; the next key
  is pressed as soon as the last one's results are painted (a fast typist: the reading of
  every key of the last search is then stopped midway).
- ``search_count_p95_ms``: the same keystrokes, each waited for until the count is exact.
- ``gui_max_stall_ms``: the longest the GUI thread did not answer while the keystrokes
  above were typed (a timer that should fire every 5 ms, and how late it came).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BUDGETS = {"cold_start_ms": 2000, "list_first_rows_ms": 300, "search_keystroke_p95_ms": 50}
MAX_TYPED = 8
WAIT_S = 60


def _offscreen_unless_display() -> None:
    from localhr.desktop import has_display

    if not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def _ui_state(folder: Path) -> Any:
    """A UI state of its own, so a bench never reads or changes the user's columns."""
    from PySide6.QtCore import QSettings

    from ui.view_state import ViewState

    return ViewState(QSettings(str(folder / "bench-ui.ini"), QSettings.Format.IniFormat))


class Probe:
    """Watches a main window's list: when results were shown, when the table was painted,
    and how late a 5 ms timer came (a stalled GUI thread)."""

    def __init__(self, window: Any) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        self.window = window
        self.model = window.people.model
        self.shown_at = 0.0
        self.painted_at = 0.0
        self.max_stall_ms = 0.0
        self._tick = time.perf_counter()
        self.model.results_shown.connect(self._shown)
        self.model.dataChanged.connect(self._shown)

        probe = self

        class PaintWatch(QObject):
            def eventFilter(self, watched: Any, event: Any) -> bool:
                if event.type() == QEvent.Type.Paint:
                    probe.painted_at = time.perf_counter()
                return False

        self._watch = PaintWatch()
        window.people.table.viewport().installEventFilter(self._watch)
        self._timer = QTimer(interval=5)
        self._timer.timeout.connect(self._ticked)
        self._timer.start()

    def _shown(self, *_args: Any) -> None:
        self.shown_at = time.perf_counter()

    def _ticked(self) -> None:
        now = time.perf_counter()
        self.max_stall_ms = max(self.max_stall_ms, (now - self._tick) * 1000 - 5)
        self._tick = now

    def stop(self) -> None:
        self._timer.stop()
        self.window.people.table.viewport().removeEventFilter(self._watch)

    def wait(self, done: Callable[[], bool]) -> float:
        """Run the event loop until ``done()``; the time it became true."""
        from PySide6.QtCore import QCoreApplication, QEventLoop

        deadline = time.perf_counter() + WAIT_S
        while not done():
            if time.perf_counter() > deadline:
                raise TimeoutError("the window did not answer within a minute")
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
        return time.perf_counter()

    def wait_painted(self, query: str) -> float:
        """Until the rows of ``query`` are shown and the table was painted after that."""
        model = self.model
        return self.wait(
            lambda: (
                model.shown_query is not None
                and model.shown_query[0] == query
                and not model.searching
                and self.painted_at > self.shown_at
            )
        )

    def wait_complete(self, query: str) -> float:
        model = self.model
        self.wait_painted(query)
        return self.wait(lambda: model.complete and not model.searching)


def _press(widget: Any, char: str) -> None:
    """One key as the keyboard sends it: a key event for Latin letters, digits and dashes,
    an input-method commit for Thai (as a Thai layout does; key events cannot carry it)."""
    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtGui import QInputMethodEvent, QKeyEvent

    if char.isascii():
        key = Qt.Key.Key_Minus if char == "-" else Qt.Key(ord(char.upper()))
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
            QCoreApplication.sendEvent(widget, event)
        return
    event = QInputMethodEvent()
    event.setCommitString(char)
    QCoreApplication.sendEvent(widget, event)


def _type_words(probe: Probe, *, wait_for_count: bool) -> list[float]:
    from localhr.bench import TYPED

    search = probe.window.people.search
    times = []
    for word in TYPED:
        search.clear()
        probe.wait_complete("")
        for char in word[:MAX_TYPED]:
            start = time.perf_counter()
            _press(search, char)
            if wait_for_count:
                end = probe.wait_complete(search.text())
            else:
                end = probe.wait_painted(search.text())
            times.append((end - start) * 1000)
    return times


def measure_in_process(path: Path) -> dict[str, Any]:
    """First rows and keystrokes on the real main window, in this process."""
    from localhr.bench import percentile

    _offscreen_unless_display()
    from app.store.db import open_database
    from ui.app import create_application
    from ui.main_window import MainWindow
    from ui.tasks import TaskRunner

    app = create_application([sys.argv[0]])
    db = open_database(path)
    runner = TaskRunner()
    folder = Path(tempfile.mkdtemp(prefix="localhr-bench-ui-"))
    window: Any = None
    try:
        start = time.perf_counter()
        window = MainWindow(db, runner, view_state=_ui_state(folder))
        window.show()
        probe = Probe(window)
        first_rows = probe.wait_painted("")
        all_rows = probe.wait_complete("")
        probe.max_stall_ms = 0.0  # from here on: the window is up, the user types
        window.activateWindow()
        typed = _type_words(probe, wait_for_count=False)
        counted = _type_words(probe, wait_for_count=True)
        probe.stop()
        return {
            "list_first_rows_ms": round((first_rows - start) * 1000, 1),
            "list_all_rows_ms": round((all_rows - start) * 1000, 1),
            "search_keystroke_p50_ms": round(statistics.median(typed), 1),
            "search_keystroke_p95_ms": round(percentile(typed, 0.95), 1),
            "search_keystroke_max_ms": round(max(typed), 1),
            "search_keystrokes": len(typed),
            "search_count_p95_ms": round(percentile(counted, 0.95), 1),
            "gui_max_stall_ms": round(probe.max_stall_ms, 1),
            "rows": window.people.model.rowCount(),
        }
    finally:
        if window is not None:
            window.close()
            window.deleteLater()
        runner.shutdown()
        db.close()
        app.processEvents()


def _child(path: Path) -> None:
    """The cold start, in a fresh process: print when each step ended (wall clock)."""
    marks = {"imports_start": time.time()}
    _offscreen_unless_display()
    from app.store.db import open_database
    from ui.app import create_application
    from ui.background_sync import BackgroundSync
    from ui.main_window import MainWindow
    from ui.tasks import TaskRunner

    marks["imported"] = time.time()
    app = create_application([sys.argv[0]])
    marks["application"] = time.time()
    db = open_database(path)
    marks["database"] = time.time()
    runner = TaskRunner()
    sync = BackgroundSync(runner, db)  # the status bar, as the desktop shows it (not started)
    folder = Path(tempfile.mkdtemp(prefix="localhr-bench-ui-"))
    window = MainWindow(db, runner, sync=sync, view_state=_ui_state(folder))
    window.show()
    marks["window"] = time.time()
    probe = Probe(window)
    probe.wait_painted("")
    marks["first_rows"] = time.time()
    probe.stop()
    print(json.dumps(marks), flush=True)
    window.close()
    runner.shutdown()
    db.close()
    app.processEvents()


def cold_start(path: Path, pycache: Path) -> dict[str, float]:
    """One cold start of a fresh process; its steps in milliseconds from the start.

    The process keeps its bytecode in ``pycache`` (``PYTHONPYCACHEPREFIX``), even where
    the environment says not to write it: an installed program has its modules compiled."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-m", "localhr.bench_ui", "child", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=WAIT_S,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the cold-start process failed: {done.stderr.strip()[-2000:]}")
    marks = json.loads(done.stdout.strip().splitlines()[-1])
    return {step: round((at - started) * 1000, 1) for step, at in marks.items()}


def bench_ui(n: int, *, seed: int = 1, db_path: Path | None = None, runs: int = 3) -> dict:
    from localhr.bench import database, machine

    path, generated = database(db_path, n, seed)
    pycache = Path(tempfile.mkdtemp(prefix="localhr-bench-pycache-"))
    warmup = cold_start(path, pycache)  # compiles the bytecode, as an installer does
    colds = [cold_start(path, pycache) for _ in range(runs)]
    median = sorted(colds, key=lambda c: c["first_rows"])[len(colds) // 2]
    result: dict[str, Any] = {
        "people": n,
        "cold_start_ms": median["first_rows"],
        "cold_start_runs_ms": [c["first_rows"] for c in colds],
        "cold_start_steps_ms": median,
        "cold_start_compiling_ms": warmup["first_rows"],
        **measure_in_process(path),
        "generate_s": round(generated, 1) if generated is not None else None,
        "machine": machine(),
    }
    result["budgets_ms"] = BUDGETS
    result["budgets_met"] = {key: result[key] <= limit for key, limit in BUDGETS.items()}
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m localhr.bench_ui")
    p.add_argument("what", choices=["child"])
    p.add_argument("db", type=Path)
    args = p.parse_args(argv)
    _child(args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
