"""A demo restarted while the clerk's work was still on its way: the PC keeps its identity
at its own embedded central (the credential of the last start was only in memory), and the
work sent before the restart lands once, with nothing refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, select

from app.services import outbox, people, submissions
from localhr.embedded_central import EmbeddedCentral, read_accounts
from sync.central.models import CentralDevice, CentralOp, CentralRow
from sync.testing.faultproxy import FaultProxy
from sync.testing.faults import Faults
from tests.sync_client import conftest as sync_fixtures
from tests.ui import session_helpers as helpers
from tests.ui import test_startup as startup_tests
from tests.ui.session_helpers import WAIT_MS
from tests.ui.test_startup import DEMO_PEOPLE, log_in
from ui.startup import Startup
from ui.sync_status import State

# Fixtures: cheap test verifiers for the demo's accounts, Thai, and test_startup's flows.
_quick_verifiers = sync_fixtures._quick_verifiers
thai = helpers.thai
flows = startup_tests.flows
PUSH = ("/v1/push",)


@pytest.fixture
def demo_behind_a_proxy(tmp_path) -> Iterator[tuple[Callable[[], EmbeddedCentral], list]]:
    """What ``localhr demo`` starts (its central in ``tmp_path/demo``), reached through a
    fault-injecting proxy: each start serves the same central file behind a new proxy."""
    folder = tmp_path / "demo"
    proxies: list[FaultProxy] = []

    def start() -> EmbeddedCentral:
        central = EmbeddedCentral.start(folder, people=DEMO_PEOPLE)
        proxy = FaultProxy(central.url)
        proxy.start()
        proxies.append(proxy)
        central.url = proxy.url
        return central

    yield start, proxies
    for proxy in proxies:
        proxy.stop()


def sync_and_wait(qtbot, flow: Startup) -> None:
    flow.sync.sync_now()
    qtbot.waitUntil(lambda: flow.sync.syncing, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not flow.sync.syncing, timeout=WAIT_MS)


def test_a_restarted_demo_keeps_its_pc_and_lands_unanswered_work_once(
    qtbot, flows, demo_behind_a_proxy, tmp_path, thai
) -> None:
    start, proxies = demo_behind_a_proxy
    folder = tmp_path / "demo"
    flow = flows(folder, start_demo=start, demo=True)
    flow.start()
    qtbot.waitUntil(lambda: flow.dialog is not None and flow.demo is not None, timeout=WAIT_MS)
    password = {a.username: a.password for a in read_accounts(folder)}["clerk"]
    clerk = log_in(qtbot, flow, "clerk", password)
    qtbot.waitUntil(lambda: flow.sync.status.state is State.ONLINE, timeout=WAIT_MS)
    pc = flow.db.device_id
    first, second = people.person_ids(flow.db)[:2]

    # A change submitted; the central applies it, but its answer never comes back.
    proxies[-1].faults = Faults(cut_response=1.0, paths=PUSH)
    submitted = submissions.start_draft(flow.db, clerk.user_id, person_id=first).submission.id
    submissions.save_draft(flow.db, clerk.user_id, submitted, fields={"first_name_th": "สมหมาย"})
    submissions.submit(flow.db, clerk.user_id, submitted)
    sync_and_wait(qtbot, flow)
    assert proxies[-1].stats.cut_response >= 1
    central = flow.demo.db
    # Another change, sent while the link drops every push: the central never gets it.
    proxies[-1].faults = Faults(drop=1.0, paths=PUSH)
    draft = submissions.start_draft(flow.db, clerk.user_id, person_id=second).submission.id
    submissions.save_draft(flow.db, clerk.user_id, draft, fields={"last_name_th": "ใจดี"})
    sync_and_wait(qtbot, flow)
    unanswered = outbox.unanswered(flow.db)
    assert len(unanswered) == 3 and all(op.device_id == pc for op in unanswered)
    assert flow.sync.status.state is not State.ONLINE
    sent = [op.op_id for op in unanswered]
    with central.transaction() as session:
        assert session.scalar(select(func.count()).where(CentralOp.op_id.in_(sent))) == 2

    # The program closes, and starts again: a new central process, a new in-memory keyring.
    flow.window.close()
    flow.shutdown()
    again = flows(folder, start_demo=start, demo=True)
    again.start()
    qtbot.waitUntil(lambda: again.dialog is not None and again.demo is not None, timeout=WAIT_MS)
    log_in(qtbot, again, "clerk", password)
    qtbot.waitUntil(lambda: again.sync.status.state is State.ONLINE
                    and outbox.counts(again.db).pending == 0, timeout=WAIT_MS)  # fmt: skip

    # The same PC at the central, nothing refused, every change there exactly once.
    assert again.db.device_id == pc
    assert outbox.attention(again.db) == [] and outbox.counts(again.db).attention == 0
    with again.demo.db.transaction() as session:
        devices = session.scalars(select(CentralDevice.id)).all()
        ops = dict(session.execute(select(CentralOp.op_id, CentralOp.device_id)).all())
        versions = dict(session.execute(
            select(CentralRow.id, CentralRow.version).where(CentralRow.table_name == "submission")
        ).all())  # fmt: skip
    assert devices == [pc]
    assert {op_id: ops[op_id] for op_id in sent} == dict.fromkeys(sent, pc)
    assert versions == {submitted: 2, draft: 1}  # saved and submitted; saved: once each
    mine = {s.id: s for s in submissions.list_submissions(again.db, clerk.user_id)}
    assert str(mine[submitted].state) == "submitted" and str(mine[draft].state) == "draft"
