"""Changing one's password (issue 14): a user whose password an admin reset (or whose
account is new) must choose their own at the login before anything else; everyone can
change theirs from their menu. Against a real central on loopback, in Thai, the new
passwords typed in Thai through the input method."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.entities import Role
from app.services import users
from sync.central import accounts, auth
from sync.central.models import CentralUser
from sync.client import account
from sync.client.credentials import MemoryKeyring
from sync.client.office import OfficeClient, session_of
from tests.sync_client import conftest as sync_fixtures
from tests.sync_client.conftest import PASSWORD
from tests.ui import session_helpers as helpers
from tests.ui import test_startup
from tests.ui.session_helpers import SHOTS, WAIT_MS, type_into
from tests.ui.test_login import dialog_for, log_in
from tests.ui.test_startup import first_run_and_login
from tests.ui.test_startup import log_in as startup_log_in
from ui.change_password import ChangePasswordDialog
from ui.session import Session, SessionMenu

_quick_verifiers = sync_fixtures._quick_verifiers
central = sync_fixtures.central
central_for = sync_fixtures.central_for
pc_for = helpers.pc_for
runner = helpers.runner
thai = helpers.thai
flows = test_startup.flows  # the start-up flow, as tests/ui/test_startup.py makes it

NEW = "รหัสใหม่ของฉัน-2569"


def _must_change(central, username: str) -> bool:
    with central.db.reading() as s:
        return s.get(CentralUser, central.users[username]).must_change_password


def _one_time_login(qtbot, runner, central, pc):
    """clerk.a, whose password an admin reset, types the one-time one at the login."""
    assert log_in(qtbot, dialog_for(qtbot, runner, pc), "clerk.a", PASSWORD) is not None
    one_time = accounts.reset_password(central.db, None, central.users["clerk.a"]).one_time_password
    dialog = dialog_for(qtbot, runner, pc)
    got: list[Session] = []
    dialog.logged_in.connect(got.append)
    type_into(qtbot, dialog.username, "clerk.a")
    type_into(qtbot, dialog.password, one_time)
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.change_dialog is not None, timeout=WAIT_MS)
    return dialog, dialog.change_dialog, got


def test_a_reset_user_must_choose_a_password_before_anything_else(
    qtbot, runner, central, pc_for, thai
) -> None:
    pc = pc_for(central.url, register=central)
    login, change, got = _one_time_login(qtbot, runner, central, pc)
    assert change.isVisible() and change.forced and not got
    assert not change.current.isVisible()  # the one-time password was typed already
    assert "ใช้ได้ครั้งเดียว" in change.notice.text()
    change.grab().save(str(SHOTS / "change-password-forced.png"))
    # two different passwords: said, nothing sent
    type_into(qtbot, change.new, NEW)
    type_into(qtbot, change.again, NEW + "x")
    change.ok.click()
    assert change.error.isVisible() and "ไม่ตรงกัน" in change.error.text()
    assert _must_change(central, "clerk.a")
    change.again.clear()
    type_into(qtbot, change.again, NEW)
    change.ok.click()
    qtbot.waitUntil(lambda: bool(got), timeout=WAIT_MS)
    assert got[0].username == "clerk.a" and not login.isVisible()
    assert not _must_change(central, "clerk.a")
    assert users.login_offline(pc.db, "clerk.a", NEW).username == "clerk.a"  # verifier here


def test_without_a_new_password_there_is_no_login(qtbot, runner, central, pc_for, thai) -> None:
    pc = pc_for(central.url, register=central)
    login, change, got = _one_time_login(qtbot, runner, central, pc)
    type_into(qtbot, change.new, "สั้น")
    type_into(qtbot, change.again, "สั้น")
    change.ok.click()
    assert "8" in change.error.text() and change.isVisible()
    change.cancel.click()  # Log out
    qtbot.waitUntil(lambda: not login.waiting, timeout=WAIT_MS)
    assert not got and login.isVisible() and login.error.isVisible()
    assert "ครั้งเดียว" in login.error.text()
    assert _must_change(central, "clerk.a")


def test_anyone_changes_their_password_from_their_menu(
    qtbot, runner, central, pc_for, thai
) -> None:
    session = Session(central.users["super.a"], "super.a", "ผู้ใช้ super.a", Role.SUPERVISOR,
                      central.org_a)  # fmt: skip
    menu = SessionMenu(session)
    asked: list[bool] = []
    menu.password_requested.connect(lambda: asked.append(True))
    assert menu.password in menu.actions() and menu.password.text().startswith("เปลี่ยนรหัสผ่าน")
    menu.password.trigger()
    assert asked
    pc = pc_for(central.url, register=central)
    account.login(pc.link.client, pc.link.store, "super.a", PASSWORD)
    office = OfficeClient(pc.link.client, session_of(pc.link.store, "super.a"))
    dialog = ChangePasswordDialog(runner, office.change_password, username="super.a")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.current.isVisible() and not dialog.forced
    type_into(qtbot, dialog.current, "รหัสผิด-9999")
    type_into(qtbot, dialog.new, NEW)
    type_into(qtbot, dialog.again, NEW)
    dialog.ok.click()
    qtbot.waitUntil(lambda: not dialog.waiting, timeout=WAIT_MS)
    assert dialog.isVisible() and "ไม่ถูกต้อง" in dialog.error.text()
    dialog.grab().save(str(SHOTS / "change-password.png"))
    changed: list[str] = []
    dialog.changed.connect(changed.append)
    dialog.current.clear()
    type_into(qtbot, dialog.current, PASSWORD)
    dialog.ok.click()
    qtbot.waitUntil(lambda: bool(changed), timeout=WAIT_MS)
    assert changed == [NEW] and not dialog.isVisible()
    device = pc.link.store.device()
    with pytest.raises(auth.AuthError):
        auth.login(central.db, "super.a", PASSWORD, device_id=device.device_id,
                   device_credential=device.secret, ttl=dt.timedelta(hours=1))  # fmt: skip


def test_the_users_menu_changes_the_password_and_the_new_one_unlocks(
    qtbot, flows, tmp_path, central, thai
) -> None:
    flow = flows(tmp_path / "desk", keyring_backend=MemoryKeyring())
    clerk = first_run_and_login(qtbot, flow, central)
    assert flow.menu.password.isVisible()
    flow.menu.password.trigger()
    dialog = flow.password_dialog
    assert dialog is not None and dialog.isVisible() and dialog.username == "clerk.a"
    type_into(qtbot, dialog.current, PASSWORD)
    type_into(qtbot, dialog.new, NEW)
    type_into(qtbot, dialog.again, NEW)
    dialog.ok.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    device = flow.link.store.device()
    assert auth.login(central.db, "clerk.a", NEW, device_id=device.device_id,
                      device_credential=device.secret, ttl=dt.timedelta(hours=1))  # fmt: skip
    flow.lock()
    assert startup_log_in(qtbot, flow, "clerk.a", NEW) == clerk
