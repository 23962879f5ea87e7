"""The central's service endpoints, the protocol check, the OpenAPI document, and errors."""

from __future__ import annotations

import logging

import pytest

from sync.protocol import PROTOCOL_HEADER, ErrorBody

V1_ROUTES = [
    ("post", "/v1/devices"),
    ("post", "/v1/devices/some-device/revoke"),
    ("post", "/v1/login"),
    ("post", "/v1/logout"),
    ("post", "/v1/push"),
    ("post", "/v1/pull"),
]


def _error(r, status: int, code: str) -> ErrorBody:
    assert r.status_code == status, r.text
    body = ErrorBody.model_validate(r.json())
    assert body.code == code
    assert body.message
    return body


def test_health_and_version_need_no_protocol_header(client) -> None:
    r = client.get("/health", headers={PROTOCOL_HEADER: ""})
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok"}
    r = client.get("/version")
    assert r.status_code == 200
    assert r.json()["service"] == "localhr-central"
    assert r.json()["protocol"] == 1
    assert r.json()["version"]


@pytest.mark.parametrize(("method", "path"), V1_ROUTES)
@pytest.mark.parametrize("version", [None, "2", "0", "one", ""])
def test_every_v1_route_refuses_a_missing_or_other_protocol(client, method, path, version):
    headers = {PROTOCOL_HEADER: version} if version is not None else {}
    client.headers.pop(PROTOCOL_HEADER)
    r = client.request(method, path, json={}, headers=headers)
    body = _error(r, 426, "protocol_mismatch")
    assert "update" in body.message.lower()


def test_an_unknown_route_and_method_get_error_bodies(client) -> None:
    _error(client.get("/v1/nothing"), 404, "not_found")
    _error(client.get("/nothing"), 404, "not_found")
    _error(client.get("/v1/push"), 405, "bad_request")


def test_malformed_json_is_400_and_a_wrong_model_422_naming_the_field(client) -> None:
    r = client.post(
        "/v1/login", content=b'{"username": "x", ', headers={"Content-Type": "application/json"}
    )
    _error(r, 400, "bad_request")
    body = _error(client.post("/v1/login", json={"username": "x"}), 422, "bad_request")
    assert "password" in body.message
    body = _error(
        client.post("/v1/login", json={"username": "x", "password": 5}), 422, "bad_request"
    )
    assert "password" in body.message
    body = _error(
        client.post("/v1/devices", json={"username": "a", "password": "secret-word"}),
        422,
        "bad_request",
    )
    assert "org_id" in body.message and "name" in body.message
    assert "secret-word" not in r.text + body.model_dump_json()  # inputs are not echoed


def test_an_unexpected_failure_is_500_without_a_traceback(client, office, monkeypatch, caplog):
    headers = office.login(client, "clerk.a")

    def broken(*_args, **_kwargs):
        raise RuntimeError("database password is hunter2")

    from sync.central import pull

    monkeypatch.setattr(pull, "pull_json", broken)
    with caplog.at_level(logging.ERROR, logger="sync.central.app"):
        r = client.post("/v1/pull", json={}, headers=headers)
    _error(r, 500, "internal")
    assert "hunter2" not in r.text and "Traceback" not in r.text
    assert "hunter2" in caplog.text  # the operator finds it in the log


def test_openapi_lists_every_route_with_its_models(client) -> None:
    doc = client.get("/openapi.json").json()
    paths = doc["paths"]
    expected = {
        "/health": "get",
        "/version": "get",
        "/v1/devices": "post",
        "/v1/devices/{device_id}/revoke": "post",
        "/v1/login": "post",
        "/v1/logout": "post",
        "/v1/push": "post",
        "/v1/pull": "post",
    }
    for path, method in expected.items():
        assert method in paths[path], path
    schemas = doc["components"]["schemas"]
    for model in (
        "PushRequest",
        "PushResponse",
        "PullRequest",
        "PullResponse",
        "LoginRequest",
        "LoginResponse",
        "DeviceRegistrationRequest",
        "DeviceRegistration",
        "VersionInfo",
        "ErrorBody",
        "Op",
        "OpResult",
        "Change",
    ):
        assert model in schemas, model

    def ref(path, status="200"):
        content = paths[path]["post"]["responses"][status]["content"]["application/json"]
        return content["schema"]["$ref"].rsplit("/", 1)[1]

    assert ref("/v1/push") == "PushResponse"
    assert ref("/v1/pull") == "PullResponse"
    assert ref("/v1/login") == "LoginResponse"
    assert ref("/v1/devices", "201") == "DeviceRegistration"
    assert ref("/v1/push", "426") == "ErrorBody"
    body = paths["/v1/push"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("/PushRequest")
    for path in expected:
        if path.startswith("/v1/"):
            names = {p["name"] for p in paths[path]["post"].get("parameters", [])}
            assert PROTOCOL_HEADER in names, path
    assert {"HTTPBearer", "APIKeyHeader"} <= set(doc["components"]["securitySchemes"])
