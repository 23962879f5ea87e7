"""USB bundles on the desktop (DESIGN.md §4 "Beyond the network"; the format:
:mod:`sync.protocol.bundle`).

An office with no link at all:

1. :func:`export_bundle` writes its unanswered ops and its pull cursors to a file signed with
   the PC's own key and encrypted to the central (sync.client.bundle_keys: registered once,
   online), and signed inside by the users who vouch for it, each with their own user key
   (app.domain.signing; the caller unlocks them: the exporter, whose scope the receipt
   brings back, and any other user whose ops it carries).
2. On a connected PC, :func:`upload_bundle` hands the file to the central (or an operator
   runs ``localhr central import-bundle``); the answer is a receipt bundle for the offline PC.
3. Back at the offline PC, :func:`apply_receipt` checks the receipt is the central's answer
   for this PC (signed by the central's key, encrypted to this PC's), records the answers in
   the outbox and applies the changes it carries.

A bundle carries the unanswered ops in outbox order up to the first one whose author did not
sign it (the central refuses such ops; the order is kept, since a later op may need an
earlier one), and at most ``MAX_BUNDLE_OPS``: the rest go on the next trip
(:attr:`Exported.left`).

Exported ops are marked *sent*: a draft saved again afterwards makes a new op instead of
changing the one on the stick, whose ``op_id`` the central may already have answered (the
engine sends sent ops again anyway, and the central answers a known op from what it stored,
so the ops may still go over the network). Applying a receipt twice, or an old receipt after
newer syncs, changes nothing: answers are recorded once, and only changes past this PC's
cursors are applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain import signing
from app.domain.ids import new_id, utcnow
from app.services import outbox, replica
from app.store.db import Database
from sync.client import account, bundle_keys
from sync.client.credentials import CredentialStore
from sync.client.errors import BAD_RESPONSE, ServerError
from sync.client.transport import CentralClient
from sync.files import write_atomically
from sync.protocol import Op
from sync.protocol import bundle as wire
from sync.protocol.bundle import BundleError, BundleKind, ReceiptBundle

__all__ = ["Exported", "Received", "apply_receipt", "export_bundle", "kind_of", "upload_bundle"]

PAGE = 5000  # changes applied per local transaction


@dataclass(frozen=True)
class Exported:
    path: Path
    bundle_id: str
    ops: int
    size: int  # bytes of the file
    left: int = 0  # unanswered ops not in the file: the next trip's
    next_author: str | None = None  # the author of the first op left out, if not a signer


@dataclass(frozen=True)
class Received:
    """What applying a receipt did."""

    applied: int = 0
    conflict: int = 0
    rejected: int = 0
    retry: int = 0  # the central failed on them: they go again
    rows: int = 0  # changes applied now
    waiting: int = 0  # changes waiting for a local op's answer or a parent row
    tables: frozenset[str] = frozenset()
    more: bool = False  # more changes wait at the central: the next bundle brings them


def kind_of(path: Path) -> BundleKind:
    """Whether ``path`` holds an outbox bundle or a receipt (not checked further)."""
    return wire.read(path.read_bytes()).kind


def export_bundle(
    db: Database,
    store: CredentialStore,
    path: Path,
    *,
    exporter: str,
    signers: Mapping[str, bytes],
) -> Exported:
    """Write this PC's unanswered ops (see the module doc) and its cursors to ``path``
    (replaced whole). ``exporter``: the user id of who exports it (the receipt brings back
    their scope); ``signers``: user id → unlocked private user key, the exporter's and
    those of any other users whose ops may go in it."""
    if exporter not in signers:
        raise ValueError("the exporter signs the bundle")
    device = account.device(store)
    pc, central = bundle_keys.ready(store, device)
    # Marked sent first, then read: a save from now on is a new op, so what goes in the file
    # is what the central will get under each op_id. Ops made meanwhile wait for the next.
    outbox.mark_sent(db, [op.op_id for op in outbox.unanswered(db)])
    queue = [op for op in outbox.unanswered(db) if op.sent]
    taken = 0
    while taken < len(queue) and taken < wire.MAX_BUNDLE_OPS and queue[taken].author in signers:
        taken += 1
    ops = [Op.model_validate({**op.wire(), "device_id": device.device_id}) for op in queue[:taken]]
    bundle_id = new_id()
    lines = wire.outbox_lines(
        bundle_id=bundle_id,
        device_id=device.device_id,
        org_id=device.org_id,
        created_at=utcnow(),
        exported_by=exporter,
        cursors=replica.cursors(db),
        ops=ops,
        signers={user: _signer(key) for user, key in signers.items()},
    )
    data = wire.seal(BundleKind.OUTBOX, device.device_id, lines, pc, central)
    write_atomically(path, data)
    left = queue[taken:]
    blocked = left[0].author if left and left[0].author not in signers else None
    return Exported(path, bundle_id, taken, len(data), len(left), blocked)


def _signer(key: bytes):
    def sign(value: dict[str, Any]) -> str:
        return signing.sign(key, wire.EXPORT_CONTEXT, value)

    return sign


def upload_bundle(client: CentralClient, path: Path) -> bytes:
    """Hand another PC's outbox bundle to the central (``client`` logged in); the receipt
    bundle for that PC. Only the central can check the file: it is signed for it."""
    data = path.read_bytes()
    kind = wire.read(data).kind
    if kind is not BundleKind.OUTBOX:
        raise BundleError("wrong_kind", "this is a receipt: apply it on the PC it is for")
    receipt = client.upload_bundle(data)
    try:
        if wire.read(receipt).kind is BundleKind.RECEIPT:
            return receipt
    except BundleError:
        pass
    raise ServerError(BAD_RESPONSE, "the central's answer is not a receipt bundle")


def apply_receipt(db: Database, store: CredentialStore, path: Path) -> Received:
    """Check the receipt at ``path`` is the central's answer for this PC, record its answers
    in the outbox, and apply the changes past this PC's cursors (see the module doc)."""
    device = account.device(store)
    sealed = wire.read(path.read_bytes())
    if sealed.kind is not BundleKind.RECEIPT:
        raise BundleError(
            "wrong_kind",
            "this is an outbox bundle, not a receipt: take it to a connected PC or the central",
        )
    if sealed.device_id != device.device_id:
        raise BundleError(
            "other_device",
            f"this receipt is for another PC ({sealed.device_id}); this PC is {device.device_id}",
        )
    if sealed.legacy:  # the answer to a bundle made before this PC registered its keys
        frame = sealed.open_legacy(wire.legacy_key(device.secret))
    else:
        pc, central = bundle_keys.ready(store, device)
        frame = sealed.open(central, pc)
    receipt = wire.parse(ReceiptBundle, wire.inflate(frame, wire.MAX_RECEIPT_BYTES))
    if receipt.device_id != sealed.device_id:
        raise BundleError("corrupt", "the receipt's content names another PC than its header")
    recorded = outbox.record_results(db, (r.model_dump(mode="json") for r in receipt.results))
    rows, tables = _apply_changes(db, receipt)
    tables |= replica.release(db).tables
    return Received(
        applied=recorded.applied,
        conflict=recorded.conflict,
        rejected=recorded.rejected,
        retry=recorded.retry,
        rows=rows,
        waiting=replica.waiting(db),
        tables=frozenset(tables),
        more=receipt.more,
    )


def _apply_changes(db: Database, receipt: ReceiptBundle) -> tuple[int, set[str]]:
    """The receipt's changes past the local cursors, in pages, each with the cursors it
    reaches (changes come by organization, then ``seq``: a cut between pages resumes)."""
    local = replica.cursors(db)
    fresh = [c for c in receipt.changes if c.seq > local.get(c.org_id, 0)]
    done = dict(local)
    rows = 0
    tables: set[str] = set()
    for i in range(0, len(fresh), PAGE):
        page = fresh[i : i + PAGE]
        for change in page:
            done[change.org_id] = max(done.get(change.org_id, 0), change.seq)
        applied = replica.apply_page(db, page, {c.org_id: done[c.org_id] for c in page})
        rows += applied.applied
        tables |= applied.tables
    final = {org: max(seq, local.get(org, 0)) for org, seq in receipt.cursors.items()}
    if any(local.get(org) != seq for org, seq in final.items()):
        replica.apply_page(db, [], final)
    return rows, tables
