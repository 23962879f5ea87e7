"""My submissions: the clerk's drafts, submitted, returned and approved changes, a returned
one with the supervisor's reason and fields to fix, reopened in the editor from the keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.domain.entities import SubmissionState
from app.services import decisions, people, submissions
from tests.fixtures_db import free_person_ids
from tests.ui.editor_fixtures import returned, shown, submitted
from tests.ui.session_helpers import SHOTS
from ui.my_submissions import MySubmissions
from ui.person_editor import PersonEditor

S = SubmissionState


@pytest.fixture
def office(demo):
    """The demo clerk's submissions, plus one returned with a comment and one approved."""
    pid, other = free_person_ids(demo.db)[:2]
    back = returned(demo, pid, "เงินเดือนไม่ตรงกับคำสั่ง", {"salary": "ดูคำสั่งที่ 12/2567"})
    approved = submitted(demo, other, first_name_en="Somchai")
    decisions.approve(demo.db, demo.supervisor, approved)
    return demo, back, approved, people.get_person(demo.db, demo.clerk, pid).person


@pytest.fixture
def screen(qtbot, office, runner, language) -> MySubmissions:
    language("th")
    demo = office[0]
    widget = MySubmissions(demo.db, runner, demo.clerk)
    widget.resize(1000, 560)
    return shown(qtbot, widget)


def column(screen: MySubmissions, col: int) -> list[str]:
    return [screen.table.item(r, col).text() for r in range(screen.table.rowCount())]


def test_lists_every_state_with_the_returned_ones_first(screen, office) -> None:
    demo, back, _, person = office
    mine = submissions.list_submissions(demo.db, demo.clerk, author_id=demo.clerk)
    states = column(screen, 0)

    assert len(states) == len(mine) == 9
    assert states[0] == "ส่งกลับแก้ไข"
    assert states.index("ฉบับร่าง") < states.index("รออนุมัติ") < states.index("อนุมัติแล้ว")
    assert screen.current_id() == back
    assert column(screen, 1)[0].endswith(f"{person.first_name_th} {person.last_name_th}")
    assert "ส่งกลับแก้ไข 1" in screen.counts.text()
    assert "อนุมัติแล้ว 1" in screen.counts.text()
    screen.grab().save(str(SHOTS / "my_submissions.png"))


def test_a_returned_one_shows_the_reason_and_the_fields_to_fix(screen) -> None:
    assert "เงินเดือนไม่ตรงกับคำสั่ง" in screen.detail.text()
    assert "เงินเดือน: ดูคำสั่งที่ 12/2567" in screen.detail.text()

    screen.table.setCurrentCell(screen.table.rowCount() - 1, 0)  # an approved one
    assert screen.detail.text() == ""


def test_a_new_person_draft_is_named_by_what_was_typed(screen, office) -> None:
    demo = office[0]
    new = [s for s in submissions.list_submissions(demo.db, demo.clerk) if s.kind == "new"]
    [draft] = new
    name = f"{draft.changes['first_name_th'][1]} {draft.changes['last_name_th'][1]}"
    assert any(name in shown for shown in column(screen, 1))
    assert "บุคคลใหม่" in column(screen, 3)


def test_the_filter_shows_one_state(screen) -> None:
    screen.filter.setCurrentIndex(screen.filter.findData(str(S.DRAFT)))

    assert set(column(screen, 0)) == {"ฉบับร่าง"}
    assert screen.table.rowCount() == 4


def test_enter_reopens_a_returned_one_in_the_editor(screen, office, qtbot, runner) -> None:
    demo, back, _, _ = office
    screen.table.setFocus()

    with qtbot.waitSignal(screen.open_submission) as opened:
        QTest.keyClick(screen.table, Qt.Key.Key_Return)

    assert opened.args == [back]
    editor = PersonEditor(demo.db, runner, demo.clerk, submission_id=back)
    qtbot.addWidget(editor)
    assert "เงินเดือนไม่ตรงกับคำสั่ง" in editor.header.reason.text()
    assert editor.position.fields["salary"].widget.property("fix") is True


def test_refresh_shows_a_change_made_elsewhere(screen, office) -> None:
    demo, back, _, _ = office
    submissions.withdraw(demo.db, demo.clerk, back)

    screen.refresh()

    assert "ส่งกลับแก้ไข" not in column(screen, 0)
    assert "ถอนแล้ว" in column(screen, 0)


def test_showing_the_screen_again_reads_the_list_again(screen, office) -> None:
    demo, back, _, _ = office
    screen.hide()
    submissions.withdraw(demo.db, demo.clerk, back)

    screen.show()

    assert "ส่งกลับแก้ไข" not in column(screen, 0)
