"""The last successful sync is kept in the database, so the status bar still shows it after
the program is restarted."""

from __future__ import annotations

import datetime as dt

import pytest

from app.services import sync_log
from app.store.db import open_database


def test_a_fresh_database_has_never_synced(tmp_path) -> None:
    db = open_database(tmp_path / "pc.sqlite3")
    try:
        assert sync_log.last_success(db) is None
    finally:
        db.close()


def test_the_last_success_survives_reopening_and_a_later_one_replaces_it(tmp_path) -> None:
    path = tmp_path / "pc.sqlite3"
    first = dt.datetime(2025, 1, 31, 7, 5, tzinfo=dt.UTC)
    later = first + dt.timedelta(minutes=5)
    db = open_database(path)
    assert sync_log.record_success(db, first) == first
    db.close()

    db = open_database(path)
    try:
        assert sync_log.last_success(db) == first
        sync_log.record_success(db, later)
        assert sync_log.last_success(db) == later
        with pytest.raises(ValueError):
            sync_log.record_success(db, dt.datetime(2025, 1, 31, 7, 5))  # no time zone
        assert sync_log.last_success(db) == later
    finally:
        db.close()
