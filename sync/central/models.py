"""The central's tables (its own metadata and migrations, on PostgreSQL or SQLite).

Synced entities (people, history rows, submissions, decisions, units, positions, users,
organizations) live as their full wire-form state in ``central_row``, one row per entity,
with the ``version`` the central gave it and the per-organization ``seq`` of its last write:
pulling is ``seq > cursor`` for one organization. Accounts, devices, tokens, the op log and
the audit trail have tables of their own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.store.types import UTCDateTime

JsonType = JSON().with_variant(JSONB(), "postgresql")


class CentralBase(DeclarativeBase):
    type_annotation_map = {  # noqa: RUF012
        dt.datetime: UTCDateTime,
        dict[str, Any]: JsonType,
        list[Any]: JsonType,
    }


class OrgCounter(CentralBase):
    """The last ``seq`` given out in an organization; its row lock orders the writes."""

    __tablename__ = "central_org_counter"
    org_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


class CentralRow(CentralBase):
    __tablename__ = "central_row"
    __table_args__ = (
        Index("ux_central_row_org_seq", "org_id", "seq", unique=True),
        Index("ix_central_row_parent", "parent_id", "table_name"),
        Index("ix_central_row_id", "id"),  # an id in any table: ids are owned (c0004a)
    )
    table_name: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(36))
    # the person of a history row, the submission of a decision; None otherwise
    parent_id: Mapped[str | None] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(BigInteger)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    updated_at: Mapped[dt.datetime]
    updated_by: Mapped[str | None] = mapped_column(String(36))


class CentralOrganization(CentralBase):
    __tablename__ = "central_organization"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dla_code: Mapped[str] = mapped_column(String(7), unique=True)
    name: Mapped[str] = mapped_column(Text)
    org_type: Mapped[str] = mapped_column(String(32))
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    amphoe_code: Mapped[str | None] = mapped_column(String(4))
    tambon_code: Mapped[str | None] = mapped_column(String(6))


class CentralUser(CentralBase):
    __tablename__ = "central_user"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(36), index=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    password_verifier: Mapped[str] = mapped_column(Text)  # the central's: never published
    scope_org_ids: Mapped[list[Any]]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime]
    # accounts (issue 13): the verifier published to PCs (app.domain.passwords), None until
    # the user's next password or online login; a one-time password must be changed first
    offline_verifier: Mapped[str | None] = mapped_column(Text)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)


class CentralDevice(CentralBase):
    """A PC registered to one organization; only the hash of its credential is kept, and
    the public keys of its USB bundles (sync.protocol.bundle): Ed25519 to check what it
    signs, X25519 to encrypt its receipts to. ``bundle_key`` is the secret K of formats 1
    and 2, kept only for PCs registered before format 3 until they register their keys."""

    __tablename__ = "central_device"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(Text)
    credential_hash: Mapped[str] = mapped_column(String(64))
    bundle_key: Mapped[str | None] = mapped_column(String(64))  # hex; never logged; legacy
    signing_key: Mapped[str | None] = mapped_column(String(64))  # hex, Ed25519 public
    encryption_key: Mapped[str | None] = mapped_column(String(64))  # hex, X25519 public
    registered_by: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    # what the central last saw of the PC (issue 14; sync.central.devices): for display only
    last_seen_at: Mapped[dt.datetime | None]
    program_version: Mapped[str | None] = mapped_column(String(32))
    ops_waiting: Mapped[int | None] = mapped_column(Integer)


class CentralToken(CentralBase):
    """A user's login token; only its SHA-256 is kept."""

    __tablename__ = "central_token"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(36), index=True)
    device_id: Mapped[str | None] = mapped_column(String(36))
    issued_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]


class CentralOp(CentralBase):
    """Every op the central has answered, with its answer: a re-sent op gets it again."""

    __tablename__ = "central_op"
    op_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(36))
    author: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(48))
    received_at: Mapped[dt.datetime]
    status: Mapped[str] = mapped_column(String(16))
    result: Mapped[dict[str, Any]]


class CentralAudit(CentralBase):
    """Audit events as the desktops chained them; the hash is checked on arrival."""

    __tablename__ = "central_audit"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(36), index=True)
    device_id: Mapped[str] = mapped_column(String(36))
    actor_id: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[dt.datetime]
    action: Mapped[str] = mapped_column(String(64))
    entity_kind: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(36), index=True)
    detail: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(String(64), index=True)  # the chain's links
    hash: Mapped[str] = mapped_column(String(64), index=True)
    received_at: Mapped[dt.datetime]


class CentralUserKey(CentralBase):
    """A user's public signing key on one PC (DESIGN.md §5): registered over the user's
    authenticated session, it checks the signatures of the ops that user makes there
    (app.domain.signing). Only public keys are kept; a revoked key checks nothing."""

    __tablename__ = "central_user_key"
    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(36), index=True)
    device_id: Mapped[str] = mapped_column(String(36), index=True)
    public_key: Mapped[str] = mapped_column(String(64))  # hex of the raw 32 bytes
    created_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]


# --- accounts (issue 13): failed attempts and what the org admins are told ---------------


class CentralAuthFailure(CentralBase):
    """Failed logins and PC registrations of one key (``account:<username>`` or
    ``address:<client address>``), shared by every central process (sync.central.throttle)."""

    __tablename__ = "central_auth_failure"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[dt.datetime] = mapped_column(index=True)
    blocked_until: Mapped[dt.datetime | None]


class CentralSecurityEvent(CentralBase):
    """Something an org admin (``org_id``) or, with no organization, the operator should
    know: an account or an address refused after repeated failures, a password reset."""

    __tablename__ = "central_security_event"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str | None] = mapped_column(String(36), index=True)
    at: Mapped[dt.datetime]
    kind: Mapped[str] = mapped_column(String(48))
    user_id: Mapped[str | None] = mapped_column(String(36))
    username: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]]
