"""The central's push played as an attacker would (issue 13): ops written as raw JSON from
the wire format, sent over HTTP on SQLite and PostgreSQL. Every bad op must be refused alone,
with its code, leave nothing behind (the pull shows nothing new; the other organization's
rows are unchanged), and let the good ops of its batch apply.

Classes: ids reused across organizations, records and tables; a forged audit actor; claimed
times stored as facts; unbounded numbers, text, dates and ids; naive times; the same op
pushed in parallel.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from typing import Any

from app.domain.audit import GENESIS, HASHED, event_hash
from app.domain.ids import new_id, utcnow
from tests.central.sync_helpers import (
    EDUCATION,
    PERSON,
    Caller,
    approved,
    content,
    latest,
    login,
    new_person,
    rows_of,
    submitted,
)


def _refused(result: dict[str, Any], code: str) -> None:
    assert (result["status"], result["code"]) == ("rejected", code), result
    assert result["message"] and result["versions"] == {}


def _with_good_op(caller: Caller, bad: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Push ``bad`` between two good drafts in one batch, which must apply: the bad op's
    answer and the ids of the good drafts."""
    sids = [new_id(), new_id()]
    before, good_after = caller.save(sids[0], new_person()), caller.save(sids[1], new_person())
    results = caller.push(before, bad, good_after)
    assert [results[0]["status"], results[2]["status"]] == ["applied", "applied"], results
    return results[1], sids


def _nothing_new_but(caller: Caller, cursors: dict[str, int], sids: list[str]) -> None:
    """Since ``cursors`` the pull holds only the good drafts ``sids``."""
    pulled = caller.changes(cursors)
    assert sorted((c["table"], c["id"]) for c in pulled) == sorted(("submission", s) for s in sids)


# --- ids are owned ---------------------------------------------------------------------------


def test_a_history_row_id_of_another_organization_is_refused(clerk, supervisor, clerk_b) -> None:
    """Organization B adds a row whose id is A's row: refused, A's row stays A's."""
    pid = new_id()
    approved(clerk, supervisor, new_person(pid, rows=(EDUCATION,)))
    [row_id] = rows_of(clerk.changes(), "history_row")
    row_before = latest(clerk.changes(), "history_row", row_id)
    cursor_b = clerk_b.pull()["cursors"]
    data = new_person()
    data["history"]["added"] = [{**EDUCATION, "id": row_id}]
    sid = new_id()
    answer, good = _with_good_op(clerk_b, clerk_b.submit(sid, data))
    _refused(answer, "id_taken")
    assert "organization" in answer["message"]
    _nothing_new_but(clerk_b, cursor_b, good)
    assert latest(clerk.changes(), "history_row", row_id) == row_before


def test_a_history_row_id_of_another_person_is_refused(clerk, supervisor) -> None:
    """Within one organization too, a row belongs to the person that made it."""
    pid = new_id()
    approved(clerk, supervisor, new_person(pid, rows=(EDUCATION,)))
    [row_id] = rows_of(clerk.changes(), "history_row")
    cursor = clerk.pull()["cursors"]
    data = new_person()
    data["history"]["added"] = [{**EDUCATION, "id": row_id}]
    [result] = clerk.push(clerk.submit(new_id(), data))
    _refused(result, "id_taken")
    assert clerk.changes(cursor) == []


def test_an_id_of_another_table_is_refused(clerk, supervisor) -> None:
    """A new person whose id is a submission's id, a row whose id is a person's."""
    pid = new_id()
    sid = approved(clerk, supervisor, new_person(pid))
    cursor = clerk.pull()["cursors"]
    data = new_person()
    data["history"]["added"] = [{**EDUCATION, "id": pid}]
    results = clerk.push(clerk.save(new_id(), new_person(sid)), clerk.submit(new_id(), data))
    for result in results:
        _refused(result, "id_taken")
    assert clerk.changes(cursor) == []


def test_a_decision_id_is_never_reused(clerk, supervisor) -> None:
    first = approved(clerk, supervisor, new_person())
    decision = latest_decision(clerk, first)
    second = submitted(clerk, new_person())
    cursor = clerk.pull()["cursors"]
    approve = supervisor.approve(second)
    approve["payload"]["decision_id"] = decision["id"]
    give_back = supervisor.return_(second, "แก้ไขชื่อ")
    give_back["payload"]["decision_id"] = decision["id"]
    answer, good = _with_good_op(supervisor, approve)
    _refused(answer, "id_taken")
    [result] = supervisor.push(give_back)
    _refused(result, "id_taken")
    assert latest_decision(clerk, first) == decision
    pulled = clerk.changes(cursor)
    assert ("submission", second) not in {(c["table"], c["id"]) for c in pulled}
    assert ("submission", good[0]) in {(c["table"], c["id"]) for c in pulled}


def latest_decision(caller: Caller, sid: str) -> dict[str, Any]:
    decisions = [c for c in caller.changes() if c["table"] == "decision"]
    [decision] = [c for c in decisions if c["data"]["submission_id"] == sid]
    return decision


def test_a_new_person_with_another_organizations_person_id_shows_nothing(
    clerk, supervisor, clerk_b
) -> None:
    """The answer names the id's owner, never the other person's citizen ID or names."""
    pid = new_id()
    approved(clerk, supervisor, new_person(pid))
    person = latest(clerk.changes(), "person", pid)
    cursor_b = clerk_b.pull()["cursors"]
    answer, _ = _with_good_op(clerk_b, clerk_b.save(new_id(), new_person(pid)))
    _refused(answer, "id_taken")
    for value in (person["data"]["citizen_id"], PERSON["first_name_th"], PERSON["last_name_th"]):
        assert value not in answer["message"]
    assert latest(clerk.changes(), "person", pid) == person
    assert ("person", pid) not in {(c["table"], c["id"]) for c in clerk_b.changes(cursor_b)}


def test_two_organizations_racing_for_one_new_person_id(clerk, supervisor, clerk_b) -> None:
    """B drafts a new person with an id A's draft already names: refused, and A's person is
    born in A."""
    pid = new_id()
    sid_a = new_id()
    clerk.applied(clerk.save(sid_a, new_person(pid)))
    [result] = clerk_b.push(clerk_b.save(new_id(), new_person(pid)))
    _refused(result, "id_taken")
    approved_sid = submitted(clerk, new_person(pid))
    supervisor.applied(supervisor.approve(approved_sid))
    assert latest(clerk.changes(), "person", pid)["org_id"] == clerk.org_id


# --- claimed facts ------------------------------------------------------------------------------


def test_decision_and_submission_times_are_the_centrals(clerk, supervisor) -> None:
    """A decision claimed in 1999 is stored at the central's time, the claim beside it."""
    started = utcnow()
    claimed = "1999-01-01T00:00:00+00:00"
    sid = new_id()
    data = new_person()
    clerk.applied(clerk.save(sid, data), clerk.submit(sid, data, created_at=claimed))
    supervisor.applied(supervisor.approve(sid, created_at=claimed))
    changes = clerk.changes()
    decision = latest_decision(clerk, sid)["data"]
    submission = latest(changes, "submission", sid)["data"]
    for value in (decision["decided_at"], submission["decided_at"], submission["submitted_at"]):
        assert dt.datetime.fromisoformat(value) >= started
    assert decision["claimed_at"] == claimed
    assert submission["submitted_claimed_at"] == claimed


def _audit_op(caller: Caller, actor_id: str | None, at: str | None = None) -> dict[str, Any]:
    fields = {
        "id": new_id(),
        "org_id": caller.org_id,
        "actor_id": actor_id,
        "at": at or utcnow().isoformat(),
        "action": "submission.approve",
        "entity_kind": "submission",
        "entity_id": new_id(),
        "detail": {},
        "prev_hash": GENESIS,
    }
    payload = {**fields, "hash": event_hash({k: fields[k] for k in HASHED})}
    return caller.op("audit.append", fields["id"], payload)


def test_an_audit_event_is_the_authors_own(clerk, supervisor, central_db) -> None:
    """A clerk's PC cannot record an event in the supervisor's name, nor a naive time."""
    forged = _audit_op(clerk, supervisor.id)
    naive = _audit_op(clerk, clerk.id, at="2026-01-01T10:00:00")
    own = _audit_op(clerk, clerk.id)
    results = clerk.push(forged, naive, own)
    _refused(results[0], "actor_mismatch")
    _refused(results[1], "bad_payload")
    assert results[2]["status"] == "applied"
    assert _audit_actors(central_db) == {own["entity_id"]: clerk.id}


def _audit_actors(db) -> dict[str, str]:
    from sqlalchemy import select

    from sync.central.models import CentralAudit

    with db.reading() as session:
        return dict(session.execute(select(CentralAudit.id, CentralAudit.actor_id)).all())


# --- bounded input ----------------------------------------------------------------------------

MB_NAME = "ก" * 1_000_000
UNBOUNDED: dict[str, tuple[Callable[[], dict[str, Any]], str]] = {
    # what: (the submission's content, the code)
    "salary 1E+999999": (lambda: new_person(salary="1E+999999"), "bad_payload"),
    "salary Infinity": (lambda: new_person(salary="Infinity"), "bad_payload"),
    "salary NaN": (lambda: new_person(salary="NaN"), "bad_payload"),
    "salary with 3 decimals": (lambda: new_person(salary="15000.125"), "bad_payload"),
    "salary negative": (lambda: new_person(salary="-5"), "invalid_input"),
    "salary over 10 million": (lambda: new_person(salary="10000000.01"), "bad_payload"),
    "a 1 MB name": (lambda: new_person(first_name_th=MB_NAME), "bad_payload"),
    "a 1 MB history note": (
        lambda: new_person(rows=({**EDUCATION, "major": MB_NAME},)),
        "bad_payload",
    ),
    "birth year 1": (lambda: new_person(birth_date="0001-01-01"), "bad_payload"),
    "birth date in the future": (lambda: new_person(birth_date="2100-01-01"), "invalid_input"),
    "a person id of 1,000 characters": (lambda: new_person("x" * 1000), "bad_payload"),
    "a person id not a UUID": (lambda: new_person("person-1"), "bad_payload"),
    "a history row id of 1,000 characters": (
        lambda: content(new_id(), {}, added=[{**EDUCATION, "id": "9" * 1000}]),
        "bad_payload",
    ),
    "an upper-case UUID": (lambda: new_person(new_id().upper()), "bad_payload"),
}


def test_unbounded_values_are_refused_each_alone(clerk) -> None:
    cursor = clerk.pull()["cursors"]
    goods = []
    wrong = {}
    for what, (make, code) in UNBOUNDED.items():
        answer, good = _with_good_op(clerk, clerk.submit(new_id(), make()))
        goods += good
        if (answer["status"], answer["code"]) != ("rejected", code):
            wrong[what] = answer
    assert wrong == {}
    _nothing_new_but(clerk, cursor, goods)


def test_json_infinity_and_nan_literals_are_refused_alone(clerk) -> None:
    """``Infinity`` and ``NaN`` as JSON numbers (Python's json reads them)."""
    cursor = clerk.pull()["cursors"]
    good = clerk.sign(clerk.save(new_id(), new_person()))
    ops = [clerk.submit(new_id(), new_person(salary=v)) for v in (float("inf"), float("nan"))]
    body = json.dumps({"ops": [*ops, good]}, allow_nan=True)
    assert "Infinity" in body and "NaN" in body
    headers = {**clerk.headers, "Content-Type": "application/json"}
    r = clerk.client.post("/v1/push", content=body.encode(), headers=headers)
    assert r.status_code < 500, r.text
    if r.status_code == 200:  # the body is read: each op refused alone
        results = r.json()["results"]
        # No signature covers them (canonical JSON has no NaN or infinity): refused unproven
        # before their payload is read, or as unreadable, never applied
        for result in results[:2]:
            assert result["status"] == "rejected" and result["versions"] == {}, result
            assert result["code"] in ("unsigned", "bad_signature", "bad_payload"), result
        assert results[2]["status"] == "applied"
        _nothing_new_but(clerk, cursor, [good["entity_id"]])
    else:
        assert clerk.changes(cursor) == []


def test_over_long_and_malformed_ids_of_ops_and_decisions(clerk, supervisor) -> None:
    sid = submitted(clerk, new_person())
    cursor = clerk.pull()["cursors"]
    long_decision = supervisor.approve(sid)
    long_decision["payload"]["decision_id"] = "d" * 1000
    short_op = supervisor.approve(sid, op_id=new_id().replace("-", ""))
    not_uuid_entity = clerk.save("submission-1", new_person())
    naive = clerk.save(new_id(), new_person(), created_at="2026-01-01T10:00:00")
    results = supervisor.push(long_decision, short_op)
    _refused(results[0], "bad_payload")
    _refused(results[1], "bad_id")
    results = clerk.push(not_uuid_entity, naive)
    _refused(results[0], "bad_id")
    # a time without its zone cannot be signed (app.domain.signing.op_value): unproven
    assert results[1]["code"] in ("unsigned", "bad_time")
    _refused(results[1], results[1]["code"])
    assert clerk.changes(cursor) == []


def test_an_over_long_entity_id_is_a_bad_request_not_a_server_error(clerk) -> None:
    op = clerk.save(new_id(), new_person())
    op["entity_id"] = "e" * 10_000
    r = clerk.client.post("/v1/push", json={"ops": [op]}, headers=clerk.headers)
    assert 400 <= r.status_code < 500


# --- the same op at once ----------------------------------------------------------------------

PARALLEL = 6


def test_parallel_pushes_of_one_op_get_one_answer(client_for, office) -> None:
    """Six PC connections push the same ops at the same moment (real concurrency on
    PostgreSQL): no 5xx, one effect, the same answers for all. Once a batch in the clerk's
    organization (its lock serializes them), once a batch wholly outside the clerk's scope
    (no organization's lock: the op log's unique key meets the race)."""
    callers = [login(client_for(), office, "clerk.a") for _ in range(PARALLEL)]
    first = callers[-1]  # each login registered a new key on the PC: the last one is live
    sid = new_id()
    in_scope = [first.sign(first.save(sid, new_person())), first.sign(_audit_op(first, first.id))]
    outside = [first.sign(first.save(new_id(), new_person(), org_id=office.org_b))]
    for ops, statuses in ((in_scope, ["applied", "applied"]), (outside, ["rejected"])):
        results = _at_once(callers, ops)
        assert all(r == results[0] for r in results)
        assert [r["status"] for r in results[0]] == statuses
    assert latest(first.changes(), "submission", sid)["version"] == 1


def _at_once(callers: list[Caller], ops: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Every caller pushes ``ops`` at the same moment: each one's results (all 200)."""
    barrier = threading.Barrier(len(callers))
    answers: list[Any] = [None] * len(callers)

    def push(i: int) -> None:
        barrier.wait(timeout=30)
        caller = callers[i]
        answers[i] = caller.client.post("/v1/push", json={"ops": ops}, headers=caller.headers)

    threads = [threading.Thread(target=push, args=(i,)) for i in range(len(callers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert [a.status_code for a in answers] == [200] * len(callers), [a.text for a in answers]
    return [a.json()["results"] for a in answers]


def test_a_resolution_is_bounded_like_any_value(clerk, supervisor) -> None:
    """A supervisor's PC settles a conflict with a value no form can hold, or a whole row
    carrying a megabyte: refused, the official record unchanged."""
    pid = new_id()
    approved(clerk, supervisor, new_person(pid, rows=(EDUCATION,)))
    person = latest(clerk.changes(), "person", pid)
    [row_id] = rows_of(clerk.changes(), "history_row")

    def update(salary: str, major: str) -> str:
        data = content(
            pid,
            {"salary": [PERSON["salary"], salary]},
            kind="update",
            base_version=person["version"],
            updated={row_id: {"major": [EDUCATION["major"], major]}},
        )
        return submitted(clerk, data)

    first, second = update("16000", "นิติศาสตร์"), update("17000", "รัฐศาสตร์")
    supervisor.applied(supervisor.approve(first))
    [conflict] = supervisor.push(supervisor.approve(second))
    assert conflict["status"] == "conflict"
    keys = {c["key"] for c in conflict["conflicts"]}
    assert keys == {"person:salary", f"history:{row_id}:major"}
    official = latest(clerk.changes(), "person", pid)
    cursor = clerk.pull()["cursors"]
    bad = [
        {"person:salary": "1E+999999", f"history:{row_id}:major": "นิติศาสตร์"},
        {"person:salary": "abc", f"history:{row_id}:major": "นิติศาสตร์"},
        {"person:salary": "16000", f"history:{row_id}:major": MB_NAME},
    ]
    for resolutions in bad:
        [result] = supervisor.push(supervisor.approve(second, resolutions))
        _refused(result, "invalid_input")
    assert clerk.changes(cursor) == []
    assert latest(clerk.changes(), "person", pid) == official
