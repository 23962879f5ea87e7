"""The desktop's database at start (issue 7, safe upgrades): upgraded, or read only.

:func:`open_desktop_database` is what the desktop calls before anything else:

- a database older than the program is backed up and upgraded (``open_database``);
- a database written by a newer program raises :class:`~app.store.db.DatabaseTooNew`
  and stays as it is;
- when the upgrade fails, ``open_database`` has already put the file back from its
  backup; it is then opened **read only**, as the old program left it.

What "read only" can show. The program's models describe the *new* schema, and the
file keeps the *old* one. The screens of the read-only mode (the personnel list and
search, a person's record and history, one's own submissions) read only the tables in
:data:`SCREEN_TABLES`; if each has every column the models name, they work on the old
file. When one is missing (a release that renamed or added a column the screens read),
the failure lists what is missing in ``unreadable`` and the desktop does not open the
screens at all: it explains, and the data stays safe and untouched in the file and in its
backup. Reading never writes: a read-only database refuses every transaction that
writes, and SQLite refuses any write that would slip through (``mode=ro``,
``query_only``). Nothing is written to the audit trail either, so a log-in in this mode
is recorded only in the log file.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from sqlalchemy import Engine

from app.store.db import Database, UpgradeFailed, UpgradeSteps, open_database, open_read_only
from app.store.models import Base

log = logging.getLogger(__name__)

#: The tables the read-only screens read (the list and search, a person's record and
#: history, one's own submissions, the log-in).
SCREEN_TABLES = (
    "meta",
    "organization",
    "org_unit",
    "position",
    "person",
    "history_row",
    "app_user",
    "submission",
    "decision",
)


def unreadable(engine: Engine, tables: tuple[str, ...] = SCREEN_TABLES) -> tuple[str, ...]:
    """What the models of ``tables`` need and the file lacks: ``table`` for a missing table,
    ``table.column`` for a missing column."""
    missing: list[str] = []
    with engine.connect() as conn:
        for name in tables:
            have = {row[1] for row in conn.exec_driver_sql(f'PRAGMA table_info("{name}")')}
            if not have:
                missing.append(name)
                continue
            missing += [f"{name}.{c.name}" for c in Base.metadata.tables[name].columns
                        if c.name not in have]  # fmt: skip
    return tuple(missing)


def open_desktop_database(path: Path | str, steps: UpgradeSteps | None = None) -> Database:
    """The desktop's database, upgraded; or read only after a failed upgrade (then
    ``db.upgrade_failure`` says why, where the backup is, and what cannot be shown).
    Raises :class:`~app.store.db.DatabaseTooNew` for a newer program's database. ``steps``
    hears how an upgrade goes (:data:`~app.store.db.UpgradeSteps`)."""
    try:
        return open_database(path, steps)
    except UpgradeFailed as failed:
        db = open_read_only(path)
        failure = dataclasses.replace(failed.failure, unreadable=unreadable(db.engine))
        log.error(
            "%s is open read only after a failed upgrade; backup %s; not readable: %s",
            failure.path, failure.backup, ", ".join(failure.unreadable) or "nothing",
        )  # fmt: skip
        return dataclasses.replace(db, upgrade_failure=failure)
