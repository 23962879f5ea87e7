"""Bodies and failures on the wire, for :mod:`sync.client.transport`.

How a request body is compressed and an answer decoded (both bounded), the statistics of
one exchange, and how a failed exchange becomes one of the typed errors of
:mod:`sync.client.errors`.
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit

import pydantic
import requests
import urllib3.exceptions
import zstandard

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
    TooManyAttempts,
    VersionMismatch,
)
from sync.protocol import ErrorBody

__all__ = [
    "ENCODINGS",
    "Exchange",
    "attempts_of",
    "decode",
    "encode",
    "network_error",
    "problems",
    "read_body",
    "status_error",
]

ENCODINGS = ("zstd", "gzip")  # what this client can send and decode, best first
MIB = 1024 * 1024
# Zstandard window accepted in an answer: a bound on the decoder's memory.
ZSTD_MAX_WINDOW = 1 << 25
_CHUNK = 64 * 1024


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
    response_encoding: str | None  # None: not compressed
    elapsed_s: float  # wall time of the whole call, retries and their waits included
    attempts: int  # requests sent: 1 + retries + encoding fallbacks

    @property
    def wire_bytes(self) -> int:
        """Body bytes both ways, as the link carried them."""
        return self.request_bytes + self.response_bytes


# --- bodies ------------------------------------------------------------------------------


def encode(raw: bytes, encoding: str | None) -> tuple[bytes, str | None]:
    """``raw`` compressed with ``encoding``, or as is (None) when that would not shrink it."""
    if encoding is None or not raw:
        return raw, None
    if encoding == "zstd":
        packed = zstandard.ZstdCompressor(level=3).compress(raw)
    else:
        packed = gzip.compress(raw, compresslevel=6)
    return (packed, encoding) if len(packed) < len(raw) else (raw, None)


def read_body(response: requests.Response, limit: int) -> bytes:
    """The body as it came over the wire (not decoded), at most ``limit`` bytes; the
    connection goes back to the pool for the next call."""
    out = bytearray()
    for chunk in response.raw.stream(_CHUNK, decode_content=False):
        out += chunk
        if len(out) > limit:
            response.close()
            raise ServerError(
                BAD_RESPONSE,
                f"the central's answer is larger than {limit} bytes",
                status=response.status_code,
            )
    response.raw.release_conn()
    return bytes(out)


def decode(wire: bytes, encoding: str, limit: int) -> bytes:
    """An answer's body decoded per its ``Content-Encoding``, at most ``limit`` bytes."""
    if encoding in ("", "identity") or not wire:
        return wire
    try:
        if encoding == "zstd":
            return _unzstd(wire, limit)
        if encoding in ("gzip", "x-gzip"):
            return _gunzip(wire, limit)
    except (zstandard.ZstdError, zlib.error, EOFError) as exc:
        raise ServerError(
            BAD_RESPONSE, f"the central's answer is not valid {encoding} data ({exc})"
        ) from None
    raise ServerError(BAD_RESPONSE, f"the central answered in an unknown encoding {encoding!r}")


def _too_large(limit: int) -> ServerError:
    return ServerError(BAD_RESPONSE, f"the central's answer inflates past {limit} bytes")


def _unzstd(body: bytes, limit: int) -> bytes:
    dctx = zstandard.ZstdDecompressor(max_window_size=ZSTD_MAX_WINDOW)
    out = bytearray()
    with dctx.stream_reader(io.BytesIO(body), read_across_frames=True) as reader:
        while chunk := reader.read(min(MIB, limit + 1 - len(out))):
            out += chunk
            if len(out) > limit:
                raise _too_large(limit)
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
            raise _too_large(limit)
        if not dobj.eof:
            raise zlib.error("the gzip stream is cut short")
        rest = dobj.unused_data
    return bytes(out)


def problems(exc: pydantic.ValidationError, limit: int = 5) -> str:
    """A validation error's fields and problems, never the values (they may be passwords)."""
    errors = exc.errors(include_input=False, include_url=False)
    shown = "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in errors[:limit]
    )
    return shown + (f" (and {len(errors) - limit} more)" if len(errors) > limit else "")


# --- attempts ----------------------------------------------------------------------------


def attempts_of(response: requests.Response | None, exc: BaseException | None = None) -> int:
    """Requests urllib3 sent for one call: from the response's retry history, or from the
    note :class:`sync.client.transport.SafeRetry` leaves on the error it gave up with."""
    if response is not None:
        retries = getattr(response.raw, "retries", None)
        return 1 + len(getattr(retries, "history", ()) or ())
    seen = exc
    for _ in range(5):
        if isinstance(seen, urllib3.exceptions.MaxRetryError):
            return max(1, getattr(seen, "attempts", 1))
        if seen is None or not (seen.args and isinstance(seen.args[0], BaseException)):
            break
        seen = seen.args[0]
    return 1


# --- failures ----------------------------------------------------------------------------


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


_CONNECTING = (urllib3.exceptions.NewConnectionError, ConnectionRefusedError)
_TIMEOUT = (requests.exceptions.Timeout, urllib3.exceptions.TimeoutError, TimeoutError)
_LOST = (
    urllib3.exceptions.ProtocolError,
    requests.exceptions.ChunkedEncodingError,
    ConnectionResetError,
)


def network_error(exc: BaseException, base_url: str, exchange: Exchange) -> CentralError:
    """The typed error of an exchange that got no (whole) answer."""
    where = urlsplit(base_url).netloc
    cause = _cause(exc)
    detail = str(cause)
    if isinstance(exc, requests.exceptions.SSLError) or isinstance(
        cause, urllib3.exceptions.SSLError
    ):
        return CertificateError(
            UNTRUSTED_CERTIFICATE,
            f"no secure connection to the central at {where}: its certificate could not be "
            "verified; check the central's address and the CA bundle setting",
            detail=detail,
            exchange=exchange,
        )
    # urllib3's connection errors are timeouts by class: tell them apart first.
    if not isinstance(cause, _CONNECTING):
        if isinstance(exc, _TIMEOUT) or isinstance(cause, _TIMEOUT):
            message = f"the central at {where} did not answer in time"
            return Offline(TIMEOUT, message, detail=detail, exchange=exchange)
        if isinstance(cause, _LOST):
            message = f"the connection to the central at {where} broke off"
            return Offline(CONNECTION_LOST, message, detail=detail, exchange=exchange)
    message = f"the central at {where} cannot be reached: no network, or the central is down"
    return Offline(OFFLINE, message, detail=detail, exchange=exchange)


_STATUS_ERRORS: dict[int, type[CentralError]] = {
    401: AuthFailed,
    403: Forbidden,
    413: BodyTooLarge,
    426: VersionMismatch,
    429: TooManyAttempts,
}
_FALLBACK = {
    401: ("unauthenticated", "log in again"),
    403: ("forbidden", "not allowed"),
    413: ("body_too_large", "the request is larger than the central accepts"),
    426: ("protocol_mismatch", "the central speaks another protocol version"),
}


def status_error(response: requests.Response, data: bytes, exchange: Exchange) -> CentralError:
    """The typed error of a non-2xx answer, with the central's code and message."""
    status = response.status_code
    reason = response.reason or ""
    if status < 200 or 300 <= status < 400:
        to = response.headers.get("Location") or "nowhere"
        return ServerError(
            BAD_RESPONSE,
            f"the central answered {status} {reason} (to {to}) instead of a result; "
            "check the central's address",
            status=status,
            exchange=exchange,
        )
    try:
        body: ErrorBody | None = ErrorBody.model_validate_json(data)
    except pydantic.ValidationError:
        body = None
    detail = None
    if body is not None:
        code, message, detail = body.code, body.message, body.detail
    elif status in _FALLBACK:
        code, message = _FALLBACK[status]
    elif status >= 500:
        code, message = (
            "server_error",
            f"the central is unavailable (HTTP {status}); try again later",
        )
    else:
        code = "bad_request"
        message = f"the central refused the request (HTTP {status} {reason})"
    if status == 426 and "update" not in message.lower():
        message = f"{message}: {VersionMismatch.ADVICE}"
    if status == 429:
        wait = (response.headers.get("Retry-After") or "").strip()
        detail = int(wait) if wait.isdigit() else None
    kind = _STATUS_ERRORS.get(status, ServerError if status >= 500 else BadRequest)
    return kind(code, message, status=status, detail=detail, exchange=exchange)
