"""The one task runner: database and network work off the GUI thread, answers back on it.

Every call into ``app.services`` or ``sync`` from the UI goes through here (DESIGN.md §7,
STYLE.md "Threads"), so the window never freezes and no Qt object, session or ORM row
crosses threads. Two lanes, one worker each:

- ``db``: SQLite has one writer and a session must stay in its thread, so database work
  runs one task at a time, in the order it was asked for;
- ``net``: a slow 2G sync must not hold up a search, so network work has its own worker.

Usage::

    runner = TaskRunner(parent=window)
    handle = (
        Task(people.search, session_factory, query)   # plain inputs, copied now
        .on_success(table.show_rows)                   # called on the GUI thread
        .on_failure(status.show_error)                 # every failure ends somewhere
        .bound_to(table)                               # nothing is delivered to a dead widget
        .run_on(runner, lane="db")
    )
    handle.cancel()   # the task is skipped, or stops at its next progress.check()

A task that reports progress or can stop midway asks for a :class:`Progress`::

    def push(outbox, *, progress: Progress) -> PushResult:
        for i, batch in enumerate(batches):
            progress.check()                           # raises Cancelled once cancelled
            progress.update(i, total=len(batches), label="push")
        ...

    Task(push, outbox).with_progress(bar.show).on_success(...).run_on(runner, lane="net")

The GUI polls the progress object every 150 ms with a QTimer (Anki's sync dialog does the
same), so a worker that updates it a million times costs the GUI nothing.
"""

from __future__ import annotations

import enum
import logging
import sys
import threading
import weakref
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import SIGNAL, QCoreApplication, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger(__name__)

T = TypeVar("T")

#: How often the GUI reads a running task's progress.
POLL_INTERVAL_MS = 150
#: The longest a worker's Python code keeps the interpreter's lock from the GUI thread once
#: it asks for it (``sys.setswitchinterval``). Every cell Qt paints calls into Python, so
#: with Python's 5 ms a worker decoding a result held up each of those calls: measured with
#: the personnel list of 100,000 people, keystroke to repaint p95 81 ms → 39 ms at 0.5 ms.
SWITCH_INTERVAL_S = 0.0005


class Lane(enum.StrEnum):
    """The worker a task runs on."""

    DB = "db"
    NET = "net"


class Cancelled(Exception):
    """Raised in a task that saw its cancel flag. The runner drops it quietly: cancelling
    is what the user asked for, not an error (Anki's ``Interrupted``)."""


@dataclass(frozen=True)
class ProgressState:
    """One reading of a task's progress; ``total`` is None while the amount is unknown."""

    done: int = 0
    total: int | None = None
    label: str = ""


class Progress:
    """What a worker and the GUI share: the worker writes progress, the GUI sets the cancel
    flag. Both sides only take a lock for a moment, so neither ever waits on the other.

    ``label`` is a key or plain text the UI turns into words: a worker cannot call ``tr()``.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = ProgressState()
        self._cancelled = threading.Event()

    def update(
        self, done: int | None = None, *, total: int | None = None, label: str | None = None
    ) -> None:
        """Record progress; arguments left out keep their last value."""
        with self._lock:
            s = self._state
            self._state = ProgressState(
                done=s.done if done is None else done,
                total=s.total if total is None else total,
                label=s.label if label is None else label,
            )

    def advance(self, step: int = 1) -> None:
        """Count ``step`` more units done."""
        with self._lock:
            s = self._state
            self._state = ProgressState(s.done + step, s.total, s.label)

    @property
    def state(self) -> ProgressState:
        with self._lock:
            return self._state

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the task was cancelled: call it between steps."""
        if self._cancelled.is_set():
            raise Cancelled


class Task(Generic[T]):
    """One unit of background work and what to do with its outcome, built step by step.

    ``fn`` gets plain inputs only (ids, strings, a session factory), never a widget: it runs
    on a worker thread. The callbacks run on the GUI thread; exactly one of success,
    failure and cancelled is called. A task without ``on_failure`` sends its failure to the
    runner's ``unhandled_failure`` signal (or a message box when nobody listens): no
    failure is ever swallowed.
    """

    def __init__(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> None:
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.success_cb: Callable[[T], object] | None = None
        self.failure_cb: Callable[[BaseException], object] | None = None
        self.cancelled_cb: Callable[[], object] | None = None
        self.progress_cb: Callable[[ProgressState], object] | None = None
        self.wants_progress = False
        self.owner: weakref.ref[QObject] | None = None
        self._submitted = False

    def on_success(self, cb: Callable[[T], object]) -> Task[T]:
        self.success_cb = cb
        return self

    def on_failure(self, cb: Callable[[BaseException], object]) -> Task[T]:
        self.failure_cb = cb
        return self

    def on_cancelled(self, cb: Callable[[], object]) -> Task[T]:
        """Called instead of success once the task was cancelled (e.g. to close a dialog)."""
        self.cancelled_cb = cb
        return self

    def with_progress(self, cb: Callable[[ProgressState], object] | None = None) -> Task[T]:
        """Pass ``progress=`` a :class:`Progress` to ``fn``, and give ``cb`` each new reading.

        Without ``cb`` this still lets ``fn`` stop midway through ``progress.check()``.
        """
        self.wants_progress = True
        self.progress_cb = cb
        return self

    def bound_to(self, owner: QObject) -> Task[T]:
        """Tie the task to a widget: once the widget is destroyed the task is cancelled and
        its callbacks are not called (a failure still goes to the runner's handler)."""
        self.owner = weakref.ref(owner)
        return self

    def run_on(self, runner: TaskRunner, lane: Lane | str = Lane.DB) -> TaskHandle[T]:
        if self._submitted:
            raise RuntimeError("a Task runs once; build a new one")
        self._submitted = True
        return runner.submit(self, Lane(lane))

    def owner_alive(self) -> bool:
        if self.owner is None:
            return True
        owner = self.owner()
        return owner is not None and shiboken6.isValid(owner)


class TaskHandle(Generic[T]):
    """The GUI side's hold on a submitted task: cancel it, read its progress, see it end."""

    def __init__(self, task: Task[T], lane: Lane) -> None:
        self.task = task
        self.lane = lane
        self.progress = Progress()
        self.finished = False
        self._timer: QTimer | None = None
        self._last_state = ProgressState()
        self._owner_connection: Any = None

    def cancel(self) -> None:
        """Skip the task if it has not started, or let it stop at its next check. From now
        on its success is not delivered; ``on_cancelled`` is called when it ends."""
        self.progress.cancel()

    @property
    def cancelled(self) -> bool:
        return self.progress.cancelled

    def _poll(self) -> None:
        state = self.progress.state
        if state != self._last_state and self.task.progress_cb and self.task.owner_alive():
            self._last_state = state
            self.task.progress_cb(state)


@dataclass(frozen=True)
class _Outcome:
    handle: TaskHandle[Any]
    kind: str  # "success" | "failure" | "cancelled"
    value: Any = None


class TaskRunner(QObject):
    """Runs :class:`Task` objects on two single-worker lanes; delivers on the GUI thread.

    ``synchronous=True`` runs each task at once on the calling thread and calls back before
    ``run_on`` returns: the same code paths, no waiting, for tests (Picard's FakeThreadPool).
    There a failure that nobody handles is raised from ``run_on``, so no test can miss it.
    Call :meth:`shutdown` before the application ends; it is also called on ``aboutToQuit``.
    """

    #: A failure of a task that has no ``on_failure``; the main window shows it.
    unhandled_failure = Signal(object)
    _finished = Signal(object)

    def __init__(self, parent: QObject | None = None, *, synchronous: bool = False) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        if not synchronous and sys.getswitchinterval() > SWITCH_INTERVAL_S:
            sys.setswitchinterval(SWITCH_INTERVAL_S)  # the workers yield to the GUI thread
        self._executors: dict[Lane, ThreadPoolExecutor] = {}
        self._running: set[TaskHandle[Any]] = set()
        self._closed = False
        self._boxes: set[QMessageBox] = set()
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.quit)

    @property
    def active(self) -> int:
        """Tasks submitted and not yet delivered."""
        return len(self._running)

    @property
    def closed(self) -> bool:
        """True once :meth:`shutdown` began: submitting a task then raises."""
        return self._closed

    def submit(self, task: Task[T], lane: Lane) -> TaskHandle[T]:
        if self._closed:
            raise RuntimeError("the task runner was shut down")
        handle = TaskHandle(task, lane)
        self._running.add(handle)
        if task.owner is not None and (owner := task.owner()) is not None:
            handle._owner_connection = owner.destroyed.connect(handle.cancel)
        if self.synchronous:
            self._deliver(self._work(handle))
            return handle
        if task.progress_cb is not None:
            timer = QTimer(self)
            timer.setInterval(POLL_INTERVAL_MS)
            timer.timeout.connect(handle._poll)
            timer.start()
            handle._timer = timer
        self._executor(lane).submit(self._work_and_report, handle)
        return handle

    def shutdown(self, *, cancel: bool = True, keep: Iterable[Lane] = ()) -> None:
        """Wait for the workers to end, then deliver what they finished.

        With ``cancel`` (the default) queued tasks are dropped and running ones are asked
        to stop; without it every queued task still runs first. Tasks of the lanes in
        ``keep`` run to the end either way (at quit: the clerk's last saves).
        """
        if self._closed:
            return
        self._closed = True
        kept = frozenset(keep)
        if cancel:
            for handle in list(self._running):
                if handle.lane not in kept:
                    handle.cancel()
        for lane, executor in self._executors.items():
            executor.shutdown(wait=True, cancel_futures=cancel and lane not in kept)
        # Outcomes already queued for the GUI thread arrive now, not in some later test.
        QCoreApplication.sendPostedEvents(self)
        for handle in list(self._running):  # dropped from the queue: they never ran
            self._deliver(_Outcome(handle, "cancelled"))

    def quit(self) -> None:
        """The program ends: network work stops, database work (a save queued as the window
        closed) still runs."""
        self.shutdown(keep=(Lane.DB,))

    def _executor(self, lane: Lane) -> ThreadPoolExecutor:
        if lane not in self._executors:
            self._executors[lane] = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix=f"localhr-{lane}"
            )
        return self._executors[lane]

    @staticmethod
    def _work(handle: TaskHandle[Any]) -> _Outcome:
        """Run the task's function; on a worker thread unless the runner is synchronous."""
        task = handle.task
        if handle.cancelled:
            return _Outcome(handle, "cancelled")
        kwargs = dict(task.kwargs)
        if task.wants_progress:
            kwargs["progress"] = handle.progress
        try:
            value = task.fn(*task.args, **kwargs)
        except Cancelled:
            return _Outcome(handle, "cancelled")
        except BaseException as exc:  # every failure must reach the GUI, whatever its kind
            return _Outcome(handle, "failure", exc)
        return _Outcome(handle, "success", value)

    def _work_and_report(self, handle: TaskHandle[Any]) -> None:
        outcome = self._work(handle)
        try:
            self._finished.emit(outcome)
        except RuntimeError:  # the runner was deleted without shutdown(): nobody to tell
            log.error("task finished after its runner was deleted: %r", outcome, exc_info=True)

    @Slot(object)
    def _deliver(self, outcome: _Outcome) -> None:
        """On the GUI thread: stop polling, then call exactly one of the task's callbacks."""
        handle, task = outcome.handle, outcome.handle.task
        if handle.finished:
            return
        handle.finished = True
        self._running.discard(handle)
        if handle._timer is not None:
            handle._timer.stop()
            handle._timer.deleteLater()
            handle._timer = None
        alive = task.owner_alive()
        if handle._owner_connection is not None:
            if alive:  # else Qt dropped the connection with the owner
                QObject.disconnect(handle._owner_connection)
            handle._owner_connection = None
        if outcome.kind == "failure":
            if task.failure_cb is not None and alive:
                task.failure_cb(outcome.value)
            else:
                self._unhandled(outcome.value)
        elif outcome.kind == "cancelled" or handle.cancelled:
            if task.cancelled_cb is not None and alive:
                task.cancelled_cb()
        else:
            handle._poll()  # the last reading, so a bar ends where the task ended
            if task.success_cb is not None and alive:
                task.success_cb(outcome.value)

    def _unhandled(self, exc: BaseException) -> None:
        """Log a failure nobody handled, and make sure the user sees it."""
        log.error("background task failed", exc_info=(type(exc), exc, exc.__traceback__))
        if self.receivers(SIGNAL("unhandled_failure(PyObject)")) > 0:
            self.unhandled_failure.emit(exc)
        elif self.synchronous:  # a test: let it fail where the task was run
            raise exc
        elif isinstance(QCoreApplication.instance(), QApplication):
            box = QMessageBox(
                QMessageBox.Icon.Critical,
                self.tr("Something went wrong"),
                self.tr("A background task could not finish:\n%1").replace(
                    "%1", str(exc) or type(exc).__name__
                ),
                QMessageBox.StandardButton.Ok,
                QApplication.activeWindow(),
            )
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self._boxes.add(box)  # without a parent window only this keeps it alive
            box.finished.connect(lambda _result: self._boxes.discard(box))
            box.open()
