"""The personnel list's table model: 100,000 people without a stall (Anki's browser model).

The model holds the keys of one SQL query, in the order chosen (a column and a direction,
sorted in SQL; by default the name's Thai dictionary order), and nothing else up front; lines are
fetched in blocks when the view asks for them and cached (the oldest blocks are dropped).
Every query runs on the task runner's database lane, never on the GUI thread:

1. a search first asks for its first block of lines with their keys (``people.list_start``,
   a few milliseconds whatever the size), and the view shows them at once (model reset);
2. if there are more, every key follows (``people.list_keys``) and the rows after the first
   block are inserted, shown as placeholders until their block arrives (``dataChanged``).

A search asked for while another is being read waits for it and replaces any search
already waiting: typing never queues a query per keystroke, and the lane is never idle
while the user waits. A new search stops the previous one's key reading midway. A new order
(:meth:`PeopleModel.sort`, which a click on the view's header calls) is a new search of the
same words and filters.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from app.domain import thai
from app.domain.validation import format_citizen_id
from app.services import people
from app.services.people import PeopleFilter, PeopleOrder, PersonListItem
from app.store import search as store_search
from app.store.db import Database
from ui import texts
from ui.tasks import Cancelled, Lane, Progress, Task, TaskHandle, TaskRunner

#: Lines fetched at a time; the first block of a search comes with its keys.
BLOCK = 50
#: Blocks kept in memory (the view shows a few dozen lines of them).
CACHED_BLOCKS = 40
#: What an unfetched line shows in its first column until its block arrives.
PLACEHOLDER = "…"

ModelIndex = QModelIndex | QPersistentModelIndex


_NAME = QT_TRANSLATE_NOOP("PeopleModel", "Name")
_UNIT = QT_TRANSLATE_NOOP("PeopleModel", "Unit")
_SUBMISSION = QT_TRANSLATE_NOOP("PeopleModel", "Submission")
_SORT_HINT = QT_TRANSLATE_NOOP(
    "PeopleModel", "Click to order the list by this column, again to reverse the order"
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("PeopleModel", text)


def _name(item: PersonListItem) -> str:
    return texts.person_name(item.prefix, item.first_name_th, item.last_name_th, item.acting_rank)


@dataclass(frozen=True)
class Column:
    """One column the list can show: its key (what is remembered), its title and its text."""

    key: str
    title: Callable[[], str]
    text: Callable[[PersonListItem], str]
    width: int  # default width in pixels at the default font size


COLUMNS: tuple[Column, ...] = (
    Column("name", lambda: _tr(_NAME), _name, 240),
    Column("citizen_id", lambda: texts.field_label("citizen_id"),
           lambda i: format_citizen_id(i.citizen_id), 150),
    Column("position_title", lambda: texts.field_label("position_title"),
           lambda i: i.position_title or "", 220),
    Column("position_number", lambda: texts.field_label("position_number"),
           lambda i: i.position_number or "", 150),
    Column("position_type", lambda: texts.field_label("position_type"),
           lambda i: texts.ref_label("position_types", i.position_type), 130),
    Column("level", lambda: texts.field_label("level"),
           lambda i: texts.ref_label("levels", i.level), 140),
    Column("category", lambda: texts.field_label("category"),
           lambda i: texts.ref_label("personnel_categories", i.category), 200),
    Column("unit", lambda: _tr(_UNIT), lambda i: i.unit_name or "", 250),
    Column("employment_status", lambda: texts.field_label("employment_status"),
           lambda i: texts.ref_label("employment_statuses", i.employment_status), 120),
    Column("birth_date", lambda: texts.field_label("birth_date"),
           lambda i: thai.format_date_be(i.birth_date) if i.birth_date else "", 110),
    Column("submission_state", lambda: _tr(_SUBMISSION),
           lambda i: texts.state_label(i.submission_state) if i.submission_state else "", 170),
)  # fmt: skip
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
#: The column that is always shown: a line without a name means nothing.
ALWAYS_SHOWN = "name"

_RETURNED = QBrush(QColor("#c62828"))
_PLACEHOLDER = QBrush(QColor("#9e9e9e"))

#: Data role of a line's person id (None until its block arrives).
PersonIdRole = Qt.ItemDataRole.UserRole
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_HEADER_ROLES = frozenset((_DISPLAY, _TOOLTIP))
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ID = int(PersonIdRole)
_ROLES = frozenset((_DISPLAY, _TOOLTIP, _FOREGROUND, _ID))  # Qt passes roles as int
_STATE_COLUMN = COLUMN_KEYS.index("submission_state")
_NAME_COLUMN = COLUMN_KEYS.index(ALWAYS_SHOWN)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def every_key(
    db: Database,
    query: str,
    filters: PeopleFilter | None,
    order: PeopleOrder,
    *,
    progress: Progress,
) -> list[int]:
    """On the database lane: every key of a search; stops when its task is cancelled."""
    try:
        return people.list_keys(db, query, filters, order=order, stop=lambda: progress.cancelled)
    except store_search.Stopped:
        raise Cancelled from None


def _unfinished(handle: TaskHandle[Any]) -> TaskHandle[Any] | None:
    """The handle of a task still running; None once it was delivered (a synchronous
    runner delivers before ``run_on`` returns)."""
    return None if handle.finished else handle


class PeopleModel(QAbstractTableModel):
    """Keys of one query in the order chosen, lines fetched in blocks; see the module's doc."""

    #: The rows shown and whether they are all the search found (else more are coming).
    count_changed = Signal(int, bool)
    #: A search's first lines are shown (the view may select one).
    results_shown = Signal()
    #: Reading the register failed: what to tell the user.
    failed = Signal(str)

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        parent: Any = None,
        *,
        block: int = BLOCK,
        cached_blocks: int = CACHED_BLOCKS,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._runner = runner
        self._block = block
        self._cached_blocks = cached_blocks
        self._keys: list[int] = []
        self._complete = True
        self._blocks: OrderedDict[int, dict[int, PersonListItem]] = OrderedDict()
        # Lines read before a refresh, shown until their new block arrives (no flash).
        self._stale: dict[int, PersonListItem] = {}
        self._texts: dict[int, tuple[str, ...]] = {}  # each cached line's column texts
        self._query: tuple[str, PeopleFilter | None] = ("", None)
        self._order = PeopleOrder()
        #: The search whose rows are shown (the last asked for may still be read).
        self.shown_query: tuple[str, PeopleFilter | None] | None = None
        self._generation = 0  # bumped by every search: older answers are dropped
        self._reading: TaskHandle[Any] | None = None  # a search's first lines being read
        self._waiting: tuple[str, PeopleFilter | None] | None = None
        self._keys_task: TaskHandle[Any] | None = None
        self._block_tasks: dict[int, TaskHandle[Any]] = {}
        self._wanted: set[int] = set()
        self._fetch = QTimer(self, singleShot=True, interval=0)
        self._fetch.timeout.connect(self._fetch_wanted)
        # The rest of a search's keys are asked for once its first lines are painted: the
        # paint then has the machine to itself (Qt handles posted paints before timers).
        self._after_paint = QTimer(self, singleShot=True, interval=0)
        self._after_paint.timeout.connect(lambda: self._read_every_key(self._generation))
        #: How many blocks of lines were read (the first lines of each search count as one).
        self.blocks_fetched = 0

    # --- what the view asks -------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role in _HEADER_ROLES
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section].title() if role == _DISPLAY else _tr(_SORT_HINT)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: ModelIndex, role: int = _DISPLAY) -> Any:
        # A paint asks for some 40 cells times 7 roles: the roles not served end here, and
        # a line's texts are made once (the GUI thread shares the interpreter with workers).
        if role not in _ROLES or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if row >= len(self._keys):
            return None
        key = self._keys[row]
        item = self.item(row)
        if item is None:
            if role == _DISPLAY and column == _NAME_COLUMN:
                return PLACEHOLDER
            return _PLACEHOLDER if role == _FOREGROUND else None
        if role == _ID:
            return item.id
        if role == _FOREGROUND:
            returned = column == _STATE_COLUMN and item.submission_state == "returned"
            return _RETURNED if returned else None
        texts = self._texts.get(key)
        if texts is None:
            texts = self._texts[key] = tuple(c.text(item) for c in COLUMNS)
        if role == _TOOLTIP:
            return texts[column] or None
        return texts[column]

    def retranslate(self) -> None:
        """Show the lines in the language now in use (after a switch of language)."""
        self._texts.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._keys:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._keys) - 1, 0))

    # --- lines, by row ----------------------------------------------------------------------

    def item(self, row: int) -> PersonListItem | None:
        """The line of ``row`` if its block is here; else None, and the block is asked for."""
        number = row // self._block
        lines = self._blocks.get(number)
        if lines is None:
            self._want(number)
            return self._stale.get(self._keys[row])
        if number != next(reversed(self._blocks)):
            self._blocks.move_to_end(number)
        return lines.get(self._keys[row])

    def person_id(self, row: int) -> str | None:
        item = self.item(row) if 0 <= row < len(self._keys) else None
        return item.id if item else None

    def row_of(self, key: int) -> int | None:
        try:
            return self._keys.index(key)
        except ValueError:
            return None

    def key(self, row: int) -> int | None:
        return self._keys[row] if 0 <= row < len(self._keys) else None

    @property
    def loaded_rows(self) -> int:
        """Rows whose line is in memory now."""
        return sum(len(lines) for lines in self._blocks.values())

    @property
    def complete(self) -> bool:
        """The rows are every person the search found (the keys are all here)."""
        return self._complete

    @property
    def searching(self) -> bool:
        """The last search asked for is not shown yet."""
        return self._reading is not None or self._waiting is not None

    @property
    def busy(self) -> bool:
        """A search or a block is still being read."""
        return bool(
            self._reading
            or self._keys_task
            or self._after_paint.isActive()
            or self._block_tasks
            or self._wanted
        )

    # --- the order ----------------------------------------------------------------------------

    @property
    def order(self) -> PeopleOrder:
        return self._order

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by ``column`` (in SQL: the search is read again); a column below
        0 (no sort indicator) is the default order, the name's Thai order."""
        if not 0 <= column < len(COLUMNS):
            self.set_order(PeopleOrder())
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_order(PeopleOrder(COLUMN_KEYS[column], descending))

    def set_order(self, order: PeopleOrder) -> None:
        """Order the rows so; the search asked for, if any, is read again in that order."""
        if order == self._order:
            return
        self._order = order
        if self._generation:  # a search was asked for: show it in the new order
            self.search(*self._query)

    # --- searching --------------------------------------------------------------------------

    def search(self, query: str, filters: PeopleFilter | None = None) -> None:
        """Show the people matching ``query`` and ``filters``, first lines first."""
        self._query = (query, filters)
        self._stop_reading()
        if self._reading is not None:  # one at a time: this one runs when that one ends
            self._waiting = self._query
            return
        self._generation += 1
        generation = self._generation
        self.blocks_fetched += 1
        self._reading = _unfinished(
            Task(people.list_start, self._db, query, filters, order=self._order, limit=self._block)
            .on_success(lambda start: self._started(generation, start))
            .on_failure(lambda exc: self._failed_search(generation, exc))
            .on_cancelled(lambda: self._search_ended(generation))
            .bound_to(self)
            .run_on(self._runner, Lane.DB)
        )

    def refresh(self) -> None:
        """Read the same search again (the register changed) without going back to its
        first block: the rows are replaced when every key is here."""
        self._stop_reading()
        if self._reading is not None:  # a search is on its way: read it again after that
            self._waiting = self._query
            return
        self._generation += 1
        self._read_every_key(self._generation, replace=True)

    def _stop_reading(self) -> None:
        """Drop what the last search was still reading: its keys and blocks."""
        self._after_paint.stop()
        if self._keys_task is not None:
            self._keys_task.cancel()  # SQLite stops within microseconds
            self._keys_task = None
        for handle in self._block_tasks.values():
            handle.cancel()
        self._block_tasks.clear()
        self._wanted.clear()

    def _search_ended(self, generation: int) -> bool:
        """The first lines of a search came back (or failed): start the search that waited,
        if any, and say whether this answer is still wanted."""
        if generation != self._generation:
            return False
        self._reading = None
        if self._waiting is not None:
            query, filters = self._waiting
            self._waiting = None
            self.search(query, filters)
            return False  # a newer search is on its way: do not flash this one
        return True

    def _started(self, generation: int, start: people.ListStart) -> None:
        query = self._query
        if not self._search_ended(generation):
            return
        self.shown_query = query
        self.beginResetModel()
        self._keys = list(start.keys)
        self._stale = {}
        self._blocks.clear()
        self._texts.clear()
        self._blocks[0] = dict(zip(start.keys, start.items, strict=True))
        self._complete = start.complete
        self.endResetModel()
        self.results_shown.emit()
        self.count_changed.emit(len(self._keys), self._complete)
        if not start.complete:
            self._after_paint.start()

    def _read_every_key(self, generation: int, *, replace: bool = False) -> None:
        query, filters = self._query
        self._keys_task = _unfinished(
            Task(every_key, self._db, query, filters, self._order)
            .with_progress()
            .on_success(lambda keys: self._got_every_key(generation, keys, replace))
            .on_failure(lambda exc: self._failed_search(generation, exc))
            .on_cancelled(lambda: self._keys_dropped(generation))
            .bound_to(self)
            .run_on(self._runner, Lane.DB)
        )

    def _got_every_key(self, generation: int, keys: list[int], replace: bool) -> None:
        if generation != self._generation:
            return
        self._keys_task = None
        shown = len(self._keys)
        if not replace and keys[:shown] == self._keys:  # the first lines stay as they are
            if len(keys) > shown:
                self.beginInsertRows(QModelIndex(), shown, len(keys) - 1)
                self._keys = keys
                self.endInsertRows()
        else:
            self.beginResetModel()
            self._keys = keys
            self._stale = {k: i for lines in self._blocks.values() for k, i in lines.items()}
            self._blocks.clear()
            self._texts.clear()
            self.endResetModel()
            if not replace:
                self.results_shown.emit()
        self._complete = True
        self.count_changed.emit(len(self._keys), True)

    def _keys_dropped(self, generation: int) -> None:
        if generation == self._generation:
            self._keys_task = None

    def _failed_search(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._keys_task = None
        if self._search_ended(generation):
            self.failed.emit(texts.error_text(exc))

    # --- blocks -------------------------------------------------------------------------------

    def _want(self, number: int) -> None:
        if number in self._block_tasks or number in self._wanted:
            return
        self._wanted.add(number)
        self._fetch.start()  # after this paint: never read inside data()

    def _fetch_wanted(self) -> None:
        generation = self._generation
        wanted, self._wanted = self._wanted, set()
        for number in sorted(wanted):
            keys = tuple(self._keys[number * self._block : (number + 1) * self._block])
            if not keys or number in self._blocks:
                continue
            self.blocks_fetched += 1
            handle = _unfinished(
                Task(people.list_lines, self._db, keys)
                .on_success(lambda lines, n=number: self._got_block(generation, n, lines))
                .on_failure(lambda exc, n=number: self._failed_block(generation, n, exc))
                .bound_to(self)
                .run_on(self._runner, Lane.DB)
            )
            if handle is not None:
                self._block_tasks[number] = handle

    def _got_block(self, generation: int, number: int, lines: dict[int, PersonListItem]) -> None:
        if generation != self._generation:
            return
        self._block_tasks.pop(number, None)
        self._blocks[number] = lines
        for key in lines:
            self._texts.pop(key, None)  # a refreshed line is shown anew
        while len(self._blocks) > self._cached_blocks:
            _number, dropped = self._blocks.popitem(last=False)
            for key in dropped:
                self._texts.pop(key, None)
        first = number * self._block
        last = min(first + self._block, len(self._keys)) - 1
        self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def _failed_block(self, generation: int, number: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._block_tasks.pop(number, None)
        self._blocks[number] = {}  # shown empty, not asked for again until the next search
        self.failed.emit(texts.error_text(exc))
