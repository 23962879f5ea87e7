"""The personnel list: a lazy model over one query's keys, search as you type in Thai and by
citizen ID, filters, remembered columns, and the keys a clerk uses all day."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication

from app import demo_data
from app.domain import thai
from app.services import people
from app.store.db import Database, open_database
from tests.ui.editor_fixtures import type_thai
from tests.ui.session_helpers import SHOTS
from ui.main_window import MainWindow
from ui.people_list import PeopleList
from ui.people_model import BLOCK, COLUMN_KEYS, PLACEHOLDER, PeopleModel
from ui.tasks import TaskRunner
from ui.view_state import ViewState

PEOPLE = 300


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("people-list") / "demo.sqlite3"
    db = open_database(path)
    demo_data.generate(db, org_code="6340101", people=PEOPLE, seed=5)
    db.close()
    return path


@pytest.fixture
def db(template, tmp_path) -> Iterator[Database]:
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(template, path)
    db = open_database(path)
    yield db
    db.close()


@pytest.fixture
def view_state(tmp_path) -> ViewState:
    """UI state in this test's own file, never the developer's."""
    return ViewState(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))


def shown_window(qtbot, db, runner, view_state) -> MainWindow:
    """A main window on the screen, as wide as an office laptop's."""
    win = MainWindow(db, runner, view_state=view_state)
    qtbot.addWidget(win)
    win.resize(1100, 600)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def window(qtbot, db, runner, view_state) -> MainWindow:
    return shown_window(qtbot, db, runner, view_state)


def settle(qtbot, model: PeopleModel) -> None:
    """Wait until every key is here and the blocks the view asked for have arrived."""
    qtbot.waitUntil(lambda: model.complete and not model.busy, timeout=5000)


def type_thai_keys(widget, text: str) -> None:
    """Thai as a Thai keyboard layout sends it: one input-method commit a key."""
    for char in text:
        type_thai(widget, char)


def shown(model: PeopleModel, key: str = "name") -> list[str]:
    column = COLUMN_KEYS.index(key)
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def shown_items(qtbot, plist: PeopleList) -> list[people.PersonListItem]:
    """Every line of the list, as the view would get them by scrolling through it."""
    model = plist.model
    items = []
    for row in range(model.rowCount()):
        qtbot.waitUntil(lambda r=row: model.item(r) is not None, timeout=5000)
        items.append(model.item(row))
    return items


# --- the model ------------------------------------------------------------------------------


def test_the_model_passes_the_model_tester(qtmodeltester, qtbot, db, runner) -> None:
    model = PeopleModel(db, runner, block=40)
    model.search("")
    settle(qtbot, model)
    assert model.rowCount() == PEOPLE
    qtmodeltester.check(model)
    model.search("สม")
    settle(qtbot, model)
    assert 0 < model.rowCount() < PEOPLE
    qtmodeltester.check(model)


def test_the_list_never_loads_every_row(window, qtbot) -> None:
    model = window.people.model
    settle(qtbot, model)
    assert model.rowCount() == PEOPLE
    assert window.people.count.text() == f"{PEOPLE} people"
    # The first block came with the search; the view shows about twenty rows of it.
    assert model.blocks_fetched == 1
    assert model.loaded_rows == BLOCK < PEOPLE
    assert model.data(model.index(PEOPLE - 1, 0)) == PLACEHOLDER  # not read until seen

    window.people.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.data(model.index(PEOPLE - 1, 0)) != PLACEHOLDER)
    settle(qtbot, model)
    assert model.blocks_fetched == 2  # only the block at the bottom
    assert model.loaded_rows == 2 * BLOCK < PEOPLE


def test_old_blocks_are_dropped_from_memory(qtbot, db, runner) -> None:
    model = PeopleModel(db, runner, block=10, cached_blocks=3)
    model.search("")
    settle(qtbot, model)
    for row in range(0, PEOPLE, 10):
        model.item(row)
        settle(qtbot, model)
    assert model.blocks_fetched == PEOPLE // 10
    assert model.loaded_rows == 30  # the three blocks read last


def test_everyone_is_listed_in_thai_dictionary_order(window, qtbot) -> None:
    items = shown_items(qtbot, window.people)
    assert len(items) == PEOPLE
    keys = [thai.sort_key(f"{i.first_name_th} {i.last_name_th}") for i in items]
    assert keys == sorted(keys)
    names = [f"{i.first_name_th} {i.last_name_th}" for i in items]
    assert names != sorted(names), "code-point order differs here, so the check has teeth"


# --- search as you type ---------------------------------------------------------------------


def test_a_three_character_thai_fragment_typed_finds_the_person(window, qtbot) -> None:
    plist = window.people
    settle(qtbot, plist.model)
    target = plist.model.item(37)
    fragment = target.last_name_th[1:4]
    assert len(fragment) == 3 and thai.has_thai_letter(fragment)

    type_thai_keys(plist.search, fragment)

    assert plist.search.text() == fragment
    settle(qtbot, plist.model)
    found = shown_items(qtbot, plist)
    assert target.id in [i.id for i in found]
    assert 0 < len(found) < PEOPLE
    assert all(fragment in f"{i.first_name_th} {i.last_name_th} {i.position_title}" for i in found)
    assert plist.count.text() == f"{len(found)} people"


@pytest.mark.parametrize("dashes", [True, False])
def test_a_citizen_id_fragment_finds_the_person(window, qtbot, dashes) -> None:
    plist = window.people
    settle(qtbot, plist.model)
    target = plist.model.item(12)
    digits = target.citizen_id[3:10]
    typed = f"{digits[:2]}-{digits[2:]}" if dashes else digits  # as printed: X-XXXX-XXXXX-…

    qtbot.keyClicks(plist.search, typed)

    settle(qtbot, plist.model)
    found = shown_items(qtbot, plist)
    assert [i.id for i in found] == [target.id]
    assert shown(plist.model, "citizen_id")[0].replace("-", "").startswith(target.citizen_id[:3])


def test_a_position_number_finds_the_person(window, qtbot) -> None:
    plist = window.people
    settle(qtbot, plist.model)
    target = plist.model.item(3)
    qtbot.keyClicks(plist.search, target.position_number)
    settle(qtbot, plist.model)
    assert [i.id for i in shown_items(qtbot, plist)] == [target.id]


def test_a_search_typed_fast_on_real_threads_ends_on_what_was_typed(qtbot, db, view_state):
    runner = TaskRunner()
    try:
        plist = PeopleList(db, runner, view_state)
        qtbot.addWidget(plist)
        plist.show()
        qtbot.keyClicks(plist.search, "3-")  # each key asks while the last is still read
        type_thai_keys(plist.search, "สมช")
        qtbot.keyClick(plist.search, Qt.Key.Key_Backspace)
        settle(qtbot, plist.model)
        expected = people.person_ids(db, "3-สม")
        assert plist.search.text() == "3-สม"
        assert [i.id for i in shown_items(qtbot, plist)] == expected
    finally:
        runner.shutdown()


def test_a_failed_read_says_so(window, qtbot, monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise OSError("disk I/O error")

    monkeypatch.setattr(people, "list_start", broken)
    window.people.search.setText("สม")
    count = window.people.count
    assert count.text() == "Could not read the register"
    assert "disk I/O error" in count.toolTip()


# --- filters --------------------------------------------------------------------------------


def choose(plist: PeopleList, name: str, code: str) -> None:
    combo = plist.filters[name]
    at = combo.findData(code)
    assert at > 0, (name, code)
    combo.setCurrentIndex(at)


def test_filters_narrow_the_list_and_clear_back_to_everyone(window, qtbot) -> None:
    plist = window.people
    settle(qtbot, plist.model)
    assert not plist.clear_filters.isEnabled()

    choose(plist, "category", "local_official")
    settle(qtbot, plist.model)
    officials = shown_items(qtbot, plist)
    assert 0 < len(officials) < PEOPLE
    assert {i.category for i in officials} == {"local_official"}

    choose(plist, "position_type", "academic")
    levels = [plist.filters["level"].itemData(i) for i in range(plist.filters["level"].count())]
    assert levels[0] is None and all(code.startswith("academic_") for code in levels[1:])
    choose(plist, "level", "academic_professional")
    settle(qtbot, plist.model)
    narrowed = shown_items(qtbot, plist)
    assert 0 < len(narrowed) < len(officials)
    assert {(i.position_type, i.level) for i in narrowed} == {("academic", "academic_professional")}

    choose(plist, "position_type", "general")  # the chosen level is not one of its levels
    assert plist.filters["level"].currentData() is None
    settle(qtbot, plist.model)
    assert {i.position_type for i in shown_items(qtbot, plist)} == {"general"}

    plist.clear_filters.click()
    settle(qtbot, plist.model)
    assert plist.model.rowCount() == PEOPLE
    assert plist.current_filter() is None


def test_unit_and_submission_filters(window, qtbot) -> None:
    plist = window.people
    settle(qtbot, plist.model)
    units = plist.filters["unit_id"]
    assert units.count() == 1 + 5  # "all units" and the demo office's five
    choose(plist, "unit_id", units.itemData(1))
    settle(qtbot, plist.model)
    in_unit = shown_items(qtbot, plist)
    assert 0 < len(in_unit) < PEOPLE
    assert {i.unit_name for i in in_unit} == {units.itemText(1)}

    plist.reset_filters()
    choose(plist, "submission_state", "draft")
    settle(qtbot, plist.model)
    drafts = shown_items(qtbot, plist)
    assert drafts and {i.submission_state for i in drafts} == {"draft"}
    assert set(shown(plist.model, "submission_state")) == {"Draft"}


# --- the order, by a click on a column's title ------------------------------------------------

_ASC, _DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


def click_header(qtbot, plist: PeopleList, key: str) -> None:
    """A click on the title of the column ``key``, where the user sees it."""
    header = plist.table.horizontalHeader()
    section = COLUMN_KEYS.index(key)
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    assert 0 < x < header.viewport().width(), "the title is on the screen"
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


def indicator(plist: PeopleList) -> tuple[str, Qt.SortOrder]:
    header = plist.table.horizontalHeader()
    assert header.isSortIndicatorShown()
    return COLUMN_KEYS[header.sortIndicatorSection()], header.sortIndicatorOrder()


def name_key(item: people.PersonListItem) -> str:
    return thai.sort_key(f"{item.first_name_th} {item.last_name_th}")


def in_order(items: list[people.PersonListItem], key, *, descending: bool = False) -> bool:
    """Ordered by ``key`` (reversed if ``descending``), ties by the name's Thai order."""
    values = [(key(i), name_key(i)) for i in items]
    by_name = sorted(values, key=lambda v: v[1])
    return values == sorted(by_name, key=lambda v: v[0], reverse=descending)  # a stable sort


def title_key(item: people.PersonListItem) -> str:
    return thai.sort_key(item.position_title)


def test_a_click_on_a_title_orders_by_it_and_a_second_click_reverses(window, qtbot) -> None:
    plist = window.people
    settle(qtbot, plist.model)
    assert indicator(plist) == ("name", _ASC)  # the default order, shown

    click_header(qtbot, plist, "position_title")
    settle(qtbot, plist.model)
    assert indicator(plist) == ("position_title", _ASC)
    items = shown_items(qtbot, plist)
    assert len(items) == PEOPLE
    titles = [i.position_title for i in items]
    # Thai order: เจ้าพนักงาน… among the จ, not after every consonant as in code points
    assert any(t[0] in "เแโใไ" for t in titles) and titles[-1][0] not in "เแโใไ"
    assert titles != sorted(titles), "code-point order differs here: the check has teeth"
    assert in_order(items, title_key)
    assert plist.table.currentIndex().row() == 0  # a new order starts at its top

    click_header(qtbot, plist, "position_title")
    settle(qtbot, plist.model)
    assert indicator(plist) == ("position_title", _DESC)
    reversed_items = shown_items(qtbot, plist)
    assert in_order(reversed_items, title_key, descending=True)
    assert {i.id for i in reversed_items} == {i.id for i in items}

    click_header(qtbot, plist, "name")  # the way back to the default order
    settle(qtbot, plist.model)
    assert indicator(plist) == ("name", _ASC)
    assert in_order(shown_items(qtbot, plist), lambda _i: 0)


def test_citizen_ids_by_digits_and_names_reversed(window, qtbot) -> None:
    plist = window.people
    click_header(qtbot, plist, "citizen_id")
    settle(qtbot, plist.model)
    ids = [int(i.citizen_id) for i in shown_items(qtbot, plist)]
    assert ids == sorted(ids)
    assert shown(plist.model, "citizen_id")[0].count("-") == 4  # shown as printed

    click_header(qtbot, plist, "name")
    click_header(qtbot, plist, "name")
    settle(qtbot, plist.model)
    assert indicator(plist) == ("name", _DESC)
    keys = [name_key(i) for i in shown_items(qtbot, plist)]
    assert keys == sorted(keys, reverse=True)


def test_a_search_typed_in_thai_keeps_the_order_chosen(window, qtbot) -> None:
    plist = window.people
    click_header(qtbot, plist, "unit")
    click_header(qtbot, plist, "unit")
    settle(qtbot, plist.model)
    type_thai_keys(plist.search, "นัก")
    qtbot.waitUntil(lambda: plist.model.shown_query == ("นัก", None), timeout=5000)
    settle(qtbot, plist.model)
    items = shown_items(qtbot, plist)
    assert 1 < len(items) < PEOPLE
    assert all("นัก" in (i.position_title or "") + i.first_name_th + i.last_name_th
               for i in items)  # fmt: skip
    units = {i.unit_name for i in items}
    assert len(units) > 1, "several units found: the order is seen"
    assert in_order(items, lambda i: thai.sort_key(i.unit_name), descending=True)
    assert indicator(plist) == ("unit", _DESC)

    level = plist.filters["category"]
    level.setCurrentIndex(level.findData("local_official"))
    settle(qtbot, plist.model)
    filtered = shown_items(qtbot, plist)
    assert 0 < len(filtered) < len(items)
    assert in_order(filtered, lambda i: thai.sort_key(i.unit_name), descending=True)


def test_the_order_chosen_survives_reopening_the_list(qtbot, db, runner, view_state) -> None:
    first = shown_window(qtbot, db, runner, view_state)
    click_header(qtbot, first.people, "position_title")
    click_header(qtbot, first.people, "position_title")
    settle(qtbot, first.people.model)
    first.close()

    second = MainWindow(db, runner, view_state=view_state)
    qtbot.addWidget(second)
    plist = second.people
    assert indicator(plist) == ("position_title", _DESC)
    settle(qtbot, plist.model)
    assert plist.model.blocks_fetched == 1  # read once, in that order: no read by name first
    assert in_order(shown_items(qtbot, plist), title_key, descending=True)


def test_hiding_the_column_ordered_by_goes_back_to_the_name(window, qtbot) -> None:
    plist = window.people
    click_header(qtbot, plist, "unit")
    settle(qtbot, plist.model)
    plist.set_column_shown("unit", False)
    settle(qtbot, plist.model)
    assert indicator(plist) == ("name", _ASC)
    assert in_order(shown_items(qtbot, plist), lambda _i: 0)


def test_the_sorted_model_passes_the_model_tester(qtmodeltester, qtbot, db, runner) -> None:
    model = PeopleModel(db, runner, block=40)
    model.search("")
    model.sort(COLUMN_KEYS.index("birth_date"), _DESC)
    settle(qtbot, model)
    assert model.rowCount() == PEOPLE
    dates = [model.item(r).birth_date for r in range(40)]  # the first block
    assert dates == sorted(dates, reverse=True)
    qtmodeltester.check(model)


# --- columns ----------------------------------------------------------------------------------


def test_chosen_columns_survive_a_new_window(qtbot, db, runner, view_state) -> None:
    first = MainWindow(db, runner, view_state=view_state)
    qtbot.addWidget(first)
    plist = first.people
    assert plist.visible_columns() == [
        "name", "citizen_id", "position_title", "level", "unit", "submission_state"
    ]  # fmt: skip
    menu = plist.columns_menu()
    actions = {a.text(): a for a in menu.actions()}
    assert not actions["Name"].isEnabled()  # a list without names means nothing
    actions["Unit"].setChecked(False)
    actions["Date of birth"].setChecked(True)
    header = plist.table.horizontalHeader()
    header.moveSection(header.visualIndex(COLUMN_KEYS.index("level")), 1)
    header.resizeSection(COLUMN_KEYS.index("citizen_id"), 177)
    chosen = plist.visible_columns()
    assert chosen == [
        "name", "level", "citizen_id", "position_title", "submission_state", "birth_date"
    ]  # fmt: skip
    first.close()

    second = MainWindow(db, runner, view_state=view_state)
    qtbot.addWidget(second)
    assert second.people.visible_columns() == chosen
    header = second.people.table.horizontalHeader()
    assert header.sectionSize(COLUMN_KEYS.index("citizen_id")) == 177
    births = shown(second.people.model, "birth_date")
    assert births[0] and births[0].split()[-1].isdigit()  # "12 ม.ค. 2520": a BE date


def test_the_header_offers_the_columns_menu(window, qtbot) -> None:
    header = window.people.table.horizontalHeader()
    assert header.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    header.customContextMenuRequested.emit(header.rect().center())
    menu = QApplication.activePopupWidget()
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=1000)
    menu = QApplication.activePopupWidget()
    assert len(menu.actions()) == len(COLUMN_KEYS)
    menu.close()


# --- keys -------------------------------------------------------------------------------------


def test_ctrl_f_then_arrows_and_enter_open_a_person(window, qtbot) -> None:
    plist = window.people
    settle(qtbot, plist.model)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=1000)
    plist.table.setFocus()
    qtbot.keyClick(plist.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is plist.search

    assert plist.table.currentIndex().row() == 0  # a search selects its first line
    qtbot.keyClick(plist.search, Qt.Key.Key_Down)
    qtbot.keyClick(plist.search, Qt.Key.Key_Down)
    assert plist.table.currentIndex().row() == 2
    assert QApplication.focusWidget() is plist.search  # the box keeps the keys
    with qtbot.waitSignal(window.open_person, timeout=1000) as opened:
        qtbot.keyClick(plist.search, Qt.Key.Key_Return)
    assert opened.args == [plist.model.item(2).id]

    plist.table.setFocus()
    qtbot.keyClick(plist.table, Qt.Key.Key_Down)
    with qtbot.waitSignal(window.open_person, timeout=1000) as opened:
        qtbot.keyClick(plist.table, Qt.Key.Key_Enter)
    assert opened.args == [plist.model.item(3).id]


def test_a_double_click_opens_and_ctrl_n_asks_for_a_new_person(window, qtbot) -> None:
    plist = window.people
    settle(qtbot, plist.model)
    table = plist.table
    rect = table.visualRect(plist.model.index(4, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(window.open_person, timeout=1000) as opened:  # a press, then this
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [plist.model.item(4).id]

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=1000)
    with qtbot.waitSignal(window.new_person, timeout=1000):
        qtbot.keyClick(plist.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)


def test_enter_on_a_line_not_read_yet_opens_it_when_it_arrives(window, qtbot) -> None:
    plist = window.people
    settle(qtbot, plist.model)
    last = PEOPLE - 1
    plist._select(last)
    assert plist.model.person_id(last) is None  # its block is only now asked for
    with qtbot.waitSignal(window.open_person, timeout=2000) as opened:
        plist.open_current()
    assert opened.args == [plist.model.item(last).id]


def test_a_refresh_keeps_the_person_selected(window, qtbot) -> None:
    plist = window.people
    settle(qtbot, plist.model)
    qtbot.waitUntil(lambda: plist.model.item(250) is not None, timeout=2000)
    plist._select(250)
    chosen = plist.current_person_id()
    assert chosen is not None
    window.refresh_people()
    assert plist.model.data(plist.model.index(250, 0)) != PLACEHOLDER  # no flash meanwhile
    settle(qtbot, plist.model)
    assert plist.table.currentIndex().row() == 250
    assert plist.current_person_id() == chosen
    assert plist.model.rowCount() == PEOPLE


def test_no_row_of_an_empty_search(window, qtbot) -> None:
    plist = window.people
    qtbot.keyClicks(plist.search, "zzzq")
    settle(qtbot, plist.model)
    assert plist.model.rowCount() == 0
    assert plist.count.text() == "0 people"
    assert plist.current_person_id() is None
    assert plist.model.data(QModelIndex()) is None


def test_the_list_speaks_thai_and_follows_a_change_of_language(
    qtbot, db, runner, view_state, language
) -> None:
    window = MainWindow(db, runner, view_state=view_state)
    qtbot.addWidget(window)
    plist = window.people
    settle(qtbot, plist.model)
    assert plist.count.text() == f"{PEOPLE} people"

    language("th")  # installing the translations tells every widget the language changed
    qtbot.waitUntil(lambda: plist.count.text() == f"{PEOPLE} คน", timeout=2000)

    model = plist.model
    assert model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == ("ชื่อ-สกุล")
    hint = model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert hint.startswith("คลิกเพื่อเรียง")  # how to order the list, on every title
    assert plist.filters["category"].itemText(0) == "ทุกประเภทบุคลากร"
    assert plist.search.placeholderText().startswith("ค้นหา")
    assert window.menus["file"].title() == "แฟ้ม (&F)"
    name = shown(model)[0]
    assert name.startswith(("นาย", "นาง")) and " " in name  # "นายสมชาย ใจดี": no gap after
    rows = plist.table.verticalHeader()
    assert rows.defaultSectionSize() >= plist.fontMetrics().height() + 10  # the Thai font's
    window.resize(1100, 600)
    window.show()
    qtbot.waitExposed(window)
    window.grab().save(str(SHOTS / "people_list_th.png"))  # looked at: no clipped Thai


def test_an_acting_rank_is_shown_before_the_name(qtbot, db, runner, view_state, language) -> None:
    """Issue 15: "ว่าที่" was stored but shown nowhere."""
    from sqlalchemy import select

    from app.store.models import PersonModel

    language("th")
    with db.transaction() as session:
        person = session.scalars(select(PersonModel).order_by(PersonModel.local_id)).first()
        person.prefix, person.acting_rank = "army_second_lieutenant", True
        wanted = f"ว่าที่ร้อยตรี{person.first_name_th} {person.last_name_th}"
    window = shown_window(qtbot, db, runner, view_state)
    settle(qtbot, window.people.model)
    qtbot.waitUntil(lambda: wanted in shown(window.people.model), timeout=5000)
