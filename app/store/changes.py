"""What each committed write changed, told to whoever listens (STYLE.md: changes are reported
as data; issue 15: one change signal).

Every write to the local database goes through :meth:`app.store.db.Database.transaction`, so
the database itself can say what each one changed, whoever started it: a service the user
called, another user on this PC, or a sync applying pulled rows. :func:`watch` hooks a
database's writer: while a transaction runs, its flushes and bulk statements are collected
in the session; once it has **committed**, one :class:`Changes` goes to every subscriber of
the database's :class:`ChangeFeed` (a rolled-back transaction tells nothing).

Subscribers are called on the thread that committed (often a task runner's worker): they
must be quick and thread-safe. The desktop's one subscriber (``ui.changes``) re-emits each
:class:`Changes` as a Qt signal, which delivers it on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

__all__ = ["ChangeFeed", "Changes", "note_enqueued", "watch"]

log = logging.getLogger(__name__)

_KEY = "localhr.changes"


@dataclass(frozen=True)
class Changes:
    """What one committed transaction wrote."""

    #: Every table it wrote, by ORM object or by a bulk statement.
    tables: frozenset[str] = frozenset()
    #: (table, id) of the rows written as ORM objects (a bulk statement names its table only).
    rows: frozenset[tuple[str, str]] = frozenset()
    #: How many ops it queued for the central (:func:`note_enqueued`).
    enqueued: int = 0

    def touches(self, *tables: str) -> bool:
        return not self.tables.isdisjoint(tables)

    def ids(self, table: str) -> frozenset[str]:
        return frozenset(i for t, i in self.rows if t == table)


@dataclass
class _Pending:
    tables: set[str] = field(default_factory=set)
    rows: set[tuple[str, str]] = field(default_factory=set)
    enqueued: int = 0

    def frozen(self) -> Changes:
        return Changes(frozenset(self.tables), frozenset(self.rows), self.enqueued)


class ChangeFeed:
    """The subscribers of one database's committed changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[Callable[[Changes], object]] = []

    def subscribe(self, subscriber: Callable[[Changes], object]) -> Callable[[], None]:
        """Call ``subscriber`` with every :class:`Changes` from now on; returns the call that
        stops it."""
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, changes: Changes) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(changes)
            except Exception:  # one listener's bug never undoes or hides a committed write
                log.exception("a change subscriber failed")


def _pending(session: Session) -> _Pending:
    found = session.info.get(_KEY)
    if found is None:
        found = session.info[_KEY] = _Pending()
    return found


def note_enqueued(session: Session, n: int = 1) -> None:
    """The transaction of ``session`` queued ``n`` ops for the central."""
    _pending(session).enqueued += n


def _row_key(obj: Any) -> tuple[str, str] | None:
    table = getattr(obj, "__tablename__", None)
    row_id = getattr(obj, "id", None) or getattr(obj, "op_id", None)
    if table is None:
        return None
    return (table, str(row_id)) if row_id is not None else (table, "")


def watch(writer: sessionmaker[Session], feed: ChangeFeed) -> None:
    """Tell ``feed`` what each transaction of ``writer``'s sessions commits."""

    def flushed(session: Session, _context: Any) -> None:
        pending = _pending(session)
        for obj in (*session.new, *session.dirty, *session.deleted):
            key = _row_key(obj)
            if key is not None:
                pending.tables.add(key[0])
                if key[1]:
                    pending.rows.add(key)

    def executed(state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            table = getattr(state.statement, "table", None)
            name = getattr(table, "name", None)
            if name:
                _pending(state.session).tables.add(name)

    def committed(session: Session) -> None:
        pending = session.info.pop(_KEY, None)
        if pending is not None and (pending.tables or pending.enqueued):
            feed.publish(pending.frozen())

    def rolled_back(session: Session, *_args: Any) -> None:
        session.info.pop(_KEY, None)

    event.listen(writer, "after_flush", flushed)
    event.listen(writer, "do_orm_execute", executed)
    event.listen(writer, "after_commit", committed)
    event.listen(writer, "after_soft_rollback", rolled_back)
