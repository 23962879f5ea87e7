"""The desktop's HTTP transport against a real central on loopback, and a scripted one."""

from __future__ import annotations

import datetime as dt
import gzip
import ipaddress
import json
import logging
import socket
from types import SimpleNamespace

import pytest
import zstandard
from sqlalchemy import update

from app.domain.ids import new_id, utcnow
from sync.central.auth import device_header as central_device_header
from sync.central.models import CentralDevice
from sync.client import transport
from sync.client.credentials import DeviceCredential
from sync.client.errors import (
    AuthFailed,
    BadRequest,
    BodyTooLarge,
    CertificateError,
    Offline,
    ServerError,
    VersionMismatch,
)
from sync.client.transport import CentralClient, SafeRetry, device_header
from sync.protocol import Op, OpStatus, PullRequest
from tests.central.sync_helpers import key_at_central, signed_model
from tests.sync_client.scripted import Reply

FIRST_NAMES = ["สมชาย", "สมหญิง", "ประเสริฐ", "วิไลวรรณ", "บุญมี", "จันทร์เพ็ญ"]


def _ops(central, device: DeviceCredential, n: int, filler: str = "") -> list[Op]:
    """``n`` new-person drafts by clerk.a (``filler`` makes each op bigger), signed with a
    key of clerk.a on ``device``."""
    keys = key_at_central(central.db, central.users["clerk.a"], device.device_id)
    ops = []
    for i in range(n):
        sub_id = new_id()
        changes = {
            "first_name_th": [None, FIRST_NAMES[i % len(FIRST_NAMES)] + filler],
            "last_name_th": [None, f"ใจดี{i}"],
            "prefix": [None, "นาย"],
            "category": [None, "civil_servant"],
            "birth_date": [None, "1985-03-14"],
            "employment_status": [None, "active"],
        }
        ops.append(
            Op(
                op_id=new_id(),
                kind="submission.save",
                entity_id=sub_id,
                org_id=central.org_a,
                author=central.users["clerk.a"],
                device_id=device.device_id,
                created_at=utcnow(),
                payload={
                    "id": sub_id,
                    "person_id": new_id(),
                    "kind": "new",
                    "base_version": 0,
                    "changes": changes,
                    "history": {"added": [], "updated": {}, "deleted": {}},
                },
            )
        )
    return [signed_model(op, keys) for op in ops]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the happy path --------------------------------------------------------------------


def test_an_admin_registers_the_pc_and_a_clerk_logs_in_on_it(central) -> None:
    client = central.client()
    assert client.health() is True
    assert client.version().protocol == 1
    reg = client.register_device("admin.a", central.password, central.org_a, "เครื่อง 2")
    assert reg.org_id == central.org_a
    device = DeviceCredential.from_registration(reg)
    assert device.secret not in repr(device)

    login = client.login(device, "clerk.a", central.password)
    assert login.user.username == "clerk.a"
    assert login.expires_at > dt.datetime.now(dt.UTC)
    assert client.logged_in
    assert login.token not in repr(client)


def test_no_password_token_or_credential_reaches_the_log(central, caplog) -> None:
    client = central.client()
    with caplog.at_level(logging.DEBUG):
        reg = client.register_device("admin.a", central.password, central.org_a, "เครื่อง 2")
        device = DeviceCredential.from_registration(reg)
        login = client.login(device, "clerk.a", central.password)
        client.pull(PullRequest())
        with pytest.raises(AuthFailed):
            client.login(device, "clerk.a", "a-wrong-password")
        client.logout()
    assert "/v1/login" in caplog.text  # the calls are logged...
    for secret in (central.password, "a-wrong-password", reg.credential, login.token):
        assert secret not in caplog.text  # ...their secrets are not


def test_the_device_header_matches_the_centrals_format() -> None:
    assert device_header("a-device", "s3cret") == central_device_header("a-device", "s3cret")


def test_pushed_drafts_come_back_in_a_pull(central) -> None:
    device = central.registered_device()
    client = central.client()
    client.login(device, "clerk.a", central.password)
    ops = _ops(central, device, 3)

    pushed = client.push(ops)
    assert [r.op_id for r in pushed.results] == [op.op_id for op in ops]
    assert {r.status for r in pushed.results} == {OpStatus.APPLIED}
    # the same ops again (a lost answer): the same results, nothing made twice
    assert client.push(ops) == pushed

    changes, cursors = [], {}
    while True:
        page = client.pull(PullRequest(cursors=cursors, limit=2))
        changes += page.changes
        cursors = page.cursors
        if not page.more:
            break
    drafts = {c.id for c in changes if c.table == "submission"}
    assert drafts == {op.entity_id for op in ops}
    assert cursors[central.org_a] == max(c.seq for c in changes if c.org_id == central.org_a)
    assert client.pull(PullRequest(cursors=cursors)).changes == []


def test_bodies_are_zstd_both_ways_and_the_stats_say_what_went_over_the_wire(central) -> None:
    device = central.registered_device()
    client = central.client()
    client.login(device, "clerk.a", central.password)
    client.push(_ops(central, device, 40))
    sent = client.last_exchange
    assert sent.path == "/v1/push" and sent.status == 200
    assert sent.request_encoding == "zstd"
    assert sent.request_bytes < sent.request_raw_bytes / 3
    assert sent.response_encoding == "zstd"
    assert 0 < sent.response_bytes < sent.response_raw_bytes
    assert sent.attempts == 1

    page = client.pull(PullRequest())
    got = client.last_exchange
    assert len(page.changes) >= 40
    assert got.response_encoding == "zstd"
    assert got.response_bytes < got.response_raw_bytes / 3


def test_a_gzip_only_client_sends_and_gets_gzip(central) -> None:
    device = central.registered_device()
    client = central.client(encodings=("gzip",))
    client.login(device, "clerk.a", central.password)
    assert client.push(_ops(central, device, 20)).results
    stats = client.last_exchange
    assert (stats.request_encoding, stats.response_encoding) == ("gzip", "gzip")
    assert stats.request_bytes < stats.request_raw_bytes


def test_what_is_actually_sent_is_compressed_and_carries_the_protocol(scripted) -> None:
    server = scripted(Reply(200, {"results": []}, {"Content-Encoding": "identity"}))
    client = CentralClient(server.url)
    client.resume(DeviceCredential("dev-1", "org-1", "device-secret"), "user-token")
    ops = [
        Op(
            op_id=new_id(),
            kind="audit.append",
            entity_id=new_id(),
            org_id="org-1",
            author="u",
            device_id="dev-1",
            created_at=utcnow(),
            payload={"note": "บันทึก " * 50},
        )
    ]
    with client:
        client.push(ops)
    (req,) = server.received
    assert req.headers["x-localhr-protocol"] == "1"
    assert req.headers["content-encoding"] == "zstd"
    assert "zstd" in req.headers["accept-encoding"] and "gzip" in req.headers["accept-encoding"]
    assert req.headers["authorization"] == "Bearer user-token"
    assert req.headers["x-localhr-device"] == "dev-1:device-secret"
    body = json.loads(zstandard.ZstdDecompressor().decompressobj().decompress(req.body))
    assert body["ops"][0]["payload"]["note"].startswith("บันทึก")


def test_a_central_that_refuses_zstd_gets_gzip_from_then_on(scripted) -> None:
    refusal = {"code": "unsupported_encoding", "message": "send gzip", "detail": None}
    server = scripted(Reply(415, refusal), Reply(200, {"results": []}))
    client = CentralClient(server.url)
    client.resume(DeviceCredential("dev-1", "org-1", "secret"), "token")
    big = [_audit_op(i) for i in range(5)]
    with client:
        client.push(big)
        assert client.last_exchange.attempts == 2
        assert client.send_encoding == "gzip"
        client.push(big)
    assert [r.headers.get("content-encoding") for r in server.received] == [
        "zstd",
        "gzip",
        "gzip",
    ]
    assert json.loads(gzip.decompress(server.received[2].body))["ops"]


def test_a_gzip_answer_is_decoded(scripted) -> None:
    body = gzip.compress(json.dumps({"changes": [], "cursors": {"o": 3}, "more": False}).encode())
    server = scripted(Reply(200, body, {"Content-Encoding": "gzip"}))
    with CentralClient(server.url) as client:
        client.resume(DeviceCredential("d", "o", "s"), "t")
        assert client.pull(PullRequest()).cursors == {"o": 3}
        assert client.last_exchange.response_bytes == len(body)


def _audit_op(i: int) -> Op:
    return Op(
        op_id=new_id(),
        kind="audit.append",
        entity_id=new_id(),
        org_id="org-1",
        author="u",
        device_id="dev-1",
        created_at=utcnow(),
        payload={"i": i, "note": "ดูข้อมูลบุคคล " * 20},
    )


# --- refusals ----------------------------------------------------------------------------


def test_another_protocol_version_tells_the_user_to_update(central, monkeypatch) -> None:
    client = central.client()
    monkeypatch.setattr(transport, "PROTOCOL_VERSION", 2)
    with pytest.raises(VersionMismatch) as err:
        client.login(central.registered_device(), "clerk.a", central.password)
    assert err.value.status == 426
    assert err.value.code == "protocol_mismatch"
    assert "update LocalHR Desk" in str(err.value)
    # /version answers without the check; the client compares by itself
    with pytest.raises(VersionMismatch, match="update LocalHR Desk"):
        client.version()


def test_a_wrong_password_and_an_unknown_pc_are_auth_failures(central) -> None:
    device = central.registered_device()
    client = central.client()
    with pytest.raises(AuthFailed) as err:
        client.login(device, "clerk.a", "not the password")
    assert err.value.code == "unauthenticated" and err.value.status == 401
    assert "not the password" not in repr(err.value) + str(err.value)
    assert not client.logged_in

    stranger = DeviceCredential(device.device_id, device.org_id, "a guessed secret")
    with pytest.raises(AuthFailed) as err:
        client.login(stranger, "clerk.a", central.password)
    assert err.value.code == "device_unknown"
    assert err.value.device_problem


def test_a_logged_out_token_and_a_revoked_pc_are_refused(central) -> None:
    device = central.registered_device()
    client = central.client()
    login = client.login(device, "clerk.a", central.password)
    client.logout()
    assert not client.logged_in
    with pytest.raises(AuthFailed, match="log in first"):
        client.push([])  # nothing to send with

    client.resume(device, login.token)  # the ended session, kept somewhere
    with pytest.raises(AuthFailed) as err:
        client.pull(PullRequest())
    assert err.value.code == "token_revoked"
    assert not err.value.device_problem

    client.login(device, "clerk.a", central.password)
    with central.db.transaction() as s:
        s.execute(
            update(CentralDevice)
            .where(CentralDevice.id == device.device_id)
            .values(revoked_at=utcnow())
        )
    with pytest.raises(AuthFailed) as err:
        client.push(_ops(central, device, 1))
    assert err.value.code == "device_revoked"
    assert "register" in err.value.message


def test_registration_by_a_clerk_or_outside_the_scope_is_refused_as_a_wrong_password(
    central,
) -> None:
    """The caller holds no credential: no answer may tell a right password from a wrong
    one (sync.central.auth), so both are refused as a failed login."""
    client = central.client()
    with pytest.raises(AuthFailed) as err:
        client.register_device("clerk.a", central.password, central.org_a, "เครื่อง 3")
    assert err.value.status == 401 and err.value.code == "unauthenticated"
    assert "may not register" in err.value.message
    with pytest.raises(AuthFailed, match="may not register"):  # org B is not admin A's
        client.register_device("admin.a", central.password, central.org_b, "เครื่อง 3")


def test_another_4xx_is_a_bad_request_with_the_centrals_code(scripted) -> None:
    missing = {"code": "not_found", "message": "the central has no such organization"}
    server = scripted(Reply(404, missing))
    with CentralClient(server.url) as client, pytest.raises(BadRequest) as err:
        client.register_device("admin.a", "its password", "no-such-org", "PC")
    assert (err.value.status, err.value.code) == (404, "not_found")
    assert err.value.message == "the central has no such organization"


def test_invalid_input_is_refused_without_echoing_the_password(central) -> None:
    client = central.client()
    secret = "x" * 300  # longer than the protocol allows
    with pytest.raises(BadRequest) as err:
        client.login(central.registered_device(), "clerk.a", secret)
    assert "password" in err.value.message
    assert secret not in str(err.value)
    assert err.value.__cause__ is None and err.value.__suppress_context__


def test_an_oversized_batch_is_body_too_large(central_for) -> None:
    central = central_for(max_body_bytes=4096)
    device = central.registered_device()
    client = central.client()
    client.login(device, "clerk.a", central.password)
    ops = _ops(central, device, 60, filler=" ".join(new_id() for _ in range(3)))
    with pytest.raises(BodyTooLarge) as err:
        client.push(ops)
    assert err.value.code == "body_too_large"
    assert err.value.exchange.request_bytes > 0
    assert err.value.exchange.attempts == 1  # not retried: it would stay too large
    assert client.push(ops[:2]).results  # a smaller batch goes through


# --- the network -------------------------------------------------------------------------


def test_a_closed_port_is_offline() -> None:
    client = CentralClient(f"http://127.0.0.1:{_free_port()}", backoff_factor=0, retries=2)
    with client, pytest.raises(Offline) as err:
        client.health()
    assert err.value.code == "offline"
    assert err.value.status is None
    assert "cannot be reached" in err.value.message
    assert client.last_exchange.status is None
    assert client.last_exchange.attempts == 3  # the first try and two retries


def test_a_silent_central_is_a_timeout() -> None:
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with CentralClient(url, timeout=(2.0, 0.3)) as client, pytest.raises(Offline) as err:
            client.version()
    assert err.value.code == "timeout"


def test_503_twice_then_the_push_succeeds(scripted) -> None:
    busy = {"code": "internal", "message": "busy", "detail": None}
    server = scripted(
        Reply(503, busy, {"Retry-After": "0"}),
        Reply(503, busy, {"Retry-After": "0"}),
        Reply(200, {"results": []}),
    )
    with CentralClient(server.url, backoff_factor=0) as client:
        client.resume(DeviceCredential("d", "o", "s"), "t")
        assert client.push([_audit_op(1)]).results == []
        assert client.last_exchange.attempts == 3
    assert len(server.received) == 3
    assert len({r.body for r in server.received}) == 1  # the same batch each time


def test_a_proxy_502_page_that_persists_is_a_server_error(scripted) -> None:
    server = scripted(Reply(502, b"<html>Bad Gateway</html>", {"Content-Type": "text/html"}))
    with CentralClient(server.url, backoff_factor=0, retries=2) as client:
        client.resume(DeviceCredential("d", "o", "s"), "t")
        with pytest.raises(ServerError) as err:
            client.pull(PullRequest())
    assert err.value.status == 502
    assert "try again later" in err.value.message
    assert len(server.received) == 3


def test_device_registration_is_never_retried(scripted) -> None:
    server = scripted(Reply(503, {"code": "internal", "message": "busy", "detail": None}))
    with CentralClient(server.url, backoff_factor=0) as client:
        with pytest.raises(ServerError) as err:
            client.register_device("admin.a", "its password", "org", "PC")
        assert err.value.status == 503
    assert len(server.received) == 1
    assert json.loads(_plain(server.received[0]))["username"] == "admin.a"


def test_a_redirect_is_not_followed(scripted) -> None:
    server = scripted(Reply(301, b"", {"Location": "http://elsewhere.example/v1/login"}))
    with CentralClient(server.url) as client, pytest.raises(ServerError) as err:
        client.login(DeviceCredential("d", "o", "s"), "clerk.a", "pw")
    assert "check the central's address" in err.value.message
    assert len(server.received) == 1


def test_a_garbled_answer_is_a_server_error_not_a_crash(scripted) -> None:
    server = scripted(Reply(200, b"\x28\xb5\x2f\xfd garbage", {"Content-Encoding": "zstd"}))
    with CentralClient(server.url) as client, pytest.raises(ServerError) as err:
        client.version()
    assert err.value.code == "bad_response"


def test_plain_http_is_only_for_this_computer() -> None:
    with pytest.raises(ValueError, match="https"):
        CentralClient("http://central.example.go.th")
    CentralClient("https://central.example.go.th/api/").close()
    CentralClient("http://localhost:8080").close()
    CentralClient("http://[::1]:8080").close()


def _plain(received) -> bytes:
    encoding = received.headers.get("content-encoding")
    if encoding == "zstd":
        return zstandard.ZstdDecompressor().decompressobj().decompress(received.body)
    if encoding == "gzip":
        return gzip.decompress(received.body)
    return received.body


def test_a_413_is_not_retried_even_with_retry_after(scripted) -> None:
    too_large = {"code": "body_too_large", "message": "send smaller batches", "detail": None}
    server = scripted(Reply(413, too_large, {"Retry-After": "0"}), Reply(200, {"results": []}))
    with CentralClient(server.url, backoff_factor=0) as client:
        client.resume(DeviceCredential("d", "o", "s"), "t")
        with pytest.raises(BodyTooLarge, match="smaller batches"):
            client.push([_audit_op(1)])
    assert len(server.received) == 1


def test_a_long_retry_after_is_capped_so_a_sync_never_stalls_for_hours() -> None:
    retry = SafeRetry(total=3, status_forcelist=[503])
    retry.retry_after_cap = 30.0
    later = retry.new(total=2)  # urllib3 makes a new Retry for each attempt
    response = SimpleNamespace(headers={"Retry-After": "3600"})
    assert later.get_retry_after(response) == 30.0


def _self_signed(folder) -> tuple:
    """A certificate for 127.0.0.1 signed by itself, and its key, as PEM files."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "LocalHR test central")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "central.pem", folder / "central.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def test_https_checks_the_certificate_against_the_ca_bundle(scripted, tmp_path) -> None:
    cert, key = _self_signed(tmp_path)
    version = {"service": "localhr-central", "version": "1.2.3", "protocol": 1}
    server = scripted(Reply(200, version), tls=(cert, key))
    with CentralClient(server.url, backoff_factor=0) as client, pytest.raises(CertificateError):
        client.version()  # not signed by anyone the system trusts
    assert server.received == []
    with CentralClient(server.url, ca_bundle=cert) as client:
        assert client.version().version == "1.2.3"
