"""Building USB bundles in tests as a PC would (format 3, sync.protocol.bundle): the PC's
bundle keys and its users' signing keys registered at the central as the real routes do
(straight in its tables), outbox files made and receipts opened."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.domain import signing
from app.domain.ids import new_id, utcnow
from sync.central.db import CentralDB
from sync.central.models import CentralDevice
from sync.protocol import Op
from sync.protocol import bundle as wire
from sync.protocol.bundle import BundleKeys, BundleKind, ReceiptBundle
from tests.central.sync_helpers import key_at_central

FIELDS = {
    "prefix": "mr",
    "first_name_th": "สมชาย",
    "last_name_th": "ใจดี",
    "category": "general_contract",
}


@dataclass
class BundlePc:
    """A PC with its bundle keys registered, the central's keys, and its users' keys."""

    db: CentralDB
    device_id: str
    org_id: str
    keys: BundleKeys = field(repr=False)
    central: BundleKeys = field(repr=False)
    user_keys: dict[str, signing.KeyPair] = field(default_factory=dict, repr=False)

    def user_key(self, user_id: str) -> signing.KeyPair:
        """``user_id``'s signing key on this PC, registered at the central the first time."""
        if user_id not in self.user_keys:
            self.user_keys[user_id] = key_at_central(self.db, user_id, self.device_id)
        return self.user_keys[user_id]

    def signed(self, op: Op) -> Op:
        """``op`` signed by its author's key on this PC, as the desktop signs its ops."""
        value = signing.op_value(**op.model_dump(exclude={"signature"}))
        key = self.user_key(op.author).private
        return op.model_copy(update={"signature": signing.sign(key, signing.OP_CONTEXT, value)})

    def save(self, office, username: str, **env: Any) -> Op:
        return self.signed(save_op(office, username, **env))

    def outbox(
        self,
        ops: list[Op],
        cursors: dict[str, int] | None = None,
        *,
        exporter: str,
        signers: list[str] | None = None,
        keys: dict[str, bytes] | None = None,
        **head: Any,
    ) -> bytes:
        """An outbox bundle signed by ``exporter`` (and ``signers``) with their keys here
        (``keys``: user id → another private key to sign with)."""
        keys = keys or {}
        users = [exporter, *(signers or [])]
        private = {u: keys.get(u) or self.user_key(u).private for u in users}
        lines = wire.outbox_lines(
            bundle_id=head.get("bundle_id", new_id()),
            device_id=head.get("device_id", self.device_id),
            org_id=head.get("org_id", self.org_id),
            created_at=head.get("created_at", utcnow()),
            exported_by=exporter,
            cursors=cursors or {},
            ops=ops,
            signers={u: _signer(k) for u, k in private.items()},
        )
        return wire.seal(BundleKind.OUTBOX, self.device_id, lines, self.keys, self.central.public)

    def receipt(self, data: bytes) -> ReceiptBundle:
        sealed = wire.read(data)
        assert sealed.kind is BundleKind.RECEIPT and sealed.format == wire.FORMAT
        frame = sealed.open(self.central.public, self.keys)
        return wire.parse(ReceiptBundle, wire.inflate(frame, wire.MAX_RECEIPT_BYTES))


def _signer(key: bytes):
    return lambda value: signing.sign(key, wire.EXPORT_CONTEXT, value)


def register_pc_keys(db: CentralDB, device_id: str) -> BundleKeys:
    """What ``POST /v1/devices/keys`` keeps: the PC's public keys (and K forgotten)."""
    keys = BundleKeys.new()
    signing_hex, encryption_hex = keys.public.hex()
    with db.transaction() as session:
        row = session.get(CentralDevice, device_id)
        row.signing_key, row.encryption_key, row.bundle_key = signing_hex, encryption_hex, None
    return keys


def bundle_pc(office, central: BundleKeys | None = None) -> BundlePc:
    """The office's PC (A) with its bundle keys registered."""
    keys = register_pc_keys(office.db, office.device.device_id)
    return BundlePc(
        office.db, office.device.device_id, office.org_a, keys, central or BundleKeys.new()
    )


def save_op(office, username: str, org_id: str | None = None, **env: Any) -> Op:
    """A clerk's new-person draft, made on the office's PC."""
    payload = {
        "id": (sid := new_id()),
        "person_id": new_id(),
        "kind": "new",
        "base_version": 0,
        "changes": {k: [None, v] for k, v in FIELDS.items()},
        "history": {"added": [], "updated": {}, "deleted": {}},
    }
    fields = {
        "op_id": new_id(), "kind": "submission.save", "entity_id": sid,
        "org_id": org_id or office.org_a, "author": office.users[username],
        "device_id": office.device.device_id, "created_at": utcnow(), "payload": payload,
    }  # fmt: skip
    return Op.model_validate({**fields, **env})


def at(days: int) -> dt.datetime:
    return utcnow() + dt.timedelta(days=days)
