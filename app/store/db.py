"""Opening the local database: SQLite tuned for offices that lose power, migrated on open.

``open_database`` is the way in. It sets WAL, ``foreign_keys=ON``, ``synchronous=FULL``
and a busy timeout on every connection, then brings the schema to the newest Alembic
revision:

- an existing database is first copied to a dated backup beside it (SQLite's online
  backup: a consistent copy that includes what still sits in the WAL);
- the migrations run in one transaction with foreign keys off (SQLite's own procedure for
  rebuilding a table, which Alembic's batch mode does: with them on, dropping a referenced
  table fails or breaks its children), and the upgrade is refused if it left a reference
  broken that was not broken before;
- if anything fails, the file is put back from the backup, byte for byte, and
  :class:`UpgradeFailed` says where the backup is;
- a database written by a newer program (a revision this one does not know) is not
  touched: :class:`DatabaseTooNew`.

:func:`needs_upgrade` says beforehand whether opening a file will back it up and upgrade
it (the desktop then shows a progress window), and ``steps`` (:data:`UpgradeSteps`) is told
where the upgrade is while it runs: the backup's pages copied, the migration, putting the
file back.

``open_read_only`` opens a file without migrating it and refuses every write, both in
:meth:`Database.transaction` and in SQLite itself (``mode=ro``, ``query_only``): what the
desktop uses after a failed upgrade (:mod:`app.store.upgrade`).
"""

from __future__ import annotations

import datetime as dt
import filecmp
import json
import logging
import os
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.errors import DomainError
from app.domain.ids import new_id
from app.store.changes import ChangeFeed, watch
from app.store.models import Meta

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 5000
#: Pages (4 KiB each) the backup copies between two reports of its progress.
BACKUP_STEP_PAGES = 2048

#: Told where an upgrade is, on the thread that opens the database: ``steps(stage, done,
#: total)``, ``stage`` one of :data:`BACKUP` (``done`` of ``total`` pages copied),
#: :data:`MIGRATE` and :data:`RESTORE` (0 of 0: no measure of how far).
UpgradeSteps = Callable[[str, int, int], None]
BACKUP, MIGRATE, RESTORE = "backup", "migrate", "restore"


def _no_steps(stage: str, done: int, total: int) -> None:
    pass


class DatabaseTooNew(RuntimeError):
    """The file was written by a newer program; opening it could damage it."""

    def __init__(self, path: Path, revision: str, head: str) -> None:
        self.path, self.revision, self.head = path, revision, head
        super().__init__(f"{path} has schema {revision}, unknown to this program ({head})")


@dataclass(frozen=True)
class FailedUpgrade:
    """An upgrade that failed and was undone: the file at ``path`` is again what
    ``backup`` holds, at ``from_revision``. ``error``: what went wrong, for the log and
    for support. ``unreadable``: tables (or ``table.column``) the program needs to show the
    records and that the old schema lacks (filled by :mod:`app.store.upgrade`)."""

    path: Path
    backup: Path
    from_revision: str | None
    to_revision: str
    error: str
    unreadable: tuple[str, ...] = ()


class UpgradeFailed(RuntimeError):
    """The migrations failed; the database was put back from its backup (``failure``)."""

    def __init__(self, failure: FailedUpgrade) -> None:
        self.failure = failure
        super().__init__(
            f"upgrading {failure.path} from {failure.from_revision} to {failure.to_revision} "
            f"failed ({failure.error}); restored from {failure.backup}"
        )


class ReadOnlyDatabase(DomainError):
    """A write to a database opened read only (after a failed upgrade)."""

    code = "read_only"


class ForeignKeysBroken(RuntimeError):
    """A migration left rows pointing at rows that do not exist."""


def _on_connect(dbapi_conn: sqlite3.Connection, _record) -> None:
    # Let SQLAlchemy, not the driver, manage transactions (needed for BEGIN IMMEDIATE).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


def _on_begin(conn) -> None:
    # Writers take the write lock at BEGIN, so two writers never deadlock upgrading a read
    # lock; readers begin deferred and, under WAL, never wait for a writer.
    immediate = conn.get_execution_options().get("immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _on_connect_read_only(dbapi_conn: sqlite3.Connection, _record) -> None:
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA query_only=ON")  # and the file is opened mode=ro: belt and braces
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


def make_engine(path: Path | str, *, read_only: bool = False) -> Engine:
    options: dict = {}
    if read_only:
        # A file: URI (spaces and non-ASCII quoted) so that SQLite opens it read only.
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        options["creator"] = lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False},
        # Thai as UTF-8 (3 bytes a character), not as \\uXXXX escapes (6).
        json_serializer=lambda obj: json.dumps(obj, ensure_ascii=False),
        # a failed statement's values (names, citizen IDs) stay out of errors and logs: PDPA
        hide_parameters=True,
        **options,
    )
    event.listen(engine, "connect", _on_connect_read_only if read_only else _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def alembic_config(connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None, "the desktop's migrations have no head"
    return head


def sqlite_connection(connection: Any) -> sqlite3.Connection:
    """The driver's own ``sqlite3.Connection`` under a SQLAlchemy (pool) connection."""
    raw = connection.driver_connection
    assert isinstance(raw, sqlite3.Connection), "the desktop's database is SQLite"
    return raw


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup_file(path: Path, engine: Engine, label: str, steps: UpgradeSteps | None = None) -> Path:
    """A consistent copy of the database (SQLite's online backup, which reads through the
    WAL), named with a timestamp, on disk before this returns; ``steps`` hears of the pages
    copied."""
    steps = steps or _no_steps
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{stamp}.{label}.bak")
    n = 1
    while target.exists():  # two upgrades within a second: never overwrite a backup
        n += 1
        target = path.with_name(f"{path.stem}.{stamp}-{n}.{label}.bak")
    raw = engine.raw_connection()
    try:
        dst = sqlite3.connect(target)
        try:
            with dst:
                sqlite_connection(raw).backup(
                    dst,
                    pages=BACKUP_STEP_PAGES,
                    progress=lambda _status, left, total: steps(BACKUP, total - left, total),
                )
        finally:
            dst.close()
        _sync_file(target)
    except BaseException:
        target.unlink(missing_ok=True)  # a full disk leaves no half copy that looks whole
        raise
    finally:
        raw.close()
    return target


def earlier_backup(path: Path, label: str) -> Path | None:
    """A backup made for the same upgrade at an earlier start, equal to the file byte for
    byte: that upgrade failed, the program ran read only, and nothing changed since. It is
    used again rather than a new copy at every start. None while the WAL holds anything."""
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return None
    size = path.stat().st_size
    for found in sorted(path.parent.glob(f"{path.stem}.*.{label}.bak"), reverse=True):
        if found.stat().st_size == size and filecmp.cmp(found, path, shallow=False):
            return found
    return None


def _sync_file(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a folder; its rename is durable enough
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def restore_backup(path: Path, backup: Path) -> None:
    """Put ``backup`` back as the database at ``path``, byte for byte. Every connection to
    ``path`` must be closed. The old WAL and shared-memory files go first: SQLite would
    otherwise replay what they hold onto the restored file."""
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    partial = path.with_name(path.name + ".restoring")
    shutil.copyfile(backup, partial)
    _sync_file(partial)
    os.replace(partial, path)
    _sync_folder(path.parent)


def _known_revision(revision: str) -> bool:
    try:
        return ScriptDirectory(str(MIGRATIONS)).get_revision(revision) is not None
    except CommandError:  # alembic raises, rather than answer None, for an unknown id
        return False


def _stored(path: Path) -> tuple[bool, str | None]:
    """Whether the file holds any table, and its schema revision (None: not stamped), read
    by a plain connection that only reads, closed at once (the engine's first connection
    would already turn on WAL, a change to the file's header)."""
    if not path.is_file() or path.stat().st_size == 0:
        return False, None
    conn = sqlite3.connect(path)
    try:
        tables = conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:  # no alembic_version: not stamped yet
            row = None
    finally:
        conn.close()
    return tables, row[0] if row is not None else None


def refuse_newer(path: Path) -> None:
    """Raise :class:`DatabaseTooNew` when a newer program wrote ``path``, before anything
    else touches it."""
    _tables, revision = _stored(path)
    if revision is not None and not _known_revision(revision):
        raise DatabaseTooNew(path, revision, head_revision())


def needs_upgrade(path: Path | str) -> bool:
    """True when opening ``path`` will back it up and upgrade it: it holds data at an
    older schema this program knows. False for a missing or empty file (made new, nothing
    to keep safe), one at today's schema, and a newer program's (refused untouched)."""
    tables, revision = _stored(Path(path))
    if not tables or revision == head_revision():
        return False
    return revision is None or _known_revision(revision)


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT 1 FROM sqlite_master LIMIT 1").first() is not None


def _broken_references(conn) -> Counter:
    """Rows whose foreign key points at nothing, counted per (table, parent table)."""
    rows = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    return Counter((row[0], row[2]) for row in rows)


def _upgrade(engine: Engine) -> None:
    """All migrations to head in one transaction, foreign keys off while they run (SQLite's
    procedure for changing a table); refused if they broke a reference."""
    with engine.connect() as conn:
        dbapi = sqlite_connection(conn.connection)  # outside any transaction: PRAGMA works
        dbapi.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                before = _broken_references(conn)
                command.upgrade(alembic_config(conn), "head")
                broken = _broken_references(conn) - before
                if broken:
                    raise ForeignKeysBroken(f"the upgrade left broken references: {dict(broken)}")
        finally:
            dbapi.execute("PRAGMA foreign_keys=ON")


def migrate(path: Path, engine: Engine, steps: UpgradeSteps | None = None) -> Path | None:
    """Upgrade to head; return the backup made first, if the file held data. ``steps`` is
    told where the upgrade is (:data:`UpgradeSteps`).

    Raises :class:`DatabaseTooNew` (the file untouched) or :class:`UpgradeFailed` (the file
    restored from the backup; ``engine`` disposed)."""
    steps = steps or _no_steps
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    if current is not None and not _known_revision(current):
        raise DatabaseTooNew(path, current, head)
    backup = None
    if _has_tables(engine):
        label = f"before-{head}"
        backup = earlier_backup(path, label) or backup_file(path, engine, label, steps)
    if backup:
        log.info("upgrading %s from %s to %s; backup at %s", path, current, head, backup)
    steps(MIGRATE, 0, 0)
    try:
        _upgrade(engine)
    except Exception as exc:
        if backup is None:  # a new, empty file: nothing to keep safe
            raise
        log.exception("upgrading %s from %s to %s failed", path, current, head)
        engine.dispose()  # every connection closed before the file is replaced
        steps(RESTORE, 0, 0)
        restore_backup(path, backup)
        log.error("%s restored from %s", path, backup)
        error = f"{type(exc).__name__}: {exc}"
        raise UpgradeFailed(FailedUpgrade(path, backup, current, head, error)) from exc
    return backup


@dataclass(frozen=True)
class Database:
    """A migrated local database: where it is, its engine and its session factory."""

    path: Path
    engine: Engine
    writer: sessionmaker[Session]
    reader: sessionmaker[Session]
    #: Set when the database is open read only because its upgrade failed.
    upgrade_failure: FailedUpgrade | None = None
    read_only: bool = False
    #: What each committed write changed, for whoever listens (app.store.changes).
    changes: ChangeFeed = field(default_factory=ChangeFeed, compare=False, repr=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work that writes; commits on success, rolls back on any error.
        Raises :class:`ReadOnlyDatabase` on a database opened read only."""
        if self.read_only:
            raise ReadOnlyDatabase()
        with self.writer.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A consistent read (one deferred transaction), never waiting for a writer."""
        with self.reader.begin() as session:
            yield session

    def meta(self, key: str) -> str | None:
        with self.reading() as session:
            return session.scalar(select(Meta.value).where(Meta.key == key))

    @property
    def device_id(self) -> str:
        value = self.meta("device_id")
        assert value is not None, "open_database sets the device id"
        return value

    def close(self) -> None:
        self.engine.dispose()


def _database(path: Path, engine: Engine, **extra) -> Database:
    db = Database(
        path=path,
        engine=engine,
        writer=sessionmaker(engine.execution_options(immediate=True), expire_on_commit=False),
        reader=sessionmaker(engine, expire_on_commit=False),
        **extra,
    )
    watch(db.writer, db.changes)
    return db


def open_database(path: Path | str, steps: UpgradeSteps | None = None) -> Database:
    """Open (creating if needed) and migrate the database at ``path`` (see the module doc
    for what a failed or impossible upgrade raises; ``steps`` hears how an upgrade goes)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    refuse_newer(path)
    engine = make_engine(path)
    try:
        migrate(path, engine, steps)
    except BaseException:
        engine.dispose()  # let go of the file: nothing of it stays open or half-written
        raise
    db = _database(path, engine)
    with db.transaction() as session:
        if session.get(Meta, "device_id") is None:
            session.add(Meta(key="device_id", value=new_id()))
            session.add(Meta(key="created_at", value=dt.datetime.now(dt.UTC).isoformat()))
    return db


def open_read_only(path: Path | str, upgrade_failure: FailedUpgrade | None = None) -> Database:
    """Open an existing database as it is, without migrating it; every write is refused."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(path)
    engine = make_engine(path, read_only=True)
    return _database(path, engine, upgrade_failure=upgrade_failure, read_only=True)
