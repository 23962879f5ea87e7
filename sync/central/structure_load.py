"""An office's units and position slots loaded from a CSV file by the operator
(``localhr central load-structure --org CODE FILE.csv``, issue 14): all or nothing.

The file is UTF-8 (a BOM, as Excel writes it, is fine) with a header line and one unit or
slot a line (:data:`COLUMNS`):

- ``kind``: ``unit`` (หน่วยงาน) or ``slot`` (ตำแหน่ง);
- a unit: ``unit`` its name, ``unit_kind`` (สำนัก / กอง / ส่วน / ฝ่าย / งาน, or the code),
  ``parent`` the name of the unit it is under (empty: directly under the organization; a
  unit of the file must come before the units under it);
- a slot: ``position_number``, ``title``, ``job_line_code``, ``position_type`` (วิชาการ…, or
  the code), ``level_min`` / ``level_max`` (ปฏิบัติการ…, levels of that type), ``staff_type``
  (a personnel category, e.g. ข้าราชการหรือพนักงานส่วนท้องถิ่น; empty: any), ``unit`` (a unit's
  name) and ``state`` (vacant / frozen / cut, ว่าง / ตรึง / ยุบ; empty: vacant).

A unit whose name the organization already has is that unit (renamed never, moved if its
parent differs); a slot whose position number it already has is that slot (its fields
replaced, its holder kept). Every line is checked with the rules of
:mod:`app.domain.structure`, against the office as the lines before it leave it. If any line
is refused, the report lists each one with its line number and reason, and nothing is
written. Otherwise every row is published in one transaction under the organization's lock,
as the central's own change (no author): the office's PCs pull it at their next sync.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from typing import Any

from app.domain import limits, reference, structure, thai
from app.domain.ids import new_id
from app.domain.structure import SlotFacts, SlotFields, StructureError, UnitFacts
from sync.central.batch import Batch
from sync.central.db import CentralDB
from sync.central.structure_ops import SLOT, UNIT, slot_data, slots, units

COLUMNS = (
    "kind",
    "unit",
    "unit_kind",
    "parent",
    "position_number",
    "title",
    "job_line_code",
    "position_type",
    "level_min",
    "level_max",
    "staff_type",
    "state",
)
MAX_LINES = limits.UNITS_PER_ORG + limits.SLOTS_PER_ORG
STATE_WORDS = {"ว่าง": "vacant", "ตรึง": "frozen", "ตรึงไว้": "frozen", "ยุบ": "cut", "ยุบเลิก": "cut"}
KIND_WORDS = {"unit": "unit", "หน่วยงาน": "unit", "slot": "slot", "ตำแหน่ง": "slot"}


class LoadError(ValueError):
    """The file cannot be read as a structure file at all (not UTF-8, no header, too long)."""


@dataclass
class LoadReport:
    units_new: int = 0
    units_changed: int = 0
    slots_new: int = 0
    slots_changed: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)

    @property
    def loaded(self) -> bool:
        return not self.refused


def read_lines(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The file's records with their line numbers (the header is line 1)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(f"not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8") from None
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = [(h or "").strip() for h in reader.fieldnames or []]
    if "kind" not in header:
        raise LoadError(f"the first line must name the columns: {','.join(COLUMNS)}")
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise LoadError(f"unknown columns {', '.join(unknown)}; known: {','.join(COLUMNS)}")
    reader.fieldnames = header
    out: list[tuple[int, dict[str, str]]] = []
    start = 2
    for record in reader:
        if len(out) >= MAX_LINES:
            raise LoadError(f"more than {MAX_LINES} lines")
        values = {k: (v or "").strip() for k, v in record.items() if k}
        if any(values.values()):
            out.append((start, values))
        start = reader.line_num + 1
    return out


def _code(list_name: str, text: str, what: str) -> str | None:
    """The code a cell names (a code or its Thai or English label), None when empty."""
    if not text:
        return None
    folded = text.casefold()
    for entry in reference.entries(list_name):
        if folded in (entry.code, entry.th.casefold(), entry.en.casefold()):
            return entry.code
    raise StructureError(f"unknown_{what}", f"{what.replace('_', ' ')} {text[:40]!r} is not known")


def _level(position_type: str | None, text: str) -> str | None:
    if not text:
        return None
    folded = text.casefold()
    for entry in reference.levels_for(position_type) or ():
        if folded in (entry.code, entry.th.casefold(), entry.en.casefold()):
            return entry.code
    raise StructureError("unknown_level", f"{text[:40]!r} is not a level of {position_type!r}")


class _Office:
    """The organization's structure as the lines read so far leave it."""

    def __init__(self, batch: Batch, org_id: str):
        self.org_id = org_id
        self.units: dict[str, UnitFacts] = units(batch, org_id)
        self.unit_data: dict[str, dict[str, Any]] = {
            r.id: dict(r.data or {}) for r in batch.children(UNIT, org_id) if r.id in self.units
        }
        self.by_name = {_name(d.get("name")): uid for uid, d in self.unit_data.items()}
        self.slots: dict[str, SlotFacts] = {s.id: s for s in slots(batch, org_id)}
        self.slot_data: dict[str, dict[str, Any]] = {
            r.id: dict(r.data or {}) for r in batch.children(SLOT, org_id) if r.id in self.slots
        }
        self.by_number = {s.number: s.id for s in self.slots.values()}
        self.staged: dict[tuple[str, str], dict[str, Any]] = {}
        self.named_here: dict[str, int] = {}  # a unit's name or a slot's number → its line

    def unit_id(self, name: str) -> str | None:
        if not name:
            return None
        found = self.by_name.get(_name(name))
        if found is None:
            raise StructureError(
                "unit_not_found",
                f"no unit named {name[:60]!r} (a unit of "
                "the file must come before the lines that name it)",
            )
        return found


def _name(text: Any) -> str:
    return (thai.normalize_text(str(text or "")) or "").casefold()


def _once(office: _Office, key: str, line: int, code: str) -> None:
    if key in office.named_here:
        raise StructureError(code, f"line {office.named_here[key]} of the file names it already")
    office.named_here[key] = line


def _unit_line(office: _Office, values: dict[str, str], line: int, report: LoadReport) -> None:
    name = values.get("unit", "")
    _once(office, f"unit:{_name(name)}", line, "unit_repeated")
    existing = office.by_name.get(_name(name)) if name else None
    uid = existing or new_id()
    kind = _code("unit_kinds", values.get("unit_kind", ""), "unit_kind")
    parent = office.unit_id(values.get("parent", ""))
    clean, kind = structure.check_unit(
        unit_id=uid,
        org_id=office.org_id,
        name=name,
        unit_kind=kind,
        parent_id=parent,
        units=office.units,
    )
    before = office.unit_data.get(uid, {"closed": False})
    data = {
        **before,
        "id": uid,
        "org_id": office.org_id,
        "name": before.get("name", clean),
        "unit_kind": kind,
        "parent_id": parent,
    }
    if data == before:
        return
    office.units[uid] = UnitFacts(uid, office.org_id, parent, bool(data.get("closed")))
    office.unit_data[uid] = data
    office.by_name[_name(clean)] = uid
    office.staged[(UNIT, uid)] = data
    if existing:
        report.units_changed += 1
    else:
        report.units_new += 1


def _slot_line(office: _Office, values: dict[str, str], line: int, report: LoadReport) -> None:
    number = structure.number_key(values.get("position_number"))
    _once(office, f"slot:{number}", line, "position_number_taken")
    existing = office.by_number.get(number) if number else None
    sid = existing or new_id()
    ptype = _code("position_types", values.get("position_type", ""), "position_type")
    state_text = values.get("state", "")
    state = STATE_WORDS.get(state_text, state_text.casefold()) or None
    fields = SlotFields(
        values.get("position_number", ""),
        values.get("title", ""),
        values.get("job_line_code") or None,
        ptype or "",
        _level(ptype, values.get("level_min", "")),
        _level(ptype, values.get("level_max", "")),
        _code("personnel_categories", values.get("staff_type", ""), "staff_type"),
        office.unit_id(values.get("unit", "")),
        state if existing or state not in (None, "vacant") else None,
    )
    current = office.slots.get(sid)
    kept, after = structure.check_slot(
        sid, office.org_id, fields, current=current, slots=office.slots.values(), units=office.units
    )
    before = office.slot_data.get(sid, {})
    data = slot_data(before, sid, office.org_id, kept, after)
    if data == before:
        return
    office.slots[sid] = SlotFacts.of(sid, office.org_id, data)
    office.slot_data[sid] = data
    office.by_number[kept.position_number] = sid
    office.staged[(SLOT, sid)] = data
    if existing:
        report.slots_changed += 1
    else:
        report.slots_new += 1


def load_structure(db: CentralDB, org_id: str, data: bytes) -> LoadReport:
    """Check every line of a structure file against ``org_id``'s office and, if none is
    refused, publish them all at once (see the module's doc). Raises :class:`LoadError` for
    a file that is not a structure file."""
    lines = read_lines(data)
    report = LoadReport()
    with db.transaction() as session:
        db.lock_orgs(session, {org_id})
        batch = Batch(session)
        office = _Office(batch, org_id)
        for line, values in lines:
            kind = KIND_WORDS.get(values.get("kind", "").casefold())
            try:
                if kind == "unit":
                    _unit_line(office, values, line, report)
                elif kind == "slot":
                    _slot_line(office, values, line, report)
                else:
                    raise StructureError("bad_kind", "kind must be unit or slot")
            except StructureError as exc:
                report.refused.append((line, f"{exc.code}: {exc.description}"))
        if report.refused:
            return report  # nothing was written: the transaction only read
        for (table, row_id), row in office.staged.items():
            with batch.op():
                batch.publish(table, row_id, org_id, row, parent_id=org_id, by=None)
                batch.apply()
        batch.store()
    return report
