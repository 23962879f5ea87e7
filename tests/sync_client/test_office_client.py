"""The desktop's client for the org admin's accounts and PCs and a user's own password
(sync.client.office), against a real central on loopback."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.store.db import open_database
from sync.central.models import CentralDevice
from sync.client.credentials import CredentialStore, DeviceCredential, MemoryKeyring, UserToken
from sync.client.engine import Credentials, SyncEngine
from sync.client.errors import AuthFailed, BadRequest, Forbidden, Offline
from sync.client.office import CentralSession, NoSession, OfficeClient, session_of
from sync.client.transport import CentralClient


def _office(central, username: str, device: DeviceCredential | None = None) -> OfficeClient:
    device = device or central.registered_device()
    client = central.client()
    token = client.login(device, username, central.password).token
    return OfficeClient(client, CentralSession(device, token))


def test_an_admin_adds_a_user_who_changes_the_one_time_password(central) -> None:
    device = central.registered_device()
    office = _office(central, "admin.a", device)
    made = office.add_user("clerk.new", "สมหญิง ใหม่", "clerk")
    assert made.user.password_change_required and made.one_time_password
    listed = {u.username: u for u in office.users()}
    assert set(listed) == {"admin.a", "clerk.a", "super.a", "clerk.new"}
    assert listed["admin.a"].last_login_at is not None
    # the new user: a session that may only change the password, then works
    client = central.client()
    answer = client.login(device, "clerk.new", made.one_time_password)
    assert answer.must_change_password
    mine = OfficeClient(client, CentralSession(device, answer.token))
    with pytest.raises(BadRequest) as weak:
        mine.change_password(made.one_time_password, "short")
    assert weak.value.code == "weak_password"
    mine.change_password(made.one_time_password, "ใหม่-ยาวพอ-2569")
    assert client.login(device, "clerk.new", "ใหม่-ยาวพอ-2569").must_change_password is False
    with pytest.raises(BadRequest) as taken:
        office.add_user("clerk.new", "อีกคน", "clerk")
    assert taken.value.code == "username_taken"


def test_an_admin_resets_disables_enables_and_ends_sessions(central) -> None:
    office = _office(central, "admin.a")
    clerk = central.users["clerk.a"]
    _office(central, "clerk.a")
    assert office.end_sessions(clerk).ended == 1
    reset = office.reset_password(clerk)
    assert reset.one_time_password
    office.set_active(clerk, False)
    assert not {u.username: u for u in office.users()}["clerk.a"].active
    office.set_active(clerk, True)
    listed = {u.username: u for u in office.users()}["clerk.a"]
    assert listed.active and listed.password_change_required
    with pytest.raises(BadRequest) as missing:
        office.reset_password(central.users["clerk.b"])  # another office's
    assert missing.value.code == "not_found"


def test_a_clerk_is_forbidden_and_an_unreachable_central_is_offline(central) -> None:
    clerk = _office(central, "clerk.a")
    for call in (clerk.users, clerk.devices, lambda: clerk.add_user("x", "x", "clerk")):
        with pytest.raises(Forbidden) as refused:
            call()
        assert refused.value.code == "forbidden"
    gone = CentralClient("http://127.0.0.1:9", retries=0, timeout=(1.0, 1.0))
    device = DeviceCredential("pc", "secret", "org")
    with pytest.raises(Offline):
        OfficeClient(gone, CentralSession(device, "token")).users()
    gone.close()


def test_pcs_report_version_and_ops_waiting_and_an_admin_revokes_one(central, tmp_path) -> None:
    device = central.registered_device("เครื่อง 1")
    client = central.client()
    token = client.login(device, "clerk.a", central.password)
    db = open_database(tmp_path / "local.sqlite3")
    try:
        creds = Credentials(device, {token.user.id: token.token}, token.user.id)
        SyncEngine(db, client).sync(creds)
    finally:
        db.close()
    office = _office(central, "admin.a")
    pcs = {d.id: d for d in office.devices()}
    pc = pcs[device.device_id]
    assert pc.program_version == client.status.version and pc.ops_waiting == 0
    assert pc.last_sync_at is not None
    assert office.rename_device(device.device_id, "ห้องทะเบียน").name == "ห้องทะเบียน"
    office.revoke_device(device.device_id)
    with pytest.raises(AuthFailed) as revoked:
        client.login(device, "clerk.a", central.password)
    assert revoked.value.device_problem
    with central.db.reading() as s:
        assert s.scalar(select(CentralDevice.revoked_at).where(
            CentralDevice.id == device.device_id)) is not None  # fmt: skip
    with pytest.raises(BadRequest) as bad:
        office.rename_device(device.device_id, "")
    assert bad.value.code == "bad_request"


def test_a_user_without_a_token_here_has_no_session(central, tmp_path) -> None:
    store = CredentialStore("localhr-test " + str(tmp_path), MemoryKeyring())
    device = central.registered_device()
    store.save_device(device)
    with pytest.raises(NoSession):
        session_of(store, "clerk.a")
    client = central.client()
    store.save_token(UserToken.from_login("clerk.a", client.login(device, "clerk.a",
                                                                  central.password)))  # fmt: skip
    assert session_of(store, "clerk.a").device.device_id == device.device_id
