"""Who may call what, and who may do what to whose rows (DESIGN.md §5).

First a matrix: each endpoint that takes a session (push, pull, logout, revoking a PC) and
login, called by each kind of caller — without a token, with an expired or a revoked one,
from a revoked PC, as a clerk, a supervisor or an org admin of organization A, as a user
of organization B, and as a user moved to B while holding a session on A's PC — with the
HTTP status and the ErrorBody code each one gets, and a refused push keeping nothing.

Then the rules the central checks op by op, whatever the client says: only a supervisor
decides, never on their own submission; only the author edits or withdraws; an op names
the user and the PC that push it; nobody writes into another organization; and the
provincial supervisor, whose scope covers A, decides there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import update

from app.domain.ids import new_id
from sync.central import admin
from sync.central.auth import hash_secret
from sync.central.models import CentralToken, CentralUser
from tests.central.sync_helpers import (
    Caller,
    approved,
    error,
    latest,
    login,
    new_person,
    rows_of,
    signed,
    submitted,
)

# --- the matrix ------------------------------------------------------------------------------

CALLERS = [
    "no token",
    "expired token",
    "revoked token",
    "revoked PC",
    "clerk",
    "supervisor",
    "org admin",
    "user of B",
    "user moved to B",
]
USERNAME = {"clerk": "clerk.a", "supervisor": "super.a", "org admin": "admin.a",
            "user of B": "clerk.b"}  # fmt: skip
OK = (200, None)
ENDED = (204, None)
# How the central refuses a caller of an endpoint that takes a session.
REFUSED = {
    "no token": (401, "unauthenticated"),
    "expired token": (401, "token_expired"),
    "revoked token": (401, "token_revoked"),
    "revoked PC": (401, "device_revoked"),
    "user of B": (401, "unauthenticated"),  # B's session, presented by A's PC
    "user moved to B": (403, "forbidden"),
}
# (endpoint, caller) → (HTTP status, ErrorBody code or None for a success)
EXPECTED: dict[tuple[str, str], tuple[int, str | None]] = {
    **{("push", c): REFUSED.get(c, OK) for c in CALLERS},
    **{("pull", c): REFUSED.get(c, OK) for c in CALLERS},
    # Ending a session needs only its token, whatever became of it or of the PC.
    **{("logout", c): ENDED for c in CALLERS},
    ("logout", "no token"): (401, "unauthenticated"),
    # Only an org admin revokes a PC of their organization.
    **{("revoke PC", c): REFUSED.get(c, (403, "forbidden")) for c in CALLERS},
    ("revoke PC", "org admin"): ENDED,
    # Logging in again is the way out of an ended session; a PC of A is refused to whoever
    # is not of A, and a revoked PC to everyone.
    **{("login", c): OK for c in CALLERS},
    ("login", "revoked PC"): (401, "device_revoked"),
    ("login", "user of B"): (403, "forbidden"),
    ("login", "user moved to B"): (403, "forbidden"),
}


def _session(client, office, caller: str) -> tuple[str, dict[str, str]]:
    """The username and the headers of ``caller``, sent from the PC of organization A."""
    if caller in USERNAME and caller != "user of B":
        username = USERNAME[caller]
        return username, office.login(client, username)
    if caller == "user of B":
        pc_b = admin.register_device_as_operator(office.db, office.org_b, "PC B")
        token = office.login(client, "clerk.b", pc_b)["Authorization"]
        return "clerk.b", {**office.device_headers(), "Authorization": token}
    headers = office.login(client, "clerk.a")
    token = headers["Authorization"].removeprefix("Bearer ")
    if caller == "no token":
        headers = office.device_headers()
    elif caller == "expired token":
        _token_expired(office, token)
    elif caller == "revoked token":
        assert client.post("/v1/logout", headers=headers).status_code == 204
    elif caller == "revoked PC":
        admin_headers = office.login(client, "admin.a")
        path = f"/v1/devices/{office.device.device_id}/revoke"
        assert client.post(path, headers=admin_headers).status_code == 204
    elif caller == "user moved to B":
        with office.db.transaction() as s:
            s.execute(
                update(CentralUser)
                .where(CentralUser.id == office.users["clerk.a"])
                .values(org_id=office.org_b)
            )
    return "clerk.a", headers


def _token_expired(office, token: str) -> None:
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    with office.db.transaction() as s:
        s.execute(
            update(CentralToken)
            .where(CentralToken.token_hash == hash_secret(token))
            .values(expires_at=past)
        )


def _call(client, office, endpoint: str, caller: str, pc_2) -> tuple[Any, str]:
    """``caller`` calls ``endpoint``: the answer, and the id of the draft a push sends."""
    username, headers = _session(client, office, caller)
    sid = new_id()
    op = _save_op(office, username, sid)
    return _request(client, office, endpoint, username, headers, op, pc_2), sid


def _request(client, office, endpoint, username, headers, op, pc_2):
    if endpoint == "push":
        op = signed(client, headers, op)
        return client.post("/v1/push", json={"ops": [op]}, headers=headers)
    if endpoint == "pull":
        return client.post("/v1/pull", json={}, headers=headers)
    if endpoint == "logout":
        return client.post("/v1/logout", headers=headers)
    if endpoint == "revoke PC":
        return client.post(f"/v1/devices/{pc_2.device_id}/revoke", headers=headers)
    body = {"username": username, "password": office.password}
    return client.post("/v1/login", json=body, headers=office.device_headers())


def _submissions(client, office) -> dict[str, Any]:
    """The submissions of A as a supervisor pulls them on a PC of A of their own."""
    pc = admin.register_device_as_operator(office.db, office.org_a, "PC of the check")
    return rows_of(login(client, office, "super.a", pc).changes(), "submission")


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("endpoint", ["push", "pull", "logout", "revoke PC", "login"])
def test_who_may_call_each_endpoint(client, office, endpoint, caller) -> None:
    pc_2 = admin.register_device_as_operator(office.db, office.org_a, "PC 2")
    r, sid = _call(client, office, endpoint, caller, pc_2)
    status, code = EXPECTED[(endpoint, caller)]
    if code is not None:
        error(r, status, code)
    else:
        assert r.status_code == status, r.text
    if endpoint == "push":
        kept = sid in _submissions(client, office)
        assert kept is (code is None)
        if code is None:
            assert r.json()["results"][0]["status"] == "applied"
    if endpoint == "pull" and code is None:
        assert set(r.json()["cursors"]) == {office.org_a}
    if endpoint == "login" and code is None:
        assert r.json()["user"]["username"] == USERNAME.get(caller, "clerk.a")
    if endpoint == "revoke PC":  # the PC works on, unless it was revoked
        r = client.post(
            "/v1/login",
            json={"username": "super.a", "password": office.password},
            headers=office.device_headers(pc_2),
        )
        assert r.status_code == (401 if code is None else 200), r.text


def _save_op(office, username: str, sid: str) -> dict[str, Any]:
    """A new draft of ``username`` on A's PC, as that PC writes it."""
    caller = Caller(None, office, username, {}, office.device.device_id, office.org_a)
    return caller.save(sid, new_person())


# --- op by op ---------------------------------------------------------------------------------


def _rejected(result: dict[str, Any], code: str, word: str) -> None:
    assert (result["status"], result["code"]) == ("rejected", code), result
    assert word in result["message"], result
    assert result["versions"] == {}


def test_only_a_supervisor_decides_and_never_on_their_own_submission(
    client, office, clerk, supervisor
) -> None:
    admin_a = login(client, office, "admin.a")
    by_clerk = submitted(clerk, new_person())
    by_supervisor = submitted(supervisor, new_person())
    [clerk_approves, clerk_returns] = clerk.push(
        clerk.approve(by_supervisor), clerk.return_(by_supervisor, "ไม่ครบ")
    )
    [admin_approves] = admin_a.push(admin_a.approve(by_clerk))
    own = supervisor.push(
        supervisor.approve(by_supervisor), supervisor.return_(by_supervisor, "ไม่ครบ")
    )
    for result in (clerk_approves, clerk_returns, admin_approves):
        _rejected(result, "permission_denied", "not_supervisor")
    for result in own:
        _rejected(result, "permission_denied", "own_submission")
    states = rows_of(clerk.changes(), "submission")
    assert {states[s]["data"]["state"] for s in (by_clerk, by_supervisor)} == {"submitted"}
    assert not [c for c in clerk.changes() if c["table"] in ("decision", "person")]
    # the supervisor decides on the clerk's submission
    supervisor.applied(supervisor.approve(by_clerk))


def test_only_the_author_edits_or_withdraws(client, office, clerk, supervisor) -> None:
    data = new_person()
    sid = new_id()
    clerk.applied(clerk.save(sid, data))
    edited = {**data, "changes": {**data["changes"], "salary": [None, "99999"]}}
    results = supervisor.push(
        supervisor.save(sid, edited), supervisor.submit(sid, edited), supervisor.withdraw(sid)
    )
    for result in results:
        _rejected(result, "permission_denied", "not_author")
    row = latest(clerk.changes(), "submission", sid)
    assert (row["version"], row["data"]["state"]) == (1, "draft")
    assert row["data"]["changes"] == data["changes"]
    assert row["data"]["author_id"] == office.users["clerk.a"]


def test_an_auditor_proposes_nothing_and_decides_nothing(client, office, clerk) -> None:
    office.users["auditor.a"] = admin.create_user(
        office.db, office.org_a, "auditor.a", "ผู้ตรวจสอบ", "auditor", office.password
    )
    auditor = login(client, office, "auditor.a")
    sid = submitted(clerk, new_person())
    saved, decided = auditor.push(auditor.save(new_id(), new_person()), auditor.approve(sid))
    _rejected(saved, "forbidden", "auditor")
    _rejected(decided, "permission_denied", "not_supervisor")
    assert auditor.pull()["cursors"] == clerk.pull()["cursors"]  # they may read


def test_an_op_names_the_user_and_the_pc_that_push_it(client, office, clerk) -> None:
    """A PC pushes only the ops of the user logged in on it, made on that PC: an op that
    names another author (forged, or another user's op replayed) or another PC is refused,
    and the ops around it go through."""
    other_pc = admin.register_device_as_operator(office.db, office.org_a, "PC 2")
    forged, replayed, elsewhere = new_id(), new_id(), new_id()
    ok = [new_id(), new_id()]
    ops = [
        clerk.save(ok[0], new_person()),
        clerk.save(forged, new_person(), author=office.users["super.a"]),
        clerk.save(replayed, new_person(), author=office.users["admin.a"]),
        clerk.save(elsewhere, new_person(), device_id=other_pc.device_id),
        clerk.save(ok[1], new_person()),
    ]
    results = clerk.push(*ops)
    assert results[0]["status"] == results[4]["status"] == "applied"
    _rejected(results[1], "author_mismatch", "author")
    _rejected(results[2], "author_mismatch", "author")
    _rejected(results[3], "device_mismatch", "device")
    states = rows_of(clerk.changes(), "submission")
    assert set(states) == set(ok)
    assert {s["data"]["author_id"] for s in states.values()} == {office.users["clerk.a"]}


def test_nobody_writes_into_another_organization(client, office, clerk, supervisor, clerk_b):
    pid = new_id()
    approved(clerk, supervisor, new_person(pid))
    person = latest(clerk.changes(), "person", pid)
    draft = new_id()
    clerk.applied(clerk.save(draft, new_person()))
    before = clerk.changes()

    # a user of A sends an op for B
    [into_b] = clerk.push(clerk.save(new_id(), new_person(), org_id=office.org_b))
    _rejected(into_b, "out_of_scope", "scope")
    # a user of B, on B's PC, names A's rows in ops for B
    update = {**new_person(), "person_id": pid, "kind": "update",
              "base_version": person["version"],
              "changes": {"salary": [person["data"]["salary"], "50000"]}}  # fmt: skip
    results = clerk_b.push(
        clerk_b.save(draft, new_person()),  # overwrite A's draft
        clerk_b.withdraw(draft),
        clerk_b.save(new_id(), update),  # propose a change to A's person
    )
    for result in results:
        _rejected(result, "out_of_scope", "organization")
    # a user of B names A in the op: outside their scope
    [as_a] = clerk_b.push(clerk_b.save(new_id(), new_person(), org_id=office.org_a))
    _rejected(as_a, "out_of_scope", "scope")
    assert clerk.changes() == before  # A's rows are as they were
    assert not [c for c in clerk_b.changes() if c["table"] == "submission"]


def test_the_provincial_supervisor_decides_in_an_organization_of_their_scope(
    client, office, clerk, supervisor
) -> None:
    province = login(client, office, "province")  # a user of B, on A's PC
    by_supervisor = submitted(supervisor, new_person())
    returned = submitted(clerk, new_person())
    # the op must name the submission's organization, even for a user whose scope has both
    [wrong_org] = province.push(province.approve(by_supervisor, org_id=office.org_b))
    _rejected(wrong_org, "out_of_scope", "another organization")
    approve, return_ = province.push(
        province.approve(by_supervisor), province.return_(returned, "แนบสำเนาคำสั่ง")
    )
    assert approve["status"] == return_["status"] == "applied", (approve, return_)
    states = rows_of(clerk.changes(), "submission")
    assert states[by_supervisor]["data"]["state"] == "approved"
    assert states[returned]["data"]["state"] == "returned"
    assert {states[s]["data"]["decided_by"] for s in (by_supervisor, returned)} == {
        office.users["province"]
    }
    decisions = [c for c in clerk.changes() if c["table"] == "decision"]
    assert {(d["org_id"], d["data"]["decider_id"]) for d in decisions} == {
        (office.org_a, office.users["province"])
    }


def test_the_answer_to_an_op_goes_only_to_its_author(client, office, clerk, supervisor, clerk_b):
    """An op sent again gets its stored answer (DESIGN.md §4), but only from its author:
    another user who sends an op with the same op_id, here one of organization B, learns
    nothing of it (a conflict's answer holds the person's values) and changes nothing."""
    pid = new_id()
    approved(clerk, supervisor, new_person(pid, salary="15310.50"))
    person = latest(clerk.changes(), "person", pid)
    updates = [
        {**new_person(), "person_id": pid, "kind": "update", "base_version": person["version"],
         "changes": {"salary": ["15310.50", salary]}}
        for salary in ("16000", "17000")
    ]  # fmt: skip
    first, second = (submitted(clerk, data) for data in updates)
    supervisor.applied(supervisor.approve(first))
    approve = supervisor.approve(second)
    [conflict] = supervisor.push(approve)
    assert conflict["status"] == "conflict" and conflict["conflicts"]
    cursor = clerk.pull()["cursors"]

    same_id = clerk_b.save(new_id(), new_person(), op_id=approve["op_id"])
    [answer] = clerk_b.push(same_id)
    _rejected(answer, "op_id_taken", "op_id")
    assert answer["conflicts"] == []
    assert "17000" not in str(answer) and "16000" not in str(answer)
    assert not [c for c in clerk_b.changes() if c["table"] == "submission"]
    assert clerk.changes(cursor) == []
    assert supervisor.push(approve) == [conflict]  # its author still gets it
