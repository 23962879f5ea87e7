"""Compressed bodies both ways, size limits and bombs, mis-compressed bodies."""

from __future__ import annotations

import gzip
import json

import pytest
import zstandard
from sqlalchemy import func, select

from sync.central.app import choose_encoding
from sync.central.models import CentralDevice, CentralToken
from sync.protocol import ErrorBody

LIMIT = 64 * 1024


def _error(r, status: int, code: str) -> ErrorBody:
    assert r.status_code == status, r.text
    body = ErrorBody.model_validate(r.json())
    assert body.code == code, body
    assert body.message
    return body


def _login_body(office) -> bytes:
    return json.dumps({"username": "clerk.a", "password": office.password}).encode()


def _send(client, office, body: bytes, encoding: str | None, path="/v1/login", **headers):
    headers = {**office.device_headers(), "Content-Type": "application/json", **headers}
    if encoding is not None:
        headers["Content-Encoding"] = encoding
    return client.post(path, content=body, headers=headers)


def _tokens(office) -> int:
    with office.db.transaction() as s:
        return s.scalar(select(func.count()).select_from(CentralToken))


def _zstd_frames(b: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(b[:7]) + zstandard.ZstdCompressor().compress(b[7:])


def _zstd_streamed(b: bytes) -> bytes:
    cobj = zstandard.ZstdCompressor().compressobj()  # no content size in the frame header
    return cobj.compress(b) + cobj.flush()


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("zstd", zstandard.ZstdCompressor().compress),
        ("zstd", _zstd_frames),
        ("zstd", _zstd_streamed),
        ("gzip", gzip.compress),
        ("gzip", lambda b: gzip.compress(b[:10]) + gzip.compress(b[10:])),
        ("x-gzip", gzip.compress),
    ],
)
def test_compressed_request_bodies_are_accepted(client, office, encoding, compress) -> None:
    r = _send(client, office, compress(_login_body(office)), encoding)
    assert r.status_code == 200, r.text
    assert r.json()["user"]["username"] == "clerk.a"


def test_identity_and_uppercase_encodings_are_accepted(client, office) -> None:
    assert _send(client, office, _login_body(office), "identity").status_code == 200
    body = gzip.compress(_login_body(office))
    assert _send(client, office, body, "GZIP").status_code == 200


@pytest.mark.parametrize("encoding", ["br", "deflate", "compress", "zstd, gzip", "x-unknown"])
def test_an_unknown_encoding_is_415(client, office, encoding) -> None:
    body = _error(_send(client, office, _login_body(office), encoding), 415, "unsupported_encoding")
    assert "zstd" in body.message
    assert _tokens(office) == 0


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("zstd", b"this is not zstd at all"),
        ("zstd", b"\x28\xb5\x2f\xfd" + b"\x00" * 20),  # a zstd magic, then garbage
        ("zstd", "cut"),
        ("zstd", "trailing"),
        ("gzip", b"this is not gzip"),
        ("gzip", "cut"),
        ("gzip", "trailing"),
    ],
)
def test_a_corrupt_compressed_body_is_400(client, office, encoding, body) -> None:
    plain = _login_body(office)
    packed = (
        zstandard.ZstdCompressor().compress(plain) if encoding == "zstd" else gzip.compress(plain)
    )
    if body == "cut":
        body = packed[: len(packed) - 4]
    elif body == "trailing":
        body = packed + b"garbage!"
    r = _send(client, office, body, encoding)
    _error(r, 400, "bad_request")
    assert _tokens(office) == 0


def test_a_compressed_body_that_is_not_json_is_400(client, office) -> None:
    r = _send(client, office, zstandard.ZstdCompressor().compress(b"{nope"), "zstd")
    _error(r, 400, "bad_request")


def test_an_oversized_body_is_413(client_for, office) -> None:
    client = client_for(max_body_bytes=LIMIT)
    big = json.dumps({"username": "x" * (LIMIT + 10), "password": "y"}).encode()
    body = _error(_send(client, office, big, None), 413, "body_too_large")
    assert str(LIMIT) in body.message
    # no Content-Length: a chunked body is counted as it arrives
    chunks = (big[i : i + 8192] for i in range(0, len(big), 8192))
    r = client.post(
        "/v1/login",
        content=chunks,
        headers={**office.device_headers(), "Content-Type": "application/json"},
    )
    _error(r, 413, "body_too_large")
    # compressed small, too large once inflated
    for packed, encoding in (
        (zstandard.ZstdCompressor().compress(big), "zstd"),
        (gzip.compress(big), "gzip"),
    ):
        assert len(packed) < LIMIT
        _error(_send(client, office, packed, encoding), 413, "body_too_large")
    assert _tokens(office) == 0


@pytest.mark.parametrize("encoding", ["zstd", "gzip"])
def test_a_decompression_bomb_stops_at_the_limit(client_for, office, encoding) -> None:
    client = client_for(max_body_bytes=LIMIT)
    # 48 MiB of spaces, 750 times the limit, fit into the limit compressed
    inflated = b" " * (48 * 1024 * 1024)
    if encoding == "zstd":
        cobj = zstandard.ZstdCompressor(level=19).compressobj()  # no content size in the frame
        bomb = cobj.compress(inflated) + cobj.flush()
    else:
        bomb = gzip.compress(inflated, compresslevel=9)
    del inflated
    assert len(bomb) < LIMIT
    _error(_send(client, office, bomb, encoding), 413, "body_too_large")


def test_a_small_zstd_bomb_with_its_size_in_the_header(client_for, office) -> None:
    client = client_for(max_body_bytes=LIMIT)
    bomb = zstandard.ZstdCompressor(level=19).compress(b"[" * (64 * 1024 * 1024))
    assert len(bomb) < LIMIT
    _error(_send(client, office, bomb, "zstd"), 413, "body_too_large")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("zstd", "zstd"),
        ("gzip", "gzip"),
        ("gzip, deflate, br, zstd", "zstd"),
        ("gzip;q=1.0, zstd;q=0", "gzip"),
        ("identity", None),
        ("br", None),
        ("*", "zstd"),
    ],
)
def test_responses_are_compressed_per_accept_encoding(client, office, accept, expected) -> None:
    for path in ("/health", "/openapi.json"):
        r = client.get(path, headers={"Accept-Encoding": accept})
        assert r.status_code == 200
        assert r.headers.get("content-encoding") == expected
        assert "Accept-Encoding" in r.headers["vary"]
        r.json()  # httpx decoded it
    headers = {**office.login(client, "clerk.a"), "Accept-Encoding": accept}
    r = client.post("/v1/pull", json={}, headers=headers)
    assert r.status_code == 200
    assert r.headers.get("content-encoding") == expected
    assert len(r.json()["changes"]) >= 3  # organization A and its users
    # errors too
    r = client.post("/v1/pull", json={}, headers={"Accept-Encoding": accept})
    assert r.status_code == 401
    assert r.headers.get("content-encoding") == expected


def test_compressed_responses_are_what_they_say(client) -> None:
    with client.stream("GET", "/openapi.json", headers={"Accept-Encoding": "zstd"}) as r:
        raw = b"".join(r.iter_raw())
    assert r.headers["content-encoding"] == "zstd"
    assert int(r.headers["content-length"]) == len(raw)
    doc = json.loads(zstandard.ZstdDecompressor().decompress(raw))
    assert "/v1/push" in doc["paths"]
    with client.stream("GET", "/openapi.json", headers={"Accept-Encoding": "gzip"}) as r:
        raw = b"".join(r.iter_raw())
    assert json.loads(gzip.decompress(raw))["paths"].keys() == doc["paths"].keys()


def test_choose_encoding() -> None:
    assert choose_encoding("") is None
    assert choose_encoding("ZSTD") == "zstd"
    assert choose_encoding("gzip;q=0.5, zstd;q=0.1") == "zstd"  # ours when both are fine
    assert choose_encoding("zstd;q=0, gzip;q=0") is None
    assert choose_encoding("*;q=0") is None
    assert choose_encoding("zstd;q=nonsense, gzip") == "gzip"


def test_nothing_is_stored_by_refused_bodies(client_for, office) -> None:
    client = client_for(max_body_bytes=LIMIT)
    with office.db.transaction() as s:
        devices = s.scalar(select(func.count()).select_from(CentralDevice))
    register = json.dumps(
        {"username": "admin.a", "password": office.password, "org_id": office.org_a, "name": "P"}
    ).encode()
    for body, encoding in (
        (register, "br"),
        (zstandard.ZstdCompressor().compress(register)[:-3], "zstd"),
        (register + b" " * LIMIT, None),
    ):
        r = client.post(
            "/v1/devices",
            content=body,
            headers={"Content-Type": "application/json"}
            | ({"Content-Encoding": encoding} if encoding else {}),
        )
        assert 400 <= r.status_code < 500, r.text
    with office.db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(CentralDevice)) == devices


@pytest.mark.parametrize(
    "body",
    [
        b'{"username": "clerk\\u0000.a", "password": "x"}',
        b'{"username": "clerk.a", "password": "\\\\\\u0000"}',
        b'{"username": "clerk\x00.a", "password": "x"}',
    ],
)
def test_text_with_nul_characters_is_refused_alike_on_every_database(client, office, body):
    body = _error(_send(client, office, body, None), 400, "bad_request")
    assert "NUL" in body.message
    headers = office.login(client, "admin.a")
    _error(client.post("/v1/devices/abc%00def/revoke", headers=headers), 400, "bad_request")
    # an escaped backslash before "u0000" is just text
    r = _send(client, office, b'{"username": "x\\\\u0000", "password": "y"}', None)
    _error(r, 401, "unauthenticated")


@pytest.mark.parametrize("text", [b"\\ud800", b"\\udfff", b"x\\ud83dy"])
def test_a_lone_surrogate_is_refused(client, office, text) -> None:
    body = b'{"username": "' + text + b'", "password": "x"}'
    _error(_send(client, office, body, None), 400, "bad_request")
    # even where the model takes any JSON value (an op's payload)
    headers = {**office.login(client, "clerk.a"), "Content-Type": "application/json"}
    op = {
        "op_id": "0" * 32, "kind": "submission.save", "entity_id": "e", "org_id": office.org_a,
        "author": office.users["clerk.a"], "device_id": office.device.device_id,
        "created_at": "2024-01-01T00:00:00Z", "payload": {"x": "TEXT"},
    }  # fmt: skip
    body = json.dumps({"ops": [op]}).encode().replace(b"TEXT", text)
    _error(client.post("/v1/push", content=body, headers=headers), 400, "bad_request")
    # a pair is an emoji, as an ASCII-only JSON encoder writes it
    r = _send(client, office, b'{"username": "\\ud83d\\ude00", "password": "x"}', None)
    _error(r, 401, "unauthenticated")
