"""The office's PCs for its org admin (issue 14): list, rename, revoke, and what the
central last saw of each (DESIGN.md §5).

- :func:`list_devices`: the PCs of the admin's scope (for the operator, of one
  organization), with when each last synced, the program version it runs and how many ops
  wait on it, as the PC said in its last pull (:class:`sync.protocol.ClientStatus`; for
  display only).
- :func:`rename`: a PC's name, as the office knows it.
- :func:`revoke`: the PC's credential stops working at once, with every session opened on
  it; its bundle keys go and so do the signing keys users registered there, so nothing
  signed there from now on is taken. A revoked PC must be registered (enrolled) again.
- :func:`seen`: the pull route notes the PC's status; written at most once a minute while
  nothing changes, so a no-op sync costs no write.

An org admin acts on PCs of organizations in their scope; every change is a security event
the org admins read (:func:`sync.central.accounts.security_events`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain.entities import Role, User
from app.domain.ids import utcnow
from app.domain.thai import normalize_text
from sync.central import admin, auth, throttle
from sync.central.auth import AuthError, Principal
from sync.central.db import CentralDB
from sync.central.models import CentralDevice, CentralUserKey
from sync.protocol import ClientStatus, DeviceInfo, ErrorCode

__all__ = ["find_device", "list_devices", "rename", "revoke", "seen"]

SEEN_EVERY = dt.timedelta(seconds=60)
MAX_NAME = 120


def _require_admin(actor: User | None, what: str) -> None:
    if actor is not None and actor.role is not Role.ORG_ADMIN:
        raise AuthError(ErrorCode.FORBIDDEN, f"only an organization administrator can {what}")


def _info(row: CentralDevice) -> DeviceInfo:
    return DeviceInfo(
        id=row.id, org_id=row.org_id, name=row.name, registered_at=row.created_at,
        last_sync_at=row.last_seen_at, program_version=row.program_version,
        ops_waiting=row.ops_waiting, revoked_at=row.revoked_at,
    )  # fmt: skip


def list_devices(
    db: CentralDB, actor: User | None, *, org_id: str | None = None
) -> list[DeviceInfo]:
    """The PCs of the admin's scope (or of ``org_id`` in it; the operator: of ``org_id``,
    or all), live ones first, then by name."""
    _require_admin(actor, "list the PCs")
    query = select(CentralDevice)
    if actor is not None:
        orgs = actor.scope if org_id is None else actor.scope & {org_id}
        query = query.where(CentralDevice.org_id.in_(sorted(orgs)))
    elif org_id is not None:
        query = query.where(CentralDevice.org_id == org_id)
    with db.reading() as session:
        rows = session.scalars(query).all()
        found = [_info(r) for r in rows]
    return sorted(found, key=lambda d: (d.revoked_at is not None, d.name, d.id))


def _target(session: Session, actor: User | None, device_id: str) -> CentralDevice:
    device = session.get(CentralDevice, device_id)
    if device is None:
        raise AuthError(ErrorCode.NOT_FOUND, "the central has no such device", 404)
    if actor is not None and device.org_id not in actor.scope:
        raise AuthError(ErrorCode.FORBIDDEN, "the device belongs to another organization")
    return device


def _event(session: Session, actor: User | None, device: CentralDevice, kind: str, **detail):
    throttle.record_event(
        session,
        kind=kind,
        org_id=device.org_id,
        detail={
            "device_id": device.id, "name": device.name, **detail,
            "by": actor.username if actor is not None else auth.OPERATOR,
        },
    )  # fmt: skip


def rename(db: CentralDB, actor: User | None, device_id: str, name: str) -> DeviceInfo:
    """Give a PC of the admin's scope a new name (a revoked one too: the list keeps it)."""
    _require_admin(actor, "rename a PC")
    clean = normalize_text(name) or ""
    if not clean or len(clean) > MAX_NAME:
        raise AuthError(ErrorCode.BAD_REQUEST, f"a PC's name has 1 to {MAX_NAME} characters", 422)
    with db.transaction() as session:
        device = _target(session, actor, device_id)
        old = device.name
        if old != clean:
            device.name = clean
            _event(session, actor, device, "device.renamed", old_name=old)
        return _info(device)


def revoke(db: CentralDB, actor: User | None, device_id: str) -> DeviceInfo:
    """Revoke a PC (see the module doc); revoking it again changes nothing."""
    _require_admin(actor, "revoke a PC")
    with db.transaction() as session:
        device = _target(session, actor, device_id)
        now = utcnow()
        first = device.revoked_at is None
        if first:
            device.revoked_at = now
        device.bundle_key = device.signing_key = device.encryption_key = None
        auth.revoke_device_tokens(session, device_id, now)
        keys = session.execute(
            update(CentralUserKey)
            .where(CentralUserKey.device_id == device_id, CentralUserKey.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        if first:
            _event(session, actor, device, "device.revoked", user_keys_revoked=keys.rowcount)  # type: ignore[attr-defined]
        return _info(device)


def seen(db: CentralDB, principal: Principal, status: ClientStatus) -> None:
    """Note that the caller's PC synced, with what it says of itself (see the module doc).
    What the central saw last came with the caller's authentication: a sync with nothing
    new to say costs no query and takes no write lock."""
    now = utcnow()
    at, version, waiting = principal.device_seen
    fresh = at is not None and at >= now - SEEN_EVERY
    if fresh and (version, waiting) == (status.version, status.ops_waiting):
        return
    with db.transaction() as session:
        session.execute(
            update(CentralDevice)
            .where(CentralDevice.id == principal.device_id)
            .values(
                last_seen_at=now,
                program_version=status.version,
                ops_waiting=status.ops_waiting,
            )
        )


def find_device(db: CentralDB, ref: str) -> str:
    """The id of the PC ``ref`` names (its id, or a unique name), for the operator."""
    ref = (ref or "").strip()
    with db.reading() as session:
        if session.get(CentralDevice, ref) is not None:
            return ref
        ids = session.scalars(select(CentralDevice.id).where(CentralDevice.name == ref)).all()
    if len(ids) != 1:
        many = "several PCs are" if ids else "no PC is"
        raise admin.AdminError(f"{many} named {ref!r}: give the PC's id ('devices list')")
    return ids[0]
