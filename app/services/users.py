"""User accounts and offline login (DESIGN.md §5).

Passwords are kept only as scrypt verifiers (:mod:`app.domain.passwords`), so a PC can
check a login with no network and a stolen database does not give the password away. The
verifiers here are offline ones: made on this PC for its own accounts, or published by the
central in the user row to the PCs where that user may log in.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.entities import Role, User
from app.domain.errors import AuthenticationFailed, InvalidInput, Issue
from app.domain.ids import new_id, utcnow
from app.domain.passwords import (
    MIN_PASSWORD,
    check_offline_verifier,
    check_verifier,
    make_verifier,
)
from app.domain.thai import normalize_text
from app.services import audit
from app.services.context import actor, require_role, require_scope
from app.store.db import Database
from app.store.mapping import entity
from app.store.models import Meta, UserModel

__all__ = [
    "MIN_PASSWORD",
    "bootstrap_admin",
    "check_offline_verifier",
    "check_verifier",
    "create_user",
    "list_users",
    "logged_in_online_here",
    "login_offline",
    "make_verifier",
    "record_online_login",
]


def _check_new_user(username: str, display_name: str, password: str) -> None:
    issues = []
    if not username or not username.isascii() or not username.replace(".", "").isalnum():
        issues.append(Issue("username_format", "username", "error.username_format"))
    if not display_name:
        issues.append(Issue("required", "display_name", "error.required"))
    if len(password) < MIN_PASSWORD:
        issues.append(
            Issue(
                "password_short", "password", "error.password_short", params={"min": MIN_PASSWORD}
            )
        )
    if issues:
        raise InvalidInput(issues)


def bootstrap_admin(
    db: Database, *, org_id: str, username: str, display_name: str, password: str
) -> User:
    """The first org admin of a fresh database (demo and first run; later users come from
    the central or from an org admin)."""
    with db.transaction() as session:
        if session.scalar(select(UserModel.id).limit(1)) is not None:
            raise InvalidInput([Issue("already_initialized", None, "error.already_initialized")])
        return _insert(session, None, org_id, username, display_name, Role.ORG_ADMIN, password, ())


def create_user(
    db: Database,
    actor_id: str,
    *,
    org_id: str,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    scope_org_ids: tuple[str, ...] = (),
) -> User:
    """An org admin adds a user to an organization in their scope."""
    with db.transaction() as session:
        admin = actor(session, actor_id)
        require_role(admin, Role.ORG_ADMIN)
        require_scope(admin, org_id)
        return _insert(
            session, admin.id, org_id, username, display_name, role, password, scope_org_ids
        )


def _insert(session, actor_id, org_id, username, display_name, role, password, scope) -> User:
    username = (username or "").strip().lower()
    display_name = normalize_text(display_name) or ""
    _check_new_user(username, display_name, password)
    if session.scalar(select(UserModel.id).where(UserModel.username == username)):
        raise InvalidInput([Issue("username_taken", "username", "error.username_taken")])
    row = UserModel(
        id=new_id(),
        org_id=org_id,
        username=username,
        display_name=display_name,
        role=str(Role(role)),
        password_verifier=make_verifier(password, offline=True),
        scope_org_ids=list(scope),
        active=True,
        updated_at=utcnow(),
        updated_by=actor_id,
    )
    session.add(row)
    session.flush()
    audit.append(
        session,
        org_id=org_id,
        actor_id=actor_id,
        action="user.create",
        entity_kind="user",
        entity_id=row.id,
        detail={"username": username, "role": row.role},
    )
    return entity(User, row)


def login_offline(db: Database, username: str, password: str) -> User:
    """Check a login against the local verifier; the same error whatever was wrong."""
    with db.transaction() as session:
        row = session.scalar(
            select(UserModel).where(UserModel.username == (username or "").strip().lower())
        )
        if (
            row is None
            or not row.active
            or not check_offline_verifier(password, row.password_verifier)
        ):
            raise AuthenticationFailed("error.login_failed")
        audit.append(
            session,
            org_id=row.org_id,
            actor_id=row.id,
            action="user.login",
            entity_kind="user",
            entity_id=row.id,
        )
        return entity(User, row)


def list_users(db: Database, org_id: str | None = None) -> list[User]:
    with db.reading() as session:
        q = select(UserModel).where(UserModel.deleted.is_(False)).order_by(UserModel.username)
        if org_id is not None:
            q = q.where(UserModel.org_id == org_id)
        return [entity(User, r) for r in session.scalars(q)]


# --- who may log in offline on this PC ---------------------------------------------------

#: ``meta`` key prefix: + a user's id → when the central last confirmed their login here.
ONLINE_LOGIN = "online_login:"


def _active_user_id(session: Session, username: str) -> str | None:
    return session.scalar(
        select(UserModel.id).where(
            UserModel.username == (username or "").strip().lower(),
            UserModel.active.is_(True),
            UserModel.deleted.is_(False),
        )
    )


def record_online_login(db: Database, username: str) -> bool:
    """The central has just confirmed ``username``'s password on this PC, and their row (with
    its verifier) is here: from now on they may log in offline on this PC. False when the
    row has not arrived (yet)."""
    with db.transaction() as session:
        user_id = _active_user_id(session, username)
        if user_id is None:
            return False
        session.merge(Meta(key=ONLINE_LOGIN + user_id, value=utcnow().isoformat()))
        return True


def logged_in_online_here(db: Database, username: str) -> bool:
    """Whether ``username`` has logged in online on this PC before (DESIGN.md §5: a user's
    first login on a PC must be online; later ones may be offline)."""
    with db.reading() as session:
        user_id = _active_user_id(session, username)
        if user_id is None:
            return False
        return session.get(Meta, ONLINE_LOGIN + user_id) is not None
