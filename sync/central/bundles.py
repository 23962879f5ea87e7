"""Importing a USB bundle (DESIGN.md §4 "Beyond the network"; the format: sync.protocol.bundle).

:func:`import_bundle` takes an offline PC's outbox bundle and returns the signed receipt:

1. The PC the header names must be registered here, not revoked, and have a bundle key
   (PCs registered before bundles existed have none and must be registered again); the
   signature is checked with that key before anything else is read.
2. The ops are applied by :func:`sync.central.push.apply_batch`, the push's own code, with
   the same rules and the same idempotency by ``op_id``: each run of consecutive ops of one
   author is applied as that author on the bundle's PC, in batches of at most
   ``MAX_OPS_PER_BATCH``. The author must be an active user of the central who may work on
   that PC (the PC's organization is in their scope), as a push's token proves; an op of
   any other author is refused on its own, not stored (as a push of such a user is refused),
   so the others go through. What the op itself may do (its organization in the author's
   scope, the op made on the bundle's PC, role and state machine) is push's to check.
3. The receipt carries every result and then the changes since the bundle's cursors (up to
   ``MAX_RECEIPT_CHANGES``; the next trip brings the rest) with the new cursors: the
   offline PC gets the central's answers and what others approved by the same trip. Its
   scope is what the PC could pull over the network: the organizations its cursors follow
   (a pull gives cursors for the puller's whole scope) that some active user who may work
   on the PC covers, plus the PC's own organization.

Importing a bundle again changes nothing: every op gets its stored result, and the receipt
holds the same results (and whatever changed since, which a pull would bring too).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select

from app.domain.ids import new_id, utcnow
from sync.central import auth
from sync.central.auth import Principal
from sync.central.db import CentralDB
from sync.central.models import CentralDevice, CentralUser
from sync.central.pull import pull_orgs
from sync.central.push import _stored_results, apply_batch
from sync.central.text import json_has_nul
from sync.protocol import MAX_OPS_PER_BATCH, ErrorCode, Op, OpResult, OpStatus, PullRequest
from sync.protocol import bundle as wire
from sync.protocol.bundle import (
    MAX_RECEIPT_CHANGES,
    BundleError,
    BundleKind,
    OutboxBundle,
    ReceiptBundle,
)
from sync.protocol.v1 import MAX_PULL_LIMIT

log = logging.getLogger(__name__)

PAGE_BYTES = 16_000_000


class BundleRefused(Exception):
    """The bundle is not imported; nothing was stored. ``code`` (an ErrorCode value),
    ``message`` (English) and the HTTP ``status`` the upload route answers with."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


@dataclass(frozen=True)
class _Device:
    id: str
    org_id: str
    key: bytes = field(repr=False)


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


def import_bundle(db: CentralDB, data: bytes, uploader: Principal | None = None) -> bytes:
    """The signed receipt of an outbox bundle (see the module doc); :class:`BundleRefused`
    when the bundle cannot be taken. ``uploader``: the user of a connected PC who sent it,
    whose scope must include the bundle's organization."""
    return import_bundle_report(db, data, uploader).receipt


def import_bundle_report(db: CentralDB, data: bytes, uploader: Principal | None = None) -> Imported:
    try:
        sealed = wire.read(data)
    except BundleError as exc:
        raise BundleRefused(ErrorCode.BAD_BUNDLE, exc.message) from None
    if sealed.kind is not BundleKind.OUTBOX:
        raise BundleRefused(
            ErrorCode.BAD_BUNDLE,
            "this is a receipt: it goes back to the PC it was made for (localhr bundle import "
            "there), not to the central",
        )
    device = _device(db, sealed.device_id)
    if uploader is not None and device.org_id not in uploader.user.scope:
        raise BundleRefused(
            ErrorCode.FORBIDDEN,
            "the bundle comes from a PC of an organization outside your scope",
            403,
        )
    try:
        bundle = wire.load(sealed, device.key, check=_check_text)
    except BundleError as exc:
        raise BundleRefused(ErrorCode.BAD_BUNDLE, exc.message) from None
    assert isinstance(bundle, OutboxBundle)
    if bundle.org_id != device.org_id:
        raise BundleRefused(ErrorCode.BAD_BUNDLE, "the bundle names another organization")
    results = _apply(db, device, bundle.ops)
    changes, cursors, more = _changes(db, device, bundle.cursors)
    receipt = ReceiptBundle(
        bundle_id=new_id(),
        answers=bundle.bundle_id,
        device_id=device.id,
        org_id=device.org_id,
        created_at=utcnow(),
        results=results,
        changes=changes,
        cursors=cursors,
        more=more,
    )
    by_status = {s: sum(r.status is s for r in results) for s in OpStatus}
    log.info(
        "bundle %s of device %s: %d ops (%d applied), %d changes back",
        bundle.bundle_id, device.id, len(results), by_status[OpStatus.APPLIED], len(changes),
    )  # fmt: skip
    return Imported(
        wire.seal(receipt, device.key),
        device.id,
        len(results),
        by_status[OpStatus.APPLIED],
        by_status[OpStatus.CONFLICT],
        by_status[OpStatus.REJECTED],
        len(changes),
    )


def _check_text(raw: bytes) -> None:
    if json_has_nul(raw):
        raise BundleError("corrupt", "text in the bundle contains NUL characters (U+0000)")


def _device(db: CentralDB, device_id: str) -> _Device:
    with db.reading() as session:
        row = session.get(CentralDevice, device_id)
        found = None if row is None else (row.id, row.org_id, row.revoked_at, row.bundle_key)
    if found is None:
        raise BundleRefused(
            ErrorCode.DEVICE_UNKNOWN, "the bundle comes from a PC the central does not know"
        )
    device_id, org_id, revoked_at, key = found
    if revoked_at is not None:
        raise BundleRefused(
            ErrorCode.DEVICE_REVOKED,
            "the bundle comes from a PC whose registration was revoked",
            403,
        )
    if not key:
        raise BundleRefused(
            ErrorCode.BAD_BUNDLE,
            "the PC that made this bundle was registered before bundles existed: register "
            "this PC again to use bundles",
        )
    return _Device(device_id, org_id, bytes.fromhex(key))


# --- the ops ---------------------------------------------------------------------------------


def _runs(ops: list[Op]) -> Iterator[tuple[str, list[Op]]]:
    """Consecutive ops of one author, at most a push batch at a time, in order."""
    for author, group in itertools.groupby(ops, key=lambda op: op.author):
        run = list(group)
        for i in range(0, len(run), MAX_OPS_PER_BATCH):
            yield author, run[i : i + MAX_OPS_PER_BATCH]


def _apply(db: CentralDB, device: _Device, ops: list[Op]) -> list[OpResult]:
    results: list[OpResult] = []
    principals: dict[str, Principal | OpResult] = {}
    for author, run in _runs(ops):
        if author not in principals:
            principals[author] = _principal(db, device, author)
        who = principals[author]
        if isinstance(who, Principal):
            results += apply_batch(db, who, run)
        else:
            results += _refused(db, run, who)
    return results


def _principal(db: CentralDB, device: _Device, author: str) -> Principal | OpResult:
    """The author at work on the bundle's PC, or the refusal their ops get."""
    with db.reading() as session:
        row = session.get(CentralUser, author)
        user = None if row is None else auth.user_entity(row)
    if user is None:
        return _refusal("unknown_user", "the op's author is not a user of the central")
    if not user.active:
        return _refusal("user_disabled", "the op's author's account is disabled")
    if device.org_id not in user.scope:
        return _refusal(
            "author_not_allowed",
            "the op's author may not work on a PC of this organization",
        )
    return Principal(user=user, device_id=device.id, device_org_id=device.org_id)


def _refusal(code: str, message: str) -> OpResult:
    return OpResult(op_id="-", status=OpStatus.REJECTED, code=code, message=message)


def _refused(db: CentralDB, ops: list[Op], refusal: OpResult) -> list[OpResult]:
    """Ops of an author who may not work here: an op the central answered before (sent
    while the author still could) keeps its answer; the others are refused, not stored."""
    with db.reading() as session:
        stored = _stored_results(session, [op.op_id for op in ops])
    return [stored.get(op.op_id) or refusal.model_copy(update={"op_id": op.op_id}) for op in ops]


# --- the changes back -----------------------------------------------------------------------


def _scope(db: CentralDB, device: _Device, followed: set[str]) -> set[str]:
    """The PC's own organization, and those it follows that a user who may work on the PC
    covers (such a user could pull them there)."""
    wanted = followed | {device.org_id}
    allowed = {device.org_id}
    with db.reading() as session:
        users = session.execute(
            select(CentralUser.org_id, CentralUser.scope_org_ids).where(
                CentralUser.active.is_(True), CentralUser.org_id.in_(sorted(wanted))
            )
        )
        for org_id, scope in users:
            covered = {org_id, *(scope or ())}
            if device.org_id in covered:
                allowed |= covered
    return allowed & wanted


def _changes(db: CentralDB, device: _Device, cursors: dict[str, int]):
    """The changes since ``cursors`` (at most MAX_RECEIPT_CHANGES), the cursors they
    reach, and whether more wait."""
    scope = _scope(db, device, set(cursors))
    cursors = {org: cursors.get(org, 0) for org in scope}
    changes = []
    while True:
        room = min(MAX_PULL_LIMIT, MAX_RECEIPT_CHANGES - len(changes))
        request = PullRequest(cursors=cursors, limit=room, max_bytes=PAGE_BYTES)
        page = pull_orgs(db, scope, request)
        changes += page.changes
        cursors = dict(page.cursors)
        if not page.more or len(changes) >= MAX_RECEIPT_CHANGES:
            return changes, cursors, page.more
