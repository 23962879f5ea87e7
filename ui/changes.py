"""The one change signal of the desktop (issue 15; STYLE.md: changes are reported as data).

Every committed write to the local database — a service the user called, another user's work
on this PC, a sync applying pulled rows — is told by :mod:`app.store.changes` as a
:class:`~app.store.changes.Changes`. :func:`bus` gives the database's :class:`ChangeBus`,
which re-emits each one as :attr:`ChangeBus.changed` on the GUI thread. Screens connect a
bound method of theirs and decide for themselves what to read again (Anki's
``operation_did_execute``); Qt drops the connection with the screen, so nothing that outlives a
session holds a dead screen.
"""

from __future__ import annotations

import threading
import weakref

from PySide6.QtCore import QObject, Signal

from app.store.changes import Changes
from app.store.db import Database

__all__ = ["ChangeBus", "Changes", "bus"]


class ChangeBus(QObject):
    #: Each committed write's :class:`Changes`, delivered on the GUI thread.
    changed = Signal(object)

    def __init__(self, db: Database) -> None:
        super().__init__()
        # Emitted on the committing thread; Qt queues it to this object's (the GUI) thread.
        # The feed keeps this object alive as long as the database is.
        db.changes.subscribe(self.changed.emit)


_buses: weakref.WeakKeyDictionary[object, ChangeBus] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def bus(db: Database) -> ChangeBus:
    """The :class:`ChangeBus` of ``db``; made on first use, which must be on the GUI thread."""
    with _lock:
        found = _buses.get(db.changes)
        if found is None:
            found = _buses[db.changes] = ChangeBus(db)
        return found
