"""Importing a USB bundle (DESIGN.md §4 "Beyond the network", §5; the format:
sync.protocol.bundle).

:func:`import_bundle` takes an offline PC's outbox bundle and returns the receipt, signed by
the central's key (sync.central.central_key) and encrypted to the PC. A bundle reads and
writes only what the user who exported it could online on that PC:

1. The PC the header names must be registered here and not revoked; the file must be signed
   by the PC's registered key and open with the central's. Nothing else is read before.
2. The body's head names the **exporter** and carries the **signers**' signatures: the
   exporter's, and those of the other users whose ops it carries, each over the head (the
   bundle's id, PC, organization, time, exporter, cursors, and the count and SHA-256 of the
   op lines). Each must check with a live key of its user registered on this PC
   (central_user_key), and each signer must be an active user who may work on the PC. Then
   every op line is hashed and validated, one at a time, and must match the head. Only then
   is anything applied.
3. Each signer's ops are applied by :func:`sync.central.push.apply_batch`, the push's own
   code, as that signer on the bundle's PC, in batches bounded by count and bytes: the same
   rules, the same idempotency by ``op_id``, the same check of each op's own signature. An
   op whose author did not sign the bundle is refused on its own and not stored
   (``not_signer``), so a PC's credential and one password never act for anyone else, even
   before each op's signature is checked.
4. The receipt carries every result, then what the exporter could pull on that PC since the
   bundle's cursors, page by page through :func:`sync.central.pull.pull` (their scope; the
   cursors of other organizations are ignored), up to ``MAX_RECEIPT_CHANGES``.

Formats 1 and 2, from a PC that still has its old bundle key K here (it has not registered
its public keys): only the ops of the user who uploads the file (logged in online) are
applied, and the receipt (format 2, under K, which the PC's old program reads) holds the
results and no changes. Once the PC has registered its public keys, K is gone and such files
are refused.

Memory is bounded: the body is streamed (the head at most 1 MB, an op at most 256 KB and
20,000 JSON values), ops parsed a batch at a time, the receipt built a page at a time
(docs/BENCHMARKS.md has the measure).
"""

from __future__ import annotations

import hashlib
import itertools
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from app.domain import signing
from app.domain.ids import new_id, utcnow
from sync.central import auth
from sync.central.auth import Principal
from sync.central.db import CentralDB
from sync.central.models import CentralDevice, CentralUser, CentralUserKey
from sync.central.pull import pull
from sync.central.push import _stored_results, apply_batch
from sync.central.text import json_has_nul
from sync.protocol import MAX_OPS_PER_BATCH, ErrorCode, Op, OpResult, OpStatus, PullRequest
from sync.protocol import bundle as wire
from sync.protocol.bundle import (
    MAX_RECEIPT_CHANGES,
    BundleError,
    BundleKeys,
    BundleKind,
    OutboxBundle,
    OutboxHead,
    PublicKeys,
    ReceiptBundle,
)
from sync.protocol.v1 import MAX_PULL_LIMIT

log = logging.getLogger(__name__)

PAGE_BYTES = 1_000_000  # one page of the receipt's changes, as JSON
PAGE_CHANGES = 1000
BATCH_BYTES = 256 * 1024  # op lines parsed at a time (a real op is 1-20 KB)
MAX_LINE = max(wire.MAX_HEAD_BYTES, wire.MAX_OP_BYTES)


class BundleRefused(Exception):
    """The bundle is not imported; nothing was stored. ``code`` (an ErrorCode value),
    ``message`` (English) and the HTTP ``status`` the upload route answers with."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def _bad(message: str) -> BundleRefused:
    return BundleRefused(ErrorCode.BAD_BUNDLE, message)


@dataclass(frozen=True)
class _Device:
    id: str
    org_id: str
    keys: PublicKeys | None
    legacy_key: bytes | None = field(repr=False)


@dataclass(frozen=True)
class Imported:
    """What an import did, for the operator."""

    receipt: bytes = field(repr=False)
    device_id: str
    ops: int
    applied: int
    conflict: int
    rejected: int
    changes: int


def import_bundle(
    db: CentralDB, data: bytes, keys: BundleKeys, uploader: Principal | None = None
) -> bytes:
    """The receipt of an outbox bundle (see the module doc); :class:`BundleRefused` when
    the bundle cannot be taken. ``keys``: the central's own. ``uploader``: the user of a
    connected PC who sent it, whose scope must include the bundle's organization."""
    return import_bundle_report(db, data, keys, uploader).receipt


def import_bundle_report(
    db: CentralDB, data: bytes, keys: BundleKeys, uploader: Principal | None = None
) -> Imported:
    try:
        sealed = wire.read(data)
    except BundleError as exc:
        raise _bad(exc.message) from None
    if sealed.kind is not BundleKind.OUTBOX:
        raise _bad(
            "this is a receipt: it goes back to the PC it was made for (localhr bundle import "
            "there), not to the central"
        )
    device = _device(db, sealed.device_id)
    if uploader is not None and device.org_id not in uploader.user.scope:
        raise BundleRefused(
            ErrorCode.FORBIDDEN,
            "the bundle comes from a PC of an organization outside your scope",
            403,
        )
    try:
        if sealed.legacy:
            return _import_legacy(db, device, sealed, uploader)
        return _import(db, device, sealed, keys)
    except BundleError as exc:
        raise _bad(exc.message) from None


def _device(db: CentralDB, device_id: str) -> _Device:
    with db.reading() as session:
        row = session.get(CentralDevice, device_id)
        found = None if row is None else (
            row.id, row.org_id, row.revoked_at, row.signing_key, row.encryption_key,
            row.bundle_key,
        )  # fmt: skip
    if found is None:
        raise BundleRefused(
            ErrorCode.DEVICE_UNKNOWN, "the bundle comes from a PC the central does not know"
        )
    device_id, org_id, revoked_at, signing_key, encryption_key, legacy = found
    if revoked_at is not None:
        raise BundleRefused(
            ErrorCode.DEVICE_REVOKED,
            "the bundle comes from a PC whose registration was revoked",
            403,
        )
    keys = None
    if signing_key and encryption_key:
        keys = PublicKeys.from_hex(signing_key, encryption_key)
    return _Device(device_id, org_id, keys, bytes.fromhex(legacy) if legacy else None)


# --- format 3 ---------------------------------------------------------------------------------


def _import(db: CentralDB, device: _Device, sealed: wire.Sealed, keys: BundleKeys) -> Imported:
    if device.keys is None:
        raise _bad(
            "the PC that made this bundle has not registered its bundle keys with the central: "
            "connect it to the central once (localhr bundle export does it), then export again"
        )
    frame = sealed.open(device.keys, keys)
    lines = wire.lines(frame, MAX_LINE)
    head = wire.parse(OutboxHead, _checked(next(lines, b"")))
    if head.device_id != sealed.device_id:
        raise _bad("the bundle's content names another PC than its header")
    if head.org_id != device.org_id:
        raise _bad("the bundle names another organization")
    signers = _signers(db, device, head)
    _check_ops(head, lines)  # all of them, before anything is applied
    results = _Results()
    _apply(db, signers, _ops(wire.lines(frame, MAX_LINE)), results)
    pieces, counted = _receipt_body(db, signers[head.exported_by], head, results)
    receipt = wire.seal(BundleKind.RECEIPT, device.id, pieces, keys, device.keys)
    return _report(receipt, device.id, head.bundle_id, results, counted[0])


def _checked(line: bytes) -> bytes:
    if json_has_nul(line):
        raise BundleError("corrupt", "text in the bundle contains NUL characters (U+0000)")
    return line


def _signers(db: CentralDB, device: _Device, head: OutboxHead) -> dict[str, Principal]:
    """The users who signed the bundle, at work on its PC (user id → principal); the
    bundle is refused unless the exporter is one of them and every signature checks with a
    live key of its user registered on this PC."""
    if head.exported_by not in head.signatures:
        raise _bad("the bundle is not signed by the user who exported it: it is refused")
    value = head.signed_value()
    found: dict[str, Principal] = {}
    for user_id, signature in head.signatures.items():
        kid = signing.signature_key_id(signature)
        with db.reading() as session:
            row = session.get(CentralUser, user_id)
            user = None if row is None else auth.user_entity(row)
            key = session.get(CentralUserKey, kid) if kid else None
            held = (
                None
                if key is None
                else (key.user_id, key.device_id, key.public_key, key.revoked_at)
            )
        if user is None or held is None or held[0] != user.id or held[1] != device.id:
            raise _bad(
                "the bundle is not signed by the users it names with keys of theirs registered "
                "on this PC: it is refused"
            )
        if held[3] is not None:
            raise _bad("a key the bundle is signed with was revoked: it is refused")
        if not signing.verify(bytes.fromhex(held[2]), wire.EXPORT_CONTEXT, value, signature):
            raise _bad("a signature of the bundle does not check: it is refused")
        if not user.active:
            raise BundleRefused(
                ErrorCode.FORBIDDEN, f"the account of a signer ({user.username}) is disabled", 403
            )
        if device.org_id not in user.scope:
            raise BundleRefused(
                ErrorCode.FORBIDDEN,
                f"a signer ({user.username}) may not work on a PC of this organization",
                403,
            )
        found[user_id] = Principal(user=user, device_id=device.id, device_org_id=device.org_id)
    return found


def _check_ops(head: OutboxHead, lines: Iterator[bytes]) -> None:
    """Every op line valid, as many as the head says, hashing to what the exporter signed."""
    digest = hashlib.sha256()
    count = 0
    for line in lines:
        count += 1
        if count > head.ops:
            break
        if len(line) > wire.MAX_OP_BYTES:
            raise _bad(f"an op of the bundle is over {wire.MAX_OP_BYTES} bytes: it is refused")
        if wire.json_values(line) > wire.MAX_OP_VALUES:
            raise _bad("an op of the bundle holds more values than any op can: it is refused")
        digest.update(line)
        wire.parse(Op, _checked(line))
    if count != head.ops or digest.hexdigest() != head.ops_sha256:
        raise _bad("the bundle's ops are not those its exporter signed: it is refused")


def _ops(lines: Iterator[bytes]) -> Iterator[tuple[Op, int]]:
    """The ops (checked by _check_ops already) with the size of their lines."""
    next(lines)  # the head
    for line in lines:
        yield Op.model_validate_json(line), len(line)


def _batches(ops: Iterator[tuple[Op, int]]) -> Iterator[list[Op]]:
    """Ops in order, at most a push batch and about BATCH_BYTES of lines at a time."""
    batch: list[Op] = []
    size = 0
    for op, length in ops:
        batch.append(op)
        size += length
        if len(batch) >= MAX_OPS_PER_BATCH or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


class _Results:
    """The ops' results in order, kept as their JSON (20,000 models would take tens of MB),
    with a count by status."""

    def __init__(self) -> None:
        self.json: list[bytes] = []
        self.counts = dict.fromkeys(OpStatus, 0)

    def add(self, results: list[OpResult]) -> None:
        for r in results:
            self.json.append(r.model_dump_json().encode())
            self.counts[r.status] += 1


def _apply(
    db: CentralDB, signers: dict[str, Principal], ops: Iterator[tuple[Op, int]], out: _Results
) -> None:
    """Each signer's ops through the push as that signer; those of anyone else refused,
    not stored."""
    for batch in _batches(ops):
        for author, group in itertools.groupby(batch, key=lambda op: op.author):
            run = list(group)
            who = signers.get(author)
            out.add(apply_batch(db, who, run) if who is not None else _refused(db, run))


_NOT_SIGNER = OpResult(
    op_id="-",
    status=OpStatus.REJECTED,
    code="not_signer",
    message="the op's author did not sign the bundle: it goes in a bundle they sign, or online",
)


def _refused(db: CentralDB, ops: list[Op], refusal: OpResult = _NOT_SIGNER) -> list[OpResult]:
    """Ops the bundle may not carry: an op the central answered before (sent by its author)
    keeps its answer; the others are refused and not stored, so their author may still
    send them."""
    with db.reading() as session:
        stored = _stored_results(session, [op.op_id for op in ops])
    return [stored.get(op.op_id) or refusal.model_copy(update={"op_id": op.op_id}) for op in ops]


# --- the receipt ------------------------------------------------------------------------------


def _receipt_body(
    db: CentralDB, exporter: Principal, head: OutboxHead, results: _Results
) -> tuple[Iterator[bytes], list[int]]:
    """The receipt's JSON in pieces (a page of changes each) and, once they are all taken,
    how many changes it holds (``counted[0]``)."""
    counted = [0]
    cursors = {org: head.cursors.get(org, 0) for org in exporter.user.scope}

    def pieces() -> Iterator[bytes]:
        nonlocal cursors
        start = ReceiptBundle(
            bundle_id=new_id(), answers=head.bundle_id, device_id=exporter.device_id,
            org_id=exporter.device_org_id, created_at=utcnow(), results=[],
        ).model_dump_json(exclude={"changes", "cursors", "more"})  # fmt: skip
        assert start.endswith('"results":[]}')
        yield start[: -len("[]}")].encode() + b"["
        for i in range(0, len(results.json), 1000):
            yield (b"," if i else b"") + b",".join(results.json[i : i + 1000])
        yield b'],"changes":['
        more = False
        while counted[0] < MAX_RECEIPT_CHANGES:
            room = min(MAX_PULL_LIMIT, PAGE_CHANGES, MAX_RECEIPT_CHANGES - counted[0])
            page = pull(
                db, exporter, PullRequest(cursors=cursors, limit=room, max_bytes=PAGE_BYTES)
            )
            if page.changes:
                sep = b"," if counted[0] else b""
                yield sep + b",".join(c.model_dump_json().encode() for c in page.changes)
            counted[0] += len(page.changes)
            cursors, more = dict(page.cursors), page.more
            if not more:
                break
        tail = ReceiptBundle.model_validate(
            {**_EMPTY, "cursors": cursors, "more": more}
        ).model_dump_json(include={"cursors", "more"})
        yield b"]," + tail[1:].encode()

    return pieces(), counted


_EMPTY = {
    "bundle_id": "-", "answers": "-", "device_id": "-", "org_id": "-",
    "created_at": "2000-01-01T00:00:00Z", "results": [],
}  # fmt: skip


def _report(
    receipt: bytes, device_id: str, bundle_id: str, results: _Results, changes: int
) -> Imported:
    by_status = results.counts
    log.info(
        "bundle %s of device %s: %d ops (%d applied), %d changes back",
        bundle_id, device_id, len(results.json), by_status[OpStatus.APPLIED], changes,
    )  # fmt: skip
    return Imported(
        receipt, device_id, len(results.json), by_status[OpStatus.APPLIED],
        by_status[OpStatus.CONFLICT], by_status[OpStatus.REJECTED], changes,
    )  # fmt: skip


# --- formats 1 and 2 --------------------------------------------------------------------------


_UNPROVEN = OpResult(
    op_id="-",
    status=OpStatus.REJECTED,
    code="unproven_author",
    message="the bundle was made before bundles were signed by their users: only the ops of "
    "the user who uploads it, logged in, are taken; its other users send theirs online",
)


def _import_legacy(
    db: CentralDB, device: _Device, sealed: wire.Sealed, uploader: Principal | None
) -> Imported:
    if device.legacy_key is None:
        if device.keys is not None:
            raise _bad(
                "this bundle is in an old format (before bundles were signed with the PC's own "
                "key), and its PC has been upgraded since: export it again there"
            )
        raise _bad(
            "the PC that made this bundle was registered before bundles existed: register "
            "this PC again to use bundles"
        )
    raw = wire.inflate(sealed.open_legacy(device.legacy_key), wire.MAX_LEGACY_BYTES)
    bundle = wire.parse(OutboxBundle, _checked(raw))
    del raw
    if bundle.device_id != sealed.device_id:
        raise _bad("the bundle's content names another PC than its header")
    if bundle.org_id != device.org_id:
        raise _bad("the bundle names another organization")
    me = None if uploader is None else uploader.user.id
    on_pc = None
    if uploader is not None:
        on_pc = Principal(user=uploader.user, device_id=device.id, device_org_id=device.org_id)
    results: list[OpResult] = []
    for i in range(0, len(bundle.ops), MAX_OPS_PER_BATCH):
        batch = bundle.ops[i : i + MAX_OPS_PER_BATCH]
        for mine, group in itertools.groupby(batch, key=lambda op: op.author == me):
            run = list(group)
            if mine and on_pc is not None:
                results += apply_batch(db, on_pc, run)
            else:
                results += _refused(db, run, _UNPROVEN)
    receipt = ReceiptBundle(
        bundle_id=new_id(), answers=bundle.bundle_id, device_id=device.id,
        org_id=device.org_id, created_at=utcnow(), results=results,
    )  # fmt: skip
    counted = _Results()
    counted.add(results)
    return _report(
        wire.seal_legacy(receipt, device.legacy_key), device.id, bundle.bundle_id, counted, 0
    )
