"""What frames the person editor's tabs: above, the person's name, the submission's state
and a returned submission's reason; below, whether the draft is saved, how much differs
from the official record, and the buttons that send or withdraw it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.entities import SubmissionState
from app.domain.workflow import Action
from app.services.drafts import DraftDetail
from ui import texts
from ui.citizen_id_edit import CitizenIdEdit
from ui.field_form import restyle

STATE_COLORS = {
    "official": "#e8eaed",
    SubmissionState.DRAFT: "#dbe8fb",
    SubmissionState.SUBMITTED: "#fde7c3",
    SubmissionState.RETURNED: "#f9d6d3",
    SubmissionState.APPROVED: "#d7f0d5",
    SubmissionState.WITHDRAWN: "#e8eaed",
}


def split_comments(
    comments: Mapping[str, str],
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """A supervisor's ``field_comments`` split into the person's fields and history rows
    (by row id, then field; "" for a whole row). Keys are field names or the merge's
    conflict keys (``person:<field>``, ``history:<row>[:<field>]``)."""
    person: dict[str, str] = {}
    rows: dict[str, dict[str, str]] = {}
    for key, text in comments.items():
        if key.startswith("history:"):
            _, rid, *field = key.split(":", 2)
            rows.setdefault(rid, {})[field[0] if field else ""] = text
        else:
            person[key.removeprefix("person:")] = text
    return person, rows


class Sections(QWidget):
    """The editor's sections: their names in a list on the left (Thai names are long, and
    ten of them do not fit in a row of tabs), the chosen one on the right. Ctrl+Page Down
    and Ctrl+Page Up move to the next and previous section from anywhere in the editor. It
    answers the part of QTabWidget's interface the editor uses."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Sections"))
        self.list.setStyleSheet("QListWidget::item { padding: 5px 6px; }")
        self.stack = QStackedWidget()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addWidget(self.stack, 1)
        self.list.currentRowChanged.connect(self.stack.setCurrentIndex)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Ctrl+PgDown"), self, lambda: self._step(1), context=context)
        QShortcut(QKeySequence("Ctrl+PgUp"), self, lambda: self._step(-1), context=context)

    def addTab(self, widget: QWidget, text: str) -> int:
        self.stack.addWidget(widget)
        self.list.addItem(text)
        if self.list.currentRow() < 0:
            self.list.setCurrentRow(0)
        width = self.list.sizeHintForColumn(0) + 2 * self.list.frameWidth() + 28
        self.list.setFixedWidth(width)
        return self.list.count() - 1

    def count(self) -> int:
        return self.list.count()

    def widget(self, index: int) -> QWidget:
        return self.stack.widget(index)

    def currentIndex(self) -> int:
        return self.list.currentRow()

    def setCurrentIndex(self, index: int) -> None:
        self.list.setCurrentRow(index)

    def tabText(self, index: int) -> str:
        return self.list.item(index).text()

    def setTabText(self, index: int, text: str) -> None:
        self.list.item(index).setText(text)

    def setTabIcon(self, index: int, icon: QIcon) -> None:
        self.list.item(index).setIcon(icon)

    def _step(self, delta: int) -> None:
        self.setCurrentIndex((self.currentIndex() + delta) % self.count())


class EditorHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLabel()
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.name.setFont(font)
        self.citizen_id = QLabel()
        self.state = QLabel()
        self.state.setContentsMargins(8, 2, 8, 2)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setFrameShape(QFrame.Shape.StyledPanel)
        self.reason.setContentsMargins(8, 6, 8, 6)
        self.reason.setStyleSheet(f"background-color: {STATE_COLORS[SubmissionState.RETURNED]};")
        self.reason.hide()
        line = QHBoxLayout()
        line.addWidget(self.name)
        line.addSpacing(12)
        line.addWidget(self.citizen_id)
        line.addStretch(1)
        line.addWidget(self.state)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(line)
        layout.addWidget(self.reason)
        self._title = ""

    def title(self) -> str:
        return self._title

    def show_name(self, values: Mapping[str, Any]) -> None:
        name = texts.person_name(
            values.get("prefix"), values.get("first_name_th"), values.get("last_name_th"),
            values.get("acting_rank"),
        )  # fmt: skip
        self._title = name or self.tr("New person")
        self.name.setText(self._title)
        self.citizen_id.setText(CitizenIdEdit.display_text(values.get("citizen_id")))

    def show_detail(self, detail: DraftDetail) -> None:
        sub = detail.submission
        if sub is None:
            text, color = self.tr("Official record: no change proposed"), "official"
            if detail.person_id is None:
                text, color = self.tr("New person: not saved yet"), SubmissionState.DRAFT
        else:
            text = f"{texts.state_label(sub.state)} · {texts.kind_label(sub.kind)}"
            color = sub.state
        self.state.setText(text)
        self.state.setStyleSheet(f"background-color: {STATE_COLORS[color]}; border-radius: 4px;")
        returned = sub is not None and sub.return_reason and sub.state in (
            SubmissionState.RETURNED, SubmissionState.DRAFT,
        )  # fmt: skip
        if returned:
            text = self.tr("Returned by the supervisor: %1")
            hint = self.tr("Fix the marked fields, then send it again.")
            self.reason.setText(text.replace("%1", sub.return_reason or "") + "\n" + hint)
        self.reason.setVisible(bool(returned))


class EditorFooter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Wrapped, so that a long status in a longer language takes a second line rather
        # than widening the editor (and the main window) past the screen.
        self.status = QLabel(wordWrap=True)
        self.differences = QLabel(wordWrap=True)
        self.withdraw_button = QPushButton(self.tr("Withdraw…"))
        self.submit_button = QPushButton(self.tr("Send for approval (Ctrl+Enter)"))
        self.submit_button.setDefault(False)
        lines = QVBoxLayout()
        lines.setSpacing(0)
        lines.addWidget(self.status)
        lines.addWidget(self.differences)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(lines, 1)
        layout.addWidget(self.withdraw_button)
        layout.addWidget(self.submit_button)

    def show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        restyle(self.status, "severity", "error" if error else "")

    def show_actions(self, allowed: frozenset[Action], exists: bool) -> None:
        self.submit_button.setVisible(Action.EDIT in allowed)
        self.withdraw_button.setVisible(exists and Action.WITHDRAW in allowed)

    def show_differences(self, fields: int, rows: int, new: bool) -> None:
        if new:
            text = self.tr("A new person: enters the register once approved.")
        elif fields or rows:
            parts = [self.tr("%n field(s)", "", fields)] if fields else []
            parts += [self.tr("%n history row(s)", "", rows)] if rows else []
            text = self.tr("Differs from the official record: %1").replace("%1", ", ".join(parts))
        else:
            text = self.tr("Same as the official record.")
        self.differences.setText(text)
