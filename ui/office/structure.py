"""The office's structure (issue 14): its units as a tree — สำนัก, กอง, ฝ่าย, งาน — with how
many people and open slots each holds; add a unit at the top or under the one selected,
rename it, move it under another, close it.

A unit is never moved under itself or one of its own units (the dialog refuses, in words);
a unit that still holds people or open slots is not closed: the refusal says how many, and
nothing changes. Every write goes through :mod:`app.services.structure`, which makes the op
the sync sends; the page then reads the tree again.

Keys: Insert adds under the selected unit, Ctrl+Insert at the top, F2 renames, Ctrl+M moves,
Delete closes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.domain import reference
from app.services import structure
from ui.dialogs import FittedDialog, error_label
from ui.office import words
from ui.office.local_page import STRUCTURE, LocalPage, UnitChoice, add_units, open_units

ID_ROLE = Qt.ItemDataRole.UserRole + 1
NAME, KIND, PEOPLE, OPEN_SLOTS = range(4)


def walk(nodes: Iterable[Any]) -> Iterator[Any]:
    """Every unit of the tree, parents before their children."""
    for node in nodes:
        yield node
        yield from walk(node.children)


def below(node: Any) -> set[str]:
    """The ids of ``node`` and of every unit under it: where it may not move."""
    return {n.id for n in walk([node])}


class UnitDialog(FittedDialog):
    """A unit's name, kind and the unit it belongs to; the parent may not be the unit itself
    or one under it (:attr:`forbidden`)."""

    def __init__(
        self,
        title: str,
        units: list[UnitChoice],
        *,
        name: str = "",
        kind: str | None = None,
        parent_id: str | None = None,
        forbidden: frozenset[str] = frozenset(),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("unitDialog")
        self.setWindowTitle(title)
        self.forbidden = forbidden
        self.name = QLineEdit(name, objectName="unitName")
        self.name.setMaxLength(200)
        self.kind = QComboBox(objectName="unitKind")
        for entry in reference.entries("unit_kinds"):
            self.kind.addItem(words.unit_kind(entry.code), entry.code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.name.textEdited.connect(self._guess_kind)
        self.parent_unit = QComboBox(objectName="unitParent")
        self.parent_unit.addItem(self.tr("(the organization itself)"), None)
        add_units(self.parent_unit, units)
        self.parent_unit.setCurrentIndex(max(0, self.parent_unit.findData(parent_id)))
        self.error = error_label("unitError")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Name:"), self.name)
        form.addRow(self.tr("Kind:"), self.kind)
        form.addRow(self.tr("Belongs to:"), self.parent_unit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(460, self.sizeHint().height())

    def _guess_kind(self, name: str) -> None:
        """A Thai unit's name starts with its kind ("ฝ่ายแผนงาน" is a ฝ่าย): choose it."""
        for entry in reference.entries("unit_kinds"):
            if name.strip().startswith(entry.th):
                self.kind.setCurrentIndex(self.kind.findData(entry.code))
                return

    def values(self) -> dict[str, Any]:
        return {
            "name": " ".join(self.name.text().split()),
            "unit_kind": self.kind.currentData(),
            "parent_id": self.parent_unit.currentData(),
        }

    def _check(self) -> None:
        values = self.values()
        if not values["name"]:
            self._refuse(self.tr("Type the unit's name"))
        elif values["parent_id"] in self.forbidden:
            self._refuse(words.tr(words.MESSAGES["error.unit_cycle"]))
        else:
            self.accept()

    def _refuse(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.fit()


class StructurePage(LocalPage):
    HELP_TOPIC = "office.html#structure"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.roots: tuple[Any, ...] = ()
        self.dialog: UnitDialog | None = None
        self.confirmation: QMessageBox | None = None
        self.model = QStandardItemModel(0, 4, self)
        self.tree = QTreeView(objectName="unitTree")
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.show_closed = QCheckBox(objectName="showClosedUnits")
        self.add_top = QPushButton(objectName="addTopUnit")
        self.add_child = QPushButton(objectName="addChildUnit")
        self.rename = QPushButton(objectName="renameUnit")
        self.move = QPushButton(objectName="moveUnit")
        self.close_unit = QPushButton(objectName="closeUnit")
        buttons = QVBoxLayout()  # beside the tree: a row of them is too wide in a longer language
        for button in (self.add_top, self.add_child, self.rename, self.move, self.close_unit):
            buttons.addWidget(button)
        buttons.addSpacing(12)
        buttons.addWidget(self.show_closed)
        buttons.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.tree, 1)
        body.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)

        self.add_top.clicked.connect(lambda: self.ask_add(top=True))
        self.add_child.clicked.connect(lambda: self.ask_add(top=False))
        self.rename.clicked.connect(self.ask_rename)
        self.move.clicked.connect(self.ask_move)
        self.close_unit.clicked.connect(self.ask_close)
        self.show_closed.toggled.connect(lambda _on: self._fill())
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._enable())
        self.bind("Ins", lambda: self.ask_add(top=False), self.add_child)
        self.bind("Ctrl+Ins", lambda: self.ask_add(top=True), self.add_top)
        self.bind("F2", self.ask_rename, self.rename)
        self.bind("Ctrl+M", self.ask_move, self.move)
        self.bind("Del", self.ask_close, self.close_unit)
        self._retranslate()
        self._enable()

    def _retranslate(self) -> None:
        self.model.setHorizontalHeaderLabels(
            [self.tr("Unit"), self.tr("Kind"), self.tr("People"), self.tr("Open slots")]
        )
        self.add_top.setText(self.tr("Add a top unit…"))
        self.add_child.setText(self.tr("Add under the selected…"))
        self.rename.setText(self.tr("Rename…"))
        self.move.setText(self.tr("Move…"))
        self.close_unit.setText(self.tr("Close the unit…"))
        self.show_closed.setText(self.tr("Show closed units"))
        self.name_keys()

    # --- reading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.run(structure.unit_tree, done=self._loaded)

    def _loaded(self, roots: Any) -> None:
        self.roots = tuple(roots)
        self._fill()
        if not self.roots:
            self.say(self.tr("The office has no units yet: add its first with “Add a top unit”."))

    def units(self) -> list[Any]:
        """Every unit read, parents first."""
        return list(walk(self.roots))

    def node(self, unit_id: str | None) -> Any:
        return next((n for n in walk(self.roots) if n.id == unit_id), None)

    def _fill(self) -> None:
        current = self.current_id()
        self.model.removeRows(0, self.model.rowCount())
        closed = self.show_closed.isChecked()
        self._add_rows(self.model.invisibleRootItem(), self.roots, closed)
        self.tree.expandAll()
        for column in (KIND, PEOPLE, OPEN_SLOTS):
            self.tree.resizeColumnToContents(column)
        self.select(current)
        self._enable()

    def _add_rows(self, parent: QStandardItem, nodes: Iterable[Any], closed: bool) -> None:
        for node in nodes:
            if node.closed and not closed:
                continue
            name = node.name + (self.tr(" (closed)") if node.closed else "")
            row = [
                QStandardItem(name),
                QStandardItem(words.unit_kind(node.unit_kind)),
                QStandardItem(str(node.people)),
                QStandardItem(str(node.open_slots)),
            ]
            for item in row[PEOPLE:]:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for item in row:
                item.setData(node.id, ID_ROLE)
                if node.closed:
                    item.setForeground(self.palette().placeholderText())
            parent.appendRow(row)
            self._add_rows(row[0], node.children, closed)

    def _indexes(self, parent: QModelIndex | None = None) -> Iterator[QModelIndex]:
        parent = parent if parent is not None else QModelIndex()
        for row in range(self.model.rowCount(parent)):
            index = self.model.index(row, 0, parent)
            yield index
            yield from self._indexes(index)

    def select(self, unit_id: str | None) -> None:
        """Make ``unit_id``'s row the current one (the first row when it is not shown)."""
        found = next(
            (i for i in self._indexes() if i.data(ID_ROLE) == unit_id), self.model.index(0, 0)
        )
        if found.isValid():
            self.tree.setCurrentIndex(found)

    def current_id(self) -> str | None:
        index = self.tree.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def shown_names(self) -> list[str]:
        """The units' names as the tree shows them, parents first."""
        return [i.data() for i in self._indexes()]

    def _enable(self) -> None:
        node = self.node(self.current_id())
        open_unit = node is not None and not node.closed
        for button in (self.add_child, self.rename, self.move, self.close_unit):
            button.setEnabled(open_unit)

    # --- writing -----------------------------------------------------------------------------

    def _choices(self) -> list[UnitChoice]:
        """Open units to put a unit under, indented by depth."""
        return open_units(self.roots)

    def _open_dialog(self, dialog: UnitDialog, unit_id: str | None, focus: QWidget) -> None:
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._save(unit_id, dialog.values()))
        dialog.open()
        focus.setFocus()

    def ask_add(self, *, top: bool) -> None:
        parent = None if top else self.node(self.current_id())
        if not top and parent is None:
            return
        kind = None
        if parent is not None:  # the kind one tier below the parent's
            entry = reference.entry("unit_kinds", parent.unit_kind)
            tier = entry.get("tier", 1) if entry is not None else 1
            kind = next(
                (e.code for e in reference.entries("unit_kinds") if e.get("tier") == tier + 1),
                parent.unit_kind,
            )
        dialog = UnitDialog(
            self.tr("A new unit"), self._choices(), kind=kind,
            parent_id=parent.id if parent else None, parent=self,
        )  # fmt: skip
        self._open_dialog(dialog, None, dialog.name)

    def _edit(self, title: str, focus: str) -> None:
        node = self.node(self.current_id())
        if node is None or node.closed:
            return
        dialog = UnitDialog(
            title, self._choices(), name=node.name, kind=node.unit_kind,
            parent_id=node.parent_id, forbidden=frozenset(below(node)), parent=self,
        )  # fmt: skip
        self._open_dialog(dialog, node.id, getattr(dialog, focus))

    def ask_rename(self) -> None:
        self._edit(self.tr("Rename the unit"), "name")

    def ask_move(self) -> None:
        self._edit(self.tr("Move the unit"), "parent_unit")

    def _save(self, unit_id: str | None, values: dict[str, Any]) -> None:
        self.run(
            structure.save_unit, unit_id=unit_id, **values,
            done=lambda new_id: self._saved(new_id, values["name"]),
        )  # fmt: skip

    def _saved(self, unit_id: str, name: str) -> None:
        self.wrote(STRUCTURE, self.tr("Saved: %1").replace("%1", name))
        self.run(
            structure.unit_tree, done=lambda roots: (self._loaded(roots), self.select(unit_id))
        )

    def ask_close(self) -> None:
        node = self.node(self.current_id())
        if node is None or node.closed:
            return
        units = sum(1 for child in node.children if not child.closed)
        if node.people or node.open_slots or units:
            self.refuse(self.refusal(node.name, node.people, node.open_slots, units))
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Close the unit"),
            self.tr(
                "Close “%1”? It stays in the records of the past, and takes no one new."
            ).replace("%1", node.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Close the unit"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Keep it"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.accepted.connect(lambda: self._close(node.id, node.name))
        self.confirmation = box
        box.open()

    def refusal(self, name: str, people: int, open_slots: int, units: int) -> str:
        """Why ``name`` stays open: what it still holds, in numbers."""
        text = self.tr(
            "“%1” cannot be closed: it still has %2 people, %3 open slots and %4 open units "
            "under it. Move them to another unit first; nothing was changed."
        )
        for arg, value in (("%1", name), ("%2", people), ("%3", open_slots), ("%4", units)):
            text = text.replace(arg, str(value))
        return text

    def _close(self, unit_id: str, name: str) -> None:
        self.run(
            structure.close_unit, unit_id,
            done=lambda _r: (
                self.wrote(STRUCTURE, self.tr("Closed: %1").replace("%1", name)),
                self.refresh(),
            ),
        )  # fmt: skip
