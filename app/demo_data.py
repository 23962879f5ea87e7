"""Realistic, deterministic Thai demo data for one organization.

The same ``--org``, ``--people`` and ``--seed`` always give the same people, with names
from lists of real Thai given names and surnames, valid citizen IDs, positions whose type
and level agree, salaries that fit the level, and history rows. The official rows are bulk
inserted (a demo office starts as if it had synced); the accounts and the few drafts and
submitted changes go through the real services, outbox and audit included.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert, select
from stdnum.th import pin

from app.domain import codec
from app.domain.entities import Role, SubmissionKind
from app.paths import resource
from app.services import submissions, users
from app.store.db import Database
from app.store.mapping import history_columns
from app.store.models import (
    HistoryRowModel,
    OrganizationModel,
    OrgUnitModel,
    PersonModel,
    PositionModel,
    UserModel,
)
from app.store.search import derived

ORG_TYPE_BY_DIGIT = {
    "2": ("pao", "องค์การบริหารส่วนจังหวัด"),
    "3": ("city_municipality", "เทศบาลนคร"),
    "4": ("town_municipality", "เทศบาลเมือง"),
    "5": ("subdistrict_municipality", "เทศบาลตำบล"),
    "6": ("sao", "องค์การบริหารส่วนตำบล"),
}
PLACES = ("หนองบัว", "ดอนแก้ว", "บ้านใหม่", "ท่าช้าง", "โนนสูง", "ห้วยทราย", "นาคำ", "เขาพระ")
UNITS = (
    ("สำนักปลัด", "bureau"),
    ("กองคลัง", "division"),
    ("กองช่าง", "division"),
    ("กองการศึกษา ศาสนาและวัฒนธรรม", "division"),
    ("กองสาธารณสุขและสิ่งแวดล้อม", "division"),
)
# (title, job line code, category, position type, levels, unit index, weight)
# Job-line codes here are illustrative (DOMAIN.md: 4 digits, e.g. 1101).
POSITIONS = (
    (
        "ปลัดองค์การบริหารส่วนตำบล",
        "1101",
        "local_official",
        "executive",
        ("executive_junior", "executive_middle"),
        0,
        1,
    ),
    (
        "หัวหน้าสำนักปลัด",
        "1102",
        "local_official",
        "director",
        ("director_junior", "director_middle"),
        0,
        1,
    ),
    (
        "ผู้อำนวยการกองคลัง",
        "1103",
        "local_official",
        "director",
        ("director_junior", "director_middle"),
        1,
        1,
    ),
    ("ผู้อำนวยการกองช่าง", "1104", "local_official", "director", ("director_junior",), 2, 1),
    (
        "นักทรัพยากรบุคคล",
        "2101",
        "local_official",
        "academic",
        ("academic_practitioner", "academic_professional"),
        0,
        3,
    ),
    (
        "นักวิเคราะห์นโยบายและแผน",
        "2102",
        "local_official",
        "academic",
        ("academic_practitioner", "academic_professional", "academic_senior_professional"),
        0,
        3,
    ),
    (
        "นักวิชาการเงินและบัญชี",
        "2103",
        "local_official",
        "academic",
        ("academic_practitioner", "academic_professional"),
        1,
        3,
    ),
    (
        "นักวิชาการศึกษา",
        "2104",
        "local_official",
        "academic",
        ("academic_practitioner", "academic_professional"),
        3,
        3,
    ),
    (
        "นักพัฒนาชุมชน",
        "2105",
        "local_official",
        "academic",
        ("academic_practitioner", "academic_professional"),
        0,
        3,
    ),
    (
        "นิติกร",
        "2106",
        "local_official",
        "academic",
        ("academic_practitioner", "academic_professional"),
        0,
        2,
    ),
    (
        "นักวิชาการสาธารณสุข",
        "2107",
        "local_official",
        "academic",
        ("academic_practitioner", "academic_professional"),
        4,
        2,
    ),
    (
        "เจ้าพนักงานธุรการ",
        "3101",
        "local_official",
        "general",
        ("general_operational", "general_experienced", "general_senior"),
        0,
        4,
    ),
    (
        "เจ้าพนักงานการเงินและบัญชี",
        "3102",
        "local_official",
        "general",
        ("general_operational", "general_experienced"),
        1,
        3,
    ),
    (
        "เจ้าพนักงานพัสดุ",
        "3103",
        "local_official",
        "general",
        ("general_operational", "general_experienced"),
        1,
        2,
    ),
    (
        "นายช่างโยธา",
        "3104",
        "local_official",
        "general",
        ("general_operational", "general_experienced", "general_senior"),
        2,
        3,
    ),
    (
        "เจ้าพนักงานป้องกันและบรรเทาสาธารณภัย",
        "3105",
        "local_official",
        "general",
        ("general_operational", "general_experienced"),
        0,
        2,
    ),
    (
        "ครู",
        "4101",
        "local_teacher",
        "teacher",
        ("teacher_none", "teacher_professional", "teacher_senior_professional"),
        3,
        6,
    ),
    (
        "ครูผู้ดูแลเด็ก",
        "4102",
        "local_teacher",
        "teacher",
        ("teacher_assistant", "teacher_none", "teacher_professional"),
        3,
        5,
    ),
    ("พนักงานขับรถยนต์", None, "permanent_employee", None, (None,), 0, 3),
    ("ผู้ช่วยเจ้าพนักงานธุรการ", None, "mission_contract", None, (None,), 0, 6),
    ("ผู้ช่วยนายช่างโยธา", None, "mission_contract", None, (None,), 2, 4),
    ("คนงานทั่วไป", None, "general_contract", None, (None,), 4, 8),
    ("ภารโรง", None, "general_contract", None, (None,), 3, 4),
)
SALARY_BY_LEVEL = {
    None: (9_400, 18_000),
    "executive_junior": (35_000, 60_000),
    "executive_middle": (45_000, 70_000),
    "director_junior": (28_000, 55_000),
    "director_middle": (35_000, 62_000),
    "academic_practitioner": (15_000, 30_000),
    "academic_professional": (22_000, 50_000),
    "academic_senior_professional": (32_000, 60_000),
    "general_operational": (11_000, 25_000),
    "general_experienced": (16_000, 40_000),
    "general_senior": (25_000, 50_000),
    "teacher_assistant": (15_000, 25_000),
    "teacher_none": (15_000, 30_000),
    "teacher_professional": (22_000, 50_000),
    "teacher_senior_professional": (32_000, 60_000),
}
COURSES = ("การจัดทำแผนพัฒนาท้องถิ่น", "ระเบียบพัสดุภาครัฐ", "การบริหารงานบุคคลส่วนท้องถิ่น",
           "การป้องกันและบรรเทาสาธารณภัย", "คอมพิวเตอร์เพื่องานสำนักงาน")  # fmt: skip
INSTITUTIONS = ("มหาวิทยาลัยขอนแก่น", "มหาวิทยาลัยราชภัฏอุดรธานี", "มหาวิทยาลัยรามคำแหง",
                "มหาวิทยาลัยเชียงใหม่", "มหาวิทยาลัยสุโขทัยธรรมาธิราช")  # fmt: skip


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    password: str
    role: Role
    user_id: str


@dataclass(frozen=True, slots=True)
class DemoResult:
    org_id: str
    org_name: str
    people: int
    accounts: tuple[DemoAccount, ...]
    drafts: int
    submitted: int


def _names() -> dict[str, list[list[str]]]:
    return json.loads(resource("demo", "thai_names.json").read_text(encoding="utf-8"))


def _uuid(rng: random.Random, when: dt.datetime) -> str:
    """A UUIDv7 with the given time and random bits from ``rng``: deterministic demo ids."""
    ms = int(when.timestamp() * 1000)
    value = (ms << 80) | (0x7 << 76) | (rng.getrandbits(12) << 64)
    value |= (0b10 << 62) | rng.getrandbits(62)
    return str(uuid.UUID(int=value))


def citizen_id(rng: random.Random, birth: dt.date) -> str:
    """A valid ID: Thais born from 1984 on start with 1, those registered earlier with 3."""
    first = "1" if birth.year >= 1984 else rng.choice("3333333332")
    body = first + "".join(rng.choice("0123456789") for _ in range(11))
    return body + pin.calc_check_digit(body)


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def _years_after(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February."""
    return dt.date(day.year + years, day.month, min(day.day, 28) if day.month == 2 else day.day)


def _retirement(birth: dt.date) -> dt.date:
    """30 September of the fiscal year in which the person turns 60."""
    year = birth.year + 60 + (1 if birth >= dt.date(birth.year, 10, 2) else 0)
    return dt.date(year, 9, 30)


def generate(db: Database, *, org_code: str, people: int, seed: int = 1) -> DemoResult:
    """Fill ``db`` with one organization of ``people`` people (a fresh database)."""
    rng = random.Random(f"{org_code}:{seed}")
    born = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    org_type, org_type_th = ORG_TYPE_BY_DIGIT.get(org_code[:1], ORG_TYPE_BY_DIGIT["6"])
    org_name = f"{org_type_th}{rng.choice(PLACES)}"
    org_id = _uuid(rng, born)
    meta = {"org_id": org_id, "version": 1, "updated_at": born, "deleted": False}
    with db.transaction() as session:
        if session.scalar(select(PersonModel.id).limit(1)) is not None:
            raise ValueError("demo data goes into an empty database")
        session.execute(
            insert(OrganizationModel),
            [{**meta, "id": org_id, "dla_code": org_code, "name": org_name, "org_type": org_type,
              "province_code": org_code[1:3], "amphoe_code": org_code[1:5]}],
        )  # fmt: skip
        unit_ids = [_uuid(rng, born) for _ in UNITS]
        session.execute(
            insert(OrgUnitModel),
            [{**meta, "id": uid, "name": name, "unit_kind": kind}
             for uid, (name, kind) in zip(unit_ids, UNITS, strict=True)],
        )  # fmt: skip
        for batch in _batches(_people(rng, org_code, people, unit_ids, meta), 5000):
            positions, persons, history = zip(*batch, strict=True)
            session.execute(insert(PositionModel), list(positions))
            session.execute(insert(PersonModel), list(persons))
            session.execute(insert(HistoryRowModel), [h for rows in history for h in rows])
    accounts = _accounts(db, rng, org_id)
    drafts, submitted = _workflow(db, rng, accounts, people)
    _vacant_slots(db, rng, org_code, people, unit_ids, meta)
    return DemoResult(org_id, org_name, people, accounts, drafts, submitted)


def _vacant_slots(db, rng, org_code, people: int, unit_ids, meta) -> None:
    """Slots nobody holds yet (one for every ten people, at least three): what a clerk
    appoints a newly registered civil servant to."""
    officials = [p for p in POSITIONS if p[2] == "local_official" and p[-1] > 1]
    rows = []
    for k in range(max(3, people // 10)):
        title, job_line, category, ptype, levels, unit, _ = officials[k % len(officials)]
        rows.append(
            {
                **meta,
                "id": _uuid(rng, dt.datetime(2024, 1, 3, tzinfo=dt.UTC)),
                "position_number": f"{org_code[1:3]}-{unit + 1}-00-{job_line}-{k + 1:04d}",
                "title": title,
                "job_line_code": job_line,
                "position_type": ptype,
                "level_min": levels[0],
                "level_max": levels[-1],
                "unit_id": unit_ids[unit],
                "state": "vacant",
                "holder_id": None,
                "staff_type": category,
            }
        )
    with db.transaction() as session:
        session.execute(insert(PositionModel), rows)


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _people(rng, org_code, n, unit_ids, meta) -> Iterator[tuple[dict, dict, list[dict]]]:
    names = _names()
    weights = [p[-1] for p in POSITIONS]
    today = dt.date(2026, 10, 1)
    heads: set[str] = set()  # one ปลัด, one head of each division
    for i in range(n):
        choice = rng.choices(POSITIONS, weights)[0]
        while choice[-1] == 1 and choice[0] in heads:
            choice = rng.choices(POSITIONS, weights)[0]
        title, job_line, category, ptype, levels, unit, weight = choice
        if weight == 1:
            heads.add(title)
        level = rng.choice(levels)
        female = rng.random() < 0.55
        first_th, first_en = rng.choice(names["female" if female else "male"])
        last_th, last_en = rng.choice(names["surnames"])
        prefix = ("mrs" if rng.random() < 0.6 else "miss") if female else "mr"
        birth = _date(rng, dt.date(1967, 1, 1), dt.date(2002, 12, 31))
        appointed = _date(
            rng,
            _years_after(birth, 21),
            min(today, _years_after(birth, 45)),
        )
        low, high = SALARY_BY_LEVEL[level]
        salary = Decimal(rng.randrange(low, high, 10))
        number = f"{org_code[1:3]}-{unit + 1}-{i // 1000 + 1:02d}-{job_line or '0000'}-{i % 1000 + 1:03d}"  # noqa: E501
        position_id = _uuid(rng, dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
        person_id = _uuid(rng, dt.datetime(2024, 1, 2, tzinfo=dt.UTC))
        position = {**meta, "id": position_id, "position_number": number, "title": title,
                    "job_line_code": job_line, "position_type": ptype or "general",
                    "level_min": levels[0], "level_max": levels[-1], "unit_id": unit_ids[unit],
                    "state": "filled", "holder_id": person_id, "staff_type": category}  # fmt: skip
        person = SimpleNamespace(
            id=person_id, citizen_id=citizen_id(rng, birth), prefix=prefix, acting_rank=False,
            first_name_th=first_th, last_name_th=last_th, first_name_en=first_en,
            last_name_en=last_en, birth_date=birth, gender="female" if female else "male",
            category=category, position_id=position_id, position_type=ptype, level=level,
            salary=salary, salary_step=None, appointment_date=appointed,
            employment_status="active",
            retirement_date=_retirement(birth) if category.startswith("local_") else None,
        )  # fmt: skip
        row = {**meta, **vars(person), **derived(person, number, title)}
        yield position, row, list(_history(rng, person, title, number, meta, today))


def _history(rng, person, title, number, meta, today) -> Iterator[dict]:
    def row(kind: str, **fields: Any) -> dict:
        wire = {k: codec.to_wire(v) for k, v in fields.items()}
        cols = history_columns(kind, wire)
        return {**meta, "id": _uuid(rng, dt.datetime(2024, 1, 3, tzinfo=dt.UTC)),
                "person_id": person.id, **cols}  # fmt: skip

    yield row(
        "movement",
        movement_type="appointment",
        effective_date=person.appointment_date,
        position_title=title,
        position_number=number,
        position_type=person.position_type,
        level=person.level,
        order_number=f"{rng.randrange(1, 400)}/{person.appointment_date.year + 543}",
    )
    salary = person.salary
    for year in range(today.year - 1, max(person.appointment_date.year, today.year - 3), -1):
        yield row("salary", effective_date=dt.date(year, 10, 1), salary=salary)
        salary = (salary * Decimal("0.96")).quantize(Decimal(10))
    yield row(
        "education",
        education_level=rng.choice(("bachelor", "bachelor", "master", "upper_secondary")),
        degree="ปริญญาตรี",
        institution=rng.choice(INSTITUTIONS),
        graduated_date=person.appointment_date - dt.timedelta(days=rng.randrange(60, 900)),
    )
    if rng.random() < 0.4:
        start = _date(rng, person.appointment_date, today)
        yield row("training", course=rng.choice(COURSES), organizer="กรมส่งเสริมการปกครองท้องถิ่น",
                  start_date=start, end_date=start + dt.timedelta(days=2), hours=18)  # fmt: skip
    if rng.random() < 0.3:
        start = _date(rng, today - dt.timedelta(days=700), today)
        yield row(
            "leave",
            leave_type=rng.choice(("sick", "personal", "vacation")),
            start_date=start,
            end_date=start + dt.timedelta(days=1),
            days=Decimal(2),
        )


def _accounts(db: Database, rng: random.Random, org_id: str) -> tuple[DemoAccount, ...]:
    def password() -> str:
        return "".join(rng.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(10))

    admin_pw = password()
    admin = users.bootstrap_admin(
        db, org_id=org_id, username="admin", display_name="ผู้ดูแลระบบ", password=admin_pw
    )
    result = [DemoAccount("admin", admin_pw, Role.ORG_ADMIN, admin.id)]
    for username, display, role in (
        ("clerk", "สุภาพร ศรีสุข (เจ้าหน้าที่)", Role.CLERK),
        ("supervisor", "ประเสริฐ ใจดี (ปลัด)", Role.SUPERVISOR),
    ):
        pw = password()
        user = users.create_user(
            db, admin.id, org_id=org_id, username=username, display_name=display, role=role,
            password=pw,
        )  # fmt: skip
        result.append(DemoAccount(username, pw, role, user.id))
    return tuple(result)


def _workflow(db, rng, accounts, people: int) -> tuple[int, int]:
    """A few drafts and submitted changes, made as a clerk would make them."""
    clerk = next(a for a in accounts if a.role is Role.CLERK)
    with db.reading() as session:
        ids = list(session.scalars(select(PersonModel.id).order_by(PersonModel.sort_key)))
    n = min(6, max(1, people // 10)) if ids else 0
    drafts = submitted = 0
    for i, person_id in enumerate(rng.sample(ids, n)):
        view = submissions.start_draft(db, clerk.user_id, person_id=person_id)
        salary = Decimal(view.proposed["salary"] or 15000) + 1000
        view = submissions.save_draft(db, clerk.user_id, view.submission.id,
                                      fields={"salary": salary})  # fmt: skip
        if i % 2:
            submissions.submit(db, clerk.user_id, view.submission.id)
            submitted += 1
        else:
            drafts += 1
    if ids:
        names = _names()
        first, _ = rng.choice(names["female"])
        last, _ = rng.choice(names["surnames"])
        view = submissions.start_draft(db, clerk.user_id, kind=SubmissionKind.NEW_PERSON)
        submissions.save_draft(db, clerk.user_id, view.submission.id, fields={
            "prefix": "miss", "first_name_th": first, "last_name_th": last,
            "category": "general_contract"})  # fmt: skip
        drafts += 1
    with db.reading() as session:
        assert session.scalar(select(UserModel.id).where(UserModel.username == "clerk"))
    return drafts, submitted
