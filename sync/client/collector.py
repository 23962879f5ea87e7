"""The cyclic garbage collector paused while a sync writes what it pulled.

A first sync holds two pages of tens of thousands of fresh dicts at a time. Each of them
survives the young generations (the page lives until it is written), so CPython's collector
keeps scanning them, and every few pages the whole heap with them: measured on a first sync
of 10,000 people, 1.3 to 2 s of a 5 s budget went to collections that found almost nothing
(the rows hold no reference cycles). Reference counting still frees every page as soon as it
is written; the collector runs again, as usual, once the pull is over.

The collector is one per process: the pause is counted, so overlapping syncs (tests run
several PCs in one process) resume it only when the last one ends, and a collector that
was off before stays off.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pausers = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    global _pausers, _was_enabled
    with _lock:
        if _pausers == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pausers += 1
    try:
        yield
    finally:
        with _lock:
            _pausers -= 1
            if _pausers == 0 and _was_enabled:
                gc.enable()
