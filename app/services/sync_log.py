"""When this PC last completed a sync with the central, kept in the database's ``meta`` table
so the status bar shows it again after a restart (DESIGN.md §7: "always visible")."""

from __future__ import annotations

import datetime as dt

from app.domain.ids import utcnow
from app.store.db import Database
from app.store.models import Meta

LAST_SYNC = "last_sync_at"


def record_success(db: Database, at: dt.datetime | None = None) -> dt.datetime:
    """Note that a sync cycle (push and pull) just ended without an error; returns the time."""
    at = at or utcnow()
    if at.tzinfo is None:
        raise ValueError("the time of a sync must be timezone-aware")
    with db.transaction() as session:
        session.merge(Meta(key=LAST_SYNC, value=at.isoformat()))
    return at


def last_success(db: Database) -> dt.datetime | None:
    """The end of the last sync without an error, timezone-aware; None if there never was one
    (or the value is unreadable, which only a hand-edited database can have)."""
    value = db.meta(LAST_SYNC)
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None
