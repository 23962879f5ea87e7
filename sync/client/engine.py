"""The sync engine: push the outbox, then pull the central's changes (DESIGN.md §4).

A cycle is **push, then pull**:

- **Push** sends the unanswered ops in the order they were made, in batches of one author
  (each batch is sent with that author's token). An op is marked *sent* before it leaves,
  and each batch's answers are committed before the next batch goes; a cycle cut anywhere
  leaves sent ops unanswered, and they are simply sent again (the central answers a re-sent
  op with the result it stored). Rejected ops are set aside for the user and never block the
  rest. Ops of an author with no usable token wait, and so do later ops on the same entity:
  the order of one record's ops is never changed.
- **Signatures** (DESIGN.md §5): an op goes only signed by its author's key on this PC
  (:mod:`app.services.user_keys`), whose public half the engine registers with the central
  over the author's session before their first batch. An op not signed so (made before
  the upgrade, or before the author's key was made or replaced) waits, like an author with
  no token, for its author's next login to sign it. An op the central refuses for its
  signature is kept and sent again, and the key is registered again first: a revoked key
  is forgotten here, so the author's next login makes a new one.
- **Pull** asks for pages of changes since this PC's cursors and applies each page with its
  cursors in one local transaction (:mod:`app.services.replica`).

Batches and pages are sized to the measured link (:class:`Link`): one exchange should take
about ``target_s`` seconds, so progress moves on a 64 kbit/s line and a loopback sync is not
cut into thousands of tiny requests.

The engine runs on a worker thread. It gets plain inputs (:class:`Credentials`, prepared
where the keyring may be touched), reports through a thread-safe :class:`Progress`, and
stops with :class:`Cancelled` at the next exchange after a :class:`CancelToken` is set.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol

import pydantic

from app.domain.codec import to_wire
from app.domain.signing import signature_key_id
from app.services import outbox, replica, user_keys
from app.services.context import signer
from app.store.db import Database
from sync.client.collector import collector_paused
from sync.client.credentials import DeviceCredential
from sync.client.errors import AuthFailed, BadRequest, BodyTooLarge, Forbidden, ServerError
from sync.client.transport import CentralClient
from sync.client.wire import Exchange, problems
from sync.protocol import MAX_OPS_PER_BATCH, Op, PullRequest, PullResponse, seal
from sync.protocol.v1 import MAX_PULL_LIMIT

KIB, MIB = 1024, 1024 * 1024
log = logging.getLogger(__name__)
# The central will never take this key again: the author's next login makes a new one.
KEY_GONE = frozenset({"key_revoked", "key_taken"})


class Cancelled(Exception):
    """The sync was cancelled; what was answered is kept, the rest goes next time."""


class Cancellation(Protocol):
    """Anything whose ``check()`` raises once the work is to stop (the UI's task progress
    does, with its own exception)."""

    def check(self) -> None: ...


class CancelToken:
    """A :class:`Cancellation` for code outside the UI: ``cancel()`` from any thread."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled("the sync was cancelled")


@dataclass(frozen=True)
class Credentials:
    """What a cycle may use, read from the credential store before it starts: this PC's
    device credential and the tokens of the users logged in here (user id → token)."""

    device: DeviceCredential
    tokens: Mapping[str, str] = field(default_factory=dict)
    pull_as: str | None = None  # whose scope to pull; None: the first user with a token

    def puller(self) -> str | None:
        if self.pull_as in self.tokens:
            return self.pull_as
        return next(iter(self.tokens), None)


@dataclass(frozen=True)
class ProgressView:
    phase: str  # idle | push | pull | done
    ops_done: int
    ops_total: int
    rows_pulled: int
    bytes_sent: int
    bytes_received: int
    bytes_total: int  # bytes the push is expected to send (an estimate), for a progress bar


class Progress:
    """Updated by the worker, read by the UI's timer (:meth:`view`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._view = ProgressView("idle", 0, 0, 0, 0, 0, 0)

    def view(self) -> ProgressView:
        with self._lock:
            return self._view

    def update(self, **changes: int | str) -> None:
        with self._lock:
            self._view = replace(self._view, **changes)  # type: ignore[arg-type]

    def add(self, **amounts: int) -> None:
        with self._lock:
            v = self._view
            self._view = replace(v, **{k: getattr(v, k) + n for k, n in amounts.items()})


@dataclass(frozen=True)
class SyncReport:
    applied: int = 0
    conflict: int = 0
    rejected: int = 0
    retry: int = 0  # the central failed on them: sent again next cycle
    waiting_authors: frozenset[str] = frozenset()  # user ids whose ops wait for a login
    pulled: int = 0  # rows received
    deferred: int = 0  # rows waiting for a local op's answer or a parent row
    batches: int = 0
    pages: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    elapsed_s: float = 0.0
    pulled_tables: frozenset[str] = frozenset()


class Link:
    """The link as measured by the exchanges so far: round-trip time and throughput.

    ``rtt`` is the fastest exchange seen (small requests tell it best); throughput is the
    bytes of an exchange over the time it took beyond that. Until something is measured the
    link is taken to be slow, so a first batch on a 2G line is small; it grows as soon as
    the line proves faster.
    """

    def __init__(self, target_s: float = 4.0, start_bytes: int = 16 * KIB):
        self.target_s = target_s
        self.rtt: float | None = None
        self.bytes_per_s: float | None = None
        self.start_bytes = start_bytes
        self.ratio = {"push": 0.35, "pull": 0.2}  # wire bytes / raw bytes, as last seen

    def observe(self, kind: str, exchange: Exchange | None) -> None:
        if exchange is None or exchange.status is None:
            return
        elapsed = max(exchange.elapsed_s, 1e-4)
        self.rtt = elapsed if self.rtt is None else min(self.rtt, elapsed)
        wire = exchange.wire_bytes
        if wire >= 4 * KIB:  # too small to say anything of the bandwidth
            rate = wire / max(elapsed - self.rtt, elapsed / 10)
            self.bytes_per_s = rate if self.bytes_per_s is None else 0.5 * (self.bytes_per_s + rate)
        raw = exchange.request_raw_bytes if kind == "push" else exchange.response_raw_bytes
        sent = exchange.request_bytes if kind == "push" else exchange.response_bytes
        if raw >= KIB:
            self.ratio[kind] = max(sent / raw, 0.01)

    def raw_budget(self, kind: str) -> int:
        """How many raw (uncompressed) body bytes one exchange should carry."""
        if self.bytes_per_s is None:
            wire = self.start_bytes
        else:
            wire = int(self.bytes_per_s * self.target_s)
        return max(int(wire / self.ratio[kind]), 4 * KIB)


class SyncEngine:
    """Push then pull for one local database and one central (see the module doc)."""

    def __init__(
        self,
        db: Database,
        client: CentralClient,
        *,
        link: Link | None = None,
        max_ops: int = MAX_OPS_PER_BATCH,
        max_body_bytes: int = 4 * MIB,
        max_page_bytes: int = 16 * MIB,
    ):
        self.db = db
        self.client = client
        self.link = link or Link()
        self.max_ops = max_ops
        self.max_body_bytes = max_body_bytes
        self.max_page_bytes = max_page_bytes

    def sync(
        self,
        credentials: Credentials,
        cancel: Cancellation | None = None,
        progress: Progress | None = None,
    ) -> SyncReport:
        started = time.monotonic()
        cancel = cancel if cancel is not None else CancelToken()
        progress = progress or Progress()
        report = self.push(credentials, cancel, progress)
        report = self.pull(credentials, cancel, progress, report)
        progress.update(phase="done")
        return replace(report, elapsed_s=time.monotonic() - started)

    # --- push --------------------------------------------------------------------------

    def push(
        self, credentials: Credentials, cancel: Cancellation, progress: Progress
    ) -> SyncReport:
        queue = outbox.unanswered(self.db)
        sizes = {op.op_id: _size(op) for op in queue}
        ratio = self.link.ratio["push"]
        progress.update(
            phase="push", ops_done=0, ops_total=len(queue),
            bytes_total=int(sum(sizes.values()) * ratio),
        )  # fmt: skip
        report = SyncReport()
        blocked: set[str] = set()  # entities with an op that cannot go in this cycle
        waiting: set[str] = set()  # authors without a usable token or signed op
        keys = user_keys.keys(self.db)
        device = credentials.device
        for user_id, key in list(keys.items()):  # a key made at a login: registered now
            if not key.registered and user_id in credentials.tokens:
                self._registered(keys, user_id, device, credentials.tokens[user_id])
        while queue:
            cancel.check()
            author = queue[0].author
            token = credentials.tokens.get(author)
            if (
                token is None
                or author in waiting
                or not _signed(queue[0], keys.get(author), device.device_id)
                or not self._registered(keys, author, device, token)
            ):
                waiting.add(author)
                blocked.update(op.entity_id for op in queue if op.author == author)
                kept = [op for op in queue if op.author != author and op.entity_id not in blocked]
                progress.add(ops_total=len(kept) - len(queue))
                queue = kept
                continue
            batch = self._batch(queue, author, sizes, keys[author], device.device_id)
            try:
                report = self._send(credentials.device, token, batch, report, progress)
            except BodyTooLarge:
                if len(batch) > 1:
                    self.max_ops = max(1, len(batch) // 2)
                    continue
                report = self._too_large(batch[0], report, progress)
            except AuthFailed as exc:
                if exc.device_problem:
                    raise
                waiting.add(author)  # the token expired or was revoked: log in again
                continue
            sent = {op.op_id for op in batch}
            queue = [op for op in queue if op.op_id not in sent]
        if report.batches:
            report = replace(report, deferred=replica.waiting(self.db))
        return replace(report, waiting_authors=frozenset(waiting))

    def _registered(
        self, keys: dict[str, user_keys.LocalKey], author: str, device: DeviceCredential, token: str
    ) -> bool:
        """The author's key is registered with the central (now, if it was not yet); False
        when the central refuses it (revoked: forgotten here, the next login makes a new one)
        or the author's session is over."""
        key = keys[author]
        if key.registered:
            return True
        self.client.resume(device, token)
        try:
            self.client.register_key(key.public_key)
        except AuthFailed as exc:
            if exc.device_problem:
                raise
            return False
        except (BadRequest, Forbidden) as exc:
            log.warning("the central refused the signing key of %s: %s", author, exc)
            if exc.code in KEY_GONE:
                user_keys.forget(self.db, author, key.key_id)
                del keys[author]
            return False
        user_keys.mark_registered(self.db, author, key.key_id)
        keys[author] = replace(key, registered=True)
        return True

    def _batch(
        self,
        queue: list[outbox.QueuedOp],
        author: str,
        sizes: dict[str, int],
        key: user_keys.LocalKey,
        device_id: str,
    ) -> list[outbox.QueuedOp]:
        budget = min(self.link.raw_budget("push"), self.max_body_bytes)
        batch: list[outbox.QueuedOp] = []
        total = 0
        for op in queue:
            if op.author != author or len(batch) >= self.max_ops:
                break
            if not _signed(op, key, device_id):
                break
            if batch and total + sizes[op.op_id] > budget:
                break
            batch.append(op)
            total += sizes[op.op_id]
        return batch

    def _send(
        self,
        device: DeviceCredential,
        token: str,
        batch: list[outbox.QueuedOp],
        report: SyncReport,
        progress: Progress,
    ) -> SyncReport:
        ops, malformed = [], []
        for op in batch:
            try:
                ops.append(Op.model_validate(op.wire()))
            except pydantic.ValidationError as exc:
                malformed.append((op, exc))
        if malformed:  # set aside, as the central would: never a queue blocked for good
            report = self._malformed(malformed, report, progress)
            if not ops:
                return report
        outbox.mark_sent(self.db, (op.op_id for op in ops))
        self.client.resume(device, token)
        try:
            answer = self.client.push(ops, self._seal(device, ops))
        finally:
            self.link.observe("push", self.client.last_exchange)
        if [r.op_id for r in answer.results] != [op.op_id for op in ops]:
            raise ServerError("bad_answer", "the central answered for other ops than were sent")
        recorded = outbox.record_results(
            self.db, (r.model_dump(mode="json") for r in answer.results)
        )
        if any(r.code in outbox.SIGNATURE_CODES for r in answer.results):
            # the central no longer takes the key (revoked there): check it again next time
            user_keys.mark_unregistered(self.db, batch[0].author)
        exchange = self.client.last_exchange
        sent_bytes = exchange.request_bytes if exchange else 0
        received = exchange.response_bytes if exchange else 0
        progress.add(ops_done=len(ops), bytes_sent=sent_bytes, bytes_received=received)
        return replace(
            report,
            applied=report.applied + recorded.applied,
            conflict=report.conflict + recorded.conflict,
            rejected=report.rejected + recorded.rejected,
            retry=report.retry + recorded.retry,
            batches=report.batches + 1,
            bytes_sent=report.bytes_sent + sent_bytes,
            bytes_received=report.bytes_received + received,
        )

    def _seal(self, device: DeviceCredential, ops: list[Op]) -> str | None:
        """The push seal of ``ops`` (one author's) when that author is the user logged in
        here: the central then checks one signature for the batch, not one per op. An
        author who has left sends without one; each op's own signature is checked then."""
        key = signer(self.db).key_for(ops[0].author) if ops else None
        if key is None:
            return None
        return seal(key, device.device_id, ops)

    def _malformed(
        self,
        ops: list[tuple[outbox.QueuedOp, pydantic.ValidationError]],
        report: SyncReport,
        progress: Progress,
    ) -> SyncReport:
        """Ops this PC cannot put on the wire (the protocol's limits): refused here."""
        outbox.record_results(self.db, [{
            "op_id": op.op_id, "status": "rejected", "code": "bad_payload",
            "message": f"this change cannot be sent as it is: {problems(exc, 3)}",
        } for op, exc in ops])  # fmt: skip
        progress.add(ops_done=len(ops))
        return replace(report, rejected=report.rejected + len(ops))

    def _too_large(self, op: outbox.QueuedOp, report: SyncReport, progress: Progress) -> SyncReport:
        """One op alone is over the central's body limit: it can never go; say so."""
        outbox.record_results(self.db, [{
            "op_id": op.op_id, "status": "rejected", "code": "body_too_large",
            "message": "this change is larger than the central accepts in one request",
        }])  # fmt: skip
        progress.add(ops_done=1)
        return replace(report, rejected=report.rejected + 1)

    # --- pull --------------------------------------------------------------------------

    def pull(
        self,
        credentials: Credentials,
        cancel: Cancellation,
        progress: Progress,
        report: SyncReport | None = None,
    ) -> SyncReport:
        report = report or SyncReport()
        user = credentials.puller()
        if user is None:
            return report
        progress.update(phase="pull")
        waiting = outbox.counts(self.db).pending
        self.client.status = self.client.status.model_copy(update={"ops_waiting": waiting})
        self.client.resume(credentials.device, credentials.tokens[user])
        tables: set[str] = set(report.pulled_tables)
        with collector_paused(), _PageFetcher(self, replica.cursors(self.db)) as pages:
            while True:
                cancel.check()
                try:
                    page, prepared, exchange = pages.next()
                except AuthFailed as exc:
                    if exc.device_problem:
                        raise
                    # the user at the PC must log in again; what was pushed stays pushed
                    return replace(report, waiting_authors=report.waiting_authors | {user})
                applied = replica.apply_page(self.db, prepared, page.cursors)
                tables |= applied.tables
                received = exchange.response_bytes if exchange else 0
                sent = exchange.request_bytes if exchange else 0
                progress.add(
                    rows_pulled=len(page.changes), bytes_received=received, bytes_sent=sent
                )
                report = replace(
                    report,
                    pulled=report.pulled + len(page.changes),
                    deferred=applied.deferred + report.deferred,
                    pages=report.pages + 1,
                    bytes_sent=report.bytes_sent + sent,
                    bytes_received=report.bytes_received + received,
                    pulled_tables=frozenset(tables),
                )
                if not page.more:
                    return report

    def _page_request(self, cursors: dict[str, int]) -> PullRequest:
        budget = min(max(self.link.raw_budget("pull"), 16 * KIB), self.max_page_bytes)
        return PullRequest(cursors=cursors, limit=MAX_PULL_LIMIT, max_bytes=max(budget, KIB))


_Fetched = tuple[
    PullResponse | None, "replica.Prepared | None", Exchange | None, BaseException | None
]


class _PageFetcher:
    """Fetches the next page while the last one is applied: the central serves (another
    process, another core) while this PC writes. One page ahead at most; the cursors of a
    request are those of the page before it, which are what applying that page stores."""

    def __init__(self, engine: SyncEngine, cursors: dict[str, int]):
        self._engine = engine
        self._cursors = cursors
        self._pages: queue.Queue[_Fetched] = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sync-pull", daemon=True)

    def __enter__(self) -> _PageFetcher:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        with contextlib.suppress(queue.Empty):
            self._pages.get_nowait()  # unblock a fetcher waiting to hand over a page
        self._thread.join()

    def next(self) -> tuple[PullResponse, replica.Prepared, Exchange | None]:
        page, prepared, exchange, error = self._pages.get()
        if error is not None:
            raise error
        assert page is not None and prepared is not None
        return page, prepared, exchange

    def _run(self) -> None:
        engine, cursors = self._engine, self._cursors
        while not self._stop.is_set():
            try:
                page = engine.client.pull(engine._page_request(cursors))
                exchange = engine.client.last_exchange
                engine.link.observe("pull", exchange)
                # the rows' stored values, worked out while the last page is being written
                prepared = replica.prepare(page.changes)
            except BaseException as exc:  # handed to the applying thread, which raises it
                engine.link.observe("pull", engine.client.last_exchange)
                self._put((None, None, None, exc))
                return
            self._put((page, prepared, exchange, None))
            if not page.more:
                return
            cursors = dict(page.cursors)

    def _put(self, item: _Fetched) -> None:
        while not self._stop.is_set():
            try:
                self._pages.put(item, timeout=0.1)
                return
            except queue.Full:
                continue


def _signed(op: outbox.QueuedOp, key: user_keys.LocalKey | None, device_id: str) -> bool:
    """The op is signed by its author's key on this PC, for this PC's id."""
    return (
        key is not None
        and op.device_id == device_id
        and signature_key_id(op.signature) == key.key_id
    )


def _size(op: outbox.QueuedOp) -> int:
    return len(json.dumps(to_wire(op.wire()), ensure_ascii=False, default=str)) + 8


__all__ = [
    "CancelToken",
    "Cancelled",
    "Credentials",
    "Link",
    "Progress",
    "ProgressView",
    "SyncEngine",
    "SyncReport",
]
