"""Account care on the central: password change and reset, disable, end sessions, and the
security events org admins read (DESIGN.md §5; issue 13).

One function per action, each used by the HTTP routes (an authenticated org admin, or the
user for themselves) and by ``localhr central`` (the operator: ``actor`` None, every
organization):

- :func:`change_password`: a user changes their own password, proving the current one (a
  failed attempt for :mod:`sync.central.throttle` when wrong). Both verifiers are replaced,
  the user row is published again (the PCs' offline verifier changes at their next sync),
  a one-time password is done with, and the user's *other* sessions end: whoever knew the
  old password keeps nothing. The session that changed it stays valid.
- :func:`reset_password`: an org admin gives a user a one-time password (shown once). The
  user's sessions end; their login answers ``must_change_password`` and the session may
  only change it (:func:`sync.central.auth.authenticate`); the published row carries no
  offline verifier until then, so neither the old nor the one-time password logs in on a
  PC offline. The account's failed attempts are forgotten.
- :func:`set_active`: disable (sessions end) or enable an account.
- :func:`end_sessions`: every live session of a user ends (an admin for a user in scope,
  or a user for themselves).
- :func:`security_events`: what the org admins of an organization are told.
- :func:`list_users`: the accounts of the admin's scope, with their last login (issue 14).
- :func:`add_user`: an org admin adds a user to their organization with a one-time
  password (shown once), to be changed at the first login; the published row carries no
  offline verifier until then, and the change publishes it (the existing pull rules take
  it to the PCs where the user may log in).

An org admin acts only on users whose every organization (their own and their scope) is in
the admin's scope: resetting a provincial supervisor's password would otherwise give an
office's admin the province. A user outside it is answered as one that does not exist.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session

from app.domain.entities import Role, User
from app.domain.passwords import (
    MAX_PASSWORD,
    MIN_PASSWORD,
    check_verifier,
    new_password_problem,
)
from sync.central import admin, auth, throttle
from sync.central.auth import AuthError, Principal, TooManyAttempts
from sync.central.db import CentralDB
from sync.central.models import (
    CentralAuthFailure,
    CentralSecurityEvent,
    CentralToken,
    CentralUser,
)
from sync.protocol import (
    Account,
    ErrorCode,
    NewAccount,
    NewAccountRequest,
    PasswordReset,
    SecurityEvent,
    SessionsEnded,
)

__all__ = [
    "add_user",
    "change_password",
    "end_sessions",
    "find_user",
    "list_users",
    "reset_password",
    "security_events",
    "set_active",
]

ONE_TIME_BYTES = 9  # 12 characters of URL-safe base64: typed once, then changed


def _require_admin(actor: User | None) -> None:
    if actor is not None and actor.role is not Role.ORG_ADMIN:
        raise AuthError(ErrorCode.FORBIDDEN, "only an organization administrator can do this")


def _target(session: Session, actor: User | None, user_id: str) -> CentralUser:
    """The user ``actor`` may act on (see the module doc), locked for the change."""
    row = session.get(CentralUser, user_id)
    orgs = {row.org_id, *(row.scope_org_ids or ())} if row is not None else set()
    if row is None or (actor is not None and not orgs <= actor.scope):
        raise AuthError(ErrorCode.NOT_FOUND, "no such user in your scope", 404)
    return row


def find_user(db: CentralDB, ref: str) -> str:
    """The id of the user ``ref`` names: their id or their username (for the operator)."""
    ref = (ref or "").strip()
    with db.reading() as session:
        found = session.scalar(
            select(CentralUser.id).where(
                (CentralUser.id == ref) | (CentralUser.username == ref.lower())
            )
        )
    if found is None:
        raise admin.AdminError(f"no user {ref!r} (give their username or id)")
    return found


def _check_new_password(password: str, old: str | None = None) -> None:
    problem = new_password_problem(password, old)
    if problem == "unchanged":
        raise AuthError(ErrorCode.WEAK_PASSWORD, "the new password is the current one", 422)
    if problem is not None:
        raise AuthError(
            ErrorCode.WEAK_PASSWORD,
            f"the new password must have {MIN_PASSWORD} to {MAX_PASSWORD} characters",
            422,
        )


def _revoke(session: Session, user_id: str, *, keep_token: str | None = None) -> int:
    query = update(CentralToken).where(
        CentralToken.user_id == user_id, CentralToken.revoked_at.is_(None)
    )
    if keep_token is not None:
        query = query.where(CentralToken.token_hash != auth.hash_secret(keep_token))
    result = cast(CursorResult[Any], session.execute(query.values(revoked_at=throttle.now())))
    return result.rowcount or 0


def change_password(
    db: CentralDB,
    principal: Principal,
    old_password: str,
    new_password: str,
    *,
    token: str | None,
    address: str = throttle.UNKNOWN_ADDRESS,
    guard: throttle.Throttle = auth.DEFAULT_THROTTLE,
) -> None:
    """``principal`` changes their own password (``token``: their session, which stays)."""
    _check_new_password(new_password, old_password)
    user = principal.user
    try:
        attempt = guard.begin(db, "password", user.username, address)
    except throttle.Blocked as exc:
        raise TooManyAttempts(exc.retry_after) from None
    with db.reading() as session:
        verifier = session.scalar(
            select(CentralUser.password_verifier).where(CentralUser.id == user.id)
        )
    if not check_verifier(old_password, verifier):
        guard.failed(db, attempt)
        raise AuthError(ErrorCode.WRONG_PASSWORD, "the current password is wrong", 403)
    guard.succeeded(db, attempt)
    central, offline = admin.new_verifiers(new_password)
    with db.transaction() as session:
        row = _target(session, None, user.id)
        db.lock_orgs(session, {row.org_id})
        row.password_verifier, row.offline_verifier = central, offline
        row.must_change_password = False
        session.flush()
        admin.publish_user(session, row)
        ended = _revoke(session, user.id, keep_token=token)
        throttle.record_event(
            session,
            kind="password.changed",
            org_id=row.org_id,
            user_id=row.id,
            username=row.username,
            address=address,
            detail={"other_sessions_ended": ended},
        )


def reset_password(db: CentralDB, actor: User | None, user_id: str) -> PasswordReset:
    """A one-time password for ``user_id``, which they must change at their next login."""
    _require_admin(actor)
    one_time = secrets.token_urlsafe(ONE_TIME_BYTES)
    central, _ = admin.new_verifiers(one_time)
    with db.transaction() as session:
        row = _target(session, actor, user_id)
        db.lock_orgs(session, {row.org_id})
        row.password_verifier, row.offline_verifier = central, None
        row.must_change_password = True
        session.flush()
        admin.publish_user(session, row)
        ended = _revoke(session, row.id)
        session.execute(
            delete(CentralAuthFailure).where(
                CentralAuthFailure.key == throttle.account_key(row.username)
            )
        )
        _event(session, actor, row, "password.reset", {"sessions_ended": ended})
    return PasswordReset(user_id=user_id, one_time_password=one_time)


def set_active(db: CentralDB, actor: User | None, user_id: str, active: bool) -> None:
    """Disable (every session ends; PCs stop the offline login at their next sync) or
    enable an account. An admin cannot disable their own."""
    _require_admin(actor)
    if actor is not None and actor.id == user_id and not active:
        raise AuthError(ErrorCode.FORBIDDEN, "you cannot disable your own account")
    with db.reading() as session:
        _target(session, actor, user_id)
    admin.set_user_active(db, user_id, active)
    with db.transaction() as session:
        row = _target(session, None, user_id)
        _event(session, actor, row, "account.enabled" if active else "account.disabled", {})


def end_sessions(db: CentralDB, actor: User | None, user_id: str) -> SessionsEnded:
    """End every live session of ``user_id`` (the actor's own, or a user in their scope)."""
    if actor is None or actor.id != user_id:
        _require_admin(actor)
    with db.transaction() as session:
        row = _target(session, actor, user_id)
        ended = _revoke(session, row.id)
        _event(session, actor, row, "sessions.ended", {"sessions_ended": ended})
    return SessionsEnded(user_id=user_id, ended=ended)


def _event(session: Session, actor: User | None, row: CentralUser, kind: str, detail: dict) -> None:
    throttle.record_event(
        session,
        kind=kind,
        org_id=row.org_id,
        user_id=row.id,
        username=row.username,
        detail={**detail, "by": actor.username if actor is not None else auth.OPERATOR},
    )


def security_events(
    db: CentralDB, actor: User | None, *, org_id: str | None = None, limit: int = 100
) -> list[SecurityEvent]:
    """The newest events first: of the admin's scope (or of ``org_id`` in it); for the
    operator, of ``org_id``, or of everything (address blocks and unknown names too)."""
    _require_admin(actor)
    query = select(CentralSecurityEvent)
    if actor is not None:
        orgs = actor.scope if org_id is None else actor.scope & {org_id}
        query = query.where(CentralSecurityEvent.org_id.in_(sorted(orgs)))
    elif org_id is not None:
        query = query.where(CentralSecurityEvent.org_id == org_id)
    query = query.order_by(CentralSecurityEvent.at.desc(), CentralSecurityEvent.id.desc())
    with db.reading() as session:
        rows = session.scalars(query.limit(max(1, min(limit, 1000)))).all()
        return [
            SecurityEvent(
                id=r.id, org_id=r.org_id, at=r.at, kind=r.kind, user_id=r.user_id,
                username=r.username, address=r.address, detail=dict(r.detail or {}),
            )
            for r in rows
        ]  # fmt: skip


# --- the org admin's list of accounts, and a new account (issue 14) ----------------------


def _account(row: CentralUser, last_login: dt.datetime | None) -> Account:
    return Account(
        id=row.id, org_id=row.org_id, username=row.username, display_name=row.display_name,
        role=row.role, scope_org_ids=list(row.scope_org_ids or ()), active=row.active,
        last_login_at=last_login, password_change_required=row.must_change_password,
    )  # fmt: skip


def list_users(db: CentralDB, actor: User | None, *, org_id: str | None = None) -> list[Account]:
    """The accounts an admin may act on (every organization of theirs in the admin's
    scope), of ``org_id`` only if given; for the operator, of ``org_id`` or all. By
    username; ``last_login_at``: the newest session the central issued them."""
    _require_admin(actor)
    logins = (
        select(CentralToken.user_id, func.max(CentralToken.issued_at).label("at"))
        .group_by(CentralToken.user_id)
        .subquery()
    )
    query = (
        select(CentralUser, logins.c.at)
        .outerjoin(logins, logins.c.user_id == CentralUser.id)
        .order_by(CentralUser.username)
    )
    if org_id is not None:
        query = query.where(CentralUser.org_id == org_id)
    if actor is not None:
        query = query.where(CentralUser.org_id.in_(sorted(actor.scope)))
    with db.reading() as session:
        found = [
            _account(row, at)
            for row, at in session.execute(query).all()
            if actor is None or {row.org_id, *(row.scope_org_ids or ())} <= actor.scope
        ]
    return found


def add_user(db: CentralDB, actor: User | None, org_id: str, req: NewAccountRequest) -> NewAccount:
    """A new account of ``org_id`` (the admin's own organization) with a one-time password;
    its scope only within the admin's. Refused with a reason, nothing made."""
    _require_admin(actor)
    if actor is not None:
        outside = {org_id, *req.scope_org_ids} - actor.scope
        if outside:
            raise AuthError(
                ErrorCode.FORBIDDEN,
                "a new account's organizations must be within your own scope",
            )
    one_time = secrets.token_urlsafe(ONE_TIME_BYTES)
    try:
        user_id = admin.create_user(
            db, org_id, req.username, req.display_name, req.role, one_time,
            req.scope_org_ids, one_time=True,
        )  # fmt: skip
    except admin.UsernameTaken as exc:
        raise AuthError(ErrorCode.USERNAME_TAKEN, str(exc), 409) from None
    except admin.AdminError as exc:
        raise AuthError(ErrorCode.BAD_REQUEST, str(exc), 422) from None
    with db.transaction() as session:
        row = _target(session, None, user_id)
        _event(session, actor, row, "account.created", {"role": row.role})
        account = _account(row, None)
    return NewAccount(user=account, one_time_password=one_time)
