"""Authors are proven, not claimed (DESIGN.md §5): an attacker's ops over HTTP.

The attacker writes from the wire format alone: ops are raw JSON dicts, signatures made
with :mod:`app.domain.signing` as the protocol defines them, keys registered over
``/v1/keys``. Each forged op is refused with its code, nothing it names changes at the
central, nothing of it is stored, and a correctly signed op in the same batch applies.
Every test runs on SQLite and PostgreSQL (the ``central_url`` fixture).
"""

from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import select

from app.domain import signing
from app.domain.ids import new_id
from sync.central import admin
from sync.central.models import CentralOp, CentralRow, CentralUserKey
from tests.central.sync_helpers import Caller, error, login, new_person, submitted


def _state(db) -> tuple[set[tuple[str, str, int]], set[str]]:
    """What the central holds: its rows (table, id, version) and the op ids it answered."""
    with db.reading() as session:
        rows = set(
            session.execute(select(CentralRow.table_name, CentralRow.id, CentralRow.version))
        )
        ops = set(session.scalars(select(CentralOp.op_id)))
    return {tuple(r) for r in rows}, ops


def _refused(result: dict[str, Any], code: str) -> None:
    assert (result["status"], result["code"]) == ("rejected", code), result
    assert result["message"]


def _unsigned(op: dict[str, Any]) -> dict[str, Any]:
    return {**op, "signature": None}


def _batch(caller: Caller, forged: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Push ``forged`` ops between two correctly signed drafts: the forged ones' results,
    after checking that the signed ones applied and that nothing else changed."""
    before_rows, before_ops = _state(caller.office.db)
    good = [caller.sign(caller.save(new_id(), new_person())) for _ in range(2)]
    results = caller.push(good[0], *forged, good[1])
    assert results[0]["status"] == results[-1]["status"] == "applied", results
    after_rows, after_ops = _state(caller.office.db)
    made = {(t, i) for t, i, _ in after_rows - before_rows}
    assert made == {("submission", op["entity_id"]) for op in good}  # nothing of the forged
    assert after_ops - before_ops == {op["op_id"] for op in good}  # refusals are not stored
    return results[1:-1]


def test_unsigned_and_missigned_ops_are_refused_and_the_signed_ones_apply(
    client, office, clerk, supervisor
) -> None:
    pc_2 = admin.register_device_as_operator(office.db, office.org_a, "PC 2")
    clerk_elsewhere = login(client, office, "clerk.a", pc_2)
    revoked = clerk.keys
    clerk.register_key()  # the new key revokes the old one on this PC
    signed = clerk.sign(clerk.save(new_id(), new_person()))
    changed = {**signed, "payload": {**signed["payload"], "kind": "update"}}
    forged = [
        _unsigned(clerk.save(new_id(), new_person())),
        {**clerk.save(new_id(), new_person()), "signature": ""},
        clerk.sign(clerk.save(new_id(), new_person()), supervisor.keys),  # another user's key
        clerk.sign(clerk.save(new_id(), new_person()), clerk_elsewhere.keys),  # another PC's
        clerk.sign(clerk.save(new_id(), new_person()), revoked),  # a revoked key
        changed,  # a signed op with one payload field changed
        {**signed, "op_id": new_id()},  # a valid op replayed under another op_id
        {**clerk.save(new_id(), new_person()), "signature": "not a signature"},
        {**clerk.save(new_id(), new_person()), "signature": f"{clerk.keys.id}.AAAA"},
        # a time that exists in no UTC calendar, with a signature naming a live key
        {**clerk.save(new_id(), new_person()), "created_at": "0001-01-01T01:00:00+05:00",
         "signature": f"{clerk.keys.id}.{'A' * 86}"},
    ]  # fmt: skip
    results = _batch(clerk, forged)
    _refused(results[0], "unsigned")
    _refused(results[1], "unsigned")
    for result in results[2:]:
        _refused(result, "bad_signature")


def test_an_op_signed_for_one_author_does_not_pass_as_another(
    client, office, clerk, supervisor
) -> None:
    """A clerk's signed draft with its author changed to the supervisor, pushed with the
    supervisor's session; and the supervisor's approval signed by the clerk's key."""
    sid = submitted(clerk, new_person())
    as_boss = {**clerk.sign(clerk.save(new_id(), new_person())), "author": supervisor.id}
    approval = supervisor.approve(sid)
    by_clerk_key = supervisor.sign(approval, clerk.keys)
    results = _batch(supervisor, [as_boss, by_clerk_key])
    _refused(results[0], "bad_signature")
    _refused(results[1], "bad_signature")
    # signed by the supervisor, the same approval (same op_id) goes through: a signature
    # refusal is not stored as the op's answer
    [result] = supervisor.push(approval)
    assert result["status"] == "applied", result


def test_a_key_is_registered_for_the_caller_only(client, office, clerk, supervisor) -> None:
    """The route binds a key to the session's user and PC: a clerk cannot register a key
    for the supervisor, and a key the clerk registered does not sign the supervisor's ops."""
    keys = signing.new_key_pair()
    body = {"public_key": keys.public.hex(), "user_id": supervisor.id}
    error(client.post("/v1/keys", json=body, headers=clerk.headers), 422, "bad_request")
    r = client.post("/v1/keys", json={"public_key": keys.public.hex()}, headers=clerk.headers)
    assert r.status_code == 201, r.text
    assert (r.json()["user_id"], r.json()["device_id"]) == (clerk.id, clerk.device_id)
    # the supervisor (or whoever holds their session) cannot take the clerk's key as theirs
    r = client.post("/v1/keys", json={"public_key": keys.public.hex()}, headers=supervisor.headers)
    error(r, 409, "key_taken")
    forged = supervisor.sign(supervisor.save(new_id(), new_person()), keys)
    _refused(_batch(supervisor, [forged])[0], "bad_signature")


def test_an_op_refused_unsigned_goes_through_once_signed(client, office, clerk) -> None:
    """An op queued before signatures existed is refused until its author's next login
    signs it: then the same op_id applies."""
    draft = clerk.save(new_id(), new_person())
    [first] = clerk.push(_unsigned(draft))
    _refused(first, "unsigned")
    [second] = clerk.push(clerk.sign(draft))
    assert second["status"] == "applied", second
    [again] = clerk.push(clerk.sign(draft))  # and it is idempotent from then on
    assert again == second


# --- the key routes --------------------------------------------------------------------------


def _keys(client, caller: Caller, user_id: str | None = None):
    params = {"user_id": user_id} if user_id else {}
    return client.get("/v1/keys", params=params, headers=caller.headers)


def test_malformed_keys_are_refused(client, office, clerk) -> None:
    raw = signing.new_key_pair().public
    for bad in ["", "zz" * 32, raw.hex()[:-2], raw.hex() + "00", "ก" * 43, "A" * 44 + "=="]:
        r = client.post("/v1/keys", json={"public_key": bad}, headers=clerk.headers)
        assert r.status_code == 422, (bad, r.text)
    # base64, standard or URL-safe, padded or not, is taken like hex
    for text in (base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()[:43]):
        r = client.post("/v1/keys", json={"public_key": text}, headers=clerk.headers)
        assert r.status_code == 201 and r.json()["public_key"] == raw.hex(), r.text
    r = client.post("/v1/keys", json={"public_key": raw.hex()}, headers=office.device_headers())
    error(r, 401, "unauthenticated")


def test_one_live_key_per_user_and_pc(client, office, clerk) -> None:
    first = clerk.keys
    assert first is not None
    again = client.post("/v1/keys", json={"public_key": first.public.hex()}, headers=clerk.headers)
    assert again.status_code == 201 and again.json()["revoked_at"] is None  # a retry
    second = clerk.register_key()
    keys = {k["key_id"]: k for k in _keys(client, clerk).json()["keys"]}
    assert set(keys) == {first.id, second.id}
    assert keys[first.id]["revoked_at"] is not None and keys[second.id]["revoked_at"] is None
    # a revoked key is not brought back
    r = client.post("/v1/keys", json={"public_key": first.public.hex()}, headers=clerk.headers)
    error(r, 409, "key_revoked")
    with office.db.reading() as session:
        live = session.scalars(
            select(CentralUserKey.key_id).where(
                CentralUserKey.user_id == clerk.id, CentralUserKey.revoked_at.is_(None)
            )
        ).all()
    assert live == [second.id]


def test_who_may_list_and_revoke_a_users_keys(client, office, clerk, supervisor) -> None:
    admin_a = login(client, office, "admin.a")
    pc_b = admin.register_device_as_operator(office.db, office.org_b, "PC B")
    admin_b = login(client, office, "admin.b", pc_b)
    kid = clerk.keys.id
    # another user of the office, and the admin of another organization, see nothing
    error(_keys(client, supervisor, clerk.id), 403, "forbidden")
    error(_keys(client, admin_b, clerk.id), 403, "forbidden")
    for other in (supervisor, admin_b):
        error(client.post(f"/v1/keys/{kid}/revoke", headers=other.headers), 404, "not_found")
    assert [k["key_id"] for k in _keys(client, admin_a, clerk.id).json()["keys"]] == [kid]
    # the organization's admin revokes it: the clerk's ops signed with it are refused
    r = client.post(f"/v1/keys/{kid}/revoke", headers=admin_a.headers)
    assert r.status_code == 200 and r.json()["revoked_at"] is not None, r.text
    before = _state(office.db)
    [result] = clerk.push(clerk.save(new_id(), new_person()))
    _refused(result, "bad_signature")
    assert _state(office.db) == before
    # the owner revokes their own new key
    new = clerk.register_key()
    r = client.post(f"/v1/keys/{new.id}/revoke", headers=clerk.headers)
    assert r.status_code == 200 and r.json()["revoked_at"] is not None


def test_parallel_registrations_of_one_key_never_fail(client, office, clerk) -> None:
    """The same new key sent at once on several connections (a retried request): one row,
    every answer a success or a clear refusal, never a 5xx."""
    keys = signing.new_key_pair()
    body = {"public_key": keys.public.hex()}

    def register(_: int) -> int:
        return client.post("/v1/keys", json=body, headers=clerk.headers).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(register, range(12)))
    assert set(statuses) == {201}, statuses
    with office.db.reading() as session:
        rows = session.scalars(select(CentralUserKey).where(CentralUserKey.key_id == keys.id))
        assert [r.revoked_at for r in rows] == [None]
