"""Signed ops end to end, against a real central on loopback (DESIGN.md §5): a PC made
before signatures existed keeps its queued work until its author logs in again, then it
goes through; a key revoked at the central is replaced at the next login."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from sqlalchemy import select

from app.services import outbox, submissions, user_keys
from app.services import users as users_service
from app.services.context import signer
from app.store.models import OutboxOpModel
from sync.central.models import CentralRow, CentralUserKey
from tests.sync_client.conftest import Central
from tests.sync_client.desktops import PASSWORD, Desktop, new_person


@pytest.fixture
def pc(tmp_path, central: Central) -> Iterator[Desktop]:
    """A registered PC of organization A where clerk.a logged in online and synced."""
    with ExitStack() as stack:
        desk = Desktop(tmp_path, central.url, stack)
        desk.register(central.org_a)
        desk.login("clerk.a")
        desk.sync()
        yield desk


def _central_submission(central: Central, sid: str) -> dict | None:
    with central.db.reading() as session:
        row = session.scalar(
            select(CentralRow).where(CentralRow.table_name == "submission", CentralRow.id == sid)
        )
        return None if row is None else row.data


def _central_keys(central: Central, user_id: str) -> dict[str, bool]:
    """key id → live, of ``user_id`` at the central."""
    with central.db.reading() as session:
        rows = session.scalars(select(CentralUserKey).where(CentralUserKey.user_id == user_id))
        return {r.key_id: r.revoked_at is None for r in rows}


def test_the_first_online_login_registers_the_key_with_the_next_sync(
    pc: Desktop, central: Central
) -> None:
    clerk = central.users["clerk.a"]
    local = user_keys.keys(pc.db)[clerk]
    assert local.registered
    assert _central_keys(central, clerk) == {local.key_id: True}


def test_work_queued_before_signatures_goes_through_at_its_authors_next_login(
    pc: Desktop, central: Central
) -> None:
    """The program was upgraded with work in the outbox: made without a key (as the old
    program did), it is not sent, and the author's next login signs it."""
    user_keys.activate(pc.db, central.users["clerk.a"], None)  # the old program: no key
    clerk = users_service.login_offline(pc.db, "clerk.a", PASSWORD).id
    sid = new_person(pc, clerk, "สมหญิง")
    with pc.db.reading() as session:
        queued = session.scalars(select(OutboxOpModel).where(OutboxOpModel.author == clerk))
        assert {op.signature for op in queued if op.state == "pending"} == {None}
    report = pc.sync()
    assert report.waiting_authors == {clerk} and report.applied == 0
    assert _central_submission(central, sid) is None

    pc.sign_in("clerk.a")  # the next login: the key unlocks and signs the queue
    report = pc.sync()
    assert report.waiting_authors == frozenset() and report.rejected == 0
    assert outbox.counts(pc.db) == outbox.Counts(pending=0, attention=0)
    assert _central_submission(central, sid)["state"] == "submitted"


def test_a_key_revoked_at_the_central_is_replaced_at_the_next_login(
    pc: Desktop, central: Central
) -> None:
    clerk = pc.sign_in("clerk.a")
    old = user_keys.keys(pc.db)[clerk].key_id
    with central.db.transaction() as session:  # an admin revokes it
        session.get(CentralUserKey, old).revoked_at = session.get(CentralUserKey, old).created_at
    sid = submissions.start_draft(pc.db, clerk).submission.id
    submissions.save_draft(pc.db, clerk, sid, fields={"first_name_th": "สมชาย"})
    first = pc.sync()
    # refused for its signature: kept (not set aside, nothing put back), sent again later
    assert first.rejected == 0 and first.retry == 2  # the sign-in and the save
    second = pc.sync()  # the key is checked again: revoked, so it is forgotten here
    assert second.waiting_authors == {clerk}
    assert clerk not in user_keys.keys(pc.db)

    pc.sign_in("clerk.a")  # a new key, signing the queue again
    new = user_keys.keys(pc.db)[clerk].key_id
    assert new != old
    report = pc.sync()
    # the two sign-ins and the save
    assert report.applied == 3 and report.waiting_authors == frozenset()
    assert _central_keys(central, clerk) == {old: False, new: True}
    assert _central_submission(central, sid)["changes"]["first_name_th"] == [None, "สมชาย"]


def _spoil_signatures(pc: Desktop, user_id: str) -> None:
    """Every queued op of ``user_id`` keeps its key id but gets a signature over something
    else: its own signature no longer checks."""
    with pc.db.transaction() as session:
        for op in session.scalars(select(OutboxOpModel).where(OutboxOpModel.author == user_id)):
            if op.state == "pending" and op.signature:
                kid = op.signature.partition(".")[0]
                op.signature = f"{kid}.{'A' * 86}"


def test_a_push_while_its_author_is_logged_in_is_sealed(pc: Desktop, central: Central) -> None:
    """The PC seals each push of the logged-in author (one signature over the batch), and
    the central takes the seal for the ops' own signatures: here those are spoiled and the
    work still goes through, so it was the seal that carried it."""
    clerk = pc.sign_in("clerk.a")
    sid = new_person(pc, clerk, "สมหญิง")
    _spoil_signatures(pc, clerk)
    report = pc.sync()
    assert (report.applied, report.rejected, report.retry) == (3, 0, 0)  # sign-in, save, submit
    assert _central_submission(central, sid)["state"] == "submitted"


def test_without_its_author_a_push_stands_on_each_ops_own_signature(
    pc: Desktop, central: Central
) -> None:
    """The author has left the PC (their key is no longer held): no seal, and the central
    checks every op's own signature — good ones go through, a spoiled one does not."""
    clerk = pc.sign_in("clerk.a")
    kept = new_person(pc, clerk, "สมหญิง")
    signer(pc.db).drop()  # the clerk logs out
    assert pc.sync().applied == 3
    assert _central_submission(central, kept)["state"] == "submitted"

    pc.sign_in("clerk.a")
    spoiled = new_person(pc, clerk, "มาลี")
    _spoil_signatures(pc, clerk)
    signer(pc.db).drop()
    report = pc.sync()
    assert report.applied == 0 and report.retry == 3  # kept, to be signed again at a login
    assert _central_submission(central, spoiled) is None
