"""The demo end to end with signed ops (DESIGN.md §5): the clerk logs in, saves and
submits; the supervisor, after a switch of user, approves; both are synced through the
embedded central, which accepted each op under its author's own key, registered at that
user's first login on the PC. Locking the session drops the key from memory until the
password unlocks it again."""

from __future__ import annotations

import functools

from sqlalchemy import select

from app.domain.signing import signature_key_id
from app.services import decisions, outbox, people, submissions, user_keys
from app.services.context import signer
from app.store.models import OutboxOpModel
from localhr.embedded_central import EmbeddedCentral, read_accounts
from sync.central.models import CentralRow, CentralUserKey
from tests.sync_client import conftest as sync_fixtures
from tests.ui import session_helpers as helpers
from tests.ui import test_startup as startup_tests
from tests.ui.session_helpers import WAIT_MS
from tests.ui.test_demo_restart import sync_and_wait
from tests.ui.test_startup import DEMO_PEOPLE, log_in
from ui.login import LoginDialog
from ui.sync_status import State

_quick_verifiers = sync_fixtures._quick_verifiers
thai = helpers.thai
flows = startup_tests.flows


def _signers(db, entity_id: str) -> dict[str, str | None]:
    """kind → the key id that signed the op, for the ops about ``entity_id``."""
    with db.reading() as session:
        rows = session.execute(
            select(OutboxOpModel.kind, OutboxOpModel.signature).where(
                OutboxOpModel.entity_id == entity_id
            )
        )
        return {kind: signature_key_id(sig) for kind, sig in rows}


def test_the_demo_clerk_submits_the_supervisor_approves_each_signing_their_own(
    qtbot, flows, tmp_path, thai
) -> None:
    folder = tmp_path / "demo"
    flow = flows(folder, start_demo=functools.partial(
        EmbeddedCentral.start, folder, people=DEMO_PEOPLE
    ), demo=True)  # fmt: skip
    flow.start()
    qtbot.waitUntil(lambda: isinstance(flow.dialog, LoginDialog), timeout=WAIT_MS)
    accounts = {a.username: a.password for a in read_accounts(folder)}
    clerk = log_in(qtbot, flow, "clerk", accounts["clerk"])
    qtbot.waitUntil(lambda: flow.sync.status.state is State.ONLINE, timeout=WAIT_MS)
    clerk_key = user_keys.keys(flow.db)[clerk.user_id]
    assert clerk_key.registered  # at the first login's sync

    person = people.person_ids(flow.db)[0]
    sid = submissions.start_draft(flow.db, clerk.user_id, person_id=person).submission.id
    submissions.save_draft(flow.db, clerk.user_id, sid, fields={"first_name_th": "สมหมาย"})
    submissions.submit(flow.db, clerk.user_id, sid)
    sync_and_wait(qtbot, flow)

    # locked: the key leaves memory; the password brings it back
    flow.lock()
    assert signer(flow.db).key_for(clerk.user_id) is None
    log_in(qtbot, flow, "clerk", accounts["clerk"])
    assert signer(flow.db).key_for(clerk.user_id) is not None

    flow.switch_user()
    boss = log_in(qtbot, flow, "supervisor", accounts["supervisor"])
    assert signer(flow.db).key_for(clerk.user_id) is None  # only the supervisor's now
    decisions.approve(flow.db, boss.user_id, sid)
    qtbot.waitUntil(lambda: not flow.sync.syncing, timeout=WAIT_MS)
    sync_and_wait(qtbot, flow)
    qtbot.waitUntil(lambda: outbox.counts(flow.db).pending == 0, timeout=WAIT_MS)

    assert outbox.attention(flow.db) == []
    boss_key = user_keys.keys(flow.db)[boss.user_id]
    assert _signers(flow.db, sid) == {
        "submission.save": clerk_key.key_id,
        "submission.submit": clerk_key.key_id,
        "submission.approve": boss_key.key_id,
    }
    with flow.demo.db.reading() as session:
        row = session.scalar(
            select(CentralRow).where(CentralRow.table_name == "submission", CentralRow.id == sid)
        )
        assert row.data["state"] == "approved" and row.data["decided_by"] == boss.user_id
        keys = dict(session.execute(select(CentralUserKey.key_id, CentralUserKey.user_id)).all())
    assert keys[clerk_key.key_id] == clerk.user_id and keys[boss_key.key_id] == boss.user_id
