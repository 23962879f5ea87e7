"""A form of named fields: each with its label, its input, the message under it in words,
and a mark where its value differs from the official record (the official value in the
tooltip) or where a supervisor asked for a fix.

Used by the person's tabs and by the row editor of every history tab, so all forms look
and behave alike. Inputs follow the interface of :mod:`ui.form_inputs`; the tab order is
the order fields are added in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.domain import thai
from app.domain.errors import Issue
from ui import texts

#: Codes an input checks by itself, as it is typed: the form shows its own finding instead.
OWN_CODES = {
    "CitizenIdEdit": {"citizen_id_format", "citizen_id_checksum", "citizen_id_leading_zero"},
    "ThaiDateEdit": {"date_invalid"},
}

#: Forms wider than this are harder to read across.
MAX_WIDTH = 760

#: How marks look; set on the root widget of a screen that holds forms.
STYLE_SHEET = """
*[differs="true"] { background-color: #fff1bf; }
*[fix="true"] { border: 2px solid #b3261e; border-radius: 3px; }
QLabel[severity="error"] { color: #b3261e; }
QLabel[severity="warning"] { color: #8a5300; }
QLabel[severity="comment"] { color: #6a1b9a; font-weight: bold; }
"""


def _plain(value: Any, numeric: bool) -> Any:
    if not isinstance(value, str):
        return value
    text = thai.normalize_text(value)
    if not text:
        return None
    if numeric:
        try:
            return Decimal(thai.thai_digits_to_arabic(text).replace(",", ""))
        except InvalidOperation:
            return text
    return text


def same_value(a: Any, b: Any, *, numeric: bool = False) -> bool:
    """Equal as stored: text normalized, amounts by value (``numeric``), blank as nothing."""
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a) == bool(b)
    return _plain(a, numeric) == _plain(b, numeric)


def restyle(widget: QWidget, name: str, value: Any) -> None:
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class FormField(QObject):
    """One value on a form."""

    edited = Signal(str)

    def __init__(self, name: str, widget: QWidget, parent: QWidget) -> None:
        super().__init__(parent)
        self.name = name
        self.widget = widget
        self.label = QLabel(texts.field_label(name), parent)
        self.label.setBuddy(widget)
        policy = widget.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Expanding)
        widget.setSizePolicy(policy)
        self.message = QLabel(parent)
        self.message.setWordWrap(True)
        self.message.setContentsMargins(0, 3, 0, 0)  # room for Thai marks above the line
        self.message.hide()
        self.box = QWidget(parent)
        layout = QVBoxLayout(self.box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(widget)
        layout.addWidget(self.message)
        self._issues: list[Issue] = []
        self._comment: str | None = None
        self._own = OWN_CODES.get(type(widget).__name__, set())
        widget.value_edited.connect(lambda: self.edited.emit(self.name))
        if hasattr(widget, "issues_changed"):
            widget.issues_changed.connect(self._render)

    def value(self) -> Any:
        return self.widget.value()

    def set_value(self, value: Any) -> None:
        self.widget.set_value(value)

    def mark(self, official: Mapping[str, Any] | None) -> bool:
        """Highlight the field if it differs from ``official`` (None: nothing official to
        differ from, as for a new person); True if it does."""
        numeric = getattr(self.widget, "NUMERIC", False)
        differs = official is not None and not same_value(
            self.value(), official.get(self.name), numeric=numeric
        )
        restyle(self.widget, "differs", differs)
        tip = ""
        if differs:
            tip = texts.official_tip(self.widget.display_text(official.get(self.name)))
        self.widget.setToolTip(tip)
        return differs

    def show_issues(self, issues: Iterable[Issue], comment: str | None = None) -> None:
        """Findings about this field, and the supervisor's comment on it if any."""
        self._issues = [i for i in issues if i.code not in self._own]
        self._comment = comment
        restyle(self.widget, "fix", bool(comment))
        self._render()

    def messages(self) -> list[Issue]:
        return [*self.widget.local_issues(), *self._issues]

    def blocks_sending(self) -> bool:
        """An error is shown, or the input cannot be read (say a date still being typed,
        whose error shows once the clerk leaves the field): what would be sent is not what
        the field shows."""
        unreadable = getattr(self.widget, "is_unreadable", None)
        return any(i.is_error for i in self.messages()) or bool(unreadable and unreadable())

    def _render(self) -> None:
        lines, severity = [], ""
        if self._comment:
            lines.append(texts.supervisor_note(self._comment))
            severity = "comment"
        shown = self.messages()
        lines.extend(texts.issue_text(i) for i in shown)
        if shown and not severity:
            severity = "error" if any(i.is_error for i in shown) else "warning"
        restyle(self.message, "severity", severity)
        self.message.setText("\n".join(lines))
        self.message.setVisible(bool(lines))

    def set_read_only(self, read_only: bool) -> None:
        self.widget.set_read_only(read_only)


class FieldForm(QWidget):
    """Fields in a column, label beside input; :attr:`edited` names the field changed."""

    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, FormField] = {}
        self.layout_ = QFormLayout(self)
        self.layout_.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.layout_.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setMaximumWidth(MAX_WIDTH)

    def add(self, name: str, widget: QWidget) -> FormField:
        field = FormField(name, widget, self)
        field.edited.connect(self.edited)
        self.layout_.addRow(field.label, field.box)
        self.fields[name] = field
        return field

    def values(self) -> dict[str, Any]:
        return {name: f.value() for name, f in self.fields.items()}

    def set_values(self, values: Mapping[str, Any]) -> None:
        for name, field in self.fields.items():
            field.set_value(values.get(name))

    def mark(self, official: Mapping[str, Any] | None) -> set[str]:
        """Highlight what differs from ``official``; the names of those fields."""
        return {name for name, f in self.fields.items() if f.mark(official)}

    def show_issues(self, issues: Iterable[Issue], comments: Mapping[str, str]) -> None:
        issues = list(issues)
        for name, field in self.fields.items():
            field.show_issues([i for i in issues if i.field == name], comments.get(name))

    def errors(self) -> list[str]:
        """Fields with an error shown, in form order."""
        return [n for n, f in self.fields.items() if any(i.is_error for i in f.messages())]

    def blocking(self) -> list[str]:
        """Fields that keep the record from being sent (:meth:`FormField.blocks_sending`)."""
        return [n for n, f in self.fields.items() if f.blocks_sending()]

    def set_read_only(self, read_only: bool) -> None:
        for field in self.fields.values():
            field.set_read_only(read_only)
