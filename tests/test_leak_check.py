"""The leak check of conftest.py catches what it promises to, and nothing else."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

CONFTEST = Path(__file__).with_name("conftest.py")


def test_a_thread_still_running_after_the_grace_time_is_reported(leak_check) -> None:
    before = leak_check.python_threads()
    release = threading.Event()
    thread = threading.Thread(target=release.wait, name="left-behind")
    thread.start()
    try:
        assert leak_check.leaked_threads(before, grace_s=0.05) == [thread]
    finally:
        release.set()
        thread.join()
    assert leak_check.leaked_threads(before, grace_s=0.05) == []


def test_a_thread_that_ends_within_the_grace_time_is_not_a_leak(leak_check) -> None:
    before = leak_check.python_threads()
    release = threading.Event()
    thread = threading.Thread(target=release.wait, args=(0.05,), name="finishing")
    thread.start()
    assert leak_check.leaked_threads(before, grace_s=2.0) == []


def test_an_active_timer_and_a_pending_single_shot_are_reported(qapp, leak_check) -> None:
    import shiboken6
    from PySide6.QtCore import QObject, QTimer

    watch = leak_check.QtWatch()
    watch.install()
    try:
        timer = QTimer(qapp)
        timer.start(60_000)
        context = QObject()
        QTimer.singleShot(60_000, context, lambda: None)
        found = watch.leaks(grace_s=0.05)
        timer.stop()
        shiboken6.delete(timer)
        shiboken6.delete(context)  # a shot dies with its context object: no longer pending
        assert watch.leaks(grace_s=0.05) == []
    finally:
        watch.uninstall()
    assert any("active QTimer" in line for line in found)
    assert any("pending QTimer.singleShot" in line for line in found)


def test_a_single_shot_that_fires_within_the_grace_time_is_not_a_leak(qapp, leak_check) -> None:
    from PySide6.QtCore import QTimer

    fired: list[bool] = []
    watch = leak_check.QtWatch()
    watch.install()
    try:
        QTimer.singleShot(10, lambda: fired.append(True))
        found = watch.leaks(grace_s=2.0)
    finally:
        watch.uninstall()
    assert found == []
    assert fired == [True]


@pytest.mark.slow
def test_the_autouse_fixture_fails_leaking_tests_and_passes_clean_ones(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makeini("[pytest]\nqt_api = pyside6\n")
    pytester.makepyfile(
        test_inner="""
        import threading

        from PySide6.QtCore import QTimer

        never = threading.Event()

        def test_clean():
            t = threading.Thread(target=lambda: None)
            t.start()
            t.join()

        def test_leaks_a_thread():
            threading.Thread(target=never.wait, name="leaky-thread", daemon=True).start()

        def test_leaks_a_timer(qapp):
            QTimer(qapp).start(60_000)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_leaks_a_thread*",
            "*running thread 'leaky-thread'*",
            "*ERROR at teardown of test_leaks_a_timer*",
            "*active QTimer*",
        ]
    )
