"""The audit trail is hash-chained: an edited or removed event is found, with its place."""

from __future__ import annotations

import json
import sqlite3

from app.services import audit, people
from tests.fixtures_db import free_person_ids

DROP_TRIGGERS = (
    "DROP TRIGGER audit_event_no_update",
    "DROP TRIGGER audit_event_no_delete",
)


def _tamper(path, *statements: str) -> None:
    """What someone with the file and a SQLite shell could do (triggers dropped first)."""
    conn = sqlite3.connect(path)
    try:
        for statement in (*DROP_TRIGGERS, *statements):
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def _seqs(db) -> list[int]:
    with db.reading() as session:
        conn = session.connection()
        return list(conn.exec_driver_sql("SELECT seq FROM audit_event ORDER BY seq").scalars())


def test_the_demo_trail_verifies(demo) -> None:
    check = audit.verify_chain(demo.db)
    assert check.ok and check.broken_at_seq is None
    assert check.events == len(_seqs(demo.db)) >= 3  # two users made, drafts submitted…


def test_viewing_sensitive_data_is_recorded(demo) -> None:
    pid = free_person_ids(demo.db)[0]
    people.get_person(demo.db, demo.clerk, pid, with_sensitive=True)
    [event] = audit.events_for(demo.db, pid)
    assert (event.action, event.actor_id) == ("person.view_sensitive", demo.clerk)
    assert audit.verify_chain(demo.db).ok


def test_an_edited_detail_breaks_the_chain_at_that_event(demo) -> None:
    seqs = _seqs(demo.db)
    target = seqs[len(seqs) // 2]
    demo.db.close()
    detail = json.dumps({"username": "mallory", "role": "org_admin"})
    _tamper(demo.db.path, f"UPDATE audit_event SET detail = '{detail}' WHERE seq = {target}")
    check = audit.verify_chain(demo.db)
    assert not check.ok
    assert check.broken_at_seq == target


def test_an_edited_actor_breaks_the_chain(demo) -> None:
    first = _seqs(demo.db)[0]
    demo.db.close()
    _tamper(demo.db.path, f"UPDATE audit_event SET actor_id = 'someone' WHERE seq = {first}")
    assert audit.verify_chain(demo.db).broken_at_seq == first


def test_a_removed_event_breaks_the_chain_at_the_next(demo) -> None:
    seqs = _seqs(demo.db)
    demo.db.close()
    _tamper(demo.db.path, f"DELETE FROM audit_event WHERE seq = {seqs[1]}")
    check = audit.verify_chain(demo.db)
    assert (check.ok, check.broken_at_seq) == (False, seqs[2])


def test_a_rehashed_event_still_breaks_the_next_link(demo) -> None:
    # Recomputing the edited event's own hash does not help: the next event points at the old.
    seqs = _seqs(demo.db)
    target = seqs[0]
    with demo.db.reading() as session:
        row = (
            session.connection()
            .exec_driver_sql(
                "SELECT id, org_id, actor_id, at, action, entity_kind, entity_id, prev_hash "
                f"FROM audit_event WHERE seq = {target}"
            )
            .one()
        )
    fields = dict(row._mapping)
    fields["detail"] = {"forged": True}
    forged = audit.event_hash(fields)
    demo.db.close()
    _tamper(
        demo.db.path,
        f"UPDATE audit_event SET detail = '{json.dumps(fields['detail'])}', hash = '{forged}' "
        f"WHERE seq = {target}",
    )
    assert audit.verify_chain(demo.db).broken_at_seq == seqs[1]
