"""The entities of DESIGN.md §3 as plain, frozen data.

Every synced row carries ``id`` (UUIDv7), ``org_id``, ``version`` (assigned by the central;
0 until the central has seen the row), ``updated_at``, ``updated_by`` and a ``deleted``
tombstone. Codes such as a personnel category or a decoration class are strings from the
reference lists in ``resources/reference`` (see :mod:`app.domain.reference`), so new values
need no code change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

JsonDict = dict[str, Any]


class Role(StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ORG_ADMIN = "org_admin"
    AUDITOR = "auditor"


class SubmissionKind(StrEnum):
    NEW_PERSON = "new"
    UPDATE = "update"
    END_OF_SERVICE = "end_of_service"


class SubmissionState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"

    @property
    def is_terminal(self) -> bool:
        return self in (SubmissionState.APPROVED, SubmissionState.WITHDRAWN)


class DecisionAction(StrEnum):
    APPROVE = "approve"
    RETURN = "return"


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """Metadata every synced row has."""

    id: str
    org_id: str
    version: int = 0
    updated_at: dt.datetime | None = None
    updated_by: str | None = None
    deleted: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Organization(Row):
    """An อปท. Its ``org_id`` is its own ``id``."""

    dla_code: str
    name: str
    org_type: str
    province_code: str
    amphoe_code: str | None = None
    tambon_code: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OrgUnit(Row):
    """สำนัก / กอง / ส่วน / ฝ่าย / งาน within an organization (app.domain.structure).
    A closed unit stays on record (people's history names it) but takes no new slots."""

    name: str
    unit_kind: str
    parent_id: str | None = None
    closed: bool = False


class SlotState(StrEnum):
    """A position slot's state. ``filled`` only ever comes from an approved appointment
    (app.domain.structure.appointment), never from a hand."""

    VACANT = "vacant"
    FILLED = "filled"
    FROZEN = "frozen"
    CUT = "cut"


@dataclass(frozen=True, slots=True, kw_only=True)
class Position(Row):
    """A position slot (ตำแหน่งเลขที่) of the office's framework (กรอบอัตรากำลัง)."""

    position_number: str
    title: str
    job_line_code: str | None
    position_type: str
    level_min: str | None = None
    level_max: str | None = None
    unit_id: str | None = None
    state: SlotState = SlotState.VACANT
    holder_id: str | None = None  # the person appointed to it, while filled
    staff_type: str | None = None  # a personnel category (reference list)


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffingPlanLine(Row):
    """One line of the office's three-year staffing plan (แผนอัตรากำลัง 3 ปี): how many
    positions of a title (type, level, unit) the plan approves in each of its three years,
    the first being ``first_year_be`` (a Buddhist-era fiscal year)."""

    first_year_be: int
    position_title: str
    position_type: str | None = None
    level: str | None = None
    unit_id: str | None = None
    counts: tuple[int, int, int] = (0, 0, 0)
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Person(Row):
    """The official record of one person. Sensitive data lives in :class:`PersonSensitive`."""

    citizen_id: str
    prefix: str
    acting_rank: bool = False  # "ว่าที่" before a rank
    first_name_th: str
    last_name_th: str
    first_name_en: str | None = None
    last_name_en: str | None = None
    birth_date: dt.date | None = None
    gender: str | None = None
    category: str
    position_id: str | None = None
    position_type: str | None = None
    level: str | None = None
    salary: Decimal | None = None
    salary_step: str | None = None
    appointment_date: dt.date | None = None
    employment_status: str = "active"
    retirement_date: dt.date | None = None

    # Fields a submission may change. Row metadata and the id are not among them.
    EDITABLE: ClassVar[tuple[str, ...]] = (
        "citizen_id", "prefix", "acting_rank", "first_name_th", "last_name_th",
        "first_name_en", "last_name_en", "birth_date", "gender", "category", "position_id",
        "position_type", "level", "salary", "salary_step", "appointment_date",
        "employment_status", "retirement_date",
    )  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonSensitive(Row):
    """Sensitive personal data (PDPA s.26), kept apart and shown only where needed."""

    person_id: str
    religion: str | None = None
    blood_group: str | None = None
    health_note: str | None = None


# --- history rows: one table each in the register, each row its own UUID -----------------


@dataclass(frozen=True, slots=True, kw_only=True)
class HistoryRow(Row):
    person_id: str
    KIND: ClassVar[str] = ""
    # The field that orders rows of this kind on a timeline.
    DATE_FIELD: ClassVar[str] = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class MovementRow(HistoryRow):
    """Appointment, promotion, transfer, acting post, end of service."""

    KIND: ClassVar[str] = "movement"
    DATE_FIELD: ClassVar[str] = "effective_date"
    movement_type: str
    effective_date: dt.date
    position_title: str | None = None
    position_number: str | None = None
    position_type: str | None = None
    level: str | None = None
    org_name: str | None = None
    order_number: str | None = None
    order_date: dt.date | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SalaryRow(HistoryRow):
    KIND: ClassVar[str] = "salary"
    DATE_FIELD: ClassVar[str] = "effective_date"
    effective_date: dt.date
    salary: Decimal
    salary_step: str | None = None
    order_number: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EducationRow(HistoryRow):
    KIND: ClassVar[str] = "education"
    DATE_FIELD: ClassVar[str] = "graduated_date"
    education_level: str
    degree: str
    major: str | None = None
    institution: str | None = None
    graduated_date: dt.date | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TrainingRow(HistoryRow):
    KIND: ClassVar[str] = "training"
    DATE_FIELD: ClassVar[str] = "start_date"
    course: str
    organizer: str | None = None
    start_date: dt.date
    end_date: dt.date | None = None
    hours: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DecorationRow(HistoryRow):
    """A royal decoration, with its Royal Gazette reference."""

    KIND: ClassVar[str] = "decoration"
    DATE_FIELD: ClassVar[str] = "received_date"
    decoration_class: str
    received_date: dt.date
    gazette_volume: str | None = None
    gazette_section: str | None = None
    gazette_page: str | None = None
    gazette_date: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LeaveRow(HistoryRow):
    KIND: ClassVar[str] = "leave"
    DATE_FIELD: ClassVar[str] = "start_date"
    leave_type: str
    start_date: dt.date
    end_date: dt.date
    days: Decimal | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DisciplineRow(HistoryRow):
    KIND: ClassVar[str] = "discipline"
    DATE_FIELD: ClassVar[str] = "order_date"
    penalty: str
    order_number: str | None = None
    order_date: dt.date
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NameChangeRow(HistoryRow):
    KIND: ClassVar[str] = "name_change"
    DATE_FIELD: ClassVar[str] = "changed_date"
    changed_date: dt.date
    old_prefix: str | None = None
    old_first_name_th: str | None = None
    old_last_name_th: str | None = None
    new_prefix: str | None = None
    new_first_name_th: str | None = None
    new_last_name_th: str | None = None
    note: str | None = None


HISTORY_KINDS: dict[str, type[HistoryRow]] = {
    cls.KIND: cls
    for cls in (
        MovementRow, SalaryRow, EducationRow, TrainingRow, DecorationRow, LeaveRow,
        DisciplineRow, NameChangeRow,
    )
}  # fmt: skip

# --- workflow --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HistoryChanges:
    """History rows a submission adds, updates or deletes, in wire form (JSON-safe dicts).

    ``added``: full rows, each with ``id`` and ``kind``. ``updated``: row id → {field:
    [old, new]}. ``deleted``: row id → the row as the clerk saw it (the base).
    """

    added: tuple[JsonDict, ...] = ()
    updated: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    deleted: dict[str, JsonDict] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.added or self.updated or self.deleted)


@dataclass(frozen=True, slots=True, kw_only=True)
class Submission(Row):
    """A proposed change to one person, written by one clerk (DESIGN.md §3)."""

    person_id: str
    kind: SubmissionKind
    state: SubmissionState = SubmissionState.DRAFT
    author_id: str
    base_version: int = 0
    # field → [old, new], values in wire form (see app.domain.codec)
    changes: dict[str, list[Any]] = field(default_factory=dict)
    history: HistoryChanges = field(default_factory=HistoryChanges)
    return_reason: str | None = None
    field_comments: dict[str, str] = field(default_factory=dict)
    created_at: dt.datetime | None = None
    submitted_at: dt.datetime | None = None
    decided_at: dt.datetime | None = None
    decided_by: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision(Row):
    submission_id: str
    decider_id: str
    action: DecisionAction
    reason: str | None = None
    # conflict key → chosen value (wire form); see app.domain.merge
    resolutions: dict[str, Any] = field(default_factory=dict)
    decided_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class User(Row):
    username: str
    display_name: str
    role: Role
    password_verifier: str | None = None
    # Organizations this user may read and write beyond their own (a provincial supervisor).
    scope_org_ids: tuple[str, ...] = ()
    active: bool = True

    @property
    def scope(self) -> frozenset[str]:
        return frozenset((self.org_id, *self.scope_org_ids))


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEvent:
    """Append-only and hash-chained: ``hash`` covers the event and ``prev_hash``."""

    id: str
    seq: int
    org_id: str
    actor_id: str | None
    at: dt.datetime
    action: str
    entity_kind: str
    entity_id: str | None
    detail: JsonDict
    prev_hash: str
    hash: str
