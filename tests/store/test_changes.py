"""Each committed write says what it changed (app.store.changes): the one change signal the
desktop's screens and its sync refresh from (issue 15)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from app.services import decisions, review, submissions
from app.store.changes import Changes
from app.store.models import Meta, OutboxOpModel, SubmissionModel
from tests.fixtures_db import free_person_ids


def _heard(demo) -> list[Changes]:
    heard: list[Changes] = []
    demo.db.changes.subscribe(heard.append)
    return heard


def test_a_service_tells_its_tables_rows_and_queued_ops(demo) -> None:
    heard = _heard(demo)
    draft = submissions.start_draft(demo.db, demo.clerk).submission.id
    assert len(heard) == 1
    [changes] = heard
    assert changes.touches("submission") and changes.enqueued == 1
    assert draft in changes.ids("submission")


def test_a_decision_is_heard_as_a_queued_op_too(demo) -> None:
    """The supervisor's decisions queue ops like the clerk's saves: the sync hears of them."""
    pid = free_person_ids(demo.db)[0]
    sid = submissions.start_draft(demo.db, demo.clerk, person_id=pid).submission.id
    submissions.save_draft(demo.db, demo.clerk, sid, fields={"salary": "31000"})
    submissions.submit(demo.db, demo.clerk, sid)
    assert sid in [w.submission_id for w in review.review_queue(demo.db, demo.supervisor)]
    heard = _heard(demo)
    decisions.approve(demo.db, demo.supervisor, sid)
    assert heard and heard[-1].enqueued >= 1 and heard[-1].touches("decision", "person")


def test_a_bulk_statement_names_its_table_and_a_rollback_tells_nothing(demo) -> None:
    heard = _heard(demo)
    with demo.db.transaction() as session:
        session.execute(update(OutboxOpModel).values(sent_at=None))
    assert heard == [Changes(tables=frozenset({"outbox_op"}))]
    with pytest.raises(RuntimeError), demo.db.transaction() as session:
        session.add(Meta(key="x", value="y"))
        session.flush()
        raise RuntimeError("undone")
    with demo.db.reading() as session:
        assert session.get(Meta, "x") is None
    assert len(heard) == 1  # the rolled-back write was never heard


def test_a_failing_listener_neither_undoes_the_write_nor_silences_the_others(demo) -> None:
    def broken(_changes: Changes) -> None:
        raise ValueError("a listener's bug")

    demo.db.changes.subscribe(broken)
    heard = _heard(demo)
    draft = submissions.start_draft(demo.db, demo.clerk).submission.id
    assert len(heard) == 1
    with demo.db.reading() as session:
        assert session.get(SubmissionModel, draft) is not None
