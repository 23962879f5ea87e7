"""A workaround for PySide6 6.12.0 on Python 3.11: ``SignalInstance.emit()`` returns
``True`` without taking a reference to it, so every emit from Python code takes one
reference away from ``True``. After some thousands of emits (a few minutes of typing in a
form whose inputs emit on every key) the count reaches zero and the interpreter aborts
with "Fatal Python error: bool_dealloc: deallocating True or False". Python 3.12 and later
make ``True`` immortal, so there the fault does no harm.

:func:`install` measures whether this PySide6 has the fault and, only then, wraps ``emit``
so the reference is given back. It is installed when the ``ui`` package is imported.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 16
_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


#: What :func:`install` adds to the count of ``None``: a thousand void calls a second would
#: take 35 years to wear it away (Python 3.12's immortal objects work the same way).
IMMORTAL_REFERENCES = 1 << 40


class _Probe(QObject):
    fired = Signal()


def void_call_loses_none() -> bool:
    """True if calling a Qt method that returns nothing takes a reference from ``None``."""
    probe = _Probe()
    before = sys.getrefcount(None)
    for _ in range(_PROBES):
        probe.setObjectName("probe")
    lost = before - sys.getrefcount(None)
    for _ in range(max(0, lost)):  # give back what the probe took
        _incref(None)
    return lost >= _PROBES


def keep_none_alive() -> bool:
    """Make ``None`` immortal if void calls wear it away here; True if that was needed."""
    if sys.version_info >= (3, 12) or sys.getrefcount(None) > IMMORTAL_REFERENCES // 2:
        return False  # immortal already (3.12+), or made so before
    if not void_call_loses_none():
        return False
    count = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt, the object's first field
    count.value += IMMORTAL_REFERENCES
    return True


def emit_loses_a_reference() -> bool:
    """True if emitting a signal from Python takes a reference away from ``True``."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.fired.emit()
    lost = before - sys.getrefcount(True)
    for _ in range(max(0, lost)):  # give back what the probe took
        _incref(True)
    return lost >= _PROBES


def install() -> bool:
    """Wrap ``SignalInstance.emit`` if this PySide6 needs it (True if it was wrapped), and
    keep ``None`` alive (:func:`keep_none_alive`)."""
    keep_none_alive()
    if getattr(SignalInstance.emit, "_gives_back_a_reference", False):
        return True
    if not emit_loses_a_reference():
        return False
    emit = SignalInstance.emit

    def emit_and_give_back(self: SignalInstance, *args: Any) -> Any:
        result = emit(self, *args)
        if isinstance(result, bool):
            _incref(result)
        return result

    emit_and_give_back._gives_back_a_reference = True  # type: ignore[attr-defined]
    SignalInstance.emit = emit_and_give_back  # type: ignore[method-assign]
    return True
