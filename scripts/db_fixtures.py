"""Databases saved by each released schema, for the upgrade tests (issue 7, DESIGN.md §6).

``tests/store/test_upgrade_fixtures.py`` copies every ``*.sqlite3`` in ``tests/fixtures/db/``,
opens the copy with today's program (which upgrades it) and checks, against the ``.json``
beside it, that every record, draft and outbox op is still there and readable.

**At each release** (the version in ``pyproject.toml`` bumped), with the released code
checked out, make that release's database and commit both files::

    scripts/make-db-fixtures                 # tests/fixtures/db/release-<version>.{sqlite3,json}

It is made through the real services on a fresh database of that release's schema: an
office of a few people with history rows (the demo generator), the three accounts with
their offline verifiers and the clerk's online login recorded, a draft (a field and an
added history row), a submitted change, a returned one with its reason, a new person
approved, outbox ops answered by the central and others not sent yet, a sync cursor and
the last sync. A release's fixture is never made again (``--force`` to replace one): it
stands for what that release wrote. If a release has gone by without one, make it later
from a worktree of its tag: ``git worktree add /tmp/rel v0.2.0`` and run the script there
with ``--out`` pointing at this checkout's ``tests/fixtures/db``.

Schemas older than the first release (Alembic revisions before it) are made from a
release's database with ``--revisions 0001 0002``: a fresh file migrated to that revision,
then every row copied over in SQL, with only the columns that revision has (what the
older code wrote: no sync cursor before 0002, no ``undo`` on outbox ops before 0003).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402
from stdnum.th import pin  # noqa: E402

from app import demo_data  # noqa: E402
from app.domain.entities import Role  # noqa: E402
from app.services import (  # noqa: E402
    decisions,
    drafts,
    outbox,
    people,
    replica,
    submissions,
    sync_log,
    users,
)
from app.services.submissions import HistoryEdits  # noqa: E402
from app.store.db import alembic_config, head_revision, make_engine, open_database  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "db"
ORG_CODE = "6340101"
PEOPLE = 8
CURSOR = 4242
SYNCED_AT = dt.datetime(2026, 11, 30, 9, 15, tzinfo=dt.UTC)


def release_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]


def _account(result: demo_data.DemoResult, role: Role) -> demo_data.DemoAccount:
    return next(a for a in result.accounts if a.role is role)


def make_release(path: Path) -> dict[str, Any]:
    """A small office's database made by this program's services; what it holds."""
    db = open_database(path)
    try:
        result = demo_data.generate(db, org_code=ORG_CODE, people=PEOPLE, seed=7)
        clerk, supervisor = (_account(result, r) for r in (Role.CLERK, Role.SUPERVISOR))
        answered = [op.op_id for op in outbox.unanswered(db)]  # the accounts' and the demo's
        outbox.mark_sent(db, answered)
        replica.settle(db, [{"op_id": i, "status": "applied"} for i in answered])

        taken = {s.submission.person_id for s in drafts.summaries(db, clerk.user_id)}
        free = [i for i in people.person_ids(db) if i not in taken]
        a, b, c = free[:3]

        # A draft: a new salary and an added training row.
        training = {
            "id": "019ad000-0000-7000-8000-00000000a001",
            "kind": "training",
            "course": "การบริหารงานบุคคลส่วนท้องถิ่น",
            "organizer": "กรมส่งเสริมการปกครองท้องถิ่น",
            "start_date": "2026-03-02",
            "hours": 18,
        }
        draft = submissions.start_draft(db, clerk.user_id, person_id=a).submission.id
        submissions.save_draft(
            db, clerk.user_id, draft, fields={"salary": "23450"},
            history=HistoryEdits(upsert=(training,)),
        )  # fmt: skip
        # A submitted change of surname.
        sent = submissions.start_draft(db, clerk.user_id, person_id=b).submission.id
        submissions.save_draft(db, clerk.user_id, sent, fields={"last_name_th": "ทองประเสริฐ"})
        submissions.submit(db, clerk.user_id, sent)
        # A change returned with a reason.
        back = submissions.start_draft(db, clerk.user_id, person_id=c).submission.id
        submissions.save_draft(db, clerk.user_id, back, fields={"salary": "99999"})
        submissions.submit(db, clerk.user_id, back)
        reason = "เงินเดือนเกินขั้นสูงของระดับ โปรดตรวจสอบ"
        decisions.return_submission(db, supervisor.user_id, back, reason)
        # A new person, approved.
        new = submissions.start_draft(db, clerk.user_id).submission.id
        record = {
            "citizen_id": "110370001234" + pin.calc_check_digit("110370001234"),
            "prefix": "miss",
            "first_name_th": "กาญจนา",
            "last_name_th": "ใจงาม",
            "first_name_en": "Kanchana",
            "last_name_en": "Jaingam",
            "birth_date": "1994-07-14",
            "gender": "female",
            "category": "general_contract",
            "salary": "15600",
            "appointment_date": "2025-10-01",
        }
        submissions.save_draft(db, clerk.user_id, new, fields=record)
        submissions.submit(db, clerk.user_id, new)
        approved = decisions.approve(db, supervisor.user_id, new).person.id

        replica.apply_page(db, [], {result.org_id: CURSOR})  # a pull that brought nothing new
        sync_log.record_success(db, SYNCED_AT)
        users.record_online_login(db, clerk.username)
        users.login_offline(db, clerk.username, clerk.password)

        pending = outbox.unanswered(db)
        return {
            "release": release_version(),
            "revision": head_revision(),
            "made_by": "scripts/make-db-fixtures",
            "made_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "org_id": result.org_id,
            "accounts": {
                a.username: {"id": a.user_id, "password": a.password, "role": str(a.role)}
                for a in result.accounts
            },
            "people": len(people.person_ids(db)),
            "approved": {"person_id": approved, "submission_id": new, **record},
            "draft": {
                "submission_id": draft,
                "person_id": a,
                "salary": "23450",
                "training": training,
            },
            "submitted": {"submission_id": sent, "person_id": b, "last_name_th": "ทองประเสริฐ"},
            "returned": {"submission_id": back, "person_id": c, "reason": reason},
            "submissions": {
                s.submission.id: str(s.submission.state)
                for s in drafts.summaries(db, clerk.user_id)
            },
            "answered_ops": answered,
            "pending_ops": [
                {"op_id": op.op_id, "kind": op.kind, "entity_id": op.entity_id} for op in pending
            ],
            "cursors": {result.org_id: CURSOR},
            "last_sync": SYNCED_AT.isoformat(),
        }
    finally:
        db.close()


def make_revision(source: Path, revision: str, target: Path) -> set[str]:
    """``source``'s rows in a fresh database at ``revision``, columns that revision has;
    the tables it has."""
    engine = make_engine(target)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), revision)
    finally:
        engine.dispose()
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("ATTACH DATABASE ? AS src", (str(source),))
        conn.execute("BEGIN")
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE "
            "'sqlite_%' AND name NOT LIKE 'person_fts%' AND name != 'alembic_version'"
        )]  # fmt: skip
        for table in tables:
            mine = [r[1] for r in conn.execute(f'PRAGMA main.table_info("{table}")')]
            theirs = {r[1] for r in conn.execute(f'PRAGMA src.table_info("{table}")')}
            cols = ", ".join(f'"{c}"' for c in mine if c in theirs)
            conn.execute(
                f'INSERT INTO main."{table}" ({cols}) SELECT {cols} FROM src."{table}" '
                "ORDER BY rowid"
            )
        assert conn.execute("PRAGMA main.foreign_key_check").fetchall() == []
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE src")
    finally:
        conn.close()
    _compact(target)
    return set(tables)


def _compact(path: Path) -> None:
    """One self-contained, small file: no WAL beside it, no free pages."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("VACUUM")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def _write(manifest: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder (tests/fixtures/db)")
    parser.add_argument("--revisions", nargs="*", default=[],
                        help="also older schemas, made from this release's database")  # fmt: skip
    parser.add_argument("--force", action="store_true", help="replace existing fixtures")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    release = args.out / f"release-{release_version()}.sqlite3"
    if release.exists() and not args.force and not args.revisions:
        print(f"{release} exists: a release's fixture is made once (--force to replace it)")
        return 1
    if not release.exists() or args.force:
        release.unlink(missing_ok=True)
        manifest = make_release(release)
        _compact(release)
        _write(manifest, release.with_suffix(".json"))
        print(f"made {release} (schema {manifest['revision']})")
    manifest = json.loads(release.with_suffix(".json").read_text(encoding="utf-8"))
    for revision in args.revisions:
        target = args.out / f"revision-{revision}.sqlite3"
        if target.exists() and not args.force:
            print(f"{target} exists (--force to replace it)")
            return 1
        target.unlink(missing_ok=True)
        tables = make_revision(release, revision, target)
        older = {**manifest, "revision": revision, "made_from": release.name}
        if "sync_cursor" not in tables:
            older["cursors"] = {}  # that schema kept no sync cursors
        _write(older, target.with_suffix(".json"))
        print(f"made {target} (schema {revision}, the rows of {release.name})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
