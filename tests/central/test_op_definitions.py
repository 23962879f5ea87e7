"""One definition of each op (issue 13): every op kind has its payload model, its central
handler, its label in the desktop's attention list and a rule that keeps its local rows from
being overwritten by a pull before the central has answered it; every op the desktop writes
fits its kind's model; the OpenAPI document shows every payload.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.services import decisions, replica, structure, submissions
from app.store.models import SubmissionModel
from app.store.replicated import MODELS
from sync.central.push import HANDLERS
from sync.protocol import OpKind
from sync.protocol.ops import PAYLOADS, parse_payload
from tests.fixtures_db import (  # noqa: F401
    demo,
    demo_template,
    free_person_ids,
    last_seq,
    ops_after,
    returned_then_approved,
)
from ui.attention_panel import KINDS as LABELS


def _submission_rows(session: Any, op: dict[str, Any]) -> set[tuple[str, str]]:
    return {("submission", op["entity_id"])}


def _decision_rows(session: Any, op: dict[str, Any]) -> set[tuple[str, str]]:
    return _submission_rows(session, op) | {("decision", op["payload"]["decision_id"])}


def _approval_rows(session: Any, op: dict[str, Any]) -> set[tuple[str, str]]:
    sub = session.get(SubmissionModel, op["entity_id"])
    return _decision_rows(session, op) | {("person", sub.person_id)}


def _no_rows(session: Any, op: dict[str, Any]) -> set[tuple[str, str]]:
    # audit events are the PC's own chain: no pull ever writes them
    assert "audit_event" not in MODELS
    return set()


def _structure_rows(table: str) -> Callable[[Any, dict[str, Any]], set[tuple[str, str]]]:
    def rows(session: Any, op: dict[str, Any]) -> set[tuple[str, str]]:
        return {(table, op["entity_id"])}

    return rows


# kind → the local rows an unanswered op of that kind keeps from a pull
LOCAL_ROWS: dict[OpKind, Callable[[Any, dict[str, Any]], set[tuple[str, str]]]] = {
    OpKind.SUBMISSION_SAVE: _submission_rows,
    OpKind.SUBMISSION_SUBMIT: _submission_rows,
    OpKind.SUBMISSION_WITHDRAW: _submission_rows,
    OpKind.SUBMISSION_RETURN: _decision_rows,
    OpKind.SUBMISSION_APPROVE: _approval_rows,
    OpKind.AUDIT_APPEND: _no_rows,
    OpKind.UNIT_SAVE: _structure_rows("org_unit"),
    OpKind.UNIT_CLOSE: _structure_rows("org_unit"),
    OpKind.POSITION_SAVE: _structure_rows("position"),
    OpKind.PLAN_SAVE: _structure_rows("staffing_plan"),
}


def test_every_op_kind_has_a_model_a_handler_a_label_and_a_local_rule() -> None:
    missing = {
        str(kind): [
            what
            for what, table in (
                ("payload model", PAYLOADS),
                ("central handler", HANDLERS),
                ("attention label", LABELS),
                ("local protection", LOCAL_ROWS),
            )
            if kind not in table
        ]
        for kind in OpKind
    }
    assert {k: v for k, v in missing.items() if v} == {}


def _every_kind_of_op(demo) -> list[dict[str, Any]]:  # noqa: F811
    """A demo office's clerk and supervisor do everything once: the ops written."""
    db = demo.db
    start = last_seq(db)
    first, second = free_person_ids(db)[:2]
    returned_then_approved(demo, first, "แนบคำสั่ง", "21000", "21500.50")
    sid = submissions.start_draft(db, demo.clerk, person_id=second).submission.id
    row = {"kind": "education", "education_level": "master", "degree": "รัฐศาสตรมหาบัณฑิต",
           "graduated_date": "2016-05-20"}  # fmt: skip
    edits = submissions.HistoryEdits(upsert=(row,))
    submissions.save_draft(db, demo.clerk, sid, fields={"first_name_th": "มานี"}, history=edits)
    submissions.submit(db, demo.clerk, sid)
    decisions.approve(db, demo.supervisor, sid)
    new = submissions.start_draft(db, demo.clerk).submission.id
    submissions.withdraw(db, demo.clerk, new)
    unit = structure.save_unit(db, demo.admin, unit_id=None, name="กองทดลอง",
                               unit_kind="division", parent_id=None)  # fmt: skip
    slot = structure.save_slot(db, demo.admin, structure.SlotInput(
        None, "99-1-001", "นักจัดการงานทั่วไป", "2105", "academic", "academic_practitioner",
        None, "local_official", unit))  # fmt: skip
    structure.set_slot_state(db, demo.admin, slot, "cut")
    structure.close_unit(db, demo.admin, unit)
    line = structure.save_plan_line(db, demo.admin, structure.PlanLineInput(
        None, 2569, "นักจัดการงานทั่วไป", "academic", None, None, (1, 1, 2)))  # fmt: skip
    structure.delete_plan_line(db, demo.admin, line)
    return ops_after(db, start)


def test_every_op_the_desktop_writes_fits_its_model(demo) -> None:  # noqa: F811
    ops = _every_kind_of_op(demo)
    assert {op["kind"] for op in ops} == {str(k) for k in OpKind}
    for op in ops:
        parse_payload(OpKind(op["kind"]), op["payload"])  # raises PayloadError otherwise


def test_an_unanswered_op_keeps_its_local_rows_from_a_pull(demo) -> None:  # noqa: F811
    ops = _every_kind_of_op(demo)
    with demo.db.reading() as session:
        protected = replica._protected(session)
        for op in ops:
            expected = LOCAL_ROWS[OpKind(op["kind"])](session, op)
            assert expected <= protected, op["kind"]


def test_the_openapi_document_shows_every_payload(client) -> None:
    schema = client.get("/openapi.json").json()
    payload = schema["components"]["schemas"]["Op"]["properties"]["payload"]
    titles = " ".join(s["title"] for s in payload["anyOf"])
    for kind, model in PAYLOADS.items():
        assert str(kind) in titles and model.__name__ in titles
