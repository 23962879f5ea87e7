"""The changes the central did not accept: each listed with the reason in Thai words a clerk
understands and what to do, opened, and set aside."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.domain.entities import Role
from app.services import outbox
from app.store.db import Database
from tests import fixtures_db
from tests.fixtures_db import Demo
from tests.ui import session_helpers as helpers
from tests.ui.session_helpers import SHOTS
from ui.attention_panel import REASONS, AttentionPanel, reason_key
from ui.session import Session
from ui.tasks import TaskRunner

# Fixtures shared with the other start-up tests.
demo = fixtures_db.demo
demo_template = fixtures_db.demo_template
thai = helpers.thai


@pytest.fixture
def runner(qapp) -> Iterator[TaskRunner]:
    runner = TaskRunner(synchronous=True)
    yield runner
    runner.shutdown()


def refuse(db: Database, answers: list[tuple[str, str, list]]) -> list[outbox.QueuedOp]:
    """The central answers the first waiting ops of submissions with (status, code,
    conflicts) each."""
    ops = [op for op in outbox.unanswered(db) if op.kind.startswith("submission.")]
    ops = ops[: len(answers)]
    outbox.mark_sent(db, [op.op_id for op in ops])
    outbox.record_results(db, [
        {"op_id": op.op_id, "status": status, "code": code, "message": f"the central: {code}",
         "conflicts": conflicts}
        for op, (status, code, conflicts) in zip(ops, answers, strict=True)
    ])  # fmt: skip
    return ops


def clerk_session(demo: Demo) -> Session:
    account = demo.account(Role.CLERK)
    return Session(account.user_id, account.username, "สุภาพร", Role.CLERK, demo.org_id)


CONFLICT = {"key": "salary", "target": "person", "row_id": None, "field": "salary",
            "base": "15000", "official": "16000", "proposed": "17000"}  # fmt: skip


def test_each_item_says_what_happened_and_what_to_do_in_thai(qtbot, runner, demo, thai) -> None:
    ops = refuse(demo.db, [
        ("rejected", "forbidden", []),
        ("conflict", "stale_version", [CONFLICT]),
        ("rejected", "body_too_large", []),
    ])  # fmt: skip
    panel = AttentionPanel(runner, demo.db, clerk_session(demo))
    qtbot.addWidget(panel)
    panel.show()

    assert panel.list.count() == 3
    assert "3" in panel.summary.text() or "๓" in panel.summary.text()
    first = panel.list.item(0).text()
    assert "ร่าง" in first  # the kind of change, in Thai: a draft
    assert "สิทธิ์" in panel.detail.text()  # forbidden: your account may not
    assert "the central: forbidden" in panel.detail.text()  # the central's words, for IT
    assert panel.open.isEnabled()
    panel.grab().save(str(SHOTS / "attention-panel.png"))

    panel.list.setCurrentRow(1)
    assert "ผู้บังคับบัญชา" in panel.detail.text()  # the supervisor settles the fields again

    opened: list[str] = []
    panel.open_submission.connect(opened.append)
    panel.open.click()
    assert opened == [ops[1].entity_id]


def test_setting_an_item_aside_takes_it_off_the_list(qtbot, runner, demo) -> None:
    refuse(demo.db, [("rejected", "invalid_transition", []), ("rejected", "not_found", [])])
    panel = AttentionPanel(runner, demo.db, clerk_session(demo))
    qtbot.addWidget(panel)
    panel.list.setCurrentRow(0)
    kept = panel.current.item.op_id if panel.current else None

    panel.list.setCurrentRow(1)
    panel.dismiss.click()

    assert panel.list.count() == 1
    assert panel.current is not None and panel.current.item.op_id == kept
    assert outbox.counts(demo.db).attention == 1
    panel.dismiss.click()
    assert panel.list.count() == 0 and not panel.dismiss.isEnabled()
    assert outbox.counts(demo.db).attention == 0
    assert panel.summary.text()  # says nothing needs attention


@pytest.mark.parametrize(
    ("state", "code", "key"),
    [
        ("conflict", "conflict", "conflict"),
        ("conflict", None, "conflict"),
        ("rejected", "invalid_input", "bad_payload"),
        ("rejected", "permission_denied", "forbidden"),
        ("rejected", "author_mismatch", "account"),
        ("rejected", "actor_mismatch", "account"),
        ("rejected", "id_taken", "identity"),
        ("rejected", "bad_time", "identity"),
        ("rejected", "audit_chain_fork", "audit_trail"),
        ("rejected", "something_new", "other"),
        ("rejected", None, "other"),
    ],
)
def test_every_code_has_words(state, code, key) -> None:
    item = outbox.Attention("op", "submission.submit", "s", "u", "", None, state, code, None, ())  # type: ignore[arg-type]
    assert reason_key(item) == key and key in REASONS


def test_every_refusal_the_central_answers_has_words_of_its_own() -> None:
    """A code the central's push can answer (sync/central) is told in words of its own, not
    as "the central did not accept this change", unless the PC sends the op again by
    itself (outbox.RETRY_CODES: the user never sees it)."""
    import re
    from pathlib import Path

    import sync.central

    folder = Path(sync.central.__file__).parent
    source = "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.py")))
    codes = set(re.findall(r'Rejected\(\s*"([a-z_]+)"', source))
    codes |= set(re.findall(r'\bcode="([a-z_]+)"', source))
    assert {"id_taken", "audit_chain_fork", "out_of_scope"} <= codes  # the scan finds them
    for code in sorted(codes - outbox.RETRY_CODES - {"internal"}):
        item = outbox.Attention(
            "op", "submission.submit", "s", "u", "", None, "rejected", code, None, ()
        )  # type: ignore[arg-type]
        assert reason_key(item) != "other", code


def test_every_refusal_of_the_structure_rules_has_words_of_its_own() -> None:
    """Every code app.domain.structure refuses with (the desktop and the central alike) is
    told in words of its own in the attention list."""
    import re
    from pathlib import Path

    import app.domain.structure

    source = Path(app.domain.structure.__file__).read_text(encoding="utf-8")
    codes = set(re.findall(r'(?:StructureError|SlotTaken)\(\s*"([a-z_]+)"', source))
    assert {"unit_not_empty", "position_number_taken", "unit_cycle", "slot_not_vacant"} <= codes
    for code in sorted(codes):
        item = outbox.Attention(
            "op", "position.save", "s", "u", "", None, "rejected", code, None, ()
        )  # type: ignore[arg-type]
        assert reason_key(item) != "other", code


def test_every_structure_refusal_reads_in_words_with_its_numbers(qapp) -> None:
    """The desktop's own refusals (a unit that cannot close, a slot taken at the approval)
    are told in words, with the numbers they carry, never as a bare code."""
    import re
    from pathlib import Path

    import app.domain.structure
    from app.domain.structure import StructureError
    from ui import texts

    source = Path(app.domain.structure.__file__).read_text(encoding="utf-8")
    calls = re.findall(r'(?:StructureError|SlotTaken)\(\s*"([a-z_]+)"', source)
    params = {"max": 8, "min": 2500, "people": 2, "slots": 3, "units": 1, "number": "34-1-001"}
    for code in sorted(set(calls)):
        text = texts.error_text(StructureError(code, "-", **params))
        assert code not in text and "{" not in text, (code, text)
    closing = texts.error_text(StructureError("unit_not_empty", "-", people=2, slots=3, units=1))
    assert "2" in closing and "3" in closing
