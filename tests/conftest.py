"""Session-wide test setup: a headless, keyring-free, isolated environment and a leak check.

The environment is set at import time, before pytest-qt imports Qt and before any test
can create an application, so no test ever needs a display, reaches the OS keyring or
writes into the developer's own data folders.

The autouse ``_no_leaks`` fixture fails (as an error at teardown) every test that leaves
a Python thread running, and every Qt test that leaves a QTimer active, a single-shot
pending, a QThread running or the global QThreadPool busy: such leftovers fire into the
next test and make failures appear far from their cause (napari's conftest does the same).
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

pytest_plugins = ("pytester",)

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Any use of the real keyring in a test raises instead of touching the developer's secrets;
# tests that need credentials use the credential store's in-memory backend.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
_SANDBOX = Path(tempfile.mkdtemp(prefix="localhr-tests-"))
for _var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_var] = str(_SANDBOX / _var.lower())
os.environ["XDG_RUNTIME_DIR"] = str(_SANDBOX / "runtime")
(_SANDBOX / "runtime").mkdir(mode=0o700)

#: How long a test's leftovers get to finish by themselves before they count as leaked.
LEAK_GRACE_S = 1.0


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "allow_leaks: skip the leaked threads/timers check (say why in the test)"
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SANDBOX, ignore_errors=True)


# --- Python threads ------------------------------------------------------------------------


def _python_threads() -> set[threading.Thread]:
    """Threads started by Python code. Qt's own threads show up as ``_DummyThread`` once they
    run Python and never go away from ``threading``'s view; the Qt check covers them."""
    return {
        t
        for t in threading.enumerate()
        if t.is_alive() and not isinstance(t, threading._DummyThread)  # type: ignore[attr-defined]
    }


def leaked_threads(
    before: set[threading.Thread], grace_s: float = LEAK_GRACE_S
) -> list[threading.Thread]:
    """Threads alive now that were not in ``before``, after joining each for the grace time."""
    deadline = time.monotonic() + grace_s
    for thread in _python_threads() - before:
        thread.join(max(0.0, deadline - time.monotonic()))
    return sorted(_python_threads() - before, key=lambda t: t.name)


# --- Qt timers and threads -----------------------------------------------------------------


@dataclass
class QtWatch:
    """Records the QTimers, single shots and QThreads started while it is installed.

    It patches ``QTimer.start``, ``QTimer.singleShot`` and ``QThread.start`` on the classes
    themselves, so every module sees the patch whatever name it imported; weak references
    only, so an object that goes away by itself is not a leak.
    """

    timers: list[weakref.ref[Any]] = field(default_factory=list)
    threads: list[weakref.ref[Any]] = field(default_factory=list)
    pending_shots: dict[int, str] = field(default_factory=dict)
    _restore: list[Callable[[], None]] = field(default_factory=list)
    _tokens: Iterator[int] = field(default_factory=itertools.count)

    def install(self) -> None:
        from PySide6.QtCore import QThread, QTimer

        start_timer = QTimer.start
        single_shot = QTimer.singleShot
        start_thread = QThread.start

        def patched_timer_start(timer: Any, *args: Any) -> None:
            self.timers.append(weakref.ref(timer))
            start_timer(timer, *args)

        def patched_single_shot(*args: Any) -> None:
            callable_at = next(
                (i for i in range(len(args) - 1, 0, -1) if _is_plain_callable(args[i])), None
            )
            if callable_at is None:  # a receiver and a slot name: Qt drops it with the receiver
                single_shot(*args)
                return
            token = next(self._tokens)
            target = args[callable_at]
            self.pending_shots[token] = getattr(target, "__qualname__", repr(target))
            head = list(args[:callable_at])
            context = next((a for a in head[1:] if _is_qobject(a)), None)
            if context is None and _is_qobject(getattr(target, "__self__", None)):
                # Qt ties a shot at a QObject's method to that object: keep that.
                context = target.__self__
                head.append(context)

            def fire() -> None:
                self.pending_shots.pop(token, None)
                target()

            if context is not None:  # a shot bound to an object dies with the object
                context.destroyed.connect(lambda *_: self.pending_shots.pop(token, None))
            single_shot(*head, fire)

        def patched_thread_start(thread: Any, *args: Any) -> None:
            self.threads.append(weakref.ref(thread))
            start_thread(thread, *args)

        QTimer.start = patched_timer_start  # type: ignore[method-assign]
        QTimer.singleShot = staticmethod(patched_single_shot)  # type: ignore[method-assign, assignment]
        QThread.start = patched_thread_start  # type: ignore[method-assign]
        self._restore = [
            lambda: setattr(QTimer, "start", start_timer),
            lambda: setattr(QTimer, "singleShot", single_shot),
            lambda: setattr(QThread, "start", start_thread),
        ]

    def uninstall(self) -> None:
        for restore in self._restore:
            restore()
        self._restore = []

    def leaks(self, grace_s: float = LEAK_GRACE_S) -> list[str]:
        """What is still running after deferred deletes and the grace time, in words."""
        import shiboken6
        from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool

        app = QCoreApplication.instance()
        deadline = time.monotonic() + grace_s
        if app is not None:
            # Widgets closed at teardown are deleted later; their timers go with them.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            while self.pending_shots and time.monotonic() < deadline:
                QCoreApplication.processEvents()
                time.sleep(0.005)

        found: list[str] = []
        for ref in self.threads:
            thread = ref()
            if thread is not None and shiboken6.isValid(thread) and thread.isRunning():
                remaining_ms = max(0, int((deadline - time.monotonic()) * 1000))
                if not thread.wait(remaining_ms):
                    found.append(f"running QThread {thread!r} ({thread.objectName()!r})")
        for ref in self.timers:
            timer = ref()
            if timer is not None and shiboken6.isValid(timer) and timer.isActive():
                found.append(
                    f"active QTimer {timer!r} ({timer.objectName()!r}, "
                    f"interval {timer.interval()} ms, parent {timer.parent()!r})"
                )
        found.extend(f"pending QTimer.singleShot to {name}" for name in self.pending_shots.values())
        pool = QThreadPool.globalInstance()
        if not pool.waitForDone(max(0, int((deadline - time.monotonic()) * 1000))):
            found.append(f"{pool.activeThreadCount()} busy threads in the global QThreadPool")
        return found


def _is_qobject(obj: object) -> bool:
    from PySide6.QtCore import QObject

    return isinstance(obj, QObject)


def _is_plain_callable(obj: object) -> bool:
    return callable(obj) and not isinstance(obj, type) and not _is_qobject(obj)


def _is_qt_test(request: pytest.FixtureRequest) -> bool:
    """Qt tests: those that use an application fixture or live under ``tests/ui``.

    Other tests skip the Qt check entirely, so ``app`` and ``sync`` tests never pay for it.
    """
    if {"qapp", "qtbot"} & set(request.fixturenames):
        return True
    return Path(__file__).parent / "ui" in Path(str(request.path)).parents


def _describe(threads: list[threading.Thread]) -> list[str]:
    return [f"running thread {t.name!r} (target {getattr(t, '_target', None)!r})" for t in threads]


@pytest.fixture(autouse=True)
def _no_leaks(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves threads, timers or single shots behind."""
    if request.node.get_closest_marker("allow_leaks"):
        yield
        return
    threads_before = _python_threads()
    watch = QtWatch() if _is_qt_test(request) else None
    if watch is not None:
        watch.install()
    try:
        yield
        problems = _describe(leaked_threads(threads_before))
        if watch is not None:
            problems += watch.leaks()
    finally:
        if watch is not None:
            watch.uninstall()
    if problems:
        pytest.fail(
            "test left these running (stop them, or shut their runner down):\n  "
            + "\n  ".join(problems),
            pytrace=False,
        )


@pytest.fixture
def leak_check() -> SimpleNamespace:
    """The leak checker's parts, for the tests that prove it catches leaks."""
    return SimpleNamespace(
        python_threads=_python_threads, leaked_threads=leaked_threads, QtWatch=QtWatch
    )
