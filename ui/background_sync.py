"""Background sync: when to sync, and what to tell the user about it (DESIGN.md §4, §7).

:class:`BackgroundSync` owns the schedule. A sync starts on

- :meth:`start` (once, at once), then a timer (``SyncSettings.interval_s`` after the last
  sync ended);
- :meth:`local_change`, debounced (``debounce_s`` after the last of a burst of saves): called
  by the database's change signal (:mod:`ui.changes`) whenever a committed write queued an
  op, whoever made it — a clerk's save, a supervisor's decision, an org admin's change — so
  that nothing waits for the timer;
- :meth:`sync_now` (the user's button or F5);
- the link coming back: after a sync failed with :class:`~sync.client.errors.Offline`, a
  cheap probe (``CentralClient.health``) runs with exponential backoff and jitter
  (``probe_first_s`` doubling to ``probe_max_s``), and a sync starts as soon as it answers.

The link going away is seen within ``heartbeat_s`` too: while the status says online and no
sync runs, the same cheap probe runs every ``heartbeat_s`` (about 300 bytes each way), and
one that fails turns the status offline at once (issue 15: "online" stayed green minutes
after the central had stopped), then the probe above looks for the link.

There is never more than one sync at a time: a trigger during a sync asks for one more
after it. The sync runs on the task runner's network lane with plain inputs only: the
engine, the :class:`~sync.client.engine.Credentials` read from the keyring here on the main
thread (STYLE.md: never the keyring from a worker), and the engine's thread-safe progress,
which a ``QTimer`` polls every ``poll_ms``. Every outcome ends in a published
:class:`~ui.sync_status.SyncStatus`: success, each kind of failure, and a cancel.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from app.services import outbox, sync_log, users
from app.store.db import Database
from sync.client.engine import Credentials, SyncEngine, SyncReport
from sync.client.engine import Progress as EngineProgress
from sync.client.transport import CentralClient
from ui.changes import Changes, bus
from ui.sync_status import State, SyncProgress, SyncStatus, classify, detail_of
from ui.tasks import Lane, Progress, Task, TaskHandle, TaskRunner

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncSettings:
    """When the background sync runs (seconds unless named otherwise)."""

    interval_s: float = 300.0  # a sync this long after the last one ended
    debounce_s: float = 5.0  # a sync this long after the last local change of a burst
    probe_first_s: float = 5.0  # first reachability probe after going offline …
    probe_max_s: float = 300.0  # … doubling up to this
    probe_jitter: float = 0.2  # each probe delay × a random factor in [1 - j, 1 + j]
    heartbeat_s: float = 20.0  # while online and idle, the link is checked this often
    poll_ms: int = 150  # how often a running sync's progress is read
    stop_timeout_s: float = 15.0  # how long stop() waits for a cancelled sync to end


@dataclass(frozen=True)
class _Synced:
    """What a sync's worker hands back: plain values only."""

    report: SyncReport
    counts: outbox.Counts
    at: dt.datetime
    waiting: tuple[str, ...]  # display names of report.waiting_authors


@dataclass(frozen=True)
class _Facts:
    counts: outbox.Counts
    last_sync: dt.datetime | None


def _sync(
    engine: SyncEngine, credentials: Credentials, watched: EngineProgress, *, progress: Progress
) -> _Synced:
    """On the network lane: one cycle; ``progress`` (the task's) cancels it between exchanges,
    ``watched`` (the engine's) is what the GUI polls."""
    report = engine.sync(credentials, cancel=progress, progress=watched)
    at = sync_log.record_success(engine.db)
    return _Synced(report, outbox.counts(engine.db), at, _names(engine.db, report.waiting_authors))


def _facts(db: Database) -> _Facts:
    return _Facts(outbox.counts(db), sync_log.last_success(db))


def _names(db: Database, user_ids: frozenset[str]) -> tuple[str, ...]:
    if not user_ids:
        return ()
    known = {u.id: u.display_name for u in users.list_users(db)}
    return tuple(sorted(known.get(i) or i for i in user_ids))


def _probe(client: CentralClient) -> bool:
    return client.health()


class _Run:
    """One sync in flight: its engine progress and handle, and the status before it."""

    def __init__(self, before: SyncStatus, anonymous: bool) -> None:
        self.watched = EngineProgress()
        self.before = before
        self.anonymous = anonymous  # nobody has a token: nothing can go or come
        self.handle: TaskHandle[_Synced] | None = None


class BackgroundSync(QObject):
    """The sync schedule and status of one local database (see the module doc).

    ``engine`` and ``credentials`` (called on the main thread; may raise ``NotRegistered``
    or ``KeyringUnavailable``) are None until this PC knows a central: the status then says
    so, the counts are still kept up to date, and no trigger does anything else.
    """

    #: Each new :class:`SyncStatus`; also read :attr:`status` at any time.
    status_changed = Signal(object)
    #: The :class:`SyncReport` of every sync that ended without an error, for screens to
    #: refresh what it touched (``report.pulled_tables``).
    synced = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        engine: SyncEngine | None = None,
        credentials: Callable[[], Credentials] | None = None,
        settings: SyncSettings | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._db = db
        self._engine = engine
        self._credentials = credentials
        self.settings = settings or SyncSettings()
        self._status = SyncStatus(
            state=State.OFFLINE if self.configured else State.NOT_CONFIGURED,
            reason="" if self.configured else "not_registered",
        )
        self._started = False
        self._run: _Run | None = None
        self._again = False  # a trigger came during a sync: one more after it
        self._probe_delay = self.settings.probe_first_s
        self._probing: TaskHandle[bool] | None = None
        self._facts_task: TaskHandle[_Facts] | None = None
        self._facts_again = False
        self._syncs = 0  # syncs ended well: a count read before the last one is stale
        self._handles: set[TaskHandle[Any]] = set()
        self._interval = self._timer(self._on_timer, single=True)
        self._debounce = self._timer(self._on_timer, single=True)
        self._probe_timer = self._timer(self._on_probe_timer, single=True)
        self._heartbeat = self._timer(self._on_heartbeat, single=True)
        self._poll = self._timer(self._on_poll, single=False, ms=self.settings.poll_ms)
        bus(db).changed.connect(self._db_changed)

    def _timer(self, slot: Callable[[], None], *, single: bool, ms: int = 0) -> QTimer:
        timer = QTimer(self, singleShot=single, interval=ms)
        timer.timeout.connect(slot)
        return timer

    # --- what the UI reads and calls --------------------------------------------------------

    @property
    def status(self) -> SyncStatus:
        return self._status

    @property
    def configured(self) -> bool:
        return self._engine is not None and self._credentials is not None

    @property
    def syncing(self) -> bool:
        return self._run is not None

    @property
    def started(self) -> bool:
        """Started, not stopped, and the runner still takes tasks (it is shut down when the
        application quits, possibly before :meth:`stop` is called)."""
        return self._started and not self._runner.closed

    def start(self) -> None:
        """Read the counts and the last sync, and sync at once if a central is known."""
        if self._started:
            return
        self._started = True
        self._refresh_facts()
        if self.configured:
            self._request()

    def stop(self) -> bool:
        """Stop every timer, cancel a running sync or probe and wait for it to end (at most
        ``stop_timeout_s``). True when nothing of this object is left running."""
        self._started = False
        self._again = False
        for timer in (self._interval, self._debounce, self._probe_timer, self._heartbeat,
                      self._poll):  # fmt: skip
            timer.stop()
        for handle in self._handles:
            handle.cancel()
        return self._wait(self.settings.stop_timeout_s)

    def sync_now(self) -> None:
        """The user asked: sync now, or right after the sync that is running."""
        self._request()

    def local_change(self) -> None:
        """Something was saved locally: count it now, sync once the burst of saves is over."""
        if not self.started:
            return
        self._refresh_facts()
        if self.configured:
            self._debounce.start(_ms(self.settings.debounce_s))

    def _db_changed(self, changes: Changes) -> None:
        """A committed write: ops it queued go at the end of the burst; anything else it did
        to the outbox (answers recorded, an op set aside or put back) is counted again."""
        if changes.enqueued:
            self.local_change()
        elif changes.touches("outbox_op"):
            self.refresh()

    def refresh(self) -> None:
        """Read the counts again: something other than a save changed them (an item needing
        attention was set aside)."""
        self._refresh_facts()

    def cancel(self) -> None:
        """Stop the running sync at its next exchange; what was answered is kept."""
        self._again = False
        if self._run is not None and self._run.handle is not None:
            self._run.handle.cancel()

    # --- triggers ---------------------------------------------------------------------------

    def _on_timer(self) -> None:
        """The interval or the debounce ran out. While offline the probe looks for the link
        and a sync would only fail again."""
        looking = self._probe_timer.isActive() or self._probing is not None
        if self._status.state is State.OFFLINE and looking:
            return
        self._request()

    def _request(self) -> None:
        if not self.started or not self.configured:
            return
        if self._run is not None:
            self._again = True
            return
        self._begin()

    def _begin(self) -> None:
        assert self._engine is not None and self._credentials is not None
        self._interval.stop()
        self._heartbeat.stop()  # the sync itself says whether the link is there
        try:
            credentials = self._credentials()  # the keyring: main thread only
        except Exception as exc:  # NotRegistered, KeyringUnavailable, a broken backend
            self._failed(None, exc)
            return
        run = _Run(self._status, anonymous=not credentials.tokens)
        self._run = run
        self._publish(state=State.SYNCING, reason="", detail="", progress=SyncProgress())
        self._poll.start()
        run.handle = self._track(
            Task(_sync, self._engine, credentials, run.watched)
            .with_progress()
            .on_success(functools.partial(self._succeeded, run))
            .on_failure(functools.partial(self._failed, run))
            .on_cancelled(functools.partial(self._cancelled, run))
            .bound_to(self)
            .run_on(self._runner, Lane.NET)
        )

    # --- outcomes (GUI thread) --------------------------------------------------------------

    def _end(self, run: _Run | None) -> None:
        if run is not None and self._run is run:
            self._run = None
            self._poll.stop()

    def _succeeded(self, run: _Run, done: _Synced) -> None:
        self._end(run)
        self._syncs += 1
        self._probe_delay = self.settings.probe_first_s
        login = bool(done.waiting) or run.anonymous
        self._publish(
            state=State.LOGIN_NEEDED if login else State.ONLINE,
            reason="login" if login else "",
            detail="",
            progress=None,
            pending=done.counts.pending,
            attention=done.counts.attention,
            last_sync=done.at,
            waiting_authors=done.waiting,
        )
        self.synced.emit(done.report)
        self._next()

    def _failed(self, run: _Run | None, exc: BaseException) -> None:
        self._end(run)
        state, reason = classify(exc)
        if reason == "internal":
            log.error("sync failed", exc_info=(type(exc), exc, exc.__traceback__))
        else:
            log.warning("sync failed: %s: %s", reason, detail_of(exc))
        self._again = False  # a second try now would meet the same failure
        self._publish(
            state=state, reason=reason, detail=detail_of(exc), progress=None, waiting_authors=()
        )
        self._refresh_facts()  # batches answered before the failure count too
        if state is State.OFFLINE:
            self._schedule_probe()
        else:
            self._next()

    def _cancelled(self, run: _Run) -> None:
        self._end(run)
        before = run.before
        self._publish(state=before.state, reason=before.reason, detail=before.detail, progress=None)
        self._refresh_facts()
        self._next()

    def _next(self) -> None:
        """After a sync: the one asked for meanwhile, or the timer."""
        if not self.started:
            return
        if self._again:
            self._again = False
            self._request()
        else:
            self._interval.start(_ms(self.settings.interval_s))
            self._heartbeat.start(_ms(self.settings.heartbeat_s))

    def _on_poll(self) -> None:
        run = self._run
        if run is None:
            return
        progress = SyncProgress.of(run.watched.view())
        pending = self._status.pending
        if progress.ops_done:  # the count falls as batches are answered
            # (the count read before may be missing: the push's own total is a floor)
            before = max(run.before.pending, progress.ops_total)
            pending = max(before - progress.ops_done, 0)
        self._publish(progress=progress, pending=pending)

    # --- the link coming back ---------------------------------------------------------------

    def _schedule_probe(self) -> None:
        if not self.started:
            return
        jitter = self.settings.probe_jitter
        delay = self._probe_delay * random.uniform(1 - jitter, 1 + jitter)
        self._probe_delay = min(self._probe_delay * 2, self.settings.probe_max_s)
        self._probe_timer.start(_ms(delay))

    def _on_probe_timer(self) -> None:
        if not self.started or self._run is not None or self._engine is None:
            return
        self._probing = self._track(
            Task(_probe, self._engine.client)
            .on_success(self._probed)
            .on_failure(self._probe_failed)
            .on_cancelled(self._probe_cancelled)
            .bound_to(self)
            .run_on(self._runner, Lane.NET)
        )

    def _probed(self, reachable: bool) -> None:
        self._probing = None
        if not self.started or self._run is not None:
            return  # stopped, or the user's sync went meanwhile and says more
        if reachable:
            self._request()  # the sync itself says whether all is well
        else:
            self._schedule_probe()

    def _probe_failed(self, exc: BaseException) -> None:
        log.debug("the central is still out of reach: %s", detail_of(exc))
        self._probing = None
        if self._run is None:
            self._schedule_probe()

    def _probe_cancelled(self) -> None:
        self._probing = None

    # --- the link going away -----------------------------------------------------------------

    def _on_heartbeat(self) -> None:
        idle = self._run is None and self._probing is None
        if not self.started or not idle or self._engine is None:
            return
        if self._status.state not in (State.ONLINE, State.LOGIN_NEEDED):
            return
        self._probing = self._track(
            Task(_probe, self._engine.client)
            .on_success(self._beat)
            .on_failure(self._link_lost)
            .on_cancelled(self._probe_cancelled)
            .bound_to(self)
            .run_on(self._runner, Lane.NET)
        )

    def _beat(self, reachable: bool) -> None:
        self._probing = None
        if not self.started or self._run is not None:
            return
        if reachable:
            self._heartbeat.start(_ms(self.settings.heartbeat_s))
        else:
            self._link_lost(None)

    def _link_lost(self, exc: BaseException | None) -> None:
        self._probing = None
        if not self.started or self._run is not None:
            return
        if exc is not None:
            state, reason = classify(exc)
            if state is not State.OFFLINE:  # the central answered, in its way: not offline
                self._heartbeat.start(_ms(self.settings.heartbeat_s))
                return
        else:
            reason = "offline"
        log.info("the central stopped answering: %s", detail_of(exc) if exc else "unhealthy")
        self._publish(state=State.OFFLINE, reason=reason, detail=detail_of(exc) if exc else "")
        self._probe_delay = self.settings.probe_first_s
        self._schedule_probe()

    # --- the local counts -------------------------------------------------------------------

    def _refresh_facts(self) -> None:
        """Pending and attention counts and the last sync, from the database lane; one read
        at a time, and one more if asked for meanwhile. A failure goes to the runner's
        handler, which shows it: the database could not be read."""
        if not self.started:
            return
        if self._facts_task is not None and not self._facts_task.finished:
            self._facts_again = True
            return
        got = functools.partial(self._got_facts, self._syncs)
        self._facts_task = self._track(
            Task(_facts, self._db).on_success(got).bound_to(self).run_on(self._runner)
        )

    def _got_facts(self, syncs: int, facts: _Facts) -> None:
        if syncs == self._syncs:  # else a sync ended since the read, with newer counts
            self._publish(
                pending=facts.counts.pending,
                attention=facts.counts.attention,
                last_sync=facts.last_sync,
            )
        if self._facts_again:
            self._facts_again = False
            self._refresh_facts()

    # --- plumbing ---------------------------------------------------------------------------

    def _publish(self, **changes: Any) -> None:
        status = replace(self._status, **changes)
        if status != self._status:
            self._status = status
            self.status_changed.emit(status)

    def _track(self, handle: TaskHandle[Any]) -> TaskHandle[Any]:
        self._handles = {h for h in self._handles if not h.finished}
        if not handle.finished:  # a synchronous runner has delivered already
            self._handles.add(handle)
        return handle

    def _wait(self, timeout_s: float) -> bool:
        """Let this object's tasks end and their outcomes arrive, for ``timeout_s`` at most.
        Only the runner's delivery is processed meanwhile, never the user's input."""
        deadline = time.monotonic() + timeout_s
        while True:
            QCoreApplication.sendPostedEvents(self._runner, 0)
            left = [h for h in self._handles if not h.finished]
            if not left:
                self._handles.clear()
                return True
            if time.monotonic() > deadline:
                log.warning("background sync: %d tasks still running after stop()", len(left))
                return False
            time.sleep(0.01)


def _ms(seconds: float) -> int:
    return max(0, round(seconds * 1000))
