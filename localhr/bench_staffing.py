"""``localhr bench staffing``: the office structure's reads (issue 14) on a provincial PC,
as JSON.

The PC holds ``--people`` demo people (the demo office of ``localhr.bench.database``) and
one more office of ``--slots`` position slots in 17 units (85 % filled by people of the
PC, 10 % vacant, 5 % frozen) with its three-year staffing plan. What is timed, each on a
freshly opened database first (``*_first_ms``: the cold call a screen makes when it opens)
and then ``--repeats`` times warm (p50, p95):

- ``picker``: the person editor's "ตำแหน่งเลขที่" list (``drafts.positions``: the office's
  vacant slots plus the person's own) — the list budget: first rows ≤ 300 ms;
- ``picker_search``: the picker narrowed as the clerk types a number or a title;
- ``overview``: the staffing overview (``structure.staffing_overview``: slots by unit against
  the plan, and every vacancy) — the same budget;
- ``unit_tree`` and ``unit_slots``: the structure screen's tree and one unit's slots;
- ``picker_big_office``: the same picker in the demo office of the PC's ``--people`` (one
  slot a person and one vacancy for every ten people: the picker lists its first
  ``drafts.PICKER_LIMIT`` vacancies), the worst case of an office's size.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from app.demo_data import POSITIONS
from app.domain.entities import Role
from app.domain.ids import new_id, utcnow
from app.services import drafts, structure
from app.store.db import Database, open_database
from app.store.models import (
    OrganizationModel,
    OrgUnitModel,
    PersonModel,
    PositionModel,
    StaffingPlanModel,
    UserModel,
)
from localhr.bench import database, machine, percentile

BUDGETS = {"picker_first_ms": 300, "overview_first_ms": 300, "picker_big_office_first_ms": 300}
OFFICE_CODE = "6340199"
TYPED = ("3", "34", "34-0", "34-05", "34-05-01", "นัก", "นักวิ", "ผู้อำนวยการ")
DIVISIONS = ("กองคลัง", "กองช่าง", "กองการศึกษา", "กองสาธารณสุข")
SECTIONS = ("ฝ่ายบริหารงานทั่วไป", "ฝ่ายปฏิบัติการ", "ฝ่ายแผนงาน")


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _office(db: Database, slots: int) -> tuple[str, str]:
    """The benchmark's office (made once per database): its org id and a clerk's id."""
    with db.transaction() as session:
        org_id = session.scalar(
            select(OrganizationModel.id).where(OrganizationModel.dla_code == OFFICE_CODE)
        )
        if org_id is not None:
            clerk = session.scalar(select(UserModel.id).where(UserModel.org_id == org_id))
            assert clerk is not None
            return org_id, clerk
        org_id, now = new_id(), utcnow()
        meta = {"org_id": org_id, "version": 1, "updated_at": now, "deleted": False}
        session.execute(insert(OrganizationModel), [{
            **meta, "id": org_id, "dla_code": OFFICE_CODE, "name": "องค์การบริหารส่วนจังหวัดทดสอบ",
            "org_type": "pao", "province_code": "34",
        }])  # fmt: skip
        clerk = new_id()
        session.execute(insert(UserModel), [{
            **meta, "id": clerk, "username": "bench.staffing", "display_name": "ผู้ทดสอบ",
            "role": str(Role.CLERK), "password_verifier": None, "scope_org_ids": [],
            "active": True,
        }])  # fmt: skip
        units = [(new_id(), "สำนักปลัด", "bureau", None)]
        for division in DIVISIONS:
            top = new_id()
            units.append((top, division, "division", None))
            units += [(new_id(), f"{s} {division}", "section", top) for s in SECTIONS]
        session.execute(insert(OrgUnitModel), [
            {**meta, "id": uid, "name": name, "unit_kind": kind, "parent_id": parent,
             "closed": False}
            for uid, name, kind, parent in units
        ])  # fmt: skip
        holders = list(
            session.scalars(select(PersonModel.id).order_by(PersonModel.local_id).limit(slots))
        )
        rows, plan = [], {}
        for i in range(slots):
            uid = units[i % len(units)][0]
            title, job_line, category, ptype, levels, _, _ = POSITIONS[i % len(POSITIONS)]
            state = "filled" if i % 20 < 17 else "vacant" if i % 20 < 19 else "frozen"
            holder = holders[i % len(holders)] if state == "filled" and holders else None
            rows.append({
                **meta, "id": new_id(), "position_number": f"34-{i % len(units):02d}-{i:04d}",
                "title": title, "job_line_code": job_line, "position_type": ptype or "general",
                "level_min": levels[0], "level_max": levels[-1], "unit_id": uid,
                "state": state if holder or state != "filled" else "vacant",
                "holder_id": holder, "staff_type": category,
            })  # fmt: skip
            key = (uid, title, ptype)
            plan[key] = plan.get(key, 0) + 1
        session.execute(insert(PositionModel), rows)
        session.execute(insert(StaffingPlanModel), [
            {**meta, "id": new_id(), "first_year_be": 2569, "position_title": title,
             "position_type": ptype, "level": None, "unit_id": uid,
             "counts": [n, n, n + 1], "note": None}
            for (uid, title, ptype), n in plan.items()
        ])  # fmt: skip
        return org_id, clerk


def _stats(values: list[float]) -> dict[str, float]:
    return {"p50": round(statistics.median(values), 2), "p95": round(percentile(values, 0.95), 2)}


def bench_staffing(
    n: int, slots: int, *, seed: int = 1, repeats: int = 20, db_path: Path | None = None
) -> dict[str, Any]:
    path, generated = database(db_path, n, seed)
    db = open_database(path)
    try:
        org_id, clerk = _office(db, slots)
        with db.reading() as session:
            own = session.scalar(
                select(PositionModel.id)
                .where(PositionModel.org_id == org_id, PositionModel.state == "filled")
                .limit(1)
            )
            unit = session.scalar(select(OrgUnitModel.id).where(OrgUnitModel.org_id == org_id))
            big_org, big_clerk = session.execute(
                select(UserModel.org_id, UserModel.id).where(
                    UserModel.org_id != org_id, UserModel.role == str(Role.CLERK)
                )
            ).one()
            big_own = session.scalar(
                select(PersonModel.position_id).where(PersonModel.org_id == big_org).limit(1)
            )
    finally:
        db.close()

    def picker(db: Database) -> Any:
        return drafts.positions(db, clerk, org_id, include=[own])

    def overview(db: Database) -> Any:
        return structure.staffing_overview(db, clerk)

    calls: dict[str, Callable[[Database], Any]] = {
        "picker": picker,
        "overview": overview,
        "unit_tree": lambda db: structure.unit_tree(db, clerk),
        "unit_slots": lambda db: structure.slots(db, clerk, unit_id=unit),
        "picker_big_office": lambda db: drafts.positions(db, big_clerk, big_org, include=[big_own]),
    }
    result: dict[str, Any] = {"people": n, "slots": slots}
    for name, call in calls.items():
        db = open_database(path)  # each cold call on a fresh open, as a screen opening
        try:
            result[f"{name}_first_ms"] = round(_timed(lambda call=call, db=db: call(db)), 2)
            warm = [_timed(lambda call=call, db=db: call(db)) for _ in range(repeats)]
        finally:
            db.close()
        result |= {f"{name}_{k}_ms": v for k, v in _stats(warm).items()}
    db = open_database(path)
    try:
        counts = structure.staffing_overview(db, clerk)
        result["vacancies"] = len(counts.vacancies)
        result["picker_rows"] = len(picker(db))
        typed = [
            _timed(lambda q=q: structure.vacant_slots(db, clerk, text=q))
            for _ in range(repeats)
            for q in TYPED
        ]
        result |= {f"picker_search_{k}_ms": v for k, v in _stats(typed).items()}
    finally:
        db.close()
    result["budgets_met"] = {k: result[k] <= v for k, v in BUDGETS.items()}
    result["generate_s"] = round(generated, 1) if generated is not None else None
    result["machine"] = machine()
    return result
