"""What every service needs inside its transaction: the acting user, scope, the clock, and
the signing key of the user at the PC (:class:`Signer`)."""

from __future__ import annotations

import threading

from sqlalchemy.orm import Session

from app.domain.entities import Role, User
from app.domain.errors import NotFound, PermissionDenied
from app.store.db import Database
from app.store.mapping import entity
from app.store.models import UserModel


def actor(session: Session, actor_id: str) -> User:
    """The acting user, read inside the transaction: a service trusts no caller's copy."""
    row = session.get(UserModel, actor_id)
    if row is None or row.deleted:
        raise NotFound("error.user_not_found", field="actor_id")
    user = entity(User, row)
    if not user.active:
        raise PermissionDenied("error.user_inactive")
    return user


def require_scope(user: User, org_id: str) -> None:
    if org_id not in user.scope:
        raise PermissionDenied("error.out_of_scope", field="org_id")


def require_role(user: User, *roles: Role) -> None:
    if user.role not in roles:
        raise PermissionDenied("error.role_required", roles=[str(r) for r in roles])


# --- the signing key of the user at the PC ----------------------------------------------------


class Signer:
    """The unlocked signing key of the one user logged in at this PC (DESIGN.md §5), for
    :func:`app.services.outbox.enqueue` to sign the ops that user makes.

    It belongs to one :class:`Database` (:func:`signer`), never to the process: each login
    replaces what it holds (:meth:`hold`, or :meth:`drop` for a user with no usable key), so
    after a switch of user nobody signs with the key of whoever was there before. An op whose
    author's key is not held is left unsigned and waits for that author's next login."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: tuple[str, bytes] | None = None

    def hold(self, user_id: str, private_key: bytes) -> None:
        with self._lock:
            self._held = (user_id, private_key)

    def drop(self) -> None:
        with self._lock:
            self._held = None

    def drop_key(self, user_id: str) -> None:
        """Stop signing for ``user_id`` (their key is no longer good)."""
        with self._lock:
            if self._held is not None and self._held[0] == user_id:
                self._held = None

    def key_for(self, user_id: str) -> bytes | None:
        """The private key of ``user_id`` if they are the user at the PC, else None."""
        with self._lock:
            held = self._held
        return held[1] if held is not None and held[0] == user_id else None

    def __repr__(self) -> str:
        with self._lock:
            return f"Signer({self._held[0] if self._held else None})"


def signer(db: Database) -> Signer:
    """The :class:`Signer` of ``db``: every writing session of ``db`` carries it (in
    ``session.info``), so a service signs without being handed a key."""
    with _install:
        info = db.writer.kw.get("info") or {}
        found = info.get(SIGNER)
        if found is None:
            found = Signer()
            db.writer.configure(info={**info, SIGNER: found})
        return found


def signer_of(session: Session) -> Signer | None:
    return session.info.get(SIGNER)


SIGNER = "localhr.signer"
_install = threading.Lock()
