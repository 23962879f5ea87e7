"""Safe upgrades (issue 7): a failed upgrade is undone from its backup and the old file
opens read only; a newer program's file is refused untouched; migrations may rebuild the
tables others point at, but not leave a reference broken."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app.services import drafts, people
from app.store import db as store_db
from app.store.db import (
    DatabaseTooNew,
    ReadOnlyDatabase,
    UpgradeFailed,
    current_revision,
    head_revision,
    open_database,
    open_read_only,
)
from app.store.upgrade import open_desktop_database, unreadable
from tests.fixtures_db import returned_then_approved
from tests.store.later_program import ADD_TABLE, LATER_REVISION, later_program

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "db"

#: A migration that writes, commits what it wrote (as a statement that cannot run in a
#: transaction would), then fails: only the backup can undo it.
WRITES_THEN_FAILS = (
    ADD_TABLE,
    "op.execute(\"INSERT INTO meta(key, value) VALUES ('half', 'written')\")",
    'op.execute("COMMIT")',
    'raise RuntimeError("the upgrade failed after writing")',
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fixture_copy(name: str, tmp_path: Path) -> Path:
    path = tmp_path / "localhr.sqlite3"
    shutil.copyfile(FIXTURES / name, path)
    return path


def facts(path: Path) -> dict[str, object]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        return {
            "revision": conn.execute("SELECT version_num FROM alembic_version").fetchone()[0],
            "marker": "upgrade_marker" in tables,
            "half": conn.execute("SELECT value FROM meta WHERE key = 'half'").fetchone(),
            "people": conn.execute("SELECT count(*) FROM person").fetchone()[0],
        }
    finally:
        conn.close()


def test_an_upgrade_that_failed_after_writing_is_undone_from_the_backup(
    demo, tmp_path, monkeypatch
) -> None:
    path = demo.db.path
    demo.db.close()
    today = head_revision()
    later_program(tmp_path, monkeypatch, *WRITES_THEN_FAILS)

    with pytest.raises(UpgradeFailed) as failed:
        open_database(path)

    failure = failed.value.failure
    [backup] = path.parent.glob("*.bak")
    assert failure.backup == backup and backup.name.endswith(f".before-{LATER_REVISION}.bak")
    assert (failure.from_revision, failure.to_revision) == (today, LATER_REVISION)
    assert "the upgrade failed after writing" in failure.error
    assert str(backup) in str(failed.value)
    # The file is the backup again, byte for byte: nothing of the half-done upgrade.
    assert digest(path) == digest(backup)
    assert not Path(f"{path}-wal").exists()
    assert facts(path) == {"revision": today, "marker": False, "half": None, "people": 60}


def test_the_desktop_opens_the_restored_file_read_only(tmp_path, monkeypatch) -> None:
    path = fixture_copy("revision-0001.sqlite3", tmp_path)
    # Today's program's file (its screens read columns 0001 lacks: 0005's slot states)
    today = head_revision()
    open_database(path).close()
    for first_backup in tmp_path.glob("*.bak"):
        first_backup.unlink()
    saved = people_of(path)
    later_program(tmp_path, monkeypatch, *WRITES_THEN_FAILS)

    db = open_desktop_database(path)
    try:
        failure = db.upgrade_failure
        assert db.read_only and failure is not None
        assert failure.from_revision == today and failure.unreadable == ()
        [backup] = tmp_path.glob("*.bak")
        assert failure.backup == backup
        assert current_revision(db.engine) == today  # the schema as today's program left it

        # What a user can still do: list, search and open people, open their drafts.
        assert people.person_ids(db) == saved
        clerk = db.meta("device_id") and _clerk(db)
        assert drafts.summaries(db, clerk)
        assert drafts.open_person(db, clerk, saved[0]).person_id == saved[0]

        # What nobody can do: write, through the services or around them.
        with pytest.raises(ReadOnlyDatabase), db.transaction() as session:
            session.execute(text("DELETE FROM meta"))
        with pytest.raises(OperationalError, match="readonly"), db.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM meta")
    finally:
        db.close()
    assert digest(path) == digest(backup)  # reading changed nothing


def test_each_start_tries_again_with_the_same_backup(tmp_path, monkeypatch) -> None:
    """Until a program that can upgrade it comes, every start fails the same way: the file,
    unchanged while read only, is not copied again each time."""
    path = fixture_copy("revision-0002.sqlite3", tmp_path)
    later_program(tmp_path, monkeypatch, *WRITES_THEN_FAILS)
    backups = []
    for _start in range(3):
        db = open_desktop_database(path)
        assert db.read_only and db.upgrade_failure is not None
        backups.append(db.upgrade_failure.backup)
        db.close()
    assert len(set(backups)) == 1 and list(tmp_path.glob("*.bak")) == backups[:1]
    assert digest(path) == digest(backups[0])

    monkeypatch.undo()  # the next program upgrades it
    db = open_database(path)
    try:
        assert current_revision(db.engine) == head_revision()
    finally:
        db.close()


def test_no_upgrade_without_a_whole_backup(tmp_path, monkeypatch) -> None:
    """A disk too full for the backup: no half copy is left, and nothing is upgraded."""
    path = fixture_copy("revision-0002.sqlite3", tmp_path)
    before = facts(path)

    def full(_path: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_db, "_sync_file", full)
    with pytest.raises(OSError, match="No space left"):
        open_database(path)

    assert list(tmp_path.glob("*.bak")) == []
    assert facts(path) == before and before["revision"] == "0002"


def people_of(path: Path) -> list[str]:
    db = open_read_only(path)
    try:
        return people.person_ids(db)
    finally:
        db.close()


def _clerk(db) -> str:
    with db.reading() as session:
        return session.execute(text("SELECT id FROM app_user WHERE username = 'clerk'")).scalar()


def test_what_an_old_schema_cannot_show_is_named(demo) -> None:
    path = demo.db.path
    demo.db.close()
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE person DROP COLUMN salary_step")
    conn.execute("DROP TABLE decision")
    conn.commit()
    conn.close()

    db = open_read_only(path)
    try:
        assert unreadable(db.engine) == ("person.salary_step", "decision")
    finally:
        db.close()


def test_a_database_of_a_newer_program_is_refused_untouched(tmp_path) -> None:
    path = fixture_copy("release-0.1.0.sqlite3", tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = 'f00d1e55'")
    conn.commit()
    conn.close()
    before = digest(path)

    with pytest.raises(DatabaseTooNew) as refused:
        open_desktop_database(path)

    assert (refused.value.revision, refused.value.head) == ("f00d1e55", head_revision())
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["localhr.sqlite3"]


REBUILD_SUBMISSION = (
    'with op.batch_alter_table("submission", recreate="always") as batch:',
    '    batch.add_column(sa.Column("note", sa.Text(), nullable=True))',
)


def test_a_migration_may_rebuild_a_table_other_tables_point_at(demo, tmp_path, monkeypatch):
    pid = people.person_ids(demo.db)[0]
    sid = returned_then_approved(demo, pid, "ขั้นเงินเดือนไม่ถูกต้อง", "20000", "21000")
    path = demo.db.path
    demo.db.close()
    later_program(tmp_path, monkeypatch, *REBUILD_SUBMISSION)

    db = open_database(path)  # with foreign keys on, dropping submission would fail here
    try:
        assert current_revision(db.engine) == LATER_REVISION
        with db.reading() as session:
            conn = session.connection()
            decided = conn.execute(
                text("SELECT action FROM decision WHERE submission_id = :s ORDER BY rowid"),
                {"s": sid},
            ).scalars()
            assert list(decided) == ["return", "approve"]
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # on again
    finally:
        db.close()


def test_a_migration_that_breaks_a_reference_is_undone(demo, tmp_path, monkeypatch) -> None:
    path = demo.db.path
    before = people.person_ids(demo.db)
    demo.db.close()
    later_program(
        tmp_path,
        monkeypatch,
        'op.execute("DELETE FROM person WHERE id = (SELECT person_id FROM history_row LIMIT 1)")',
    )

    with pytest.raises(UpgradeFailed, match=r"broken references.*history_row"):
        open_database(path)

    monkeypatch.undo()
    db = open_database(path)
    try:
        assert people.person_ids(db) == before
    finally:
        db.close()
