"""Checking that each op is signed by its author (DESIGN.md §5, proven authors).

An op counts only if it carries a signature (:mod:`app.domain.signing`, over
:func:`~app.domain.signing.op_value` with :data:`~app.domain.signing.OP_CONTEXT`) by a live
key that ``op.author`` registered on ``op.device_id``. Every path that applies ops calls
:func:`check_ops` (the push's :func:`sync.central.push.apply_batch`, which the USB bundles
go through as well). The keys a list of ops needs are loaded in one query.

A **push seal** (:func:`app.domain.signing.seal_value`) by the caller's live key on the
caller's PC, over every op of the caller in the batch, stands for those ops' own signatures:
one Ed25519 check per batch instead of one per op. A seal that does not check (another key,
an op left out or changed, a replay with other ops) is ignored, and each op's own signature
is checked as without one.

The refusal is an answer, not an internal error, and it is not stored: an op queued on a PC
before signatures existed is refused ``unsigned`` until its author's next login signs it,
and then the same ``op_id`` must go through.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.signing import OP_CONTEXT, SEAL_CONTEXT, seal_value, signature_key_id, verify
from sync.central.batch import one_of
from sync.central.models import CentralUserKey
from sync.protocol import Op, OpResult, OpStatus

__all__ = ["BAD_SIGNATURE", "UNSIGNED", "Refusal", "check_ops", "refusals"]

UNSIGNED = "unsigned"
BAD_SIGNATURE = "bad_signature"
_CHUNK = 500


@dataclass(frozen=True)
class Refusal:
    code: str  # unsigned | bad_signature
    message: str

    def result(self, op: Op) -> OpResult:
        status = OpStatus.REJECTED
        return OpResult(op_id=op.op_id, status=status, code=self.code, message=self.message)


_UNSIGNED = Refusal(
    UNSIGNED, "the op is not signed; it is sent once its author has logged in on this PC"
)
_UNKNOWN_KEY = Refusal(
    BAD_SIGNATURE,
    "the op is not signed by a live key its author registered on this PC",
)
_MISMATCH = Refusal(BAD_SIGNATURE, "the op's signature does not match its content")


def _keys(session: Session, kids: set[str]) -> dict[str, tuple[str, str, bytes]]:
    """key id → (user id, device id, public key) of the live keys among ``kids``."""
    found: dict[str, tuple[str, str, bytes]] = {}
    ids = sorted(kids)
    for i in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(
                CentralUserKey.key_id,
                CentralUserKey.user_id,
                CentralUserKey.device_id,
                CentralUserKey.public_key,
            ).where(
                one_of(session, CentralUserKey.key_id, ids[i : i + _CHUNK]),
                CentralUserKey.revoked_at.is_(None),
            )
        )
        for kid, user_id, device_id, public in rows:
            found[kid] = (user_id, device_id, bytes.fromhex(public))
    return found


def check_ops(session: Session, ops: Sequence[Op], seal: str | None = None) -> list[Refusal | None]:
    """For each op, None when it is signed by a live key of its author on its PC (on its
    own, or by ``seal``), else why not. Never raises on what a client sent."""
    kids = {kid for op in ops if (kid := signature_key_id(op.signature)) is not None}
    seal_kid = signature_key_id(seal)
    if seal_kid is not None:
        kids.add(seal_kid)
    keys = _keys(session, kids) if kids else {}
    sealed = _sealed(ops, seal, keys.get(seal_kid or ""))
    out: list[Refusal | None] = []
    for op in ops:
        if op.op_id in sealed:
            out.append(None)
            continue
        if not op.signature:
            out.append(_UNSIGNED)
            continue
        key = keys.get(signature_key_id(op.signature) or "")
        if key is None or key[0] != op.author or key[1] != op.device_id:
            out.append(_UNKNOWN_KEY)
            continue
        try:
            ok = verify(key[2], OP_CONTEXT, op.signed_value(), op.signature)
        except (ValueError, TypeError, ArithmeticError, RecursionError):
            # a naive time or one out of range in UTC, a value JSON cannot carry
            ok = False
        out.append(None if ok else _MISMATCH)
    return out


def _sealed(
    ops: Sequence[Op], seal: str | None, key: tuple[str, str, bytes] | None
) -> frozenset[str]:
    """The op ids ``seal`` proves: every op of the key's owner on the key's PC, when the seal
    is that key's over exactly those ops, in order; else none."""
    if seal is None or key is None:
        return frozenset()
    user_id, device_id, public = key
    covered = [op for op in ops if op.author == user_id and op.device_id == device_id]
    if not covered:
        return frozenset()
    try:
        value = seal_value(device_id, [op.signed_value() for op in covered])
    except (ValueError, TypeError, ArithmeticError, RecursionError):
        return frozenset()
    if not verify(public, SEAL_CONTEXT, value, seal):
        return frozenset()
    return frozenset(op.op_id for op in covered)


def refusals(session: Session, ops: Sequence[Op], seal: str | None = None) -> dict[str, OpResult]:
    """op_id → the ``rejected`` answer of each op in ``ops`` that is not properly signed."""
    return {
        op.op_id: refusal.result(op)
        for op, refusal in zip(ops, check_ops(session, ops, seal), strict=True)
        if refusal is not None
    }
