"""Just enough HTTP/1.1 framing for a proxy: where each message begins and ends.

A :class:`Message` keeps the bytes exactly as they came (chunked framing and trailers
included), so a proxy forwards them unchanged and can cut them at any byte. Heads are
parsed only for what framing needs: the start line, ``Content-Length``,
``Transfer-Encoding`` and ``Connection``. Not handled: ``Expect: 100-continue``, interim
1xx answers and protocol upgrades (the sync client uses none of them).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

MAX_HEAD = 64 * 1024  # bytes of one message head


class FramingError(ValueError):
    """A message whose framing cannot be read."""


@dataclass(frozen=True)
class Message:
    """One request or response: its head (start line to the blank line) and raw body."""

    head: bytes
    body: bytes
    start: tuple[str, ...]  # ("POST", "/v1/push", "HTTP/1.1") or ("HTTP/1.1", "200", "OK")
    headers: tuple[tuple[str, str], ...]  # names in lower case
    until_close: bool = False  # a response whose body ended with the connection

    @property
    def wire(self) -> bytes:
        return self.head + self.body

    def header(self, name: str) -> str | None:
        """The last value of header ``name`` (lower case), or None."""
        values = [v for k, v in self.headers if k == name]
        return values[-1] if values else None

    @property
    def keep_alive(self) -> bool:
        """Whether this message lets its connection carry another exchange."""
        if self.until_close:
            return False
        is_response = self.start[0].startswith("HTTP/")
        version = self.start[0] if is_response else self.start[-1]
        tokens = {t.strip().lower() for t in (self.header("connection") or "").split(",")}
        if "close" in tokens:
            return False
        return version == "HTTP/1.1" or "keep-alive" in tokens


def parse_head(head: bytes) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    lines = head.decode("latin-1").split("\r\n")
    start = tuple(lines[0].split(" ", 2))
    if len(start) < 2:
        raise FramingError(f"bad start line {lines[0]!r}")
    headers = []
    for line in lines[1:]:
        if line:
            name, sep, value = line.partition(":")
            if not sep:
                raise FramingError(f"bad header line {line!r}")
            headers.append((name.strip().lower(), value.strip()))
    return start, tuple(headers)


async def read_head(reader: asyncio.StreamReader) -> bytes | None:
    """The next message head, or None if the connection ended cleanly before it."""
    try:
        return await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as e:
        if e.partial.strip():
            raise
        return None
    except asyncio.LimitOverrunError as e:
        raise FramingError("message head too long") from e


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while True:
        line = await reader.readuntil(b"\r\n")
        parts.append(line)
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError as e:
            raise FramingError(f"bad chunk size {line!r}") from e
        if size == 0:
            break
        parts.append(await reader.readexactly(size + 2))
    while True:  # trailers, up to the blank line
        line = await reader.readuntil(b"\r\n")
        parts.append(line)
        if line == b"\r\n":
            return b"".join(parts)


async def _body(reader: asyncio.StreamReader, message: Message, *, may_close: bool) -> Message:
    if "chunked" in (message.header("transfer-encoding") or "").lower():
        body = await _chunked(reader)
    elif (length := message.header("content-length")) is not None:
        if not length.isdigit():
            raise FramingError(f"bad Content-Length {length!r}")
        body = await reader.readexactly(int(length))
    elif may_close:
        return Message(message.head, await reader.read(), message.start, message.headers, True)
    else:
        body = b""
    return Message(message.head, body, message.start, message.headers)


async def read_request(reader: asyncio.StreamReader) -> Message | None:
    """The next whole request, or None if the client closed its idle connection."""
    head = await read_head(reader)
    if head is None:
        return None
    start, headers = parse_head(head)
    return await _body(reader, Message(head, b"", start, headers), may_close=False)


async def read_response(reader: asyncio.StreamReader, method: str) -> Message:
    """The whole response to a ``method`` request."""
    head = await read_head(reader)
    if head is None:
        raise ConnectionResetError("the server closed the connection without an answer")
    start, headers = parse_head(head)
    message = Message(head, b"", start, headers)
    status = start[1]
    if method == "HEAD" or status.startswith("1") or status in ("204", "304"):
        return message
    return await _body(reader, message, may_close=True)


def make_response(status: int, reason: str, body: bytes, headers: dict[str, str]) -> bytes:
    """A whole response with a ``Content-Length``, as bytes."""
    lines = [f"HTTP/1.1 {status} {reason}", *(f"{k}: {v}" for k, v in headers.items())]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
