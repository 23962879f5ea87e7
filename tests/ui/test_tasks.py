"""The task runner: work off the GUI thread, every outcome back on it, nothing lost."""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QMessageBox

from ui import tasks
from ui.tasks import Cancelled, Lane, Progress, ProgressState, Task, TaskRunner

WAIT_MS = 5000


@pytest.fixture
def runner(qapp) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def on_gui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def test_success_is_computed_on_the_db_worker_and_delivered_on_the_gui_thread(
    qtbot, runner
) -> None:
    seen: dict[str, object] = {}

    def work(a: int, b: int) -> int:
        seen["worker"] = threading.current_thread().name
        return a + b

    def done(value: int) -> None:
        seen["value"], seen["on_gui"] = value, on_gui_thread()

    handle = Task(work, 2, 3).on_success(done).run_on(runner, lane="db")
    qtbot.waitUntil(lambda: handle.finished, timeout=WAIT_MS)

    assert seen["value"] == 5
    assert seen["on_gui"] is True
    assert str(seen["worker"]).startswith("localhr-db")


def test_a_failure_reaches_on_failure_on_the_gui_thread_and_success_is_not_called(
    qtbot, runner
) -> None:
    error = ValueError("เลขประจำตัวประชาชนไม่ถูกต้อง")
    got: list[tuple[BaseException, bool]] = []

    def work() -> None:
        raise error

    handle = (
        Task(work)
        .on_success(lambda _: pytest.fail("success after a failure"))
        .on_failure(lambda exc: got.append((exc, on_gui_thread())))
        .run_on(runner)
    )
    qtbot.waitUntil(lambda: handle.finished, timeout=WAIT_MS)

    assert got == [(error, True)]


def test_a_failure_without_on_failure_is_logged_and_published(qtbot, runner, caplog) -> None:
    def work() -> None:
        raise OSError("disk full")

    with qtbot.waitSignal(runner.unhandled_failure, timeout=WAIT_MS) as signal:
        Task(work).run_on(runner, lane="net")

    assert isinstance(signal.args[0], OSError)
    assert any("background task failed" in r.message for r in caplog.records)


def test_a_failure_nobody_listens_for_is_shown_in_a_message_box(qtbot, runner) -> None:
    def work() -> None:
        raise OSError("disk full")

    handle = Task(work).run_on(runner)
    qtbot.waitUntil(lambda: handle.finished, timeout=WAIT_MS)

    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert [b.isVisible() for b in boxes] == [True]
    assert "disk full" in boxes[0].text()
    boxes[0].close()


def test_cancel_stops_a_running_task_quietly(qtbot, runner) -> None:
    started = threading.Event()
    calls: list[str] = []

    def work(*, progress: Progress) -> str:
        started.set()
        while True:
            progress.check()
            time.sleep(0.005)

    handle = (
        Task(work)
        .with_progress()
        .on_success(lambda _: calls.append("success"))
        .on_failure(lambda _: calls.append("failure"))
        .on_cancelled(lambda: calls.append("cancelled"))
        .run_on(runner)
    )
    assert started.wait(WAIT_MS / 1000)
    handle.cancel()
    qtbot.waitUntil(lambda: handle.finished, timeout=WAIT_MS)

    assert calls == ["cancelled"]


def test_a_cancelled_task_that_has_not_started_never_runs(qtbot, runner) -> None:
    release = threading.Event()
    ran: list[str] = []
    blocker = Task(release.wait).run_on(runner, lane="db")
    queued = (
        Task(ran.append, "queued")
        .on_cancelled(lambda: ran.append("cancelled"))
        .run_on(runner, lane="db")
    )

    queued.cancel()
    release.set()
    qtbot.waitUntil(lambda: blocker.finished and queued.finished, timeout=WAIT_MS)

    assert ran == ["cancelled"]


def test_a_result_that_arrives_after_cancel_is_not_delivered(qtbot, runner) -> None:
    returned = threading.Event()
    calls: list[str] = []

    def work() -> str:
        returned.set()
        return "stale search results"

    handle = (
        Task(work)
        .on_success(calls.append)
        .on_cancelled(lambda: calls.append("cancelled"))
        .run_on(runner)
    )
    assert returned.wait(WAIT_MS / 1000)  # the GUI has not processed the answer yet
    handle.cancel()
    qtbot.waitUntil(lambda: handle.finished, timeout=WAIT_MS)

    assert calls == ["cancelled"]


def test_progress_is_polled_on_the_gui_thread_while_the_task_runs(qtbot, runner) -> None:
    release = threading.Event()
    readings: list[tuple[ProgressState, bool]] = []

    def work(*, progress: Progress) -> None:
        progress.update(1, total=3, label="push")
        release.wait(WAIT_MS / 1000)
        progress.update(3)

    handle = (
        Task(work)
        .with_progress(lambda state: readings.append((state, on_gui_thread())))
        .run_on(runner, lane="net")
    )
    qtbot.waitUntil(lambda: bool(readings), timeout=WAIT_MS)
    assert readings == [(ProgressState(1, 3, "push"), True)]
    assert not handle.finished

    release.set()
    qtbot.waitUntil(lambda: handle.finished, timeout=WAIT_MS)
    assert readings[-1] == (ProgressState(3, 3, "push"), True)


def test_the_db_lane_runs_tasks_one_at_a_time_in_submission_order(qtbot, runner) -> None:
    lock = threading.Lock()
    events: list[str] = []
    results: list[int] = []

    def work(i: int) -> int:
        with lock:
            events.append(f"start {i}")
        time.sleep(0.01)
        with lock:
            events.append(f"end {i}")
        return i

    handles = [Task(work, i).on_success(results.append).run_on(runner, "db") for i in range(6)]
    qtbot.waitUntil(lambda: all(h.finished for h in handles), timeout=WAIT_MS)

    assert events == [e for i in range(6) for e in (f"start {i}", f"end {i}")]
    assert results == list(range(6))


def test_the_net_lane_is_not_held_up_by_a_busy_db_lane(qtbot, runner) -> None:
    release = threading.Event()
    db = Task(release.wait, WAIT_MS / 1000).run_on(runner, lane="db")
    net = Task(lambda: "synced").run_on(runner, lane="net")

    qtbot.waitUntil(lambda: net.finished, timeout=WAIT_MS)
    assert not db.finished
    release.set()
    qtbot.waitUntil(lambda: db.finished, timeout=WAIT_MS)


def test_nothing_is_delivered_to_a_destroyed_owner_and_its_queued_work_is_dropped(
    qtbot, runner
) -> None:
    release = threading.Event()
    ran: list[str] = []
    owner = QObject()
    blocker = Task(release.wait).run_on(runner, lane="db")
    queued = (
        Task(ran.append, "ran")
        .on_success(lambda _: ran.append("delivered"))
        .bound_to(owner)
        .run_on(runner, lane="db")
    )

    del owner  # the screen closed while its task waited in the queue
    release.set()
    qtbot.waitUntil(lambda: blocker.finished and queued.finished, timeout=WAIT_MS)

    assert queued.cancelled
    assert ran == []


def test_synchronous_mode_delivers_before_run_on_returns(qapp) -> None:
    runner = TaskRunner(synchronous=True)
    got: list[object] = []

    Task(lambda: 42).on_success(got.append).run_on(runner)
    Task(lambda: 1 / 0).on_failure(got.append).run_on(runner)
    assert got[0] == 42
    assert isinstance(got[1], ZeroDivisionError)
    with pytest.raises(ZeroDivisionError):  # nobody handles it: the test hears of it
        Task(lambda: 1 / 0).run_on(runner)
    runner.shutdown()


def test_a_task_that_raises_cancelled_by_itself_ends_quietly(qapp, caplog) -> None:
    runner = TaskRunner(synchronous=True)
    calls: list[str] = []

    def work() -> None:
        raise Cancelled

    Task(work).on_failure(calls.append).on_cancelled(lambda: calls.append("cancelled")).run_on(
        runner
    )
    assert calls == ["cancelled"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    runner.shutdown()


def test_shutdown_waits_for_the_running_task_and_drops_the_queued_ones(qapp) -> None:
    runner = TaskRunner()
    started, release = threading.Event(), threading.Event()
    calls: list[str] = []

    def work() -> None:
        started.set()
        release.wait(WAIT_MS / 1000)
        calls.append("work done")

    running = (
        Task(work)
        .on_success(lambda _: calls.append("success"))
        .on_cancelled(lambda: calls.append("running task cancelled"))
        .run_on(runner)
    )
    queued = Task(calls.append, "ran").on_cancelled(lambda: calls.append("dropped")).run_on(runner)
    assert started.wait(WAIT_MS / 1000)
    threading.Timer(0.05, release.set).start()
    runner.shutdown(cancel=True)

    assert running.finished and queued.finished
    assert calls == ["work done", "running task cancelled", "dropped"]
    with pytest.raises(RuntimeError):
        Task(print).run_on(runner)


def test_workers_yield_the_interpreter_to_the_gui_thread_quickly(qapp) -> None:
    """Every cell Qt paints calls into Python: a worker must not hold it up for 5 ms."""
    runner = TaskRunner()
    try:
        assert sys.getswitchinterval() <= tasks.SWITCH_INTERVAL_S
    finally:
        runner.shutdown()


def test_at_quit_queued_database_work_still_runs_and_network_work_is_dropped(qapp) -> None:
    """A save queued as the window closes must reach the database; a sync need not."""
    runner = TaskRunner()
    started, release = threading.Event(), threading.Event()
    calls: list[str] = []

    def busy() -> None:
        started.set()
        release.wait(WAIT_MS / 1000)

    Task(busy).run_on(runner, Lane.DB)
    Task(calls.append, "saved").on_cancelled(lambda: calls.append("save dropped")).run_on(
        runner, Lane.DB
    )
    Task(busy).run_on(runner, Lane.NET)
    Task(calls.append, "synced").on_cancelled(lambda: calls.append("sync dropped")).run_on(
        runner, Lane.NET
    )
    assert started.wait(WAIT_MS / 1000)
    threading.Timer(0.05, release.set).start()
    runner.quit()

    assert sorted(calls) == ["saved", "sync dropped"]
