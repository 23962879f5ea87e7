"""``scripts/screenshots``: every main screen of the desktop as a person sees it, over a fresh
Thai demo office, saved as PNG (``docs/screenshots/``, shown in the README's "Screens").

The screens are built by :func:`screens`, the same way the program builds them: the real
start-up flow (:class:`ui.startup.Startup`: first run, login, the main window with the clerk's
screens, the attention panel, the settings, the lock; then Switch user to the supervisor:
the review queue, a decision, a person's history) over a demo office in a temporary folder
(:func:`office`). The office has the Thai demo people, a change the supervisor returned
with a reason, a change the central did not accept, a change waiting for the supervisor
whose field another approved change has moved since (a conflict), and is registered with a
central that does not answer (a loopback port nobody listens on): the sync status bar
shows the offline state the real sync reaches, and the other states are snapshots of what
the sync publishes. Tasks run synchronously (the task runner's test mode), so what is shown
does not depend on the machine's speed.

``tests/ui/test_screenshots.py`` saves them into a temporary folder and
``tests/ui/test_pseudo_translation.py`` checks each for clipped text, so the script and the
checks stay in step. Usage::

    scripts/screenshots [--out DIR] [--people N] [SCREEN ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import logging
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QRect, QSettings, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QInputMethodEvent,
    QPainter,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from app import config, demo_data
from app.domain.entities import Role
from app.services import decisions, outbox, people, submissions, users
from app.store.db import Database, open_database
from sync.client.credentials import CredentialStore, DeviceCredential, MemoryKeyring, UserToken
from sync.client.engine import SyncEngine
from sync.client.transport import CentralClient
from ui.background_sync import SyncSettings
from ui.help_window import manual_dir
from ui.login import CentralLink
from ui.startup import Startup, main_window
from ui.sync_status import State, SyncProgress, SyncStatus
from ui.tasks import TaskRunner
from ui.view_state import ViewState

#: The size of the main window in every picture of it (an office laptop's window).
WIDTH, HEIGHT = 1100, 700
PEOPLE = 300
ORG_CODE = "6340101"
OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
#: A central that never answers: nothing listens on the discard port of this PC.
CENTRAL_URL = "http://127.0.0.1:9"
PC_NAME = "งานบุคคล-01"
SEARCH = "ศรี"  # three Thai characters typed into the search box
RETURN_REASON = "เงินเดือนไม่ตรงกับคำสั่งเลื่อนขั้นเงินเดือน"
RETURN_COMMENT = "ดูคำสั่งที่ 12/2567 ลงวันที่ 1 เมษายน 2567"
RETURNED_SALARY = "31000"
#: One person's story: the clerk proposes a raise, the supervisor returns it, the clerk
#: fixes it and it is approved; meanwhile a second clerk proposed another raise and a new
#: surname, which now waits in the review queue with the salary in conflict. The raises
#: (baht) are added to the person's salary.
PROMOTION_REASON = "ยังไม่ได้แนบคำสั่งเลื่อนขั้นเงินเดือน"
PROMOTION_RAISES = (600, 720)
SECOND_CLERK = ("clerk2", "มานี มีงาน (เจ้าหน้าที่)")
CONFLICT_RAISE, CONFLICT_SURNAME = 1000, "รุ่งเรืองศรี"
WAIT_S = 30
#: The height of the title bar drawn over a dialog.
TITLE_BAR = 30

#: Every screen, in the order the flow reaches them; a picture of each is ``<name>.png``.
SCREENS = (
    "first-run", "login", "people", "search", "editor-personal", "editor-position",
    "editor-history", "editor-returned", "my-submissions", "attention", "settings", "help",
    "lock",
    "review-queue", "decision", "person-history", "office-structure", "office-unit",
    "office-slots", "office-slot", "office-plan", "office-overview", "office-setup",
    "office-accounts", "office-add-user", "office-one-time-password", "office-devices",
    "office-revoke-pc", "change-password",
)  # fmt: skip
#: The screens before the login; the others need the main window.
BEFORE_LOGIN = frozenset({"first-run", "login"})
#: The screens of the supervisor's window (the clerk's PC switched to the supervisor).
SUPERVISOR = frozenset({"review-queue", "decision", "person-history"})
#: The screens of the org admin's window (the same PC switched to the admin): the Office area.
ADMIN = frozenset({
    "office-structure", "office-unit", "office-slots", "office-slot", "office-overview",
    "office-plan", "office-setup",
})  # fmt: skip
#: The screens that are dialogs, framed with their title; those opened from the main window
#: are drawn over it. The others are the main window itself, :data:`WIDTH` × :data:`HEIGHT`.
DIALOGS = BEFORE_LOGIN | {
    "attention", "settings", "help", "lock", "office-unit", "office-slot", "office-plan",
    "office-setup", "office-add-user", "office-one-time-password", "office-revoke-pc",
    "change-password",
}  # fmt: skip
#: The org admin's pages (ui.office) and their dialogs, shown with what the central answers
#: (a snapshot: the screenshots' central never answers) and drawn over the page.
OFFICE = frozenset({
    "office-accounts", "office-add-user", "office-one-time-password", "office-devices",
    "office-revoke-pc",
})  # fmt: skip


@dataclass
class Office:
    """A demo office in a temporary folder, and the desktop's start-up flow over it."""

    db: Database
    demo: demo_data.DemoResult
    flow: Startup
    returned_id: str  # the clerk's change the supervisor sent back
    conflict_id: str  # the second clerk's change waiting, a field in conflict
    conflict_person: str  # whose change that is; their history has every kind of event

    def account(self, role: Role) -> demo_data.DemoAccount:
        return next(a for a in self.demo.accounts if a.role is role)


@dataclass(frozen=True)
class Shot:
    """A screen ready to be looked at: ``widget`` (a window or dialog), drawn over
    ``behind`` (the main window it was opened from) when there is one. A dialog gets a
    plain frame with its title: offscreen windows have no title bar of their own."""

    name: str
    widget: QWidget
    behind: QWidget | None = None

    @property
    def dialog(self) -> bool:
        return self.name in DIALOGS

    def image(self) -> QImage:
        top = framed(self.widget) if self.dialog else self.widget.grab().toImage()
        if self.behind is None:
            return top
        image = self.behind.grab().toImage()
        painter = QPainter(image)
        x = max(0, (image.width() - top.width()) // 2)
        y = max(0, (image.height() - top.height()) // 2)
        painter.drawImage(x, y, top)
        painter.end()
        return image


def framed(dialog: QWidget) -> QImage:
    """``dialog`` with a border and a title bar that says its window title."""
    content = dialog.grab()
    width, height = content.width() + 2, content.height() + TITLE_BAR + 1
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#8a8a8a"))
    painter = QPainter(image)
    painter.fillRect(1, 1, width - 2, TITLE_BAR - 1, QColor("#dcdcdc"))
    font = QFont(dialog.font())
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#202020"))
    room = QRect(10, 1, width - 20, TITLE_BAR - 1)
    elide = Qt.TextElideMode.ElideRight
    title = QFontMetrics(font).elidedText(dialog.windowTitle(), elide, room.width())
    painter.drawText(room, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, title)
    painter.drawPixmap(1, TITLE_BAR, content)
    painter.end()
    return image


def small(image: QImage) -> QImage:
    """``image`` in its 256 most frequent colours, undithered: half the file, and a screen
    (flat colours, a thousand at most with anti-aliased text) looks the same."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    table = [rgb for rgb, _ in Counter(image.constBits().cast("I")).most_common(256)]
    flags = Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither
    return image.convertToFormat(QImage.Format.Format_Indexed8, table, flags)


# --- waiting --------------------------------------------------------------------------------


def settle() -> None:
    """Let posted events (layouts, deferred deletes, queued answers) run out."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def wait_until(done: Callable[[], Any], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(f"screenshots: {what} did not happen within {WAIT_S} s")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    settle()


# --- the office -----------------------------------------------------------------------------


def _returned(db: Database, clerk: str, supervisor: str, person_id: str) -> str:
    """A salary change the clerk sent, which the supervisor returned with a reason."""
    sid = submissions.start_draft(db, clerk, person_id=person_id).submission.id
    submissions.save_draft(db, clerk, sid, fields={"salary": RETURNED_SALARY})
    submissions.submit(db, clerk, sid)
    decisions.return_submission(
        db, supervisor, sid, RETURN_REASON, field_comments={"salary": RETURN_COMMENT}
    )
    return sid


def _in_conflict(db: Database, demo: demo_data.DemoResult, person_id: str) -> str:
    """A raise (:data:`PROMOTION_RAISES`) returned, fixed and approved for ``person_id``
    while a second clerk's change, based on the record before, waits: the waiting
    submission's id."""
    roles = {a.role: a.user_id for a in demo.accounts}
    clerk, supervisor = roles[Role.CLERK], roles[Role.SUPERVISOR]
    username, name = SECOND_CLERK
    other = users.create_user(
        db, roles[Role.ORG_ADMIN], org_id=demo.org_id, username=username, display_name=name,
        role=Role.CLERK, password="a second clerk's password",
    ).id  # fmt: skip
    salary = people.get_person(db, clerk, person_id).person.salary or 0
    first = submissions.start_draft(db, clerk, person_id=person_id).submission.id
    second = submissions.start_draft(db, other, person_id=person_id).submission.id
    submissions.save_draft(db, other, second, fields={
        "salary": salary + CONFLICT_RAISE, "last_name_th": CONFLICT_SURNAME})  # fmt: skip
    for raise_ in PROMOTION_RAISES:  # returned with a reason, then fixed
        submissions.save_draft(db, clerk, first, fields={"salary": salary + raise_})
        submissions.submit(db, clerk, first)
        if raise_ != PROMOTION_RAISES[-1]:
            decisions.return_submission(db, supervisor, first, PROMOTION_REASON)
    decisions.approve(db, supervisor, first)
    submissions.submit(db, other, second)
    return second


def _not_accepted(db: Database) -> None:
    """The central answered a sent change with a conflict: an item needing attention."""
    op = next(op for op in outbox.unanswered(db) if op.kind == "submission.submit")
    conflict = {"key": "salary", "target": "person", "row_id": None, "field": "salary",
                "base": "15000", "official": "16000", "proposed": "17000"}  # fmt: skip
    outbox.mark_sent(db, [op.op_id])
    outbox.record_results(db, [{
        "op_id": op.op_id, "status": "conflict", "code": "stale_version",
        "message": "person version 3 is older than the central's 4", "conflicts": [conflict],
    }])  # fmt: skip


def _free_people(db: Database, actor: str) -> list[str]:
    """Official people with no submission at all, in Thai order."""
    taken = {s.person_id for s in submissions.list_submissions(db, actor)}
    return [pid for pid in people.person_ids(db) if pid not in taken]


def _registered(
    db: Database, folder: Path, org_id: str, users_here: Iterable[demo_data.DemoAccount]
) -> CentralLink:
    """This PC as registered with :data:`CENTRAL_URL`, the tokens of ``users_here`` kept:
    the credentials are in order and the central does not answer."""
    client = CentralClient(CENTRAL_URL, retries=0, backoff_factor=0)
    store = CredentialStore.for_central(client.base_url, folder, MemoryKeyring())
    store.save_device(DeviceCredential("screenshots-pc", org_id, "made-up"))
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    for user in users_here:
        store.save_token(UserToken(user.username, "made-up", expires, user.user_id))
    return CentralLink(client, store, SyncEngine(db, client))


def _no_demo() -> Any:
    raise RuntimeError("the screenshots never start the demo's central")


@contextmanager
def office(folder: Path, *, people_count: int = PEOPLE) -> Iterator[Office]:
    """A fresh demo office in ``folder`` and the start-up flow over it, all closed after."""
    folder = Path(folder)
    db = open_database(folder / config.DESKTOP_DATABASE)
    runner = TaskRunner(synchronous=True)
    flow: Startup | None = None
    try:
        demo = demo_data.generate(db, org_code=ORG_CODE, people=people_count, seed=1)
        roles = {a.role: a for a in demo.accounts}
        clerk, supervisor = roles[Role.CLERK], roles[Role.SUPERVISOR]
        free = _free_people(db, clerk.user_id)
        returned_id = _returned(db, clerk.user_id, supervisor.user_id, free[0])
        conflict_id = _in_conflict(db, demo, free[1])
        _not_accepted(db)
        admin = roles[Role.ORG_ADMIN]
        for user in (clerk, supervisor, admin):  # an earlier login of theirs here was online
            users.record_online_login(db, user.username)
        view_state = ViewState(QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat))
        flow = Startup(
            folder, db, runner,
            keyring_backend=MemoryKeyring(),
            start_demo=_no_demo,
            sync_settings=SyncSettings(probe_first_s=3600, interval_s=3600),
            window_factory=functools.partial(main_window, view_state=view_state),
        )  # fmt: skip
        flow.settings.save(mode="central", central_url=CENTRAL_URL)
        flow.link = flow.auth.link = _registered(
            db, folder, demo.org_id, (clerk, supervisor, admin)
        )
        yield Office(db, demo, flow, returned_id, conflict_id, free[1])
    finally:
        if flow is not None:
            flow.shutdown()
            for window in (flow.window, flow.dialog):  # the dialogs of the window go with it
                if window is not None and shiboken6.isValid(window):
                    window.hide()
                    window.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        runner.shutdown()
        db.close()


# --- the screens ----------------------------------------------------------------------------


def type_text(widget: QWidget, text: str) -> None:
    """Type as a person does: Latin key by key, Thai as a Thai keyboard's input method
    commits it (key clicks abort on characters outside Latin-1)."""
    widget.setFocus()
    if text.isascii():
        QTest.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QCoreApplication.sendEvent(widget, event)


def _rich_person(office: Office) -> tuple[str, str]:
    """Among the first people of the list with no submission, the one with the most kinds
    of history, and the kind they have most rows of."""
    clerk = office.account(Role.CLERK).user_id
    best: tuple[tuple[int, int], str, str] | None = None
    for pid in _free_people(office.db, clerk)[:40]:
        history = people.get_person(office.db, clerk, pid).history
        kinds = [row.KIND for row in history]
        if not kinds:
            continue
        most = max(set(kinds), key=kinds.count)
        score = (len(set(kinds)), len(kinds))
        if best is None or score > best[0]:
            best = (score, pid, most)
    if best is None:
        raise LookupError("screenshots: no demo person has a history")
    return best[1], best[2]


def known(names: Iterable[str]) -> set[str]:
    """``names`` as a set, each the name of a screen (else ValueError)."""
    wanted = set(names)
    unknown = sorted(wanted - set(SCREENS))
    if unknown:
        raise ValueError(f"no such screens: {', '.join(unknown)} (there are {', '.join(SCREENS)})")
    return wanted


def _ready(name: str, widget: QWidget, behind: QWidget | None = None) -> Shot:
    """The screen once laid out and painted with what it shows now."""
    settle()
    return Shot(name, widget, behind)


def _close(widget: QWidget) -> None:
    widget.hide()
    widget.deleteLater()
    settle()


def screens(office: Office, names: Iterable[str] = SCREENS) -> Iterator[Shot]:
    """Walk the desktop's flow over ``office`` and give each screen of ``names`` once it
    shows its data; the caller looks at it (a picture, a check) before asking for the next.
    The flow always logs in when a screen of the main window is asked for."""
    wanted = known(names)
    flow = office.flow
    if "first-run" in wanted:
        flow.first_run()
        dialog = flow.dialog
        dialog.pc_name.setText(PC_NAME)
        yield _ready("first-run", dialog)
        _close(dialog)

    flow.login()
    login = flow.dialog
    login.activateWindow()  # the typing goes where a person's would
    settle()
    clerk = office.account(Role.CLERK)
    type_text(login.username, clerk.username)
    type_text(login.password, clerk.password)
    if "login" in wanted:
        yield _ready("login", login)
    if wanted <= BEFORE_LOGIN:
        _close(login)
        return
    login.ok.click()
    wait_until(lambda: flow.window is not None, "the clerk's login")
    window = flow.window
    window.resize(WIDTH, HEIGHT)
    list_model = window.people.model
    wait_until(lambda: list_model.complete and list_model.rowCount() > 0, "the personnel list")
    bar = window.sync_bar
    wait_until(lambda: flow.sync.status.state is State.OFFLINE, "the first sync")
    counts = outbox.counts(office.db)
    now = dt.datetime.now(dt.UTC)

    if "people" in wanted:  # a snapshot: the last sync went well five minutes ago
        bar.show_status(SyncStatus(State.ONLINE, pending=counts.pending,
                                   attention=counts.attention,
                                   last_sync=now - dt.timedelta(minutes=5)))  # fmt: skip
        yield _ready("people", window)
    bar.show_status(flow.sync.status)  # as the sync left it: the central does not answer

    if "search" in wanted:
        type_text(window.people.search, SEARCH)
        wait_until(
            lambda: (
                list_model.shown_query is not None
                and list_model.shown_query[0] == SEARCH
                and list_model.complete
            ),
            "the search",
        )
        yield _ready("search", window)
        window.people.search.clear()

    editing = [n for n in ("editor-personal", "editor-position", "editor-history") if n in wanted]
    if editing:
        person_id, kind = _rich_person(office)
        editor = flow.screens.open_person(person_id)
        wait_until(lambda: editor.detail is not None, "the person editor")
        tabs = {"editor-personal": 0, "editor-position": 1,
                "editor-history": 2 + list(editor.history).index(kind)}  # fmt: skip
        for name in editing:
            editor.tabs.setCurrentIndex(tabs[name])
            if name == "editor-history":
                editor.history[kind].table.selectRow(0)
            yield _ready(name, window)

    if "editor-returned" in wanted:
        editor = flow.screens.open_submission(office.returned_id)
        wait_until(lambda: editor.detail is not None, "the returned submission")
        editor.tabs.setCurrentIndex(1)  # the salary the supervisor commented on
        yield _ready("editor-returned", window)

    if "my-submissions" in wanted:  # a snapshot: a sync sending the clerk's changes
        progress = SyncProgress("push", 2, counts.pending, 2_400, 0, 6_000)
        bar.show_status(SyncStatus(State.SYNCING, progress=progress, pending=counts.pending,
                                   attention=counts.attention,
                                   last_sync=now - dt.timedelta(hours=2)))  # fmt: skip
        mine = flow.screens.my_submissions
        window.findChild(QAction, "action_my_submissions").trigger()
        wait_until(lambda: mine.table.rowCount() > 0, "My submissions")
        yield _ready("my-submissions", window)
        bar.show_status(flow.sync.status)

    if "attention" in wanted:
        flow.show_attention()
        panel = flow.panel
        wait_until(lambda: panel.list.count() > 0, "the attention panel")
        yield _ready("attention", panel, window)
        panel.close()

    if "settings" in wanted:
        flow.show_settings()
        yield _ready("settings", flow.settings_dialog, window)
        flow.settings_dialog.reject()

    if "help" in wanted:  # F1 over the personnel list
        window.show_screen(window.people)
        window.show_help()
        yield _ready("help", window.help_window, window)
        window.help_window.close()

    if "lock" in wanted:
        flow.lock()
        yield _ready("lock", flow.dialog, window)

    if wanted & SUPERVISOR:
        yield from _supervisor_screens(office, wanted)
    if wanted & ADMIN:
        yield from _admin_screens(office, wanted)

    if wanted & OFFICE:
        yield from _office_screens(office, wanted)

    if "change-password" in wanted:  # the user's menu: Change password…
        dialog = flow.change_password()
        type_text(dialog.current, "x" * 10)
        yield _ready("change-password", dialog, flow.window)
        _close(dialog)


def _log_in(flow: Startup, account: demo_data.DemoAccount) -> None:
    """Switch user (Ctrl+Shift+L) to ``account``, as a person types it."""
    flow.switch_user()
    login = flow.dialog
    login.activateWindow()
    settle()
    login.username.clear()
    type_text(login.username, account.username)
    type_text(login.password, account.password)
    login.ok.click()
    wait_until(lambda: flow.session is not None and flow.session.username == account.username
               and not flow.locked, f"{account.username}'s login")  # fmt: skip


def _supervisor_screens(office: Office, wanted: set[str]) -> Iterator[Shot]:
    """The supervisor's window on the same PC: the queue, a decision with a conflict, and
    the history of the person it is about."""
    flow = office.flow
    _log_in(flow, office.account(Role.SUPERVISOR))
    window = flow.window
    window.resize(WIDTH, HEIGHT)
    queue = flow.review.queue
    window.findChild(QAction, "action_review_queue").trigger()
    wait_until(lambda: office.conflict_id in [r.submission_id for r in queue.rows()], "the queue")
    row = [r.submission_id for r in queue.rows()].index(office.conflict_id)
    queue.table.selectRow(row)
    if "review-queue" in wanted:
        yield _ready("review-queue", window)

    if "decision" in wanted:
        queue.open_button.click()
        view = next(v for v in flow.review.views if v.submission_id == office.conflict_id)
        wait_until(lambda: view.detail is not None and view.picker is not None, "the decision")
        yield _ready("decision", window)

    if "person-history" in wanted:
        history = flow.history.show(office.conflict_person)
        wait_until(lambda: len(history.entries) > 0, "the person's history")
        yield _ready("person-history", window)


def _admin_screens(office: Office, wanted: set[str]) -> Iterator[Shot]:
    """The org admin's Office area on the same PC: the unit tree, the slots, the staffing
    overview with a plan line, their dialogs, and the guided set-up taken up again."""
    flow = office.flow
    _log_in(flow, office.account(Role.ORG_ADMIN))
    window = flow.window
    window.resize(WIDTH, HEIGHT)
    area = flow.office.area
    window.findChild(QAction, "action_office").trigger()
    tree = area.structure
    wait_until(lambda: bool(tree.roots), "the unit tree")
    tree.select(next(n.id for n in tree.units() if n.name == "สำนักปลัด"))
    if "office-structure" in wanted:
        yield _ready("office-structure", window)
    if "office-unit" in wanted:
        tree.add_child.click()
        type_text(tree.dialog.name, "ฝ่ายบริหารงานบุคคล")
        yield _ready("office-unit", tree.dialog, window)
        tree.dialog.reject()

    slots = area.slots
    area.pages.setCurrentWidget(slots)
    wait_until(lambda: slots.model.rowCount() > 0, "the position slots")
    if "office-slots" in wanted:
        yield _ready("office-slots", window)
    if "office-slot" in wanted:
        vacant = next(s for s in slots.model.slots if s.state == "vacant")
        slots.select(vacant.id)
        slots.edit.click()
        yield _ready("office-slot", slots.dialog, window)
        slots.dialog.reject()

    overview = area.overview
    area.pages.setCurrentWidget(overview)
    wait_until(lambda: overview.overview is not None, "the staffing overview")
    if "office-plan" in wanted:
        overview.add_line.click()
        dialog = overview.dialog
        type_text(dialog.title, "นักทรัพยากรบุคคล")
        dialog.type.setCurrentIndex(dialog.type.findData("academic"))
        dialog.unit.setCurrentIndex(
            max(0, dialog.unit.findText("สำนักปลัด", Qt.MatchFlag.MatchContains))
        )
        for box, count in zip(dialog.counts, (2, 2, 3), strict=True):
            box.setValue(count)
        yield _ready("office-plan", dialog, window)
        dialog.ok.click()  # the overview then shows the plan's years
        wait_until(lambda: overview.plan.rowCount() > 0, "the plan's line")
    if "office-overview" in wanted:
        yield _ready("office-overview", window)

    if "office-setup" in wanted:
        wizard = flow.office.open_setup()
        wait_until(lambda: wizard.progress is not None and bool(wizard.structure.roots),
                   "the guided set-up")  # fmt: skip
        yield _ready("office-setup", wizard, window)
        wizard.reject()


def _office_screens(office: Office, wanted: set[str]) -> Iterator[Shot]:
    """The org admin's accounts and PCs pages with what the central would answer, and the
    dialogs they open (ui.office): as tabs of the Office area when the admin's window is up
    (the whole flow), else each page alone."""
    from sync.protocol import Account, DeviceInfo
    from ui.office.accounts import AccountsPage
    from ui.office.devices import DevicesPage
    from ui.session import Session

    flow = office.flow
    admin = office.account(Role.ORG_ADMIN)
    org = office.demo.org_id
    session = Session(admin.user_id, admin.username, "สมศักดิ์ ดูแลดี", Role.ORG_ADMIN, org)
    now = dt.datetime.now(dt.UTC)
    people = [
        (admin, "สมศักดิ์ ดูแลดี", dt.timedelta(minutes=3), True, False),
        (office.account(Role.CLERK), "วันเพ็ญ ขยันงาน", dt.timedelta(hours=2), True, False),
        (office.account(Role.SUPERVISOR), "ประเสริฐ ตรวจดี", dt.timedelta(days=1), True, False),
    ]
    accounts = [
        Account(id=a.user_id, org_id=org, username=a.username, display_name=name,
                role=str(a.role), active=active, last_login_at=now - ago,
                password_change_required=pending)
        for a, name, ago, active, pending in people
    ] + [
        Account(id="new-user", org_id=org, username="somying.n", display_name="สมหญิง นามดี",
                role="clerk", active=True, password_change_required=True),
        Account(id="left-user", org_id=org, username="boonmee.s", display_name="บุญมี สุขใจ",
                role="auditor", active=False, last_login_at=now - dt.timedelta(days=40)),
    ]  # fmt: skip
    # In the org admin's window (after the Office area's screens): the pages as its tabs;
    # else each page on its own.
    screens = flow.office
    if screens is not None:
        page, frame = screens.accounts, flow.window
        screens.show()
        screens.area.pages.setCurrentWidget(page)
    else:
        page = frame = AccountsPage(session, flow.runner, central=flow.link)
        page.resize(WIDTH, HEIGHT)
        page.show()
    page.show_users(accounts)
    page.table.selectRow(1)
    if "office-accounts" in wanted:
        yield _ready("office-accounts", frame)
    if "office-add-user" in wanted:
        page.add_user()
        dialog = page.add_dialog
        type_text(dialog.username, "somying.n")
        type_text(dialog.name, "สมหญิง นามดี")
        yield _ready("office-add-user", dialog, frame)
        _close(dialog)
    if "office-one-time-password" in wanted:
        shown = page.show_one_time("somying.n", "สมหญิง นามดี", "q7Rk-2xWmP9a")
        yield _ready("office-one-time-password", shown, frame)
        _close(shown)
    if screens is not None:
        devices = screens.devices
        screens.area.pages.setCurrentWidget(devices)
    else:
        _close(page)
        devices = frame = DevicesPage(session, flow.runner, central=flow.link)
        devices.resize(WIDTH, HEIGHT)
        devices.show()
    devices.show_devices([
        DeviceInfo(id=devices.this_device or "this-pc", org_id=org, name=PC_NAME,
                   registered_at=now - dt.timedelta(days=90), last_sync_at=now
                   - dt.timedelta(minutes=4), program_version="0.14.0", ops_waiting=0),
        DeviceInfo(id="pc-2", org_id=org, name="งานบุคคล-02", registered_at=now
                   - dt.timedelta(days=60), last_sync_at=now - dt.timedelta(days=3),
                   program_version="0.13.2", ops_waiting=27),
        DeviceInfo(id="pc-3", org_id=org, name="โน้ตบุ๊กปลัด", registered_at=now
                   - dt.timedelta(days=30)),
        DeviceInfo(id="pc-old", org_id=org, name="เครื่องเก่า กองคลัง", registered_at=now
                   - dt.timedelta(days=400), last_sync_at=now - dt.timedelta(days=200),
                   program_version="0.9.0", ops_waiting=3,
                   revoked_at=now - dt.timedelta(days=190)),
    ])  # fmt: skip
    devices.table.selectRow(1)
    if "office-devices" in wanted:
        yield _ready("office-devices", frame)
    if "office-revoke-pc" in wanted:
        devices.revoke()
        yield _ready("office-revoke-pc", devices.confirmation, frame)
        devices.confirmation.reject()
    if screens is None:
        _close(devices)


def save_screens(
    out: Path, names: Iterable[str] = SCREENS, *, people_count: int = PEOPLE
) -> list[Path]:
    """A PNG of each screen of ``names`` in ``out``, over a demo office made for the purpose
    (the application, its language and font already set up); the files written."""
    names = [n for n in SCREENS if n in known(names)]
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with (
        tempfile.TemporaryDirectory(prefix="localhr-screenshots-") as folder,
        office(Path(folder), people_count=people_count) as demo,
    ):
        for shot in screens(demo, names):
            path = out / f"{shot.name}.png"
            if not small(shot.image()).save(str(path), "PNG"):
                raise OSError(f"could not write {path}")
            saved.append(path)
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/screenshots",
        description="Render every main screen with Thai demo data to PNG.",
    )
    parser.add_argument("screens", nargs="*", metavar="SCREEN", help=", ".join(SCREENS))
    parser.add_argument("--out", type=Path, default=OUT, help=f"default: {OUT}")
    parser.add_argument("--people", type=int, default=PEOPLE, help="demo people")
    args = parser.parse_args(argv)
    try:
        known(args.screens)
    except ValueError as exc:
        parser.error(str(exc))
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # the same pictures with or without a display
    logging.basicConfig(format="%(message)s")
    logging.getLogger("ui.background_sync").setLevel(logging.ERROR)  # offline, on purpose
    from ui.app import create_application

    app = create_application([sys.argv[0]], language="th")
    for path in save_screens(args.out, args.screens or SCREENS, people_count=args.people):
        print(path)
        shipped = manual_dir() / "images" / path.name  # the manual's copy, kept the same
        if shipped.is_file():
            shutil.copyfile(path, shipped)
            print(shipped)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
