"""Every change that must reach the central leaves an op in the outbox, in the same
transaction as the change (DESIGN.md §4): no change without its op, no op without its change.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app.domain.entities import Role
from app.domain.errors import (
    AuthenticationFailed,
    ConflictsUnresolved,
    InvalidInput,
    PermissionDenied,
)
from app.domain.ids import utcnow
from app.services import audit, decisions, outbox, people, submissions, users
from app.store.models import AuditEventModel, OutboxOpModel
from tests.fixtures_db import dump, free_person_ids, last_seq, ops_after, outbox_rows


class _Recorder:
    """Ops written since the last look."""

    def __init__(self, db) -> None:
        self.db = db
        self.seq = last_seq(db)

    def new(self) -> list[dict]:
        ops = ops_after(self.db, self.seq)
        self.seq = last_seq(self.db)
        return ops

    def kinds(self) -> list[str]:
        return [op["kind"] for op in self.new()]


def test_each_step_writes_exactly_its_ops_in_order(demo) -> None:
    db = demo.db
    pid = free_person_ids(db)[0]
    rec = _Recorder(db)

    sid = submissions.start_draft(db, demo.clerk, person_id=pid).submission.id
    [save] = rec.new()
    assert save["kind"] == "submission.save" and save["entity_id"] == sid

    submissions.save_draft(db, demo.clerk, sid, fields={"salary": "21000"})
    assert rec.kinds() == []  # coalesced into the pending save

    submissions.submit(db, demo.clerk, sid)
    [submit] = rec.new()
    assert submit["kind"] == "submission.submit"
    assert submit["payload"]["submission"]["state"] == "submitted"
    assert submit["payload"]["submission"]["changes"]["salary"][1] == "21000"

    decisions.return_submission(db, demo.supervisor, sid, "แนบคำสั่ง")
    ret, appended = rec.new()
    assert ret["kind"] == "submission.return" and ret["payload"]["reason"] == "แนบคำสั่ง"
    assert appended["kind"] == "audit.append"
    assert appended["payload"]["action"] == "submission.return"

    submissions.save_draft(db, demo.clerk, sid, fields={"salary": "21500"})
    assert rec.kinds() == ["submission.save"]  # a new op: the last one for it was the return

    submissions.submit(db, demo.clerk, sid)
    assert rec.kinds() == ["submission.submit"]

    decisions.approve(db, demo.supervisor, sid)
    approve, appended = rec.new()
    assert approve["kind"] == "submission.approve"
    assert approve["payload"]["submission_id"] == sid
    assert appended["kind"] == "audit.append"
    assert appended["payload"]["action"] == "submission.approve"

    other = submissions.start_draft(db, demo.clerk, person_id=free_person_ids(db)[1])
    submissions.withdraw(db, demo.clerk, other.submission.id)
    assert rec.kinds() == ["submission.save", "submission.withdraw"]

    # Every op says who, from which PC and for which organization; each has its own id.
    ops = outbox_rows(db)
    assert len({op["op_id"] for op in ops}) == len(ops)
    assert all(op["device_id"] == db.device_id for op in ops)
    assert all(op["org_id"] == demo.org_id for op in ops)
    assert all(op["state"] == "pending" and op["sent_at"] is None for op in ops)
    mine = [op for op in ops if op["entity_id"] == sid]
    assert [op["author"] for op in mine] == [
        demo.clerk, demo.clerk, demo.supervisor, demo.clerk, demo.clerk, demo.supervisor
    ]  # fmt: skip
    with db.reading() as session:
        assert [e.entity_id for e in outbox.pending(session)] == [op["entity_id"] for op in ops]


def test_other_services_write_their_audit_ops(demo) -> None:
    db = demo.db
    rec = _Recorder(db)
    user = users.create_user(
        db, demo.admin, org_id=demo.org_id, username="newclerk", display_name="ใหม่",
        role=Role.CLERK, password="12345678",
    )  # fmt: skip
    [op] = rec.new()
    assert (op["kind"], op["payload"]["action"], op["author"]) == (
        "audit.append", "user.create", demo.admin,
    )  # fmt: skip
    assert op["payload"]["entity_id"] == user.id

    users.login_offline(db, "newclerk", "12345678")
    [op] = rec.new()
    assert (op["kind"], op["payload"]["action"]) == ("audit.append", "user.login")

    people.get_person(db, demo.clerk, free_person_ids(db)[0])
    assert rec.kinds() == []  # reading is not an event
    people.get_person(db, demo.clerk, free_person_ids(db)[0], with_sensitive=True)
    [op] = rec.new()
    assert (op["kind"], op["payload"]["action"]) == ("audit.append", "person.view_sensitive")


def test_an_audit_op_carries_the_event_as_chained(demo) -> None:
    rec = _Recorder(demo.db)
    sid = submissions.start_draft(demo.db, demo.clerk, person_id=free_person_ids(demo.db)[0])
    sid = sid.submission.id
    submissions.save_draft(demo.db, demo.clerk, sid, fields={"salary": "25000"})
    submissions.submit(demo.db, demo.clerk, sid)
    decisions.approve(demo.db, demo.supervisor, sid)
    op = next(op for op in rec.new() if op["kind"] == "audit.append")
    with demo.db.reading() as session:
        event = session.scalar(select(AuditEventModel).where(AuditEventModel.id == op["entity_id"]))
    assert op["payload"]["hash"] == event.hash
    assert op["payload"]["prev_hash"] == event.prev_hash
    assert audit.event_hash({k: v for k, v in op["payload"].items() if k != "hash"}) == event.hash


def test_refused_actions_write_no_op(demo) -> None:
    db = demo.db
    ids = free_person_ids(db)
    draft = submissions.start_draft(db, demo.clerk, person_id=ids[0]).submission.id
    empty = submissions.start_draft(db, demo.clerk, person_id=ids[1]).submission.id
    submitted = submissions.start_draft(db, demo.clerk, person_id=ids[2]).submission.id
    submissions.save_draft(db, demo.clerk, submitted, fields={"salary": "26000"})
    submissions.submit(db, demo.clerk, submitted)
    before = outbox_rows(db)

    refusals = [
        (InvalidInput, lambda: submissions.save_draft(db, demo.clerk, draft,
                                                      fields={"birth_date": "31/02/abc"})),
        (InvalidInput, lambda: submissions.submit(db, demo.clerk, empty)),
        (InvalidInput, lambda: decisions.return_submission(db, demo.supervisor, submitted, "")),
        (PermissionDenied, lambda: decisions.approve(db, demo.clerk, submitted)),
        (PermissionDenied, lambda: submissions.withdraw(db, demo.supervisor, draft)),
        (PermissionDenied, lambda: users.create_user(
            db, demo.clerk, org_id=demo.org_id, username="x", display_name="x",
            role=Role.CLERK, password="12345678")),
        (InvalidInput, lambda: users.create_user(
            db, demo.admin, org_id=demo.org_id, username="clerk", display_name="x",
            role=Role.CLERK, password="12345678")),
        (AuthenticationFailed, lambda: users.login_offline(db, "clerk", "wrong password")),
    ]  # fmt: skip
    for error, action in refusals:
        with pytest.raises(error):
            action()
        assert outbox_rows(db) == before


def test_an_unresolved_conflict_writes_no_op(demo) -> None:
    db = demo.db
    clerk2 = users.create_user(
        db, demo.admin, org_id=demo.org_id, username="clerk2", display_name="สอง",
        role=Role.CLERK, password="12345678",
    ).id  # fmt: skip
    pid = free_person_ids(db)[0]
    subs = []
    for clerk, salary in ((demo.clerk, "27000"), (clerk2, "28000")):
        sid = submissions.start_draft(db, clerk, person_id=pid).submission.id
        submissions.save_draft(db, clerk, sid, fields={"salary": salary})
        submissions.submit(db, clerk, sid)
        subs.append(sid)
    decisions.approve(db, demo.supervisor, subs[0])
    before = outbox_rows(db)
    with pytest.raises(ConflictsUnresolved):
        decisions.approve(db, demo.supervisor, subs[1])
    assert outbox_rows(db) == before


def test_a_failure_after_the_op_takes_the_op_back_with_the_change(demo, monkeypatch) -> None:
    db = demo.db
    sid = submissions.start_draft(db, demo.clerk, person_id=free_person_ids(db)[0]).submission.id
    submissions.save_draft(db, demo.clerk, sid, fields={"salary": "29000"})
    submissions.submit(db, demo.clerk, sid)
    before = dump(db)

    def broken_disk(*args, **kwargs):
        raise OSError("disk full")

    # The return's op is written first, then the audit event fails: nothing may remain.
    monkeypatch.setattr(audit, "append", broken_disk)
    with pytest.raises(OSError):
        decisions.return_submission(db, demo.supervisor, sid, "ขาดเอกสาร")
    with pytest.raises(OSError):
        decisions.approve(db, demo.supervisor, sid)
    assert dump(db) == before
    monkeypatch.undo()

    # The other way round: the change is made first, then writing its op fails.
    monkeypatch.setattr(outbox, "enqueue", broken_disk)
    with pytest.raises(OSError):
        submissions.start_draft(db, demo.clerk, person_id=free_person_ids(db)[1])
    assert dump(db) == before


# --- coalescing ------------------------------------------------------------------------------


def _saves(db, sid: str) -> list[dict]:
    return [op for op in outbox_rows(db) if op["entity_id"] == sid]


def test_consecutive_saves_coalesce_into_one_pending_op(demo) -> None:
    db = demo.db
    ids = free_person_ids(db)
    sid = submissions.start_draft(db, demo.clerk, person_id=ids[0]).submission.id
    other = submissions.start_draft(db, demo.clerk, person_id=ids[1]).submission.id
    for salary in ("30001", "30002", "30003"):
        submissions.save_draft(db, demo.clerk, sid, fields={"salary": salary})
        submissions.save_draft(db, demo.clerk, other, fields={"first_name_en": f"N{salary}"})
    [op] = _saves(db, sid)
    assert op["kind"] == "submission.save"
    assert op["payload"]["changes"]["salary"][1] == "30003"  # the latest
    [op] = _saves(db, other)
    assert op["payload"]["changes"]["first_name_en"][1] == "N30003"


def _mark(db, op_id: str, **values) -> None:
    with db.transaction() as session:
        session.execute(update(OutboxOpModel).where(OutboxOpModel.op_id == op_id).values(**values))


@pytest.mark.parametrize(
    "left", [{"sent_at": "now"}, {"state": "sent", "sent_at": "now"}, {"state": "applied"}]
)
def test_a_save_after_the_op_left_makes_a_new_op(demo, left) -> None:
    db = demo.db
    sid = submissions.start_draft(db, demo.clerk, person_id=free_person_ids(db)[0]).submission.id
    submissions.save_draft(db, demo.clerk, sid, fields={"salary": "31000"})
    [first] = _saves(db, sid)
    _mark(db, first["op_id"], **{k: utcnow() if v == "now" else v for k, v in left.items()})

    submissions.save_draft(db, demo.clerk, sid, fields={"salary": "31500"})
    submissions.save_draft(db, demo.clerk, sid, fields={"salary": "32000"})

    sent, pending = _saves(db, sid)
    assert sent["op_id"] == first["op_id"]
    assert sent["payload"]["changes"]["salary"][1] == "31000"  # what left is not rewritten
    assert pending["kind"] == "submission.save" and pending["state"] == "pending"
    assert pending["payload"]["changes"]["salary"][1] == "32000"
    assert pending["seq"] > sent["seq"]
