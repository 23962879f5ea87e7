"""One history table of the register (position and movement, salary, education, …) on a
tab of the person editor, built from the row kind in :data:`app.domain.entities.HISTORY_KINDS`
so every kind gets the same table and row editor.

The table lists the rows as proposed: rows the submission adds (green), changes (changed
cells yellow, the official value in the tooltip) and deletes (grey, struck through; Delete
again restores). The selected row is edited in the form below. Insert adds a row, Delete
removes or restores the selected one. What changed since the last save waits in
:meth:`take_edits` for the editor's next autosave.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import codec, reference, validation
from app.domain.entities import HISTORY_KINDS, HistoryRow, JsonDict
from app.domain.errors import Issue
from app.domain.ids import new_id
from ui import texts
from ui.field_form import FieldForm, same_value
from ui.form_inputs import ChoiceCombo, NoteEdit, NumberEdit, ReferenceCombo, TextEdit
from ui.thai_date_edit import ThaiDateEdit

_METADATA = frozenset(f.name for f in dataclasses.fields(HistoryRow))
ADDED = QColor("#e3f4e1")
CHANGED = QColor("#fff1bf")
DELETED = QColor("#e6e6e6")
FIX = QColor("#f9d6d3")
# Free-text fields of history rows that often hold a code of a list (app.domain.validation).
CODE_LIKE = {"position_type": "position_types", "old_prefix": "prefixes", "new_prefix": "prefixes"}


def row_fields(kind: str) -> tuple[str, ...]:
    """The fields of a row of ``kind`` a clerk fills in, in the order of the register."""
    cls = HISTORY_KINDS[kind]
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in _METADATA)


def list_of(name: str) -> str | None:
    return (
        validation.HISTORY_CODE_LISTS.get(name)
        or CODE_LIKE.get(name)
        or (reference.LEVELS if name == "level" else None)
    )


def _input(kind: str, name: str) -> QWidget:
    kind_type = codec.field_type(HISTORY_KINDS[kind], name)
    if kind_type is dt.date:
        return ThaiDateEdit()
    if kind_type is Decimal:
        return NumberEdit(decimals=2)
    if kind_type is int:
        return NumberEdit(decimals=0)
    if name in validation.HISTORY_CODE_LISTS:
        return ReferenceCombo(validation.HISTORY_CODE_LISTS[name])
    if name in CODE_LIKE:
        return ReferenceCombo(CODE_LIKE[name], free_text=True)
    if name == "level":  # every level, named with its type: records reach back before 2015
        combo = ChoiceCombo(free_text=True)
        combo.set_items(
            (lv.code, f"{texts.ref_label('position_types', lv.get('position_type'))} "
                      f"{lv.label(texts.lang())}")
            for lv in reference.entries(reference.LEVELS)
        )  # fmt: skip
        return combo
    if name in validation.MULTILINE_FIELDS:
        return NoteEdit()
    return TextEdit()


def row_issues(kind: str, row: Mapping[str, Any]) -> list[Issue]:
    """What :func:`app.domain.validation.validate_history_row` finds in a row as typed."""
    data = {k: v for k, v in row.items() if k != "kind"}
    try:
        entity = codec.build(HISTORY_KINDS[kind], {**data, "org_id": "", "person_id": ""})
    except (TypeError, ValueError, ArithmeticError):
        return [Issue("invalid_value", None, "error.invalid_value")]
    return validation.validate_history_row(entity)


class _Table(QTableWidget):
    insert_pressed = Signal()
    delete_pressed = Signal()
    enter_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Insert:
            self.insert_pressed.emit()
        elif key == Qt.Key.Key_Delete:
            self.delete_pressed.emit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.enter_pressed.emit()
        else:
            super().keyPressEvent(event)


class HistoryTab(QWidget):
    """The rows of one history kind. :attr:`edited`: rows changed here, not yet saved."""

    edited = Signal()

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.columns = row_fields(kind)
        self._rows: dict[str, JsonDict] = {}
        self._deleted: dict[str, JsonDict] = {}
        self._official: Mapping[str, JsonDict] = {}
        self._comments: dict[str, dict[str, str]] = {}
        self._upserts: dict[str, JsonDict] = {}
        self._deletes: set[str] = set()
        self._read_only = False

        self.table = _Table(0, len(self.columns))
        self.table.setHorizontalHeaderLabels([texts.field_label(c) for c in self.columns])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(texts.history_title(kind))
        self.add_button = QPushButton(self.tr("Add row (Ins)"))
        self.remove_button = QPushButton(self.tr("Delete row (Del)"))
        self.row_note = QLabel()
        self.row_note.setWordWrap(True)
        self.form = FieldForm()
        for name in self.columns:
            self.form.add(name, _input(kind, name))

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table, 1)
        top_layout.addLayout(buttons)
        self.group = QGroupBox(self.tr("Selected row"))
        group_layout = QVBoxLayout(self.group)
        group_layout.addWidget(self.row_note)
        group_layout.addWidget(self.form)
        group_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.group)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.table.currentCellChanged.connect(lambda *_: self._show_current())
        self.table.insert_pressed.connect(self.add_row)
        self.table.delete_pressed.connect(self.toggle_delete)
        self.table.enter_pressed.connect(self._focus_form)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.toggle_delete)
        self.form.edited.connect(self._field_edited)
        self._show_current()

    # --- loading and saving ---------------------------------------------------------------

    def load(
        self,
        rows: Iterable[JsonDict],
        deleted: Mapping[str, JsonDict],
        official: Mapping[str, JsonDict],
    ) -> None:
        """Show ``rows`` (this kind's rows as proposed) and the ``deleted`` ones, oldest first."""
        date_field = HISTORY_KINDS[self.kind].DATE_FIELD
        mine = [dict(r) for r in rows if r.get("kind") == self.kind]
        mine += [{**r, "kind": self.kind} for r in deleted.values() if r.get("kind") == self.kind]
        mine.sort(key=lambda r: (r.get(date_field) is None, r.get(date_field) or "", r["id"]))
        self._rows = {r["id"]: r for r in mine}
        self._deleted = {rid: r for rid, r in deleted.items() if rid in self._rows}
        self._official = official
        self._upserts.clear()
        self._deletes.clear()
        self.table.setRowCount(0)
        for rid in self._rows:
            self._append(rid)
        self.table.resizeColumnsToContents()
        if self._rows:
            self.table.setCurrentCell(0, 0)
        self._show_current()

    def take_edits(self) -> tuple[tuple[JsonDict, ...], tuple[str, ...]]:
        """Rows to save (whole rows in wire form) and row ids to delete; then forgets them."""
        upserts = tuple(self._upserts.values())
        deletes = tuple(sorted(self._deletes))
        self._upserts.clear()
        self._deletes.clear()
        return upserts, deletes

    def give_back(self, upserts: Iterable[JsonDict], deletes: Iterable[str]) -> None:
        """Edits a failed save did not store: they wait for the next one (newer ones win)."""
        for row in upserts:
            self._upserts.setdefault(row["id"], row)
        for rid in deletes:
            if rid not in self._upserts:
                self._deletes.add(rid)

    def has_edits(self) -> bool:
        return bool(self._upserts or self._deletes)

    def set_comments(self, comments: Mapping[str, Mapping[str, str]]) -> None:
        """The supervisor's comments, by row id then field ("" for the whole row)."""
        self._comments = {rid: dict(c) for rid, c in comments.items() if rid in self._rows}
        for index, rid in enumerate(self._rows):
            self._paint(index, rid)
        self._show_current()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.add_button.setEnabled(not read_only)
        self._show_current()

    def counts(self) -> tuple[int, int]:
        """Rows differing from the official record, and rows with an error."""
        changed = sum(1 for rid in self._rows if self._state(rid))
        errors = sum(
            1
            for rid, row in self._rows.items()
            if rid not in self._deleted and any(i.is_error for i in row_issues(self.kind, row))
        )
        return changed, errors

    # --- the table ------------------------------------------------------------------------

    def _state(self, rid: str) -> str:
        if rid in self._deleted:
            return "deleted"
        official = self._official.get(rid)
        if official is None:
            return "added"
        row = self._rows[rid]
        return "changed" if any(not self._same(c, row, official) for c in self.columns) else ""

    def _same(self, name: str, row: Mapping[str, Any], official: Mapping[str, Any]) -> bool:
        numeric = codec.field_type(HISTORY_KINDS[self.kind], name) in (Decimal, int)
        return same_value(row.get(name), official.get(name), numeric=numeric)

    def _append(self, rid: str) -> None:
        index = self.table.rowCount()
        self.table.insertRow(index)
        for col in range(len(self.columns)):
            item = QTableWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, rid)
            self.table.setItem(index, col, item)
        self._paint(index, rid)

    def _paint(self, index: int, rid: str) -> None:
        row, state = self._rows[rid], self._state(rid)
        official = self._official.get(rid, {})
        comments = self._comments.get(rid, {})
        for col, name in enumerate(self.columns):
            item = self.table.item(index, col)
            item.setText(texts.display_value(name, row.get(name), list_of(name), short=True))
            color, tip = None, ""
            if state == "added":
                color = ADDED
            elif state == "deleted":
                color = DELETED
            elif state == "changed" and not self._same(name, row, official):
                color = CHANGED
                shown = texts.display_value(name, official.get(name), list_of(name))
                tip = texts.official_tip(shown)
            if name in comments or "" in comments:
                color = FIX
                tip = texts.supervisor_note(comments.get(name) or comments[""])
            item.setBackground(QBrush(color) if color else QBrush())
            item.setToolTip(tip)
            font = item.font()
            font.setStrikeOut(state == "deleted")
            item.setFont(font)

    def _current(self) -> str | None:
        item = self.table.item(self.table.currentRow(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _show_current(self) -> None:
        rid = self._current()
        deleted = rid in self._deleted
        self.remove_button.setEnabled(rid is not None and not self._read_only)
        self.remove_button.setText(
            self.tr("Restore row (Del)") if deleted else self.tr("Delete row (Del)")
        )
        self.group.setEnabled(rid is not None)
        if rid is None:
            self.form.set_values({})
            self.form.mark(None)
            self.form.show_issues([], {})
            self.row_note.setText(self.tr("Choose a row in the table, or add one with Insert."))
            return
        row = self._rows[rid]
        self.form.set_values(row)
        self.form.set_read_only(self._read_only or deleted)
        self._mark_form(rid)
        notes = {
            "added": self.tr("A row this submission adds."),
            "deleted": self.tr("This submission deletes this row; Delete restores it."),
            "changed": self.tr("Marked fields differ from the official record."),
            "": "",
        }
        note = notes[self._state(rid)]
        if "" in self._comments.get(rid, {}):
            comment = self._comments[rid][""]
            note = texts.supervisor_note(comment) + "\n" + note
        self.row_note.setText(note.strip())
        self.row_note.setVisible(bool(note.strip()))

    def _mark_form(self, rid: str) -> None:
        row = self._rows[rid]
        self.form.mark(self._official.get(rid))
        issues = [] if rid in self._deleted else row_issues(self.kind, row)
        self.form.show_issues(issues, self._comments.get(rid, {}))

    def _focus_form(self) -> None:
        first = next(iter(self.form.fields.values()), None)
        if first is not None and self.group.isEnabled():
            first.widget.setFocus(Qt.FocusReason.TabFocusReason)

    # --- editing --------------------------------------------------------------------------

    def add_row(self) -> None:
        if self._read_only:
            return
        rid = new_id()
        self._rows[rid] = {"id": rid, "kind": self.kind, **dict.fromkeys(self.columns)}
        self._upserts[rid] = dict(self._rows[rid])
        self._append(rid)
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)
        self._focus_form()
        self.edited.emit()

    def toggle_delete(self) -> None:
        rid = self._current()
        if rid is None or self._read_only:
            return
        if rid in self._deleted:  # restore: the row as it was
            self._deleted.pop(rid)
            self._deletes.discard(rid)
            self._upserts[rid] = dict(self._rows[rid])
        elif rid in self._official:
            self._deleted[rid] = self._rows[rid]
            self._upserts.pop(rid, None)
            self._deletes.add(rid)
        else:  # a row only this submission has: it goes
            self._rows.pop(rid)
            self._upserts.pop(rid, None)
            self._deletes.add(rid)
            self.table.removeRow(self.table.currentRow())
            self._show_current()
            self.edited.emit()
            return
        self._paint(self.table.currentRow(), rid)
        self._show_current()
        self.edited.emit()

    def _field_edited(self, name: str) -> None:
        rid = self._current()
        if rid is None or rid in self._deleted:
            return
        self._rows[rid][name] = self.form.fields[name].value()
        self._upserts[rid] = dict(self._rows[rid])
        self._paint(self.table.currentRow(), rid)
        self._mark_form(rid)
        self.edited.emit()
