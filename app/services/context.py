"""What every service needs inside its transaction: the acting user, scope, the clock."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.domain.entities import Role, User
from app.domain.errors import NotFound, PermissionDenied
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
