"""Failed logins and PC registrations, counted per account and per client address.

Every password the central checks for a caller (``POST /v1/login``, ``POST /v1/devices``,
a password change) is an **attempt** on two keys: the account (``account:<username>``,
known or not, so the answer never tells which names exist) and the client address
(``address:<ip>``; an IPv6 address counts by its /64). The counts live in the central's
database (``central_auth_failure``), so every central process behind nginx shares them.

- On the account an attempt is counted *before* the password is checked (parallel guesses
  at one account cannot slip in between a check and its count) and the count is cleared
  when the password was right. On the address only failures count, once checked: the PCs
  of an office (or a province) behind one address log in at the same moment every
  morning, and their right passwords in flight must not block each other. Spraying one
  guess at many accounts from one address is then stopped after the failures already
  checked, give or take the guesses in flight; each account keeps its own count.
- A key with ``free`` failures or more is blocked for a delay that doubles with each
  further failure (``first_delay``, 2×, 4×, … up to ``max_delay``). While blocked, every
  attempt on it gets 429 ``too_many_attempts`` with ``Retry-After``, the right password
  too, and is not counted (waiting is enough to be let in again). Failures older than
  ``forget_after`` are forgotten.
- When a block starts, a :class:`~sync.central.models.CentralSecurityEvent` tells the
  account's org admins (the organization of the account; an unknown name or an address
  block goes to the operator, with no organization), readable with
  ``GET /v1/security-events`` and ``localhr central security-events``.

Time is the central's own clock, :func:`now` (the tests' seam). The client address is the
socket peer, or, when the peer is one of ``trusted_proxies`` (CentralSettings), what that
proxy wrote in ``client_address_header``: see :func:`client_address`.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.domain.ids import new_id, utcnow
from sync.central.db import CentralDB
from sync.central.models import CentralAuthFailure, CentralSecurityEvent, CentralUser

__all__ = [
    "UNKNOWN_ADDRESS",
    "Attempt",
    "Blocked",
    "Throttle",
    "client_address",
    "now",
    "record_event",
]

UNKNOWN_ADDRESS = "unknown"
LOCK_TRIES = 5
PURGE_ROWS = 500  # forgotten rows deleted per failed attempt, at most
_MAX_ADDRESS = 64


def now() -> dt.datetime:
    """The central's clock (tests replace it; nothing a client says about time counts)."""
    return utcnow()


class Blocked(Exception):
    """Too many failures on a key: wait ``retry_after`` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


# --- the client's address --------------------------------------------------------------


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def client_address(peer: str | None, forwarded: str | None, trusted: Sequence[str]) -> str:
    """The caller's address: the socket ``peer``, unless the peer is a trusted proxy that
    passed the client's address in ``forwarded`` (``X-Forwarded-For``: the rightmost address
    that is not itself a trusted proxy; ``X-Real-IP``: its one address). Without trusted
    proxies a forwarded header is ignored: any client can write one."""
    if not peer:
        return UNKNOWN_ADDRESS
    networks = [ipaddress.ip_network(t, strict=False) for t in trusted]

    def is_trusted(text: str) -> bool:
        ip = _ip(text)
        return ip is not None and any(ip in net for net in networks)

    if not forwarded or not is_trusted(peer):
        return peer[:_MAX_ADDRESS]
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop):
            ip = _ip(hop)
            return str(ip) if ip is not None else hop[:_MAX_ADDRESS]
    return hops[0][:_MAX_ADDRESS] if hops else peer[:_MAX_ADDRESS]


def address_key(address: str) -> str:
    ip = _ip(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        return f"address:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return f"address:{ip.ipv4_mapped}"
    return f"address:{address}"


def account_key(username: str) -> str:
    return f"account:{(username or '').strip().lower()}"


# --- attempts --------------------------------------------------------------------------


@dataclass
class Attempt:
    """One password check under way: what :meth:`Throttle.begin` counted."""

    action: str  # login, registration, password
    username: str
    address: str
    at: dt.datetime
    # key → (blocked_until before this attempt, blocked_until this attempt set, or None)
    blocks: dict[str, tuple[dt.datetime | None, dt.datetime | None]] = field(default_factory=dict)

    @property
    def account(self) -> str:
        return account_key(self.username)

    @property
    def address_key(self) -> str:
        return address_key(self.address)


@dataclass(frozen=True)
class Throttle:
    """The limits (see the module doc); one per app, from its settings."""

    free_per_account: int = 5
    free_per_address: int = 20
    first_delay: dt.timedelta = dt.timedelta(seconds=30)
    max_delay: dt.timedelta = dt.timedelta(hours=1)
    forget_after: dt.timedelta = dt.timedelta(hours=24)

    @classmethod
    def from_settings(cls, settings: Any) -> Throttle:
        return cls(
            free_per_account=settings.free_attempts_per_account,
            free_per_address=settings.free_attempts_per_address,
            first_delay=dt.timedelta(seconds=settings.first_delay_seconds),
            max_delay=dt.timedelta(seconds=settings.max_delay_seconds),
            forget_after=dt.timedelta(hours=settings.forget_failures_hours),
        )

    def delay(self, failures: int, free: int) -> dt.timedelta | None:
        """How long a key with ``failures`` is blocked from its last failure; None: not."""
        if failures < free:
            return None
        factor = 2 ** min(failures - free, 40)
        return min(self.max_delay, self.first_delay * factor)

    def begin(self, db: CentralDB, action: str, username: str, address: str) -> Attempt:
        """Count an attempt on the account, or :class:`Blocked` (the account or the
        address being blocked). The address counts only failures (:meth:`failed`): the PCs
        of an office behind one address log in at once every morning."""
        attempt = Attempt(action, (username or "").strip().lower(), address, now())
        with db.transaction() as session:
            account = _locked(db, session, attempt.account, attempt.at)
            at_address = session.get(CentralAuthFailure, attempt.address_key)
            waits = [
                row.blocked_until - attempt.at
                for row in (account, at_address)
                if row is not None
                and row.blocked_until is not None
                and row.blocked_until > attempt.at
            ]
            if waits:
                raise Blocked(max(1, math.ceil(max(waits).total_seconds())))
            attempt.blocks[attempt.account] = self._count(account, attempt, self.free_per_account)
        return attempt

    def _count(
        self, row: CentralAuthFailure, attempt: Attempt, free: int
    ) -> tuple[dt.datetime | None, dt.datetime | None]:
        """One more failure on ``row`` (a locked row): the block before, the block set."""
        before = row.blocked_until
        if row.last_failed_at < attempt.at - self.forget_after:
            row.failures = 0
        row.failures += 1
        row.last_failed_at = attempt.at
        wait = self.delay(row.failures, free)
        set_to = attempt.at + wait if wait is not None else None
        if set_to is not None:
            row.blocked_until = set_to
        return before, set_to

    def failed(self, db: CentralDB, attempt: Attempt) -> None:
        """The password was wrong (or not good for the action): the attempt stays counted
        on the account and is counted on the address; a block it started is told to the
        account's org admins (or, for an address, the operator)."""
        with db.transaction() as session:
            at_address = _locked(db, session, attempt.address_key, attempt.at)
            attempt.blocks[attempt.address_key] = self._count(
                at_address, attempt, self.free_per_address
            )
            started = {key for key, (_, set_to) in attempt.blocks.items() if set_to is not None}
            if started:
                user = session.scalar(
                    select(CentralUser).where(CentralUser.username == attempt.username)
                )
                for key in sorted(started):
                    _, until = attempt.blocks[key]
                    assert until is not None
                    on_account = key == attempt.account
                    failures = session.get(CentralAuthFailure, key)
                    record_event(
                        session,
                        kind=f"{attempt.action}.blocked" if on_account else "address.blocked",
                        org_id=user.org_id if (user is not None and on_account) else None,
                        user_id=user.id if user is not None else None,
                        username=attempt.username,
                        address=attempt.address,
                        at=attempt.at,
                        detail={
                            "failures": failures.failures if failures is not None else None,
                            "blocked_until": until.isoformat(),
                        },
                    )
            # failures forgotten by now, and no block on: their rows go (those another
            # attempt holds are left for later: no waiting, no deadlock)
            stale = (
                select(CentralAuthFailure.key)
                .where(
                    CentralAuthFailure.last_failed_at < attempt.at - self.forget_after,
                    (CentralAuthFailure.blocked_until.is_(None))
                    | (CentralAuthFailure.blocked_until <= attempt.at),
                )
                .limit(PURGE_ROWS)
                .with_for_update(skip_locked=True)
            )
            keys = session.scalars(stale).all()
            if keys:
                session.execute(delete(CentralAuthFailure).where(CentralAuthFailure.key.in_(keys)))

    def succeeded(self, db: CentralDB, attempt: Attempt) -> None:
        """The password was right: the account starts afresh (the address counted
        nothing for this attempt)."""
        with db.transaction() as session:
            session.execute(
                delete(CentralAuthFailure).where(CentralAuthFailure.key == attempt.account)
            )


def _locked(db: CentralDB, session: Session, key: str, at: dt.datetime) -> CentralAuthFailure:
    """The row of ``key``, made if need be, locked until the transaction ends (SQLite's
    write transaction holds the whole database already)."""
    insert = pg_insert if db.is_postgres else sqlite_insert
    for _ in range(LOCK_TRIES):
        session.execute(
            insert(CentralAuthFailure)
            .values(key=key, failures=0, last_failed_at=at, blocked_until=None)
            .on_conflict_do_nothing(index_elements=["key"])
        )
        row = session.scalar(
            select(CentralAuthFailure)
            .where(CentralAuthFailure.key == key)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        if row is not None:
            return row
        # the row was there for the insert, and a right password deleted it before the
        # lock was had (PostgreSQL, read committed): make it again
    raise RuntimeError(f"the attempts row of {key!r} kept disappearing")


# --- what the org admins are told ------------------------------------------------------


def record_event(
    session: Session,
    *,
    kind: str,
    org_id: str | None,
    user_id: str | None = None,
    username: str | None = None,
    address: str | None = None,
    at: dt.datetime | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """A security event for the org admins of ``org_id`` (None: for the operator)."""
    session.add(
        CentralSecurityEvent(
            id=new_id(),
            org_id=org_id,
            at=at or now(),
            kind=kind,
            user_id=user_id,
            username=username[:64] if username else None,
            address=address[:_MAX_ADDRESS] if address else None,
            detail=detail or {},
        )
    )
