"""The org admin's Office area (issue 14), driven as the admin drives it: a unit tree built,
renamed and moved (never under itself), slots added, frozen, cut and reopened, a unit with
slots that will not close (and says why, in Thai), the staffing overview's counts following
along, a plan line added; the area for org admins only; and the guided first set-up of an
office with no units, skipped and taken up again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QWizard
from sqlalchemy import insert

from app.domain.entities import Role
from app.services import outbox, structure, users
from app.store.db import Database, open_database
from app.store.models import OrganizationModel
from sync.client.credentials import MemoryKeyring
from sync.client.engine import SyncReport
from tests.ui.editor_fixtures import shown, type_keys, type_thai
from ui.background_sync import BackgroundSync
from ui.main_window import MainWindow
from ui.office.accounts import AccountsPage
from ui.office.area import OfficeScreens
from ui.office.overview import OverviewPage
from ui.office.setup import SKIP
from ui.office.slots import SlotsPage
from ui.office.slots_model import STATE
from ui.office.structure import StructurePage
from ui.session import Session
from ui.settings import SettingsFile
from ui.startup import Startup


def session_of(db: Database, user_id: str) -> Session:
    return Session.of(next(u for u in users.list_users(db) if u.id == user_id))


def press(qtbot, widget, key: Qt.Key) -> None:
    """``key`` pressed in ``widget``, its window the active one again (a dialog was on top)."""
    window = widget.window()
    with qtbot.waitActive(window):
        window.activateWindow()
    widget.setFocus()
    QTest.keyClick(widget, key)


def new_unit(qtbot, page: StructurePage, name: str, *, top: bool) -> None:
    """A unit added as the admin adds one: a top unit by its button, one under the selected
    unit by Insert in the tree."""
    if top:
        page.add_top.click()
    else:
        press(qtbot, page.tree, Qt.Key.Key_Insert)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    type_thai(dialog.name, name)
    dialog.ok.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def new_slot(qtbot, page: SlotsPage, number: str, title: str, unit: str) -> None:
    page.add.click()
    dialog = page.dialog
    assert dialog is not None
    type_keys(dialog.number, number)
    type_thai(dialog.title, title)
    type_keys(dialog.job_line, "2101")
    dialog.type.setCurrentIndex(dialog.type.findData("academic"))
    dialog.unit.setCurrentIndex(dialog.unit.findText(unit, Qt.MatchFlag.MatchContains))
    dialog.ok.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def row_of(page: StructurePage, name: str) -> tuple[str, ...]:
    """The tree's row of the unit ``name``: name, kind, people, open slots."""
    for index in page._indexes():
        if index.data() == name:
            model = page.model
            return tuple(
                model.index(index.row(), c, index.parent()).data() for c in range(4)
            )  # fmt: skip
    raise AssertionError(f"{name} is not in the tree: {page.shown_names()}")


def test_the_admin_builds_units_and_a_unit_with_slots_will_not_close(
    qtbot, demo, runner, language
) -> None:
    language("th")
    page = shown(qtbot, StructurePage(demo.db, runner, demo.admin))
    before = len(page.units())
    new_unit(qtbot, page, "กองยุทธศาสตร์และงบประมาณ", top=True)
    assert page.node(page.current_id()).name == "กองยุทธศาสตร์และงบประมาณ"
    new_unit(qtbot, page, "ฝ่ายแผนงาน", top=False)  # under the one just added
    child = page.node(page.current_id())
    parent = page.node(child.parent_id)
    assert (parent.name, child.unit_kind) == ("กองยุทธศาสตร์และงบประมาณ", "section")  # from its name
    assert len(page.units()) == before + 2
    assert "บันทึกแล้ว" in page.message.text()

    # rename: F2
    press(qtbot, page.tree, Qt.Key.Key_F2)
    dialog = page.dialog
    dialog.name.clear()
    type_thai(dialog.name, "ฝ่ายแผนงานและงบประมาณ")
    dialog.ok.click()
    assert page.node(child.id).name == "ฝ่ายแผนงานและงบประมาณ"

    # moving the parent under its own child is refused in words, and nothing moves
    page.select(parent.id)
    page.move.click()
    dialog = page.dialog
    dialog.parent_unit.setCurrentIndex(dialog.parent_unit.findData(child.id))
    dialog.ok.click()
    assert dialog.isVisible() and dialog.error.isVisible()
    assert "ภายใต้ตัวเอง" in dialog.error.text()
    dialog.reject()
    assert page.node(parent.id).parent_id is None

    # a slot in the child: closing it is refused with the counts, and it stays open
    slots = shown(qtbot, SlotsPage(demo.db, runner, demo.admin))
    new_slot(qtbot, slots, "34-9-01-2101-001", "นักวิเคราะห์นโยบายและแผน", "ฝ่ายแผนงาน")
    page.refresh()
    assert row_of(page, "ฝ่ายแผนงานและงบประมาณ")[2:] == ("0", "1")
    waiting = outbox.counts(demo.db).pending
    page.select(child.id)
    page.close_unit.click()
    assert page.confirmation is None or not page.confirmation.isVisible()
    text = page.message.text()
    assert "ปิด “ฝ่ายแผนงานและงบประมาณ” ไม่ได้" in text
    assert "บุคลากร 0 คน" in text and "เปิดอยู่ 1 ตำแหน่ง" in text
    assert not page.node(child.id).closed
    assert outbox.counts(demo.db).pending == waiting  # nothing was written

    # an empty unit closes after the confirmation, and leaves the tree
    new_unit(qtbot, page, "งานธุรการ", top=False)
    empty = page.current_id()
    page.close_unit.click()
    box = page.confirmation
    assert box is not None and box.isVisible()
    box.button(QMessageBox.StandardButton.Yes).click()
    assert page.node(empty).closed
    assert "งานธุรการ" not in page.shown_names()
    page.show_closed.setChecked(True)
    assert "งานธุรการ (ปิดแล้ว)" in page.shown_names()


def test_slots_are_added_frozen_cut_and_reopened_and_the_overview_follows(
    qtbot, demo, runner, language, qtmodeltester
) -> None:
    language("th")
    slots = shown(qtbot, SlotsPage(demo.db, runner, demo.admin))
    overview = shown(qtbot, OverviewPage(demo.db, runner, demo.admin))
    qtmodeltester.check(slots.model)
    qtmodeltester.check(overview.by_unit)
    total = slots.model.rowCount()
    assert total > 0

    def counts(unit: str) -> tuple[str, ...]:
        model = overview.by_unit
        row = next(r for r in range(model.rowCount()) if model.row_texts(r)[0] == unit)
        return model.row_texts(row)[1:5]  # framework, filled, vacant, frozen

    framework, filled, vacant, frozen = map(int, counts("กองคลัง"))
    new_slot(qtbot, slots, "34-2-01-2101-900", "นักวิชาการเงินและบัญชี", "กองคลัง")
    assert slots.model.rowCount() == total + 1
    current = slots.current()
    assert (current.position_number, current.state) == ("34-2-01-2101-900", "vacant")
    assert slots.model.data(slots.model.index(slots.table.currentIndex().row(), STATE)) == "ว่าง"
    overview.refresh()
    assert counts("กองคลัง") == tuple(map(str, (framework + 1, filled, vacant + 1, frozen)))

    slots.freeze.click()
    assert slots.current().state == "frozen" and "ตรึงไว้" in slots.message.text()
    assert slots.reopen.isEnabled() and not slots.freeze.isEnabled()
    overview.refresh()
    assert counts("กองคลัง") == tuple(map(str, (framework + 1, filled, vacant, frozen + 1)))
    assert "34-2-01-2101-900" not in [
        overview.vacancies.row_texts(r)[0] for r in range(overview.vacancies.rowCount())
    ]

    slots.cut.click()
    overview.refresh()
    assert counts("กองคลัง") == tuple(map(str, (framework, filled, vacant, frozen)))
    slots.reopen.click()
    assert slots.current().state == "vacant"

    # a taken number is refused in the dialog, which stays open
    slots.add.click()
    dialog = slots.dialog
    type_keys(dialog.number, "34-2-01-2101-900")
    type_thai(dialog.title, "นักวิชาการเงินและบัญชี")
    dialog.ok.click()
    assert dialog.isVisible() and "34-2-01-2101-900" in dialog.error.text()
    dialog.reject()

    # filters: by state, by text; a filled slot shows its holder
    slots.state.setCurrentIndex(slots.state.findData("filled"))
    assert slots.model.rowCount() > 0
    assert all(s.state == "filled" and s.holder_name for s in slots.model.slots)
    assert not slots.freeze.isEnabled() and not slots.cut.isEnabled()
    slots.state.setCurrentIndex(0)
    type_keys(slots.text, "2101-900")
    slots.read()  # the pause after typing, without waiting for it
    assert [s.position_number for s in slots.model.slots] == ["34-2-01-2101-900"]
    qtmodeltester.check(slots.model)


def test_a_plan_line_is_added_edited_and_deleted(qtbot, demo, runner, language) -> None:
    language("th")
    page = shown(qtbot, OverviewPage(demo.db, runner, demo.admin))
    page.add_line.click()
    dialog = page.dialog
    dialog.year.setValue(2569)
    type_thai(dialog.title, "นักทรัพยากรบุคคล")
    dialog.type.setCurrentIndex(dialog.type.findData("academic"))
    dialog.unit.setCurrentIndex(dialog.unit.findText("สำนักปลัด", Qt.MatchFlag.MatchContains))
    for box, count in zip(dialog.counts, (2, 3, 3), strict=True):
        box.setValue(count)
    assert [label.text() for label in dialog.year_labels] == ["2569", "2570", "2571"]
    dialog.ok.click()
    assert not dialog.isVisible()
    assert page.plan.rowCount() == 1
    assert page.plan.row_texts(0)[:2] == ("2569", "นักทรัพยากรบุคคล")
    row = next(
        r for r in range(page.by_unit.rowCount()) if page.by_unit.row_texts(r)[0] == "สำนักปลัด"
    )
    assert page.by_unit.row_texts(row)[5:8] == ("2", "3", "3")
    assert page.by_unit.headerData(5, Qt.Orientation.Horizontal) == "แผน 2569"

    page.edit_line.click()
    page.dialog.counts[2].setValue(4)
    page.dialog.ok.click()
    assert page.plan.row_texts(0)[7] == "4"
    page.delete_line.click()
    page.confirmation.button(QMessageBox.StandardButton.Yes).click()
    assert page.plan.rowCount() == 0


def test_the_office_tab_tells_the_sync_and_reads_again_after_a_change(
    qtbot, demo, runner, tmp_path, language
) -> None:
    language("th")
    sync = BackgroundSync(runner, demo.db)  # no central yet: it still counts what waits
    sync.start()
    window = MainWindow(demo.db, runner, sync=sync)
    qtbot.addWidget(window)
    office = OfficeScreens(
        window, demo.db, runner, session_of(demo.db, demo.admin),
        settings=SettingsFile(tmp_path), sync=sync,
    )  # fmt: skip
    assert office.wizard is None  # the demo office has units: no set-up at login
    window.show()
    office.show()
    assert window.screens.currentWidget() is office.area
    area = office.area
    tabs = [area.pages.tabText(i) for i in range(area.pages.count())]
    assert tabs == ["โครงสร้าง", "กรอบอัตรากำลัง", "ภาพรวมอัตรากำลัง", "บัญชีผู้ใช้",
                    "เครื่องคอมพิวเตอร์"]  # fmt: skip
    assert area.pages.widget(3) is office.accounts and area.pages.widget(4) is office.devices
    waiting = sync.status.pending
    units = office.progress.units
    new_unit(qtbot, area.structure, "กองสวัสดิการสังคม", top=True)
    assert sync.status.pending > waiting  # the status bar shows the op (and audit) waiting
    assert office.progress.units == units + 1
    area.pages.setCurrentWidget(area.slots)
    names = [area.slots.unit.itemText(i).strip() for i in range(area.slots.unit.count())]
    assert "กองสวัสดิการสังคม" in names  # read again when shown

    # a unit made on another PC arrives with a sync: the tree shows it when next shown
    structure.save_unit(demo.db, demo.admin, unit_id=None, name="กองการประปา",
                        unit_kind="division", parent_id=None)  # fmt: skip
    office.pulled(SyncReport(pulled_tables=frozenset({"person"})))
    area.pages.setCurrentWidget(area.structure)
    assert "กองการประปา" not in area.structure.shown_names()
    office.pulled(SyncReport(pulled_tables=frozenset({"org_unit"})))
    assert "กองการประปา" in area.structure.shown_names()
    sync.stop()


@pytest.fixture
def flow(qapp, tmp_path) -> Iterator[Startup]:
    made: list[Startup] = []
    yield_flow = None

    def make(db: Database, folder: Path) -> Startup:
        from ui.background_sync import SyncSettings
        from ui.tasks import TaskRunner

        runner = TaskRunner(synchronous=True)
        flow = Startup(folder, db, runner, keyring_backend=MemoryKeyring(),
                       sync_settings=SyncSettings(interval_s=3600, debounce_s=3600))  # fmt: skip
        made.append(flow)
        return flow

    yield_flow = make
    yield yield_flow  # type: ignore[misc]
    for f in made:
        if f.window is not None:
            f.window.close()
        f.shutdown()
        f.runner.shutdown()


def test_only_the_org_admin_gets_the_office_area(qtbot, demo, flow, tmp_path) -> None:
    auditor = users.create_user(
        demo.db, demo.admin, org_id=demo.org_id, username="auditor",
        display_name="ผู้ตรวจสอบ", role=Role.AUDITOR, password="an auditor's password",
    ).id  # fmt: skip
    start = flow(demo.db, tmp_path)
    for user_id, has in ((demo.clerk, False), (demo.supervisor, False), (auditor, False),
                         (demo.admin, True)):  # fmt: skip
        start._open_main(session_of(demo.db, user_id))
        window = start.window
        tabs = [window.screens.widget(i) for i in range(window.screens.count())]
        assert (start.office is not None) is has
        assert any(t.objectName() == "officeArea" for t in tabs) is has
        assert (window.findChild(type(window.commands["quit"]), "action_office") is not None) is has


@pytest.fixture
def empty_office(tmp_path) -> Iterator[tuple[Database, str, str]]:
    """A fresh office as the operator's one command leaves it: the organization and its org
    admin, no units, no slots."""
    db = open_database(tmp_path / "empty.sqlite3")
    org_id = "018cc251-f400-7000-8000-000000000001"
    with db.transaction() as session:
        session.execute(insert(OrganizationModel), [{
            "id": org_id, "org_id": org_id, "version": 1, "deleted": False,
            "updated_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "dla_code": "6340199",
            "name": "องค์การบริหารส่วนตำบลทดสอบ", "org_type": "sao", "province_code": "34",
            "amphoe_code": "3401",
        }])  # fmt: skip
    admin = users.bootstrap_admin(
        db, org_id=org_id, username="admin", display_name="ผู้ดูแลสำนักงาน", password="pw-admin-1"
    )
    yield db, org_id, admin.id
    db.close()


def test_a_new_office_gets_the_guided_set_up_skippable_and_resumable(
    qtbot, empty_office, flow, tmp_path, language
) -> None:
    language("th")
    db, org_id, admin = empty_office
    start = flow(db, tmp_path / "pc")
    start._open_main(session_of(db, admin))
    wizard = start.office.wizard
    assert wizard is not None and wizard.isVisible()
    assert wizard.step_name() == "units"
    assert "0" in wizard.currentPage().subTitle()
    assert wizard.button(SKIP).text() == "ข้ามไปก่อน"

    new_unit(qtbot, wizard.structure, "สำนักปลัด", top=True)
    assert structure.setup_progress(db, admin).units == 1
    assert "1" in wizard.currentPage().subTitle()
    wizard.next()
    assert wizard.step_name() == "slots"
    wizard.button(SKIP).click()
    assert not wizard.isVisible()
    kept = SettingsFile(tmp_path / "pc").settings.office_setup[org_id]
    assert (kept.step, kept.skipped, kept.done) == ("slots", True, False)

    # the next login: no wizard; the area offers it again, at the step left
    start._open_main(session_of(db, admin))
    assert start.office.wizard is None
    area = start.office.area
    assert area.setup_button.isVisibleTo(area)
    area.setup_button.click()
    wizard = start.office.wizard
    assert wizard.isVisible() and wizard.step_name() == "slots"
    wizard.next()
    assert wizard.step_name() == "accounts"
    assert isinstance(wizard.currentPage().body, AccountsPage)  # the real page, hosted
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert SettingsFile(tmp_path / "pc").settings.office_setup[org_id].done
    assert not area.setup_button.isVisibleTo(area)


def test_two_thousand_slots_are_read_in_a_few_statements_not_one_per_row(
    qtbot, demo, runner, qtmodeltester, language
) -> None:
    """An office of 2,000 slots: the page reads them with the same handful of statements as
    an office of sixty, and shows every one (DESIGN.md §7: no query per row)."""
    from sqlalchemy import event

    from app.store.models import PositionModel

    language("th")
    page = shown(qtbot, SlotsPage(demo.db, runner, demo.admin))
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(demo.db.engine, "before_cursor_execute", count)
    try:
        page.refresh()
        few = len(statements)
        shown_before = page.model.rowCount()
        now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        with demo.db.transaction() as session:
            session.execute(insert(PositionModel), [
                {"id": f"018cc251-f400-7000-9000-{i:012d}", "org_id": demo.org_id,
                 "version": 1, "deleted": False, "updated_at": now,
                 "position_number": f"99-{i:05d}", "title": "นักจัดการงานทั่วไป",
                 "job_line_code": "2101", "position_type": "academic", "state": "vacant"}
                for i in range(2000 - shown_before)
            ])  # fmt: skip
        statements.clear()
        page.refresh()
        for row in range(page.model.rowCount()):  # every row painted
            for column in range(page.model.columnCount()):
                page.model.index(row, column).data()
    finally:
        event.remove(demo.db.engine, "before_cursor_execute", count)
    assert page.model.rowCount() == 2000
    assert len(statements) == few
    assert page.count.text() == "2000 ตำแหน่ง"
    qtmodeltester.check(page.model)


def test_a_pc_that_never_synced_waits_for_its_first_sync_before_the_set_up(
    qtbot, empty_office, runner, tmp_path
) -> None:
    """The office's units may already exist at the central: the set-up is offered only once
    this PC's first sync has ended (here it cannot: the PC is not registered yet)."""
    from sync.client import account
    from sync.client.credentials import CredentialStore
    from sync.client.engine import SyncEngine
    from sync.client.transport import CentralClient

    db, _org_id, admin = empty_office
    client = CentralClient("http://127.0.0.1:9", retries=0, backoff_factor=0)
    store = CredentialStore.for_central(client.base_url, tmp_path, MemoryKeyring())
    sync = BackgroundSync(runner, db, SyncEngine(db, client),
                          lambda: account.credentials(db, store))  # fmt: skip
    window = MainWindow(db, runner, sync=sync)
    qtbot.addWidget(window)
    office = OfficeScreens(window, db, runner, session_of(db, admin),
                           settings=SettingsFile(tmp_path), sync=sync)  # fmt: skip
    assert office.wizard is None  # not before the first sync
    window.show()
    sync.start()  # as the start-up does once the window is up
    qtbot.waitUntil(lambda: office.wizard is not None and office.wizard.isVisible())
    sync.stop()
    client.close()
