"""The PySide6 the project locks never wears away the interpreter's ``True`` or ``None``.

PySide6 6.12.0 on Python 3.11 took a reference from ``True`` at every ``emit()`` and from
``None`` at every call that returns nothing, until the process aborted (``bool_dealloc`` /
``none_dealloc``) after minutes of typing; pyproject.toml keeps PySide6 below 6.12 for it.
These tests fail (the process aborts) with a PySide6 that has the fault.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    plain = Signal()
    carrying = Signal(object)


def test_many_emits_leave_the_count_of_true_as_it_was(qapp) -> None:
    emitter = Emitter()
    got: list[int] = []
    emitter.carrying.connect(got.append)
    emits = sys.getrefcount(True) + 1000  # with the fault: far past the abort

    before = sys.getrefcount(True)
    for i in range(emits):
        emitter.plain.emit()
        emitter.carrying.emit(i)

    assert sys.getrefcount(True) >= before
    assert len(got) == emits


def test_calls_that_return_nothing_never_wear_none_away(qapp) -> None:
    emitter = Emitter()
    before = sys.getrefcount(None)
    for _ in range(before + 1000):  # with the fault: past None's whole count
        emitter.setObjectName("x")  # returns nothing
    assert sys.getrefcount(None) >= before - 100
