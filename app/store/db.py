"""Opening the local database: SQLite tuned for offices that lose power, migrated on open.

``open_database`` is the only way in. It sets WAL, ``foreign_keys=ON``, ``synchronous=FULL``
and a busy timeout on every connection, then brings the schema to the newest Alembic
revision, first copying the file to a dated backup when an existing database is upgraded.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.ids import new_id
from app.store.models import Meta

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 5000


class DatabaseTooNew(RuntimeError):
    """The file was written by a newer program; opening it could damage it."""


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


def make_engine(path: Path | str) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False},
        # Thai as UTF-8 (3 bytes a character), not as \\uXXXX escapes (6).
        json_serializer=lambda obj: json.dumps(obj, ensure_ascii=False),
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def alembic_config(connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup_file(path: Path, engine: Engine, label: str) -> Path:
    """A consistent copy of the database (SQLite's online backup), named with a timestamp."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{stamp}.{label}.bak")
    raw = engine.raw_connection()
    try:
        dst = sqlite3.connect(target)
        with dst:
            raw.driver_connection.backup(dst)
        dst.close()
    finally:
        raw.close()
    return target


def _known_revision(revision: str) -> bool:
    try:
        return ScriptDirectory(str(MIGRATIONS)).get_revision(revision) is not None
    except CommandError:  # alembic raises, rather than answer None, for an unknown id
        return False


def migrate(path: Path, engine: Engine) -> Path | None:
    """Upgrade to head; return the backup made first, if the file held an older schema."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    if current is not None and not _known_revision(current):
        raise DatabaseTooNew(f"{path} has schema {current}, unknown to this program ({head})")
    backup = backup_file(path, engine, f"before-{head}") if current is not None else None
    if backup:
        log.info("upgrading %s from %s to %s; backup at %s", path, current, head, backup)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    return backup


@dataclass(frozen=True)
class Database:
    """A migrated local database: where it is, its engine and its session factory."""

    path: Path
    engine: Engine
    writer: sessionmaker[Session]
    reader: sessionmaker[Session]

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work that writes; commits on success, rolls back on any error."""
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


def open_database(path: Path | str) -> Database:
    """Open (creating if needed) and migrate the database at ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path)
    try:
        migrate(path, engine)
    except BaseException:
        engine.dispose()  # let go of the file: nothing of it stays open or half-written
        raise
    db = Database(
        path=path,
        engine=engine,
        writer=sessionmaker(engine.execution_options(immediate=True), expire_on_commit=False),
        reader=sessionmaker(engine, expire_on_commit=False),
    )
    with db.transaction() as session:
        if session.get(Meta, "device_id") is None:
            session.add(Meta(key="device_id", value=new_id()))
            session.add(Meta(key="created_at", value=dt.datetime.now(dt.UTC).isoformat()))
    return db
