"""Applying pulled pages: a PC that pulls an office's records ends with the same register,
whatever the order and size of the pages; local edits that have not reached the central
stay on top until they are answered."""

from __future__ import annotations

import dataclasses
import random

import pytest
from sqlalchemy import select, update

from app.services import people, replica, submissions
from app.store.db import open_database
from app.store.models import OutboxOpModel, PersonModel, SubmissionModel


def _register(db, actor: str) -> list[tuple]:
    """What a user sees of the official records: every person's list row in Thai order, and
    their history (the snapshot carries no submissions, so not their open submission)."""
    items = people.list_people(db, limit=1000).items
    return [
        (dataclasses.replace(r, submission_state=None), people.get_person(db, actor, r.id).history)
        for r in items
    ]


def _changes(demo) -> list[replica.Change]:
    snap = replica.snapshot(demo.db, (*replica.SNAPSHOT_TABLES, "user"))
    return [replica.Change(c.table, c.id, c.org_id, c.version, i + 1, c.deleted, c.data)
            for i, c in enumerate(snap)]  # fmt: skip


def test_a_fresh_pc_pulling_the_office_sees_the_same_register(demo, tmp_path) -> None:
    changes = _changes(demo)
    fresh = open_database(tmp_path / "fresh.sqlite3")
    try:
        result = replica.apply_page(fresh, changes, {demo.org_id: len(changes)})
        assert result.deferred == 0 and result.applied == len(changes)
        assert _register(fresh, demo.supervisor) == _register(demo.db, demo.supervisor)
        found = people.list_people(fresh, "สมศ", limit=5).items
        assert found and found == people.list_people(demo.db, "สมศ", limit=5).items
        assert replica.cursors(fresh) == {demo.org_id: len(changes)}
    finally:
        fresh.close()


def test_children_before_their_parents_wait_and_arrive(demo, tmp_path) -> None:
    """Pages in any order (a history row whose person was changed later comes first): what
    points to a row not yet here waits, and nothing is lost at the end."""
    changes = _changes(demo)
    random.Random(7).shuffle(changes)
    fresh = open_database(tmp_path / "fresh.sqlite3")
    try:
        waited = 0
        for i in range(0, len(changes), 37):
            replica.apply_page(fresh, changes[i : i + 37], {demo.org_id: i + 37})
            waited = max(waited, replica.waiting(fresh))
        assert waited > 0  # the shuffle did put children first
        assert replica.waiting(fresh) == 0
        assert _register(fresh, demo.supervisor) == _register(demo.db, demo.supervisor)
    finally:
        fresh.close()


def test_a_page_is_applied_with_its_cursor_or_not_at_all(demo, tmp_path, monkeypatch) -> None:
    changes = _changes(demo)
    fresh = open_database(tmp_path / "fresh.sqlite3")
    try:
        replica.apply_page(fresh, changes[:10], {demo.org_id: 10})

        def broken(*_a, **_k):
            raise OSError("power cut")

        monkeypatch.setattr(replica, "_save_cursors", broken)
        with pytest.raises(OSError, match="power cut"):
            replica.apply_page(fresh, changes[10:], {demo.org_id: len(changes)})
        monkeypatch.undo()
        assert replica.cursors(fresh) == {demo.org_id: 10}
        with fresh.reading() as s:
            count = len(s.scalars(select(PersonModel.id)).all())
        assert count == sum(1 for c in changes[:10] if c.table == "person")
    finally:
        fresh.close()


def test_a_pulled_row_never_overwrites_an_unpushed_local_edit(demo) -> None:
    db = demo.db
    person = people.list_people(db, limit=1).items[0]
    draft = submissions.start_draft(db, demo.clerk, person_id=person.id)
    submissions.save_draft(db, demo.clerk, draft.submission.id, fields={"first_name_th": "ประยุทธ"})
    with db.reading() as s:
        local = s.get(SubmissionModel, draft.submission.id)
        central_state = replica._wire("submission", _row_dict(local))
    central_state["changes"] = {"first_name_th": [person.first_name_th, "ของส่วนกลาง"]}
    change = replica.Change("submission", draft.submission.id, demo.org_id, 5, 99, False,
                            central_state)  # fmt: skip

    result = replica.apply_page(db, [change], {demo.org_id: 99})
    assert result.deferred == 1 and result.applied == 0
    shown = submissions.get_submission(db, demo.clerk, draft.submission.id)
    assert shown.submission.changes["first_name_th"][1] == "ประยุทธ"  # the clerk's, on top

    # The central answers the op: the waiting row is the central's word now.
    with db.transaction() as s:
        s.execute(update(OutboxOpModel).values(state="applied"))
    released = replica.release(db)
    assert released.released == 1 and replica.waiting(db) == 0
    shown = submissions.get_submission(db, demo.clerk, draft.submission.id)
    assert shown.submission.changes["first_name_th"][1] == "ของส่วนกลาง"


def _row_dict(model) -> dict:
    return {c.name: getattr(model, c.name) for c in model.__table__.columns}


def test_rows_of_unknown_tables_are_counted_not_applied(demo) -> None:
    change = replica.Change("payroll", "x", demo.org_id, 1, 1, False, {"id": "x"})
    result = replica.apply_page(demo.db, [change], {demo.org_id: 1})
    assert result.ignored == 1 and result.applied == 0
