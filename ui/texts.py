"""Words for the codes the core speaks in: message keys of issues and errors, field names,
submission states, history kinds, and values of the reference lists (STYLE.md: ``app``
raises typed errors with codes, ``ui`` turns them into words).

Every text is looked up when it is shown, so a language switch applies to what is on screen
at the next refresh. Messages may name parameters in braces (``{age}``): the translation
keeps them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from app.domain import reference, thai, validation
from app.domain.entities import SubmissionKind, SubmissionState
from app.domain.errors import DomainError, InvalidInput, Issue

CONTEXT = "Texts"

MESSAGES = {
    "error.required": QT_TRANSLATE_NOOP("Texts", "Required"),
    "error.unknown_code": QT_TRANSLATE_NOOP("Texts", "Not a value of the list"),
    "error.level_not_allowed": QT_TRANSLATE_NOOP(
        "Texts", "This level does not belong to the position type"
    ),
    "error.citizen_id_format": QT_TRANSLATE_NOOP("Texts", "A citizen ID has 13 digits"),
    "error.citizen_id_checksum": QT_TRANSLATE_NOOP(
        "Texts", "The last digit does not match: check the number against the card"
    ),
    "error.citizen_id_leading_zero": QT_TRANSLATE_NOOP(
        "Texts", "Starts with 0: check it against the card"
    ),
    "error.citizen_id_paste_too_long": QT_TRANSLATE_NOOP(
        "Texts", "The pasted number has {digits} digits, a citizen ID 13: nothing was pasted"
    ),
    "error.acting_rank_not_allowed": QT_TRANSLATE_NOOP(
        "Texts", "“Acting” goes with a rank, not with this prefix"
    ),
    "error.prefix_gender_mismatch": QT_TRANSLATE_NOOP(
        "Texts", "The prefix does not match the gender"
    ),
    "error.date_in_future": QT_TRANSLATE_NOOP("Texts", "The date is in the future"),
    "error.date_order": QT_TRANSLATE_NOOP("Texts", "Must come after: {after}"),
    "error.age_at_appointment": QT_TRANSLATE_NOOP(
        "Texts", "Aged {age} at appointment, under {minimum}"
    ),
    "error.thai_required": QT_TRANSLATE_NOOP("Texts", "Type it in Thai"),
    "error.negative_value": QT_TRANSLATE_NOOP("Texts", "Cannot be below zero"),
    "error.too_long": QT_TRANSLATE_NOOP("Texts", "At most {max} characters"),
    "error.out_of_range": QT_TRANSLATE_NOOP("Texts", "Must be from {min} to {max}"),
    "error.too_many_decimals": QT_TRANSLATE_NOOP("Texts", "At most {places} decimal places"),
    "error.date_out_of_range": QT_TRANSLATE_NOOP(
        "Texts", "Not a possible date here: check the year (Buddhist or Christian era?)"
    ),
    "error.leave_days_exceed_span": QT_TRANSLATE_NOOP(
        "Texts", "More days than the dates span ({span})"
    ),
    "error.date_invalid": QT_TRANSLATE_NOOP(
        "Texts", "Not a date: type e.g. 31/1/2563 or 31 ม.ค. 2563"
    ),
    "error.invalid_value": QT_TRANSLATE_NOOP("Texts", "Not a valid value"),
    "error.unknown_field": QT_TRANSLATE_NOOP("Texts", "This field cannot be changed"),
    "error.no_changes": QT_TRANSLATE_NOOP("Texts", "Nothing is changed yet"),
    "error.invalid_transition": QT_TRANSLATE_NOOP(
        "Texts", "Not possible in the submission's present state"
    ),
    "error.not_author": QT_TRANSLATE_NOOP("Texts", "Only its author may do this"),
    "error.person_not_found": QT_TRANSLATE_NOOP("Texts", "This person is not in the register"),
    "error.submission_not_found": QT_TRANSLATE_NOOP("Texts", "This submission does not exist"),
    "error.out_of_scope": QT_TRANSLATE_NOOP("Texts", "This belongs to another organization"),
    "error.read_only_role": QT_TRANSLATE_NOOP("Texts", "Your account may only read"),
    "error.read_only": QT_TRANSLATE_NOOP(
        "Texts",
        "The program is read only because the database could not be upgraded: nothing can be saved",
    ),
    "error.user_not_found": QT_TRANSLATE_NOOP("Texts", "Your account is not known here"),
    "error.user_inactive": QT_TRANSLATE_NOOP("Texts", "Your account is turned off"),
    "error.inactive_user": QT_TRANSLATE_NOOP("Texts", "Your account is turned off"),
    "error.role_required": QT_TRANSLATE_NOOP("Texts", "Your account may not do this"),
    # the office's structure (app.domain.structure)
    "error.unit_not_found": QT_TRANSLATE_NOOP("Texts", "This unit is not a unit of the office"),
    "error.plan_line_not_found": QT_TRANSLATE_NOOP("Texts", "This plan line does not exist"),
    "error.unit_name_required": QT_TRANSLATE_NOOP("Texts", "A unit needs a name"),
    "error.unknown_unit_kind": QT_TRANSLATE_NOOP("Texts", "Choose the kind of unit"),
    "error.unit_other_org": QT_TRANSLATE_NOOP("Texts", "This unit belongs to another organization"),
    "error.too_many_units": QT_TRANSLATE_NOOP("Texts", "The office has {max} units already"),
    "error.unit_closed": QT_TRANSLATE_NOOP("Texts", "This unit is closed"),
    "error.unit_cycle": QT_TRANSLATE_NOOP(
        "Texts", "A unit cannot be placed under itself or under a unit below it"
    ),
    "error.unit_too_deep": QT_TRANSLATE_NOOP("Texts", "Units may be nested at most {max} deep"),
    "error.unit_not_empty": QT_TRANSLATE_NOOP(
        "Texts",
        "The unit cannot be closed: {people} people hold its slots, it has {slots} open slots "
        "and {units} open units under it. Move them first.",
    ),
    "error.slot_other_org": QT_TRANSLATE_NOOP(
        "Texts", "This position slot belongs to another organization"
    ),
    "error.position_number_required": QT_TRANSLATE_NOOP("Texts", "Type the position number"),
    "error.position_number_taken": QT_TRANSLATE_NOOP(
        "Texts", "Position number {number} is already a slot of this office"
    ),
    "error.title_required": QT_TRANSLATE_NOOP("Texts", "Type the position title"),
    "error.unknown_position_type": QT_TRANSLATE_NOOP("Texts", "Choose the position type"),
    "error.unknown_level": QT_TRANSLATE_NOOP("Texts", "Not a level of this position type"),
    "error.level_range": QT_TRANSLATE_NOOP("Texts", "The lowest level is above the highest level"),
    "error.unknown_staff_type": QT_TRANSLATE_NOOP("Texts", "Choose the staff type"),
    "error.too_many_slots": QT_TRANSLATE_NOOP("Texts", "The office has {max} slots already"),
    "error.state_not_by_hand": QT_TRANSLATE_NOOP(
        "Texts", "A slot becomes filled only when an appointment to it is approved"
    ),
    "error.slot_filled": QT_TRANSLATE_NOOP(
        "Texts", "Someone holds this slot: appoint them to another slot first"
    ),
    "error.slot_not_found": QT_TRANSLATE_NOOP("Texts", "This position slot does not exist"),
    "error.slot_not_vacant": QT_TRANSLATE_NOOP(
        "Texts",
        "Position {number} is already filled: another appointment to it was approved first",
    ),
    "error.slot_frozen": QT_TRANSLATE_NOOP("Texts", "Position {number} is frozen"),
    "error.slot_cut": QT_TRANSLATE_NOOP("Texts", "Position {number} has been cut"),
    "error.slot_staff_type": QT_TRANSLATE_NOOP(
        "Texts", "Position {number} is for another staff type"
    ),
    "error.plan_year": QT_TRANSLATE_NOOP(
        "Texts", "The plan's first year must be from {min} to {max} (Buddhist era)"
    ),
    "error.plan_counts": QT_TRANSLATE_NOOP(
        "Texts", "Each year's count must be a whole number from 0 to {max}"
    ),
    "error.too_many_plan_lines": QT_TRANSLATE_NOOP("Texts", "The plan has {max} lines already"),
}

FIELDS = {
    # the person
    "citizen_id": QT_TRANSLATE_NOOP("Texts", "Citizen ID"),
    "prefix": QT_TRANSLATE_NOOP("Texts", "Prefix"),
    "acting_rank": QT_TRANSLATE_NOOP("Texts", "Acting rank"),
    "first_name_th": QT_TRANSLATE_NOOP("Texts", "First name (Thai)"),
    "last_name_th": QT_TRANSLATE_NOOP("Texts", "Last name (Thai)"),
    "first_name_en": QT_TRANSLATE_NOOP("Texts", "First name (English)"),
    "last_name_en": QT_TRANSLATE_NOOP("Texts", "Last name (English)"),
    "birth_date": QT_TRANSLATE_NOOP("Texts", "Date of birth"),
    "gender": QT_TRANSLATE_NOOP("Texts", "Gender"),
    "category": QT_TRANSLATE_NOOP("Texts", "Personnel category"),
    "position_id": QT_TRANSLATE_NOOP("Texts", "Position number"),
    "position_type": QT_TRANSLATE_NOOP("Texts", "Position type"),
    "level": QT_TRANSLATE_NOOP("Texts", "Level"),
    "salary": QT_TRANSLATE_NOOP("Texts", "Salary"),
    "salary_step": QT_TRANSLATE_NOOP("Texts", "Salary step"),
    "appointment_date": QT_TRANSLATE_NOOP("Texts", "Appointment date"),
    "employment_status": QT_TRANSLATE_NOOP("Texts", "Employment status"),
    "retirement_date": QT_TRANSLATE_NOOP("Texts", "Retirement date"),
    # history rows
    "movement_type": QT_TRANSLATE_NOOP("Texts", "Movement"),
    "effective_date": QT_TRANSLATE_NOOP("Texts", "Effective date"),
    "position_title": QT_TRANSLATE_NOOP("Texts", "Position"),
    "position_number": QT_TRANSLATE_NOOP("Texts", "Position number"),
    "org_name": QT_TRANSLATE_NOOP("Texts", "Organization"),
    "order_number": QT_TRANSLATE_NOOP("Texts", "Order number"),
    "order_date": QT_TRANSLATE_NOOP("Texts", "Order date"),
    "note": QT_TRANSLATE_NOOP("Texts", "Note"),
    "education_level": QT_TRANSLATE_NOOP("Texts", "Education level"),
    "degree": QT_TRANSLATE_NOOP("Texts", "Degree"),
    "major": QT_TRANSLATE_NOOP("Texts", "Major"),
    "institution": QT_TRANSLATE_NOOP("Texts", "Institution"),
    "graduated_date": QT_TRANSLATE_NOOP("Texts", "Graduation date"),
    "country": QT_TRANSLATE_NOOP("Texts", "Country"),
    "course": QT_TRANSLATE_NOOP("Texts", "Course"),
    "organizer": QT_TRANSLATE_NOOP("Texts", "Organizer"),
    "start_date": QT_TRANSLATE_NOOP("Texts", "From"),
    "end_date": QT_TRANSLATE_NOOP("Texts", "To"),
    "hours": QT_TRANSLATE_NOOP("Texts", "Hours"),
    "decoration_class": QT_TRANSLATE_NOOP("Texts", "Decoration"),
    "received_date": QT_TRANSLATE_NOOP("Texts", "Received on"),
    "gazette_volume": QT_TRANSLATE_NOOP("Texts", "Gazette volume"),
    "gazette_section": QT_TRANSLATE_NOOP("Texts", "Gazette section"),
    "gazette_page": QT_TRANSLATE_NOOP("Texts", "Gazette page"),
    "gazette_date": QT_TRANSLATE_NOOP("Texts", "Gazette date"),
    "leave_type": QT_TRANSLATE_NOOP("Texts", "Leave type"),
    "days": QT_TRANSLATE_NOOP("Texts", "Days"),
    "penalty": QT_TRANSLATE_NOOP("Texts", "Penalty"),
    "reason": QT_TRANSLATE_NOOP("Texts", "Offence"),
    "changed_date": QT_TRANSLATE_NOOP("Texts", "Changed on"),
    "old_prefix": QT_TRANSLATE_NOOP("Texts", "Former prefix"),
    "old_first_name_th": QT_TRANSLATE_NOOP("Texts", "Former first name"),
    "old_last_name_th": QT_TRANSLATE_NOOP("Texts", "Former last name"),
    "new_prefix": QT_TRANSLATE_NOOP("Texts", "New prefix"),
    "new_first_name_th": QT_TRANSLATE_NOOP("Texts", "New first name"),
    "new_last_name_th": QT_TRANSLATE_NOOP("Texts", "New last name"),
}

HISTORY_TITLES = {
    "movement": QT_TRANSLATE_NOOP("Texts", "Positions and movements"),
    "salary": QT_TRANSLATE_NOOP("Texts", "Salary"),
    "education": QT_TRANSLATE_NOOP("Texts", "Education"),
    "training": QT_TRANSLATE_NOOP("Texts", "Training"),
    "decoration": QT_TRANSLATE_NOOP("Texts", "Decorations"),
    "leave": QT_TRANSLATE_NOOP("Texts", "Leave"),
    "discipline": QT_TRANSLATE_NOOP("Texts", "Discipline"),
    "name_change": QT_TRANSLATE_NOOP("Texts", "Name changes"),
}

STATES = {
    SubmissionState.DRAFT: QT_TRANSLATE_NOOP("Texts", "Draft"),
    SubmissionState.SUBMITTED: QT_TRANSLATE_NOOP("Texts", "Waiting for approval"),
    SubmissionState.RETURNED: QT_TRANSLATE_NOOP("Texts", "Returned for changes"),
    SubmissionState.APPROVED: QT_TRANSLATE_NOOP("Texts", "Approved"),
    SubmissionState.WITHDRAWN: QT_TRANSLATE_NOOP("Texts", "Withdrawn"),
}

KINDS = {
    SubmissionKind.NEW_PERSON: QT_TRANSLATE_NOOP("Texts", "New person"),
    SubmissionKind.UPDATE: QT_TRANSLATE_NOOP("Texts", "Change of record"),
    SubmissionKind.END_OF_SERVICE: QT_TRANSLATE_NOOP("Texts", "End of service"),
}

# Person fields whose values are codes of a reference list. History rows: see
# app.domain.validation.HISTORY_CODE_LISTS; their position types and levels are free text
# that may hold a code.
PERSON_LISTS = {
    "prefix": "prefixes",
    "gender": "genders",
    "category": "personnel_categories",
    "position_type": "position_types",
    "level": reference.LEVELS,
    "employment_status": "employment_statuses",
    "old_prefix": "prefixes",
    "new_prefix": "prefixes",
}


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def lang() -> str:
    """The language of reference-list labels: that of the UI."""
    return "th" if QLocale().language() == QLocale.Language.Thai else "en"


def field_label(name: str) -> str:
    return tr(FIELDS[name]) if name in FIELDS else name


def history_title(kind: str) -> str:
    return tr(HISTORY_TITLES[kind]) if kind in HISTORY_TITLES else kind


def state_label(state: SubmissionState | str) -> str:
    return tr(STATES[SubmissionState(state)])


def kind_label(kind: SubmissionKind | str) -> str:
    return tr(KINDS[SubmissionKind(kind)])


def too_many_attempts(seconds: int) -> str:
    """The central refuses logins of this account or address for ``seconds`` (its limit on
    failed passwords: a 429)."""
    minutes = max(1, -(-seconds // 60))  # rounded up: never "wait 0 minutes"
    return QCoreApplication.translate(
        "Texts",
        "Too many wrong passwords were typed for this account or from this office. The "
        "central refuses every try for %1 minute(s), the right password too. Wait, then try "
        "again; if the password is forgotten, ask the organization admin.",
    ).replace("%1", str(minutes))


def moment(at: dt.datetime | None) -> str:
    """A point in time as the screens show it: the Buddhist-era date and the local time."""
    if at is None:
        return ""
    local = at.astimezone() if at.tzinfo else at
    return f"{thai.format_date_be(local.date())} {local:%H:%M}"


def ref_label(list_name: str, code: str | None) -> str:
    """The label of ``code`` in the UI's language; the code itself if the list lacks it."""
    if code is None:
        return ""
    return reference.label(list_name, code, lang()) or code


def person_name(
    prefix: str | None, first: str | None, last: str | None, acting: bool | None = False
) -> str:
    """The prefix joined to the name as Thai writes it, "นายสมชาย ใจดี" ("Mr. สมชาย ใจดี"
    in English), with "ว่าที่" before an acting rank ("ว่าที่ร้อยตรีสมชาย ใจดี"); empty when
    there is no name yet."""
    name = f"{first or ''} {last or ''}".strip()
    if not name or not prefix:
        return name
    title = ref_label("prefixes", prefix)
    if acting:
        title = QCoreApplication.translate("Texts", "Acting %1").replace("%1", title)
    return title + ("" if lang() == "th" else " ") + name


def key_label(key: str) -> str:
    """A merge key (:func:`app.domain.merge.person_key` / ``row_key``) in words: the field's
    name, or "History row" with the field of a history row."""
    target, _, rest = key.partition(":")
    if target == "person":
        return field_label(rest)
    _row, _, name = rest.partition(":")
    row = QCoreApplication.translate("Texts", "History row")
    return f"{row}: {field_label(name)}" if name else row


def official_tip(shown: str) -> str:
    """The tooltip of a value that differs from the official record."""
    return QCoreApplication.translate("Texts", "Official record: {value}").format(
        value=shown or QCoreApplication.translate("Texts", "(empty)")
    )


def supervisor_note(comment: str) -> str:
    return QCoreApplication.translate("Texts", "Supervisor: {comment}").format(comment=comment)


def _param(name: str, value: Any) -> str:
    if name == "after" and isinstance(value, str):
        return field_label(value)
    return str(value)


def message(key: str, params: dict[str, Any] | None = None) -> str:
    template = MESSAGES.get(key)
    if template is None:
        return QCoreApplication.translate("Texts", "Cannot be saved like this ({code})").format(
            code=key.removeprefix("error.")
        )
    words = {k: _param(k, v) for k, v in (params or {}).items()}
    try:
        return tr(template).format(**words)
    except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder
        return template.format(**words)


def issue_text(issue: Issue) -> str:
    return message(issue.message_key, issue.params)


def error_text(exc: BaseException) -> str:
    """What went wrong, in words a clerk can act on."""
    if isinstance(exc, InvalidInput) and exc.issues:
        first = exc.errors[0] if exc.errors else exc.issues[0]
        text = issue_text(first)
        return f"{field_label(first.field)}: {text}" if first.field else text
    if isinstance(exc, DomainError):
        return message(exc.message_key, exc.params)
    return QCoreApplication.translate("Texts", "Unexpected error: {detail}").format(
        detail=str(exc) or type(exc).__name__
    )


def display_value(name: str, value: Any, list_name: str | None = None, *, short=False) -> str:
    """A stored (wire form) value as the screens show it; empty for nothing. ``short``:
    dates with the month abbreviated, as in a table."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return (
            QCoreApplication.translate("Texts", "Yes")
            if value
            else QCoreApplication.translate("Texts", "No")
        )
    list_name = list_name or PERSON_LISTS.get(name)
    if list_name:
        return ref_label(list_name, str(value))
    if name.endswith("_date") or isinstance(value, dt.date):
        try:
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return thai.format_date_be(day, "short" if short else "long")
    if name == "citizen_id":  # grouped as on the card: X-XXXX-XXXXX-XX-X
        try:
            return validation.format_citizen_id(str(value))
        except InvalidInput:  # not 13 digits: shown as typed
            return str(value)
    if name in ("salary", "days"):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        return f"{amount:,.2f}" if amount != amount.to_integral() else f"{amount:,.0f}"
    return str(value)
