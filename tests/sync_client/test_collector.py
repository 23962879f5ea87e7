"""The garbage collector paused during a pull comes back as it was, whatever overlaps."""

from __future__ import annotations

import gc
import threading

import pytest

from sync.client.collector import collector_paused


@pytest.fixture(autouse=True)
def _collector_back_on():
    yield
    gc.enable()


def test_paused_inside_and_back_after_even_on_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("a page failed")
    assert gc.isenabled()


def test_overlapping_pauses_resume_it_only_when_the_last_ends():
    first_in, second_done = threading.Event(), threading.Event()
    seen: list[bool] = []

    def other_sync() -> None:
        with collector_paused():
            first_in.set()
            second_done.wait(5)
        seen.append(gc.isenabled())  # the main thread's pause is still running

    thread = threading.Thread(target=other_sync)
    with collector_paused():
        thread.start()
        assert first_in.wait(5)
        second_done.set()
        thread.join(5)
        assert seen == [False]
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
