"""Databases for the store, services and CLI tests: a small demo office, copied per test.

The demo office (60 people, an admin, a clerk and a supervisor) is generated once per test
directory and copied into each test's ``tmp_path``, so every test gets a fresh database
without paying for the generation (or the scrypt logins) again.

Import the fixtures into a directory's ``conftest.py``::

    from tests.fixtures_db import demo, demo_template  # noqa: F401
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from stdnum.th import pin

from app import demo_data
from app.domain.entities import Role
from app.services import decisions, submissions
from app.store.db import Database, open_database
from app.store.models import OutboxOpModel, PersonModel, SubmissionModel

ORG_CODE = "6340101"
PEOPLE = 60


@dataclass(frozen=True)
class Demo:
    """A demo office in a fresh database, and who works there."""

    db: Database
    result: demo_data.DemoResult

    @property
    def org_id(self) -> str:
        return self.result.org_id

    def account(self, role: Role) -> demo_data.DemoAccount:
        return next(a for a in self.result.accounts if a.role is role)

    @property
    def admin(self) -> str:
        return self.account(Role.ORG_ADMIN).user_id

    @property
    def clerk(self) -> str:
        return self.account(Role.CLERK).user_id

    @property
    def supervisor(self) -> str:
        return self.account(Role.SUPERVISOR).user_id


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, demo_data.DemoResult]:
    path = tmp_path_factory.mktemp("demo-template") / "template.sqlite3"
    db = open_database(path)
    try:
        result = demo_data.generate(db, org_code=ORG_CODE, people=PEOPLE, seed=1)
    finally:
        db.close()  # the last connection checkpoints the WAL into the main file
    return path, result


@pytest.fixture
def demo(demo_template: tuple[Path, demo_data.DemoResult], tmp_path: Path) -> Iterator[Demo]:
    template, result = demo_template
    path = tmp_path / "localhr.sqlite3"
    shutil.copyfile(template, path)
    db = open_database(path)
    try:
        yield Demo(db, result)
    finally:
        db.close()


# --- helpers -------------------------------------------------------------------------------


@pytest.fixture
def second_clerk(demo: Demo) -> str:
    """Another clerk of the demo office (the two edit the same people)."""
    from app.domain.entities import Role
    from app.services import users

    return users.create_user(
        demo.db, demo.admin, org_id=demo.org_id, username="clerk2",
        display_name="มานี มีงาน", role=Role.CLERK, password="another password",
    ).id  # fmt: skip


def returned_then_approved(demo: Demo, pid: str, reason: str, first: str, second: str) -> str:
    """The clerk proposes a salary for ``pid``, the supervisor returns it with ``reason``,
    the clerk fixes it and sends it again, the supervisor approves: the submission's id."""
    sid = submissions.start_draft(demo.db, demo.clerk, person_id=pid).submission.id
    submissions.save_draft(demo.db, demo.clerk, sid, fields={"salary": first})
    submissions.submit(demo.db, demo.clerk, sid)
    decisions.return_submission(demo.db, demo.supervisor, sid, reason)
    submissions.save_draft(demo.db, demo.clerk, sid, fields={"salary": second})
    submissions.submit(demo.db, demo.clerk, sid)
    decisions.approve(demo.db, demo.supervisor, sid)
    return sid


def valid_citizen_id(first12: str) -> str:
    """A citizen ID with a correct check digit after the given 12 digits."""
    assert len(first12) == 12 and first12.isdigit()
    return first12 + pin.calc_check_digit(first12)


def person_record(
    first_name_th: str, last_name_th: str, citizen_id: str, **extra: Any
) -> dict[str, Any]:
    """A whole, valid record of a general contract employee (fields in wire form)."""
    return {
        "citizen_id": citizen_id,
        "prefix": "mr",
        "first_name_th": first_name_th,
        "last_name_th": last_name_th,
        "first_name_en": "Test",
        "last_name_en": "Person",
        "birth_date": "1990-05-01",
        "gender": "male",
        "category": "general_contract",
        "salary": "12000",
        "appointment_date": "2015-10-01",
        **extra,
    }


def add_person(
    demo: Demo, first_name_th: str, last_name_th: str, citizen_id: str, **extra: Any
) -> str:
    """Make an official person the only way there is: a clerk's approved submission."""
    view = submissions.start_draft(demo.db, demo.clerk)
    sid = view.submission.id
    fields = person_record(first_name_th, last_name_th, citizen_id, **extra)
    submissions.save_draft(demo.db, demo.clerk, sid, fields=fields)
    submissions.submit(demo.db, demo.clerk, sid)
    return decisions.approve(demo.db, demo.supervisor, sid).person.id


def free_person_ids(db: Database) -> list[str]:
    """Official people with no submission about them at all, in Thai order."""
    with db.reading() as session:
        taken = set(session.scalars(select(SubmissionModel.person_id)))
        ids = session.scalars(
            select(PersonModel.id)
            .where(PersonModel.deleted.is_(False))
            .order_by(PersonModel.sort_key)
        )
        return [i for i in ids if i not in taken]


def outbox_rows(db: Database) -> list[dict[str, Any]]:
    """Every outbox op, in push order, as plain dicts."""
    with db.reading() as session:
        rows = session.scalars(select(OutboxOpModel).order_by(OutboxOpModel.seq))
        return [
            {
                "seq": r.seq,
                "op_id": r.op_id,
                "kind": r.kind,
                "entity_id": r.entity_id,
                "org_id": r.org_id,
                "author": r.author,
                "device_id": r.device_id,
                "payload": r.payload,
                "state": r.state,
                "sent_at": r.sent_at,
            }
            for r in rows
        ]


def last_seq(db: Database) -> int:
    rows = outbox_rows(db)
    return rows[-1]["seq"] if rows else 0


def ops_after(db: Database, seq: int) -> list[dict[str, Any]]:
    return [r for r in outbox_rows(db) if r["seq"] > seq]


def dump(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table: to show that a refused action wrote nothing at all."""
    with db.reading() as session:
        conn = session.connection()
        tables = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'person_fts%' ORDER BY name"
        ).scalars()
        return {
            t: conn.exec_driver_sql(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables
        }
