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
  ``op_id`` on the central) and pull. Never for device registration, which is not
  idempotent: each request there makes a new PC credential. A request whose answer was
  lost (read timeout, connection cut) is not repeated here: the sync engine sends the batch
  again in its next cycle, which the central answers from its stored results.
- Every call leaves its wire statistics in :attr:`CentralClient.last_exchange` (also on
  any error it raises), so the engine can size its batches to the measured link.
- Failures raise the typed errors of :mod:`sync.client.errors`.

Nothing here logs or keeps in an error a password, a token or a device credential. A client
is for one thread at a time (the UI's network lane); it never touches Qt or the keyring.
"""

from __future__ import annotations

import gzip
import io
import ipaddress
import logging
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pydantic
import requests
import urllib3.exceptions
import zstandard
from pydantic import BaseModel
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from sync.client.credentials import DeviceCredential
from sync.client.errors import (
    BAD_RESPONSE,
    CONNECTION_LOST,
    OFFLINE,
    TIMEOUT,
    UNTRUSTED_CERTIFICATE,
    AuthFailed,
    BadRequest,
    BodyTooLarge,
    CentralError,
    CertificateError,
    Forbidden,
    Offline,
    ServerError,
    VersionMismatch,
)
from sync.protocol import (
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    DeviceRegistration,
    DeviceRegistrationRequest,
    ErrorBody,
    LoginRequest,
    LoginResponse,
    Op,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    VersionInfo,
)
from sync.protocol.v1 import DEVICE_HEADER

__all__ = ["ENCODINGS", "CentralClient", "Exchange", "device_header"]

log = logging.getLogger(__name__)

ENCODINGS = ("zstd", "gzip")  # what this client can send and decode, best first
RETRY_STATUSES = frozenset({502, 503, 504})
DEFAULT_TIMEOUT = (10.0, 60.0)  # seconds: to connect, and between bytes of the answer
MIB = 1024 * 1024
# Zstandard window this client accepts in an answer: a bound on decoder memory.
ZSTD_MAX_WINDOW = 1 << 25
_CHUNK = 64 * 1024

M = TypeVar("M", bound=BaseModel)


def device_header(device_id: str, secret: str) -> str:
    """The ``X-LocalHR-Device`` value (the format of ``sync.central.auth.device_header``)."""
    return f"{device_id}:{secret}"


def _program_version() -> str:
    try:
        return metadata.version("localhr-desk")
    except metadata.PackageNotFoundError:
        return "0.0.0"


@dataclass(frozen=True)
class Exchange:
    """The wire statistics of one call (all its attempts and encoding fallbacks)."""

    method: str
    path: str
    status: int | None  # None when no answer came
    request_bytes: int  # body bytes sent, after compression (last attempt)
    request_raw_bytes: int  # body bytes before compression
    request_encoding: str | None  # None: sent as is
    response_bytes: int  # body bytes received on the wire, before decoding
    response_raw_bytes: int  # body bytes after decoding
    response_encoding: str | None
    elapsed_s: float  # wall time of the whole call, retries and their waits included
    attempts: int  # requests sent: 1 + retries + encoding fallbacks

    @property
    def wire_bytes(self) -> int:
        """Body bytes both ways, as the link carried them."""
        return self.request_bytes + self.response_bytes


class _Retry(Retry):
    """urllib3's Retry, with a cap on ``Retry-After`` and without retrying a 413 that
    carries ``Retry-After`` (urllib3's default would: a too large body stays too large)."""

    RETRY_AFTER_STATUS_CODES = frozenset({503})
    retry_after_cap: float = 60.0

    def new(self, **kw: Any) -> _Retry:
        retry = super().new(**kw)
        retry.retry_after_cap = self.retry_after_cap
        return retry

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else max(0.0, min(seconds, self.retry_after_cap))

    def increment(self, *args: Any, **kwargs: Any) -> _Retry:
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

        session = requests.Session()
        session.verify = str(ca_bundle) if ca_bundle is not None else True
        session.headers.update(
            {
                "User-Agent": f"LocalHR-Desk/{_program_version()}",
                "Accept": "application/json",
                "Accept-Encoding": ", ".join(self._encodings) or "identity",
            }
        )
        retry = _Retry(
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
        body = self._json(data)
        return isinstance(body, dict) and body.get("status") == "ok"

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

    def push(self, ops: Iterable[Op]) -> PushResponse:
        """Send a batch of ops; one result per op, in order."""
        data, exchange = self._call("POST", "/v1/push", PushRequest(ops=list(ops)), auth=True)
        return self._model(PushResponse, data, exchange)

    def pull(self, request: PullRequest) -> PullResponse:
        """One page of changes since ``request.cursors``."""
        data, exchange = self._call("POST", "/v1/pull", request, auth=True)
        return self._model(PullResponse, data, exchange)

    # --- the exchange ------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        body: BaseModel | None = None,
        *,
        auth: bool = False,
        device: DeviceCredential | None = None,
        token: str | None = None,
    ) -> tuple[bytes, Exchange]:
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
        if auth:
            if self._device is None or self._token is None:
                raise AuthFailed("unauthenticated", "log in first")
            device, token = self._device, self._token
        if device is not None:
            headers[DEVICE_HEADER] = device_header(device.device_id, device.secret)
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        raw = body.model_dump_json().encode() if body is not None else b""
        if body is not None:
            headers["Content-Type"] = "application/json"

        started = time.perf_counter()
        attempts = 0
        stats: dict[str, Any] = {
            "method": method, "path": path, "status": None, "request_bytes": 0,
            "request_raw_bytes": len(raw), "request_encoding": None, "response_bytes": 0,
            "response_raw_bytes": 0, "response_encoding": None,
        }  # fmt: skip

        def exchange() -> Exchange:
            return Exchange(
                **stats, elapsed_s=time.perf_counter() - started, attempts=max(1, attempts)
            )

        while True:
            encoding = self.send_encoding if raw else None
            payload, encoding = _encode(raw, encoding)
            stats.update(request_bytes=len(payload), request_encoding=encoding)
            send_headers = dict(headers)
            if encoding is not None:
                send_headers["Content-Encoding"] = encoding
            try:
                response = self._session.request(
                    method,
                    self.base_url + path,
                    data=payload if body is not None else None,
                    headers=send_headers,
                    timeout=self.timeout,
                    stream=True,
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                attempts += 1 + _retries_made(exc)
                self.last_exchange = exchange()
                raise _network_error(exc, self.base_url, self.last_exchange) from None
            attempts += _attempts(response)
            try:
                wire = self._read(response)
            except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as exc:
                response.close()
                stats["status"] = response.status_code
                self.last_exchange = exchange()
                raise _network_error(exc, self.base_url, self.last_exchange) from None
            stats.update(status=response.status_code, response_bytes=len(wire))
            if response.status_code == 415 and encoding is not None:
                # The central takes no bodies compressed so: step down, remember, resend.
                log.info("the central refuses %s request bodies; trying the next", encoding)
                self._send_at += 1
                continue
            break

        content_encoding = response.headers.get("Content-Encoding", "").strip().lower()
        try:
            data = self._decode(wire, content_encoding)
        except CentralError as exc:
            self.last_exchange = exc.exchange = exchange()
            raise
        stats.update(
            response_raw_bytes=len(data),
            response_encoding=content_encoding if content_encoding not in ("", "identity")
            else None,
        )  # fmt: skip
        result = self.last_exchange = exchange()
        log.debug(
            "%s %s: %s, %d bytes sent (%s), %d received (%s), %.3f s, %d attempt(s)",
            method, path, result.status, result.request_bytes, result.request_encoding,
            result.response_bytes, result.response_encoding, result.elapsed_s, result.attempts,
        )  # fmt: skip
        if not 200 <= response.status_code < 300:
            raise _status_error(response, data, result)
        return data, result

    def _read(self, response: requests.Response) -> bytes:
        """The body as it came over the wire (not decoded), bounded; the connection goes
        back to the pool for the next call."""
        out = bytearray()
        for chunk in response.raw.stream(_CHUNK, decode_content=False):
            out += chunk
            if len(out) > self.max_response_bytes:
                response.close()
                raise ServerError(
                    BAD_RESPONSE,
                    f"the central's answer is larger than {self.max_response_bytes} bytes",
                    status=response.status_code,
                )
        response.raw.release_conn()
        return bytes(out)

    def _decode(self, wire: bytes, encoding: str) -> bytes:
        if encoding in ("", "identity") or not wire:
            return wire
        try:
            if encoding == "zstd":
                return _unzstd(wire, self.max_response_bytes)
            if encoding in ("gzip", "x-gzip"):
                return _gunzip(wire, self.max_response_bytes)
        except (zstandard.ZstdError, zlib.error, EOFError) as exc:
            raise ServerError(
                BAD_RESPONSE, f"the central's answer is not valid {encoding} data ({exc})"
            ) from None
        raise ServerError(BAD_RESPONSE, f"the central answered in an unknown encoding {encoding!r}")

    def _model(self, model: type[M], data: bytes, exchange: Exchange) -> M:
        try:
            return model.model_validate_json(data)
        except pydantic.ValidationError as exc:
            raise ServerError(
                BAD_RESPONSE,
                f"the central's answer is not a valid {model.__name__}: {_problems(exc, limit=3)}",
                status=exchange.status,
                exchange=exchange,
            ) from None

    @staticmethod
    def _json(data: bytes) -> Any:
        try:
            return pydantic.TypeAdapter(Any).validate_json(data)
        except pydantic.ValidationError:
            return None


# --- helpers ---------------------------------------------------------------------------


def _request(model: type[M], **fields: Any) -> M:
    """A request model; invalid input raises BadRequest naming the fields, never the
    values (they include passwords)."""
    try:
        return model(**fields)
    except pydantic.ValidationError as exc:
        raise BadRequest("bad_request", f"the request is not valid: {_problems(exc)}") from None


def _problems(exc: pydantic.ValidationError, limit: int = 5) -> str:
    errors = exc.errors(include_input=False, include_url=False)
    shown = "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in errors[:limit]
    )
    return shown + (f" (and {len(errors) - limit} more)" if len(errors) > limit else "")


def _encode(raw: bytes, encoding: str | None) -> tuple[bytes, str | None]:
    """``raw`` compressed with ``encoding``, or as is when that would not shrink it."""
    if encoding is None or not raw:
        return raw, None
    if encoding == "zstd":
        packed = zstandard.ZstdCompressor(level=3).compress(raw)
    else:
        packed = gzip.compress(raw, compresslevel=6)
    return (packed, encoding) if len(packed) < len(raw) else (raw, None)


def _unzstd(body: bytes, limit: int) -> bytes:
    dctx = zstandard.ZstdDecompressor(max_window_size=ZSTD_MAX_WINDOW)
    out = bytearray()
    with dctx.stream_reader(io.BytesIO(body), read_across_frames=True) as reader:
        while chunk := reader.read(min(MIB, limit + 1 - len(out))):
            out += chunk
            if len(out) > limit:
                raise ServerError(BAD_RESPONSE, f"the central's answer inflates past {limit} bytes")
    # The reader stops quietly at a cut frame: each frame must be whole.
    rest = body
    while rest:
        dobj = dctx.decompressobj()
        dobj.decompress(rest)
        if not dobj.eof:
            raise zstandard.ZstdError("the zstd stream is cut short")
        rest = dobj.unused_data
    return bytes(out)


def _gunzip(body: bytes, limit: int) -> bytes:
    out = bytearray()
    rest = body
    while rest:
        dobj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out += dobj.decompress(rest, limit + 1 - len(out))
        if len(out) > limit:
            raise ServerError(BAD_RESPONSE, f"the central's answer inflates past {limit} bytes")
        if not dobj.eof:
            raise zlib.error("the gzip stream is cut short")
        rest = dobj.unused_data
    return bytes(out)


def _attempts(response: requests.Response) -> int:
    retries = getattr(response.raw, "retries", None)
    return 1 + len(getattr(retries, "history", ()) or ())


def _retries_made(exc: BaseException) -> int:
    """Retries urllib3 made before it gave up (:class:`_Retry` notes them on its error)."""
    for _ in range(5):
        if isinstance(exc, urllib3.exceptions.MaxRetryError):
            return max(0, getattr(exc, "attempts", 1) - 1)
        if not (exc.args and isinstance(exc.args[0], BaseException)):
            break
        exc = exc.args[0]
    return 0


def _cause(exc: BaseException) -> BaseException:
    """The innermost urllib3 reason of a requests error."""
    seen = exc
    for _ in range(5):
        inner = seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None
        reason = getattr(seen, "reason", None)
        nxt = reason if isinstance(reason, BaseException) else inner
        if nxt is None or nxt is seen:
            break
        seen = nxt
    return seen


def _network_error(exc: BaseException, base_url: str, exchange: Exchange) -> CentralError:
    where = urlsplit(base_url).netloc
    cause = _cause(exc)
    if isinstance(exc, requests.exceptions.SSLError) or isinstance(
        cause, urllib3.exceptions.SSLError
    ):
        return CertificateError(
            UNTRUSTED_CERTIFICATE,
            f"no secure connection to the central at {where}: its certificate could not be "
            "verified; check the central's address and the CA bundle setting",
            detail=str(cause),
            exchange=exchange,
        )
    connecting = (urllib3.exceptions.NewConnectionError, ConnectionRefusedError)
    timeout = (requests.exceptions.Timeout, urllib3.exceptions.TimeoutError, TimeoutError)
    lost = (
        urllib3.exceptions.ProtocolError,
        requests.exceptions.ChunkedEncodingError,
        ConnectionResetError,
    )
    if not isinstance(cause, connecting):
        if isinstance(exc, timeout) or isinstance(cause, timeout):
            return Offline(
                TIMEOUT,
                f"the central at {where} did not answer in time",
                detail=str(cause),
                exchange=exchange,
            )
        if isinstance(cause, lost):
            return Offline(
                CONNECTION_LOST,
                f"the connection to the central at {where} broke off",
                detail=str(cause),
                exchange=exchange,
            )
    return Offline(
        OFFLINE,
        f"the central at {where} cannot be reached: no network, or the central is down",
        detail=str(cause),
        exchange=exchange,
    )


_STATUS_ERRORS: dict[int, type[CentralError]] = {
    401: AuthFailed,
    403: Forbidden,
    413: BodyTooLarge,
    426: VersionMismatch,
}
_FALLBACK = {
    401: ("unauthenticated", "log in again"),
    403: ("forbidden", "not allowed"),
    413: ("body_too_large", "the request is larger than the central accepts"),
    426: ("protocol_mismatch", "the central speaks another protocol version"),
}


def _status_error(response: requests.Response, data: bytes, exchange: Exchange) -> CentralError:
    status = response.status_code
    try:
        body: ErrorBody | None = ErrorBody.model_validate_json(data)
    except pydantic.ValidationError:
        body = None
    if 300 <= status < 400 or status < 200:
        to = response.headers.get("Location", "")
        return ServerError(
            BAD_RESPONSE,
            f"the central answered {status} {response.reason or ''} (to {to or 'nowhere'}) "
            "instead of a result; check the central's address",
            status=status,
            exchange=exchange,
        )
    if body is not None:
        code, message, detail = body.code, body.message, body.detail
    elif status in _FALLBACK:
        (code, message), detail = _FALLBACK[status], None
    elif status >= 500:
        code, detail = "server_error", None
        message = f"the central is unavailable (HTTP {status}); try again later"
    else:
        code, detail = "bad_request", None
        message = f"the central refused the request (HTTP {status} {response.reason or ''})"
    if status == 426 and "update" not in message.lower():
        message = f"{message}: {VersionMismatch.ADVICE}"
    kind = _STATUS_ERRORS.get(status, ServerError if status >= 500 else BadRequest)
    return kind(code, message, status=status, detail=detail, exchange=exchange)
