"""The ops the real desktop writes are the ops the central accepts (DESIGN.md §4).

A desktop database is set up the way a PC of organization A is: its device id is the one
the central registered, and its organization and users come from a pull from the central
(applied by the desktop's own :mod:`app.services.replica`), so they carry the central's ids.
Then the real desktop services run (start, save, submit, withdraw for the clerk; return and
approve for the supervisor), the outbox rows they wrote are pushed over HTTP as the user who
wrote them, and what the central publishes is compared with what the desktop did locally.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select, update

from app.domain import codec
from app.domain.entities import Person, SubmissionState
from app.domain.ids import utcnow
from app.services import decisions, replica, submissions, user_keys
from app.services import users as users_service
from app.services.submissions import HistoryEdits
from app.store.db import Database, open_database
from app.store.mapping import history_wire
from app.store.models import HistoryRowModel, Meta, OutboxOpModel, PersonModel, SubmissionModel
from sync.protocol import Change, Op, OpResult, PullRequest, PullResponse, PushRequest, PushResponse
from tests.fixtures_db import valid_citizen_id

EDITABLE = Person.EDITABLE
ROW_META = ("updated_at", "updated_by")


class Desk:
    """A desktop PC of organization A, synced by hand the way the sync engine will: push the
    logged-in user's pending ops, record the answers, pull and apply the pages."""

    def __init__(self, db: Database, client, office):
        self.db = db
        self.client = client
        self.office = office
        self.headers: dict[str, dict[str, str]] = {}
        self.started: dict[str, dt.datetime] = {}  # submission id → after its draft began

    def user(self, username: str) -> str:
        return self.office.users[username]

    def login(self, username: str) -> dict[str, str]:
        if username not in self.headers:
            self.headers[username] = self.office.login(self.client, username)
        return self.headers[username]

    def at_pc(self, username: str) -> None:
        """``username`` logs in here, as the desktop's login does it: their key unlocked
        (made and registered with the central the first time), their queued ops signed."""
        user_id = self.user(username)
        key = user_keys.at_login(self.db, user_id, self.office.password, make=True)
        assert key is not None
        if not key.registered:
            body = {"public_key": key.pair.public.hex()}
            r = self.client.post("/v1/keys", json=body, headers=self.login(username))
            assert r.status_code == 201, r.text
            assert user_keys.mark_registered(self.db, user_id, key.pair.id)

    def pending_ops(self, username: str) -> list[Op]:
        """The user's pending outbox rows as protocol ops (the fields map one to one)."""
        with self.db.reading() as session:
            rows = session.scalars(
                select(OutboxOpModel)
                .where(
                    OutboxOpModel.state == "pending", OutboxOpModel.author == self.user(username)
                )
                .order_by(OutboxOpModel.seq)
            )
            return [
                Op(
                    op_id=r.op_id,
                    kind=r.kind,
                    entity_id=r.entity_id,
                    org_id=r.org_id,
                    author=r.author,
                    device_id=r.device_id,
                    created_at=r.created_at,
                    payload=r.payload,
                    signature=r.signature,
                )
                for r in rows
            ]

    def push(self, username: str) -> list[tuple[Op, OpResult]]:
        """Push the user's pending ops (signed as they log in here); every answer is
        recorded in the outbox."""
        self.at_pc(username)
        ops = self.pending_ops(username)
        assert ops, f"{username} has nothing to push"
        body = PushRequest(ops=ops).model_dump(mode="json")
        r = self.client.post("/v1/push", json=body, headers=self.login(username))
        assert r.status_code == 200, r.text
        results = PushResponse.model_validate(r.json()).results
        assert [res.op_id for res in results] == [op.op_id for op in ops]
        now = utcnow()
        with self.db.transaction() as session:
            for res in results:
                session.execute(
                    update(OutboxOpModel)
                    .where(OutboxOpModel.op_id == res.op_id)
                    .values(state=str(res.status), sent_at=now, result=res.model_dump(mode="json"))
                )
        replica.release(self.db)
        return list(zip(ops, results, strict=True))

    def push_applied(self, username: str) -> list[Op]:
        pushed = self.push(username)
        bad = [(op.kind, res) for op, res in pushed if res.status != "applied"]
        assert bad == [], bad
        return [op for op, _ in pushed]

    def _pages(self, username: str, cursors: dict[str, int]):
        for _ in range(200):
            body = PullRequest(cursors=cursors, limit=7).model_dump(mode="json")
            r = self.client.post("/v1/pull", json=body, headers=self.login(username))
            assert r.status_code == 200, r.text
            page = PullResponse.model_validate(r.json())
            yield page
            if not page.more:
                return
            cursors = dict(page.cursors)
        raise AssertionError("the pull never ended")

    def pull(self, username: str) -> list[Change]:
        """Pull from this PC's cursors until ``more`` is false (small pages), applying each
        page with its cursors as the desktop does."""
        changes = []
        for page in self._pages(username, dict(replica.cursors(self.db))):
            replica.apply_page(self.db, page.changes, page.cursors)
            changes += page.changes
        return changes

    def central_view(self, username: str) -> list[Change]:
        """Every change the user may pull, from the start, without applying it here."""
        return [c for page in self._pages(username, {}) for c in page.changes]


@pytest.fixture
def desk(tmp_path, client, office) -> Iterator[Desk]:
    """A PC of organization A: registered, its org and users pulled, both users logged in."""
    db = open_database(tmp_path / "desk.sqlite3")
    try:
        with db.transaction() as session:
            session.get(Meta, "device_id").value = office.device.device_id
        desk = Desk(db, client, office)
        changes = desk.pull("clerk.a")
        users = {c.data["username"]: c.id for c in changes if c.table == "user"}
        assert users == {u: office.users[u] for u in ("admin.a", "clerk.a", "super.a")}
        assert [c.id for c in changes if c.table == "organization"] == [office.org_a]
        # the pulled verifiers log the users in offline with their central passwords; the
        # audit events of those logins are ops of their own
        for username in ("clerk.a", "super.a"):
            user = users_service.login_offline(db, username, office.password)
            assert user.id == users[username]
            [op] = desk.push_applied(username)
            assert (op.kind, op.payload["action"]) == ("audit.append", "user.login")
        yield desk
    finally:
        db.close()


# --- data ------------------------------------------------------------------------------------

CITIZEN_ID = valid_citizen_id("310090012345")
RECORD = {
    "citizen_id": CITIZEN_ID,
    "prefix": "mrs",
    "first_name_th": "สมหญิง",
    "last_name_th": "คำงาม",
    "first_name_en": "Somying",
    "last_name_en": "Jaingam",
    "birth_date": "1988-02-29",
    "gender": "female",
    "category": "general_contract",
    "salary": "15310.50",
    "appointment_date": "2014-10-01",
}
EDUCATION = {
    "kind": "education",
    "education_level": "bachelor",
    "degree": "ปริญญาตรี",
    "major": "รัฐประศาสนศาสตร์",
    "institution": "มหาวิทยาลัยขอนแก่น",
    "graduated_date": "2010-03-31",
}
TRAINING = {
    "kind": "training",
    "course": "การเขียนหนังสือราชการ",
    "organizer": "กรมส่งเสริมการปกครองท้องถิ่น",
    "start_date": "2019-06-03",
    "end_date": "2019-06-05",
    "hours": 18,
}
LEAVE = {
    "kind": "leave",
    "leave_type": "sick",
    "start_date": "2021-01-11",
    "end_date": "2021-01-12",
    "days": "1.5",
}


def _official(db: Database, person_id: str) -> dict[str, Any]:
    with db.reading() as session:
        row = session.scalar(select(PersonModel).where(PersonModel.id == person_id))
        assert row is not None
        return {name: codec.to_wire(getattr(row, name)) for name in EDITABLE}


def _official_history(db: Database, person_id: str) -> dict[str, tuple[bool, dict[str, Any]]]:
    """Row id → (deleted, the row's fields that hold a value), in wire form."""
    with db.reading() as session:
        rows = session.scalars(
            select(HistoryRowModel).where(HistoryRowModel.person_id == person_id)
        )
        return {
            r.id: (r.deleted, {k: v for k, v in history_wire(r).items() if v is not None})
            for r in rows
        }


def _content(data: dict[str, Any]) -> dict[str, Any]:
    """A pulled history row's fields that hold a value, without the row's metadata."""
    return {k: v for k, v in data.items() if v is not None and k not in ROW_META}


def _pulled_history(changes, person_id: str) -> dict[str, tuple[bool, dict[str, Any]]]:
    out = {}
    for c in changes:
        if c.table == "history_row" and c.data["person_id"] == person_id:
            out[c.id] = (c.deleted, _content(c.data))
    return out


def _latest(changes, table: str, row_id: str):
    found = [c for c in changes if c.table == table and c.id == row_id]
    assert found, f"no {table} {row_id} in the pull"
    return max(found, key=lambda c: c.seq)


def _submission(db: Database, sid: str) -> SubmissionModel:
    with db.reading() as session:
        return session.get(SubmissionModel, sid)


def _new_person(desk: Desk) -> tuple[str, str]:
    """A clerk's new-person submission, typed in several saves and submitted; pushed."""
    clerk = desk.user("clerk.a")
    view = submissions.start_draft(desk.db, clerk)
    sid, pid = view.submission.id, view.submission.person_id
    desk.started[sid] = utcnow()
    first = {k: RECORD[k] for k in ("prefix", "first_name_th", "last_name_th")}
    submissions.save_draft(desk.db, clerk, sid, fields=first)
    submissions.save_draft(
        desk.db, clerk, sid, fields=RECORD, history=HistoryEdits(upsert=(EDUCATION,))
    )
    # Thai typed with a decomposed SARA AM and a zero-width space: the desktop normalizes it
    submissions.save_draft(
        desk.db,
        clerk,
        sid,
        fields={"last_name_th": "ค\u0e4d\u0e32ง\u200bาม", "citizen_id": CITIZEN_ID},
        history=HistoryEdits(upsert=(TRAINING, LEAVE)),
    )
    submissions.submit(desk.db, clerk, sid)
    ops = desk.pending_ops("clerk.a")
    # consecutive saves of the draft coalesced into one op
    assert [(op.kind, op.entity_id) for op in ops] == [
        ("submission.save", sid),
        ("submission.submit", sid),
    ]
    pushed = desk.push_applied("clerk.a")
    assert len(pushed) == 2
    return sid, pid


# --- tests -----------------------------------------------------------------------------------


def test_a_new_person_from_the_desktop_is_approved_on_the_central_as_on_the_desktop(
    desk: Desk,
) -> None:
    sid, pid = _new_person(desk)
    pushed = desk.central_view("super.a")
    central_sub = _latest(pushed, "submission", sid)
    assert central_sub.data["state"] == "submitted"
    local = _submission(desk.db, sid)
    assert central_sub.data["changes"] == local.changes
    assert central_sub.data["history"] == local.history
    assert central_sub.data["author_id"] == desk.user("clerk.a")
    # created when the clerk started the draft, not at the last save before the push
    assert local.created_at <= dt.datetime.fromisoformat(central_sub.data["created_at"])
    assert dt.datetime.fromisoformat(central_sub.data["created_at"]) <= desk.started[sid]

    result = decisions.approve(desk.db, desk.user("super.a"), sid)
    assert result.submission.state is SubmissionState.APPROVED
    kinds = [op.kind for op in desk.pending_ops("super.a")]
    assert kinds == ["submission.approve", "audit.append"]
    pushed_ops = desk.push_applied("super.a")
    assert [op.kind for op in pushed_ops] == kinds

    changes = desk.central_view("super.a")
    person = _latest(changes, "person", pid)
    assert person.org_id == desk.office.org_a and not person.deleted
    local = _official(desk.db, pid)
    assert local["last_name_th"] == "คำงาม"
    assert {name: person.data.get(name) for name in EDITABLE} == local
    assert _pulled_history(changes, pid) == _official_history(desk.db, pid)
    assert len(_official_history(desk.db, pid)) == 3
    sub = _latest(changes, "submission", sid)
    assert sub.data["state"] == "approved"
    assert sub.data["decided_by"] == desk.user("super.a")
    decision = _latest(changes, "decision", result.decision_id)
    assert decision.data["action"] == "approve"
    assert decision.data["submission_id"] == sid
    assert decision.data["decider_id"] == desk.user("super.a")

    # the PC applies what it pulled: the same record, now with the central's versions, and
    # still saying who changed each row last
    history = _official_history(desk.db, pid)
    desk.pull("super.a")
    assert _official(desk.db, pid) == local
    assert _official_history(desk.db, pid) == history
    rows = [("person", pid), ("submission", sid), ("decision", result.decision_id)]
    rows += [("history_row", rid) for rid in history]
    for table, row_id in rows:
        change = _latest(changes, table, row_id)
        with desk.db.reading() as session:
            model = replica.MODELS[table]
            row = session.scalar(select(model).where(model.id == row_id))
        assert row.version == change.version >= 1, table
        assert row.updated_by == desk.user("super.a"), table
        assert row.updated_at == dt.datetime.fromisoformat(change.data["updated_at"]), table


def test_an_update_with_history_edits_round_trips(desk: Desk) -> None:
    sid, pid = _new_person(desk)
    decisions.approve(desk.db, desk.user("super.a"), sid)
    desk.push_applied("super.a")
    desk.pull("clerk.a")  # the desktop now holds the central's versions
    with desk.db.reading() as session:
        assert session.scalar(select(PersonModel.version).where(PersonModel.id == pid)) >= 1
    rows = _official_history(desk.db, pid)
    by_kind = {data["kind"]: rid for rid, (_deleted, data) in rows.items()}

    clerk = desk.user("clerk.a")
    view = submissions.start_draft(desk.db, clerk, person_id=pid)
    update_sid = view.submission.id
    salary_row = {
        "kind": "salary",
        "effective_date": "2022-10-01",
        "salary": "16120",
        "order_number": "คำสั่ง อบต. ที่ 123/2565",
    }
    submissions.save_draft(desk.db, clerk, update_sid, fields={"salary": "16120"})
    submissions.save_draft(
        desk.db,
        clerk,
        update_sid,
        fields={"first_name_en": "Som-ying", "salary": "16120"},
        history=HistoryEdits(
            upsert=(
                {"id": by_kind["education"], "kind": "education", "major": "นิติศาสตร์"},
                {"id": by_kind["training"], "kind": "training", "hours": 24, "end_date": None},
                salary_row,
            ),
            delete=(by_kind["leave"],),
        ),
    )
    history = _submission(desk.db, update_sid).history
    assert len(history["added"]) == 1
    assert set(history["updated"]) == {by_kind["education"], by_kind["training"]}
    assert set(history["deleted"]) == {by_kind["leave"]}
    submissions.submit(desk.db, clerk, update_sid)
    assert [op.kind for op in desk.pending_ops("clerk.a")] == [
        "submission.save",
        "submission.submit",
    ]
    desk.push_applied("clerk.a")

    decisions.approve(desk.db, desk.user("super.a"), update_sid)
    desk.push_applied("super.a")
    changes = desk.central_view("super.a")
    central_sub = _latest(changes, "submission", update_sid)
    assert central_sub.data["state"] == "approved"
    assert central_sub.data["history"] == history
    assert central_sub.data["changes"] == _submission(desk.db, update_sid).changes
    person = _latest(changes, "person", pid)
    assert person.version == 2
    local = _official(desk.db, pid)
    assert (local["salary"], local["first_name_en"]) == ("16120", "Som-ying")
    assert {name: person.data.get(name) for name in EDITABLE} == local

    pulled = {}
    for c in sorted((c for c in changes if c.table == "history_row"), key=lambda c: c.seq):
        pulled[c.id] = (c.deleted, _content(c.data))
    local_rows = _official_history(desk.db, pid)
    assert pulled == local_rows
    assert local_rows[by_kind["leave"]][0] is True  # a tombstone at both ends
    assert local_rows[by_kind["education"]][1]["major"] == "นิติศาสตร์"
    assert "end_date" not in local_rows[by_kind["training"]][1]
    assert local_rows[by_kind["training"]][1]["hours"] == 24
    assert len(local_rows) == 4


def test_a_return_with_its_reason_round_trips_and_the_fixed_draft_goes_through(
    desk: Desk,
) -> None:
    sid, _pid = _new_person(desk)
    reason = "วันบรรจุไม่ตรงกับคำสั่ง กรุณาตรวจสอบ"
    comments = {"appointment_date": "ดูคำสั่งที่ 45/2557"}
    decisions.return_submission(
        desk.db, desk.user("super.a"), sid, f"  {reason} ", field_comments=comments
    )
    assert [op.kind for op in desk.pending_ops("super.a")] == [
        "submission.return",
        "audit.append",
    ]
    desk.push_applied("super.a")
    changes = desk.central_view("clerk.a")
    sub = _latest(changes, "submission", sid)
    local = _submission(desk.db, sid)
    assert (sub.data["state"], local.state) == ("returned", "returned")
    assert sub.data["return_reason"] == local.return_reason == reason
    assert sub.data["field_comments"] == local.field_comments == comments
    assert sub.data["decided_by"] == local.decided_by == desk.user("super.a")
    [decision] = [c for c in changes if c.table == "decision"]
    assert (decision.data["action"], decision.data["reason"]) == ("return", reason)

    clerk = desk.user("clerk.a")
    submissions.save_draft(desk.db, clerk, sid, fields={"appointment_date": "2014-11-01"})
    submissions.submit(desk.db, clerk, sid)
    desk.push_applied("clerk.a")
    sub = _latest(desk.central_view("clerk.a"), "submission", sid)
    assert sub.data["state"] == "submitted"
    assert sub.data["changes"]["appointment_date"] == [None, "2014-11-01"]


def test_withdrawing_a_draft_and_a_returned_submission_round_trips(desk: Desk) -> None:
    clerk = desk.user("clerk.a")
    draft = submissions.start_draft(desk.db, clerk).submission.id
    submissions.save_draft(desk.db, clerk, draft, fields=RECORD)
    desk.push_applied("clerk.a")
    submissions.withdraw(desk.db, clerk, draft)
    assert [op.kind for op in desk.pending_ops("clerk.a")] == ["submission.withdraw"]
    desk.push_applied("clerk.a")

    returned, _pid = _new_person(desk)
    decisions.return_submission(desk.db, desk.user("super.a"), returned, "ขาดสำเนาวุฒิการศึกษา")
    desk.push_applied("super.a")
    submissions.withdraw(desk.db, clerk, returned)
    assert [op.kind for op in desk.pending_ops("clerk.a")] == ["submission.withdraw"]
    desk.push_applied("clerk.a")

    changes = desk.central_view("clerk.a")
    for sid in (draft, returned):
        assert _latest(changes, "submission", sid).data["state"] == "withdrawn"
        assert _submission(desk.db, sid).state == "withdrawn"
