"""Push seals cannot be forged or stretched (DESIGN.md §5): an attacker's seals over HTTP.

A push seal is one signature by the logged-in author over all their ops in a push
(:func:`app.domain.signing.seal_value`); when it checks, the central takes it for those ops'
own signatures. Here ops carry no signature of their own, so only a seal could carry them:
a seal that is someone else's, from another PC, revoked, made over other ops (fewer, more,
reordered, changed, a replay) or malformed carries nothing, each op is refused ``unsigned``
and nothing of it is stored. Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.domain.ids import new_id
from sync.central import admin
from sync.central.models import CentralOp, CentralRow
from tests.central.sync_helpers import Caller, login, new_person


def _drafts(caller: Caller, n: int) -> list[dict[str, Any]]:
    """``n`` new-person drafts of ``caller``, with no signature of their own."""
    return [{**caller.save(new_id(), new_person()), "signature": None} for _ in range(n)]


def _stored(caller: Caller) -> tuple[int, int]:
    """How many rows and op answers the central holds."""
    with caller.office.db.reading() as session:
        rows = len(session.scalars(select(CentralRow.id)).all())
        ops = len(session.scalars(select(CentralOp.op_id)).all())
    return rows, ops


def _all_refused(caller: Caller, ops: list[dict[str, Any]], seal: str) -> None:
    before = _stored(caller)
    results = caller.push(*ops, seal=seal)
    assert [(r["status"], r["code"]) for r in results] == [("rejected", "unsigned")] * len(ops)
    assert _stored(caller) == before


def test_a_seal_stands_for_the_signatures_of_the_ops_it_covers(clerk) -> None:
    ops = _drafts(clerk, 3)
    results = clerk.push(*ops, seal=clerk.seal(ops))
    assert [r["status"] for r in results] == ["applied"] * 3
    # sent again (a lost answer): the stored answers, whatever the seal
    again = clerk.push(*ops, seal="not a seal")
    assert [r["status"] for r in again] == ["applied"] * 3


def test_a_seal_over_other_ops_carries_nothing(clerk) -> None:
    ops = _drafts(clerk, 3)
    extra = _drafts(clerk, 1)
    changed = {**ops[1], "payload": {**ops[1]["payload"], "kind": "update"}}
    _all_refused(clerk, ops, clerk.seal(ops[:2]))  # one op left out of the seal
    _all_refused(clerk, ops, clerk.seal([*ops, *extra]))  # one op more in the seal
    _all_refused(clerk, ops, clerk.seal([ops[1], ops[0], ops[2]]))  # reordered
    _all_refused(clerk, [ops[0], changed, ops[2]], clerk.seal(ops))  # one op changed
    sealed = clerk.seal(ops)
    assert [r["status"] for r in clerk.push(*ops, seal=sealed)] == ["applied"] * 3
    _all_refused(clerk, extra, sealed)  # a replayed seal with other ops


def test_a_seal_by_another_user_pc_or_a_revoked_key_carries_nothing(
    client, office, clerk, supervisor
) -> None:
    pc_2 = admin.register_device_as_operator(office.db, office.org_a, "PC 2")
    clerk_elsewhere = login(client, office, "clerk.a", pc_2)
    ops = _drafts(clerk, 2)
    _all_refused(clerk, ops, clerk.seal(ops, supervisor.keys))  # another user's key
    _all_refused(clerk, ops, supervisor.seal(ops))
    # the clerk's key of another PC, over this PC's ops and over that PC's id
    _all_refused(clerk, ops, clerk.seal(ops, clerk_elsewhere.keys))
    _all_refused(clerk, ops, clerk.seal(ops, clerk_elsewhere.keys, pc_2.device_id))
    revoked = clerk.keys
    clerk.register_key()  # the new key revokes the old one on this PC
    _all_refused(clerk, ops, clerk.seal(ops, revoked))
    assert [r["status"] for r in clerk.push(*ops, seal=clerk.seal(ops))] == ["applied"] * 2


def test_a_seal_never_carries_another_authors_ops(clerk, supervisor) -> None:
    """The clerk seals a batch holding an op in the supervisor's name: that op is refused as
    not the caller's, and the seal (over both) carries nothing."""
    mine = _drafts(clerk, 1)
    theirs = {**_drafts(clerk, 1)[0], "author": supervisor.id}
    before = _stored(clerk)
    results = clerk.push(mine[0], theirs, seal=clerk.seal([mine[0], theirs]))
    assert results[0]["code"] == "unsigned"
    assert results[1]["status"] == "rejected" and results[1]["code"] != "unsigned"
    assert _stored(clerk)[0] == before[0]  # no row: only the refusal in another's name kept


def test_malformed_seals_are_refused_without_a_server_error(clerk) -> None:
    ops = _drafts(clerk, 2)
    signed = [clerk.sign({k: v for k, v in op.items() if k != "signature"}) for op in ops]
    kid = clerk.keys.id
    for seal in ("", "garbage", f"{kid}.", f"{kid}.{'A' * 86}", f"{kid}.!!!{'A' * 83}"):
        _all_refused(clerk, ops, seal)
    # a seal that does not check leaves each op's own signature to speak for it
    results = clerk.push(*signed, seal=f"{kid}.{'A' * 86}")
    assert [r["status"] for r in results] == ["applied"] * 2
    before = _stored(clerk)
    r = clerk.client.post(
        "/v1/push", json={"ops": _drafts(clerk, 1), "seal": "x" * 5000}, headers=clerk.headers
    )
    assert r.status_code == 422 and r.json()["code"]
    r = clerk.client.post(
        "/v1/push", json={"ops": _drafts(clerk, 1), "seal": {"a": 1}}, headers=clerk.headers
    )
    assert r.status_code == 422 and r.json()["code"]
    assert _stored(clerk) == before
