"""SQLAlchemy models of the local store. Columns mirror :mod:`app.domain.entities`.

Schema changes only through Alembic migrations (``app/store/migrations``); a test holds the
migrated schema equal to these models. ``person_fts`` (FTS5, trigram) and its triggers are
made by the migrations only: SQLAlchemy has no model for a virtual table.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.store.types import DecimalText, UTCDateTime

FTS_TABLES = ("person_fts",)


def _fk(target: str) -> ForeignKey:
    # Deferred, so that one sync page may bring a row before the row it points to.
    return ForeignKey(target, deferrable=True, initially="DEFERRED")


class Base(DeclarativeBase):
    type_annotation_map = {  # noqa: RUF012
        dt.datetime: UTCDateTime,
        Decimal: DecimalText,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class SyncedMixin:
    """Metadata of every row the central knows (DESIGN.md §3)."""

    org_id: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime | None]
    updated_by: Mapped[str | None] = mapped_column(String(36))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class Meta(Base):
    """Facts about this database: its device id, when it was made."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class OrganizationModel(SyncedMixin, Base):
    __tablename__ = "organization"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dla_code: Mapped[str] = mapped_column(String(7), unique=True)
    name: Mapped[str] = mapped_column(Text)
    org_type: Mapped[str] = mapped_column(String(32))
    province_code: Mapped[str] = mapped_column(String(2))
    amphoe_code: Mapped[str | None] = mapped_column(String(4))
    tambon_code: Mapped[str | None] = mapped_column(String(6))


class OrgUnitModel(SyncedMixin, Base):
    __tablename__ = "org_unit"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    unit_kind: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[str | None] = mapped_column(String(36), _fk("org_unit.id"))
    closed: Mapped[bool] = mapped_column(Boolean, default=False)


class PositionModel(SyncedMixin, Base):
    """A position slot (app.domain.structure); ``position_number`` is kept normalized
    (structure.number_key), so the unique constraint holds "๓๔-๑" and "34-1" as one."""

    __tablename__ = "position"
    __table_args__ = (
        UniqueConstraint("org_id", "position_number"),
        # the vacant-slot picker and the staffing overview: an office's slots by state
        Index("ix_position_state", "org_id", "state", "position_number"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    position_number: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    job_line_code: Mapped[str | None] = mapped_column(String(8))
    position_type: Mapped[str] = mapped_column(String(32))
    level_min: Mapped[str | None] = mapped_column(String(32))
    level_max: Mapped[str | None] = mapped_column(String(32))
    unit_id: Mapped[str | None] = mapped_column(String(36), _fk("org_unit.id"), index=True)
    # vacant | filled | frozen | cut (entities.SlotState); filled only by an appointment
    state: Mapped[str] = mapped_column(String(16), default="vacant")
    holder_id: Mapped[str | None] = mapped_column(String(36))  # the person; no FK: pulls
    staff_type: Mapped[str | None] = mapped_column(String(32))  # a personnel category


class StaffingPlanModel(SyncedMixin, Base):
    """A line of the three-year staffing plan (entities.StaffingPlanLine)."""

    __tablename__ = "staffing_plan"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    first_year_be: Mapped[int] = mapped_column(Integer)
    position_title: Mapped[str] = mapped_column(Text)
    position_type: Mapped[str | None] = mapped_column(String(32))
    level: Mapped[str | None] = mapped_column(String(32))
    unit_id: Mapped[str | None] = mapped_column(String(36), _fk("org_unit.id"))
    counts: Mapped[list[Any]]
    note: Mapped[str | None] = mapped_column(Text)


class PersonModel(SyncedMixin, Base):
    """The official record. ``local_id`` is the stable rowid the search index points at."""

    __tablename__ = "person"
    __table_args__ = (
        # Covers search-as-you-type: scanned in Thai order, it stops when a page is full.
        Index("ix_person_order", "deleted", "sort_key", "search_text"),
        Index("ix_person_org_order", "org_id", "sort_key"),
    )
    local_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    citizen_id: Mapped[str] = mapped_column(String(13), index=True)
    prefix: Mapped[str] = mapped_column(String(32))
    acting_rank: Mapped[bool] = mapped_column(Boolean, default=False)
    first_name_th: Mapped[str] = mapped_column(Text)
    last_name_th: Mapped[str] = mapped_column(Text)
    first_name_en: Mapped[str | None] = mapped_column(Text)
    last_name_en: Mapped[str | None] = mapped_column(Text)
    birth_date: Mapped[dt.date | None]
    gender: Mapped[str | None] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32), index=True)
    position_id: Mapped[str | None] = mapped_column(String(36), _fk("position.id"), index=True)
    position_type: Mapped[str | None] = mapped_column(String(32))
    level: Mapped[str | None] = mapped_column(String(32))
    salary: Mapped[Decimal | None]
    salary_step: Mapped[str | None] = mapped_column(String(16))
    appointment_date: Mapped[dt.date | None]
    employment_status: Mapped[str] = mapped_column(String(32), default="active")
    retirement_date: Mapped[dt.date | None]
    # Derived at every write (app.store.search): Thai dictionary order, and the text searched.
    sort_key: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text)


class PersonSensitiveModel(SyncedMixin, Base):
    __tablename__ = "person_sensitive"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36), _fk("person.id"), unique=True)
    religion: Mapped[str | None] = mapped_column(Text)
    blood_group: Mapped[str | None] = mapped_column(String(8))
    health_note: Mapped[str | None] = mapped_column(Text)


class HistoryRowModel(SyncedMixin, Base):
    """Every history table of the register in one: ``kind`` names it, ``data`` holds its
    fields in wire form (see app.domain.entities.HISTORY_KINDS for each kind's fields)."""

    __tablename__ = "history_row"
    __table_args__ = (Index("ix_history_person", "person_id", "kind", "sort_date"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36), _fk("person.id"))
    kind: Mapped[str] = mapped_column(String(32))
    sort_date: Mapped[dt.date | None]
    data: Mapped[dict[str, Any]]


class SubmissionModel(SyncedMixin, Base):
    __tablename__ = "submission"
    __table_args__ = (
        Index("ix_submission_person", "person_id", "state"),
        Index("ix_submission_state", "state", "submitted_at"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36))  # no FK: a new person is not yet official
    kind: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[str] = mapped_column(String(36), index=True)
    base_version: Mapped[int] = mapped_column(Integer, default=0)
    changes: Mapped[dict[str, Any]]
    history: Mapped[dict[str, Any]]
    return_reason: Mapped[str | None] = mapped_column(Text)
    field_comments: Mapped[dict[str, Any]]
    created_at: Mapped[dt.datetime | None]
    submitted_at: Mapped[dt.datetime | None]
    decided_at: Mapped[dt.datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(36))


class DecisionModel(SyncedMixin, Base):
    __tablename__ = "decision"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    submission_id: Mapped[str] = mapped_column(String(36), _fk("submission.id"), index=True)
    decider_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    resolutions: Mapped[dict[str, Any]]
    decided_at: Mapped[dt.datetime | None]


class UserModel(SyncedMixin, Base):
    __tablename__ = "app_user"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    password_verifier: Mapped[str | None] = mapped_column(Text)
    scope_org_ids: Mapped[list[Any]]
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AuditEventModel(Base):
    """Append-only; ``hash`` = sha256 over the event's canonical JSON and ``prev_hash``."""

    __tablename__ = "audit_event"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    org_id: Mapped[str] = mapped_column(String(36), index=True)
    actor_id: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[dt.datetime]
    action: Mapped[str] = mapped_column(String(64))
    entity_kind: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(36), index=True)
    detail: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class OutboxOpModel(Base):
    """An operation waiting to reach the central (DESIGN.md §4), written in the same
    transaction as the change it carries. ``seq`` is the order ops are pushed in."""

    __tablename__ = "outbox_op"
    __table_args__ = (Index("ix_outbox_state", "state", "seq"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(48))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(36))
    author: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[dt.datetime]
    payload: Mapped[dict[str, Any]]
    # pending → (sent) → applied | conflict | rejected; "sent" once it has left this PC.
    state: Mapped[str] = mapped_column(String(16), default="pending")
    sent_at: Mapped[dt.datetime | None]
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The rows the op changed here, as they were before (``absent``: the op made them): put
    # back if the central refuses the op, so this PC ends with the central's state.
    undo: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # ``<key id>.<signature>`` by the author's key over the op (app.domain.signing.op_value);
    # None until the author's key is unlocked here (their login) and registered.
    signature: Mapped[str | None] = mapped_column(String(120))


class UserKeyModel(Base):
    """A user's Ed25519 signing key on this PC (DESIGN.md §5): the private half only locked
    under their password (app.domain.signing.lock_private_key), unlocked at their login;
    ``registered_at`` once the central has the public half."""

    __tablename__ = "user_key"
    user_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(16))
    public_key: Mapped[str] = mapped_column(String(64))  # hex of the raw 32 bytes
    locked_key: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
    registered_at: Mapped[dt.datetime | None]


class SyncCursorModel(Base):
    """How far this PC has pulled each organization: the last ``seq`` applied."""

    __tablename__ = "sync_cursor"
    org_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)


class SyncDeferredModel(Base):
    """A pulled row state not applied yet: the row has an unanswered local edit
    (``reason`` local) or points to a row this PC does not have yet (parent)."""

    __tablename__ = "sync_deferred"
    table_name: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(16))
