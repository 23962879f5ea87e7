"""The supervisor's review queue with real widgets (issue 6): the submitted changes, oldest
first, narrowed by the filters, and several approved at once after a confirmation that
lists them, the conflicting ones left out."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QMessageBox

from app.domain.entities import SubmissionState
from app.services import decisions, submissions
from tests.fixtures_db import free_person_ids
from tests.ui.editor_fixtures import shown, submitted, type_keys
from tests.ui.session_helpers import SHOTS
from ui.review_queue import AUTHOR_COLUMN, CONFLICT_COLUMN, ReviewQueue


def by(demo, author: str, pid: str, **fields) -> str:
    sid = submissions.start_draft(demo.db, author, person_id=pid).submission.id
    submissions.save_draft(demo.db, author, sid, fields=fields)
    submissions.submit(demo.db, author, sid)
    return sid


def in_conflict_and_clean(demo, second_clerk: str) -> tuple[str, str]:
    """Two of the second clerk's changes waiting: one whose salary the clerk's approved
    change moved since its base (a conflict), one about somebody else (clean)."""
    a, b = free_person_ids(demo.db)[:2]
    first = submitted(demo, a, salary="31000")
    clash = by(demo, second_clerk, a, salary="32000")
    clean = by(demo, second_clerk, b, salary="33000")
    decisions.approve(demo.db, demo.supervisor, first)
    return clash, clean


def ids(queue: ReviewQueue) -> list[str]:
    return [r.submission_id for r in queue.rows()]


def select(queue: ReviewQueue, *wanted: str) -> None:
    """Ctrl+click on each wanted row, as the supervisor picks several."""
    queue.table.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for index, sid in enumerate(ids(queue)):
        if sid in wanted:
            queue.table.selectionModel().select(queue.table.model().index(index, 0), flags)


def test_the_queue_lists_submitted_changes_oldest_first_and_filters_narrow_it(
    qtbot, demo, runner, language, second_clerk
) -> None:
    language("th")
    a, b = free_person_ids(demo.db)[:2]
    first = submitted(demo, a, salary="31000")
    second = by(demo, second_clerk, b, salary="32000")
    queue = shown(qtbot, ReviewQueue(demo.db, runner, demo.supervisor))
    assert queue.org.isHidden()  # one organization: no organization filter to show
    counts: list[int] = []
    queue.count_changed.connect(counts.append)
    queue.refresh()
    assert ids(queue).index(first) < ids(queue).index(second)
    assert ids(queue)[-2:] == [first, second]  # the newest last
    assert counts == [len(ids(queue))] and "รอ" in queue.count.text()
    row = ids(queue).index(second)
    assert queue.table.item(row, AUTHOR_COLUMN).text() == "มานี มีงาน"

    queue.author.setCurrentIndex(queue.author.findData(second_clerk))
    assert ids(queue) == [second]
    queue.author.setCurrentIndex(0)
    assert first in ids(queue)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    type_keys(queue.since, f"{tomorrow.day}/{tomorrow.month}/{tomorrow.year + 543}")
    queue.since.editingFinished.emit()
    assert ids(queue) == []
    assert "ไม่มี" in queue.status.text()
    queue.grab().save(str(SHOTS / "review_queue.png"))


def test_batch_approves_the_clean_ones_after_a_confirmation(
    qtbot, demo, runner, language, second_clerk
) -> None:
    language("th")
    clash, other = in_conflict_and_clean(demo, second_clerk)
    queue = shown(qtbot, ReviewQueue(demo.db, runner, demo.supervisor))
    select(queue, clash, other)
    assert queue.batch_button.isEnabled()
    queue.batch_button.click()
    box = queue.confirmation
    assert box is not None and box.isVisible()
    assert "ไม่มีข้อขัดแย้ง" not in box.informativeText()
    assert box.informativeText().count("•") == 2  # one to approve, one left out
    box.grab().save(str(SHOTS / "batch_confirmation.png"))
    # Nothing is approved before the supervisor confirms.
    state = submissions.get_submission(demo.db, second_clerk, other).submission.state
    assert state is SubmissionState.SUBMITTED
    box.button(QMessageBox.StandardButton.Yes).click()
    assert submissions.get_submission(demo.db, second_clerk, other).submission.state is (
        SubmissionState.APPROVED
    )
    assert submissions.get_submission(demo.db, second_clerk, clash).submission.state is (
        SubmissionState.SUBMITTED
    )
    assert clash in ids(queue) and other not in ids(queue)
    assert "1" in queue.status.text()


def test_the_batch_can_be_cancelled(qtbot, demo, runner, second_clerk) -> None:
    b = free_person_ids(demo.db)[1]
    other = by(demo, second_clerk, b, salary="33000")
    queue = shown(qtbot, ReviewQueue(demo.db, runner, demo.supervisor))
    select(queue, other)
    queue.batch_button.click()
    queue.confirmation.button(QMessageBox.StandardButton.Cancel).click()
    state = submissions.get_submission(demo.db, second_clerk, other).submission.state
    assert state is SubmissionState.SUBMITTED and other in ids(queue)


def test_ones_own_submission_cannot_be_batch_approved(qtbot, demo, runner) -> None:
    own = by(demo, demo.supervisor, free_person_ids(demo.db)[0], salary="31000")
    queue = shown(qtbot, ReviewQueue(demo.db, runner, demo.supervisor))
    select(queue, own)
    assert not queue.batch_button.isEnabled()
    assert queue.table.item(ids(queue).index(own), AUTHOR_COLUMN).text().endswith(")")


def test_a_waiting_change_in_conflict_is_marked_in_the_queue(
    qtbot, demo, runner, language, second_clerk
) -> None:
    """The official salary moved after the second clerk's base (another change to it was
    approved): the queue says so before the supervisor opens it, and can show only those."""
    language("th")
    clash, clean = in_conflict_and_clean(demo, second_clerk)
    queue = shown(qtbot, ReviewQueue(demo.db, runner, demo.supervisor))

    cell = queue.table.item(ids(queue).index(clash), CONFLICT_COLUMN)
    assert cell.text() == "ข้อขัดแย้ง 1 ช่อง"
    assert "เงินเดือน" in cell.toolTip()
    assert queue.table.item(ids(queue).index(clean), CONFLICT_COLUMN).text() == ""
    queue.grab().save(str(SHOTS / "review_queue_conflict.png"))

    queue.conflicts_only.click()
    assert clash in ids(queue) and clean not in ids(queue)
    queue.conflicts_only.click()
    assert clean in ids(queue)
