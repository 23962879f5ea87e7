"""The personnel list: search as you type, filters, chosen columns, keyboard first.

- Typing in the search box searches at once (Thai substrings, a citizen-ID fragment with or
  without dashes, a position number); a search asked for while one is read waits for it,
  and only the latest waits (see :mod:`ui.people_model`).
- Filters: personnel category, position type, level (only those of the chosen type), unit,
  employment status, and the state of an open submission.
- Columns: the header's context menu (and the View menu) shows or hides them; their order,
  set by dragging, and widths are remembered (:mod:`ui.view_state`).
- Order: a click on a column's title orders the list by it (in SQL, see
  :mod:`app.store.search`), a second click reverses it; Qt's sort indicator shows which.
  The name column ascending is the default order (a click on it goes back there); the
  order is remembered, and hiding the column the list is ordered by goes back to it.
- Keys: Up/Down/Page Up/Page Down in the search box move in the list, Enter opens the
  person selected, in the box or in the list; a double click opens too.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import reference
from app.domain.entities import SubmissionState
from app.services import people
from app.services.people import PeopleFilter, PeopleOrder
from app.store.db import Database
from ui import texts
from ui.people_model import ALWAYS_SHOWN, COLUMN_KEYS, COLUMNS, PeopleModel
from ui.tasks import Lane, Task, TaskRunner
from ui.view_state import PEOPLE_COLUMNS, PEOPLE_SORT, PEOPLE_WIDTHS, ViewState

#: Filters in the order they stand, each with the reference list its choices come from
#: (None: the choices are read from the database or fixed here).
FILTERS: tuple[tuple[str, str | None], ...] = (
    ("category", "personnel_categories"),
    ("position_type", "position_types"),
    ("level", None),
    ("unit_id", None),
    ("employment_status", "employment_statuses"),
    ("submission_state", None),
)
FILTERS_PER_ROW = 3
OPEN_STATES = (SubmissionState.DRAFT, SubmissionState.SUBMITTED, SubmissionState.RETURNED)
_MOVE_KEYS = {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}
_ENTER_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter}


class PeopleList(QWidget):
    """The list of people; ``open_person`` carries the id of the person to open."""

    HELP_TOPIC = "clerk.html#people"

    open_person = Signal(str)

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        view_state: ViewState,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._runner = runner
        self._view_state = view_state
        self._open_when_loaded: int | None = None
        self._keep_key: int | None = None
        self._units: list[people.UnitItem] = []
        self._count: tuple[int, bool] | None = None

        self.search = QLineEdit(objectName="peopleSearch")
        self.search.setClearButtonEnabled(True)
        self.count = QLabel(objectName="peopleCount")
        self.count.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.filters: dict[str, QComboBox] = {}
        for name, _list in FILTERS:
            combo = QComboBox(objectName=f"filter_{name}")
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(6)  # they stretch to fill the row
            self.filters[name] = combo
        self.clear_filters = QToolButton(objectName="clearFilters")
        self.clear_filters.clicked.connect(self.reset_filters)

        self.model = PeopleModel(db, runner, self)
        self.table = QTableView(objectName="peopleTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring
        self._fit_rows()
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        top.addWidget(self.clear_filters)
        # Two rows of three: a Thai choice such as ข้าราชการหรือพนักงานส่วนท้องถิ่น is long,
        # and six in one row clip on an office laptop's screen.
        bar = QGridLayout()
        bar.setHorizontalSpacing(6)
        bar.setVerticalSpacing(4)
        for i, combo in enumerate(self.filters.values()):
            bar.addWidget(combo, i // FILTERS_PER_ROW, i % FILTERS_PER_ROW)
        for column in range(FILTERS_PER_ROW):
            bar.setColumnStretch(column, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addLayout(top)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.search)

        self._fill_filters()
        self._restore_columns()
        self._restore_order()
        self._retranslate()
        self.search.installEventFilter(self)
        self.table.installEventFilter(self)
        self.search.textChanged.connect(self._search_changed)
        for combo in self.filters.values():
            combo.currentIndexChanged.connect(self._filter_changed)
        self.filters["position_type"].currentIndexChanged.connect(self._fill_levels)
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        header.sectionResized.connect(self._save_widths)
        header.sectionMoved.connect(self._save_columns)
        header.sortIndicatorChanged.connect(self._save_order)
        self.model.count_changed.connect(self._show_count)
        self.model.results_shown.connect(self._select_first)
        self.model.modelReset.connect(self._restore_current)
        self.model.dataChanged.connect(self._lines_arrived)
        self.model.failed.connect(self._show_failure)
        self._load_units()
        self.model.search("", None)

    # --- the search and its filters -----------------------------------------------------------

    def current_filter(self) -> PeopleFilter | None:
        chosen = {name: combo.currentData() for name, combo in self.filters.items()}
        chosen = {name: value for name, value in chosen.items() if value is not None}
        return PeopleFilter(**chosen) if chosen else None

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def refresh(self) -> None:
        """Read the list again (the register changed), keeping the person selected."""
        self._keep_key = self.model.key(self.table.currentIndex().row())
        self.model.refresh()

    def reset_filters(self) -> None:
        for combo in self.filters.values():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._fill_levels()
        self._filter_changed()

    def _search_changed(self, _text: str) -> None:
        self.model.search(self.search.text(), self.current_filter())

    def _filter_changed(self) -> None:
        self.clear_filters.setEnabled(self.current_filter() is not None)
        self.model.search(self.search.text(), self.current_filter())

    def _fill_filters(self) -> None:
        for name, list_name in FILTERS:
            if list_name is not None:
                self._fill(name, [(e.code, texts.ref_label(list_name, e.code))
                                  for e in reference.entries(list_name)])  # fmt: skip
        self._fill("submission_state", [(s.value, texts.state_label(s)) for s in OPEN_STATES])
        self._fill_levels()
        self._fill("unit_id", [(u.id, u.name) for u in self._units])

    def _fill_levels(self) -> None:
        """Levels of the chosen position type only; every level when no type is chosen."""
        chosen = self.filters["position_type"].currentData()
        levels = reference.levels_for(chosen) if chosen else reference.entries(reference.LEVELS)
        self._fill("level", [(e.code, texts.ref_label(reference.LEVELS, e.code))
                             for e in levels or ()])  # fmt: skip

    def _fill(self, name: str, choices: list[tuple[str, str]]) -> None:
        """Put ``choices`` in a filter, keeping its choice if it is still offered."""
        combo = self.filters[name]
        kept = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self._any_label(name), None)
        for code, label in choices:
            combo.addItem(label, code)
        at = combo.findData(kept) if kept is not None else 0
        combo.setCurrentIndex(max(at, 0))
        combo.blockSignals(False)
        if kept is not None and at < 0:  # the level no longer fits the type: search again
            self._filter_changed()

    def _any_label(self, name: str) -> str:
        return {
            "category": self.tr("All categories"),
            "position_type": self.tr("All position types"),
            "level": self.tr("All levels"),
            "unit_id": self.tr("All units"),
            "employment_status": self.tr("Any employment status"),
            "submission_state": self.tr("With or without submissions"),
        }[name]

    def _filter_tooltip(self, name: str) -> str:
        return {
            "category": texts.field_label("category"),
            "position_type": texts.field_label("position_type"),
            "level": texts.field_label("level"),
            "unit_id": COLUMNS[COLUMN_KEYS.index("unit")].title(),
            "employment_status": texts.field_label("employment_status"),
            "submission_state": self.tr("People with a submission in this state"),
        }[name]

    def _load_units(self) -> None:
        Task(people.list_units, self._db).on_success(self._got_units).on_failure(
            lambda exc: self._show_failure(texts.error_text(exc))
        ).bound_to(self).run_on(self._runner, Lane.DB)

    def _got_units(self, units: list[people.UnitItem]) -> None:
        self._units = units
        self._fill("unit_id", [(u.id, u.name) for u in units])

    # --- the count and failures -----------------------------------------------------------

    def _show_count(self, rows: int, complete: bool) -> None:
        self._count = (rows, complete)
        self.count.setStyleSheet("")
        self.count.setToolTip("")
        if complete:
            self.count.setText(self.tr("%Ln people", "", rows))
        else:
            more = QLocale().toString(rows)
            self.count.setText(self.tr("%1+ people, counting…").replace("%1", more))

    def _show_failure(self, message: str) -> None:
        self.count.setText(self.tr("Could not read the register"))
        self.count.setToolTip(message)
        self.count.setStyleSheet("color: #c62828;")

    # --- selection and opening ------------------------------------------------------------

    def current_person_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.person_id(index.row()) if index.isValid() else None

    def _select_first(self) -> None:
        if self.model.rowCount() and self._keep_key is None:
            self._select(0)

    def _restore_current(self) -> None:
        key, self._keep_key = self._keep_key, None
        row = self.model.row_of(key) if key is not None else None
        if row is not None:
            self._select(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _select(self, row: int) -> None:
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def open_current(self) -> None:
        """Open the person selected (as Enter does)."""
        self._open(self.table.currentIndex().row())

    def _open(self, row: int) -> None:
        if row < 0:
            return
        person_id = self.model.person_id(row)
        if person_id is None:  # its block is on its way: open it when it arrives
            self._open_when_loaded = row
            return
        self._open_when_loaded = None
        self.open_person.emit(person_id)

    def _lines_arrived(self, first: QModelIndex, last: QModelIndex) -> None:
        row = self._open_when_loaded
        if row is not None and first.row() <= row <= last.row():
            self._open(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = Qt.Key(event.key())
            if key in _ENTER_KEYS and watched in (self.search, self.table):
                self.open_current()
                return True
            if key in _MOVE_KEYS and watched is self.search and self.model.rowCount():
                self.table.keyPressEvent(event)  # move in the list, stay in the box
                return True
        return super().eventFilter(watched, event)

    # --- columns ------------------------------------------------------------------------------

    def visible_columns(self) -> list[str]:
        """Keys of the columns shown, in the order they are shown."""
        header = self.table.horizontalHeader()
        logical = [header.logicalIndex(v) for v in range(header.count())]
        return [COLUMN_KEYS[i] for i in logical if not header.isSectionHidden(i)]

    def set_column_shown(self, key: str, shown: bool) -> None:
        if key == ALWAYS_SHOWN and not shown:
            return
        self.table.horizontalHeader().setSectionHidden(COLUMN_KEYS.index(key), not shown)
        self._save_columns()
        if not shown and self.order().column == key:  # no order by what cannot be seen
            self.set_order(ALWAYS_SHOWN)

    def columns_menu(self, parent: QWidget | None = None) -> QMenu:
        """A menu of every column, checked when shown (the header's context menu)."""
        menu = QMenu(self.tr("Columns"), parent or self)
        shown = set(self.visible_columns())
        for column in COLUMNS:
            action = QAction(column.title(), menu, checkable=True)
            action.setChecked(column.key in shown)
            action.setEnabled(column.key != ALWAYS_SHOWN)
            action.toggled.connect(lambda on, k=column.key: self.set_column_shown(k, on))
            menu.addAction(action)
        return menu

    def _header_menu(self, pos: Any) -> None:
        menu = self.columns_menu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.horizontalHeader().mapToGlobal(pos))

    def _restore_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        widths = self._view_state.get(PEOPLE_WIDTHS)
        for i, column in enumerate(COLUMNS):
            width = widths.get(column.key)
            usable = isinstance(width, int) and width > 20
            header.resizeSection(i, width if usable else column.width)
        chosen = [k for k in self._view_state.get(PEOPLE_COLUMNS) if k in COLUMN_KEYS]
        if ALWAYS_SHOWN not in chosen:
            chosen.insert(0, ALWAYS_SHOWN)
        for i, key in enumerate(COLUMN_KEYS):
            header.setSectionHidden(i, key not in chosen)
        for place, key in enumerate(chosen):
            header.moveSection(header.visualIndex(COLUMN_KEYS.index(key)), place)
        header.blockSignals(False)

    # --- the order ----------------------------------------------------------------------------

    def order(self) -> PeopleOrder:
        """What the list is ordered by (the model's, set by the header's sort indicator)."""
        return self.model.order

    def set_order(self, column: str, descending: bool = False) -> None:
        """Order the list by the column ``column`` (a key of ``COLUMN_KEYS``), as a click on
        its title does."""
        way = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.table.sortByColumn(COLUMN_KEYS.index(column), way)

    def _restore_order(self) -> None:
        """The order remembered, shown by the header's sort indicator; the model reads in it
        from its first search (sorting is enabled with the model already in that order)."""
        saved = self._view_state.get(PEOPLE_SORT)
        column, descending = saved.get("column"), saved.get("descending")
        if column not in COLUMN_KEYS or column not in self.visible_columns():
            column, descending = ALWAYS_SHOWN, False
        self.model.set_order(PeopleOrder(column, descending is True))
        way = Qt.SortOrder.DescendingOrder if descending is True else Qt.SortOrder.AscendingOrder
        self.table.horizontalHeader().setSortIndicator(COLUMN_KEYS.index(column), way)
        self.table.setSortingEnabled(True)  # the header's clicks now call model.sort (SQL)

    def _save_order(self, section: int, way: Qt.SortOrder) -> None:
        column = COLUMN_KEYS[section] if 0 <= section < len(COLUMN_KEYS) else ALWAYS_SHOWN
        descending = way == Qt.SortOrder.DescendingOrder and 0 <= section < len(COLUMN_KEYS)
        self._view_state.set(PEOPLE_SORT, {"column": column, "descending": descending})

    def _save_columns(self, *_args: Any) -> None:
        self._view_state.set(PEOPLE_COLUMNS, self.visible_columns())

    def _save_widths(self, logical: int, _old: int, new: int) -> None:
        header = self.table.horizontalHeader()
        if header.isSectionHidden(logical) or new <= 0:
            return
        widths = dict(self._view_state.get(PEOPLE_WIDTHS))
        widths[COLUMN_KEYS[logical]] = new
        self._view_state.set(PEOPLE_WIDTHS, widths)

    # --- words ------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        elif event.type() == QEvent.Type.FontChange:  # the font size setting changed
            self._fit_rows()
        super().changeEvent(event)

    def _fit_rows(self) -> None:
        """Rows as high as the font needs, with room for Thai marks above and below."""
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)

    def _retranslate(self) -> None:
        self.search.setPlaceholderText(
            self.tr("Search: name, citizen ID or position number (Ctrl+F)")
        )
        self.clear_filters.setText(self.tr("Clear filters"))
        self.clear_filters.setEnabled(self.current_filter() is not None)
        self._fill_filters()
        for name, combo in self.filters.items():
            combo.setToolTip(self._filter_tooltip(name))
        self.model.retranslate()
        if self._count is not None:
            self._show_count(*self._count)
