"""Row identifiers: UUIDv7, made where the row is born (DESIGN.md §3)."""

from __future__ import annotations

import datetime as dt

from uuid6 import uuid7


def new_id() -> str:
    """A new time-ordered UUIDv7 as canonical text."""
    return str(uuid7())


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC, to the microsecond."""
    return dt.datetime.now(dt.UTC)
