"""What waits for the user shows in the status bar: a clerk's returned submissions (and once
at login), a supervisor's waiting ones; a click opens the screen that lists them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.services import decisions, review
from tests.fixtures_db import free_person_ids
from tests.ui.editor_fixtures import submitted
from tests.ui.session_helpers import SHOTS
from ui.main_window import MainWindow
from ui.work_counts import WorkCounts


def test_a_clerk_sees_returned_work_at_login_and_a_supervisor_the_waiting(
    qtbot, demo, runner, language
) -> None:
    language("th")
    sid = submitted(demo, free_person_ids(demo.db)[0], salary="31000")
    submitted(demo, free_person_ids(demo.db)[1], salary="32000")
    decisions.return_submission(demo.db, demo.supervisor, sid, "แนบคำสั่ง")

    window = MainWindow(demo.db, runner)
    qtbot.addWidget(window)
    clerk = WorkCounts(demo.db, runner, demo.clerk, window)
    qtbot.waitUntil(lambda: clerk.counts is not None, timeout=3000)

    assert (clerk.counts.returned, clerk.counts.waiting) == (1, 0)  # a clerk decides nothing
    assert not clerk.returned.isHidden() and clerk.waiting.isHidden()
    notice = clerk.notice
    assert "1" in clerk.returned.text() and "ส่งกลับ" in notice.text()
    window.resize(1024, 600)
    window.show()
    qtbot.waitExposed(window)
    assert notice.isVisible() and "ส่งกลับ" in notice.text()  # still said once it is shown
    # Whole, inside the window, just above the status bar.
    assert window.rect().contains(notice.geometry())
    assert notice.geometry().bottom() < window.statusBar().geometry().top()
    assert notice.height() >= notice.heightForWidth(notice.width())
    window.resize(600, 500)  # a narrower window: it stays whole, wrapped
    assert window.rect().contains(notice.geometry())
    assert notice.height() >= notice.heightForWidth(notice.width())
    window.grab().save(str(SHOTS / "work_counts.png"))
    opened = []
    clerk.returned_clicked.connect(lambda: opened.append("mine"))
    clerk.returned.linkActivated.emit("returned")
    QTest.mouseClick(notice, Qt.MouseButton.LeftButton)
    assert opened == ["mine", "mine"]
    assert notice.isHidden()  # the click closed it

    boss = WorkCounts(demo.db, runner, demo.supervisor)
    qtbot.addWidget(boss)
    qtbot.waitUntil(lambda: boss.counts is not None, timeout=3000)
    queue = review.review_queue(demo.db, demo.supervisor)
    waiting = boss.counts.waiting
    assert waiting == len(queue) >= 1 and not boss.waiting.isHidden()
    assert f"รอพิจารณา {waiting} เรื่อง" in boss.waiting.text()
    assert boss.waiting.sizeHint().width() < 160  # short beside the sync status

    # a decision counts at once, with nobody asking (issue 15: the count stayed at 1 while
    # the queue said 0): the database's change signal tells the counts
    decisions.approve(demo.db, demo.supervisor, queue[0].submission_id)
    qtbot.waitUntil(lambda: boss.counts.waiting == waiting - 1, timeout=3000)
    assert f"รอพิจารณา {waiting - 1} เรื่อง" in boss.waiting.text() or waiting == 1
