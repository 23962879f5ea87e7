"""The local database file: pragmas, migrations, backups before upgrades, append-only audit."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError, IntegrityError

from app.services import audit, people
from app.store import db as store_db
from app.store.db import (
    DatabaseTooNew,
    UpgradeFailed,
    alembic_config,
    backup_file,
    current_revision,
    head_revision,
    open_database,
)
from app.store.models import FTS_TABLES, Base, HistoryRowModel
from tests.fixtures_db import add_person, valid_citizen_id
from tests.store.later_program import ADD_TABLE, later_program

PRAGMAS = ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")


def _pragmas(conn) -> dict[str, object]:
    return {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in PRAGMAS}


def _assert_tuned(values: dict[str, object]) -> None:
    assert values["journal_mode"] == "wal"
    assert values["foreign_keys"] == 1
    assert values["synchronous"] == 2  # FULL: a power cut never loses a committed change
    assert isinstance(values["busy_timeout"], int) and values["busy_timeout"] > 0


def test_every_connection_has_the_pragmas(tmp_path: Path) -> None:
    db = open_database(tmp_path / "hr.sqlite3")
    try:
        # Several connections at once: each one is new to the pool, so each ran the setup.
        with db.engine.connect() as a, db.engine.connect() as b, db.engine.connect() as c:
            for conn in (a, b, c):
                _assert_tuned(_pragmas(conn))
        with db.reading() as session:
            _assert_tuned(_pragmas(session.connection()))
        with db.transaction() as session:
            _assert_tuned(_pragmas(session.connection()))
    finally:
        db.close()


def test_foreign_keys_are_enforced(demo) -> None:
    def orphan() -> None:
        with demo.db.transaction() as session:
            session.add(
                HistoryRowModel(
                    id="orphan-row",
                    org_id=demo.org_id,
                    person_id="no-such-person",
                    kind="education",
                    data={},
                )
            )

    with pytest.raises(IntegrityError):
        orphan()
    with demo.db.reading() as session:
        assert session.get(HistoryRowModel, "orphan-row") is None


def test_a_failed_statement_does_not_carry_personal_data_into_errors(demo) -> None:
    """Errors end up in logs and crash reports: the values of the statement stay out."""
    with pytest.raises(IntegrityError) as caught, demo.db.transaction() as session:
        session.add(
            HistoryRowModel(
                id="orphan-row", org_id=demo.org_id, person_id="no-such-person",
                kind="education", data={"institution": "มหาวิทยาลัยขอนแก่น"},
            )
        )  # fmt: skip
    text_of_error = str(caught.value)
    assert "FOREIGN KEY" in text_of_error
    assert "no-such-person" not in text_of_error and "ขอนแก่น" not in text_of_error


def test_a_writer_waits_for_another_writer_instead_of_failing(tmp_path: Path) -> None:
    db = open_database(tmp_path / "hr.sqlite3")
    other = sqlite3.connect(db.path, isolation_level=None, check_same_thread=False)
    try:
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        releaser = threading.Timer(0.3, other.execute, args=("COMMIT",))
        releaser.start()
        started = time.monotonic()
        with db.transaction() as session:
            session.execute(text("INSERT INTO meta(key, value) VALUES ('waited', 'yes')"))
        releaser.join()
        assert time.monotonic() - started >= 0.25
        assert db.meta("waited") == "yes"
    finally:
        other.close()
        db.close()


# --- schema and migrations ---------------------------------------------------------------


def _skip_fts(obj, name, type_, reflected, compare_to) -> bool:
    """The same filter as the migrations' env.py: the FTS index is made by hand."""
    return not (type_ == "table" and name and name.startswith(FTS_TABLES))


def test_migrated_schema_equals_the_models(tmp_path: Path) -> None:
    db = open_database(tmp_path / "hr.sqlite3")
    try:
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_object": _skip_fts, "compare_type": True}
            )
            assert compare_metadata(context, Base.metadata) == []
            # And as alembic itself sees it through env.py (its own include_object).
            command.check(alembic_config(conn))
    finally:
        db.close()


def test_the_search_index_and_audit_triggers_exist(tmp_path: Path) -> None:
    db = open_database(tmp_path / "hr.sqlite3")
    try:
        with db.engine.connect() as conn:
            names = set(conn.exec_driver_sql("SELECT name FROM sqlite_master").scalars())
    finally:
        db.close()
    assert "person_fts" in names
    assert {"person_fts_ai", "person_fts_ad", "person_fts_au"} <= names
    assert {"audit_event_no_update", "audit_event_no_delete"} <= names


def test_a_new_database_is_at_head_without_a_backup(tmp_path: Path) -> None:
    db = open_database(tmp_path / "hr.sqlite3")
    try:
        assert current_revision(db.engine) == head_revision()
        assert db.device_id
    finally:
        db.close()
    assert list(tmp_path.glob("*.bak")) == []


def test_reopening_keeps_the_data_and_the_device_id(demo) -> None:
    path, device = demo.db.path, demo.db.device_id
    before = people.person_ids(demo.db)
    demo.db.close()
    again = open_database(path)
    try:
        assert again.device_id == device
        assert people.person_ids(again) == before
    finally:
        again.close()
    assert list(path.parent.glob("*.bak")) == []  # nothing to upgrade, nothing to back up


def _sqlite_facts(path: Path) -> dict[str, object]:
    conn = sqlite3.connect(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return {
            "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0],
            "revision": conn.execute("SELECT version_num FROM alembic_version").fetchone()[0],
            "people": conn.execute("SELECT count(*) FROM person").fetchone()[0],
            "ids": sorted(r[0] for r in conn.execute("SELECT id FROM person")),
            "marker": "upgrade_marker" in tables,
        }
    finally:
        conn.close()


def test_upgrading_an_older_database_backs_it_up_first(demo, tmp_path, monkeypatch) -> None:
    path = demo.db.path
    demo.db.close()
    before = _sqlite_facts(path)
    assert before["revision"] == store_db.head_revision() and before["people"] == 60

    later_program(tmp_path, monkeypatch)
    upgraded = open_database(path)
    try:
        assert current_revision(upgraded.engine) == "9999"
        assert len(people.person_ids(upgraded)) == 60
    finally:
        upgraded.close()

    backups = list(path.parent.glob(f"{path.stem}.*.bak"))
    assert len(backups) == 1
    saved = _sqlite_facts(backups[0])
    assert saved == {**before, "marker": False}  # the old file, whole, as it was
    assert _sqlite_facts(path)["marker"] is True

    # Opening again finds nothing to upgrade: no second backup.
    open_database(path).close()
    assert len(list(path.parent.glob("*.bak"))) == 1


def test_a_failed_upgrade_leaves_the_database_as_it_was(demo, tmp_path, monkeypatch) -> None:
    path = demo.db.path
    demo.db.close()
    before = _sqlite_facts(path)

    later_program(tmp_path, monkeypatch, ADD_TABLE, 'raise RuntimeError("upgrade failed halfway")')
    with pytest.raises(UpgradeFailed, match="upgrade failed halfway"):
        open_database(path)

    assert _sqlite_facts(path) == before  # still 0001, no half-made table, every person
    assert len(list(path.parent.glob("*.bak"))) == 1
    monkeypatch.undo()
    open_database(path).close()  # the old program still opens it


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_database_from_a_newer_program_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "hr.sqlite3"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = 'f00d1e55'")
    conn.commit()
    conn.close()
    digest = _digest(path)
    files = sorted(p.name for p in tmp_path.iterdir())

    with pytest.raises(DatabaseTooNew, match="f00d1e55"):
        open_database(path)

    assert _digest(path) == digest
    # No backup, and no -wal/-shm left behind: the file is let go of, not held open.
    assert sorted(p.name for p in tmp_path.iterdir()) == files


def test_backup_file_is_a_complete_readable_copy(demo) -> None:
    # The new person lives in the WAL for now: the copy must include it all the same.
    new_id = add_person(demo, "สำรองข้อมูล", "ทดสอบ", valid_citizen_id("310990012345"))
    ids = people.person_ids(demo.db)
    assert new_id in ids

    target = backup_file(demo.db.path, demo.db.engine, "manual")

    assert target.exists() and target.name.endswith(".manual.bak")
    facts = _sqlite_facts(target)
    assert facts["integrity"] == "ok"
    assert facts["revision"] == head_revision()
    copy = open_database(target)
    try:
        assert people.person_ids(copy) == ids  # the search index came along too
        assert people.person_ids(copy, "สำรองข้อมูล") == [new_id]
        assert audit.verify_chain(copy).ok
    finally:
        copy.close()


# --- the audit trail is append-only --------------------------------------------------------


def test_audit_events_cannot_be_updated_or_deleted(demo) -> None:
    with demo.db.reading() as session:
        seq, action = session.execute(
            text("SELECT seq, action FROM audit_event ORDER BY seq LIMIT 1")
        ).one()

    for statement in (
        "UPDATE audit_event SET action = 'nothing.happened' WHERE seq = :seq",
        "DELETE FROM audit_event WHERE seq = :seq",
    ):
        with pytest.raises(DatabaseError, match="append-only"):  # noqa: SIM117
            with demo.db.transaction() as session:
                session.execute(text(statement), {"seq": seq})

    raw = sqlite3.connect(demo.db.path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            raw.execute("DELETE FROM audit_event")
        raw.rollback()
    finally:
        raw.close()

    with demo.db.reading() as session:
        assert (
            session.execute(
                text("SELECT action FROM audit_event WHERE seq = :seq"), {"seq": seq}
            ).scalar_one()
            == action
        )
    assert audit.verify_chain(demo.db).ok
