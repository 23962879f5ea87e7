"""The central's HTTP service (DESIGN.md §4–§5): FastAPI on the central database.

Every ``/v1`` request carries ``X-LocalHR-Protocol: 1``; any other value (or none) gets 426
and an :class:`ErrorBody` telling the user to update the program. Request bodies may be
compressed (``Content-Encoding: zstd`` or ``gzip``); responses are compressed with zstd if
the caller's ``Accept-Encoding`` names it, else gzip if it names that. Bodies larger than
``max_body_bytes``, before or after decompression, get 413; text with NUL characters or
lone UTF-16 surrogates (which no database stores) gets 400. Every error is an
:class:`ErrorBody` (``code``, English ``message``, optional ``detail``); an unexpected
failure is logged and answered 500 ``internal`` with no traceback.

The database work of the routes runs in FastAPI's threadpool (plain ``def`` routes).
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import re
import zlib
from collections.abc import Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import metadata
from typing import Annotated, Any, Literal

import pydantic_core
import zstandard
from fastapi import Depends, FastAPI, Header, Query, Request, Response
from fastapi import Path as FastAPIPath
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.central import accounts, auth, central_key, device_keys, devices, keys, throttle
from sync.central.auth import AuthError, Principal
from sync.central.config import CentralSettings
from sync.central.db import CentralDB, open_central
from sync.central.text import json_has_nul
from sync.central.throttle import Throttle
from sync.protocol import (
    CLIENT_STATUS_HEADER,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    AccountList,
    CentralKeys,
    ClientStatus,
    DeviceInfo,
    DeviceKeysRequest,
    DeviceList,
    DeviceRegistration,
    DeviceRegistrationRequest,
    DeviceRename,
    ErrorBody,
    ErrorCode,
    KeyRegistration,
    LoginRequest,
    LoginResponse,
    NewAccount,
    NewAccountRequest,
    PasswordChangeRequest,
    PasswordReset,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    SecurityEventList,
    SessionsEnded,
    UserKey,
    UserKeys,
    VersionInfo,
)
from sync.protocol.v1 import DEVICE_HEADER

log = logging.getLogger(__name__)

API_PREFIX = "/v1/"
# Zstandard window the central accepts: ample for any level a client uses, and a bound on
# the memory one request can make the decompressor allocate.
ZSTD_MAX_WINDOW = 1 << 24
JSON_TYPE = "application/json"
BINARY_TYPE = "application/octet-stream"  # a bundle: compressed already, never again
BUNDLES_PATH = "/v1/bundles"


def service_version() -> str:
    try:
        return metadata.version("localhr-desk")
    except metadata.PackageNotFoundError:
        return "0.0.0"


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    database: Literal["ok"] = "ok"


class Failure(Exception):
    """An error answer raised from inside a route or the transport."""

    def __init__(self, status: int, code: ErrorCode, message: str, detail: Any = None):
        super().__init__(message)
        self.status, self.code, self.message, self.detail = status, code, message, detail


def error_body(code: ErrorCode | str, message: str, detail: Any = None) -> dict[str, Any]:
    return ErrorBody(code=str(code), message=message, detail=detail).model_dump(mode="json")


def error_response(status: int, code: ErrorCode | str, message: str, detail: Any = None):
    return JSONResponse(error_body(code, message, detail), status_code=status)


# --- transport: protocol check, body decompression and limits, response compression -------


def _decompress_zstd(body: bytes, limit: int) -> bytes:
    dctx = zstandard.ZstdDecompressor(max_window_size=ZSTD_MAX_WINDOW)
    out = bytearray()
    # A stream reader decompresses only as far as it is read: a bomb stops at the limit.
    with dctx.stream_reader(io.BytesIO(body), read_across_frames=True) as reader:
        while chunk := reader.read(min(1 << 20, limit + 1 - len(out))):
            out += chunk
            if len(out) > limit:
                raise Failure(413, ErrorCode.BODY_TOO_LARGE, _too_large(limit, "decompressed"))
    # The reader stops quietly at a cut frame; each frame must be whole (output is bounded now).
    rest = body
    while rest:
        dobj = dctx.decompressobj()
        dobj.decompress(rest)
        if not dobj.eof:
            raise zstandard.ZstdError("the zstd stream is cut short")
        rest = dobj.unused_data
    return bytes(out)


def _decompress_gzip(body: bytes, limit: int) -> bytes:
    out = bytearray()
    rest = body
    while rest:
        dobj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out += dobj.decompress(rest, limit + 1 - len(out))
        if len(out) > limit:
            raise Failure(413, ErrorCode.BODY_TOO_LARGE, _too_large(limit, "decompressed"))
        if not dobj.eof:
            raise zlib.error("the gzip stream is cut short")
        rest = dobj.unused_data
    return bytes(out)


DECODERS = {"zstd": _decompress_zstd, "gzip": _decompress_gzip, "x-gzip": _decompress_gzip}


def _too_large(limit: int, what: str = "") -> str:
    what = f" {what}" if what else ""
    return (
        f"the request body is larger{what} than the central accepts ({limit} bytes); "
        "send smaller batches"
    )


def choose_encoding(accept: str) -> str | None:
    """zstd if ``Accept-Encoding`` accepts it, else gzip, else None (q=0 refuses)."""
    accepted: dict[str, float] = {}
    for part in accept.lower().split(","):
        name, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name:
            accepted[name] = q
    for name in ("zstd", "gzip"):
        if accepted.get(name, accepted.get("*", 0.0)) > 0:
            return name
    return None


def _compress(encoding: str, body: bytes) -> bytes:
    if encoding == "zstd":
        return zstandard.ZstdCompressor(level=3).compress(body)
    return gzip.compress(body, compresslevel=6)


class Transport:
    """ASGI middleware: the protocol header, request bodies and response compression."""

    def __init__(self, app: ASGIApp, max_body_bytes: int):
        self.app = app
        self.limit = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            if scope["path"].startswith(API_PREFIX):
                self._check_protocol(headers.get(PROTOCOL_HEADER.lower()))
            body = await self._read_body(headers, receive)
            body = self._decode_body(headers.get("content-encoding", ""), body)
            if scope["path"] != BUNDLES_PATH:  # binary: the route checks the bundle's JSON
                _check_text(scope["path"], body)
        except Failure as exc:
            await _send_error(send, exc.status, exc.code, exc.message, headers)
            return
        scope = dict(scope)
        scope["headers"] = [
            (k, v)
            for k, v in scope["headers"]
            if k.lower() not in (b"content-encoding", b"content-length")
        ] + [(b"content-length", str(len(body)).encode())]
        await self._call_app(scope, _replay(body, receive), send, headers)

    @staticmethod
    def _check_protocol(value: str | None) -> None:
        if value is None or value.strip() != str(PROTOCOL_VERSION):
            got = "no protocol version" if value is None else f"protocol version {value!r}"
            raise Failure(
                426,
                ErrorCode.PROTOCOL_MISMATCH,
                f"this program speaks {got}, the central speaks version {PROTOCOL_VERSION}: "
                "update LocalHR Desk to the latest version",
            )

    async def _read_body(self, headers: dict[str, str], receive: Receive) -> bytes:
        length = headers.get("content-length")
        if length is not None:
            if not length.strip().isdigit():
                raise Failure(400, ErrorCode.BAD_REQUEST, "bad Content-Length header")
            if int(length) > self.limit:
                raise Failure(413, ErrorCode.BODY_TOO_LARGE, _too_large(self.limit))
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                raise Failure(413, ErrorCode.BODY_TOO_LARGE, _too_large(self.limit))
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def _decode_body(self, encoding: str, body: bytes) -> bytes:
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            return body
        decoder = DECODERS.get(encoding)
        if decoder is None:
            raise Failure(
                415,
                ErrorCode.UNSUPPORTED_ENCODING,
                f"Content-Encoding {encoding!r} is not supported; send zstd, gzip or none",
            )
        try:
            return decoder(body, self.limit)
        except (zstandard.ZstdError, zlib.error, EOFError) as exc:
            raise Failure(
                400,
                ErrorCode.BAD_REQUEST,
                f"the request body is not valid {encoding} data ({exc})",
            ) from None

    async def _call_app(
        self, scope: Scope, receive: Receive, send: Send, headers: dict[str, str]
    ) -> None:
        encoding = choose_encoding(headers.get("accept-encoding", ""))
        start: Message | None = None
        parts: list[bytes] = []
        done = False

        async def buffered_send(message: Message) -> None:
            nonlocal start, done
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            parts.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            assert start is not None
            done = True
            await _send_buffered(send, start, b"".join(parts), encoding)

        try:
            await self.app(scope, receive, buffered_send)
        except Exception:
            log.exception("%s %s failed", scope.get("method"), scope.get("path"))
            if done:  # the answer went out before the failure: nothing more to say
                return
            await _send_error(
                send,
                500,
                ErrorCode.INTERNAL,
                "the central failed to handle the request; the error is in its log",
                headers,
            )


async def _send_buffered(send: Send, start: Message, body: bytes, encoding: str | None) -> None:
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    names = {k.lower() for k, _ in headers}
    binary = any(k.lower() == b"content-type" and v == BINARY_TYPE.encode() for k, v in headers)
    if encoding is not None and body and not binary and b"content-encoding" not in names:
        body = _compress(encoding, body)
        headers.append((b"content-encoding", encoding.encode()))
    if b"vary" not in names:
        headers.append((b"vary", b"Accept-Encoding"))
    headers.append((b"content-length", str(len(body)).encode()))
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def _send_error(
    send: Send, status: int, code: ErrorCode, message: str, headers: dict[str, str]
) -> None:
    body = json.dumps(error_body(code, message), ensure_ascii=False).encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", JSON_TYPE.encode())],
    }
    await _send_buffered(send, start, body, choose_encoding(headers.get("accept-encoding", "")))


# A UTF-16 surrogate escape: legal in pairs (an emoji from an ASCII-only encoder); a lone
# one makes a string no database can store, which Python's json module lets through.
_JSON_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


def _check_text(path: str, body: bytes) -> None:
    # Substring tests first (memchr speed on the event loop): the regexes only run on a
    # body that has an escape to look at, which the desktop's UTF-8 JSON rarely has.
    if "\x00" in path or json_has_nul(body):
        raise Failure(400, ErrorCode.BAD_REQUEST, "text may not contain NUL characters (U+0000)")
    if b"\\u" in body and _JSON_SURROGATE.search(body):
        try:
            pydantic_core.from_json(body)  # refuses lone surrogates
        except ValueError as exc:
            raise Failure(
                400, ErrorCode.BAD_REQUEST, f"the request body is not valid JSON ({exc})"
            ) from None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


# --- errors ----------------------------------------------------------------------------


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "header", "query", "path"):
        where, parts = parts[0], parts[1:]
        if where == "header":
            return f"header {'.'.join(parts)}"
    return ".".join(parts) or "body"


def _validation_response(exc: RequestValidationError) -> JSONResponse:
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(400, ErrorCode.BAD_REQUEST, "the request body is not valid JSON")
    # Inputs are not echoed back: they may hold passwords.
    detail = [{"field": _field(e.get("loc", ())), "problem": str(e.get("msg", ""))} for e in errors]
    shown = "; ".join(f"{d['field']}: {d['problem']}" for d in detail[:5])
    more = f" (and {len(detail) - 5} more)" if len(detail) > 5 else ""
    return error_response(
        422, ErrorCode.BAD_REQUEST, f"the request is not valid: {shown}{more}", detail
    )


def _http_error(exc: StarletteHTTPException) -> JSONResponse:
    code = {404: ErrorCode.NOT_FOUND, 401: ErrorCode.UNAUTHENTICATED, 403: ErrorCode.FORBIDDEN}
    message = {404: "no such endpoint", 405: "method not allowed here"}.get(
        exc.status_code, str(exc.detail)
    )
    return JSONResponse(
        error_body(code.get(exc.status_code, ErrorCode.BAD_REQUEST), message),
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AuthError)
    async def _auth(_request: Request, exc: AuthError) -> JSONResponse:
        response = error_response(exc.status, exc.code, exc.message)
        if exc.retry_after is not None:
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(Failure)
    async def _failure(_request: Request, exc: Failure) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _http_error(exc)


# --- the application -------------------------------------------------------------------

# Documented answers of a route, as FastAPI's ``responses`` takes them: status → OpenAPI fields.
Responses = dict[int | str, dict[str, Any]]

_ERRORS: Responses = {
    status: {"model": ErrorBody, "description": description}
    for status, description in {
        400: "malformed body (bad JSON, corrupt compression)",
        413: "body too large",
        415: "unsupported Content-Encoding",
        422: "the body does not match the model",
        426: "protocol version missing or not spoken here: update the program",
        500: "internal error",
    }.items()
}
_AUTH_ERRORS: Responses = {
    401: {"model": ErrorBody, "description": "log in again, or register the PC again"},
    403: {"model": ErrorBody, "description": "not allowed for this user"},
}

_bearer = HTTPBearer(auto_error=False, description="the token /v1/login returned")
_device = APIKeyHeader(
    name=DEVICE_HEADER,
    auto_error=False,
    description="`<device_id>:<credential>` as /v1/devices returned them",
)
StatusHeader = Annotated[
    str | None,
    Header(
        alias=CLIENT_STATUS_HEADER,
        description="`version=<program version>; ops=<ops waiting>`, for display only",
    ),
]
ProtocolHeader = Annotated[
    Literal["1"],
    Header(
        alias=PROTOCOL_HEADER,
        description="the protocol version; any other value gets 426",
    ),
]


@dataclass(frozen=True)
class Credentials:
    """What a request says about its caller: checked by :meth:`principal`."""

    token: str | None
    device_id: str | None
    device_credential: str | None

    def principal(self, db: CentralDB, *, password_change: bool = False) -> Principal:
        """The authenticated caller, or AuthError (runs in the worker thread);
        ``password_change``: the caller may still hold a one-time password."""
        with db.reading() as session:
            return auth.authenticate(
                session,
                token=self.token,
                device_id=self.device_id,
                device_credential=self.device_credential,
                password_change=password_change,
            )


async def _credentials(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    device: Annotated[str | None, Depends(_device)],
) -> Credentials:
    """The caller's token and device header, read on the event loop; checking them takes
    the database, so the route does it in the same worker thread as its own work."""
    device_id, credential = auth.parse_device_header(device)
    return Credentials(credentials.credentials if credentials else None, device_id, credential)


Caller = Annotated[Credentials, Depends(_credentials)]


def create_app(settings: CentralSettings, db: CentralDB | None = None) -> FastAPI:
    """The service on ``db`` (opened, and migrated, from ``settings`` when not given; an
    app that opened its database closes it on shutdown)."""
    owned = db is None
    database = db if db is not None else open_central(settings.database_url)
    ttl = settings.token_ttl
    guard = Throttle.from_settings(settings)

    def address(request: Request) -> str:
        return _client_address(request, settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        if owned:
            database.close()

    app = FastAPI(
        title="LocalHR Desk central",
        version=service_version(),
        description=(
            "The central service that LocalHR Desk PCs sync with (protocol v1). Every /v1 "
            f"request carries `{PROTOCOL_HEADER}: {PROTOCOL_VERSION}`; bodies may be "
            "compressed with zstd or gzip (`Content-Encoding`), and responses are "
            "compressed per `Accept-Encoding`. Errors are `ErrorBody` objects."
        ),
        lifespan=lifespan,
        responses=_ERRORS,
    )
    app.state.db = database
    app.state.settings = settings
    bundle_keys = central_key.load_or_create(settings.key_file)  # outside the database
    app.state.bundle_keys = bundle_keys
    signing_hex, encryption_hex = bundle_keys.public.hex()
    central_keys = CentralKeys(signing_key=signing_hex, encryption_key=encryption_hex)
    _install_error_handlers(app)
    app.add_middleware(Transport, max_body_bytes=settings.max_body_bytes)

    @app.get("/health", response_model=Health, tags=["service"])
    def health() -> Health:
        """The service is up and its database answers."""
        with database.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return Health()

    @app.get("/version", response_model=VersionInfo, tags=["service"])
    def version() -> VersionInfo:
        """The service's version and the protocol it speaks."""
        return VersionInfo(version=service_version())

    @app.post(
        "/v1/devices",
        response_model=DeviceRegistration,
        status_code=201,
        tags=["devices"],
        responses={**_AUTH_ERRORS, **_THROTTLED},
    )
    def register_device(
        body: DeviceRegistrationRequest, request: Request, _protocol: ProtocolHeader
    ) -> DeviceRegistration:
        """An org admin registers a PC with their own username and password. The
        credential is returned once; the central keeps only its hash. Every refusal is the
        same 401, and repeated ones get 429 with Retry-After. The answer holds the central's
        public bundle keys too."""
        return auth.register_device(
            database, body, address=address(request), guard=guard
        ).model_copy(
            update={
                "central_signing_key": central_keys.signing_key,
                "central_encryption_key": central_keys.encryption_key,
            }
        )

    @app.post(
        "/v1/devices/keys",
        response_model=CentralKeys,
        tags=["devices"],
        responses=_AUTH_ERRORS,
    )
    def register_device_keys(
        body: DeviceKeysRequest,
        _protocol: ProtocolHeader,
        device: Annotated[str | None, Depends(_device)],
    ) -> CentralKeys:
        """A registered PC (its device header) registers its public bundle keys, once per
        credential; the answer is the central's public bundle keys. The central keeps no
        secret of the PC's bundles (sync.central.device_keys)."""
        device_id, credential = auth.parse_device_header(device)
        device_keys.register(database, device_id, credential, body)
        return central_keys

    @app.post(
        "/v1/login",
        response_model=LoginResponse,
        response_model_exclude_defaults=True,  # must_change_password only when true
        tags=["auth"],
        responses={**_AUTH_ERRORS, **_THROTTLED},
    )
    def login(
        body: LoginRequest,
        request: Request,
        _protocol: ProtocolHeader,
        device: Annotated[str | None, Depends(_device)],
    ) -> LoginResponse:
        """A user logs in on a registered PC (the device header is required). Repeated
        failures on the account or from the address get 429 with Retry-After."""
        device_id, credential = auth.parse_device_header(device)
        return auth.login(
            database,
            body.username,
            body.password,
            device_id=device_id,
            device_credential=credential,
            ttl=ttl,
            address=address(request),
            guard=guard,
        )

    @app.post("/v1/logout", status_code=204, tags=["auth"], responses=_AUTH_ERRORS)
    def logout(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        _protocol: ProtocolHeader,
    ) -> Response:
        """End the session of the bearer token (whoever holds a token may end it)."""
        if credentials is None or not credentials.credentials:
            raise AuthError(ErrorCode.UNAUTHENTICATED, "no session to end: send the token")
        auth.revoke_token(database, credentials.credentials)
        return Response(status_code=204)

    @app.post("/v1/push", response_model=PushResponse, tags=["sync"], responses=_AUTH_ERRORS)
    async def push(body: PushRequest, caller: Caller, _protocol: ProtocolHeader) -> Response:
        """Apply a batch of ops in one transaction; one result per op, in order."""
        from sync.central import push as push_ops

        def work() -> Response:
            principal = caller.principal(database)
            results = push_ops.apply_batch(database, principal, list(body.ops), body.seal)
            return _json(PushResponse(results=results))

        return await run_in_threadpool(work)

    @app.post("/v1/pull", response_model=PullResponse, tags=["sync"], responses=_AUTH_ERRORS)
    async def pull(
        body: PullRequest, caller: Caller, _protocol: ProtocolHeader, status: StatusHeader = None
    ) -> Response:
        """Changes since the caller's cursors, one page. The PC's status header (its program
        version, the ops waiting on it) is kept for the org admin's list of PCs."""
        from sync.central import pull as pull_changes

        def work() -> Response:
            principal = caller.principal(database)
            page = pull_changes.pull_json(database, principal, body)
            devices.seen(database, principal, ClientStatus.parse(status))
            return Response(page, media_type="application/json")

        return await run_in_threadpool(work)

    @app.post(
        BUNDLES_PATH,
        tags=["sync"],
        response_class=Response,
        responses={
            200: {
                "description": "the receipt bundle: signed by the central, encrypted to the "
                "PC that made the bundle",
                "content": {BINARY_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            },
            **_AUTH_ERRORS,
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "description": "an outbox bundle file as `localhr bundle export` wrote it",
                "content": {BINARY_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    )
    async def upload_bundle(
        request: Request, caller: Caller, _protocol: ProtocolHeader
    ) -> Response:
        """A connected PC uploads the outbox bundle of an offline PC (a USB stick): its ops
        are applied as a push would apply them, and the receipt goes back the same way.
        The uploader's scope must include the bundle's organization."""
        from sync.central import bundles

        data = await request.body()

        def work() -> Response:
            principal = caller.principal(database)
            try:
                receipt = bundles.import_bundle(database, data, bundle_keys, uploader=principal)
            except bundles.BundleRefused as exc:
                raise Failure(exc.status, ErrorCode(exc.code), exc.message) from None
            return Response(receipt, media_type=BINARY_TYPE)

        return await run_in_threadpool(work)

    _account_routes(app, database, guard, address)
    _office_routes(app, database)
    _add_key_routes(app, database)
    return app


# --- accounts (issue 13): password change and reset, disable, sessions, security events ---

_THROTTLED: Responses = {
    429: {
        "model": ErrorBody,
        "description": "too many failed attempts on the account or from the address: "
        "wait the seconds `Retry-After` says",
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    }
}
_USER_ERRORS: Responses = {
    **_AUTH_ERRORS,
    404: {"model": ErrorBody, "description": "no such user in your scope"},
}


def _client_address(request: Request, settings: CentralSettings) -> str:
    """The socket peer, or the address a trusted proxy forwarded (sync.central.throttle)."""
    forwarded = ",".join(request.headers.getlist(settings.client_address_header))
    peer = request.client.host if request.client is not None else None
    return throttle.client_address(peer, forwarded or None, settings.trusted_proxies)


def _account_routes(
    app: FastAPI, database: CentralDB, guard: Throttle, address: Callable[[Request], str]
) -> None:
    @app.post(
        "/v1/password",
        status_code=204,
        tags=["accounts"],
        responses={
            **_AUTH_ERRORS,
            **_THROTTLED,
            422: {"model": ErrorBody, "description": "the new password is too weak"},
        },
    )
    def change_password(
        body: PasswordChangeRequest, request: Request, caller: Caller, _protocol: ProtocolHeader
    ) -> Response:
        """The logged-in user changes their own password (a one-time one too), giving the
        current one. Their other sessions end; this one stays."""
        principal = caller.principal(database, password_change=True)
        accounts.change_password(
            database, principal, body.old_password, body.new_password,
            token=caller.token, address=address(request), guard=guard,
        )  # fmt: skip
        return Response(status_code=204)

    @app.post(
        "/v1/users/{user_id}/reset-password",
        response_model=PasswordReset,
        tags=["accounts"],
        responses=_USER_ERRORS,
    )
    def reset_password(user_id: str, caller: Caller, _protocol: ProtocolHeader) -> PasswordReset:
        """An org admin gives a user of their scope a one-time password (shown once), to be
        changed at the next login; the user's sessions end."""
        return accounts.reset_password(database, caller.principal(database).user, user_id)

    @app.post(
        "/v1/users/{user_id}/disable", status_code=204, tags=["accounts"], responses=_USER_ERRORS
    )
    def disable_user(user_id: str, caller: Caller, _protocol: ProtocolHeader) -> Response:
        """An org admin disables an account of their scope; its sessions end."""
        accounts.set_active(database, caller.principal(database).user, user_id, False)
        return Response(status_code=204)

    @app.post(
        "/v1/users/{user_id}/enable", status_code=204, tags=["accounts"], responses=_USER_ERRORS
    )
    def enable_user(user_id: str, caller: Caller, _protocol: ProtocolHeader) -> Response:
        """An org admin enables a disabled account of their scope again."""
        accounts.set_active(database, caller.principal(database).user, user_id, True)
        return Response(status_code=204)

    @app.post(
        "/v1/users/{user_id}/end-sessions",
        response_model=SessionsEnded,
        tags=["accounts"],
        responses=_USER_ERRORS,
    )
    def end_sessions(user_id: str, caller: Caller, _protocol: ProtocolHeader) -> SessionsEnded:
        """Every live session of the user ends (an org admin for a user of their scope, or
        a user for themselves)."""
        return accounts.end_sessions(database, caller.principal(database).user, user_id)

    @app.get(
        "/v1/security-events",
        response_model=SecurityEventList,
        tags=["accounts"],
        responses=_AUTH_ERRORS,
    )
    def security_events(
        caller: Caller,
        _protocol: ProtocolHeader,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> SecurityEventList:
        """An org admin reads what they are told about their scope's accounts, newest
        first: accounts refused after repeated failures, resets, disabled accounts."""
        user = caller.principal(database).user
        return SecurityEventList(events=accounts.security_events(database, user, limit=limit))


# --- the org admin's accounts and PCs (issue 14) -----------------------------------------

_DEVICE_ERRORS: Responses = {
    **_AUTH_ERRORS,
    404: {"model": ErrorBody, "description": "no such PC"},
}


def _office_routes(app: FastAPI, database: CentralDB) -> None:
    """The accounts and PCs of the org admin's scope (sync.central.accounts, .devices)."""

    @app.get("/v1/users", response_model=AccountList, tags=["accounts"], responses=_AUTH_ERRORS)
    def list_users(caller: Caller, _protocol: ProtocolHeader) -> AccountList:
        """An org admin lists the accounts of their scope: role, active, last login, and
        whether a one-time password waits to be changed."""
        user = caller.principal(database).user
        return AccountList(users=accounts.list_users(database, user))

    @app.post(
        "/v1/users",
        response_model=NewAccount,
        status_code=201,
        tags=["accounts"],
        responses={
            **_AUTH_ERRORS,
            409: {"model": ErrorBody, "description": "the username is taken"},
        },
    )
    def add_user(body: NewAccountRequest, caller: Caller, _protocol: ProtocolHeader) -> NewAccount:
        """An org admin adds a user to their own organization (a scope only within their
        own). The answer holds the one-time password, shown once, which the user changes at
        their first login."""
        user = caller.principal(database).user
        return accounts.add_user(database, user, user.org_id, body)

    @app.get("/v1/devices", response_model=DeviceList, tags=["devices"], responses=_AUTH_ERRORS)
    def list_devices(caller: Caller, _protocol: ProtocolHeader) -> DeviceList:
        """An org admin lists the PCs of their scope: last sync, program version and ops
        waiting as each PC said at its last sync (display only), revoked or not."""
        user = caller.principal(database).user
        return DeviceList(devices=devices.list_devices(database, user))

    @app.post(
        "/v1/devices/{device_id}/rename",
        response_model=DeviceInfo,
        tags=["devices"],
        responses=_DEVICE_ERRORS,
    )
    def rename_device(
        device_id: DevicePath, body: DeviceRename, caller: Caller, _protocol: ProtocolHeader
    ) -> DeviceInfo:
        """An org admin renames a PC of their scope."""
        user = caller.principal(database).user
        return devices.rename(database, user, device_id, body.name)

    @app.post(
        "/v1/devices/{device_id}/revoke",
        status_code=204,
        tags=["devices"],
        responses=_DEVICE_ERRORS,
    )
    def revoke_device(device_id: DevicePath, caller: Caller, _protocol: ProtocolHeader) -> Response:
        """An org admin revokes a PC of their scope: its credential and sessions stop
        working at once, its bundle keys and the users' signing keys there are revoked. A
        revoked PC must be registered again."""
        devices.revoke(database, caller.principal(database).user, device_id)
        return Response(status_code=204)


# --- users' signing keys (issue 13: proven authors) -------------------------------------


_ID = r"^[0-9A-Za-z-]{1,36}$"  # a user's id (a UUID)
_KEY_ID = r"^[0-9a-f]{16}$"  # app.domain.signing.key_id
DevicePath = Annotated[str, FastAPIPath(pattern=_ID)]  # a PC's id (a UUID)


def _add_key_routes(app: FastAPI, database: CentralDB) -> None:
    """Register, list and revoke users' public signing keys (:mod:`sync.central.keys`)."""
    refusals: Responses = {
        404: {"model": ErrorBody, "description": "no such key among those the caller manages"},
        409: {"model": ErrorBody, "description": "the key is another's, or revoked"},
    }

    @app.exception_handler(keys.KeyRefused)
    async def _refused(_request: Request, exc: keys.KeyRefused) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message)

    @app.post(
        "/v1/keys",
        response_model=UserKey,
        status_code=201,
        tags=["keys"],
        responses={**_AUTH_ERRORS, **refusals},
    )
    def register_key(body: KeyRegistration, caller: Caller, _protocol: ProtocolHeader) -> UserKey:
        """The caller registers their public signing key on the PC they are logged in on;
        their older key on that PC is revoked. The same live key again is answered as is."""
        return keys.register_key(database, caller.principal(database), body)

    @app.get("/v1/keys", response_model=UserKeys, tags=["keys"], responses=_AUTH_ERRORS)
    def list_keys(
        caller: Caller,
        _protocol: ProtocolHeader,
        user_id: Annotated[
            str | None, Query(pattern=_ID, description="default: the caller")
        ] = None,
    ) -> UserKeys:
        """The caller's keys, or (for an org admin) those of a user of their scope."""
        return keys.list_keys(database, caller.principal(database), user_id)

    @app.post(
        "/v1/keys/{key_id}/revoke",
        response_model=UserKey,
        tags=["keys"],
        responses={**_AUTH_ERRORS, **refusals},
    )
    def revoke_key(
        key_id: Annotated[str, FastAPIPath(pattern=_KEY_ID)],
        caller: Caller,
        _protocol: ProtocolHeader,
    ) -> UserKey:
        """Revoke a key: its owner, or an org admin whose scope covers the owner."""
        return keys.revoke_key(database, caller.principal(database), key_id)


def _json(model: BaseModel) -> Response:
    """The model as JSON, serialized once: the sync routes' answers are built from validated
    models already, and a page of changes is large (``response_model`` still documents it)."""
    return Response(model.model_dump_json(), media_type="application/json")


def app_from_environment() -> FastAPI:
    """The app from ``LOCALHR_CENTRAL_*`` (uvicorn's factory for worker processes)."""
    return create_app(CentralSettings.load())
