"""An error nobody handled (issue 7): the draft is kept, a report is written, the user is told.

The task runner gives every task an error path (ui/tasks.py); what escapes all of them — an
exception in a slot, an event handler or a thread of our own — reaches the hooks that
:meth:`CrashHandler.install` puts in ``sys.excepthook`` and ``threading.excepthook``. For
such an error the handler, on the GUI thread:

1. asks every open editor that holds typing to save it now, and waits until it is stored
   (editors sign up with :func:`keep_drafts_of` and offer ``save_before_crash()``);
2. writes ``<data folder>/crash-reports/crash-YYYYmmdd-HHMMSS.txt``: the program's, Python's,
   Qt's and the system's versions, the traceback (its text only, no variable values) and the
   last log lines, with citizen IDs masked (:func:`app.logs.redact`); and logs the error;
3. shows :class:`ui.crash_dialog.CrashDialog`, in Thai: something went wrong, the work goes
   on (or, before the main window was ever shown, the program must close and does), the
   draft is saved, and where the report is.

The same error again within :data:`REPEAT_S` of the last time (a paint handler that fails
at every frame) is only counted in the log: one report, one dialog. While a dialog is open
a different error gets its report and log record but no second dialog.
"""

from __future__ import annotations

import datetime as dt
import logging
import platform
import sys
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import PySide6
import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, qVersion
from PySide6.QtWidgets import QApplication

from app.logs import LogFiles, program_version, redact
from ui.tasks import Lane, Task, TaskRunner

log = logging.getLogger(__name__)

REPORTS_DIR = "crash-reports"
#: The same error again within this many seconds of its last time is only counted.
REPEAT_S = 60.0
#: How long the editors get, together, to store what they hold.
SAVE_TIMEOUT_S = 10.0
#: The exit status of a program that had to close after an error at start-up.
EXIT_STATUS = 1

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class DraftKeeper(Protocol):
    def save_before_crash(self, timeout_s: float) -> bool:
        """Store what is typed and not yet saved; True once nothing waits to be saved."""


_keepers: weakref.WeakSet[Any] = weakref.WeakSet()


def keep_drafts_of(keeper: DraftKeeper) -> None:
    """Ask ``keeper`` to save its draft before an unhandled error is shown (for as long as
    it lives)."""
    _keepers.add(keeper)


def save_drafts(timeout_s: float = SAVE_TIMEOUT_S) -> tuple[int, int]:
    """Every live keeper stores its draft now: (how many did, how many could not)."""
    deadline = time.monotonic() + timeout_s
    kept = failed = 0
    for keeper in list(_keepers):
        if isinstance(keeper, QObject) and not shiboken6.isValid(keeper):
            continue
        try:
            ok = keeper.save_before_crash(max(0.0, deadline - time.monotonic()))
        except Exception:
            log.exception("a draft could not be saved after an unhandled error")
            ok = False
        if ok:
            kept += 1
        else:
            failed += 1
    return kept, failed


def settle(runner: TaskRunner, lane: Lane, timeout_s: float) -> bool:
    """On the GUI thread: wait until ``lane`` has run what was queued on it before now, then
    deliver the answers waiting for the GUI. False if it did not finish in time."""
    if runner.synchronous:
        return True
    done = threading.Event()
    try:
        Task(done.set).run_on(runner, lane)
    except RuntimeError:  # the runner was shut down: nothing more runs on it
        return False
    finished = done.wait(timeout_s)
    QCoreApplication.sendPostedEvents(runner)
    return finished


@dataclass
class Crash:
    """One unhandled error as the user is told of it."""

    summary: str  # "ZeroDivisionError: division by zero", redacted
    report: Path | None  # None when the report could not be written
    fatal: bool  # during start-up: the program closes
    kept: int = 0  # editors whose draft is stored
    lost: int = 0  # editors that could not store theirs
    dialog: Any = None  # the CrashDialog shown, if one was


def report_text(exc_info: ExcInfo, *, thread: str, fatal: bool, log_lines: list[str]) -> str:
    """A crash report: versions, the traceback's text, the last log lines; redacted."""
    now = dt.datetime.now().astimezone()
    head = [
        "LocalHR Desk crash report",
        f"time: {now.isoformat(timespec='seconds')}",
        f"program: localhr-desk {program_version()}",
        f"python: {platform.python_version()} ({platform.python_implementation()})",
        f"qt: {qVersion()} (PySide6 {PySide6.__version__})",
        f"system: {platform.platform()}",
        f"thread: {thread}",
        f"during start-up: {'yes' if fatal else 'no'}",
    ]
    trace = "".join(traceback.format_exception(*exc_info))
    text = "\n".join([*head, "", trace.rstrip(), "", "last log lines:", *log_lines, ""])
    return redact(text)


def write_report(folder: Path, text: str) -> Path:
    """``text`` in a new file ``crash-YYYYmmdd-HHMMSS.txt`` under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = "crash-" + dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path, n = folder / f"{stem}.txt", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _signature(exc_info: ExcInfo) -> tuple[str, ...]:
    """The same error: its type and the place it was raised."""
    frames = traceback.extract_tb(exc_info[2])
    where = (frames[-1].filename, str(frames[-1].lineno)) if frames else ("", "")
    return (exc_info[0].__qualname__, *where)


class CrashHandler(QObject):
    """The hooks of the module doc, for one data folder. Start-up lasts until
    :meth:`started`; an error before it closes the program with :data:`EXIT_STATUS`."""

    #: Each unhandled error the user was told of (a :class:`Crash`), on the GUI thread.
    crashed = Signal(object)
    _from_thread = Signal(object, object)

    def __init__(
        self,
        folder: Path,
        logs: LogFiles | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.reports = Path(folder) / REPORTS_DIR
        self.starting = True
        self._logs = logs
        self._clock = clock
        self._seen: dict[tuple[str, ...], float] = {}
        self._repeats: dict[tuple[str, ...], int] = {}
        self._dialog: Any = None
        self._busy = False
        self._restore: list[Callable[[], None]] = []
        self._from_thread.connect(self._tell, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        old_hook, old_thread_hook = sys.excepthook, threading.excepthook
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_excepthook
        self._restore = [
            lambda: setattr(sys, "excepthook", old_hook),
            lambda: setattr(threading, "excepthook", old_thread_hook),
        ]

    def uninstall(self) -> None:
        for restore in reversed(self._restore):
            restore()
        self._restore = []

    def started(self, *_: object) -> None:
        """Start-up is over (the main window is shown): from now on the program survives."""
        self.starting = False

    # --- the hooks ----------------------------------------------------------------------------

    def _excepthook(self, kind: type[BaseException], exc: BaseException, tb: Any) -> None:
        if issubclass(kind, KeyboardInterrupt):  # Ctrl+C in a terminal
            sys.__excepthook__(kind, exc, tb)
            return
        if self._busy:  # raised while the drafts were saved: the dialog is on its way
            log.error("another unhandled error meanwhile", exc_info=(kind, exc, tb))
            return
        self.handle((kind, exc, tb))

    def _thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        exc_info = (args.exc_type, args.exc_value, args.exc_traceback)
        name = args.thread.name if args.thread is not None else "?"
        crash = self._record(exc_info, name)  # the file now; the GUI thread tells the user
        if crash is not None:
            self._from_thread.emit(crash, None)

    # --- handling -----------------------------------------------------------------------------

    def handle(self, exc_info: ExcInfo) -> Crash | None:
        """On the GUI thread: keep the drafts, write the report, tell the user. None for a
        repeat of the last error, which is only counted in the log."""
        self._busy = True
        try:
            crash = self._record(exc_info, threading.current_thread().name, save_first=True)
            if crash is not None:
                self._tell(crash, exc_info)
            return crash
        except Exception:
            log.exception("the handler of an unhandled error failed")
            sys.__excepthook__(*exc_info)
            app = QCoreApplication.instance()
            if self.starting and app is not None:  # never a program that hangs half started
                app.exit(EXIT_STATUS)
            return None
        finally:
            self._busy = False

    def _record(self, exc_info: ExcInfo, thread: str, *, save_first: bool = False) -> Crash | None:
        signature = _signature(exc_info)
        now, last = self._clock(), self._seen.get(signature)
        self._seen[signature] = now
        summary = redact("".join(traceback.format_exception_only(*exc_info[:2])).strip())
        if last is not None and now - last < REPEAT_S:
            self._repeats[signature] = count = self._repeats.get(signature, 1) + 1
            log.error("the same unhandled error again (%d times): %s", count, summary)
            return None
        self._repeats[signature] = 1
        crash = Crash(summary, None, fatal=self.starting)
        if save_first:  # before anything that could fail again: the clerk's typing
            crash.kept, crash.lost = save_drafts()
        lines = self._logs.tail.lines() if self._logs is not None else []
        text = report_text(exc_info, thread=thread, fatal=crash.fatal, log_lines=lines)
        try:
            crash.report = write_report(self.reports, text)
        except OSError:
            log.exception("the crash report could not be written in %s", self.reports)
        log.critical(
            "unhandled error in thread %s; report %s", thread, crash.report, exc_info=exc_info
        )
        return crash

    def _tell(self, crash: Crash, exc_info: ExcInfo | None) -> None:
        """On the GUI thread: the drafts (after a thread's error), then the dialog."""
        if exc_info is None:
            crash.kept, crash.lost = save_drafts()
        app = QCoreApplication.instance()
        if not isinstance(app, QApplication):  # nobody to tell: a start-up error ends it
            if crash.fatal and app is not None:
                app.exit(EXIT_STATUS)
            return
        if self._dialog is not None and shiboken6.isValid(self._dialog):
            log.info("a crash dialog is already open; no second one")
            if crash.fatal:
                self._dialog.finished.connect(lambda _r: app.exit(EXIT_STATUS))
            return
        from ui.crash_dialog import CrashDialog

        dialog = CrashDialog(crash, QApplication.activeWindow())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        crash.dialog = self._dialog = dialog
        if crash.fatal:
            dialog.finished.connect(lambda _r: app.exit(EXIT_STATUS))
        self.crashed.emit(crash)
        if crash.fatal and QThread.currentThread().loopLevel() == 0:
            dialog.exec()  # before app.exec(): the program ends once the dialog is closed
        else:
            dialog.open()
