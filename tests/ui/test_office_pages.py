"""The org admin's accounts and PCs pages (issue 14) against a real central on loopback:
adding a user shows the one-time password once, reset/disable/end sessions after a
confirmation, PCs with their last sync renamed and revoked, and plainly said when the
central cannot be reached (the buttons off)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMessageBox

from app.domain.entities import Role
from sync.central import admin, auth
from sync.central.models import CentralDevice, CentralUser
from sync.client import account
from sync.testing.faultproxy import FaultProxy
from tests.sync_client import conftest as sync_fixtures
from tests.sync_client.conftest import PASSWORD
from tests.ui import session_helpers as helpers
from tests.ui.editor_fixtures import type_keys, type_thai
from tests.ui.session_helpers import SHOTS
from ui.office.accounts import AccountsPage
from ui.office.devices import DevicesPage
from ui.session import Session
from ui.tasks import TaskRunner

_quick_verifiers = sync_fixtures._quick_verifiers
central = sync_fixtures.central
central_for = sync_fixtures.central_for
pc_for = helpers.pc_for
thai = helpers.thai


@pytest.fixture
def sync_runner(qapp) -> Iterator[TaskRunner]:
    runner = TaskRunner(synchronous=True)
    yield runner
    runner.shutdown()


def _session(central, username: str, role: Role) -> Session:
    return Session(central.users[username], username, f"ผู้ใช้ {username}", role, central.org_a)


def _admin_pc(central, pc_for, url: str | None = None):
    pc = pc_for(url or central.url, register=central)
    account.login(pc.link.client, pc.link.store, "admin.a", PASSWORD)
    return pc


def _page(qtbot, kind, central, pc, runner, username="admin.a", role=Role.ORG_ADMIN):
    page = kind(_session(central, username, role), runner, central=pc.link if pc else None)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    return page


def _select(page, text: str) -> None:
    row = next(r for r in range(page.table.rowCount()) if text in page.table.item(r, 0).text())
    page.table.selectRow(row)


def _yes(page) -> None:
    box = page.confirmation
    assert box is not None and box.isVisible()
    accept = next(
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole
    )
    accept.click()


def _column(page, column: int) -> list[str]:
    return [page.table.item(r, column).text() for r in range(page.table.rowCount())]


def test_an_admin_adds_a_user_and_sees_the_one_time_password_once(
    qtbot, central, pc_for, sync_runner, thai
) -> None:
    pc = _admin_pc(central, pc_for)
    page = _page(qtbot, AccountsPage, central, pc, sync_runner)
    assert _column(page, 0) == ["admin.a", "clerk.a", "super.a"]
    assert not page.notice.isVisible() and page.buttons["add"].isEnabled()
    assert page.commands["add"].shortcut() == QKeySequence("Insert")
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Insert)
    dialog = page.add_dialog
    assert dialog is not None and dialog.isVisible()
    type_keys(dialog.username, "Somying.N")
    type_thai(dialog.name, "สมหญิง นามดี")
    dialog.role.setCurrentIndex(dialog.role.findData("supervisor"))
    dialog.ok.click()
    shown = page.one_time
    assert shown is not None and shown.isVisible() and not dialog.isVisible()
    one_time = shown.password.text()
    assert "ไม่แสดงอีก" in shown.warning.text()  # it will not be shown again
    shown.copy.click()
    assert QGuiApplication.clipboard().text() == one_time
    shown.grab().save(str(SHOTS / "office-one-time.png"))
    with central.db.reading() as s:
        row = s.get(CentralUser, next(u.id for u in page.accounts if u.username == "somying.n"))
        assert row.role == "supervisor" and row.must_change_password
        assert row.display_name == "สมหญิง นามดี"
    assert "somying.n" in _column(page, 0)
    state = page.table.item(_column(page, 0).index("somying.n"), 3).text()
    assert "รหัสผ่านใช้ครั้งเดียว" in state  # the one-time password not changed yet
    answer = auth.login(
        central.db,
        "somying.n",
        one_time,
        device_id=pc.link.store.device().device_id,
        device_credential=pc.link.store.device().secret,
        ttl=dt.timedelta(hours=1),
    )
    assert answer.must_change_password
    page.grab().save(str(SHOTS / "office-accounts.png"))


def test_a_taken_username_is_said_in_the_dialog_and_nothing_is_made(
    qtbot, central, pc_for, sync_runner, thai
) -> None:
    pc = _admin_pc(central, pc_for)
    page = _page(qtbot, AccountsPage, central, pc, sync_runner)
    page.add_user()
    dialog = page.add_dialog
    type_keys(dialog.username, "clerk.a")
    type_thai(dialog.name, "ซ้ำ")
    dialog.ok.click()
    assert dialog.isVisible() and dialog.error.isVisible()
    assert "ชื่อผู้ใช้นี้มีผู้ใช้แล้ว" in dialog.error.text()
    dialog.username.clear()
    type_keys(dialog.username, "no spaces")
    dialog.ok.click()
    assert "ตัวอักษรละติน" in dialog.error.text()
    assert page.one_time is None
    with central.db.reading() as s:
        assert s.query(CentralUser).count() == 4


def test_reset_disable_enable_and_end_sessions_after_a_confirmation(
    qtbot, central, pc_for, sync_runner, thai
) -> None:
    pc = _admin_pc(central, pc_for)
    page = _page(qtbot, AccountsPage, central, pc, sync_runner)
    clerk = central.users["clerk.a"]
    _select(page, "admin.a")  # oneself: no reset, no disable
    assert not page.buttons["reset"].isEnabled() and not page.buttons["active"].isEnabled()
    _select(page, "clerk.a")
    page.commands["reset"].trigger()
    assert "clerk.a" in page.confirmation.text()
    page.confirmation.reject()  # cancelled: nothing happens
    with central.db.reading() as s:
        assert not s.get(CentralUser, clerk).must_change_password
    page.commands["reset"].trigger()
    _yes(page)
    assert page.one_time is not None and page.one_time.password.text()
    with central.db.reading() as s:
        assert s.get(CentralUser, clerk).must_change_password
    page.one_time.accept()

    _select(page, "clerk.a")
    page.commands["active"].trigger()
    _yes(page)
    with central.db.reading() as s:
        assert not s.get(CentralUser, clerk).active
    row = _column(page, 0).index("clerk.a")
    assert page.table.item(row, 3).text() == "ปิดใช้งาน"
    _select(page, "clerk.a")
    assert page.buttons["active"].text().replace("&", "").startswith("เปิดใช้งาน")
    page.commands["active"].trigger()
    _yes(page)
    with central.db.reading() as s:
        assert s.get(CentralUser, clerk).active

    _select(page, "super.a")
    page.commands["end"].trigger()
    _yes(page)
    assert "0" in page.status.text()


@pytest.mark.parametrize("username", ["clerk.a", "super.a"])
def test_a_non_admin_is_told_the_central_refused(
    qtbot, central, pc_for, sync_runner, thai, username
) -> None:
    pc = pc_for(central.url, register=central)
    account.login(pc.link.client, pc.link.store, username, PASSWORD)
    page = _page(qtbot, AccountsPage, central, pc, sync_runner, username, Role.CLERK)
    assert page.error.isVisible() and "ผู้ดูแลระบบ" in page.error.text()
    assert page.table.rowCount() == 0


def test_offline_the_pages_say_they_need_the_central_and_keep_buttons_off(
    qtbot, central, pc_for, sync_runner, thai
) -> None:
    with FaultProxy(central.url) as proxy:
        pc = _admin_pc(central, pc_for, proxy.url)
        proxy.cut()
        pages = [
            _page(qtbot, kind, central, pc, sync_runner) for kind in (AccountsPage, DevicesPage)
        ]
        for page in pages:
            assert page.notice.isVisible()
            assert "ติดต่อศูนย์กลางไม่ได้" in page.notice.text()
            assert page.buttons["refresh"].isEnabled()
            assert not any(b.isEnabled() for n, b in page.buttons.items() if n != "refresh")
            page.grab().save(str(SHOTS / f"office-offline-{page.objectName()}.png"))
        proxy.restore()
        page.buttons["refresh"].click()  # the first may meet the connection the cut reset
        page.buttons["refresh"].click()
        assert not page.notice.isVisible() and page.table.rowCount() == 1
    nowhere = _page(qtbot, AccountsPage, central, None, sync_runner)
    assert nowhere.notice.isVisible() and not nowhere.buttons["add"].isEnabled()


def test_the_pcs_page_shows_last_sync_and_renames_and_revokes(
    qtbot, central, pc_for, sync_runner, thai
) -> None:
    pc = _admin_pc(central, pc_for)
    other = admin.register_device_as_operator(central.db, central.org_a, "เครื่องห้องคลัง")
    creds = account.credentials(pc.db, pc.link.store, pull_as="admin.a")
    pc.link.engine.sync(creds)
    page = _page(qtbot, DevicesPage, central, pc, sync_runner)
    names = _column(page, 0)
    assert any("เครื่องงานบุคคล 1" in n and "เครื่องนี้" in n for n in names)  # this PC
    mine = next(i for i, n in enumerate(names) if "เครื่องงานบุคคล 1" in n)
    assert page.table.item(mine, 3).text() == pc.link.client.status.version
    assert page.table.item(mine, 4).text() == "0" and page.table.item(mine, 2).text()
    assert page.table.item(names.index("เครื่องห้องคลัง"), 2).text() == "ไม่เคย"

    _select(page, "เครื่องห้องคลัง")
    assert page.commands["rename"].shortcut() == QKeySequence("F2")
    page.commands["rename"].trigger()
    page.rename_dialog.name.clear()
    type_thai(page.rename_dialog.name, "เครื่องกองคลัง")
    page.rename_dialog.ok.click()
    with central.db.reading() as s:
        assert s.get(CentralDevice, other.device_id).name == "เครื่องกองคลัง"

    _select(page, "เครื่องกองคลัง")
    page.commands["revoke"].trigger()
    text = page.confirmation.text()
    assert "เครื่องกองคลัง" in text and "ลงทะเบียน" in text  # must be enrolled again
    page.confirmation.grab().save(str(SHOTS / "office-revoke.png"))
    _yes(page)
    with central.db.reading() as s:
        assert s.get(CentralDevice, other.device_id).revoked_at is not None
    row = _column(page, 0).index("เครื่องกองคลัง")
    assert page.table.item(row, 5).text().startswith("เพิกถอน")
    _select(page, "เครื่องกองคลัง")
    assert not page.buttons["revoke"].isEnabled()
    page.grab().save(str(SHOTS / "office-devices.png"))
