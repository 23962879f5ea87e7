"""The person's own fields, on two tabs of the editor: personal data and current position.

The level offered is limited to the levels of the chosen position type; choosing a
numbered position sets the position type to that position's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from app.domain import codec, reference, validation
from app.domain.entities import Person
from app.domain.errors import Issue
from app.services.drafts import PositionChoice
from ui.citizen_id_edit import CitizenIdEdit
from ui.field_form import FieldForm
from ui.form_inputs import CheckEdit, ChoiceCombo, NumberEdit, ReferenceCombo, TextEdit
from ui.thai_date_edit import ThaiDateEdit

PERSONAL_FIELDS = (
    "citizen_id", "prefix", "acting_rank", "first_name_th", "last_name_th",
    "first_name_en", "last_name_en", "birth_date", "gender",
)  # fmt: skip
POSITION_FIELDS = (
    "category", "position_id", "position_type", "level", "salary", "salary_step",
    "appointment_date", "employment_status", "retirement_date",
)  # fmt: skip


def person_issues(values: Mapping[str, Any]) -> list[Issue]:
    """What :func:`app.domain.validation.validate_person` finds in the fields as typed."""
    data = {k: v for k, v in values.items() if k in Person.EDITABLE and v is not None}
    blank = dict.fromkeys(validation.IDENTITY_FIELDS, "")
    try:
        person = codec.build(Person, {**blank, **data, "id": "", "org_id": ""})
    except (TypeError, ValueError, ArithmeticError):
        return [Issue("invalid_value", None, "error.invalid_value")]
    return validation.validate_person(person)


class PersonalTab(FieldForm):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.citizen_id = CitizenIdEdit()
        self.add("citizen_id", self.citizen_id)
        self.add("prefix", ReferenceCombo("prefixes"))
        self.add("acting_rank", CheckEdit(self.tr("Acting (ว่าที่) before the rank")))
        for name in ("first_name_th", "last_name_th", "first_name_en", "last_name_en"):
            self.add(name, TextEdit())
        self.add("birth_date", ThaiDateEdit())
        self.add("gender", ReferenceCombo("genders"))


class PositionTab(FieldForm):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.add("category", ReferenceCombo("personnel_categories"))
        self.position = ChoiceCombo(searchable=True)
        self.add("position_id", self.position)
        self.position_type = ReferenceCombo("position_types")
        self.add("position_type", self.position_type)
        self.level = ReferenceCombo(reference.LEVELS)
        self.add("level", self.level)
        self.add("salary", NumberEdit(decimals=2))
        self.add("salary_step", TextEdit())
        self.add("appointment_date", ThaiDateEdit())
        self.add("employment_status", ReferenceCombo("employment_statuses"))
        self.add("retirement_date", ThaiDateEdit())
        self._positions: dict[str, PositionChoice] = {}
        self._read_only = False
        self.fields["position_type"].edited.connect(self._type_chosen)
        self.fields["position_id"].edited.connect(self._position_chosen)
        self._limit_levels()

    def set_positions(self, choices: Sequence[PositionChoice]) -> None:
        self._positions = {p.id: p for p in choices}
        vacant = self.tr("vacant")
        self.position.set_items(
            (p.id, f"{p.position_number}  {p.title}" + (f" ({vacant})" if p.vacant else ""))
            for p in choices
        )

    def set_values(self, values) -> None:
        self.position_type.set_value(values.get("position_type"))
        self._limit_levels()
        super().set_values(values)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        super().set_read_only(read_only)
        self._limit_levels()

    def _limit_levels(self) -> bool:
        """Offer the levels of the chosen type; True if the level chosen had to go."""
        levels = reference.levels_for(self.position_type.value()) or ()
        level = self.level.value()
        dropped = level is not None and level not in {lv.code for lv in levels}
        if dropped:
            self.level.set_value(None)
        self.level.set_entries(levels)
        self.level.setEnabled(bool(levels) and not self._read_only)
        self.level.setToolTip("" if levels else self.tr("Choose the position type first"))
        return dropped

    def _type_chosen(self, _name: str) -> None:
        if self._limit_levels():
            self.edited.emit("level")

    def _position_chosen(self, _name: str) -> None:
        chosen = self._positions.get(self.position.value() or "")
        if chosen and chosen.position_type != self.position_type.value():
            self.position_type.set_value(chosen.position_type)
            self.edited.emit("position_type")
            self._type_chosen("position_type")
