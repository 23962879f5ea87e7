"""Users' public signing keys at the central (DESIGN.md §5, proven authors).

A user registers the public key their PC made for them over their own authenticated
session: the key is bound to the caller and the caller's PC (:class:`Principal`), never to
a user or PC the request names. One live key per user and PC: a new one revokes the older,
so a user's keys are bounded by the PCs they log in on. A key id another user or PC holds
is refused; registering the live key again is answered with it (a lost answer, a retry).
Keys are listed and revoked by their owner, or by an org admin whose scope covers the
owner's organization; a revoked key checks no signature again (:mod:`sync.central.signatures`).
Only public keys are kept.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.entities import Role
from app.domain.ids import utcnow
from app.domain.signing import key_id, parse_public_key
from sync.central.auth import Principal
from sync.central.db import CentralDB
from sync.central.models import CentralUser, CentralUserKey
from sync.protocol import KeyRegistration, UserKey, UserKeys

__all__ = [
    "KeyRefused",
    "keys_of",
    "keys_of_username",
    "list_keys",
    "register_key",
    "revoke_key",
    "user_key",
]


class KeyRefused(Exception):
    """A refused key request: an HTTP status, a code for programs, an English message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def user_key(row: CentralUserKey) -> UserKey:
    return UserKey(
        key_id=row.key_id,
        user_id=row.user_id,
        device_id=row.device_id,
        public_key=row.public_key,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def register_key(db: CentralDB, principal: Principal, req: KeyRegistration) -> UserKey:
    """Register ``req``'s public key for the caller on the caller's PC; older live keys of
    the caller on that PC are revoked."""
    raw = parse_public_key(req.public_key)
    if raw is None:
        raise KeyRefused(422, "bad_key", "the public key is not 32 bytes in hex or base64")
    try:
        return _register(db, principal, raw)
    except IntegrityError:  # the same key registered by a parallel request: answer as it
        return _register(db, principal, raw)


def _register(db: CentralDB, principal: Principal, raw: bytes) -> UserKey:
    kid, user_id, device_id = key_id(raw), principal.user.id, principal.device_id
    with db.transaction() as session:
        row = session.get(CentralUserKey, kid)
        if row is not None:
            if (row.user_id, row.device_id) != (user_id, device_id):
                raise KeyRefused(409, "key_taken", "this key is registered to another user or PC")
            if row.revoked_at is not None:
                raise KeyRefused(409, "key_revoked", "this key was revoked; make a new one")
            return user_key(row)
        now = utcnow()
        session.execute(
            update(CentralUserKey)
            .where(
                CentralUserKey.user_id == user_id,
                CentralUserKey.device_id == device_id,
                CentralUserKey.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        )
        row = CentralUserKey(
            key_id=kid,
            user_id=user_id,
            device_id=device_id,
            public_key=raw.hex(),
            created_at=now,
            revoked_at=None,
        )
        session.add(row)
        session.flush()
        return user_key(row)


def _may_manage(session: Session, principal: Principal, user_id: str) -> bool:
    """The caller is ``user_id``, or an org admin whose scope covers that user's org."""
    if user_id == principal.user.id:
        return True
    if principal.user.role is not Role.ORG_ADMIN:
        return False
    org_id = session.scalar(select(CentralUser.org_id).where(CentralUser.id == user_id))
    return org_id is not None and org_id in principal.user.scope


def list_keys(db: CentralDB, principal: Principal, user_id: str | None = None) -> UserKeys:
    """The keys of ``user_id`` (default: the caller's own), newest first."""
    user_id = user_id or principal.user.id
    with db.reading() as session:
        if not _may_manage(session, principal, user_id):
            raise KeyRefused(403, "forbidden", "only the user or their org admin sees their keys")
        return keys_of(session, user_id)


def keys_of(session: Session, user_id: str) -> UserKeys:
    rows = session.scalars(
        select(CentralUserKey)
        .where(CentralUserKey.user_id == user_id)
        .order_by(CentralUserKey.created_at.desc(), CentralUserKey.key_id)
    )
    return UserKeys(keys=[user_key(r) for r in rows])


def keys_of_username(db: CentralDB, username: str) -> UserKeys:
    """The keys of the user ``username`` (the operator's command line)."""
    with db.reading() as session:
        user_id = session.scalar(
            select(CentralUser.id).where(CentralUser.username == username.strip().lower())
        )
        if user_id is None:
            raise KeyRefused(404, "not_found", f"the central has no user {username!r}")
        return keys_of(session, user_id)


def revoke_key(db: CentralDB, principal: Principal | None, kid: str) -> UserKey:
    """Revoke a key: by its owner or their org admin (``principal``), or by the operator
    (``None``, the command line). Revoking a revoked key changes nothing."""
    with db.transaction() as session:
        row = session.get(CentralUserKey, kid)
        if row is None or (
            principal is not None and not _may_manage(session, principal, row.user_id)
        ):
            # another organization's key ids are not confirmed to exist
            raise KeyRefused(404, "not_found", "no such key among those you manage")
        if row.revoked_at is None:
            row.revoked_at = utcnow()
        session.flush()
        return user_key(row)
