"""Emitting signals from Python never wears away the interpreter's ``True`` (PySide6 6.12.0
on Python 3.11 took a reference from it at every emit until the process aborted)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from ui import signal_refcount


class Emitter(QObject):
    plain = Signal()
    carrying = Signal(object)


def test_many_emits_leave_the_count_of_true_as_it_was(qapp) -> None:
    emitter = Emitter()
    got: list[int] = []
    emitter.carrying.connect(got.append)
    emits = sys.getrefcount(True) + 1000  # without the fix: far past the abort

    before = sys.getrefcount(True)
    for i in range(emits):
        emitter.plain.emit()
        emitter.carrying.emit(i)

    assert sys.getrefcount(True) >= before  # the fault took one per emit
    assert len(got) == emits


def test_install_is_done_once_by_importing_ui_and_can_be_asked_again(qapp) -> None:
    assert signal_refcount.emit_loses_a_reference() is False
    assert signal_refcount.install() in (True, False)
    assert signal_refcount.emit_loses_a_reference() is False


def test_calls_that_return_nothing_never_wear_none_away(qapp) -> None:
    """With PySide6 6.12.0 each call took a reference from None: without the fix this test
    aborts the interpreter. With a PySide6 that has no such fault nothing is changed."""
    emitter = Emitter()
    calls = 200_000  # more than None's whole count was when the desktop started
    for _ in range(calls):
        emitter.setObjectName("x")  # returns nothing
    assert signal_refcount.keep_none_alive() is False  # done by importing ui, if needed
    assert sys.getrefcount(None) > 10_000  # far from zero, whatever this PySide6 does
