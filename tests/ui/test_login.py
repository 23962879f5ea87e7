"""Logging in at a registered PC against a real central on loopback: the first login online,
later ones offline with the network cut, a wrong password refused in Thai, the session
locking after inactivity and unlocking with the password, and switching user."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMainWindow

from app.services import users
from sync.central import admin
from sync.central.models import CentralUser
from sync.testing.faultproxy import FaultProxy
from tests.sync_client import conftest as sync_fixtures
from tests.sync_client.conftest import PASSWORD
from tests.ui import session_helpers as helpers
from tests.ui.session_helpers import SHOTS, WAIT_MS, type_into
from ui.login import Authenticator, LoginDialog
from ui.session import Curtain, InactivityWatch, Session, cover_windows

# Fixtures: a real central on loopback (cheap test verifiers), and the helpers'.
_quick_verifiers = sync_fixtures._quick_verifiers
central = sync_fixtures.central
central_for = sync_fixtures.central_for
pc_for = helpers.pc_for
runner = helpers.runner
thai = helpers.thai

WRONG = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"


def dialog_for(qtbot, runner, pc, **options) -> LoginDialog:
    dialog = LoginDialog(Authenticator(runner, pc.db, pc.link), **options)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def log_in(qtbot, dialog: LoginDialog, username: str, password: str) -> Session | None:
    """Type and press Enter; the session, or None when refused (the reason is shown)."""
    got: list[Session] = []
    dialog.logged_in.connect(got.append)
    if dialog.username.isVisible():
        dialog.username.clear()
        type_into(qtbot, dialog.username, username)
    dialog.password.clear()
    type_into(qtbot, dialog.password, password)
    dialog.ok.click()
    qtbot.waitUntil(lambda: not dialog.waiting, timeout=WAIT_MS)
    return got[0] if got else None


def test_first_login_is_online_later_ones_work_with_the_network_cut(
    qtbot, runner, central, pc_for, thai
) -> None:
    with FaultProxy(central.url) as proxy:
        pc = pc_for(proxy.url, register=central)
        first = dialog_for(qtbot, runner, pc)
        first.grab().save(str(SHOTS / "login.png"))

        session = log_in(qtbot, first, "Clerk.A", PASSWORD)

        assert session is not None and not first.isVisible()
        assert session.user_id == central.users["clerk.a"]
        assert (session.username, session.role.value, session.org_id) == (
            "clerk.a", "clerk", central.org_a,
        )  # fmt: skip
        assert pc.link.store.token("clerk.a") is not None  # for the background sync
        assert users.logged_in_online_here(pc.db, "clerk.a")  # its row came with the sync

        proxy.cut()
        later = dialog_for(qtbot, runner, pc)
        assert log_in(qtbot, later, "clerk.a", PASSWORD) == session

        wrong = dialog_for(qtbot, runner, pc)
        assert log_in(qtbot, wrong, "clerk.a", "รหัสผิด-1234") is None
        assert wrong.isVisible() and wrong.error.isVisible()
        assert WRONG in wrong.error.text()
        wrong.grab().save(str(SHOTS / "login-wrong.png"))

        # super.a's row is here (pulled with the office) but they never logged in online here
        assert users.list_users(pc.db, central.org_a)
        stranger = dialog_for(qtbot, runner, pc)
        assert log_in(qtbot, stranger, "super.a", PASSWORD) is None
        assert "ออนไลน์" in stranger.error.text()


def test_a_wrong_password_at_the_first_login_is_refused_by_the_central(
    qtbot, runner, central, pc_for, thai
) -> None:
    pc = pc_for(central.url, register=central)
    dialog = dialog_for(qtbot, runner, pc)
    assert log_in(qtbot, dialog, "clerk.a", "not-the-password") is None
    assert WRONG in dialog.error.text()
    assert pc.link.store.token("clerk.a") is None
    assert not users.logged_in_online_here(pc.db, "clerk.a")


def test_a_password_reset_at_the_central_works_here_at_once(qtbot, runner, central, pc_for) -> None:
    """The local verifier is old; the central answers and knows the new password."""
    pc = pc_for(central.url, register=central)
    assert log_in(qtbot, dialog_for(qtbot, runner, pc), "clerk.a", PASSWORD) is not None
    with central.db.transaction() as session:  # an admin resets it (no command for it yet)
        row = session.get(CentralUser, central.users["clerk.a"])
        row.password_verifier, row.offline_verifier = admin.new_verifiers("new-password-2569")
        session.flush()
        admin.publish_user(session, row)
    pc.link.store.delete_token("clerk.a")
    again = dialog_for(qtbot, runner, pc)
    assert log_in(qtbot, again, "clerk.a", "new-password-2569") is not None


def test_without_a_password_store_a_user_who_logged_in_before_works_offline(
    qtbot, runner, central, pc_for, thai
) -> None:
    pc = pc_for(central.url, register=central)
    assert log_in(qtbot, dialog_for(qtbot, runner, pc), "clerk.a", PASSWORD) is not None
    pc.link.store._backend = None  # keyring's own choice: the tests' fail backend
    dialog = dialog_for(qtbot, runner, pc)
    assert log_in(qtbot, dialog, "clerk.a", PASSWORD) is not None
    other = dialog_for(qtbot, runner, pc)
    assert log_in(qtbot, other, "super.a", PASSWORD) is None
    assert "รหัสผ่าน" in other.error.text()  # the password store, said plainly


def test_the_session_locks_after_inactivity_and_unlocks_with_the_password(
    qtbot, runner, central, pc_for, thai
) -> None:
    pc = pc_for(central.url, register=central)
    session = log_in(qtbot, dialog_for(qtbot, runner, pc), "clerk.a", PASSWORD)
    assert session is not None
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(500, 300)
    window.show()
    watch = InactivityWatch(0.2)
    locked: list[LoginDialog] = []
    curtains: list[Curtain] = []

    def lock() -> None:
        curtains.extend(cover_windows())
        locked.append(dialog_for(qtbot, runner, pc, locked=session))

    watch.idle.connect(lock)
    watch.start()
    qtbot.waitUntil(lambda: bool(locked), timeout=WAIT_MS)
    watch.stop()

    lock_dialog = locked[0]
    assert curtains and curtains[0].isVisible()
    assert curtains[0].geometry() == window.rect()  # the register is out of sight
    assert not lock_dialog.username.isVisible()  # the same user, only the password
    lock_dialog.grab().save(str(SHOTS / "login-locked.png"))
    lock_dialog.reject()  # Escape does not unlock
    assert lock_dialog.isVisible()
    assert log_in(qtbot, lock_dialog, "", "wrong-password") is None
    assert log_in(qtbot, lock_dialog, "", PASSWORD) == session
    for curtain in curtains:
        curtain.lift()


def test_input_keeps_the_session_unlocked(qtbot) -> None:
    watch = InactivityWatch(0.3)
    idle: list[bool] = []
    watch.idle.connect(lambda: idle.append(True))
    watch.start()
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    for _ in range(4):
        qtbot.wait(120)
        qtbot.mouseMove(window, window.rect().center())
        qtbot.keyClick(window, "a")
    assert not idle
    qtbot.waitUntil(lambda: bool(idle), timeout=WAIT_MS)
    assert not watch.active


def test_switch_user_is_one_step_from_the_lock(qtbot, runner, central, pc_for, thai) -> None:
    pc = pc_for(central.url, register=central)
    clerk = log_in(qtbot, dialog_for(qtbot, runner, pc), "clerk.a", PASSWORD)
    assert clerk is not None
    lock = dialog_for(qtbot, runner, pc, locked=clerk)
    lock.switch.click()
    assert lock.username.isVisible() and lock.username.text() == ""
    lock.reject()  # Escape: back to the lock, never to the locked user's screen
    assert lock.isVisible() and lock.locked == clerk
    lock.switch.click()
    supervisor = log_in(qtbot, lock, "super.a", PASSWORD)
    assert supervisor is not None and supervisor.user_id == central.users["super.a"]
    assert supervisor.decides


@pytest.mark.parametrize("field", ["username", "password"])
def test_an_empty_field_is_asked_for(qtbot, runner, central, pc_for, thai, field) -> None:
    pc = pc_for(central.url, register=central)
    dialog = dialog_for(qtbot, runner, pc)
    assert log_in(qtbot, dialog, "" if field == "username" else "clerk.a", "") is None
    assert dialog.error.isVisible() and dialog.error.text()
