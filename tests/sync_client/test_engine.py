"""The sync engine against a real central on loopback: what a clerk and a supervisor on two
PCs see after each sync, and what survives a cut, a cancel or a refusal."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest
from sqlalchemy import func, select

from app.domain.ids import new_id
from app.services import audit, decisions, outbox, replica, submissions
from app.store.models import OrgUnitModel, OutboxOpModel, SubmissionModel
from sync.central import auth, seed
from sync.central.models import CentralAudit, CentralRow, OrgCounter
from sync.client.engine import Cancelled, CancelToken, Progress
from tests.sync_client.conftest import Central
from tests.sync_client.desktops import Desktop, new_person


@pytest.fixture
def desks(tmp_path, central: Central) -> Iterator[Callable[..., Desktop]]:
    """``desks(name)``: a PC of organization A with its own database, not registered yet."""
    with ExitStack() as stack:

        def make(name: str = "pc1", **options) -> Desktop:
            folder = tmp_path / name
            folder.mkdir()
            return Desktop(folder, central.url, stack, **options)

        yield make


@pytest.fixture
def clerk_pc(desks, central: Central) -> Desktop:
    """A registered PC where clerk.a logged in online and has synced once."""
    pc = desks("clerk-pc")
    pc.register(central.org_a)
    pc.login("clerk.a")
    pc.sync()
    return pc


def _supervisor_pc(desks, central: Central, name: str) -> tuple[Desktop, str]:
    """Another PC of organization A where super.a logged in online, synced and signed in."""
    pc = desks(name)
    pc.register(central.org_a, name=f"เครื่อง {name}")
    pc.login("super.a")
    pc.sync()
    return pc, pc.sign_in("super.a")


def _central_rows(central: Central, table: str) -> int:
    """Rows the central holds: published rows of ``table``, or its audit trail."""
    query = select(func.count()).select_from(CentralRow).where(CentralRow.table_name == table)
    if table == "audit_event":
        query = select(func.count()).select_from(CentralAudit)
    with central.db.reading() as session:
        return session.scalar(query)


def _audit_ops(pc: Desktop, user_id: str, n: int) -> list[str]:
    ids = []
    with pc.db.transaction() as session:
        for i in range(n):
            row = audit.append(
                session, org_id=_org(pc), actor_id=user_id, action="person.view",
                entity_kind="person", entity_id=None, detail={"n": i},
            )  # fmt: skip
            ids.append(row.id)
    return ids


def _org(pc: Desktop) -> str:
    device = pc.store.device()
    assert device is not None
    return device.org_id


def _states(pc: Desktop) -> dict[str, int]:
    with pc.db.reading() as session:
        return dict(
            session.execute(
                select(OutboxOpModel.state, func.count()).group_by(OutboxOpModel.state)
            ).all()
        )


def test_a_fresh_pc_pulls_its_office_and_its_users_can_then_sign_in_offline(
    clerk_pc: Desktop, central: Central
) -> None:
    clerk = clerk_pc.sign_in("clerk.a")
    assert clerk == central.users["clerk.a"]
    report = clerk_pc.sync()
    # the sign-in's audit event reached the central; nothing else was pending
    assert (report.applied, report.rejected, report.conflict) == (1, 0, 0)
    assert outbox.counts(clerk_pc.db) == outbox.Counts(pending=0, attention=0)
    assert replica.cursors(clerk_pc.db)[central.org_a] > 0


def test_a_clerks_submission_is_approved_on_another_pc_and_comes_back_official(
    clerk_pc: Desktop, desks, central: Central
) -> None:
    clerk = clerk_pc.sign_in("clerk.a")
    sid = new_person(clerk_pc, clerk, "สมชาย")
    report = clerk_pc.sync()
    assert report.rejected == 0 and report.applied == 3  # sign-in, the saves (one op), submit

    boss_pc, boss = _supervisor_pc(desks, central, "boss-pc")
    with boss_pc.db.reading() as session:
        sub = session.get(SubmissionModel, sid)
        assert sub is not None and sub.state == "submitted"
        person_id = sub.person_id
    decisions.approve(boss_pc.db, boss, sid)
    report = boss_pc.sync()
    assert report.rejected == 0 and report.conflict == 0

    clerk_pc.sync()
    person = clerk_pc.person(person_id)
    assert person is not None and person.first_name_th == "สมชาย"
    assert person.updated_by == boss
    with clerk_pc.db.reading() as session:
        assert session.get(SubmissionModel, sid).state == "approved"
    assert _central_rows(central, "person") == 1


def test_a_rejected_op_is_set_aside_with_its_reason_and_the_ops_after_it_go_through(
    clerk_pc: Desktop, central: Central
) -> None:
    clerk = clerk_pc.sign_in("clerk.a")
    clerk_pc.sync()
    _audit_ops(clerk_pc, clerk, 2)
    with clerk_pc.db.transaction() as session:  # an op the central cannot accept
        outbox.enqueue(
            session, kind="submission.withdraw", entity_id="0" * 32, org_id=central.org_a,
            author=clerk, payload={},
        )  # fmt: skip
    _audit_ops(clerk_pc, clerk, 2)
    report = clerk_pc.sync()
    assert (report.applied, report.rejected) == (4, 1)
    [item] = outbox.attention(clerk_pc.db)
    assert item.kind == "submission.withdraw" and item.state == "rejected"
    assert item.code and item.message
    assert item.author_name == "ผู้ใช้ clerk.a"
    assert outbox.counts(clerk_pc.db) == outbox.Counts(pending=0, attention=1)
    assert outbox.dismiss(clerk_pc.db, item.op_id)
    assert outbox.attention(clerk_pc.db) == []
    assert clerk_pc.sync().rejected == 0  # a dismissed op is not sent again


def test_an_op_this_pc_cannot_put_on_the_wire_is_set_aside_and_never_blocks_the_queue(
    clerk_pc: Desktop, central: Central
) -> None:
    clerk = clerk_pc.sign_in("clerk.a")
    clerk_pc.sync()
    before = _central_rows(central, "audit_event")
    _audit_ops(clerk_pc, clerk, 1)
    with clerk_pc.db.transaction() as session:  # an entity id longer than the protocol allows
        outbox.enqueue(
            session, kind="submission.withdraw", entity_id="x" * 60, org_id=central.org_a,
            author=clerk, payload={},
        )  # fmt: skip
    _audit_ops(clerk_pc, clerk, 2)
    report = clerk_pc.sync()
    assert (report.applied, report.rejected) == (3, 1)
    [item] = outbox.attention(clerk_pc.db)
    assert item.kind == "submission.withdraw" and item.code == "bad_payload"
    assert "entity_id" in item.message
    assert outbox.counts(clerk_pc.db) == outbox.Counts(pending=0, attention=1)
    assert _central_rows(central, "audit_event") == before + 3


def _pending_kinds(pc: Desktop, entity_id: str) -> list[str]:
    with pc.db.reading() as session:
        return list(
            session.scalars(
                select(OutboxOpModel.kind)
                .where(OutboxOpModel.entity_id == entity_id, OutboxOpModel.state == "pending")
                .order_by(OutboxOpModel.seq)
            )
        )


def test_ops_of_a_user_without_a_token_wait_and_so_do_later_ops_on_the_same_record(
    clerk_pc: Desktop, central: Central
) -> None:
    boss = clerk_pc.sign_in("super.a")  # signed in offline: no token on this PC
    clerk = clerk_pc.sign_in("clerk.a")  # a switch of user: the clerk at the PC
    sid = new_person(clerk_pc, clerk, "สมหญิง")
    report = clerk_pc.sync()
    assert report.waiting_authors == {boss}
    assert report.applied == 3  # the clerk's sign-in, save and submit
    clerk_pc.sign_in("super.a")
    decisions.return_submission(clerk_pc.db, boss, sid, reason="เลขบัตรไม่ชัด")
    clerk_pc.sync()  # the return waits for super.a
    clerk_pc.sign_in("clerk.a")
    submissions.save_draft(clerk_pc.db, clerk, sid, fields={"first_name_th": "สมศรี"})
    report = clerk_pc.sync()
    # the clerk's new save follows the supervisor's return on the same submission: it waits
    assert report.waiting_authors == {boss}
    assert _pending_kinds(clerk_pc, sid) == ["submission.return", "submission.save"]
    waiting = outbox.counts(clerk_pc.db).pending  # boss sign-in, return, clerk's save …
    assert waiting >= 3
    clerk_pc.login("super.a")
    report = clerk_pc.sync()
    assert (report.applied, report.rejected, report.waiting_authors) == (waiting, 0, frozenset())
    with central.db.reading() as session:
        [row] = session.scalars(
            select(CentralRow).where(CentralRow.table_name == "submission", CentralRow.id == sid)
        )
        assert row.data["state"] == "draft" and row.data["changes"]["first_name_th"][1] == "สมศรี"


def test_many_ops_go_in_several_batches_in_order_and_each_once(
    clerk_pc: Desktop, central: Central
) -> None:
    clerk = clerk_pc.sign_in("clerk.a")
    clerk_pc.sync()
    clerk_pc.engine.max_ops = 40
    _audit_ops(clerk_pc, clerk, 150)
    progress = Progress()
    report = clerk_pc.sync(progress=progress)
    assert report.applied == 150 and report.batches == 4
    view = progress.view()
    assert (view.phase, view.ops_done, view.ops_total) == ("done", 150, 150)
    assert view.bytes_sent > 0 and view.bytes_received > 0
    assert _central_rows(central, "audit_event") == 151  # with the sign-in


def test_a_cancelled_sync_stops_between_batches_and_the_next_one_sends_the_rest_once(
    clerk_pc: Desktop, central: Central
) -> None:
    clerk = clerk_pc.sign_in("clerk.a")
    clerk_pc.engine.max_ops = 10
    _audit_ops(clerk_pc, clerk, 29)
    cancel = CancelToken()

    class CancelAfterOneBatch(Progress):
        def add(self, **amounts: int) -> None:
            super().add(**amounts)
            if "ops_done" in amounts:
                cancel.cancel()

    with pytest.raises(Cancelled):
        clerk_pc.sync(cancel=cancel, progress=CancelAfterOneBatch())
    assert _states(clerk_pc) == {"applied": 10, "pending": 20}
    report = clerk_pc.sync()
    assert report.applied == 20
    assert _central_rows(central, "audit_event") == 30


def test_a_batch_whose_answer_was_lost_is_sent_again_and_applied_once(
    clerk_pc: Desktop, central: Central, monkeypatch: pytest.MonkeyPatch
) -> None:
    clerk = clerk_pc.sign_in("clerk.a")
    new_person(clerk_pc, clerk, "สมปอง")

    def killed(*_args, **_kwargs):
        raise SystemExit("killed before the answer was committed")

    with monkeypatch.context() as m:
        m.setattr(outbox, "record_results", killed)
        with pytest.raises(SystemExit):
            clerk_pc.sync()
    assert _states(clerk_pc) == {"sent": 3}
    assert _central_rows(central, "submission") == 1  # the central applied the batch
    report = clerk_pc.sync()
    assert (report.applied, report.rejected) == (3, 0)
    assert _central_rows(central, "submission") == 1
    assert _central_rows(central, "audit_event") == 1


def test_a_batch_over_the_centrals_body_limit_is_halved_and_an_op_alone_too_large_is_refused(
    central_for, tmp_path
) -> None:
    central = central_for(max_body_bytes=24 * 1024)
    with ExitStack() as stack:
        folder = tmp_path / "pc"
        folder.mkdir()
        pc = Desktop(folder, central.url, stack, encodings=())
        pc.register(central.org_a)
        pc.login("clerk.a")
        pc.sync()
        clerk = pc.sign_in("clerk.a")
        pc.engine.max_body_bytes = 1024 * 1024  # this PC thinks the central takes more
        _audit_ops(pc, clerk, 120)
        with pc.db.transaction() as session:
            audit.append(
                session, org_id=central.org_a, actor_id=clerk, action="person.view",
                entity_kind="person", entity_id=None, detail={"note": "ก" * 30_000},
            )  # fmt: skip
        report = pc.sync()
        assert (report.applied, report.rejected) == (121, 1)
        [item] = outbox.attention(pc.db)
        assert item.code == "body_too_large"
        assert pc.engine.max_ops < 121


def test_a_revoked_token_makes_its_user_wait_for_a_new_login(
    clerk_pc: Desktop, central: Central
) -> None:
    clerk = clerk_pc.sign_in("clerk.a")
    token = clerk_pc.store.token("clerk.a")
    assert token is not None and auth.revoke_token(central.db, token.token)
    report = clerk_pc.sync()
    assert report.waiting_authors == {clerk} and report.applied == 0
    clerk_pc.login("clerk.a")
    assert clerk_pc.sync().applied == 1


def test_pages_follow_the_link_budget_and_every_row_arrives_once(
    clerk_pc: Desktop, desks, central: Central
) -> None:
    clerk = clerk_pc.sign_in("clerk.a")
    for i in range(30):
        new_person(clerk_pc, clerk, f"คนที่ {i}", seed=f"3100900{i:05d}")
    clerk_pc.sync()
    with central.db.reading() as session:
        published = session.scalar(
            select(func.count()).select_from(CentralRow).where(CentralRow.org_id == central.org_a)
        )
    late = desks("late-pc")
    late.register(central.org_a, name="เครื่อง 2")
    late.login("clerk.a")
    late.engine.max_page_bytes = 4 * 1024
    report = late.sync()
    assert report.pages > 3
    assert report.pulled == published  # every row once
    assert replica.cursors(late.db) == replica.cursors(clerk_pc.db)
    with late.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(SubmissionModel)) == 30


def test_an_approval_the_central_refuses_is_undone_here_and_the_centrals_record_stands(
    clerk_pc: Desktop, desks, central: Central
) -> None:
    from app.store.models import DecisionModel

    clerk = clerk_pc.sign_in("clerk.a")
    sid = new_person(clerk_pc, clerk, "สมใจ")
    clerk_pc.sync()
    boss_pc, boss = _supervisor_pc(desks, central, "boss-pc")
    with clerk_pc.db.reading() as session:
        person_id = session.get(SubmissionModel, sid).person_id
    decisions.approve(boss_pc.db, boss, sid)
    assert boss_pc.person(person_id) is not None  # approved here, offline
    # a second supervisor PC returned it on the central before this approval arrived
    other, boss_there = _supervisor_pc(desks, central, "other-pc")
    decisions.return_submission(other.db, boss_there, sid, reason="ขาดเอกสาร")
    assert other.sync().applied >= 1

    report = boss_pc.sync()
    assert report.rejected == 1
    [item] = outbox.attention(boss_pc.db)
    assert item.kind == "submission.approve"
    # the offline approval is gone: no person, no approve decision, the submission returned
    assert boss_pc.person(person_id) is None
    with boss_pc.db.reading() as session:
        assert session.get(SubmissionModel, sid).state == "returned"
        actions = session.scalars(select(DecisionModel.action)).all()
        assert actions == ["return"]


def test_a_central_restored_from_an_older_backup_still_brings_its_new_rows(
    clerk_pc: Desktop, central: Central, tmp_path
) -> None:
    """The central's database is put back from a backup older than the PC's last sync: the
    rows written after that reuse numbers the PC's cursor has passed, and must still come."""

    def units(*names: str) -> list[dict]:
        return [
            {"table": "org_unit", "id": new_id(), "deleted": False,
             "data": {"name": name, "unit_kind": "division", "parent_id": None}}
            for name in names
        ]  # fmt: skip

    live = central.db.engine.url.database
    backup = tmp_path / "central-backup.sqlite3"
    with sqlite3.connect(live) as source, sqlite3.connect(backup) as copy:
        source.backup(copy)
    seed.import_rows(central.db, central.org_a, units("กองคลัง", "กองช่าง", "กองการศึกษา"))
    clerk_pc.sync()
    with sqlite3.connect(backup) as copy, sqlite3.connect(live) as target:
        copy.backup(target)  # the operator restores last night's backup
    seed.import_rows(central.db, central.org_a, units("กองสาธารณสุข"))

    clerk_pc.sync()

    with clerk_pc.db.reading() as session:
        names = set(session.scalars(select(OrgUnitModel.name)))
    assert "กองสาธารณสุข" in names
    assert replica.cursors(clerk_pc.db)[central.org_a] == _central_latest(central)


def _central_latest(central: Central) -> int:
    with central.db.reading() as session:
        return session.get(OrgCounter, central.org_a).seq
