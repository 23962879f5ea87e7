"""Accounts attacked over the wire (issue 13, point 5), on SQLite and PostgreSQL.

Requests are raw JSON, as a client written from the protocol alone would send them: brute
force on login and PC registration (429 + Retry-After, per account and per address, the
central's clock moved by a seam, never slept), the registration password oracle, password
change and reset, disabled accounts and ended sessions, and which PCs get a user's offline
verifier. Each refusal is checked with what did not change.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain.ids import new_id, utcnow
from app.domain.passwords import check_offline_verifier, check_verifier
from sync.central import accounts, admin, throttle
from sync.central.app import create_app
from sync.central.config import CentralSettings
from sync.central.models import CentralAuthFailure, CentralDevice, CentralToken, CentralUser
from sync.protocol import PROTOCOL_HEADER
from tests.central.conftest import PASSWORD, Office
from tests.central.sync_helpers import error, new_person

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

LIMITS = {
    "free_attempts_per_account": 3,
    "free_attempts_per_address": 6,
    "first_delay_seconds": 60,
    "max_delay_seconds": 600,
}


class Clock:
    """The central's clock in these tests: it moves only when told."""

    def __init__(self) -> None:
        self.at = utcnow()

    def __call__(self) -> dt.datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(throttle, "now", c)
    return c


@pytest.fixture
def client_at(central_url: str, central_db) -> Iterator[Callable[..., TestClient]]:
    """``client_at(peer, **settings)``: a TestClient whose socket peer is ``peer``."""
    clients: list[TestClient] = []

    def make(peer: str = "192.0.2.10", **overrides: Any) -> TestClient:
        settings = CentralSettings(database_url=central_url, **{**LIMITS, **overrides})
        client = TestClient(
            create_app(settings, central_db),
            headers={PROTOCOL_HEADER: "1"},
            raise_server_exceptions=False,
            client=(peer, 50000),
        )
        clients.append(client.__enter__())
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def wire(client_at: Callable[..., TestClient], clock: Clock) -> TestClient:
    return client_at()


def _login(client: TestClient, office: Office, username: str, password: str = PASSWORD, **kw):
    return client.post(
        "/v1/login",
        json={"username": username, "password": password},
        headers={**office.device_headers(kw.get("reg")), **kw.get("headers", {})},
    )


def _session(client: TestClient, office: Office, username: str, password: str = PASSWORD):
    r = _login(client, office, username, password)
    assert r.status_code == 200, r.text
    return {**office.device_headers(), "Authorization": f"Bearer {r.json()['token']}"}


def _register(client: TestClient, office: Office, username: str, password: str, org=None):
    return client.post(
        "/v1/devices",
        json={"username": username, "password": password, "org_id": org or office.org_a,
              "name": "เครื่องใหม่"},
    )  # fmt: skip


def _throttled(r, retry_after: int) -> None:
    error(r, 429, "too_many_attempts")
    assert r.headers["Retry-After"] == str(retry_after)


def _tokens(office: Office, username: str) -> int:
    with office.db.reading() as s:
        return s.scalar(
            select(func.count())
            .select_from(CentralToken)
            .where(CentralToken.user_id == office.users[username])
        )


def _devices(office: Office) -> int:
    with office.db.reading() as s:
        return s.scalar(select(func.count()).select_from(CentralDevice))


def _user(office: Office, username: str) -> CentralUser:
    return _user_by_id(office, office.users[username])


def _user_by_id(office: Office, user_id: str) -> CentralUser:
    with office.db.reading() as s:
        return s.get(CentralUser, user_id)


def _events(client: TestClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    r = client.get("/v1/security-events", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["events"]


# --- brute force -----------------------------------------------------------------------


def test_login_brute_force_gets_429_until_the_delay_passes(wire, office, clock) -> None:
    for _ in range(3):
        error(_login(wire, office, "clerk.a", "guess-1234"), 401, "unauthenticated")
    # blocked: even the right password, and waiting almost long enough is not enough
    _throttled(_login(wire, office, "clerk.a"), 60)
    clock.advance(59)
    _throttled(_login(wire, office, "clerk.a"), 1)
    assert _tokens(office, "clerk.a") == 0
    clock.advance(1)
    assert _login(wire, office, "clerk.a").status_code == 200
    # the right password started the account afresh: three free failures again
    for _ in range(3):
        error(_login(wire, office, "clerk.a", "guess-5678"), 401, "unauthenticated")
    _throttled(_login(wire, office, "clerk.a"), 60)


def test_the_delay_grows_with_each_failure_up_to_the_cap(wire, office, clock) -> None:
    for _ in range(3):
        _login(wire, office, "clerk.a", "guess-1234")
    waits = []
    for _ in range(6):
        r = _login(wire, office, "clerk.a")
        assert r.status_code == 429
        waits.append(int(r.headers["Retry-After"]))
        clock.advance(waits[-1])
        error(_login(wire, office, "clerk.a", "guess-1234"), 401, "unauthenticated")
    assert waits == [60, 120, 240, 480, 600, 600]


def test_the_spelling_of_a_name_does_not_escape_its_count(wire, office) -> None:
    for name in ("clerk.a", " CLERK.A", "Clerk.A "):
        error(_login(wire, office, name, "guess-1234"), 401, "unauthenticated")
    _throttled(_login(wire, office, "clerk.a"), 60)
    _throttled(_register(wire, office, "CLERK.a", PASSWORD), 60)


def test_unknown_and_known_names_are_throttled_alike(wire, office) -> None:
    for name in ("clerk.a", "nobody.here"):
        answers = [_login(wire, office, name, "guess-1234") for _ in range(4)]
        assert [r.status_code for r in answers] == [401, 401, 401, 429]
    assert answers[0].json()["message"] == "wrong username or password"


def test_registration_brute_force_gets_429_even_for_the_right_password(wire, office, clock) -> None:
    for _ in range(3):
        error(_register(wire, office, "admin.a", "guess-1234"), 401, "unauthenticated")
    _throttled(_register(wire, office, "admin.a", PASSWORD), 60)
    assert _devices(office) == 1
    # the account's count is shared with the login
    _throttled(_login(wire, office, "admin.a"), 60)
    clock.advance(60)
    assert _register(wire, office, "admin.a", PASSWORD).status_code == 201
    assert _devices(office) == 2


def test_an_address_is_throttled_across_accounts(client_at, office, clock) -> None:
    """Password spraying: one guess per name from one address."""
    spray = client_at("198.51.100.7")
    for i in range(6):
        error(_login(spray, office, f"name.{i}", "guess-1234"), 401, "unauthenticated")
    _throttled(_login(spray, office, "clerk.a"), 60)
    _throttled(_register(spray, office, "admin.a", PASSWORD), 60)
    # the operator is told (an address belongs to no organization)
    [event] = [e for e in accounts.security_events(office.db, None) if e.kind == "address.blocked"]
    assert (event.address, event.org_id, event.detail["failures"]) == ("198.51.100.7", None, 6)
    # another address is not blocked, and the accounts themselves are not
    assert _login(client_at("198.51.100.8"), office, "clerk.a").status_code == 200
    clock.advance(60)
    assert _login(spray, office, "clerk.a").status_code == 200


def test_right_passwords_do_not_use_up_the_address(client_at, office, clock) -> None:
    """An office behind one address logs in all day without being throttled."""
    office_nat = client_at("203.0.113.1")
    for _ in range(10):
        assert _login(office_nat, office, "clerk.a").status_code == 200
        assert _login(office_nat, office, "super.a").status_code == 200


# --- the client's address --------------------------------------------------------------


def test_a_forwarded_address_counts_only_from_a_trusted_proxy(client_at, office, clock) -> None:
    """Behind nginx every request comes from the proxy; its X-Forwarded-For names the
    client only when the central is told to trust that proxy."""
    proxied = client_at("10.0.0.5", trusted_proxies=["10.0.0.0/8"])
    attacker = {"X-Forwarded-For": "198.51.100.66, 10.0.0.9"}
    for i in range(6):
        _login(proxied, office, f"name.{i}", "guess", headers=attacker)
    _throttled(_login(proxied, office, "clerk.a", headers=attacker), 60)
    # another client behind the same proxy is not blocked
    other = {"X-Forwarded-For": "198.51.100.67"}
    assert _login(proxied, office, "clerk.a", headers=other).status_code == 200


def test_a_forwarded_address_from_anyone_else_is_ignored(client_at, office, clock) -> None:
    """Without a trusted proxy, a client cannot dodge its address block by writing a new
    X-Forwarded-For each time."""
    direct = client_at("198.51.100.70")
    for i in range(6):
        headers = {"X-Forwarded-For": f"203.0.113.{i}"}
        _login(direct, office, f"name.{i}", "guess", headers=headers)
    r = _login(direct, office, "clerk.a", headers={"X-Forwarded-For": "203.0.113.99"})
    _throttled(r, 60)
    # and from a peer that is no trusted proxy, even when some proxy is trusted
    untrusted = client_at("198.51.100.71", trusted_proxies=["10.0.0.0/8"])
    for i in range(6):
        _login(untrusted, office, f"other.{i}", "guess", headers={"X-Forwarded-For": f"10.1.{i}.1"})
    _throttled(_login(untrusted, office, "clerk.a", headers={"X-Forwarded-For": "10.9.9.9"}), 60)


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "client"),
    [
        ("198.51.100.1", "203.0.113.5", [], "198.51.100.1"),
        ("10.0.0.5", "203.0.113.5", [], "10.0.0.5"),
        ("10.0.0.5", "203.0.113.5", ["10.0.0.0/8"], "203.0.113.5"),
        ("10.0.0.5", "1.2.3.4, 203.0.113.5, 10.0.0.7", ["10.0.0.0/8"], "203.0.113.5"),
        ("10.0.0.5", None, ["10.0.0.0/8"], "10.0.0.5"),
        ("127.0.0.1", "2001:db8::1", ["127.0.0.1"], "2001:db8::1"),
        (None, "203.0.113.5", ["10.0.0.0/8"], "unknown"),
    ],
)
def test_client_address(peer, forwarded, trusted, client) -> None:
    assert throttle.client_address(peer, forwarded, trusted) == client


def test_ipv6_clients_count_by_their_64(client_at, office, clock) -> None:
    for i in range(6):
        client = client_at(f"2001:db8:1:2::{i + 1}")
        _login(client, office, f"name.{i}", "guess")
    _throttled(_login(client_at("2001:db8:1:2::99"), office, "clerk.a"), 60)
    assert _login(client_at("2001:db8:1:3::1"), office, "clerk.a").status_code == 200


# --- the org admin is told -------------------------------------------------------------


def test_the_org_admin_is_told_of_an_account_blocked(wire, office, clock) -> None:
    admin_a = _session(wire, office, "admin.a")
    for _ in range(3):
        _login(wire, office, "clerk.a", "guess")
    [event] = [e for e in _events(wire, admin_a) if e["kind"] == "login.blocked"]
    assert event["username"] == "clerk.a"
    assert event["user_id"] == office.users["clerk.a"]
    assert event["org_id"] == office.org_a
    assert event["address"] == "192.0.2.10"
    assert event["detail"]["failures"] == 3
    # another organization's admin is not told, and a clerk may not read them
    pc_b = admin.register_device_as_operator(office.db, office.org_b, "PC B")
    admin_b = _session_on(wire, office, "admin.b", pc_b)
    assert [e for e in _events(wire, admin_b) if e["kind"] == "login.blocked"] == []
    clerk = _session(wire, office, "super.a")
    error(wire.get("/v1/security-events", headers=clerk), 403, "forbidden")


def _session_on(client, office, username, reg) -> dict[str, str]:
    r = _login(client, office, username, reg=reg)
    assert r.status_code == 200, r.text
    return {**office.device_headers(reg), "Authorization": f"Bearer {r.json()['token']}"}


# --- no password oracle ----------------------------------------------------------------


def test_registration_answers_every_refusal_alike(wire, office) -> None:
    """No credential: a right password that may not register looks like a wrong one."""
    admin.set_user_active(office.db, office.users["super.a"], False)
    answers = [
        _register(wire, office, "nobody", PASSWORD),
        _register(wire, office, "admin.a", "wrong-password"),
        _register(wire, office, "clerk.a", PASSWORD),  # right password, not an admin
        _register(wire, office, "admin.b", PASSWORD),  # right password, org outside scope
        _register(wire, office, "admin.a", PASSWORD, org="9999999"),  # no such org
    ]
    assert {(r.status_code, r.text) for r in answers} == {(401, answers[0].text)}, [
        r.text for r in answers
    ]
    error(answers[0], 401, "unauthenticated")
    assert _devices(office) == 1


# --- passwords -------------------------------------------------------------------------


def _pull_users(client, headers) -> dict[str, dict]:
    r = client.post("/v1/pull", json={"cursors": {}}, headers=headers)
    assert r.status_code == 200, r.text
    return {c["id"]: c["data"] for c in r.json()["changes"] if c["table"] == "user"}


def test_a_user_changes_their_password(wire, office, clock) -> None:
    session = _session(wire, office, "clerk.a")
    elsewhere = _session(wire, office, "clerk.a")
    before = _user(office, "clerk.a")
    r = wire.post("/v1/password", json={"old_password": "wrong-one", "new_password": "x" * 12},
                  headers=session)  # fmt: skip
    error(r, 403, "wrong_password")
    r = wire.post("/v1/password", json={"old_password": PASSWORD, "new_password": "short"},
                  headers=session)  # fmt: skip
    error(r, 422, "weak_password")
    r = wire.post("/v1/password", json={"old_password": PASSWORD, "new_password": PASSWORD},
                  headers=session)  # fmt: skip
    error(r, 422, "weak_password")
    assert _user(office, "clerk.a").password_verifier == before.password_verifier
    new = "รหัสใหม่-2569-ยาวพอ"
    r = wire.post("/v1/password", json={"old_password": PASSWORD, "new_password": new},
                  headers=session)  # fmt: skip
    assert r.status_code == 204, r.text
    # the old password is gone, the new one logs in
    error(_login(wire, office, "clerk.a"), 401, "unauthenticated")
    assert _login(wire, office, "clerk.a", new).status_code == 200
    # this session goes on; the user's other sessions end
    mine = _pull_users(wire, session)[office.users["clerk.a"]]
    error(wire.post("/v1/pull", json={}, headers=elsewhere), 401, "token_revoked")
    # the PCs get a new offline verifier at their next sync
    assert check_offline_verifier(new, mine["password_verifier"])
    assert not check_offline_verifier(PASSWORD, mine["password_verifier"])


def test_guessing_the_old_password_is_throttled(wire, office, clock) -> None:
    """A stolen session cannot be used to test passwords."""
    session = _session(wire, office, "clerk.a")
    for _ in range(3):
        r = wire.post("/v1/password", json={"old_password": "guess-123", "new_password": "n" * 10},
                      headers=session)  # fmt: skip
        error(r, 403, "wrong_password")
    r = wire.post("/v1/password", json={"old_password": PASSWORD, "new_password": "n" * 10},
                  headers=session)  # fmt: skip
    _throttled(r, 60)
    assert _login(wire, office, "clerk.a").status_code == 429


def test_an_admin_resets_a_password_to_a_one_time_one(wire, office, clock) -> None:
    admin_a = _session(wire, office, "admin.a")
    clerk = _session(wire, office, "clerk.a")
    r = wire.post(f"/v1/users/{office.users['clerk.a']}/reset-password", headers=admin_a)
    assert r.status_code == 200, r.text
    one_time = r.json()["one_time_password"]
    # the clerk's sessions ended, the old password is gone
    error(wire.post("/v1/pull", json={}, headers=clerk), 401, "token_revoked")
    error(_login(wire, office, "clerk.a"), 401, "unauthenticated")
    # the published row carries no offline verifier: no PC logs the clerk in offline
    assert _pull_users(wire, admin_a)[office.users["clerk.a"]]["password_verifier"] is None
    # the one-time password logs in, and must be changed before anything else
    r = _login(wire, office, "clerk.a", one_time)
    assert r.status_code == 200 and r.json()["must_change_password"] is True
    otp = {**office.device_headers(), "Authorization": f"Bearer {r.json()['token']}"}
    error(wire.post("/v1/pull", json={}, headers=otp), 403, "password_change_required")
    payload = new_person()
    op = {
        "op_id": new_id(), "kind": "submission.save", "entity_id": new_id(),
        "org_id": office.org_a, "author": office.users["clerk.a"],
        "device_id": office.device.device_id, "created_at": utcnow().isoformat(),
        "payload": payload,
    }  # fmt: skip
    r = wire.post("/v1/push", json={"ops": [op]}, headers=otp)
    error(r, 403, "password_change_required")
    new = "ตั้งเอง-2569-ใหม่"
    r = wire.post("/v1/password", json={"old_password": one_time, "new_password": new},
                  headers=otp)  # fmt: skip
    assert r.status_code == 204, r.text
    assert wire.post("/v1/pull", json={}, headers=otp).status_code == 200
    r = _login(wire, office, "clerk.a", new)
    assert r.status_code == 200 and "must_change_password" not in r.json()
    verifier = _pull_users(wire, admin_a)[office.users["clerk.a"]]["password_verifier"]
    assert check_offline_verifier(new, verifier)
    assert any(e["kind"] == "password.reset" for e in _events(wire, admin_a))


def test_nobody_resets_outside_their_scope(wire, office, clock) -> None:
    clerk = _session(wire, office, "clerk.a")
    before = {u: _user(office, u).password_verifier for u in office.users}
    pc_b = admin.register_device_as_operator(office.db, office.org_b, "PC B")
    admin_b = _session_on(wire, office, "admin.b", pc_b)
    admin_a = _session(wire, office, "admin.a")
    # another organization's admin: as if no such user
    r = wire.post(f"/v1/users/{office.users['clerk.a']}/reset-password", headers=admin_b)
    error(r, 404, "not_found")
    # a clerk for a colleague
    r = wire.post(f"/v1/users/{office.users['super.a']}/reset-password", headers=clerk)
    error(r, 403, "forbidden")
    # an office's admin for a provincial supervisor whose scope covers the office: that
    # would hand the admin the province
    r = wire.post(f"/v1/users/{office.users['province']}/reset-password", headers=admin_a)
    error(r, 404, "not_found")
    r = wire.post("/v1/users/no-such-user/reset-password", headers=admin_a)
    error(r, 404, "not_found")
    # nor for a user of the office whose scope reaches beyond the admin's
    wide = admin.create_user(office.db, office.org_a, "wide.a", "กว้าง", "supervisor",
                             PASSWORD, [office.org_b])  # fmt: skip
    before[wide] = _user_by_id(office, wide).password_verifier
    error(wire.post(f"/v1/users/{wide}/reset-password", headers=admin_a), 404, "not_found")
    error(wire.post(f"/v1/users/{wide}/disable", headers=admin_a), 404, "not_found")
    error(wire.post(f"/v1/users/{wide}/end-sessions", headers=admin_a), 404, "not_found")
    assert _user_by_id(office, wide).password_verifier == before.pop(wide)
    assert {u: _user(office, u).password_verifier for u in office.users} == before
    assert wire.post("/v1/pull", json={}, headers=clerk).status_code == 200


def test_disabling_an_account_ends_its_sessions(wire, office, clock) -> None:
    admin_a = _session(wire, office, "admin.a")
    clerk = _session(wire, office, "clerk.a")
    user_id = office.users["clerk.a"]
    error(wire.post(f"/v1/users/{user_id}/disable", headers=clerk), 403, "forbidden")
    assert wire.post(f"/v1/users/{user_id}/disable", headers=admin_a).status_code == 204
    error(wire.post("/v1/pull", json={}, headers=clerk), 401, "token_revoked")
    error(_login(wire, office, "clerk.a"), 403, "forbidden")
    assert _pull_users(wire, admin_a)[user_id]["active"] is False
    # an admin cannot lock themselves out, nor act outside their scope
    r = wire.post(f"/v1/users/{office.users['admin.a']}/disable", headers=admin_a)
    error(r, 403, "forbidden")
    r = wire.post(f"/v1/users/{office.users['clerk.b']}/disable", headers=admin_a)
    error(r, 404, "not_found")
    assert _user(office, "clerk.b").active
    assert wire.post(f"/v1/users/{user_id}/enable", headers=admin_a).status_code == 204
    assert _login(wire, office, "clerk.a").status_code == 200


def test_ending_a_users_sessions(wire, office, clock) -> None:
    admin_a = _session(wire, office, "admin.a")
    first, second = _session(wire, office, "clerk.a"), _session(wire, office, "clerk.a")
    supervisor = _session(wire, office, "super.a")
    user_id = office.users["clerk.a"]
    # a clerk may not end a colleague's sessions
    r = wire.post(f"/v1/users/{office.users['super.a']}/end-sessions", headers=first)
    error(r, 403, "forbidden")
    assert wire.post("/v1/pull", json={}, headers=supervisor).status_code == 200
    r = wire.post(f"/v1/users/{user_id}/end-sessions", headers=admin_a)
    assert r.status_code == 200 and r.json() == {"user_id": user_id, "ended": 2}
    for headers in (first, second):
        error(wire.post("/v1/pull", json={}, headers=headers), 401, "token_revoked")
    # the password still works: a new session
    again = _session(wire, office, "clerk.a")
    # a user may end their own
    r = wire.post(f"/v1/users/{user_id}/end-sessions", headers=again)
    assert r.status_code == 200 and r.json()["ended"] == 1
    assert wire.post("/v1/pull", json={}, headers=supervisor).status_code == 200


# --- offline verifiers -----------------------------------------------------------------


def test_a_pc_of_another_org_gets_no_verifier(wire, office, clock) -> None:
    """The provincial supervisor pulls office A's rows on the province's PC: A's users
    may not log in there, so their verifiers do not go there."""
    pc_b = admin.register_device_as_operator(office.db, office.org_b, "PC B")
    province_b = _session_on(wire, office, "province", pc_b)
    users_b = _pull_users(wire, province_b)
    assert users_b[office.users["clerk.a"]]["password_verifier"] is None
    assert users_b[office.users["admin.a"]]["password_verifier"] is None
    assert users_b[office.users["clerk.b"]]["password_verifier"] is not None
    assert users_b[office.users["province"]]["password_verifier"] is not None
    # on A's PC the same rows carry them, the province's user too (A is in their scope)
    users_a = _pull_users(wire, _session(wire, office, "province"))
    assert users_a[office.users["clerk.a"]]["password_verifier"] is not None
    assert users_a[office.users["province"]]["password_verifier"] is not None


def test_the_published_verifier_is_not_the_centrals(wire, office, clock) -> None:
    users_a = _pull_users(wire, _session(wire, office, "clerk.a"))
    for username, user_id in office.users.items():
        published = users_a.get(user_id)
        if published is None:
            continue  # another organization's user
        central = _user(office, username).password_verifier
        assert published["password_verifier"] != central
        assert published["password_verifier"].startswith("scrypt-offline-v1$")
        assert check_offline_verifier(PASSWORD, published["password_verifier"])
        # it is no key to the central: as a central verifier it checks nothing
        assert not check_verifier(PASSWORD, published["password_verifier"])
        assert PASSWORD not in published["password_verifier"]


def test_a_user_from_before_offline_verifiers_gets_one_at_login(wire, office, clock) -> None:
    with office.db.transaction() as s:
        s.get(CentralUser, office.users["clerk.a"]).offline_verifier = None
    session = _session(wire, office, "clerk.a")
    verifier = _pull_users(wire, session)[office.users["clerk.a"]]["password_verifier"]
    assert check_offline_verifier(PASSWORD, verifier)
    assert not check_verifier(PASSWORD, verifier)


def test_trusted_proxies_are_a_setting_workers_inherit(monkeypatch) -> None:
    monkeypatch.setenv("LOCALHR_CENTRAL_TRUSTED_PROXIES", '["127.0.0.1", "10.0.0.0/8"]')
    settings = CentralSettings(database_url="sqlite:///x.sqlite3")
    assert settings.trusted_proxies == ["127.0.0.1", "10.0.0.0/8"]
    for name, value in settings.as_environment().items():  # what `serve --workers` passes
        monkeypatch.setenv(name, value)
    assert CentralSettings().trusted_proxies == ["127.0.0.1", "10.0.0.0/8"]
    with pytest.raises(ValueError, match="not-an-address"):
        CentralSettings(database_url="sqlite:///x.sqlite3", trusted_proxies=["not-an-address"])


def test_parallel_guesses_get_no_more_tries(wire, office) -> None:
    """Guesses sent at once are counted before their passwords are checked: however many
    arrive together, only the free ones are checked, and none gets a 5xx."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(
            pool.map(lambda _: _login(wire, office, "clerk.a", "guess-1234").status_code,
                     range(24))
        )  # fmt: skip
    assert sorted(answers) == [401] * 3 + [429] * 21


def test_failures_are_forgotten_after_a_day(wire, office, clock) -> None:
    for _ in range(2):
        error(_login(wire, office, "clerk.a", "guess"), 401, "unauthenticated")
    clock.advance(25 * 3600)
    for _ in range(2):  # two more: a count from zero, no block
        error(_login(wire, office, "clerk.a", "guess"), 401, "unauthenticated")
    assert _login(wire, office, "clerk.a").status_code == 200
    # the rows of forgotten failures go
    for i in range(2):
        _login(wire, office, f"gone.{i}", "guess")
    clock.advance(25 * 3600)
    _login(wire, office, "other.name", "guess")
    with office.db.reading() as s:
        keys = set(s.scalars(select(CentralAuthFailure.key)))
    assert keys == {"account:other.name", "address:192.0.2.10"}


def test_an_office_logging_in_all_at_once_is_not_throttled(wire, office) -> None:
    """Every PC behind one address logs in at the same moment (a morning, a training
    room): more right passwords in flight than the address's free failures, none refused,
    none a 5xx; and a right password racing another user's delete of its row is no 5xx."""
    names = [f"room.{i}" for i in range(12)]  # the address is free for 6 failures here
    for name in names:
        admin.create_user(office.db, office.org_a, name, f"ผู้ใช้ {name}", "clerk", PASSWORD)
    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(lambda n: _login(wire, office, n).status_code, names * 2))
    assert answers == [200] * len(names) * 2
