"""Users' signing keys on this PC (DESIGN.md §5, proven authors).

A user's Ed25519 key pair is made at a login on a PC linked to a central (their first
online login, or the first login after the upgrade that brought signatures), kept in the
local database only locked under their password (:func:`app.domain.signing.lock_private_key`)
and unlocked in memory at every login (:func:`unlock`), online or offline. A stored key that
does not unlock with the password just accepted (changed at the central since) is replaced
by a new pair. The unlocked key goes to the database's :class:`~app.services.context.Signer`
(:func:`activate`), which signs the ops the user makes, and the user's queued unsigned ops
are signed then. The sync engine registers the public half with the central over the
user's session (:func:`unregistered`, :func:`mark_registered`) before it sends their ops.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.domain import signing
from app.domain.ids import utcnow
from app.services import outbox
from app.services.context import signer
from app.store.db import Database
from app.store.models import UserKeyModel

__all__ = [
    "LocalKey",
    "UnlockedKey",
    "activate",
    "at_login",
    "forget",
    "keys",
    "mark_registered",
    "mark_unregistered",
    "unlock",
]


@dataclass(frozen=True)
class UnlockedKey:
    """A user's key pair as their login unlocked (or made) it."""

    user_id: str
    pair: signing.KeyPair = field(repr=False)
    registered: bool
    made: bool  # a new pair, made at this login


@dataclass(frozen=True)
class LocalKey:
    """What the sync engine knows of a user's key: public parts only."""

    user_id: str
    key_id: str
    public_key: bytes
    registered: bool


def unlock(db: Database, user_id: str, password: str, *, make: bool) -> UnlockedKey | None:
    """The user's key unlocked with ``password``, at their login. With ``make`` (a PC that
    has a central), a missing key or one that does not unlock is replaced by a new pair
    locked under ``password``; without, None."""
    with db.reading() as session:
        row = session.get(UserKeyModel, user_id)
        locked = (row.locked_key, row.registered_at is not None) if row is not None else None
    if locked is not None:
        private = signing.unlock_private_key(locked[0], password)  # scrypt: no lock held
        if private is not None:
            pair = signing.KeyPair(signing.KeyPair.public_of(private), private)
            return UnlockedKey(user_id, pair, registered=locked[1], made=False)
    if not make:
        return None
    pair = signing.new_key_pair()
    sealed = signing.lock_private_key(pair.private, password)
    with db.transaction() as session:
        row = session.get(UserKeyModel, user_id)
        if row is None:
            row = UserKeyModel(user_id=user_id)
            session.add(row)
        row.key_id, row.public_key, row.locked_key = pair.id, pair.public.hex(), sealed
        row.created_at, row.registered_at = utcnow(), None
    return UnlockedKey(user_id, pair, registered=False, made=True)


def activate(db: Database, user_id: str, key: UnlockedKey | None) -> int:
    """``user_id`` is now the user at the PC: their key (or nobody's, when they have none)
    signs from now on, and their queued ops are signed with it. How many were signed."""
    held = signer(db)
    if key is None or key.user_id != user_id:
        held.drop()
        return 0
    held.hold(user_id, key.pair.private)
    with db.transaction() as session:
        return outbox.sign_queued(session, user_id, key.pair.private)


def keys(db: Database) -> dict[str, LocalKey]:
    """user id → that user's key on this PC (public parts)."""
    with db.reading() as session:
        return {
            r.user_id: LocalKey(
                r.user_id, r.key_id, bytes.fromhex(r.public_key), r.registered_at is not None
            )
            for r in session.scalars(select(UserKeyModel))
        }


def mark_registered(db: Database, user_id: str, key_id: str) -> bool:
    """The central has ``key_id`` as ``user_id``'s key on this PC (False: the user has
    another key here by now)."""
    with db.transaction() as session:
        row = session.get(UserKeyModel, user_id)
        if row is None or row.key_id != key_id:
            return False
        if row.registered_at is None:
            row.registered_at = utcnow()
        return True


def mark_unregistered(db: Database, user_id: str) -> None:
    """The central refused a signature by the user's key: register it again before the
    user's next batch (which tells whether the central still takes it)."""
    with db.transaction() as session:
        row = session.get(UserKeyModel, user_id)
        if row is not None:
            row.registered_at = None


def forget(db: Database, user_id: str, key_id: str) -> None:
    """The central will not take ``key_id`` (revoked, or another's): drop it, so that the
    user's next login makes a new key pair, registers it and signs their ops again."""
    with db.transaction() as session:
        row = session.get(UserKeyModel, user_id)
        if row is not None and row.key_id == key_id:
            session.delete(row)
    signer(db).drop_key(user_id)


def at_login(db: Database, user_id: str, password: str, *, make: bool) -> UnlockedKey | None:
    """What a login does with keys: :func:`unlock` (or make) the user's key, then
    :func:`activate` it. The key, or None when the user has none that unlocks."""
    key = unlock(db, user_id, password, make=make)
    activate(db, user_id, key)
    return key
