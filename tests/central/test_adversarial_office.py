"""The org admin's accounts and PCs attacked over the wire (issue 14), on SQLite and
PostgreSQL: raw JSON as a client written from the protocol alone would send it. Each
refusal is checked with what did not change, and nothing answers 5xx."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from sync.central import admin
from sync.central.models import (
    CentralDevice,
    CentralSecurityEvent,
    CentralUser,
    CentralUserKey,
)
from sync.protocol import CLIENT_STATUS_HEADER
from tests.central.conftest import PASSWORD, Office
from tests.central.sync_helpers import error, login

NEW = {"username": "clerk.new", "display_name": "สมหญิง ใหม่", "role": "clerk"}
NOT_ADMINS = ["clerk.a", "super.a", "province", "auditor.a"]


@pytest.fixture
def auditor(office: Office) -> str:
    office.users["auditor.a"] = admin.create_user(
        office.db, office.org_a, "auditor.a", "ผู้ตรวจสอบ", "auditor", PASSWORD
    )
    return "auditor.a"


def _users(office: Office) -> list[tuple[Any, ...]]:
    with office.db.reading() as s:
        return s.execute(
            select(CentralUser.username, CentralUser.active, CentralUser.password_verifier,
                   CentralUser.must_change_password).order_by(CentralUser.username)
        ).all()  # fmt: skip


def _devices(office: Office) -> list[tuple[Any, ...]]:
    with office.db.reading() as s:
        return s.execute(
            select(CentralDevice.id, CentralDevice.name, CentralDevice.revoked_at,
                   CentralDevice.credential_hash).order_by(CentralDevice.id)
        ).all()  # fmt: skip


def _events(office: Office, kind: str) -> list[CentralSecurityEvent]:
    with office.db.reading() as s:
        rows = s.scalars(select(CentralSecurityEvent).where(CentralSecurityEvent.kind == kind))
        return list(rows.all())


# --- accounts ----------------------------------------------------------------------------


def test_an_admin_lists_the_accounts_of_their_office(client, office) -> None:
    headers = office.login(client, "admin.a")
    r = client.get("/v1/users", headers=headers)
    assert r.status_code == 200, r.text
    users = {u["username"]: u for u in r.json()["users"]}
    # B's accounts, and the provincial officer whose scope is wider than A, are not A's
    assert sorted(users) == ["admin.a", "clerk.a", "super.a"]
    assert users["admin.a"]["last_login_at"] is not None
    assert users["clerk.a"]["last_login_at"] is None
    assert users["clerk.a"]["role"] == "clerk" and users["clerk.a"]["active"]
    assert not users["clerk.a"]["password_change_required"]
    assert "password_verifier" not in r.text and "offline_verifier" not in r.text


def test_a_new_account_gets_a_one_time_password_to_change_first(client, office) -> None:
    headers = office.login(client, "admin.a")
    r = client.post("/v1/users", json=NEW, headers=headers)
    assert r.status_code == 201, r.text
    body = r.json()
    one_time = body["one_time_password"]
    assert body["user"]["password_change_required"] and body["user"]["org_id"] == office.org_a
    listed = client.get("/v1/users", headers=headers).json()["users"]
    assert [u["username"] for u in listed if u["password_change_required"]] == ["clerk.new"]
    assert one_time not in str(listed)
    # the new user logs in with it, may do nothing but change it, then works
    r = client.post("/v1/login", json={"username": "clerk.new", "password": one_time},
                    headers=office.device_headers())  # fmt: skip
    assert r.status_code == 200 and r.json()["must_change_password"], r.text
    mine = {**office.device_headers(), "Authorization": f"Bearer {r.json()['token']}"}
    error(client.post("/v1/pull", json={}, headers=mine), 403, "password_change_required")
    change = {"old_password": one_time, "new_password": "ใหม่-ยาวพอ-2569"}
    assert client.post("/v1/password", json=change, headers=mine).status_code == 204
    assert client.post("/v1/pull", json={}, headers=mine).status_code == 200
    # the offline verifier reaches the office's PCs now, with the user row
    rows = login(client, office, "super.a", key=False).changes()
    row = next(c for c in rows if c["table"] == "user" and c["data"]["username"] == "clerk.new")
    assert row["data"]["password_verifier"]
    [event] = _events(office, "account.created")
    assert event.username == "clerk.new" and event.detail["by"] == "admin.a"


def test_a_provincial_admin_gives_a_scope_within_their_own(client, office) -> None:
    office.users["admin.p"] = admin.create_user(
        office.db, office.org_b, "admin.p", "ผู้ดูแลจังหวัด", "org_admin", PASSWORD,
        (office.org_a,),
    )  # fmt: skip
    pc_b = admin.register_device_as_operator(office.db, office.org_b, "PC B")
    headers = office.login(client, "admin.p", pc_b)
    body = {**NEW, "role": "supervisor", "scope_org_ids": [office.org_a]}
    r = client.post("/v1/users", json=body, headers=headers)
    assert r.status_code == 201, r.text
    assert r.json()["user"]["scope_org_ids"] == [office.org_a]
    listed = {u["username"] for u in client.get("/v1/users", headers=headers).json()["users"]}
    assert {"province", "clerk.new", "clerk.a", "clerk.b"} <= listed


@pytest.mark.usefixtures("auditor")
@pytest.mark.parametrize("username", NOT_ADMINS)
def test_only_an_org_admin_lists_or_adds_accounts(client, office, username) -> None:
    before = _users(office)
    headers = office.login(client, username)
    error(client.get("/v1/users", headers=headers), 403, "forbidden")
    error(client.post("/v1/users", json=NEW, headers=headers), 403, "forbidden")
    assert _users(office) == before


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({**NEW, "role": "superuser"}, 422, "bad_request"),
        ({**NEW, "role": "operator"}, 422, "bad_request"),
        ({**NEW, "username": "bad name!"}, 422, "bad_request"),
        ({**NEW, "username": "x" * 65}, 422, "bad_request"),
        ({**NEW, "username": ""}, 422, "bad_request"),
        ({**NEW, "display_name": "   "}, 422, "bad_request"),
        ({**NEW, "display_name": "ก" * 201}, 422, "bad_request"),
        ({**NEW, "username": "Clerk.A"}, 409, "username_taken"),
        ({**NEW, "org_id": "B"}, 422, "bad_request"),  # the org is the admin's own
        ({**NEW, "password": "mine"}, 422, "bad_request"),  # never chosen by the admin
        ({**NEW, "scope_org_ids": ["../etc"]}, 422, "bad_request"),
        ({**NEW, "scope_org_ids": ["x"] * 201}, 422, "bad_request"),
        ({**NEW, "scope_org_ids": "B"}, 422, "bad_request"),
        ([NEW], 422, "bad_request"),
        (None, 422, "bad_request"),
    ],
)
def test_hostile_new_accounts_are_refused(client, office, body, status, code) -> None:
    before = _users(office)
    headers = office.login(client, "admin.a")
    error(client.post("/v1/users", json=body, headers=headers), status, code)
    assert _users(office) == before
    assert not _events(office, "account.created")


def test_a_scope_outside_the_admins_is_refused(client, office) -> None:
    before = _users(office)
    headers = office.login(client, "admin.a")
    for scope in ([office.org_b], ["no-such-org"], [office.org_a, office.org_b]):
        body = {**NEW, "role": "supervisor", "scope_org_ids": scope}
        error(client.post("/v1/users", json=body, headers=headers), 403, "forbidden")
    assert _users(office) == before


def test_the_account_routes_are_refused_to_no_one_else(client, office) -> None:
    """Without a session, with another org's admin, or with garbage: never 5xx."""
    before = _users(office)
    error(client.get("/v1/users", headers=office.device_headers()), 401, "unauthenticated")
    error(client.post("/v1/users", json=NEW), 401, "device_unknown")
    headers = office.login(client, "admin.a")
    r = client.post(
        "/v1/users", content=b"{not json", headers={**headers, "Content-Type": "application/json"}
    )
    error(r, 400, "bad_request")
    pc_b = admin.register_device_as_operator(office.db, office.org_b, "PC B")
    headers_b = office.login(client, "admin.b", pc_b)
    for action in ("reset-password", "disable", "enable", "end-sessions"):
        r = client.post(f"/v1/users/{office.users['clerk.a']}/{action}", headers=headers_b)
        error(r, 404, "not_found")
    assert {u["username"] for u in client.get("/v1/users", headers=headers_b).json()["users"]} \
        == {"admin.b", "clerk.b"}  # fmt: skip
    assert _users(office) == before


# --- PCs ---------------------------------------------------------------------------------


def test_an_admin_sees_each_pcs_last_sync_version_and_ops_waiting(client, office) -> None:
    admin.register_device_as_operator(office.db, office.org_b, "PC B")
    clerk = login(client, office, "clerk.a", key=False)
    status = {CLIENT_STATUS_HEADER: "version=0.14.0; ops=12"}
    r = client.post("/v1/pull", json={}, headers={**clerk.headers, **status})
    assert r.status_code == 200, r.text
    headers = office.login(client, "admin.a")
    r = client.get("/v1/devices", headers=headers)
    assert r.status_code == 200, r.text
    [pc] = r.json()["devices"]  # B's PC is not A's
    assert pc["id"] == office.device.device_id and pc["name"] == "เครื่องงานบุคคล 1"
    assert pc["program_version"] == "0.14.0" and pc["ops_waiting"] == 12
    assert pc["last_sync_at"] is not None and pc["revoked_at"] is None
    assert "credential" not in r.text


@pytest.mark.parametrize(
    "value",
    [
        "version=../../etc/passwd; ops=-1",
        "version=" + "9" * 40 + "; ops=99999999999",
        "version=1.0 <script>; ops=1e3",
        "ops=12; " + "x" * 500,
        "version=\t; ops=",
        ";;;===",
    ],
)
def test_a_malformed_status_header_is_ignored_not_refused(client, office, value) -> None:
    clerk = login(client, office, "clerk.a", key=False)
    r = client.post("/v1/pull", json={}, headers={**clerk.headers, CLIENT_STATUS_HEADER: value})
    assert r.status_code == 200, r.text
    with office.db.reading() as s:
        pc = s.get(CentralDevice, office.device.device_id)
        assert (pc.program_version, pc.ops_waiting) == (None, None)
        assert pc.last_seen_at is not None


def test_an_admin_renames_a_pc(client, office) -> None:
    headers = office.login(client, "admin.a")
    path = f"/v1/devices/{office.device.device_id}/rename"
    r = client.post(path, json={"name": "  เครื่อง  ห้องทะเบียน "}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "เครื่อง ห้องทะเบียน"
    [event] = _events(office, "device.renamed")
    assert event.detail["old_name"] == "เครื่องงานบุคคล 1" and event.org_id == office.org_a


@pytest.mark.usefixtures("auditor")
@pytest.mark.parametrize("username", NOT_ADMINS)
def test_only_an_org_admin_lists_renames_or_revokes_pcs(client, office, username) -> None:
    before = _devices(office)
    headers = office.login(client, username)
    pc = office.device.device_id
    error(client.get("/v1/devices", headers=headers), 403, "forbidden")
    r = client.post(f"/v1/devices/{pc}/rename", json={"name": "mine"}, headers=headers)
    error(r, 403, "forbidden")
    error(client.post(f"/v1/devices/{pc}/revoke", headers=headers), 403, "forbidden")
    assert _devices(office) == before


def test_another_offices_admin_cannot_touch_a_pc(client, office) -> None:
    pc_b = admin.register_device_as_operator(office.db, office.org_b, "PC B")
    before = _devices(office)
    headers = office.login(client, "admin.b", pc_b)
    listed = client.get("/v1/devices", headers=headers).json()["devices"]
    assert [d["id"] for d in listed] == [pc_b.device_id]
    pc = office.device.device_id
    r = client.post(f"/v1/devices/{pc}/rename", json={"name": "ของ B"}, headers=headers)
    error(r, 403, "forbidden")
    error(client.post(f"/v1/devices/{pc}/revoke", headers=headers), 403, "forbidden")
    assert _devices(office) == before
    assert not _events(office, "device.revoked") and not _events(office, "device.renamed")


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/v1/devices/{pc}/rename", {"name": ""}, 422, "bad_request"),
        ("/v1/devices/{pc}/rename", {"name": "   "}, 422, "bad_request"),
        ("/v1/devices/{pc}/rename", {"name": "ก" * 121}, 422, "bad_request"),
        ("/v1/devices/{pc}/rename", {"name": "x", "org_id": "B"}, 422, "bad_request"),
        ("/v1/devices/{pc}/rename", ["x"], 422, "bad_request"),
        ("/v1/devices/no-such-pc/rename", {"name": "x"}, 404, "not_found"),
        ("/v1/devices/no-such-pc/revoke", None, 404, "not_found"),
        ("/v1/devices/%2E%2E/revoke", None, 422, "bad_request"),
        ("/v1/devices/" + "a" * 37 + "/revoke", None, 422, "bad_request"),
    ],
)
def test_hostile_pc_changes_are_refused(client, office, path, body, status, code) -> None:
    before = _devices(office)
    headers = office.login(client, "admin.a")
    r = client.post(path.format(pc=office.device.device_id), json=body, headers=headers)
    error(r, status, code)
    assert _devices(office) == before


def test_revoking_a_pc_stops_it_at_once_with_its_keys(client, office) -> None:
    pc_2 = admin.register_device_as_operator(office.db, office.org_a, "PC 2")
    clerk = login(client, office, "clerk.a", pc_2)  # registers clerk.a's key on PC 2
    elsewhere = login(client, office, "clerk.a")  # and one on the first PC
    headers = office.login(client, "admin.a")
    r = client.post(f"/v1/devices/{pc_2.device_id}/revoke", headers=headers)
    assert r.status_code == 204, r.text
    error(client.post("/v1/pull", json={}, headers=clerk.headers), 401, "device_revoked")
    error(client.post("/v1/login", json={"username": "clerk.a", "password": PASSWORD},
                      headers=office.device_headers(pc_2)), 401, "device_revoked")  # fmt: skip
    with office.db.reading() as s:
        keys = {k.device_id: k.revoked_at for k in s.scalars(select(CentralUserKey))}
        device = s.get(CentralDevice, pc_2.device_id)
        assert device.signing_key is None and device.encryption_key is None
    assert keys[pc_2.device_id] is not None and keys[office.device.device_id] is None
    assert elsewhere.pull()["cursors"] is not None  # the other PC goes on
    listed = {d["id"]: d for d in client.get("/v1/devices", headers=headers).json()["devices"]}
    assert listed[pc_2.device_id]["revoked_at"] is not None
    # again: nothing more happens, one event
    assert client.post(f"/v1/devices/{pc_2.device_id}/revoke", headers=headers).status_code == 204
    [event] = _events(office, "device.revoked")
    assert event.detail["by"] == "admin.a" and event.detail["user_keys_revoked"] == 1
    with office.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(CentralDevice)) == 2


def test_the_status_is_written_when_it_changes_not_at_every_pull(client, office) -> None:
    clerk = login(client, office, "clerk.a", key=False)

    def pull(value: str):
        r = client.post("/v1/pull", json={}, headers={**clerk.headers, CLIENT_STATUS_HEADER: value})
        assert r.status_code == 200, r.text
        with office.db.reading() as s:
            pc = s.get(CentralDevice, office.device.device_id)
            return pc.last_seen_at, pc.ops_waiting

    first = pull("version=0.14.0; ops=3")
    assert pull("version=0.14.0; ops=3") == first  # nothing new: no write
    seen, waiting = pull("version=0.14.0; ops=0")
    assert waiting == 0 and seen >= first[0]
