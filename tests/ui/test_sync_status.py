"""The sync status a user sees: each failure becomes a state and plain words, and the status
bar shows every state in Thai, in the bundled font, without clipping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QMainWindow

from app.services import sync_log
from app.store.db import Database, open_database
from sync.client.account import NotRegistered
from sync.client.credentials import DeviceCredential
from sync.client.engine import Credentials
from sync.client.errors import (
    TIMEOUT,
    AuthFailed,
    BadRequest,
    CertificateError,
    Forbidden,
    KeyringUnavailable,
    Offline,
    ServerError,
    VersionMismatch,
)
from tests.ui.session_helpers import SHOTS
from ui.app import install_translations
from ui.background_sync import BackgroundSync, SyncSettings
from ui.fonts import FAMILY, apply_default_font
from ui.main_window import MainWindow
from ui.sync_status import State, SyncProgress, SyncStatus
from ui.sync_status_bar import SyncStatusBar
from ui.tasks import TaskRunner

CREDENTIALS = Credentials(DeviceCredential("pc-1", "org-1", "s3cret"), {"u1": "token"})


@pytest.fixture
def language(qapp) -> Iterator[Callable[[str], None]]:
    """``language("th")``: the app's translations and font as the desktop has them; the
    session's application gets its own back afterwards."""
    installed: list = []
    font = qapp.font()

    def use(code: str) -> None:
        installed.extend(install_translations(qapp, code))
        apply_default_font(qapp)

    yield use
    for translator in installed:
        QCoreApplication.removeTranslator(translator)
    qapp.setFont(font)


@pytest.fixture
def db(tmp_path) -> Iterator[Database]:
    db = open_database(tmp_path / "pc.sqlite3")
    yield db
    db.close()


@pytest.fixture
def runner(qapp) -> Iterator[TaskRunner]:
    runner = TaskRunner(synchronous=True)
    yield runner
    runner.shutdown()


class FailingEngine:
    """An engine whose sync fails as told: the cases a real central cannot be made to give."""

    def __init__(self, db: Database, error: BaseException) -> None:
        self.db = db
        self.error = error
        self.client = self

    def sync(self, *_args, **_kwargs):
        raise self.error

    def health(self) -> bool:
        return False


def sync_failing(runner, db, error=None, credentials_error=None) -> BackgroundSync:
    def credentials() -> Credentials:
        if credentials_error is not None:
            raise credentials_error
        return CREDENTIALS

    return BackgroundSync(
        runner, db, FailingEngine(db, error or ValueError("boom")), credentials,
        SyncSettings(probe_first_s=60),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("error", "state", "reason"),
    [
        (Offline("offline", "refused"), State.OFFLINE, "offline"),
        (Offline(TIMEOUT, "no answer"), State.OFFLINE, "timeout"),
        (CertificateError("untrusted_certificate", "bad cert"), State.ERROR, "certificate"),
        (VersionMismatch("protocol_mismatch", "v2"), State.ERROR, "version"),
        (AuthFailed("token_expired", "expired"), State.LOGIN_NEEDED, "login"),
        (AuthFailed("device_revoked", "revoked"), State.ERROR, "device"),
        (Forbidden("forbidden", "no"), State.ERROR, "forbidden"),
        (ServerError("internal", "500"), State.ERROR, "server"),
        (BadRequest("bad_request", "400"), State.ERROR, "refused"),
        (ValueError("a bug"), State.ERROR, "internal"),
    ],
)
def test_each_failure_of_a_sync_becomes_a_state_and_a_reason(
    runner, db, error, state, reason
) -> None:
    bg = sync_failing(runner, db, error)
    bg.start()
    try:
        assert (bg.status.state, bg.status.reason) == (state, reason)
        assert bg.status.message and bg.status.headline and bg.status.detail
        assert not bg.syncing and bg.status.progress is None
    finally:
        assert bg.stop()


@pytest.mark.parametrize(
    ("error", "state", "reason"),
    [
        (NotRegistered("no device"), State.NOT_CONFIGURED, "not_registered"),
        (KeyringUnavailable("the system offers no password store"), State.ERROR, "keyring"),
    ],
)
def test_credentials_that_cannot_be_read_say_why_and_no_sync_starts(
    runner, db, error, state, reason
) -> None:
    bg = sync_failing(runner, db, credentials_error=error)
    bg.start()
    try:
        assert (bg.status.state, bg.status.reason) == (state, reason)
        assert not bg.syncing
    finally:
        assert bg.stop()
    if reason == "keyring":
        assert "password store" in bg.status.detail


def test_without_a_central_the_counts_and_last_sync_are_still_shown(runner, db) -> None:
    at = sync_log.record_success(db, dt.datetime(2025, 1, 31, 7, 5, tzinfo=dt.UTC))
    bg = BackgroundSync(runner, db)
    bg.start()
    try:
        assert bg.status.state is State.NOT_CONFIGURED and bg.status.last_sync == at
        bg.sync_now()  # harmless
        assert bg.status.state is State.NOT_CONFIGURED and not bg.syncing
    finally:
        assert bg.stop()


# --- the status bar --------------------------------------------------------------------------


def statuses() -> dict[str, SyncStatus]:
    """One status of each state, with times relative to now (a test may run long after the
    module was collected)."""
    now = dt.datetime.now(dt.UTC)
    return {
        "not_configured": SyncStatus(State.NOT_CONFIGURED, "not_registered", pending=2),
        "offline": SyncStatus(
            State.OFFLINE,
            "offline",
            "refused (offline)",
            pending=12,
            last_sync=now - dt.timedelta(hours=26),
        ),
        "online": SyncStatus(State.ONLINE, last_sync=now - dt.timedelta(minutes=5)),
        "syncing": SyncStatus(
            State.SYNCING,
            progress=SyncProgress("push", 120, 300, 48_000, 2_000, 120_000),
            pending=180,
            attention=2,
            last_sync=now - dt.timedelta(days=3),
        ),
        "error": SyncStatus(
            State.ERROR,
            "version",
            "protocol 2 (protocol_mismatch)",
            pending=4,
            last_sync=now - dt.timedelta(seconds=20),
        ),
        "login_needed": SyncStatus(
            State.LOGIN_NEEDED,
            "login",
            pending=3,
            attention=1,
            last_sync=now,
            waiting_authors=("นางสาวสมหญิง ใจดี",),
        ),
    }


STATES = list(statuses())
THAI = {  # the state, its reason beside it, the count to send
    "not_configured": ("ยังไม่ได้เชื่อมต่อศูนย์กลาง", "", "รอส่ง 2 รายการ"),
    "offline": ("ออฟไลน์", "ไม่มีการเชื่อมต่อ", "รอส่ง 12 รายการ"),
    "online": ("ออนไลน์", "", "ไม่มีงานค้างส่ง"),
    "syncing": ("กำลังส่งข้อมูล…", "", "รอส่ง 180 รายการ"),
    "error": ("ซิงค์ไม่สำเร็จ", "ต้องอัปเดตโปรแกรม", "รอส่ง 4 รายการ"),
    "login_needed": ("ต้องเข้าสู่ระบบใหม่เพื่อส่งงาน", "", "รอส่ง 3 รายการ"),
}


@pytest.fixture
def bar(qtbot, runner, db, language) -> Iterator[SyncStatusBar]:
    """The bar in a main window's status bar as wide as the desktop's window, in Thai."""
    language("th")
    window = QMainWindow()
    window.resize(1100, 80)
    bar = SyncStatusBar(sync_failing(runner, db))
    window.statusBar().addPermanentWidget(bar)
    qtbot.addWidget(window)
    window.show()
    yield bar
    window.close()


@pytest.mark.parametrize("name", STATES)
def test_the_status_bar_shows_each_state_in_thai_unclipped(bar, name, qtbot) -> None:
    status = statuses()[name]
    bar.show_status(status)
    state, reason, pending = THAI[name]

    assert bar.state.text() == state
    assert bar.reason.isVisible() == bool(reason) and bar.reason.text() == reason
    assert bar.pending.text() == pending
    assert QFontInfo(bar.state.font()).family() == FAMILY
    assert bar.progress.isVisible() == (name == "syncing")
    assert bar.attention.isVisible() == (status.attention > 0)
    assert bar.sync_now.text() == "ซิงค์ตอนนี้" and "F5" in bar.sync_now.toolTip()
    assert bar.sync_now.isEnabled() == (name != "not_configured")  # this bar's has a central
    labels = (bar.state, bar.pending, bar.last_sync, bar.sync_now, bar.attention)
    try:  # laid out again once the events of the new texts are processed
        qtbot.waitUntil(
            lambda: all(w.width() >= w.sizeHint().width() for w in labels), timeout=1000
        )
    except qtbot.TimeoutError:
        clipped = [w.objectName() for w in labels if w.width() < w.sizeHint().width()]
        pytest.fail(f"clipped: {clipped}")
    assert not bar.two_lines and bar.reason.shown_text() == reason  # room for all of it
    if status.reason:
        assert status.message in bar.state.toolTip()
    if name == "syncing":
        assert bar.progress.text() == "120/300"
        assert bar.attention.text() == "ต้องตรวจสอบ 2 รายการ"
        assert bar.last_sync.text().startswith("ซิงค์ล่าสุด ") and "2" in bar.last_sync.text()
    if name == "login_needed":
        assert "นางสาวสมหญิง ใจดี" in bar.state.toolTip()
    if name == "online":
        assert bar.last_sync.text() == "ซิงค์ล่าสุด 5 นาทีที่แล้ว"
    bar.window().statusBar().grab().save(str(SHOTS / f"sync_status_{name}.png"))


def test_last_sync_reads_as_a_person_would_say_it(bar) -> None:
    now = dt.datetime(2025, 1, 31, 15, 0).astimezone()
    assert bar.ago(now - dt.timedelta(seconds=30), now) == "เมื่อสักครู่"
    assert bar.ago(now - dt.timedelta(minutes=5), now) == "5 นาทีที่แล้ว"
    assert bar.ago(now.replace(hour=9, minute=5), now) == "วันนี้ 09:05 น."
    assert bar.ago(now - dt.timedelta(days=1), now) == "เมื่อวาน 15:00 น."
    assert bar.ago(now - dt.timedelta(days=3), now) == "28 ม.ค. 2568 เวลา 15:00 น."
    bar.show_status(SyncStatus(State.ONLINE))
    assert bar.last_sync.text() == "ยังไม่เคยซิงค์"


def test_english_counts_have_their_plural(bar, language) -> None:
    language("en")
    bar.show_status(SyncStatus(State.ONLINE, pending=1, attention=3))
    assert (bar.pending.text(), bar.attention.text()) == ("1 to send", "3 to check")
    bar.show_status(SyncStatus(State.ONLINE, pending=2))
    assert bar.pending.text() == "2 to send"
    assert bar.ago(dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)) == "1 min ago"


def test_the_rows_received_so_far_are_said_while_the_pull_runs(bar) -> None:
    pulling = SyncProgress("pull", 0, 0, 0, 0, 0, rows_pulled=0)
    bar.show_status(SyncStatus(State.SYNCING, progress=pulling))
    assert bar.state.text() == "กำลังรับข้อมูล…" and bar.progress.isVisible()
    pulling = SyncProgress("pull", 0, 0, 0, 0, 0, rows_pulled=1200)
    bar.show_status(SyncStatus(State.SYNCING, progress=pulling))
    assert bar.state.text() == "รับแล้ว 1200 รายการ"


def test_a_short_window_puts_the_counts_on_a_second_line_and_cuts_nothing(bar, qtbot) -> None:
    """The reason gives way first; then the counts go below, Sync now becomes an icon."""
    window = bar.window()
    bar.show_status(statuses()["error"])
    labels = (bar.state, bar.pending, bar.last_sync, bar.sync_now)

    def whole() -> bool:
        return all(w.width() >= w.sizeHint().width() for w in labels)

    window.resize(bar.one_line_width() + 60, 80)
    qtbot.waitUntil(lambda: whole() and not bar.two_lines, timeout=1000)
    assert bar.reason.shown_text().endswith("…")  # shortened, not cut off
    window.resize(bar.one_line_width() - 60, 80)
    qtbot.waitUntil(lambda: bar.two_lines and whole(), timeout=1000)
    assert bar.pending.y() > bar.state.y() and bar.last_sync.y() == bar.state.y()
    assert bar.sync_now.toolButtonStyle() is Qt.ToolButtonStyle.ToolButtonIconOnly
    assert bar.window().statusBar().height() >= 2 * bar.state.height()
    bar.window().statusBar().grab().save(str(SHOTS / "sync_status_two_lines.png"))
    window.resize(1100, 80)
    qtbot.waitUntil(lambda: not bar.two_lines and whole(), timeout=1000)
    assert bar.pending.y() == bar.state.y() and bar.reason.shown_text() == bar.reason.text()


def test_sync_now_and_f5_ask_for_a_sync_and_attention_is_clickable(bar, qtbot) -> None:
    asked: list[str] = []
    bar._sync.sync_now = lambda: asked.append("sync")
    bar.sync_now.clicked.disconnect()
    bar.sync_now.clicked.connect(lambda: bar._sync.sync_now())
    bar.show_status(statuses()["login_needed"])
    qtbot.mouseClick(bar.sync_now, Qt.MouseButton.LeftButton)
    bar.window().activateWindow()
    qtbot.waitUntil(bar.window().isActiveWindow, timeout=1000)
    qtbot.keyClick(bar.window(), Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: asked == ["sync", "sync"], timeout=1000)  # an animated click
    with qtbot.waitSignal(bar.attention_clicked, timeout=1000):
        qtbot.mouseClick(bar.attention, Qt.MouseButton.LeftButton)


def test_the_main_window_shows_the_sync_bar_and_without_a_central_it_says_so(
    qtbot, db, language
) -> None:
    language("th")
    runner = TaskRunner(synchronous=True)
    sync = BackgroundSync(runner, db)
    window = MainWindow(db, runner, sync=sync)
    qtbot.addWidget(window)
    sync.start()
    window.show()
    try:
        bar = window.sync_bar
        assert bar is not None and bar.isVisible()
        assert bar.state.text() == "ยังไม่ได้เชื่อมต่อศูนย์กลาง"
        assert not bar.sync_now.isEnabled()
        assert bar.last_sync.text() == "ยังไม่เคยซิงค์"
        window.grab().save(str(SHOTS / "sync_status_main_window.png"))
    finally:
        assert sync.stop()
        runner.shutdown()
