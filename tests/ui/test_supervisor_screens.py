"""The supervisor's screens in the main window (issue 6): the queue as a tab with the count
waiting, a decision opened from it, and the queue read again after the decision."""

from __future__ import annotations

from app.domain.entities import SubmissionState
from app.services import submissions
from tests.fixtures_db import free_person_ids
from tests.ui.editor_fixtures import submitted, type_thai
from ui.main_window import MainWindow
from ui.supervisor_screens import SupervisorScreens


def test_the_queue_opens_a_decision_and_refreshes_after_it(qtbot, demo, runner, language) -> None:
    language("th")
    sid = submitted(demo, free_person_ids(demo.db)[0], salary="31000")
    window = MainWindow(demo.db, runner)
    qtbot.addWidget(window)
    screens = SupervisorScreens(window, demo.db, runner, demo.supervisor)
    waiting = screens.waiting
    assert waiting >= 1
    tab = window.screens.tabText(window.screens.indexOf(screens.queue))
    assert str(waiting) in tab and "รออนุมัติ" in tab
    assert window.findChild(type(window.commands["quit"]), "action_review_queue") is not None
    view = screens.open_submission(sid)
    assert window.screens.currentWidget() is view
    assert screens.open_submission(sid) is view  # not twice
    type_thai(view.reason, "แนบคำสั่งด้วย")
    view.return_button.click()
    assert submissions.get_submission(demo.db, demo.clerk, sid).submission.state is (
        SubmissionState.RETURNED
    )
    assert screens.waiting == waiting - 1


def test_a_sync_that_pulls_submissions_reads_the_queue_again(qtbot, demo, runner) -> None:
    from sync.client.engine import SyncReport

    window = MainWindow(demo.db, runner)
    qtbot.addWidget(window)
    screens = SupervisorScreens(window, demo.db, runner, demo.supervisor)
    waiting = screens.waiting
    submitted(demo, free_person_ids(demo.db)[0], salary="31000")  # as a pull would bring it

    screens.pulled(SyncReport(pulled_tables=frozenset({"person"})))
    assert screens.waiting == waiting  # nothing about submissions came
    screens.pulled(SyncReport(pulled_tables=frozenset({"submission"})))
    qtbot.waitUntil(lambda: screens.waiting == waiting + 1, timeout=3000)
