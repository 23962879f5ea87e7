"""Databases saved by earlier schemas open in today's program with everything in them
(DESIGN.md §6; STYLE.md "tests that open databases saved by earlier versions").

Each ``tests/fixtures/db/*.sqlite3`` (made by ``scripts/make-db-fixtures``: one per release,
and the development schemas before the first) is copied and opened with ``open_database``,
which upgrades it to the newest schema. Then every row of every table it had is still
there with the same values, a backup of the old file was made first (when there was
something to upgrade), and the services read the records, the drafts, the outbox and the
sync state back as the ``.json`` beside the fixture says they were saved.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.domain.workflow import Action
from app.services import audit, drafts, outbox, people, replica, sync_log, users
from app.store.db import Database, current_revision, head_revision, open_database

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "db"
SAVED = sorted(FIXTURES.glob("*.sqlite3"))

Dump = dict[str, tuple[list[str], list[tuple]]]


def dump_file(path: Path) -> Dump:
    """Every table's columns and rows (in rowid order), read straight from the file."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE 'person_fts%' AND name != 'alembic_version' ORDER BY name"
            )
        ]
        out: Dump = {}
        for table in tables:
            cur = conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
            out[table] = ([d[0] for d in cur.description], cur.fetchall())
        return out
    finally:
        conn.close()


#: Columns a migration replaced by others on purpose (checked apart, below): 0005 made a
#: slot's ``vacant`` flag its ``state``.
REPLACED = {("position", "vacant")}


def project(dump: Dump, like: Dump) -> Dump:
    """``dump`` cut down to the tables and columns of ``like`` (but the replaced ones)."""
    out: Dump = {}
    for table, (columns, _) in like.items():
        have, rows = dump[table]
        kept = [c for c in columns if (table, c) not in REPLACED]
        at = [have.index(c) for c in kept]
        out[table] = (kept, [tuple(row[i] for i in at) for row in rows])
    return out


def _column(dump: Dump, table: str, name: str) -> list[Any]:
    columns, rows = dump[table]
    return [row[columns.index(name)] for row in rows]


def test_there_is_a_fixture_for_every_release_and_the_schemas_before_it() -> None:
    names = {p.name for p in SAVED}
    assert {"revision-0001.sqlite3", "revision-0002.sqlite3", "release-0.1.0.sqlite3"} <= names
    for path in SAVED:
        assert path.with_suffix(".json").is_file(), f"{path.name} has no manifest"
        assert path.stat().st_size < 1_000_000  # small: a few people


@dataclass(frozen=True)
class Upgraded:
    db: Database
    saved: dict[str, Any]  # the manifest
    before: Dump  # the fixture's rows
    path: Path

    def clerk(self) -> str:
        return self.saved["accounts"]["clerk"]["id"]


@pytest.fixture(params=SAVED, ids=[p.stem for p in SAVED])
def upgraded(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Upgraded]:
    fixture: Path = request.param
    saved = json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))
    path = tmp_path / "localhr.sqlite3"
    shutil.copyfile(fixture, path)
    before = dump_file(path)
    db = open_database(path)
    try:
        yield Upgraded(db, saved, before, path)
    finally:
        db.close()


def test_every_row_of_every_table_survives_the_upgrade(upgraded: Upgraded) -> None:
    assert current_revision(upgraded.db.engine) == head_revision()
    upgraded.db.close()  # the last connection folds the WAL into the file
    after = dump_file(upgraded.path)

    assert set(upgraded.before) <= set(after)
    assert project(after, upgraded.before) == project(upgraded.before, upgraded.before)
    # a vacant slot stays vacant; any other is filled, held by the person it names
    was_vacant = _column(upgraded.before, "position", "vacant")
    states = _column(after, "position", "state")
    assert states == ["vacant" if v else "filled" for v in was_vacant]
    holders = dict(
        zip(_column(after, "person", "position_id"), _column(after, "person", "id"), strict=True)
    )
    for slot_id, state, holder in zip(
        _column(after, "position", "id"),
        states,
        _column(after, "position", "holder_id"),
        strict=True,
    ):
        assert holder == (holders.get(slot_id) if state == "filled" else None)
    counts = {t: len(rows) for t, (_, rows) in upgraded.before.items()}
    assert counts["person"] == upgraded.saved["people"]
    assert counts["history_row"] > counts["person"]  # people with their history rows
    assert counts["outbox_op"] == len(upgraded.saved["answered_ops"]) + len(
        upgraded.saved["pending_ops"]
    )


def test_the_old_file_is_backed_up_before_it_is_upgraded(upgraded: Upgraded) -> None:
    backups = sorted(upgraded.path.parent.glob("localhr.*.bak"))
    if upgraded.saved["revision"] == head_revision():
        assert backups == []  # nothing to upgrade: this program's own schema
        return
    assert [b.name.endswith(f".before-{head_revision()}.bak") for b in backups] == [True]
    assert dump_file(backups[0]) == upgraded.before
    conn = sqlite3.connect(backups[0])
    try:
        assert (
            conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            == (upgraded.saved["revision"])
        )
    finally:
        conn.close()


def test_the_people_are_listed_searched_and_opened(upgraded: Upgraded) -> None:
    db, saved = upgraded.db, upgraded.saved
    ids = people.person_ids(db)
    assert len(ids) == saved["people"]
    new = saved["approved"]
    assert people.person_ids(db, new["first_name_th"]) == [new["person_id"]]  # the index too
    assert people.person_ids(db, new["citizen_id"]) == [new["person_id"]]
    detail = people.get_person(db, upgraded.clerk(), new["person_id"])
    person = detail.person
    assert (person.first_name_th, person.last_name_th, person.citizen_id) == (
        new["first_name_th"],
        new["last_name_th"],
        new["citizen_id"],
    )
    assert str(person.salary) == new["salary"]
    assert person.birth_date == dt.date.fromisoformat(new["birth_date"])
    lines = {line.id: line for line in people.people_rows(db, ids)}
    assert lines[saved["submitted"]["person_id"]].submission_state == "submitted"


def test_the_drafts_and_submissions_open_as_they_were_saved(upgraded: Upgraded) -> None:
    db, saved, clerk = upgraded.db, upgraded.saved, upgraded.clerk()
    mine = {s.submission.id: str(s.submission.state) for s in drafts.summaries(db, clerk)}
    assert mine == saved["submissions"]

    draft = drafts.open_submission(db, clerk, saved["draft"]["submission_id"])
    assert draft.person_id == saved["draft"]["person_id"]
    assert draft.proposed["salary"] == saved["draft"]["salary"]
    training = saved["draft"]["training"]
    [row] = [r for r in draft.rows if r["id"] == training["id"]]
    assert {k: row[k] for k in ("course", "organizer", "start_date", "hours")} == {
        k: training[k] for k in ("course", "organizer", "start_date", "hours")
    }
    assert Action.EDIT in draft.allowed  # the clerk goes on with it

    sent = drafts.open_submission(db, clerk, saved["submitted"]["submission_id"])
    assert sent.proposed["last_name_th"] == saved["submitted"]["last_name_th"]
    assert sent.allowed == {Action.WITHDRAW}
    back = drafts.open_submission(db, clerk, saved["returned"]["submission_id"])
    assert back.submission.return_reason == saved["returned"]["reason"]


def test_the_outbox_and_the_sync_state_carry_on(upgraded: Upgraded) -> None:
    db, saved = upgraded.db, upgraded.saved
    waiting = outbox.unanswered(db)
    assert [(op.op_id, op.kind, op.entity_id) for op in waiting] == [
        (op["op_id"], op["kind"], op["entity_id"]) for op in saved["pending_ops"]
    ]
    assert not any(op.sent for op in waiting)
    assert outbox.counts(db) == outbox.Counts(pending=len(saved["pending_ops"]), attention=0)
    assert replica.cursors(db) == saved["cursors"]
    assert sync_log.last_success(db) == dt.datetime.fromisoformat(saved["last_sync"])


def test_the_users_log_in_offline_as_before(upgraded: Upgraded) -> None:
    db, saved = upgraded.db, upgraded.saved
    clerk = saved["accounts"]["clerk"]
    assert users.logged_in_online_here(db, "clerk")
    assert users.login_offline(db, "clerk", clerk["password"]).id == clerk["id"]
    assert audit.verify_chain(db).ok
    device = dict(upgraded.before["meta"][1])["device_id"]
    assert db.device_id == device  # still the same PC for the central
