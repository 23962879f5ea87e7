"""The person editor, driven as a clerk drives it: Thai typed through the input method,
digits key by key, choices picked, and the draft saved by itself as the clerk types."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from app.domain.entities import SubmissionState
from app.services import decisions, people, submissions
from app.store.db import open_database
from app.store.models import PersonModel
from tests.fixtures_db import free_person_ids
from tests.ui.editor_fixtures import clear, leave, returned, shown, submitted, type_keys, type_thai
from tests.ui.session_helpers import SHOTS
from ui import person_editor
from ui.person_editor import PersonEditor
from ui.tasks import Lane, Task, TaskRunner

VALID_ID = "3249800008341"


@pytest.fixture(autouse=True)
def quick_autosave(monkeypatch) -> None:
    monkeypatch.setattr(person_editor, "AUTOSAVE_MS", 30)


@pytest.fixture
def open_editor(qtbot, demo, runner, language) -> Callable[..., PersonEditor]:
    """``open_editor(person_id=…)``: an editor for the demo clerk, shown and active, in Thai."""
    language("th")

    def make(*, db=None, task_runner=None, user=None, **kwargs) -> PersonEditor:
        editor = PersonEditor(db or demo.db, task_runner or runner, user or demo.clerk, **kwargs)
        editor.resize(1000, 720)
        return shown(qtbot, editor)

    return make


def field(editor: PersonEditor, name: str):
    for form in editor.forms:
        if name in form.fields:
            return form.fields[name]
    raise KeyError(name)


def saved(editor: PersonEditor) -> bool:
    return editor.submission_id is not None and not editor.has_unsaved_changes()


def stored(demo, editor: PersonEditor) -> dict:
    return submissions.get_submission(demo.db, demo.clerk, editor.submission_id).proposed


def pick(editor: PersonEditor, name: str, value: str) -> None:
    combo = field(editor, name).widget
    combo.setFocus()
    combo.setCurrentIndex(combo.findData(value))


def test_a_new_person_typed_in_thai_is_saved_as_typed_and_sent_for_approval(
    open_editor, demo, qtbot
) -> None:
    editor = open_editor()
    assert editor.header.title() == "บุคคลใหม่"
    cid = field(editor, "citizen_id")

    type_keys(cid.widget, VALID_ID[:-1] + "2")  # one wrong digit
    assert cid.message.isVisible()
    assert "หลักสุดท้าย" in cid.message.text()
    assert cid.message.property("severity") == "error"
    QTest.keyClick(cid.widget, Qt.Key.Key_Backspace)
    type_keys(cid.widget, "1")
    assert not cid.message.isVisible()

    pick(editor, "prefix", "mr")
    type_thai(field(editor, "first_name_th").widget, "สมชาย")
    type_thai(field(editor, "last_name_th").widget, "ใจดี")
    type_keys(field(editor, "birth_date").widget, "31/1/2533")
    pick(editor, "gender", "male")
    editor.tabs.setCurrentIndex(1)
    pick(editor, "category", "general_contract")
    type_keys(field(editor, "salary").widget, "12000")
    type_keys(field(editor, "appointment_date").widget, "1/10/2558")
    leave(field(editor, "appointment_date").widget)

    qtbot.waitUntil(lambda: saved(editor), timeout=3000)
    record = stored(demo, editor)
    assert record["citizen_id"] == VALID_ID
    assert (record["first_name_th"], record["last_name_th"]) == ("สมชาย", "ใจดี")
    assert record["birth_date"] == "1990-01-31"
    assert record["salary"] == "12000"
    assert editor.header.title() == "นายสมชาย ใจดี"
    assert "ฉบับร่าง" in editor.header.state.text()
    assert "บันทึกแล้ว" in editor.footer.status.text()

    QTest.keyClick(editor.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    sub = submissions.get_submission(demo.db, demo.clerk, editor.submission_id).submission
    assert sub.state is SubmissionState.SUBMITTED
    assert "รออนุมัติ" in editor.header.state.text()
    assert field(editor, "first_name_th").widget.isReadOnly()
    assert not editor.footer.submit_button.isVisible()
    editor.grab().save(str(SHOTS / "person_editor_submitted.png"))


def test_sending_an_incomplete_record_names_the_fields_to_fill(open_editor, demo) -> None:
    editor = open_editor()
    type_thai(field(editor, "first_name_th").widget, "สมศรี")
    first = field(editor, "last_name_th")
    assert not first.message.isVisible()  # not nagged while typing a new record

    editor.submit()

    assert first.message.isVisible()
    assert first.message.text() == "ต้องกรอก"
    assert editor.submission_id is not None  # what was typed is kept
    state = submissions.get_submission(demo.db, demo.clerk, editor.submission_id).submission.state
    assert state is SubmissionState.DRAFT
    assert "ยังไม่ได้ส่ง" in editor.footer.status.text()
    assert QApplication.focusWidget() is field(editor, "citizen_id").widget


def test_a_be_date_typed_as_31_1_2563_is_stored_as_2020_01_31(open_editor, demo, qtbot) -> None:
    pid = free_person_ids(demo.db)[0]
    editor = open_editor(person_id=pid)
    birth = field(editor, "birth_date")
    clear(birth.widget)
    type_keys(birth.widget, "31/1/2563")
    leave(birth.widget)

    assert birth.widget.text() == "31 มกราคม 2563"
    qtbot.waitUntil(lambda: saved(editor), timeout=3000)
    assert stored(demo, editor)["birth_date"] == "2020-01-31"


def test_fields_that_differ_from_the_official_record_are_marked(open_editor, demo, qtbot) -> None:
    pid = free_person_ids(demo.db)[0]
    official = people.get_person(demo.db, demo.clerk, pid).person
    editor = open_editor(person_id=pid)
    assert "ข้อมูลในทะเบียน" in editor.header.state.text()  # looking makes no draft
    assert editor.submission_id is None
    editor.tabs.setCurrentIndex(1)
    salary = field(editor, "salary")
    assert salary.widget.property("differs") is not True

    clear(salary.widget)
    type_keys(salary.widget, "99000")

    assert salary.widget.property("differs") is True
    assert f"{official.salary:,.0f}" in salary.widget.toolTip()
    assert "1 ช่อง" in editor.footer.differences.text()
    assert editor.tabs.tabText(1).endswith("•")
    qtbot.waitUntil(lambda: saved(editor), timeout=3000)
    assert stored(demo, editor)["salary"] == "99000"
    editor.grab().save(str(SHOTS / "person_editor_position.png"))


def test_levels_offered_are_those_of_the_position_type(open_editor, demo) -> None:
    editor = open_editor()
    editor.tabs.setCurrentIndex(1)
    level = field(editor, "level").widget
    assert not level.isEnabled()  # no type chosen yet

    pick(editor, "position_type", "general")
    assert level.values() == ["general_operational", "general_experienced", "general_senior"]
    assert level.itemText(1) == "ปฏิบัติงาน"
    pick(editor, "level", "general_senior")

    pick(editor, "position_type", "academic")
    assert level.values() == [
        "academic_practitioner",
        "academic_professional",
        "academic_senior_professional",
        "academic_expert",
    ]
    assert level.value() is None  # อาวุโส is no level of วิชาการ


def test_a_returned_submission_shows_the_reason_and_the_fields_to_fix(open_editor, demo) -> None:
    pid = free_person_ids(demo.db)[0]
    sid = returned(demo, pid, "เงินเดือนไม่ตรงกับคำสั่ง", {"salary": "ดูคำสั่งที่ 12/2567"})

    editor = open_editor(submission_id=sid)

    assert editor.header.reason.isVisible()
    assert "เงินเดือนไม่ตรงกับคำสั่ง" in editor.header.reason.text()
    assert "ส่งกลับแก้ไข" in editor.header.state.text()
    salary = field(editor, "salary")
    assert salary.widget.property("fix") is True
    assert "ดูคำสั่งที่ 12/2567" in salary.message.text()
    assert salary.widget.property("differs") is True
    assert field(editor, "prefix").widget.property("fix") is not True
    assert editor.footer.withdraw_button.isVisible()
    editor.tabs.setCurrentIndex(1)
    editor.grab().save(str(SHOTS / "person_editor_returned.png"))


def test_the_clerk_withdraws_a_returned_submission(open_editor, demo, monkeypatch) -> None:
    sid = returned(demo, free_person_ids(demo.db)[0], "ไม่ต้องปรับ")
    asked: list[str] = []

    def answer(_parent, _title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    editor = open_editor(submission_id=sid)
    editor.footer.withdraw_button.click()

    assert asked
    state = submissions.get_submission(demo.db, demo.clerk, sid).submission.state
    assert state is SubmissionState.WITHDRAWN
    assert "ถอนแล้ว" in editor.header.state.text()
    assert not editor.footer.withdraw_button.isVisible()
    assert field(editor, "salary").widget.isReadOnly()


def test_a_submitted_one_is_read_only_and_can_be_withdrawn_until_a_supervisor_decides(
    open_editor, demo, monkeypatch
) -> None:
    """Issue 5: the clerk can withdraw a submission until a supervisor decides."""
    pid = free_person_ids(demo.db)[0]
    sid = submitted(demo, pid, salary="31000")
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)

    editor = open_editor(person_id=pid)

    assert editor.submission_id == sid
    assert not editor.footer.submit_button.isVisible()
    assert field(editor, "salary").widget.isReadOnly()
    assert editor.footer.withdraw_button.isVisible()
    editor.footer.withdraw_button.click()
    state = submissions.get_submission(demo.db, demo.clerk, sid).submission.state
    assert state is SubmissionState.WITHDRAWN
    assert not editor.footer.withdraw_button.isVisible()


def test_a_history_row_added_from_the_keyboard_is_saved_with_the_draft(
    open_editor, demo, qtbot
) -> None:
    pid = free_person_ids(demo.db)[0]
    editor = open_editor(person_id=pid)
    tab = editor.history["training"]
    editor.tabs.setCurrentIndex(list(editor.history).index("training") + 2)
    tab.table.setFocus()

    QTest.keyClick(tab.table, Qt.Key.Key_Insert)
    course = tab.form.fields["course"]
    assert QApplication.focusWidget() is course.widget
    type_thai(course.widget, "การบริหารงานบุคคลท้องถิ่น")
    type_keys(tab.form.fields["start_date"].widget, "1/3/2567")
    type_keys(tab.form.fields["hours"].widget, "12")

    qtbot.waitUntil(lambda: saved(editor), timeout=3000)
    added = submissions.get_submission(demo.db, demo.clerk, editor.submission_id)
    [row] = added.submission.history.added
    assert (row["kind"], row["course"], row["start_date"], row["hours"]) == (
        "training", "การบริหารงานบุคคลท้องถิ่น", "2024-03-01", 12,
    )  # fmt: skip
    editor.grab().save(str(SHOTS / "person_editor_history.png"))


def test_an_official_history_row_deleted_and_restored(open_editor, demo, qtbot) -> None:
    pid = free_person_ids(demo.db)[0]
    editor = open_editor(person_id=pid)
    tab = editor.history["movement"]
    tab.table.setFocus()
    tab.table.setCurrentCell(0, 0)

    QTest.keyClick(tab.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: saved(editor), timeout=3000)
    sub = submissions.get_submission(demo.db, demo.clerk, editor.submission_id).submission
    assert len(sub.history.deleted) == 1
    assert tab.table.item(0, 0).font().strikeOut()

    QTest.keyClick(tab.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: saved(editor), timeout=3000)
    sub = submissions.get_submission(demo.db, demo.clerk, editor.submission_id).submission
    assert sub.history.is_empty()


def test_after_a_crash_the_reopened_editor_shows_what_was_typed(open_editor, demo, qtbot) -> None:
    pid = free_person_ids(demo.db)[0]
    editor = open_editor(person_id=pid)
    last = field(editor, "last_name_th")
    clear(last.widget)
    type_thai(last.widget, "ศรีสุวรรณ")
    qtbot.waitUntil(lambda: saved(editor), timeout=3000)

    # The power goes: no close event, no flush; the window just disappears.
    shiboken6.delete(editor)
    path = demo.db.path
    demo.db.engine.dispose()

    db = open_database(path)
    task_runner = TaskRunner(synchronous=True)
    try:
        again = open_editor(db=db, task_runner=task_runner, person_id=pid)
        assert field(again, "last_name_th").widget.text() == "ศรีสุวรรณ"
        assert field(again, "last_name_th").widget.property("differs") is True
        assert "ฉบับร่าง" in again.header.state.text()
    finally:
        task_runner.shutdown()
        db.close()


def test_tab_follows_the_form_and_shortcuts_reach_everything(open_editor, demo) -> None:
    editor = open_editor()
    start = field(editor, "citizen_id").widget
    assert QApplication.focusWidget() is start  # ready to type
    order = []
    widget = start
    for _ in range(9):
        order.append(widget)
        QTest.keyClick(widget, Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
    names = ["citizen_id", "prefix", "acting_rank", "first_name_th", "last_name_th",
             "first_name_en", "last_name_en", "birth_date", "gender"]  # fmt: skip
    assert order == [field(editor, n).widget for n in names]

    QTest.keyClick(widget, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert editor.tabs.currentIndex() == 1


def test_every_change_calls_the_sync_trigger(open_editor, demo, qtbot) -> None:
    calls: list[int] = []
    pid = free_person_ids(demo.db)[0]
    editor = open_editor(person_id=pid, local_change=lambda: calls.append(1))
    type_thai(field(editor, "first_name_en").widget, "x")
    qtbot.waitUntil(lambda: saved(editor), timeout=3000)
    assert calls == [1]


def test_the_autosave_runs_on_the_database_worker(open_editor, demo, qtbot) -> None:
    """With the real runner the save waits its turn on the database lane while the clerk
    goes on typing; what was typed meanwhile goes with the next save."""
    threaded = TaskRunner()
    gate = threading.Event()
    try:
        editor = open_editor(task_runner=threaded, person_id=free_person_ids(demo.db)[0])
        qtbot.waitUntil(lambda: editor.detail is not None, timeout=3000)
        Task(gate.wait, 10).run_on(threaded, Lane.DB)  # the database lane is busy
        first = field(editor, "first_name_en").widget
        clear(first)
        type_keys(first, "Sombat")
        qtbot.waitUntil(lambda: "กำลังบันทึก" in editor.footer.status.text(), timeout=3000)
        type_keys(first, "i")  # the GUI answers while the save waits
        assert first.text() == "Sombati"

        gate.set()
        qtbot.waitUntil(lambda: saved(editor), timeout=5000)
        assert stored(demo, editor)["first_name_en"] == "Sombati"
    finally:
        gate.set()
        threaded.shutdown(cancel=False)


def test_a_comment_on_a_history_row_marks_that_row(open_editor, demo) -> None:
    pid = free_person_ids(demo.db)[0]
    rows = people.get_person(demo.db, demo.clerk, pid).history
    movement = next(r for r in rows if r.KIND == "movement")
    key = f"history:{movement.id}:order_number"
    sid = returned(demo, pid, "ตรวจคำสั่ง", {key: "เลขที่คำสั่งผิด"})

    editor = open_editor(submission_id=sid)
    tab = editor.history["movement"]
    tab.table.setCurrentCell(0, 0)

    column = tab.columns.index("order_number")
    assert "เลขที่คำสั่งผิด" in tab.table.item(0, column).toolTip()
    order = tab.form.fields["order_number"]
    assert order.widget.property("fix") is True
    assert "เลขที่คำสั่งผิด" in order.message.text()


def test_ctrl_w_asks_the_host_to_close_the_editor(open_editor, qtbot) -> None:
    editor = open_editor()

    with qtbot.waitSignal(editor.close_requested, timeout=1000):
        QTest.keyClick(editor.focusWidget(), Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)


def test_a_field_that_cannot_be_read_keeps_the_record_from_being_sent(
    open_editor, demo, qtbot
) -> None:
    """Issue 15: a date showing "not a date" kept its last readable value, and Submit sent
    that. Now Submit names the field and sends nothing, even from inside the field."""
    pid = free_person_ids(demo.db)[0]
    editor = open_editor(person_id=pid)
    appointed = field(editor, "appointment_date").widget
    clear(appointed)
    type_keys(appointed, "1/10/2558")  # a real change, saved
    leave(appointed)
    qtbot.waitUntil(lambda: saved(editor), timeout=3000)
    birth = field(editor, "birth_date")
    clear(birth.widget)
    type_keys(birth.widget, "31/13/2523")  # no 13th month

    QTest.keyClick(birth.widget, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    status = editor.footer.status.text()
    assert "ยังไม่ได้ส่ง" in status and "วันเกิด" in status
    sub = submissions.get_submission(demo.db, demo.clerk, editor.submission_id).submission
    assert sub.state is SubmissionState.DRAFT  # nothing went
    assert QApplication.focusWidget() is birth.widget

    clear(birth.widget)
    type_keys(birth.widget, "31/1/2523")
    QTest.keyClick(birth.widget, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: (
            submissions.get_submission(demo.db, demo.clerk, editor.submission_id).submission.state
            is SubmissionState.SUBMITTED
        ),
        timeout=3000,
    )
    assert stored(demo, editor)["birth_date"] == "1980-01-31"


def test_an_acting_rank_is_in_the_editors_header(open_editor, demo) -> None:
    """Issue 15: "ว่าที่" was stored but not shown in the header."""
    pid = free_person_ids(demo.db)[0]
    with demo.db.transaction() as session:
        person = session.scalars(select(PersonModel).where(PersonModel.id == pid)).one()
        person.prefix, person.acting_rank = "police_sub_lieutenant_f", True
        name = f"{person.first_name_th} {person.last_name_th}"
    editor = open_editor(person_id=pid)
    assert editor.header.title() == f"ว่าที่ร้อยตำรวจตรีหญิง{name}"


def test_an_open_editor_shows_a_return_and_an_approval_made_elsewhere(
    open_editor, demo, qtbot
) -> None:
    """Issue 15: after a sync brought a return, the open editor still said "รออนุมัติ" with no
    reason; after an approval it still offered "ถอนเรื่อง…". A decision written by another
    user (here on this PC; a pull writes the same rows) now shows at once."""
    pid = free_person_ids(demo.db)[0]
    sid = submitted(demo, pid, salary="31000")
    editor = open_editor(person_id=pid)
    qtbot.waitUntil(lambda: editor.detail is not None, timeout=3000)
    assert "รออนุมัติ" in editor.header.state.text() and editor.footer.withdraw_button.isVisible()

    decisions.return_submission(demo.db, demo.supervisor, sid, "แนบคำสั่งเลื่อนขั้น")
    qtbot.waitUntil(lambda: editor.header.reason.isVisible(), timeout=3000)
    assert "แนบคำสั่งเลื่อนขั้น" in editor.header.reason.text()
    assert not field(editor, "salary").widget.isReadOnly()  # the clerk can fix it now

    other = free_person_ids(demo.db)[1]
    approved = submitted(demo, other, salary="32000")
    second = open_editor(person_id=other)
    qtbot.waitUntil(lambda: second.footer.withdraw_button.isVisible(), timeout=3000)
    decisions.approve(demo.db, demo.supervisor, approved)
    qtbot.waitUntil(lambda: "อนุมัติแล้ว" in second.header.state.text(), timeout=3000)
    assert not second.footer.withdraw_button.isVisible()
    assert field(second, "salary").widget.isReadOnly()
