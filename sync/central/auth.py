"""Who is calling the central: registered PCs and logged-in users (DESIGN.md §5).

An org admin registers a PC to one organization and the central issues a **device
credential**, shown once; the central keeps only its SHA-256. A user logs in on a registered
PC with their password (checked against the central's scrypt verifier,
:mod:`app.domain.passwords`) and gets a **token** with an expiry, bound to that PC; again
only its SHA-256 is kept. Every later request carries both: ``Authorization: Bearer
<token>`` and ``X-LocalHR-Device: <device_id>:<credential>``. Tokens, a user's tokens and
devices can be revoked.

Failures raise :class:`AuthError` with a stable :class:`ErrorCode`, an English message and
an HTTP status: 401 when the caller must (re-)authenticate or the PC must be registered
again, 403 when they are known but not allowed, 404 for a device or organization that does
not exist, 429 (:class:`TooManyAttempts`, with ``Retry-After``) after repeated failures on
an account or from an address (:mod:`sync.central.throttle`).

**What an unauthenticated caller learns.** ``POST /v1/devices`` takes a username and a
password and no credential at all, so it must not be a way to test passwords: an unknown
user, a wrong password, and a right password of an account that may not register that PC
(not an org admin, disabled, the organization outside their scope or unknown) all get the
same 401 ``unauthenticated`` with the same message, cost the same scrypt check, and count
as the same failed attempt. Only an org admin's right password for an organization in
their scope tells anything, and it registers the PC. ``POST /v1/login`` needs a registered
PC's credential first (401 ``device_unknown`` without one, before any password is looked
at); with it, a login tells what a login must: wrong username or password (one answer for
both), or that the right password's account is disabled or may not work on that PC.
Throttling is per username whether the account exists or not, so a 429 tells nothing
either.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from app.domain.entities import Role, User
from app.domain.ids import new_id, utcnow
from app.domain.passwords import check_verifier, make_verifier
from app.domain.thai import thai_digits_to_arabic
from sync.central.db import CentralDB
from sync.central.models import CentralDevice, CentralOrganization, CentralToken, CentralUser
from sync.central.throttle import UNKNOWN_ADDRESS, Attempt, Blocked, Throttle
from sync.protocol import (
    DeviceRegistration,
    DeviceRegistrationRequest,
    ErrorCode,
    LoginResponse,
    UserInfo,
)

__all__ = [
    "AuthError",
    "Principal",
    "TooManyAttempts",
    "authenticate",
    "device_header",
    "hash_secret",
    "issue_device",
    "login",
    "parse_device_header",
    "register_device",
    "renew_device",
    "revoke_device_tokens",
    "revoke_token",
    "revoke_user_tokens",
    "user_entity",
]

SECRET_BYTES = 32
OPERATOR = "operator"  # ``registered_by`` of a PC the operator registered from the command line

_LOGIN_FAILED = "wrong username or password"
REGISTRATION_FAILED = (
    "wrong username or password, or this account may not register a PC of that organization"
)
DEFAULT_THROTTLE = Throttle()


@dataclass(frozen=True)
class Principal:
    """An authenticated user on a registered PC."""

    user: User
    device_id: str
    device_org_id: str
    # what the central last saw of the PC (sync.central.devices.seen), read with it:
    # (last seen at, program version, ops waiting)
    device_seen: tuple[dt.datetime | None, str | None, int | None] = (None, None, None)


class AuthError(Exception):
    """A refused caller: ``code`` for programs, ``message`` (English) for people."""

    retry_after: int | None = None  # seconds, for 429

    def __init__(self, code: ErrorCode, message: str, status: int | None = None):
        super().__init__(message)
        self.code = ErrorCode(code)
        self.message = message
        if status is None:
            status = 401 if self.code in _REAUTHENTICATE else 403
        self.status = status


_REAUTHENTICATE = {
    ErrorCode.UNAUTHENTICATED,
    ErrorCode.TOKEN_EXPIRED,
    ErrorCode.TOKEN_REVOKED,
    ErrorCode.DEVICE_UNKNOWN,
    ErrorCode.DEVICE_REVOKED,
}


class TooManyAttempts(AuthError):
    """429: too many failed attempts on this account or from this address."""

    def __init__(self, retry_after: int):
        super().__init__(
            ErrorCode.TOO_MANY_ATTEMPTS,
            f"too many failed attempts: wait {retry_after} seconds before trying again",
            429,
        )
        self.retry_after = retry_after


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def device_header(device_id: str, credential: str) -> str:
    """The ``X-LocalHR-Device`` value a registered PC sends."""
    return f"{device_id}:{credential}"


def parse_device_header(value: str | None) -> tuple[str | None, str | None]:
    """``<device_id>:<credential>`` split; (None, None) when absent or malformed."""
    if not value or ":" not in value:
        return None, None
    device_id, _, credential = value.strip().partition(":")
    return (device_id, credential) if device_id and credential else (None, None)


def user_entity(row: CentralUser) -> User:
    """The user as the domain knows them, without a verifier (the central's stays here)."""
    return User(
        id=row.id,
        org_id=row.org_id,
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        password_verifier=None,
        scope_org_ids=tuple(row.scope_org_ids or ()),
        active=row.active,
    )


def _user_info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        org_id=user.org_id,
        username=user.username,
        display_name=user.display_name,
        role=str(user.role),
        scope_org_ids=list(user.scope_org_ids),
    )


@functools.cache
def _decoy_verifier() -> str:
    return make_verifier(secrets.token_urlsafe(16))


def _password_ok(password: str, verifier: str | None) -> bool:
    """scrypt check; an unknown user costs the same time as a wrong password."""
    if verifier is None:
        check_verifier(password, _decoy_verifier())
        return False
    return check_verifier(password, verifier)


def _find_user(session: Session, username: str) -> CentralUser | None:
    return session.scalar(
        select(CentralUser).where(CentralUser.username == (username or "").strip().lower())
    )


def _check_device(session: Session, device_id: str | None, credential: str | None):
    device = session.get(CentralDevice, device_id) if device_id else None
    _check_device_row(device, credential)
    return device


def _check_device_row(device, credential: str | None) -> None:
    """``device``: a row with ``credential_hash`` and ``revoked_at``, or None."""
    if (
        device is None
        or not credential
        or not hmac.compare_digest(device.credential_hash, hash_secret(credential))
    ):
        raise AuthError(
            ErrorCode.DEVICE_UNKNOWN,
            "this PC is not registered with the central; ask your organization's "
            "administrator to register it",
        )
    if device.revoked_at is not None:
        raise AuthError(
            ErrorCode.DEVICE_REVOKED,
            "this PC's registration was revoked; ask your organization's administrator "
            "to register it again",
        )


# --- devices ---------------------------------------------------------------------------


def issue_device(
    session: Session, org_id: str, name: str, registered_by: str
) -> DeviceRegistration:
    """Record a new PC of ``org_id`` and return its credential (the only time it is seen).
    The central keeps the credential's hash; the PC then registers its public bundle keys
    (sync.central.device_keys), and no secret of its bundles is ever kept here."""
    device = CentralDevice(
        id=new_id(),
        org_id=org_id,
        name=name.strip(),
        registered_by=registered_by,
        created_at=utcnow(),
        revoked_at=None,
    )
    credential = _new_credential(device)
    session.add(device)
    session.flush()
    return DeviceRegistration(device_id=device.id, org_id=org_id, credential=credential)


def renew_device(session: Session, org_id: str, device_id: str) -> DeviceRegistration | None:
    """A fresh credential for the PC ``device_id`` of ``org_id``, which keeps its identity
    (for a PC whose keyring lost its credential): the old credential, and the sessions
    opened with it, stop working, and so do its bundle keys (the PC registers new ones with
    the new credential). None when ``org_id`` has no such PC, or it was revoked."""
    device = session.get(CentralDevice, device_id)
    if device is None or device.org_id != org_id or device.revoked_at is not None:
        return None
    credential = _new_credential(device)
    revoke_device_tokens(session, device_id, utcnow())
    session.flush()
    return DeviceRegistration(device_id=device.id, org_id=org_id, credential=credential)


def _new_credential(device: CentralDevice) -> str:
    """Give ``device`` a new credential (only its hash kept); the credential. The bundle
    keys of the old one go: K of formats 1 and 2 (derived from the old credential, and a
    secret the central must not keep), and the public keys the PC registered with it."""
    credential = secrets.token_urlsafe(SECRET_BYTES)
    device.credential_hash = hash_secret(credential)
    device.bundle_key = None
    device.signing_key = None
    device.encryption_key = None
    return credential


def revoke_device_tokens(session: Session, device_id: str, now: dt.datetime) -> None:
    session.execute(
        update(CentralToken)
        .where(CentralToken.device_id == device_id, CentralToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def register_device(
    db: CentralDB,
    req: DeviceRegistrationRequest,
    *,
    address: str = UNKNOWN_ADDRESS,
    guard: Throttle = DEFAULT_THROTTLE,
) -> DeviceRegistration:
    """An org admin registers a PC of an organization in their scope (named by its id or
    its DLA code), proving it with their own username and password.

    The caller holds no credential, so every refusal is the same answer (see the module
    doc): an unknown user, a wrong password, or a right one that may not register a PC of
    that organization (not an org admin, disabled, outside their scope, no such
    organization) are all one failed attempt, counted by :mod:`sync.central.throttle`."""
    attempt = _begin(guard, db, "registration", req.username, address)
    with db.transaction() as session:
        row = _find_user(session, req.username)
        verifier = row.password_verifier if row is not None else None
        admin = user_entity(row) if row is not None else None
        org_id = _org_named(session, req.org_id)
        org_known = session.get(CentralOrganization, org_id) is not None
    # scrypt outside the transaction: it must not hold the (SQLite) write lock
    password_ok = _password_ok(req.password, verifier) and admin is not None
    if not (
        password_ok
        and admin is not None
        and admin.active
        and admin.role is Role.ORG_ADMIN
        and org_id in admin.scope
        and org_known
    ):
        guard.failed(db, attempt)
        raise AuthError(ErrorCode.UNAUTHENTICATED, REGISTRATION_FAILED)
    guard.succeeded(db, attempt)
    with db.transaction() as session:
        return issue_device(session, org_id, req.name, admin.id)


def _org_named(session: Session, ref: str) -> str:
    """The id of the organization ``ref`` names: its id, or the 7-digit DLA code an office
    knows itself by (Thai digits too); an unknown code is returned as it is."""
    code = thai_digits_to_arabic(ref.strip())
    if len(code) != 7 or not code.isascii() or not code.isdigit():
        return ref
    found = session.scalar(
        select(CentralOrganization.id).where(CentralOrganization.dla_code == code)
    )
    return found or ref


# --- users -----------------------------------------------------------------------------


def login(
    db: CentralDB,
    username: str,
    password: str,
    *,
    device_id: str | None,
    device_credential: str | None,
    ttl: dt.timedelta,
    address: str = UNKNOWN_ADDRESS,
    guard: Throttle = DEFAULT_THROTTLE,
) -> LoginResponse:
    """A user logs in on a registered PC of an organization in their scope. A wrong
    password is a failed attempt (:mod:`sync.central.throttle`); a right one clears the
    account's count. A user with a one-time password gets a session that may only change
    it (``must_change_password``)."""
    with db.transaction() as session:
        device = _check_device(session, device_id, device_credential)
        device_id, device_org = device.id, device.org_id
    attempt = _begin(guard, db, "login", username, address)
    with db.transaction() as session:
        row = _find_user(session, username)
        verifier = row.password_verifier if row is not None else None
        user = user_entity(row) if row is not None else None
        must_change = bool(row.must_change_password) if row is not None else False
        has_offline = row is not None and row.offline_verifier is not None
    if not _password_ok(password, verifier) or user is None:
        guard.failed(db, attempt)
        raise AuthError(ErrorCode.UNAUTHENTICATED, _LOGIN_FAILED)
    guard.succeeded(db, attempt)
    if not user.active:
        raise AuthError(ErrorCode.FORBIDDEN, "this account is disabled")
    if device_org not in user.scope:
        raise AuthError(
            ErrorCode.FORBIDDEN, "this PC belongs to an organization outside your scope"
        )
    if not has_offline and not must_change:
        _give_offline_verifier(db, user.id, password)
    token = secrets.token_urlsafe(SECRET_BYTES)
    now = utcnow()
    expires_at = now + ttl
    with db.transaction() as session:
        session.add(
            CentralToken(
                token_hash=hash_secret(token),
                user_id=user.id,
                device_id=device_id,
                issued_at=now,
                expires_at=expires_at,
                revoked_at=None,
            )
        )
    return LoginResponse(
        token=token,
        expires_at=expires_at,
        user=_user_info(user),
        must_change_password=must_change,
    )


def _begin(guard: Throttle, db: CentralDB, action: str, username: str, address: str) -> Attempt:
    try:
        return guard.begin(db, action, username, address)
    except Blocked as exc:
        raise TooManyAttempts(exc.retry_after) from None


def _give_offline_verifier(db: CentralDB, user_id: str, password: str) -> None:
    """A user from before offline verifiers logs in: derive theirs from the password just
    proven, and publish it (their PCs have had none from this central since)."""
    from sync.central import admin  # admin uses this module

    verifier = admin.make_verifier(password, offline=True)
    with db.transaction() as session:
        row = session.get(CentralUser, user_id)
        if row is None or row.offline_verifier is not None or row.must_change_password:
            return
        db.lock_orgs(session, {row.org_id})
        row.offline_verifier = verifier
        session.flush()
        admin.publish_user(session, row)


def authenticate(
    session: Session,
    *,
    token: str | None,
    device_id: str | None,
    device_credential: str | None,
    password_change: bool = False,
) -> Principal:
    """The caller of a request, or :class:`AuthError`; one query, it runs on every request.

    The PC is checked first: a revoked PC gets ``device_revoked`` whatever its token says,
    since logging in again would not help there. A user with a one-time password gets
    ``password_change_required`` except where ``password_change`` (changing it)."""
    row = None
    if device_id:
        row = session.execute(
            select(
                CentralDevice.id,
                CentralDevice.org_id,
                CentralDevice.credential_hash,
                CentralDevice.revoked_at,
                CentralDevice.last_seen_at,
                CentralDevice.program_version,
                CentralDevice.ops_waiting,
                CentralToken.device_id.label("token_device_id"),
                CentralToken.revoked_at.label("token_revoked_at"),
                CentralToken.expires_at,
                CentralUser,
            )
            .select_from(CentralDevice)
            .outerjoin(CentralToken, CentralToken.token_hash == hash_secret(token or ""))
            .outerjoin(CentralUser, CentralUser.id == CentralToken.user_id)
            .where(CentralDevice.id == device_id)
        ).first()
    _check_device_row(row, device_credential)
    assert row is not None, "_check_device_row refuses a PC it does not find"
    if not token:
        raise AuthError(ErrorCode.UNAUTHENTICATED, "log in first")
    if row.token_device_id is None or row.token_device_id != row.id:
        raise AuthError(ErrorCode.UNAUTHENTICATED, "unknown session; log in again")
    if row.token_revoked_at is not None:
        raise AuthError(ErrorCode.TOKEN_REVOKED, "this session was ended; log in again")
    if row.expires_at <= utcnow():
        raise AuthError(ErrorCode.TOKEN_EXPIRED, "this session has expired; log in again")
    user_row = row.CentralUser
    if user_row is None or not user_row.active:
        raise AuthError(ErrorCode.FORBIDDEN, "this account is disabled")
    user = user_entity(user_row)
    if row.org_id not in user.scope:
        raise AuthError(
            ErrorCode.FORBIDDEN, "this PC belongs to an organization outside your scope"
        )
    if user_row.must_change_password and not password_change:
        raise AuthError(
            ErrorCode.PASSWORD_CHANGE_REQUIRED,
            "your password was reset: change the one-time password before anything else",
        )
    return Principal(
        user=user,
        device_id=row.id,
        device_org_id=row.org_id,
        device_seen=(row.last_seen_at, row.program_version, row.ops_waiting),
    )


def revoke_token(db: CentralDB, token: str) -> bool:
    """End one session; False if the central never issued that token."""
    with db.transaction() as session:
        row = session.get(CentralToken, hash_secret(token))
        if row is None:
            return False
        if row.revoked_at is None:
            row.revoked_at = utcnow()
        return True


def revoke_user_tokens(db: CentralDB, user_id: str) -> int:
    """End every live session of a user (a disabled account, a leaked password)."""
    with db.transaction() as session:
        # An UPDATE's result is a CursorResult; Session.execute is typed for any statement.
        result = cast(
            CursorResult[Any],
            session.execute(
                update(CentralToken)
                .where(CentralToken.user_id == user_id, CentralToken.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            ),
        )
        return result.rowcount or 0
