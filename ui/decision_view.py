"""The decision view (issue 6): one submitted change on one screen — every changed field and
history row as base → proposed, the official value too where the record moved since the
clerk's base — with Approve, and Return with a required reason and a comment per field.

Where the merge finds a conflict, the conflicts box shows base / official / proposed side by
side and the supervisor picks one per field (or types another value); Approve is enabled once
every conflict is picked, and the choices travel as the approval's ``resolutions``. The
author of a submission never sees Approve or Return for it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import merge
from app.domain.workflow import Action
from app.services import decisions, review
from app.services.review import DecisionDetail
from app.store.db import Database
from ui import texts
from ui.dialogs import ERROR_STYLE
from ui.tasks import Lane, Task, TaskRunner

OTHER = "other"
MOVED_COLOR = "#fff3cd"


def _shown(name: str | None, value: Any) -> str:
    if isinstance(value, dict):  # a whole history row
        return ", ".join(
            f"{texts.field_label(k)}: {texts.display_value(k, v)}"
            for k, v in value.items()
            if k not in merge.META | {"kind", "person_id", "org_id"} and v not in (None, "")
        )
    return texts.display_value(name or "", value)


class ConflictPicker(QGroupBox):
    """Base / official / proposed of each conflict side by side, and the supervisor's pick."""

    changed = Signal()

    def __init__(self, conflicts: tuple[merge.Conflict, ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("Conflicts: the official record changed the same fields"))
        self.conflicts = conflicts
        self.choices: dict[str, QComboBox] = {}
        self.others: dict[str, QLineEdit] = {}
        grid = QGridLayout(self)
        for col, text in enumerate(
            (self.tr("Field"), self.tr("Base"), self.tr("Official now"), self.tr("Proposed"),
             self.tr("Keep"))
        ):  # fmt: skip
            head = QLabel(f"<b>{text}</b>")
            grid.addWidget(head, 0, col)
        for row, c in enumerate(conflicts, start=1):
            grid.addWidget(QLabel(self._label(c)), row, 0)
            for col, value in enumerate((c.base, c.official, c.proposed), start=1):
                cell = QLabel(_shown(c.field, value) or self.tr("(empty)"), wordWrap=True)
                grid.addWidget(cell, row, col)
            box = QComboBox(objectName=f"pick_{c.key}")
            box.addItem(self.tr("— choose —"), None)
            box.addItem(self.tr("Official now"), "official")
            box.addItem(self.tr("Proposed"), "proposed")
            box.addItem(self.tr("Base"), "base")
            if c.field is not None:
                box.addItem(self.tr("Another value…"), OTHER)
            other = QLineEdit(objectName=f"other_{c.key}", enabled=False)
            other.setPlaceholderText(self.tr("The value to keep"))
            box.currentIndexChanged.connect(lambda _i, b=box, o=other: self._picked(b, o))
            other.textChanged.connect(lambda _t: self.changed.emit())
            line = QHBoxLayout()
            line.addWidget(box)
            line.addWidget(other, 1)
            grid.addLayout(line, row, 4)
            self.choices[c.key], self.others[c.key] = box, other
        grid.setColumnStretch(4, 1)

    def _label(self, c: merge.Conflict) -> str:
        if c.target == "person":
            return texts.field_label(c.field or "")
        kind = next(
            (v.get("kind") for v in (c.official, c.proposed, c.base) if isinstance(v, dict)), ""
        )
        row = self.tr("History row")
        if kind:
            row = texts.history_title(kind)
        return f"{row}: {texts.field_label(c.field)}" if c.field else row

    def _picked(self, box: QComboBox, other: QLineEdit) -> None:
        other.setEnabled(box.currentData() == OTHER)
        self.changed.emit()

    def pick(self, key: str, side: str) -> None:
        """Choose ``side`` ("official", "proposed", "base" or "other") for a conflict."""
        box = self.choices[key]
        box.setCurrentIndex(box.findData(side))

    def complete(self) -> bool:
        return all(self._value(c) is not _MISSING for c in self.conflicts)

    def resolutions(self) -> dict[str, Any]:
        return {c.key: v for c in self.conflicts if (v := self._value(c)) is not _MISSING}

    def _value(self, c: merge.Conflict) -> Any:
        side = self.choices[c.key].currentData()
        if side is None:
            return _MISSING
        if side == OTHER:
            text = self.others[c.key].text().strip()
            return text if text else _MISSING
        return {"official": c.official, "proposed": c.proposed, "base": c.base}[side]


_MISSING = object()


class DecisionView(QWidget):
    #: The submission was approved or returned (its id): the queue and the register changed.
    decided = Signal(str)

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        user_id: str,
        submission_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._runner, self._user = db, runner, user_id
        self.submission_id = submission_id
        self.detail: DecisionDetail | None = None
        self.picker: ConflictPicker | None = None
        self._keys: list[str] = []  # the field_comments key of each table row

        self.heading = QLabel(wordWrap=True, objectName="decision_heading")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Field"), self.tr("Base"), self.tr("Official now"), self.tr("Proposed"),
             self.tr("Comment for the clerk")]
        )  # fmt: skip
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.conflict_area = QVBoxLayout()
        self.reason = QLineEdit(objectName="return_reason")
        self.reason.setPlaceholderText(
            self.tr("Why it goes back to the clerk (required to return)")
        )
        self.approve_button = QPushButton(self.tr("Approve"), objectName="approve")
        self.return_button = QPushButton(self.tr("Return to the clerk"), objectName="return")
        self.note = QLabel(wordWrap=True, objectName="decision_note")
        self.error = QLabel(wordWrap=True, objectName="decision_error")
        self.error.setStyleSheet(ERROR_STYLE)

        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("Reason:")))
        actions.addWidget(self.reason, 1)
        actions.addWidget(self.return_button)
        actions.addWidget(self.approve_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.conflict_area)
        layout.addLayout(actions)
        layout.addWidget(self.note)
        layout.addWidget(self.error)

        self.approve_button.clicked.connect(self.approve)
        self.return_button.clicked.connect(self.return_to_clerk)
        self.approve_button.setVisible(False)
        self.return_button.setVisible(False)
        self.refresh()

    # --- reading -------------------------------------------------------------------------

    def refresh(self) -> None:
        Task(review.decision_detail, self._db, self._user, self.submission_id).on_success(
            self._loaded
        ).on_failure(self._failed).bound_to(self).run_on(self._runner, Lane.DB)

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(texts.error_text(exc))

    def title(self) -> str:
        if self.detail is None:
            return self.tr("Decision")
        return texts.person_name(*self.detail.person_name) or self.tr("Decision")

    def _loaded(self, detail: DecisionDetail) -> None:
        self.detail = detail
        sub = detail.submission
        self.heading.setText(
            self.tr("%1 · %2 · proposed by %3")
            .replace("%1", self.title())
            .replace("%2", texts.kind_label(sub.kind))
            .replace("%3", detail.author_name)
        )
        self._fill(detail)
        if self.picker is not None:
            self.conflict_area.removeWidget(self.picker)
            self.picker.deleteLater()
            self.picker = None
        if detail.conflicts:
            self.picker = ConflictPicker(detail.conflicts)
            self.picker.changed.connect(self._update_buttons)
            self.conflict_area.addWidget(self.picker)
        can_approve = Action.APPROVE in detail.allowed
        self.approve_button.setVisible(can_approve)
        self.return_button.setVisible(Action.RETURN in detail.allowed)
        self.reason.setVisible(Action.RETURN in detail.allowed)
        if detail.slot_problem is not None and Action.APPROVE in detail.allowed:
            self.error.setText(texts.message(*detail.slot_problem))  # e.g. the slot taken
        if sub.author_id == self._user:
            self.note.setText(self.tr("You proposed this change: another supervisor decides it."))
        elif not detail.allowed:
            self.note.setText(texts.state_label(sub.state))
        else:
            self.note.setText("")
        self._update_buttons()

    def _fill(self, detail: DecisionDetail) -> None:
        lines: list[tuple[str, str, Any, Any, Any]] = [
            (merge.person_key(f.field), texts.field_label(f.field), f.base, f.official,
             f.proposed)
            for f in detail.fields
        ]  # fmt: skip
        for row in detail.rows:
            title = texts.history_title(row.kind)
            for name, (base, official, proposed) in row.fields.items():
                label = f"{title}: {texts.field_label(name)}"
                lines.append((merge.row_key(row.row_id, name), label, base, official, proposed))
        comments = detail.submission.field_comments
        self._keys = [line[0] for line in lines]
        self.table.setRowCount(len(lines))
        moved_any = False
        for index, (key, label, base, official, proposed) in enumerate(lines):
            moved = official != base
            moved_any |= moved
            cells = (label, _shown(key.rsplit(":", 1)[-1], base), _shown(key.rsplit(":", 1)[-1],
                     official) if moved else "", _shown(key.rsplit(":", 1)[-1], proposed),
                     comments.get(key, ""))  # fmt: skip
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col < 4:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if col == 2 and moved:
                    item.setBackground(Qt.GlobalColor.yellow)
                self.table.setItem(index, col, item)
        self.table.setColumnHidden(2, not moved_any)
        self.table.resizeColumnsToContents()

    # --- deciding ------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        ready = self.picker is None or self.picker.complete()
        self.approve_button.setEnabled(ready)
        self.approve_button.setToolTip(
            "" if ready else self.tr("Pick a value for every conflict first")
        )

    def comment(self, row: int, text: str) -> None:
        """Attach a comment for the clerk to the table's ``row`` (as typing it would)."""
        self.table.item(row, 4).setText(text)

    def field_comments(self) -> dict[str, str]:
        out = {}
        for row, key in enumerate(self._keys):
            item = self.table.item(row, 4)
            if item is not None and item.text().strip():
                out[key] = item.text().strip()
        return out

    def approve(self) -> None:
        if self.detail is None or not self.approve_button.isEnabled():
            return
        resolutions = self.picker.resolutions() if self.picker else {}
        self.error.setText("")
        Task(
            decisions.approve,
            self._db,
            self._user,
            self.submission_id,
            resolutions=resolutions,
            expected_version=self.detail.official_version,
        ).on_success(lambda _r: self._done(self.tr("Approved."))).on_failure(
            self._refused
        ).bound_to(self).run_on(self._runner, Lane.DB)

    def return_to_clerk(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self.error.setText(self.tr("Write the reason the clerk will read before returning."))
            self.reason.setFocus()
            return
        self.error.setText("")
        Task(
            decisions.return_submission,
            self._db,
            self._user,
            self.submission_id,
            reason,
            field_comments=self.field_comments(),
        ).on_success(lambda _r: self._done(self.tr("Returned to the clerk."))).on_failure(
            self._refused
        ).bound_to(self).run_on(self._runner, Lane.DB)

    def _refused(self, exc: BaseException) -> None:
        self.error.setText(texts.error_text(exc))
        self.refresh()  # the record may have moved: show the conflicts as they are now

    def _done(self, text: str) -> None:
        self.note.setText(text)
        self.approve_button.setVisible(False)
        self.return_button.setVisible(False)
        self.reason.setEnabled(False)
        self.decided.emit(self.submission_id)
