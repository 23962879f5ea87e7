"""Background sync against a real central on loopback: what the status bar would show as
ops are pushed, the link is cut and comes back, a token is revoked, and the program stops."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from sqlalchemy import func, select

from app.services import audit, outbox
from sync.central import auth
from sync.central.models import CentralAudit
from sync.client import account
from sync.testing.faultproxy import FaultProxy
from sync.testing.faults import Link
from tests.sync_client import conftest as sync_fixtures
from tests.sync_client.conftest import Central
from tests.sync_client.desktops import Desktop
from ui.background_sync import BackgroundSync, SyncSettings
from ui.sync_status import State, SyncStatus
from ui.tasks import TaskRunner

# The sync client tests' fixtures: a real central on loopback, cheap test verifiers.
central_for = sync_fixtures.central_for
central = sync_fixtures.central
_quick_verifiers = sync_fixtures._quick_verifiers

WAIT_MS = 15_000
QUICK = SyncSettings(interval_s=3600, debounce_s=3600, probe_first_s=0.05, probe_max_s=0.2,
                     probe_jitter=0, poll_ms=20)  # fmt: skip


@pytest.fixture
def runner(threaded_runner: TaskRunner) -> TaskRunner:
    """The desktop's runner, with real worker threads: the sync runs on the network lane."""
    return threaded_runner


@pytest.fixture
def desks(tmp_path, central: Central) -> Iterator[Callable[..., Desktop]]:
    """``desks(url=None)``: clerk.a's registered PC, logged in and synced once, talking to
    the central directly or through ``url`` (a proxy)."""
    with ExitStack() as stack:

        def make(url: str | None = None) -> Desktop:
            folder = tmp_path / f"pc{len(list(tmp_path.glob('pc*')))}"
            folder.mkdir()
            pc = Desktop(folder, url or central.url, stack)
            pc.register(central.org_a)
            pc.login("clerk.a")
            pc.sync()  # the office's users arrive: clerk.a can sign in at this PC
            return pc

        yield make


class Watch:
    """A BackgroundSync and every status it published."""

    def __init__(self, bg: BackgroundSync) -> None:
        self.bg = bg
        self.seen: list[SyncStatus] = []
        self.reports: list[Any] = []
        bg.status_changed.connect(self.seen.append)
        bg.synced.connect(self.reports.append)

    @property
    def status(self) -> SyncStatus:
        return self.bg.status


@pytest.fixture
def background(runner, qtbot) -> Iterator[Callable[..., Watch]]:
    """``background(pc, **settings)``: a BackgroundSync of ``pc``; stopped after the test."""
    made: list[BackgroundSync] = []

    def make(pc: Desktop, **settings: Any) -> Watch:
        bg = BackgroundSync(
            runner,
            pc.db,
            pc.engine,
            lambda: account.credentials(pc.db, pc.store, pc.at_pc),
            SyncSettings(**{**QUICK.__dict__, **settings}),
        )
        made.append(bg)
        return Watch(bg)

    yield make
    for bg in made:
        assert bg.stop(), "a sync did not end after stop()"


def views(central: Central) -> int:
    with central.db.reading() as session:
        return session.scalar(select(func.count()).select_from(CentralAudit))


def add_ops(pc: Desktop, n: int) -> None:
    """``n`` local ops by clerk.a (audit events), as the services write them."""
    clerk = account.credentials(pc.db, pc.store, "clerk.a").pull_as
    with pc.db.transaction() as session:
        for i in range(n):
            audit.append(
                session, org_id=pc.store.device().org_id, actor_id=clerk, action="person.view",
                entity_kind="person", entity_id=None, detail={"n": i},
            )  # fmt: skip


@pytest.fixture
def busy_pc(desks, central: Central) -> Iterator[Desktop]:
    """A PC with 300 ops to push in batches of 10, over a link with 20 ms round trips (so a
    sync lasts long enough to watch it). Ask for it before ``background``."""
    with FaultProxy(central.url, link=Link(latency_s=0.02)) as proxy:
        pc = desks(proxy.url)
        pc.engine.max_ops = 10
        add_ops(pc, 300)
        yield pc


def online(status: SyncStatus) -> bool:
    return status.state is State.ONLINE and status.pending == 0


def test_start_pushes_the_pending_op_and_shows_nothing_pending_and_the_sync_time(
    desks, background, central: Central, qtbot
) -> None:
    pc = desks()
    pc.sign_in("clerk.a")  # an audit op waits in the outbox
    watch = background(pc)
    watch.bg.start()
    qtbot.waitUntil(lambda: online(watch.status), timeout=WAIT_MS)

    assert watch.status.last_sync is not None and watch.status.attention == 0
    assert any(s.state is State.SYNCING for s in watch.seen)
    assert len(watch.reports) == 1 and watch.reports[0].applied == 1
    assert views(central) == 1
    assert outbox.counts(pc.db).pending == 0
    # the time of that sync is kept: a program started again shows it before it syncs
    watch.bg.stop()
    again = background(pc)
    again.bg.start()
    qtbot.waitUntil(lambda: again.status.last_sync == watch.status.last_sync, timeout=WAIT_MS)


def test_sync_now_during_a_sync_asks_for_one_more_after_it_never_two_at_once(
    desks, background, qtbot
) -> None:
    pc = desks()
    watch = background(pc)
    gate, lock = threading.Event(), threading.Lock()
    calls, peak, running = [0], [0], [0]
    real_sync = pc.engine.sync

    def gated(*args: Any, **kwargs: Any) -> Any:
        with lock:
            calls[0] += 1
            running[0] += 1
            peak[0] = max(peak[0], running[0])
            first = calls[0] == 1
        try:
            if first:
                gate.wait(10)
            return real_sync(*args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    pc.engine.sync = gated  # type: ignore[method-assign]
    try:
        watch.bg.start()
        qtbot.waitUntil(lambda: calls[0] == 1, timeout=WAIT_MS)
        for _ in range(3):
            watch.bg.sync_now()
        assert watch.bg.syncing and watch.status.state is State.SYNCING
    finally:
        gate.set()
    qtbot.waitUntil(lambda: len(watch.reports) == 2 and not watch.bg.syncing, timeout=WAIT_MS)
    qtbot.wait(200)
    assert (calls[0], peak[0]) == (2, 1)
    assert watch.status.state is State.ONLINE


def test_a_cut_link_shows_offline_and_the_probe_syncs_as_soon_as_it_is_back(
    desks, background, central: Central, qtbot
) -> None:
    with FaultProxy(central.url) as proxy:
        pc = desks(proxy.url)
        watch = background(pc)
        probes = [0]
        health = pc.client.health

        def counted() -> bool:
            probes[0] += 1
            return health()

        pc.client.health = counted  # type: ignore[method-assign]
        watch.bg.start()
        qtbot.waitUntil(lambda: online(watch.status), timeout=WAIT_MS)

        proxy.cut()
        pc.sign_in("clerk.a")
        watch.bg.local_change()
        watch.bg.sync_now()
        qtbot.waitUntil(lambda: watch.status.state is State.OFFLINE, timeout=WAIT_MS)
        assert watch.status.reason in ("offline", "connection_lost")
        assert watch.status.message and watch.status.headline
        assert watch.status.pending == 1
        qtbot.waitUntil(lambda: probes[0] >= 3, timeout=WAIT_MS)  # backing off, still cut
        assert watch.status.state is State.OFFLINE
        assert len(watch.reports) == 1

        proxy.restore()
        qtbot.waitUntil(lambda: online(watch.status), timeout=WAIT_MS)
    assert len(watch.reports) == 2 and watch.reports[1].applied == 1
    assert views(central) == 1


def test_a_burst_of_local_changes_leads_to_one_sync_after_the_debounce(
    desks, background, qtbot
) -> None:
    pc = desks()
    watch = background(pc, debounce_s=0.6)
    watch.bg.start()
    qtbot.waitUntil(lambda: online(watch.status), timeout=WAIT_MS)

    for _ in range(4):
        pc.sign_in("clerk.a")
        watch.bg.local_change()
    # counted at once, sent only once the burst is over
    qtbot.waitUntil(lambda: watch.status.pending == 4, timeout=WAIT_MS)
    assert len(watch.reports) == 1
    qtbot.waitUntil(lambda: len(watch.reports) == 2, timeout=WAIT_MS)
    assert watch.reports[1].applied == 4
    qtbot.wait(800)
    assert len(watch.reports) == 2 and online(watch.status)


def test_the_timer_syncs_again_by_itself(desks, background, qtbot) -> None:
    pc = desks()
    watch = background(pc, interval_s=0.2)
    watch.bg.start()
    qtbot.waitUntil(lambda: len(watch.reports) >= 3, timeout=WAIT_MS)
    assert online(watch.status)


def test_a_revoked_token_asks_who_must_log_in_again_and_a_new_login_sends_their_work(
    desks, background, central: Central, qtbot
) -> None:
    pc = desks()
    pc.sign_in("clerk.a")
    token = pc.store.token("clerk.a")
    assert token is not None and auth.revoke_token(central.db, token.token)
    watch = background(pc)
    watch.bg.start()
    qtbot.waitUntil(lambda: watch.status.state is State.LOGIN_NEEDED, timeout=WAIT_MS)
    assert watch.status.waiting_authors == ("ผู้ใช้ clerk.a",)
    assert watch.status.reason == "login" and watch.status.pending == 1

    pc.login("clerk.a")
    watch.bg.sync_now()
    qtbot.waitUntil(lambda: online(watch.status), timeout=WAIT_MS)
    assert watch.status.waiting_authors == () and views(central) == 1


def test_progress_moves_during_a_sync_of_many_ops(
    busy_pc, background, central: Central, qtbot
) -> None:
    watch = background(busy_pc)
    watch.bg.start()
    qtbot.waitUntil(lambda: online(watch.status), timeout=WAIT_MS)

    pushing = [s for s in watch.seen if s.progress is not None and s.progress.phase == "push"]
    done = [s.progress.ops_done for s in pushing if s.progress]
    assert {s.progress.ops_total for s in pushing if s.progress} == {300}
    assert len(set(done)) >= 4 and done == sorted(done)
    assert any(0 < d < 300 for d in done)
    sent = [s.progress.bytes_sent for s in pushing if s.progress]
    assert sent == sorted(sent) and sent[-1] > 0
    assert any(0 < s.pending < 300 for s in pushing)  # the count falls as batches are answered
    assert views(central) == 300


def test_stop_cancels_a_running_sync_and_leaves_nothing_running(
    busy_pc, background, runner, central: Central, qtbot
) -> None:
    watch = background(busy_pc)
    watch.bg.start()
    qtbot.waitUntil(
        lambda: (p := watch.status.progress) is not None and p.ops_done >= 20, timeout=WAIT_MS
    )
    assert watch.bg.stop()

    assert not watch.bg.syncing and runner.active == 0
    assert [t for t in watch.bg.findChildren(QTimer) if t.isActive()] == []
    assert watch.status.state is not State.SYNCING
    left = outbox.counts(busy_pc.db).pending
    assert 0 < left < 300
    watch.bg.local_change()
    watch.bg.sync_now()  # stopped: nothing starts
    assert runner.active == 0

    again = background(busy_pc)
    again.bg.start()
    qtbot.waitUntil(lambda: online(again.status), timeout=WAIT_MS)
    assert again.reports[0].applied == left
    assert views(central) == 300  # each op applied once


def test_an_op_queued_by_any_screen_is_sent_after_the_debounce(desks, background, qtbot) -> None:
    """Issue 15: a supervisor's decision sat on the PC until the timer (five minutes), since
    only the clerk's editor told the sync of its saves. Now every write that queues an op
    does, whoever makes it: here one that calls nothing but the service."""
    pc = desks()
    watch = background(pc, debounce_s=0.3)
    watch.bg.start()
    qtbot.waitUntil(lambda: online(watch.status) and len(watch.reports) == 1, timeout=WAIT_MS)

    add_ops(pc, 2)  # a service's write, and nothing else

    qtbot.waitUntil(lambda: watch.status.pending == 2, timeout=WAIT_MS)  # counted at once
    qtbot.waitUntil(lambda: len(watch.reports) == 2, timeout=WAIT_MS)  # sent without asking
    assert watch.reports[1].applied == 2 and online(watch.status)
    qtbot.wait(600)
    assert len(watch.reports) == 2  # recording the answers did not start another sync


def test_a_central_gone_while_idle_shows_offline_within_the_heartbeat(
    desks, background, central: Central, qtbot
) -> None:
    """Issue 15: "online" stayed green minutes after the central stopped, since only a sync
    (every five minutes) found out. With nothing to send, the heartbeat finds out."""
    with FaultProxy(central.url) as proxy:
        pc = desks(proxy.url)
        watch = background(pc, heartbeat_s=0.3)
        watch.bg.start()
        qtbot.waitUntil(lambda: online(watch.status), timeout=WAIT_MS)
        qtbot.wait(700)  # heartbeats while the link is there change nothing
        assert online(watch.status) and len(watch.reports) == 1

        proxy.cut()
        qtbot.waitUntil(lambda: watch.status.state is State.OFFLINE, timeout=3000)
        assert watch.status.reason in ("offline", "connection_lost", "timeout")
        assert len(watch.reports) == 1  # no sync was tried: the probe said it

        proxy.restore()
        qtbot.waitUntil(lambda: online(watch.status), timeout=WAIT_MS)  # the probe's sync
        assert len(watch.reports) == 2
