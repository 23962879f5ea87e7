"""The desktop from start to the main window: the demo with its embedded central (start,
log in, sync; lock, switch user), a real central through first run and then a restart that
logs in offline, and ``localhr demo --screenshot`` end to end."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from app.services import people, submissions
from app.store.db import open_database
from localhr.embedded_central import EmbeddedCentral, read_accounts
from sync.client.credentials import MemoryKeyring
from sync.testing.faultproxy import FaultProxy
from tests.sync_client import conftest as sync_fixtures
from tests.sync_client.conftest import PASSWORD
from tests.ui import session_helpers as helpers
from tests.ui.session_helpers import SHOTS, WAIT_MS, type_into
from ui.background_sync import SyncSettings
from ui.first_run import FirstRunDialog
from ui.login import LoginDialog
from ui.session import Session
from ui.settings import SettingsFile
from ui.startup import Startup
from ui.sync_status import State
from ui.tasks import TaskRunner

# Fixtures: a real central on loopback (cheap test verifiers), and the helpers'.
_quick_verifiers = sync_fixtures._quick_verifiers
central = sync_fixtures.central
central_for = sync_fixtures.central_for
thai = helpers.thai

QUICK = SyncSettings(interval_s=3600, debounce_s=3600, poll_ms=20)
DEMO_PEOPLE = 12


@pytest.fixture
def flows(qapp, tmp_path) -> Iterator[Callable[..., Startup]]:
    """``flows(folder, **options)``: a start-up flow over ``folder`` with its own database
    and task runner; shut down after the test, in the desktop's order."""
    made: list[tuple[Startup, TaskRunner, object]] = []

    def make(folder: Path, **options) -> Startup:
        folder.mkdir(parents=True, exist_ok=True)
        db = open_database(folder / "localhr.sqlite3")
        runner = TaskRunner()
        options.setdefault("sync_settings", QUICK)
        flow = Startup(folder, db, runner, **options)
        made.append((flow, runner, db))
        return flow

    yield make
    for flow, runner, db in made:
        for window in (flow.window, flow.dialog):
            if window is not None:
                window.close()
        flow.shutdown()
        runner.shutdown()
        db.close()  # type: ignore[attr-defined]


def log_in(qtbot, flow: Startup, username: str, password: str) -> Session:
    qtbot.waitUntil(lambda: isinstance(flow.dialog, LoginDialog), timeout=WAIT_MS)
    dialog: LoginDialog = flow.dialog
    if dialog.username.isVisible():
        dialog.username.clear()
        type_into(qtbot, dialog.username, username)
    type_into(qtbot, dialog.password, password)
    dialog.ok.click()
    qtbot.waitUntil(lambda: flow.session is not None and flow.session.username == username
                    and not dialog.isVisible(), timeout=WAIT_MS)  # fmt: skip
    return flow.session


def first_run_and_login(qtbot, flow: Startup, central) -> Session:
    """Start a new PC: admin.a registers it at first run, then clerk.a logs in."""
    flow.start()
    dialog = flow.dialog
    assert isinstance(dialog, FirstRunDialog)
    for field, text in ((dialog.url, central.url), (dialog.org, "6340101"),
                        (dialog.admin, "admin.a"), (dialog.password, PASSWORD)):  # fmt: skip
        type_into(qtbot, field, text)
    dialog.ok.click()
    return log_in(qtbot, flow, "clerk.a", PASSWORD)


def test_demo_starts_its_central_logs_in_and_syncs(qtbot, flows, tmp_path, thai) -> None:
    folder = tmp_path / "demo"
    start = functools.partial(EmbeddedCentral.start, folder, people=DEMO_PEOPLE)
    flow = flows(folder, start_demo=start, demo=True)
    opened: list[object] = []
    flow.window_opened.connect(opened.append)
    flow.start()
    qtbot.waitUntil(lambda: isinstance(flow.dialog, LoginDialog), timeout=WAIT_MS)
    accounts = {a.username: a.password for a in read_accounts(folder)}
    assert set(accounts) == {"admin", "clerk", "supervisor"}
    notice = flow.dialog.notice.text()
    assert flow.dialog.notice.isVisible() and accounts["clerk"] in notice
    flow.dialog.grab().save(str(SHOTS / "login-demo.png"))

    clerk = log_in(qtbot, flow, "clerk", accounts["clerk"])

    assert opened == [flow.window] and flow.window.isVisible()
    assert clerk.role.value == "clerk"
    assert len(people.person_ids(flow.db)) == DEMO_PEOPLE  # pulled from the demo's central
    qtbot.waitUntil(lambda: flow.sync.status.state is State.ONLINE, timeout=WAIT_MS)
    assert SettingsFile(folder).settings.mode == "demo"
    flow.window.grab().save(str(SHOTS / "startup-demo-window.png"))

    # the clerk's screens act as the clerk: the attention panel opens a submission there
    draft = submissions.start_draft(flow.db, clerk.user_id).submission.id
    flow.show_attention()
    assert flow.panel is not None and flow.panel.isVisible()
    flow.panel.open_submission.emit(draft)
    editor = flow.window.screens.currentWidget()
    assert editor is not flow.window.people and editor.submission_id == draft
    flow.panel.close()
    # every role gets a person's history; only supervisors the review queue
    assert flow.window.findChild(QAction, "action_history") is not None
    assert flow.review is None

    # the user's menu locks, and the same password unlocks
    menu = flow.menu
    assert menu is not None and menu.title() == clerk.display_name
    menu.lock.trigger()
    assert flow.locked and isinstance(flow.dialog, LoginDialog) and flow.dialog.locked == clerk
    window = flow.window
    log_in(qtbot, flow, "clerk", accounts["clerk"])
    assert not flow.locked and flow.window is window  # the same window, as it was

    # switching user: one step, a new window for the supervisor
    menu.switch.trigger()
    assert flow.locked and flow.dialog.username.isVisible()
    supervisor = log_in(qtbot, flow, "supervisor", accounts["supervisor"])
    assert supervisor.decides and flow.window is not window and not flow.locked
    qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=WAIT_MS)  # closed, deleted


def test_a_new_pc_goes_through_first_run_and_later_logs_in_offline(
    qtbot, flows, tmp_path, central, thai
) -> None:
    keyring = MemoryKeyring()
    folder = tmp_path / "desk"
    flow = flows(folder, keyring_backend=keyring)
    clerk = first_run_and_login(qtbot, flow, central)
    assert clerk.user_id == central.users["clerk.a"]
    settings = SettingsFile(folder).settings
    assert (settings.mode, settings.central_url, settings.last_username) == (
        "central", central.url, "clerk.a",
    )  # fmt: skip
    flow.window.close()
    flow.shutdown()

    # the next start: straight to the login, the last user offered; works offline
    again = flows(folder, keyring_backend=keyring)
    again.start()
    qtbot.waitUntil(lambda: isinstance(again.dialog, LoginDialog), timeout=WAIT_MS)
    assert again.dialog.username.text() == "clerk.a"
    assert log_in(qtbot, again, "clerk.a", PASSWORD) == clerk


def test_a_moved_central_keeps_the_pc_registered_and_syncing(
    qtbot, flows, tmp_path, central, thai
) -> None:
    """Settings: a new address for the same central moves this PC's credentials to it."""
    keyring = MemoryKeyring()
    folder = tmp_path / "desk"
    flow = flows(folder, keyring_backend=keyring)
    clerk = first_run_and_login(qtbot, flow, central)
    qtbot.waitUntil(lambda: flow.sync.status.state is State.ONLINE, timeout=WAIT_MS)
    with FaultProxy(central.url) as proxy:  # the central's new address
        moved = flow.settings.settings.model_copy(update={"central_url": proxy.url})
        flow.apply_settings(moved)

        assert flow.session == clerk and flow.link.client.base_url == proxy.url
        assert flow.link.store.device() is not None  # the credential came along
        assert SettingsFile(folder).settings.central_url == proxy.url
        qtbot.waitUntil(lambda: flow.sync.status.state is State.ONLINE and
                        proxy.stats.requests > 0, timeout=WAIT_MS)  # fmt: skip
        flow.window.close()
        flow.shutdown()


def test_localhr_demo_screenshot_runs_the_whole_start(qtbot, tmp_path, monkeypatch, capsys) -> None:
    from localhr.cli import main

    monkeypatch.setenv("LOCALHR_DATA_DIR", str(tmp_path / "data"))
    shot = tmp_path / "shot.png"
    locale, app = QLocale(), QApplication.instance()
    # The windows left after exec() must close without quitting the tests' application: a
    # quit then would stop every later event loop of the session.
    app.setQuitOnLastWindowClosed(False)
    try:
        assert main(["demo", "--people", str(DEMO_PEOPLE), "--screenshot", str(shot)]) == 0
    finally:
        for window in QApplication.topLevelWidgets():
            window.close()
        app.setQuitOnLastWindowClosed(True)
        for translator in app.findChildren(QTranslator):
            QCoreApplication.removeTranslator(translator)
            translator.deleteLater()
        QLocale.setDefault(locale)
    out = capsys.readouterr().out
    assert "demo accounts" in out and "clerk" in out and "supervisor" in out
    assert shot.exists() and shot.stat().st_size > 10_000
    assert (tmp_path / "data" / "demo" / "demo-central.sqlite3").exists()


def test_switching_user_three_times_then_syncing_raises_nothing(
    qtbot, flows, tmp_path, thai
) -> None:
    """Issue 15: the status bar's work counts of a closed window stayed connected to the
    sync, and the next sync after a switch of user crashed ("Signal source has been
    deleted")."""
    folder = tmp_path / "demo"
    start = functools.partial(EmbeddedCentral.start, folder, people=DEMO_PEOPLE)
    flow = flows(folder, start_demo=start, demo=True)
    flow.start()
    qtbot.waitUntil(lambda: isinstance(flow.dialog, LoginDialog), timeout=WAIT_MS)
    accounts = {a.username: a.password for a in read_accounts(folder)}
    log_in(qtbot, flow, "clerk", accounts["clerk"])
    for username in ("supervisor", "clerk", "supervisor"):
        window = flow.window
        flow.menu.switch.trigger()
        log_in(qtbot, flow, username, accounts[username])
        qtbot.waitUntil(lambda w=window: not shiboken6.isValid(w), timeout=WAIT_MS)
    synced: list[object] = []
    flow.sync.synced.connect(synced.append)
    flow.sync.sync_now()
    qtbot.waitUntil(lambda: bool(synced), timeout=WAIT_MS)
    flow.window.screens.setCurrentIndex(0)  # the work counts refresh on a move too
    qtbot.wait(200)
    assert flow.work is not None and flow.work.counts is not None
