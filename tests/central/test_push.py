"""Pushing ops to the central (DESIGN.md §3–§4), seen through HTTP as a PC sees it.

test_desktop_ops.py shows that the ops the real desktop writes for the usual paths are
applied. Here ops are written by hand, including ones no desktop writes, and each test
looks at what a PC notices: the answer of each op, and what a pull returns afterwards —
every action from every state of a submission, a conflict and its resolution, a rejected
op inside a batch, batches sent twice or cut off before their answer, and bad ops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.domain.ids import new_id
from tests.central.sync_helpers import (
    EDUCATION,
    SALARY,
    Caller,
    approved,
    content,
    error,
    latest,
    new_person,
    rows_of,
    submitted,
)


def _state(caller: Caller, sid: str) -> dict[str, Any]:
    change = latest(caller.changes(), "submission", sid)
    assert change is not None, f"the central has no submission {sid}"
    return change


# --- the state machine, op by op ---------------------------------------------------------

STATES = ["draft", "submitted", "returned", "approved", "withdrawn"]
ACTIONS = ["save", "submit", "withdraw", "approve", "return"]
# (state, action) → the state after it; every other pair is rejected as invalid_transition.
# A submit carries the whole submission, so from ``returned`` it is the edit back to a draft
# and the submit in one op.
MOVES = {
    ("draft", "save"): "draft",
    ("draft", "submit"): "submitted",
    ("draft", "withdraw"): "withdrawn",
    ("submitted", "withdraw"): "withdrawn",  # the author takes it back before a decision
    ("submitted", "approve"): "approved",
    ("submitted", "return"): "returned",
    ("returned", "save"): "draft",
    ("returned", "submit"): "submitted",
    ("returned", "withdraw"): "withdrawn",
}


def _reach(clerk: Caller, supervisor: Caller, state: str, n: int) -> list[tuple[str, dict]]:
    """``n`` new-person submissions brought to ``state``, a batch a step."""
    subs = [(new_id(), new_person()) for _ in range(n)]
    clerk.applied(*[clerk.save(sid, data) for sid, data in subs])
    if state == "withdrawn":
        clerk.applied(*[clerk.withdraw(sid) for sid, _ in subs])
    if state in ("submitted", "returned", "approved"):
        clerk.applied(*[clerk.submit(sid, data) for sid, data in subs])
    if state == "returned":
        supervisor.applied(*[supervisor.return_(sid, "แนบคำสั่งด้วย") for sid, _ in subs])
    if state == "approved":
        supervisor.applied(*[supervisor.approve(sid) for sid, _ in subs])
    return subs


@pytest.mark.parametrize("state", STATES)
def test_every_action_from_every_state(clerk, supervisor, state) -> None:
    subs = _reach(clerk, supervisor, state, len(ACTIONS))
    edited = {sid: {**data, "changes": {**data["changes"], "salary": [None, "16000"]}}
              for sid, data in subs}  # fmt: skip
    ops = {
        "save": lambda sid: clerk.save(sid, edited[sid]),
        "submit": lambda sid: clerk.submit(sid, edited[sid]),
        "withdraw": clerk.withdraw,
        "approve": supervisor.approve,
        "return": lambda sid: supervisor.return_(sid, "ตำแหน่งไม่ตรงกับคำสั่ง"),
    }
    by_action = dict(zip(ACTIONS, (sid for sid, _ in subs), strict=True))
    results = clerk.push(*[ops[a](by_action[a]) for a in ACTIONS[:3]])
    results += supervisor.push(*[ops[a](by_action[a]) for a in ACTIONS[3:]])
    before = {sid: data for sid, data in subs}
    after = rows_of(clerk.changes(), "submission")
    for action, result in zip(ACTIONS, results, strict=True):
        sid = by_action[action]
        row = after[sid]
        moved = MOVES.get((state, action))
        if moved is None:
            assert (result["status"], result["code"]) == ("rejected", "invalid_transition"), (
                action,
                result,
            )
            assert result["message"] and result["versions"] == {}
            assert row["data"]["state"] == state, action  # nothing changed
            assert row["data"]["changes"] == before[sid]["changes"], action
        else:
            assert result["status"] == "applied", (action, result)
            assert row["data"]["state"] == moved, action
            assert result["versions"][f"submission:{sid}"] == row["version"], action
            if action in ("save", "submit"):
                assert row["data"]["changes"]["salary"] == [None, "16000"]


def test_submit_and_return_refuse_what_a_person_must_fix(clerk, supervisor) -> None:
    """The central checks a submission as the desktop does before it may go for approval,
    and a return needs its reason; the answer names the fields, the submission stays."""
    bad = new_person(citizen_id="3100900123450", last_name_th="")  # wrong check digit
    empty = content(new_id(), {})
    bad_sid, empty_sid = new_id(), new_id()
    clerk.applied(clerk.save(bad_sid, bad), clerk.save(empty_sid, empty))
    refused = clerk.push(clerk.submit(bad_sid, bad), clerk.submit(empty_sid, empty))
    assert [(r["status"], r["code"]) for r in refused] == [("rejected", "invalid_input")] * 2
    assert "citizen_id" in refused[0]["message"] and "last_name_th" in refused[0]["message"]
    assert "no_changes" in refused[1]["message"]
    sid = submitted(clerk, new_person())
    [blank] = supervisor.push(supervisor.return_(sid, "  \n "))
    assert (blank["status"], blank["code"]) == ("rejected", "invalid_input")
    assert "reason" in blank["message"]
    states = rows_of(clerk.changes(), "submission")
    assert {s: states[s]["data"]["state"] for s in (bad_sid, empty_sid, sid)} == {
        bad_sid: "draft",
        empty_sid: "draft",
        sid: "submitted",
    }
    assert states[sid]["data"]["return_reason"] is None


# --- a conflict, and its resolution ------------------------------------------------------


def _update(person: dict[str, Any], **new: Any) -> dict[str, Any]:
    """An update of the pulled ``person`` changing ``new`` fields from the values it has."""
    changes = {name: [person["data"].get(name), value] for name, value in new.items()}
    return content(person["id"], changes, kind="update", base_version=person["version"])


def test_a_conflict_shows_base_official_and_proposed_and_a_resolution_applies(
    clerk, supervisor
) -> None:
    pid = new_id()
    approved(clerk, supervisor, new_person(pid, salary="15310.50"))
    person = latest(clerk.changes(), "person", pid)
    first = submitted(clerk, _update(person, salary="16000"))
    second = submitted(clerk, _update(person, salary="17000", first_name_en="Somying"))

    supervisor.applied(supervisor.approve(first))
    cursor = supervisor.pull()["cursors"]
    approve = supervisor.approve(second)
    [answer] = supervisor.push(approve)
    assert (answer["status"], answer["code"]) == ("conflict", "conflict")
    assert answer["message"] and answer["versions"] == {}
    assert answer["conflicts"] == [
        {
            "key": "person:salary",
            "target": "person",
            "row_id": None,
            "field": "salary",
            "base": "15310.50",
            "official": "16000",
            "proposed": "17000",
        }
    ]
    # nothing was written: not even the field that did not conflict
    assert supervisor.changes(cursor) == []
    assert supervisor.push(approve) == [answer]  # the same op gets the same answer

    # the supervisor picks the proposed salary: a new op, with the resolution
    [done] = supervisor.push(supervisor.approve(second, {"person:salary": "17000"}))
    assert done["status"] == "applied", done
    changes = supervisor.changes(cursor)
    person = latest(changes, "person", pid)
    assert (person["data"]["salary"], person["data"]["first_name_en"]) == ("17000", "Somying")
    assert person["version"] == done["versions"][f"person:{pid}"] == 3
    assert latest(changes, "submission", second)["data"]["state"] == "approved"
    [decision] = [c for c in changes if c["table"] == "decision"]
    assert decision["data"]["resolutions"] == {"person:salary": "17000"}
    assert decision["data"]["submission_id"] == second


def test_resolutions_chosen_against_an_older_record_do_not_overwrite_a_newer_one(
    clerk, supervisor
) -> None:
    """A supervisor settles a conflict against the record they saw (``base_version``);
    if another approval changed the record since, the central does not apply the choice
    over the newer value unseen: it answers the conflict again, as it stands now."""
    pid = new_id()
    approved(clerk, supervisor, new_person(pid, salary="15310.50"))
    person = latest(clerk.changes(), "person", pid)
    first = submitted(clerk, _update(person, salary="16000"))
    second = submitted(clerk, _update(person, salary="17000"))
    supervisor.applied(supervisor.approve(first))
    [conflict] = supervisor.push(supervisor.approve(second))
    assert conflict["status"] == "conflict"
    seen = latest(supervisor.changes(), "person", pid)["version"]  # 2: salary 16000

    third = submitted(clerk, _update(latest(clerk.changes(), "person", pid), salary="18000"))
    supervisor.applied(supervisor.approve(third))  # now 18000, version 3
    stale = supervisor.approve(second, {"person:salary": "17000"})
    stale["payload"]["base_version"] = seen
    [answer] = supervisor.push(stale)
    assert answer["status"] == "conflict", answer
    assert answer["code"] == "stale_version"
    assert [(c["key"], c["official"], c["proposed"]) for c in answer["conflicts"]] == [
        ("person:salary", "18000", "17000")
    ]
    person = latest(supervisor.changes(), "person", pid)
    assert (person["data"]["salary"], person["version"]) == ("18000", 3)

    # settled again against the record as it is now, the approval goes through
    fresh = supervisor.approve(second, {"person:salary": "17000"})
    fresh["payload"]["base_version"] = 3
    [done] = supervisor.push(fresh)
    assert done["status"] == "applied", done
    assert latest(supervisor.changes(), "person", pid)["data"]["salary"] == "17000"


# --- a batch -------------------------------------------------------------------------------


def test_a_rejected_op_leaves_no_trace_and_blocks_nothing_after_it(clerk, supervisor) -> None:
    a, b, c = (new_person(rows=(EDUCATION, SALARY)) for _ in range(3))
    sids = [submitted(clerk, data) for data in (a, b, c)]
    cursor = supervisor.pull()["cursors"]
    # The second op gets as far as writing the person and the history rows before it is
    # refused (its decision has no id): none of that may survive it.
    broken = supervisor.approve(sids[1])
    del broken["payload"]["decision_id"]
    ops = [
        supervisor.approve(sids[0]),
        broken,
        supervisor.approve(sids[1]),
        supervisor.return_(sids[2], "ขาดวุฒิการศึกษา"),
    ]
    results = supervisor.push(*ops)
    assert [r["status"] for r in results] == ["applied", "rejected", "applied", "applied"]
    assert (results[1]["code"], results[1]["versions"]) == ("bad_payload", {})
    assert "decision" in results[1]["message"]

    changes = supervisor.changes(cursor)
    # the ops after the rejected one found the submission as it was: one approval of it
    pid = b["person_id"]
    assert latest(changes, "person", pid)["version"] == 1
    assert results[2]["versions"][f"person:{pid}"] == 1
    rows = {c["id"]: c for c in changes if c["table"] == "history_row"}
    assert {r["id"] for r in b["history"]["added"]} <= set(rows)
    assert all(row["version"] == 1 for row in rows.values())
    decisions = [(c["data"]["submission_id"], c["data"]["action"])
                 for c in changes if c["table"] == "decision"]  # fmt: skip
    assert decisions == [(sids[0], "approve"), (sids[1], "approve"), (sids[2], "return")]
    # every change is in the pull once, and the refused op took no place in the sequence
    seqs = [c["seq"] for c in changes]
    assert len({(c["table"], c["id"]) for c in changes}) == len(changes)
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    assert sum(len(r["versions"]) for r in results) == len(changes)
    # sent again, the refused op gets its stored answer, though it would now be refused
    # for another reason (the submission is approved)
    assert supervisor.push(broken) == [results[1]]


def _versions(changes: list[dict]) -> dict[tuple[str, str], int]:
    return {(c["table"], c["id"]): c["version"] for c in changes}


def test_a_batch_sent_twice_has_one_effect_and_the_same_answers(clerk) -> None:
    data, other = new_person(), new_person()
    sid, other_sid = new_id(), new_id()
    ops = [clerk.save(sid, data), clerk.submit(sid, data), clerk.save(other_sid, other)]
    ops.append(ops[0])  # the same op twice in one batch: its first answer, once
    first = clerk.push(*ops)
    assert [r["status"] for r in first] == ["applied"] * 4
    assert first[3] == first[0]
    after_first = clerk.pull()
    assert clerk.push(*ops) == first
    assert clerk.changes(after_first["cursors"]) == []  # nothing new to pull
    assert clerk.pull()["cursors"] == after_first["cursors"]
    changes = clerk.changes()
    assert _versions(changes)[("submission", sid)] == 2
    assert _versions(changes)[("submission", other_sid)] == 1
    assert len(_versions(changes)) == len(changes)


def test_a_batch_cut_off_before_its_answer_is_resent_with_new_ops(clerk) -> None:
    data, other = new_person(), new_person()
    sid, other_sid = new_id(), new_id()
    old = [clerk.save(sid, data), clerk.save(other_sid, other)]
    lost = clerk.push(*old)  # applied and kept; the PC never saw this answer
    cursor = clerk.pull()["cursors"]
    # the PC sends the batch again, with the ops written since behind it
    new = [clerk.submit(sid, data), clerk.withdraw(other_sid)]
    results = clerk.push(*old, *new)
    assert results[:2] == lost  # the stored answers
    assert [r["status"] for r in results[2:]] == ["applied", "applied"]
    # the old saves had no second effect (applied again, each would have made a version)
    changes = clerk.changes(cursor)
    assert [(c["id"], c["version"], c["data"]["state"]) for c in changes] == [
        (sid, 2, "submitted"),
        (other_sid, 2, "withdrawn"),
    ]
    assert results[2]["versions"] == {f"submission:{sid}": 2}
    assert clerk.push(*old, *new) == results
    assert clerk.changes(cursor) == changes


# --- bad ops -------------------------------------------------------------------------------

ROW = {"id": "01a00000-0000-7000-8000-000000000001", **EDUCATION}


def _with(**fields: Any) -> dict[str, Any]:
    """A new-person submission's content with ``fields`` replaced."""
    return {**new_person(), **fields}


def _history(**parts: Any) -> dict[str, Any]:
    return _with(history={"added": [], "updated": {}, "deleted": {}, **parts})


Build = Callable[[Caller, Caller, str], tuple[Caller, dict[str, Any]]]


def _save(data: dict[str, Any]) -> Build:
    """The clerk saves a new submission of ``data``."""
    return lambda clerk, _supervisor, _sid: (clerk, clerk.save(new_id(), data))


def _submit(data: dict[str, Any]) -> Build:
    """The clerk submits a new submission of ``data`` at once."""
    return lambda clerk, _supervisor, _sid: (clerk, clerk.submit(new_id(), data))


def _raw(kind: str, payload: dict[str, Any]) -> Build:
    """The clerk sends an op of ``kind`` with ``payload``."""
    return lambda clerk, _supervisor, _sid: (clerk, clerk.op(kind, new_id(), payload))


def _submit_another(clerk: Caller, _supervisor: Caller, sid: str):
    """A submit whose submission is another one than the op's."""
    return clerk, clerk.op(
        "submission.submit", new_id(), {"submission": {**new_person(), "id": sid}}
    )


def _withdraw_unknown(clerk: Caller, _supervisor: Caller, _sid: str):
    return clerk, clerk.withdraw(new_id())


def _approve(**payload: Any) -> Build:
    """The supervisor approves the submitted submission with ``payload`` over the op's
    (None: without that key)."""

    def build(_clerk: Caller, supervisor: Caller, sid: str):
        op = supervisor.approve(sid)
        merged = {**op["payload"], **payload}
        return supervisor, {**op, "payload": {k: v for k, v in merged.items() if v is not None}}

    return build


BAD_OPS: dict[str, tuple[Build, str, str]] = {
    # what is wrong: (how the op is made, its code, a word of its message)
    "unknown kind": (_raw("person.delete", {}), "unknown_kind", "person.delete"),
    "missing fields": (_save({"person_id": new_id(), "kind": "new"}), "bad_payload", "changes"),
    "changes not a mapping": (_save(_with(changes=["salary"])), "bad_payload", "changes"),
    "change not a pair": (_save(_with(changes={"salary": "16000"})), "bad_payload", "changes"),
    "unknown field": (_save(_with(changes={"religion": [None, "พุทธ"]})), "bad_payload", "changes"),
    "unknown submission kind": (_save(_with(kind="promotion")), "bad_payload", "promotion"),
    "base version not a number": (_save(_with(base_version="x")), "bad_payload", "base_version"),
    "person id not text": (_save(_with(person_id=5)), "bad_payload", "person_id"),
    "salary not a number": (
        _save(_with(changes={"salary": [None, "abc"]})),
        "bad_payload",
        "salary",
    ),
    "submitted salary not a number": (
        _submit(_with(changes={"salary": [None, "abc"]})),
        "bad_payload",
        "salary",
    ),
    "date not a date": (
        _save(_with(changes={"birth_date": [None, "2531-13-45"]})),
        "bad_payload",
        "birth_date",
    ),
    "name not text": (
        _save(_with(changes={"first_name_th": [None, 5]})),
        "bad_payload",
        "first_name_th",
    ),
    "history not a mapping": (_save(_with(history="x")), "bad_payload", "history"),
    "added rows not a list": (_save(_history(added="x")), "bad_payload", "history"),
    "added row without id": (_save(_history(added=[EDUCATION])), "bad_payload", "id"),
    "added row of unknown kind": (
        _save(_history(added=[{**ROW, "kind": "bonus"}])),
        "bad_payload",
        "bonus",
    ),
    "added row with a bad value": (
        _save(_history(added=[{**ROW, "graduated_date": "soon"}])),
        "bad_payload",
        "graduated_date",
    ),
    "added row with a number for text": (
        _save(_history(added=[{**ROW, "degree": 5}])),
        "bad_payload",
        "degree",
    ),
    "updated rows not pairs": (
        _save(_history(updated={ROW["id"]: ["x"]})),
        "bad_payload",
        "history",
    ),
    "submit without the submission": (_raw("submission.submit", {}), "bad_payload", "submission"),
    "submit of another submission": (_submit_another, "bad_payload", "another submission"),
    "approve without a decision id": (_approve(decision_id=None), "bad_payload", "decision"),
    "resolutions not a mapping": (_approve(resolutions=["x"]), "bad_payload", "resolutions"),
    "withdraw of an unknown submission": (_withdraw_unknown, "not_found", "submission"),
    "audit event without its fields": (_raw("audit.append", {}), "bad_payload", "audit"),
}


def test_bad_ops_are_rejected_each_alone_with_a_code_and_a_message(clerk, supervisor) -> None:
    """Every bad op of BAD_OPS, each between two good ones (the clerk's in one batch, the
    supervisor's in another): each is rejected with its code and a message that names what
    is wrong, the good ones are applied, and the bad ones leave nothing to pull."""
    sid = submitted(clerk, new_person())
    cursor = clerk.pull()["cursors"]
    batches: dict[str, list[tuple[str | None, dict[str, Any]]]] = {}
    saved = []
    for case, (build, _code, _word) in BAD_OPS.items():
        user, bad = build(clerk, supervisor, sid)
        saved.append(new_id())
        batch = batches.setdefault(user.username, [])
        batch += [(case, bad), (None, user.save(saved[-1], new_person()))]
    answers, good = {}, []
    for user in (clerk, supervisor):
        ops = batches[user.username]
        for (case, _op), result in zip(ops, user.push(*[op for _, op in ops]), strict=True):
            if case is None:
                good.append(result["status"])
            else:
                answers[case] = result
    assert good == ["applied"] * len(BAD_OPS)
    wrong = {}
    for case, (_build, code, word) in BAD_OPS.items():
        got = answers[case]
        if (got["status"], got["code"]) != ("rejected", code) or word not in got["message"]:
            wrong[case] = got
        assert got["versions"] == {} and got["conflicts"] == []
    assert wrong == {}, wrong
    # the good ops are in the pull, the bad ones left nothing
    changes = clerk.changes(cursor)
    assert sorted((c["table"], c["id"], c["version"]) for c in changes) == sorted(
        ("submission", s, 1) for s in saved
    )
    assert latest(clerk.changes(), "submission", sid)["data"]["state"] == "submitted"


def test_history_rows_go_for_approval_only_as_the_desktop_would_send_them(
    clerk, supervisor
) -> None:
    """What a submission adds to or changes in a person's history is checked on submit as
    the desktop checks it: an approval copies it into the official record that every PC of
    the organization pulls. The answer names the row and the field."""
    pid = new_id()
    approved(clerk, supervisor, new_person(pid, rows=(EDUCATION,)))
    changes = clerk.changes()
    person = latest(changes, "person", pid)
    [row_id] = rows_of(changes, "history_row")
    cursor = clerk.pull()["cursors"]

    def update(**history: Any) -> dict[str, Any]:
        data = content(pid, {}, kind="update", base_version=person["version"], **history)
        return clerk.submit(new_id(), data)

    unnamed = {"id": new_id(), **{k: v for k, v in EDUCATION.items() if k != "degree"}}
    results = clerk.push(
        update(updated={row_id: {"graduated_date": ["2016-05-20", "เมื่อวาน"]}}),
        update(updated={row_id: {"education_level": ["master", "grade_13"]}}),
        update(added=[unnamed]),
        update(updated={row_id: {"major": ["การบริหารงานท้องถิ่น", "นิติศาสตร์"]}}),
    )
    assert [(r["status"], r["code"]) for r in results] == [
        ("rejected", "bad_payload"),
        ("rejected", "invalid_input"),
        ("rejected", "invalid_input"),
        ("applied", None),
    ]
    assert row_id in results[0]["message"] and "graduated_date" in results[0]["message"]
    assert "education_level" in results[1]["message"]
    assert "degree" in results[2]["message"]
    pulled = clerk.changes(cursor)
    assert [(c["table"], c["data"]["state"]) for c in pulled] == [("submission", "submitted")]


def test_an_op_that_is_not_an_op_refuses_the_whole_batch_naming_it(clerk) -> None:
    """The envelope is the protocol's (pydantic): an op without it is not an op, and the
    batch is answered 422 naming where it is; nothing of the batch is applied."""
    cursor = clerk.pull()["cursors"]
    good = clerk.save(new_id(), new_person())
    for bad in (
        {**clerk.save(new_id(), new_person()), "created_at": "yesterday"},
        {**clerk.save(new_id(), new_person()), "payload": ["x"]},
        {k: v for k, v in clerk.save(new_id(), new_person()).items() if k != "author"},
    ):
        r = clerk.client.post("/v1/push", json={"ops": [good, bad]}, headers=clerk.headers)
        body = error(r, 422, "bad_request")
        assert "ops.1." in body.message
    assert clerk.changes(cursor) == []
    assert clerk.push(good)[0]["status"] == "applied"  # nothing of it was kept
