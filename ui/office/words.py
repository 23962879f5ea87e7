"""Words of the Office area: slot states, unit kinds and the refusals of the structure
service, in the UI's language (STYLE.md: ``app`` raises codes, ``ui`` turns them into words).

Everything is looked up when shown, so a language switch applies at the next refresh.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.domain import reference
from app.domain.errors import DomainError
from ui import texts

CONTEXT = "OfficeWords"

#: A slot's states, in the order the filters offer them.
SLOT_STATES = {
    "vacant": QT_TRANSLATE_NOOP("OfficeWords", "Vacant"),
    "filled": QT_TRANSLATE_NOOP("OfficeWords", "Filled"),
    "frozen": QT_TRANSLATE_NOOP("OfficeWords", "Frozen"),
    "cut": QT_TRANSLATE_NOOP("OfficeWords", "Cut"),
}

#: The structure service's refusals, by message key (``{name}`` placeholders are its params).
MESSAGES = {
    "error.unit_not_empty": QT_TRANSLATE_NOOP(
        "OfficeWords",
        "This unit still has {people} people, {slots} open slots and {units} open units "
        "under it: move them to another unit first",
    ),
    "error.unit_cycle": QT_TRANSLATE_NOOP(
        "OfficeWords", "A unit cannot be moved under itself or under one of its own units"
    ),
    "error.unit_closed": QT_TRANSLATE_NOOP("OfficeWords", "This unit is closed"),
    "error.unit_not_found": QT_TRANSLATE_NOOP("OfficeWords", "This unit no longer exists"),
    "error.unit_name_required": QT_TRANSLATE_NOOP("OfficeWords", "Type the unit's name"),
    "error.unknown_unit_kind": QT_TRANSLATE_NOOP("OfficeWords", "Choose the kind of unit"),
    "error.unit_too_deep": QT_TRANSLATE_NOOP(
        "OfficeWords", "Units may nest at most {max} levels deep"
    ),
    "error.too_many_units": QT_TRANSLATE_NOOP(
        "OfficeWords", "The office already has as many units as it may ({max})"
    ),
    "error.position_number_required": QT_TRANSLATE_NOOP("OfficeWords", "Type the position number"),
    "error.position_number_taken": QT_TRANSLATE_NOOP(
        "OfficeWords", "Another slot of the office already has the position number {number}"
    ),
    "error.title_required": QT_TRANSLATE_NOOP("OfficeWords", "Type the position's title"),
    "error.unknown_position_type": QT_TRANSLATE_NOOP("OfficeWords", "Choose the position type"),
    "error.unknown_level": QT_TRANSLATE_NOOP(
        "OfficeWords", "This level does not belong to the position type"
    ),
    "error.level_range": QT_TRANSLATE_NOOP(
        "OfficeWords", "The lowest level comes after the highest"
    ),
    "error.unknown_staff_type": QT_TRANSLATE_NOOP("OfficeWords", "Choose the staff type"),
    "error.too_many_slots": QT_TRANSLATE_NOOP(
        "OfficeWords", "The office already has as many slots as it may ({max})"
    ),
    "error.slot_not_found": QT_TRANSLATE_NOOP("OfficeWords", "This slot no longer exists"),
    "error.slot_filled": QT_TRANSLATE_NOOP(
        "OfficeWords", "Someone holds this slot: appoint them to another slot first"
    ),
    "error.state_not_by_hand": QT_TRANSLATE_NOOP(
        "OfficeWords", "A slot is filled only by an approved appointment"
    ),
    "error.plan_year": QT_TRANSLATE_NOOP(
        "OfficeWords", "The plan's first year must be from {min} to {max} (Buddhist era)"
    ),
    "error.plan_counts": QT_TRANSLATE_NOOP(
        "OfficeWords", "Each year's count must be from 0 to {max}"
    ),
    "error.role_required": QT_TRANSLATE_NOOP(
        "OfficeWords", "Only the organization admin may change the office's structure"
    ),
}


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def slot_state(state: str) -> str:
    return tr(SLOT_STATES[state]) if state in SLOT_STATES else state


def unit_kind(code: str | None) -> str:
    return texts.ref_label("unit_kinds", code)


def position_type(code: str | None) -> str:
    return texts.ref_label("position_types", code)


def level(code: str | None) -> str:
    return texts.ref_label(reference.LEVELS, code)


def levels_range(low: str | None, high: str | None) -> str:
    """ "ปฏิบัติการ–ชำนาญการ", one level alone, or nothing."""
    if low and high and low != high:
        return f"{level(low)}–{level(high)}"
    return level(low or high)


def error_text(exc: BaseException) -> str:
    """Why the service refused, in words; the program's usual words for what it does not
    know here."""
    if isinstance(exc, DomainError) and exc.message_key in MESSAGES:
        words = {k: str(v) for k, v in exc.params.items()}
        template = MESSAGES[exc.message_key]
        try:
            return tr(template).format(**words)
        except (KeyError, IndexError, ValueError):
            return tr(template)
    return texts.error_text(exc)
