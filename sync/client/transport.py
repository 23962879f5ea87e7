"""The desktop's HTTP transport to the central (DESIGN.md §4 "Transport", §5).

:class:`CentralClient` speaks protocol v1 over one ``requests`` session:

- HTTPS with certificate checks always on (a CA bundle may be named); plain HTTP only to a
  loopback address (the demo's embedded central, tests).
- A (connect, read) timeout on every call, and the protocol header on every request.
- Request bodies compressed with zstd, or gzip if the central once answers 415 to zstd (the
  choice is remembered), or not at all if neither shrinks the body or the central takes
  neither. Responses are asked for as ``zstd, gzip`` and decoded here from the raw bytes:
  urllib3 2.x decodes zstd only with ``backports.zstd`` (or Python 3.14), not with
  ``zstandard``, and reading the raw stream also tells the true size on the wire.
- Retries with backoff by urllib3's :class:`~urllib3.util.Retry`, only where repeating a
  request cannot do harm: connection failures, and 502/503/504 answers (honouring
  ``Retry-After``, up to a cap), for the GETs, login, logout, push (idempotent by
  ``op_id`` on the central), bundle uploads (the same) and pull. Never for device
  registration, which is not idempotent: each request there makes a new PC credential. A
  request whose answer was lost (read timeout, connection cut) is not repeated here: the
  sync engine sends the batch again in its next cycle, which the central answers from its
  stored results.
- Every call leaves its wire statistics in :attr:`CentralClient.last_exchange` (also on
  any error it raises), so the engine can size its batches to the measured link.
- Failures raise the typed errors of :mod:`sync.client.errors`.

Nothing here logs or keeps in an error a password, a token or a device credential. A client
is for one thread at a time (the UI's network lane); it never touches Qt or the keyring.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pydantic
import requests
import urllib3.exceptions
from pydantic import BaseModel
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from sync.client.credentials import DeviceCredential
from sync.client.errors import (
    BAD_RESPONSE,
    AuthFailed,
    BadRequest,
    CentralError,
    ServerError,
    VersionMismatch,
)
from sync.client.wire import (
    ENCODINGS,
    MIB,
    Exchange,
    attempts_of,
    decode,
    encode,
    network_error,
    problems,
    read_body,
    status_error,
)
from sync.protocol import (
    CLIENT_STATUS_HEADER,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    CentralKeys,
    ClientStatus,
    DeviceKeysRequest,
    DeviceRegistration,
    DeviceRegistrationRequest,
    KeyRegistration,
    LoginRequest,
    LoginResponse,
    Op,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    UserKey,
    UserKeys,
    VersionInfo,
)
from sync.protocol.v1 import DEVICE_HEADER

__all__ = ["ENCODINGS", "CentralClient", "Exchange", "SafeRetry", "device_header"]

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({502, 503, 504})
BINARY_TYPE = "application/octet-stream"
DEFAULT_TIMEOUT = (10.0, 60.0)  # seconds: to connect, and between bytes of the answer

M = TypeVar("M", bound=BaseModel)


def device_header(device_id: str, secret: str) -> str:
    """The ``X-LocalHR-Device`` value (the format of ``sync.central.auth.device_header``)."""
    return f"{device_id}:{secret}"


def _program_version() -> str:
    try:
        return metadata.version("localhr-desk")
    except metadata.PackageNotFoundError:
        return "0.0.0"


class SafeRetry(Retry):
    """urllib3's Retry with a cap on ``Retry-After``, no retry of a 413 that carries one
    (urllib3's default would: a body too large stays too large), and a note of the
    attempts made on the error it gives up with."""

    RETRY_AFTER_STATUS_CODES = frozenset({503})
    retry_after_cap: float = 60.0

    def new(self, **kw: Any) -> SafeRetry:
        retry = super().new(**kw)
        retry.retry_after_cap = self.retry_after_cap
        return retry

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else max(0.0, min(seconds, self.retry_after_cap))

    def increment(self, *args: Any, **kwargs: Any) -> SafeRetry:
        try:
            return super().increment(*args, **kwargs)
        except urllib3.exceptions.MaxRetryError as exc:
            exc.attempts = len(self.history) + 1  # type: ignore[attr-defined]
            raise


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _base_url(url: str) -> str:
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    if scheme not in ("https", "http") or not host:
        raise ValueError(f"the central's address must be an https:// URL, not {url!r}")
    if scheme == "http" and not _is_loopback(host):
        raise ValueError(
            "the central's address must start with https:// (plain http is only for a "
            "central on this same computer)"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError("the central's address may not hold a query, fragment or password")
    netloc = host if ":" not in host else f"[{host}]"
    if parts.port is not None:
        netloc += f":{parts.port}"
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}"


class CentralClient:
    """Protocol v1 calls to one central, over one HTTP session (see the module doc).

    ``login`` (or :meth:`resume` with a token kept from an earlier login) makes the client
    send the PC's device credential and the user's token on ``push``, ``pull`` and
    ``logout``. Use it as a context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        base_url: str,
        *,
        ca_bundle: str | Path | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        retries: int = 3,
        backoff_factor: float = 0.5,
        backoff_max: float = 30.0,
        retry_after_max: float = 60.0,
        encodings: Sequence[str] = ENCODINGS,
        max_response_bytes: int = 64 * MIB,
    ):
        unknown = set(encodings) - set(ENCODINGS)
        if unknown:
            raise ValueError(f"unsupported encodings {sorted(unknown)}; use {ENCODINGS}")
        self.base_url = _base_url(base_url)
        self.timeout = timeout
        self.max_response_bytes = max_response_bytes
        self.last_exchange: Exchange | None = None
        self._encodings: tuple[str, ...] = tuple(encodings)
        self._send_at = 0  # index into _encodings of what bodies are sent as; past it: as is
        self._device: DeviceCredential | None = None
        self._token: str | None = None
        # what this PC says of itself on each pull, for its org admin's list of PCs: the
        # program's version, and the ops waiting here (the sync engine sets them)
        self.status = ClientStatus(version=_program_version())

        session = requests.Session()
        # Passed on every request too: requests lets REQUESTS_CA_BUNDLE override a
        # session's own bundle, never a request's.
        self._verify: str | bool = str(ca_bundle) if ca_bundle is not None else True
        session.verify = self._verify
        session.headers.update(
            {
                "User-Agent": f"LocalHR-Desk/{_program_version()}",
                "Accept": "application/json",
                "Accept-Encoding": ", ".join(self._encodings) or "identity",
            }
        )
        retry = SafeRetry(
            total=retries,
            connect=retries,
            read=0,
            status=retries,
            other=0,
            allowed_methods=frozenset({"GET", "HEAD", "POST"}),
            status_forcelist=RETRY_STATUSES,
            backoff_factor=backoff_factor,
            backoff_max=backoff_max,
            respect_retry_after_header=True,
            raise_on_status=False,
            raise_on_redirect=False,
        )
        retry.retry_after_cap = retry_after_max
        once = Retry(total=0, read=0, status=0, raise_on_status=False, raise_on_redirect=False)
        # requests picks the adapter with the longest matching prefix.
        session.mount(self.base_url + "/", HTTPAdapter(max_retries=retry))
        session.mount(self.base_url + "/v1/devices", HTTPAdapter(max_retries=once))
        self._session = session

    def __repr__(self) -> str:
        return f"CentralClient({self.base_url!r}, logged_in={self.logged_in})"

    def __enter__(self) -> CentralClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    # --- state ---------------------------------------------------------------------------

    @property
    def logged_in(self) -> bool:
        return self._device is not None and self._token is not None

    @property
    def send_encoding(self) -> str | None:
        """How request bodies are compressed now (None: not at all)."""
        return self._encodings[self._send_at] if self._send_at < len(self._encodings) else None

    def resume(self, device: DeviceCredential, token: str) -> None:
        """Use a session from an earlier login (a token kept in the credential store)."""
        self._device, self._token = device, token

    def forget(self) -> None:
        """Drop the session's token here (not at the central: see :meth:`logout`)."""
        self._token = None

    # --- calls -----------------------------------------------------------------------------

    def health(self) -> bool:
        """True when the central and its database answer."""
        data, _ = self._call("GET", "/health")
        try:
            body = pydantic.TypeAdapter(dict[str, Any]).validate_json(data)
        except pydantic.ValidationError:
            return False
        return body.get("status") == "ok"

    def version(self) -> VersionInfo:
        """The central's version and protocol; :class:`VersionMismatch` if the protocol is
        not the one this program speaks."""
        data, exchange = self._call("GET", "/version")
        info = self._model(VersionInfo, data, exchange)
        if info.protocol != PROTOCOL_VERSION:
            raise VersionMismatch(
                "protocol_mismatch",
                f"the central speaks protocol version {info.protocol}, this program "
                f"speaks version {PROTOCOL_VERSION}: {VersionMismatch.ADVICE}",
                status=exchange.status,
                exchange=exchange,
            )
        return info

    def register_device(
        self, username: str, password: str, org_id: str, name: str
    ) -> DeviceRegistration:
        """An org admin registers this PC (sent once, never retried: a repeated request
        would make a second PC). Keep the answer's credential in the credential store."""
        body = _request(
            DeviceRegistrationRequest, username=username, password=password, org_id=org_id,
            name=name,
        )  # fmt: skip
        data, exchange = self._call("POST", "/v1/devices", body)
        return self._model(DeviceRegistration, data, exchange)

    def register_bundle_keys(
        self, device: DeviceCredential, signing_key: str, encryption_key: str
    ) -> CentralKeys:
        """This PC's public bundle keys (hex) to the central, once per credential; the
        central's own public bundle keys come back (sync.central.device_keys)."""
        body = _request(DeviceKeysRequest, signing_key=signing_key, encryption_key=encryption_key)
        data, exchange = self._call("POST", "/v1/devices/keys", body, device=device)
        return self._model(CentralKeys, data, exchange)

    def login(self, device: DeviceCredential, username: str, password: str) -> LoginResponse:
        """Log ``username`` in on this PC; later calls use the session it returns."""
        body = _request(LoginRequest, username=username, password=password)
        data, exchange = self._call("POST", "/v1/login", body, device=device)
        response = self._model(LoginResponse, data, exchange)
        self._device, self._token = device, response.token
        return response

    def logout(self) -> None:
        """End the session at the central. The token is forgotten here whatever happens;
        if the central could not be told, the error is raised (the token then lives on at
        the central until it expires)."""
        token, self._token = self._token, None
        if token is None:
            return
        self._call("POST", "/v1/logout", token=token)

    def push(self, ops: Iterable[Op], seal: str | None = None) -> PushResponse:
        """Send a batch of ops, with their author's push seal if there is one; one result
        per op, in order."""
        request = PushRequest(ops=list(ops), seal=seal)
        data, exchange = self._call("POST", "/v1/push", request, auth=True)
        return self._model(PushResponse, data, exchange)

    def pull(self, request: PullRequest) -> PullResponse:
        """One page of changes since ``request.cursors``."""
        status = {CLIENT_STATUS_HEADER: self.status.header()}
        data, exchange = self._call("POST", "/v1/pull", request, auth=True, headers=status)
        return self._model(PullResponse, data, exchange)

    # --- the logged-in user's signing keys (DESIGN.md §5) ------------------------------------

    def register_key(self, public_key: bytes) -> UserKey:
        """Register the logged-in user's public signing key on this PC (the central binds
        it to the session's user and PC; the same key again is answered as registered)."""
        body = KeyRegistration(public_key=public_key.hex())
        data, exchange = self._call("POST", "/v1/keys", body, auth=True)
        return self._model(UserKey, data, exchange)

    def keys(self) -> UserKeys:
        """The logged-in user's keys at the central."""
        data, exchange = self._call("GET", "/v1/keys", auth=True)
        return self._model(UserKeys, data, exchange)

    def revoke_key(self, key_id: str) -> UserKey:
        data, exchange = self._call("POST", f"/v1/keys/{key_id}/revoke", auth=True)
        return self._model(UserKey, data, exchange)

    def upload_bundle(self, data: bytes) -> bytes:
        """Hand an offline PC's outbox bundle to the central; the receipt bundle it answers
        (for that PC, signed with its key). Retried like a push: the central applies a
        bundle's ops once whatever the number of times it gets it."""
        answer, _exchange = self._call("POST", "/v1/bundles", data, auth=True)
        return answer

    # --- calls in a given user's session (sync.client.office) --------------------------------

    def call_as(
        self,
        device: DeviceCredential,
        token: str,
        method: str,
        path: str,
        body: BaseModel | None = None,
        answer: type[M] | None = None,
    ) -> M | None:
        """One call in the session ``token`` of ``device``, whatever session the client
        holds (the sync engine moves that from user to user); the answer as ``answer``."""
        data, exchange = self._call(method, path, body, device=device, token=token)
        return self._model(answer, data, exchange) if answer is not None else None

    # --- the exchange ------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        body: BaseModel | bytes | None = None,
        *,
        auth: bool = False,
        device: DeviceCredential | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[bytes, Exchange]:
        """One call: its answer's decoded body and statistics, or a typed error."""
        if auth:
            if self._device is None or self._token is None:
                raise AuthFailed("unauthenticated", "log in first")
            device, token = self._device, self._token
        headers = {**(headers or {}), PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
        if device is not None:
            headers[DEVICE_HEADER] = device_header(device.device_id, device.secret)
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        raw = b""
        compress = True
        if isinstance(body, bytes):  # a bundle: compressed already, sent as it is
            raw, compress = body, False
            headers["Content-Type"] = BINARY_TYPE
            headers["Accept"] = f"{BINARY_TYPE}, application/json"
        elif body is not None:
            raw = body.model_dump_json().encode()
            headers["Content-Type"] = "application/json"
        call = _Call(method, path, len(raw))
        try:
            while True:
                payload, encoding = encode(raw, self.send_encoding if compress else None)
                response = self._send(
                    call, headers, payload if body is not None else None, encoding
                )
                if response.status_code == 415 and encoding is not None:
                    # The central takes no bodies compressed so: step down, remember, resend.
                    log.info("the central refuses %s request bodies; trying the next", encoding)
                    self._send_at += 1
                    continue
                break
            content_encoding = response.headers.get("Content-Encoding", "").strip().lower()
            data = decode(call.wire, content_encoding, self.max_response_bytes)
            call.stats.update(response_raw_bytes=len(data))
            if content_encoding not in ("", "identity"):
                call.stats["response_encoding"] = content_encoding
        except CentralError as exc:
            self.last_exchange = exc.exchange = call.exchange()
            raise
        result = self.last_exchange = call.exchange()
        log.debug(
            "%s %s: %s, %d bytes sent (%s), %d received (%s), %.3f s, %d attempt(s)",
            method, path, result.status, result.request_bytes, result.request_encoding,
            result.response_bytes, result.response_encoding, result.elapsed_s, result.attempts,
        )  # fmt: skip
        if not 200 <= response.status_code < 300:
            raise status_error(response, data, result)
        return data, result

    def _send(
        self, call: _Call, headers: dict[str, str], payload: bytes | None, encoding: str | None
    ) -> requests.Response:
        """One request (and urllib3's retries of it), its answer's body read raw."""
        call.stats.update(request_bytes=len(payload or b""), request_encoding=encoding)
        if encoding is not None:
            headers = {**headers, "Content-Encoding": encoding}
        try:
            response = self._session.request(
                call.method,
                self.base_url + call.path,
                data=payload,
                headers=headers,
                timeout=self.timeout,
                stream=True,
                allow_redirects=False,
                verify=self._verify,
            )
        except requests.RequestException as exc:
            call.attempts += attempts_of(None, exc)
            raise network_error(exc, self.base_url, call.exchange()) from None
        call.attempts += attempts_of(response)
        call.stats["status"] = response.status_code
        try:
            call.wire = read_body(response, self.max_response_bytes)
        except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as exc:
            response.close()
            raise network_error(exc, self.base_url, call.exchange()) from None
        call.stats["response_bytes"] = len(call.wire)
        return response

    def _model(self, model: type[M], data: bytes, exchange: Exchange) -> M:
        try:
            return model.model_validate_json(data)
        except pydantic.ValidationError as exc:
            raise ServerError(
                BAD_RESPONSE,
                f"the central's answer is not a valid {model.__name__}: {problems(exc, 3)}",
                status=exchange.status,
                exchange=exchange,
            ) from None


class _Call:
    """The statistics of one call as it goes."""

    def __init__(self, method: str, path: str, raw_bytes: int):
        self.method, self.path = method, path
        self.started = time.perf_counter()
        self.attempts = 0
        self.wire = b""
        self.stats: dict[str, Any] = {
            "status": None, "request_bytes": 0, "request_raw_bytes": raw_bytes,
            "request_encoding": None, "response_bytes": 0, "response_raw_bytes": 0,
            "response_encoding": None,
        }  # fmt: skip

    def exchange(self) -> Exchange:
        return Exchange(
            method=self.method,
            path=self.path,
            elapsed_s=time.perf_counter() - self.started,
            attempts=max(1, self.attempts),
            **self.stats,
        )


def _request(model: type[M], **fields: Any) -> M:
    """A request model; invalid input raises BadRequest naming the fields, never the
    values (they include passwords)."""
    try:
        return model(**fields)
    except pydantic.ValidationError as exc:
        raise BadRequest("bad_request", f"the request is not valid: {problems(exc)}") from None
