"""The central's database: PostgreSQL by URL, or SQLite (the embedded default), migrated
by its own Alembic scripts on open."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=FULL", "busy_timeout=10000"):
        cur.execute(f"PRAGMA {pragma}")
    cur.close()


READ_ONLY = "localhr_read_only"  # execution option of a connection that only reads


def _sqlite_begin(conn) -> None:
    # One writer at a time, decided at BEGIN: SQLite's way of serializing the writes.
    # A reading transaction begins deferred, so readers never wait for the write lock.
    read_only = conn.get_execution_options().get(READ_ONLY, False)
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    dumps = lambda obj: json.dumps(obj, ensure_ascii=False)  # noqa: E731
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            json_serializer=dumps,
            connect_args={"check_same_thread": False},
            hide_parameters=True,  # personal data stays out of errors and logs (PDPA)
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(
        url,
        json_serializer=dumps,
        pool_size=10,
        max_overflow=20,
        pool_pre_ping=True,
        hide_parameters=True,
    )


def alembic_config(connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def migrate(engine: Engine) -> None:
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current != head:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")


@dataclass(frozen=True)
class CentralDB:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.sessions.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """Reads that need no transaction of their own: on SQLite a deferred transaction
        (it never waits for the write lock), on PostgreSQL autocommit (each statement sees
        what is committed, and neither BEGIN nor COMMIT costs a round trip)."""
        options = {"isolation_level": "AUTOCOMMIT"} if self.is_postgres else {READ_ONLY: True}
        with self.sessions.begin() as session:
            session.connection(execution_options=options)
            yield session

    def lock_orgs(self, session: Session, org_ids: set[str]) -> None:
        """Serialize writes per organization until the transaction ends, so that ``seq``
        order is commit order (DESIGN.md §4). Locks are taken in one order: no deadlock.
        SQLite has one writer already."""
        if not self.is_postgres:
            return
        for org_id in sorted(org_ids):
            session.execute(
                text("SELECT pg_advisory_xact_lock(hashtextextended(:org, 0))"), {"org": org_id}
            )

    def close(self) -> None:
        self.engine.dispose()


def open_central(url: str) -> CentralDB:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    migrate(engine)
    return CentralDB(url, engine, sessionmaker(engine, expire_on_commit=False))
