"""The decision view with real widgets (issue 6): base → proposed, Return with a required
reason and a field comment, the conflict picker in front of Approve, and no Approve for
one's own submission."""

from __future__ import annotations

from decimal import Decimal

from app.domain.entities import SubmissionState
from app.services import decisions, people, submissions
from tests.fixtures_db import free_person_ids
from tests.ui.editor_fixtures import shown, submitted, type_thai
from tests.ui.session_helpers import SHOTS
from ui.decision_view import DecisionView


def cells(view: DecisionView, row: int) -> list[str]:
    return [view.table.item(row, col).text() for col in range(4)]


def test_it_shows_base_to_proposed_and_returns_only_with_a_reason(
    qtbot, demo, runner, language
) -> None:
    language("th")
    pid = free_person_ids(demo.db)[0]
    sid = submitted(demo, pid, salary="31000")
    view = shown(qtbot, DecisionView(demo.db, runner, demo.supervisor, sid))
    label, base, _official, proposed = cells(view, 0)
    assert label == "เงินเดือน" and proposed == "31,000" and base and base != proposed
    assert view.table.isColumnHidden(2)  # the official record did not move
    assert view.approve_button.isVisible() and view.approve_button.isEnabled()

    view.return_button.click()
    assert "เหตุผล" in view.error.text()
    assert submissions.get_submission(demo.db, demo.clerk, sid).submission.state is (
        SubmissionState.SUBMITTED
    )
    type_thai(view.reason, "เงินเดือนไม่ตรงกับคำสั่ง")
    view.comment(0, "ตรวจคำสั่งเลื่อนขั้น")
    view.grab().save(str(SHOTS / "decision_view.png"))
    view.return_button.click()
    sub = submissions.get_submission(demo.db, demo.clerk, sid).submission
    assert sub.state is SubmissionState.RETURNED
    assert sub.return_reason == "เงินเดือนไม่ตรงกับคำสั่ง"
    assert sub.field_comments == {"person:salary": "ตรวจคำสั่งเลื่อนขั้น"}
    assert not view.return_button.isVisible()


def _two_salaries(demo, second_clerk) -> tuple[str, str, str]:
    """Two clerks' submissions waiting, proposing two salaries for one person: (person,
    first, second)."""
    pid = free_person_ids(demo.db)[0]
    first = submitted(demo, pid, salary="31000")
    second = submissions.start_draft(demo.db, second_clerk, person_id=pid).submission.id
    submissions.save_draft(demo.db, second_clerk, second, fields={"salary": "32000"})
    submissions.submit(demo.db, second_clerk, second)
    return pid, first, second


def test_a_conflict_must_be_picked_before_approve_and_the_pick_applies(
    qtbot, demo, runner, language, second_clerk
) -> None:
    language("th")
    pid, first, second = _two_salaries(demo, second_clerk)
    decisions.approve(demo.db, demo.supervisor, first)

    view = shown(qtbot, DecisionView(demo.db, runner, demo.supervisor, second))
    assert view.picker is not None
    _label, _base, official, proposed = cells(view, 0)
    assert (official, proposed) == ("31,000", "32,000") and not view.table.isColumnHidden(2)
    assert view.approve_button.isVisible() and not view.approve_button.isEnabled()
    view.grab().save(str(SHOTS / "decision_conflict.png"))
    view.approve_button.click()  # refused while disabled
    assert people.get_person(demo.db, demo.supervisor, pid).person.salary == Decimal("31000")

    view.picker.pick("person:salary", "proposed")
    assert view.approve_button.isEnabled()
    view.approve_button.click()
    assert people.get_person(demo.db, demo.supervisor, pid).person.salary == Decimal("32000")
    assert submissions.get_submission(demo.db, second_clerk, second).submission.state is (
        SubmissionState.APPROVED
    )


def test_another_value_can_be_typed_for_a_conflict(qtbot, demo, runner, second_clerk) -> None:
    pid, first, second = _two_salaries(demo, second_clerk)
    decisions.approve(demo.db, demo.supervisor, first)
    view = shown(qtbot, DecisionView(demo.db, runner, demo.supervisor, second))
    view.picker.pick("person:salary", "other")
    assert not view.approve_button.isEnabled()
    qtbot.keyClicks(view.picker.others["person:salary"], "31500")
    assert view.approve_button.isEnabled()
    view.approve_button.click()
    assert people.get_person(demo.db, demo.supervisor, pid).person.salary == Decimal("31500")


def test_ones_own_submission_shows_no_approve(qtbot, demo, runner, language) -> None:
    language("th")
    pid = free_person_ids(demo.db)[0]
    own = submissions.start_draft(demo.db, demo.supervisor, person_id=pid).submission.id
    submissions.save_draft(demo.db, demo.supervisor, own, fields={"salary": "31000"})
    submissions.submit(demo.db, demo.supervisor, own)
    view = shown(qtbot, DecisionView(demo.db, runner, demo.supervisor, own))
    assert not view.approve_button.isVisible() and not view.return_button.isVisible()
    assert view.note.text()


def test_a_slot_another_approval_filled_first_is_shown_at_the_decision(
    qtbot, demo, runner, language
) -> None:
    """Two waiting appointments to one vacant slot: once the first is approved, the second's
    decision says the slot is taken, in Thai, before Approve is pressed; Approve then
    changes nothing."""
    from app.services import structure
    from tests.fixtures_db import person_record, valid_citizen_id

    language("th")
    [slot] = structure.vacant_slots(demo.db, demo.clerk, limit=1)
    sids = []
    for digits in ("110170020401", "110170020402"):
        sid = submissions.start_draft(demo.db, demo.clerk).submission.id
        fields = person_record("สมศรี", "ทองดี", valid_citizen_id(digits),
                               category="local_official", position_id=slot.id,
                               position_type=slot.position_type, level=slot.level_min)  # fmt: skip
        submissions.save_draft(demo.db, demo.clerk, sid, fields=fields)
        submissions.submit(demo.db, demo.clerk, sid)
        sids.append(sid)
    first = shown(qtbot, DecisionView(demo.db, runner, demo.supervisor, sids[0]))
    assert first.error.text() == ""  # the slot is vacant yet
    decisions.approve(demo.db, demo.supervisor, sids[0])

    view = shown(qtbot, DecisionView(demo.db, runner, demo.supervisor, sids[1]))
    assert slot.position_number in view.error.text() and "มีผู้ครองแล้ว" in view.error.text()
    view.approve_button.click()
    assert submissions.get_submission(demo.db, demo.clerk, sids[1]).submission.state is (
        SubmissionState.SUBMITTED
    )
    assert "มีผู้ครองแล้ว" in view.error.text()


def test_a_competing_submission_is_said_before_either_is_approved(
    qtbot, demo, runner, second_clerk, language
) -> None:
    """Issue 15: two waiting submissions changing one field were not flagged."""
    language("th")
    _pid, first, _second = _two_salaries(demo, second_clerk)

    view = shown(qtbot, DecisionView(demo.db, runner, demo.supervisor, first))
    qtbot.waitUntil(lambda: view.detail is not None, timeout=3000)
    assert view.competing.isVisible()
    assert "มานี มีงาน" in view.competing.text() and "เงินเดือน" in view.competing.text()
    view.grab().save(str(SHOTS / "decision_competing.png"))


def test_a_citizen_id_is_shown_grouped_as_on_the_card(qtbot, demo, runner, language) -> None:
    """Issue 15: citizen IDs were unformatted in the decision and history views."""
    language("th")
    pid = free_person_ids(demo.db)[0]
    sid = submitted(demo, pid, citizen_id="3249800008341")
    view = shown(qtbot, DecisionView(demo.db, runner, demo.supervisor, sid))
    qtbot.waitUntil(lambda: view.detail is not None, timeout=3000)
    cells = [
        view.table.item(r, c).text()
        for r in range(view.table.rowCount())
        for c in range(view.table.columnCount())
        if view.table.item(r, c) is not None
    ]
    assert "3-2498-00008-34-1" in cells and "3249800008341" not in cells
