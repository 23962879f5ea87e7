"""Registering PCs, logging in, and every way a caller is refused (DESIGN.md §5)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from sync.central import admin, auth
from sync.central.auth import AuthError, device_header, hash_secret
from sync.central.models import CentralDevice, CentralToken, CentralUser
from sync.protocol import DeviceRegistrationRequest, ErrorBody, ErrorCode
from sync.protocol.v1 import DEVICE_HEADER


def _error(r, status: int, code: str) -> ErrorBody:
    assert r.status_code == status, r.text
    body = ErrorBody.model_validate(r.json())
    assert body.code == code, body
    assert body.message
    return body


def _register(client, office, username="admin.a", password=None, org=None, name="PC 2"):
    return client.post(
        "/v1/devices",
        json={
            "username": username,
            "password": office.password if password is None else password,
            "org_id": org or office.org_a,
            "name": name,
        },
    )


# --- registration ----------------------------------------------------------------------


def test_an_org_admin_registers_a_pc_and_only_the_hash_is_kept(client, office) -> None:
    r = _register(client, office, username="  Admin.A ")
    assert r.status_code == 201, r.text
    reg = r.json()
    assert reg["org_id"] == office.org_a
    assert len(reg["credential"]) >= 40
    with office.db.transaction() as s:
        device = s.get(CentralDevice, reg["device_id"])
        assert device.credential_hash == hash_secret(reg["credential"])
        assert device.registered_by == office.users["admin.a"]
        assert device.name == "PC 2"
        assert device.revoked_at is None
    # the new PC works: a user logs in on it
    headers = {DEVICE_HEADER: device_header(reg["device_id"], reg["credential"])}
    r = client.post(
        "/v1/login", json={"username": "clerk.a", "password": office.password}, headers=headers
    )
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("code", ["6340101", "๖๓๔๐๑๐๑", " 6340101 "])
def test_a_pc_is_registered_by_its_organizations_dla_code(client, office, code) -> None:
    """What an office knows itself by (first run asks for it), in Thai digits too."""
    r = _register(client, office, org=code)
    assert r.status_code == 201, r.text
    assert r.json()["org_id"] == office.org_a
    # a code outside the admin's scope, or of no organization, is refused like a wrong
    # password (the caller holds no credential: see sync.central.auth)
    _error(_register(client, office, org="5340102"), 401, "unauthenticated")
    _error(_register(client, office, org="1234567"), 401, "unauthenticated")


@pytest.mark.parametrize(
    ("username", "password", "org", "status", "code"),
    [
        ("clerk.a", None, "a", 401, "unauthenticated"),
        ("super.a", None, "a", 401, "unauthenticated"),
        ("admin.a", "wrong password", "a", 401, "unauthenticated"),
        ("nobody", None, "a", 401, "unauthenticated"),
        ("admin.b", None, "a", 401, "unauthenticated"),
        ("admin.a", None, "b", 401, "unauthenticated"),
    ],
)
def test_registration_is_refused(client, office, username, password, org, status, code) -> None:
    org_id = office.org_a if org == "a" else office.org_b
    body = _error(_register(client, office, username, password, org_id), status, code)
    # one answer whatever was wrong: no password oracle for a caller without a credential
    assert body.message == auth.REGISTRATION_FAILED
    with office.db.transaction() as s:
        assert len(s.scalars(select(CentralDevice)).all()) == 1  # only the office's own PC


def test_a_disabled_admin_cannot_register_a_pc(client, office) -> None:
    admin.set_user_active(office.db, office.users["admin.a"], False)
    _error(_register(client, office), 401, "unauthenticated")


def test_registration_for_an_unknown_org_in_scope_is_refused(office) -> None:
    with office.db.transaction() as s:
        s.execute(
            update(CentralUser)
            .where(CentralUser.id == office.users["admin.a"])
            .values(scope_org_ids=["no-such-org"])
        )
    req = DeviceRegistrationRequest(
        username="admin.a", password=office.password, org_id="no-such-org", name="PC"
    )
    with pytest.raises(AuthError) as exc:
        auth.register_device(office.db, req)
    assert (exc.value.code, exc.value.status) == (ErrorCode.UNAUTHENTICATED, 401)


# --- login -----------------------------------------------------------------------------


def test_login_on_a_registered_pc_issues_a_token_whose_hash_is_kept(client, office) -> None:
    r = client.post(
        "/v1/login",
        json={"username": "clerk.a", "password": office.password},
        headers=office.device_headers(),
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["user"] == {
        "id": office.users["clerk.a"],
        "org_id": office.org_a,
        "username": "clerk.a",
        "display_name": "ผู้ใช้ clerk.a",
        "role": "clerk",
        "scope_org_ids": [],
    }
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert dt.timedelta(days=6) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=7)
    with office.db.transaction() as s:
        token = s.get(CentralToken, hash_secret(body["token"]))
        assert token.user_id == office.users["clerk.a"]
        assert token.device_id == office.device.device_id
        assert token.revoked_at is None


def test_a_provincial_supervisor_logs_in_on_a_pc_of_an_org_in_scope(client, office) -> None:
    headers = office.login(client, "province")
    r = client.post("/v1/pull", json={}, headers=headers)
    assert r.status_code == 200, r.text
    assert set(r.json()["cursors"]) == {office.org_a, office.org_b}


@pytest.mark.parametrize(
    ("device", "code"),
    [
        (None, "device_unknown"),
        ("", "device_unknown"),
        ("no-colon", "device_unknown"),
        ("unknown-id:whatever", "device_unknown"),
        ("OWN:wrong-credential", "device_unknown"),
    ],
)
def test_login_needs_a_registered_pc(client, office, device, code) -> None:
    headers = {}
    if device is not None:
        headers[DEVICE_HEADER] = device.replace("OWN", office.device.device_id)
    r = client.post(
        "/v1/login", json={"username": "clerk.a", "password": office.password}, headers=headers
    )
    _error(r, 401, code)


@pytest.mark.parametrize(
    ("username", "password", "status", "code"),
    [
        ("clerk.a", "wrong password", 401, "unauthenticated"),
        ("nobody", None, 401, "unauthenticated"),
        ("clerk.b", None, 403, "forbidden"),  # a PC of another organization
        ("admin.b", None, 403, "forbidden"),
    ],
)
def test_login_is_refused(client, office, username, password, status, code) -> None:
    r = client.post(
        "/v1/login",
        json={"username": username, "password": password or office.password},
        headers=office.device_headers(),
    )
    body = _error(r, status, code)
    if status == 401:
        assert body.message == "wrong username or password"
    with office.db.transaction() as s:
        assert s.scalars(select(CentralToken)).all() == []


def test_a_disabled_user_cannot_log_in(client, office) -> None:
    admin.set_user_active(office.db, office.users["clerk.a"], False)
    r = client.post(
        "/v1/login",
        json={"username": "clerk.a", "password": office.password},
        headers=office.device_headers(),
    )
    _error(r, 403, "forbidden")


# --- authenticated requests ------------------------------------------------------------


def test_sync_routes_need_a_token_and_the_pc(client, office) -> None:
    headers = office.login(client, "clerk.a")
    assert client.post("/v1/pull", json={}, headers=headers).status_code == 200
    r = client.post("/v1/push", json={"ops": []}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json() == {"results": []}
    token_only = {"Authorization": headers["Authorization"]}
    for path, body in (("/v1/pull", {}), ("/v1/push", {"ops": []})):
        _error(client.post(path, json=body), 401, "device_unknown")
        _error(client.post(path, json=body, headers=token_only), 401, "device_unknown")
        _error(
            client.post(path, json=body, headers=office.device_headers()), 401, "unauthenticated"
        )
        wrong = {**office.device_headers(), "Authorization": "Bearer not-a-token"}
        _error(client.post(path, json=body, headers=wrong), 401, "unauthenticated")
        basic = {**office.device_headers(), "Authorization": "Basic YWRtaW46eA=="}
        _error(client.post(path, json=body, headers=basic), 401, "unauthenticated")


def test_a_token_works_only_on_the_pc_it_was_issued_on(client, office) -> None:
    headers = office.login(client, "clerk.a")
    other = admin.register_device_as_operator(office.db, office.org_a, "PC 2")
    moved = {**office.device_headers(other), "Authorization": headers["Authorization"]}
    _error(client.post("/v1/pull", json={}, headers=moved), 401, "unauthenticated")


def test_an_expired_token_is_token_expired(client_for, office) -> None:
    client = client_for(token_ttl_hours=0)
    headers = office.login(client, "clerk.a")
    _error(client.post("/v1/pull", json={}, headers=headers), 401, "token_expired")


def test_a_token_expires_after_its_lifetime(client, office, monkeypatch) -> None:
    headers = office.login(client, "clerk.a")
    assert client.post("/v1/pull", json={}, headers=headers).status_code == 200
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=7, seconds=1)
    monkeypatch.setattr(auth, "utcnow", lambda: later)
    _error(client.post("/v1/pull", json={}, headers=headers), 401, "token_expired")


def test_logout_revokes_the_token(client, office) -> None:
    headers = office.login(client, "clerk.a")
    assert client.post("/v1/logout", headers=headers).status_code == 204
    _error(client.post("/v1/pull", json={}, headers=headers), 401, "token_revoked")
    assert client.post("/v1/logout", headers=headers).status_code == 204  # idempotent
    _error(client.post("/v1/logout"), 401, "unauthenticated")


def test_revoking_a_users_tokens_ends_every_session(client, office) -> None:
    first = office.login(client, "clerk.a")
    second = office.login(client, "clerk.a")
    other = office.login(client, "super.a")
    assert auth.revoke_user_tokens(office.db, office.users["clerk.a"]) == 2
    for headers in (first, second):
        _error(client.post("/v1/pull", json={}, headers=headers), 401, "token_revoked")
    assert client.post("/v1/pull", json={}, headers=other).status_code == 200


def test_revoke_token_of_an_unknown_token_says_so(office) -> None:
    assert auth.revoke_token(office.db, "never-issued") is False


def test_an_inactive_user_is_forbidden_even_with_a_live_token(client, office) -> None:
    headers = office.login(client, "clerk.a")
    with office.db.transaction() as s:
        s.execute(
            update(CentralUser)
            .where(CentralUser.id == office.users["clerk.a"])
            .values(active=False)
        )
    _error(client.post("/v1/pull", json={}, headers=headers), 403, "forbidden")


def test_disabling_a_user_revokes_their_sessions(client, office) -> None:
    headers = office.login(client, "clerk.a")
    admin.set_user_active(office.db, office.users["clerk.a"], False)
    _error(client.post("/v1/pull", json={}, headers=headers), 401, "token_revoked")


def test_authenticate_codes(office, client) -> None:
    headers = office.login(client, "clerk.a")
    token = headers["Authorization"].removeprefix("Bearer ")
    dev = office.device
    with office.db.transaction() as s:
        p = auth.authenticate(
            s, token=token, device_id=dev.device_id, device_credential=dev.credential
        )
        assert p.user.id == office.users["clerk.a"]
        assert p.user.password_verifier is None
        assert (p.device_id, p.device_org_id) == (dev.device_id, office.org_a)
        for kwargs, code in [
            ({"token": None}, ErrorCode.UNAUTHENTICATED),
            ({"token": ""}, ErrorCode.UNAUTHENTICATED),
            ({"token": "nope"}, ErrorCode.UNAUTHENTICATED),
            ({"device_id": None}, ErrorCode.DEVICE_UNKNOWN),
            ({"device_credential": None}, ErrorCode.DEVICE_UNKNOWN),
            ({"device_credential": "x"}, ErrorCode.DEVICE_UNKNOWN),
        ]:
            args = {
                "token": token,
                "device_id": dev.device_id,
                "device_credential": dev.credential,
                **kwargs,
            }
            with pytest.raises(AuthError) as exc:
                auth.authenticate(s, **args)
            assert exc.value.code is code
            assert exc.value.status == 401


# --- revoking a PC ---------------------------------------------------------------------


def test_an_org_admin_revokes_a_pc(client, office) -> None:
    clerk = office.login(client, "clerk.a")
    admin_headers = office.login(client, "admin.a")
    second = admin.register_device_as_operator(office.db, office.org_a, "PC 2")
    r = client.post(f"/v1/devices/{office.device.device_id}/revoke", headers=admin_headers)
    assert r.status_code == 204, r.text
    # every session on it ends, and nobody logs in on it any more
    for headers in (clerk, admin_headers):
        _error(client.post("/v1/pull", json={}, headers=headers), 401, "device_revoked")
    r = client.post(
        "/v1/login",
        json={"username": "clerk.a", "password": office.password},
        headers=office.device_headers(),
    )
    _error(r, 401, "device_revoked")
    with office.db.transaction() as s:
        tokens = s.scalars(select(CentralToken)).all()
        assert tokens and all(t.revoked_at is not None for t in tokens)
    # the organization's other PC still works
    r = client.post("/v1/pull", json={}, headers=office.login(client, "clerk.a", second))
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(("username", "status", "code"), [
    ("clerk.a", 403, "forbidden"),
    ("super.a", 403, "forbidden"),
    ("province", 403, "forbidden"),
])  # fmt: skip
def test_only_an_org_admin_revokes_a_pc(client, office, username, status, code) -> None:
    headers = office.login(client, username)
    r = client.post(f"/v1/devices/{office.device.device_id}/revoke", headers=headers)
    _error(r, status, code)
    assert client.post("/v1/pull", json={}, headers=headers).status_code == 200


def test_an_admin_of_another_org_cannot_revoke_a_pc(client, office) -> None:
    pc_b = admin.register_device_as_operator(office.db, office.org_b, "PC B")
    headers_b = office.login(client, "admin.b", pc_b)
    r = client.post(f"/v1/devices/{office.device.device_id}/revoke", headers=headers_b)
    _error(r, 403, "forbidden")
    headers_a = office.login(client, "admin.a")
    _error(client.post("/v1/devices/no-such-pc/revoke", headers=headers_a), 404, "not_found")
    _error(client.post(f"/v1/devices/{pc_b.device_id}/revoke"), 401, "device_unknown")


# --- a PC registered again under its own id (the demo's PC at every start) ---------------


def test_the_operator_gives_a_known_pc_a_fresh_credential_under_its_id(client, office) -> None:
    old = office.device
    clerk = office.login(client, "clerk.a")
    again = admin.register_device_as_operator(
        office.db, office.org_a, "PC", device_id=old.device_id
    )
    assert again.device_id == old.device_id and again.credential != old.credential
    # the old credential, and the sessions opened with it, stop working
    _error(client.post("/v1/pull", json={}, headers=clerk), 401, "device_unknown")
    token = {"Authorization": clerk["Authorization"], **office.device_headers(again)}
    _error(client.post("/v1/pull", json={}, headers=token), 401, "token_revoked")
    # the same PC logs in and syncs with the new one; the organization still has one PC
    r = client.post("/v1/pull", json={}, headers=office.login(client, "clerk.a", again))
    assert r.status_code == 200, r.text
    with office.db.transaction() as s:
        assert s.scalars(select(CentralDevice.id)).all() == [old.device_id]


def test_an_unknown_foreign_or_revoked_pc_id_gets_a_new_pc(client, office) -> None:
    pc_b = admin.register_device_as_operator(office.db, office.org_b, "PC B")
    revoked = admin.register_device_as_operator(office.db, office.org_a, "PC 2")
    r = client.post(
        f"/v1/devices/{revoked.device_id}/revoke", headers=office.login(client, "admin.a")
    )
    assert r.status_code == 204, r.text
    for device_id in ("never-registered", pc_b.device_id, revoked.device_id):
        reg = admin.register_device_as_operator(
            office.db, office.org_a, "PC 3", device_id=device_id
        )
        assert reg.device_id != device_id
        r = client.post("/v1/pull", json={}, headers=office.login(client, "clerk.a", reg))
        assert r.status_code == 200, r.text
    # B's PC and the revoked one are as they were
    r = client.post("/v1/pull", json={}, headers=office.login(client, "clerk.b", pc_b))
    assert r.status_code == 200, r.text
    with office.db.transaction() as s:
        assert s.get(CentralDevice, revoked.device_id).revoked_at is not None
