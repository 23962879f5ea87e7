"""A fault-injecting HTTP/1.1 proxy for loopback tests and benchmarks (DESIGN.md §9).

Put it between desktop sync engines and a real central::

    with FaultProxy(central.url, faults=Faults(cut_response=0.2), seed=7) as proxy:
        client = CentralClient(proxy.url)
        ...                                   # sync under faults
        proxy.faults = Faults()               # heal the network, keep the link shape
        proxy.cut(); ...; proxy.restore()     # the link goes down, then comes back
        print(proxy.stats)

It listens on 127.0.0.1 and forwards plain HTTP to the upstream, one upstream connection
per client connection (opened when first needed, opened again if the server closed it), so
keep-alive sessions carry several requests. It reads each request and each response whole
(:mod:`sync.testing.http1`) before acting, so faults fall on message boundaries or at a
chosen byte of a message; see :class:`~sync.testing.faults.Faults` for the faults and
:class:`~sync.testing.faults.Link` for bandwidth and latency. Faults are drawn per request
from a seeded :class:`random.Random`, in the order requests arrive.

The proxy runs its own asyncio loop in a daemon thread; every public method may be called
from any other thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import logging
import random
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urlsplit

from sync.testing.faults import Event, Fault, Faults, Link, Plan, Stats, plan
from sync.testing.http1 import FramingError, Message, make_response, read_request, read_response

log = logging.getLogger(__name__)

TICK_S = 0.01  # a shaped link sends about this much time's worth of bytes at once
BURST_S = 0.02  # how far a sender that fell behind (a slow reader) may catch up at once
_ENDED = (OSError, EOFError, asyncio.LimitOverrunError, FramingError)


class _Pacer:
    """One direction of the shaped link: bytes leave no faster than the bandwidth."""

    def __init__(self) -> None:
        self.free_at = 0.0  # loop time when the link has sent everything reserved so far

    async def send(
        self,
        writer: asyncio.StreamWriter,
        data: bytes,
        bandwidth_bps: float | None,
        sent: Callable[[int], None],
    ) -> None:
        loop = asyncio.get_running_loop()
        step = len(data) or 1
        if bandwidth_bps:
            step = max(64, min(16384, int(bandwidth_bps / 8 * TICK_S)))
        t = 0.0
        for i in range(0, len(data), step):
            chunk = data[i : i + step]
            if bandwidth_bps:
                # Each chunk is sent when the link would have finished sending it. Within a
                # message the schedule runs from its own start, so late wake-ups don't add up.
                now = loop.time()
                start = max(self.free_at, now) if i == 0 else max(t, self.free_at, now - BURST_S)
                t = self.free_at = start + len(chunk) * 8 / bandwidth_bps
                if t > now:
                    await asyncio.sleep(t - now)
            if writer.is_closing():
                raise ConnectionResetError("connection closed")
            sent(len(chunk))  # counted first: the reader may look at the counts at once
            writer.write(chunk)
            await writer.drain()


@dataclass(eq=False)
class _Conn:
    """A client connection and its upstream connection."""

    client_r: asyncio.StreamReader
    client_w: asyncio.StreamWriter
    task: asyncio.Task[None] | None
    up_r: asyncio.StreamReader | None = None
    up_w: asyncio.StreamWriter | None = None

    def close_upstream(self) -> None:
        if self.up_w is not None:
            self.up_w.close()
        self.up_r = self.up_w = None

    def close(self) -> None:
        self.close_upstream()
        self.client_w.close()

    def reset(self) -> None:
        """End both sides at once; the client sees a connection reset."""
        _reset(self.client_w)
        if self.up_w is not None:
            self.up_w.transport.abort()


def _reset(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:  # linger 0: close() sends a reset, not an orderly end
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def _cut_point(message: Message, fraction: float) -> int:
    """Where to cut ``message``: inside its body if it has one, else inside its head."""
    if message.body:
        return len(message.head) + int(fraction * len(message.body))
    return int(fraction * len(message.head))


def _address(upstream: str | tuple[str, int]) -> tuple[str, int]:
    if isinstance(upstream, tuple):
        return upstream
    parts = urlsplit(upstream if "//" in upstream else f"http://{upstream}")
    if parts.scheme != "http" or not parts.hostname or not parts.port:
        raise ValueError(f"upstream must be http://host:port, not {upstream!r}")
    return parts.hostname, parts.port


class FaultProxy:
    """A proxy from ``http://127.0.0.1:port`` to ``upstream`` (``"http://host:port"`` or a
    (host, port) pair) that injects :class:`Faults` and shapes traffic as a :class:`Link`.

    ``port`` 0 takes a free port at the first :meth:`start`; later starts reuse it.
    """

    def __init__(
        self,
        upstream: str | tuple[str, int],
        *,
        faults: Faults = Faults(),  # noqa: B008 (frozen, so sharing the default is safe)
        link: Link = Link(),  # noqa: B008
        seed: int | None = 0,
        port: int = 0,
    ) -> None:
        self.upstream = _address(upstream)  # new upstream connections go where this says
        self._faults = faults
        self._link = link
        self._rng = random.Random(seed)
        self._port = port
        self._lock = threading.Lock()  # guards the random stream, counts and events
        self._counts = dict.fromkeys(Stats.names(), 0)
        self._events: list[Event] = []
        self._is_cut = False
        self._up, self._down = _Pacer(), _Pacer()
        self._conns: set[_Conn] = set()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None

    # --- control, from any thread ------------------------------------------------------------

    @property
    def url(self) -> str:
        if not self._port:
            raise RuntimeError("the proxy has no port before its first start()")
        return f"http://127.0.0.1:{self._port}"

    @property
    def faults(self) -> Faults:
        return self._faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        self.set_faults(faults)

    def set_faults(self, faults: Faults, *, seed: int | None = None) -> None:
        """Faults for the requests that arrive from now on; ``seed`` restarts the stream."""
        with self._lock:
            self._faults = faults
            if seed is not None:
                self._rng.seed(seed)

    @property
    def link(self) -> Link:
        return self._link

    @link.setter
    def link(self, link: Link) -> None:
        self._link = link

    @property
    def stats(self) -> Stats:
        with self._lock:
            return Stats(**self._counts)

    @property
    def events(self) -> list[Event]:
        """Every request handled so far, in arrival order, with its fault."""
        with self._lock:
            return list(self._events)

    def start(self) -> str:
        """Listen and serve in a new thread; returns the URL to give clients."""
        if self._thread is not None:
            raise RuntimeError("the proxy is already running")
        started: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._thread = threading.Thread(
            target=asyncio.run, args=(self._main(started),), name="faultproxy", daemon=True
        )
        self._thread.start()
        try:
            started.result(timeout=10)
        except BaseException:
            self._thread.join(10)
            self._thread = None
            raise
        self._thread.name = f"faultproxy:{self._port}"
        return self.url

    def stop(self) -> None:
        """Close every connection and the listener, and end the thread."""
        thread, loop, stopping = self._thread, self._loop, self._stopping
        if thread is None or loop is None or stopping is None:
            return
        loop.call_soon_threadsafe(stopping.set)
        thread.join(10)
        if thread.is_alive():
            raise RuntimeError("the fault proxy did not stop")
        self._thread = self._loop = self._stopping = None

    def cut(self) -> None:
        """The link goes down: open connections are reset, and so is every new one until
        :meth:`restore`. The port stays bound, so clients keep the same URL."""
        self._is_cut = True
        if self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._reset_all(), self._loop).result(timeout=10)

    def restore(self) -> None:
        """The link is back: new connections are served again."""
        self._is_cut = False

    def __enter__(self) -> FaultProxy:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        host, port = self.upstream
        return f"<FaultProxy :{self._port} → {host}:{port} {self._faults} {self._link}>"

    # --- the loop's side ---------------------------------------------------------------------

    async def _main(self, started: concurrent.futures.Future[None]) -> None:
        try:
            server = await asyncio.start_server(self._serve, "127.0.0.1", self._port)
        except OSError as e:
            started.set_exception(e)
            return
        self._port = server.sockets[0].getsockname()[1]
        self._loop, self._stopping = asyncio.get_running_loop(), asyncio.Event()
        started.set_result(None)
        try:
            await self._stopping.wait()
        finally:
            server.close()
            await self._reset_all()
            await server.wait_closed()

    async def _reset_all(self) -> None:
        conns = list(self._conns)
        for conn in conns:
            conn.reset()
            if conn.task is not None:
                conn.task.cancel()
        await asyncio.gather(*(c.task for c in conns if c.task), return_exceptions=True)

    def _count(self, name: str, n: int = 1) -> None:
        with self._lock:
            self._counts[name] += n

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._count("connections")
        if self._is_cut:
            self._count("refused")
            _reset(writer)
            return
        conn = _Conn(reader, writer, asyncio.current_task())
        self._conns.add(conn)
        try:
            while await self._exchange(conn):
                pass
        except _ENDED as e:
            log.debug("connection ended: %r", e)
        except asyncio.CancelledError:
            pass  # cut() or stop(); asyncio 3.11 would report a cancelled handler as an error
        finally:
            self._conns.discard(conn)
            conn.close()

    def _plan(self, request: Message) -> Plan:
        method, path = request.start[0], urlsplit(request.start[1]).path
        with self._lock:
            faults = self._faults
            fate = plan(faults, self._rng) if faults.applies_to(path) else Plan()
            self._events.append(Event(method, path, fate.fault, fate.delay_s))
            self._counts["requests"] += 1
            self._counts["delayed"] += int(fate.delay_s > 0)
            if fate.fault is not None:
                self._counts[fate.fault] += 1
        if fate.fault is not None:
            log.debug("%s %s: %s", method, path, fate)
        return fate

    async def _exchange(self, conn: _Conn) -> bool:
        """Serve one request; whether the client connection stays open for another."""
        request = await read_request(conn.client_r)
        if request is None:
            return False
        fate = self._plan(request)
        if fate.delay_s:
            await asyncio.sleep(fate.delay_s)
        if fate.fault == "drop":
            return False
        if fate.fault == "status_before":
            await self._reply(conn, fate.status, request.keep_alive)
            return request.keep_alive
        up_r, up_w = await self._upstream(conn)
        if fate.fault == "cut_request":
            await self._send_up(up_w, request.wire[: _cut_point(request, fate.cut_at)])
            return False
        await self._send_up(up_w, request.wire)
        response = await read_response(up_r, request.start[0])
        if not response.keep_alive:
            conn.close_upstream()
        if fate.fault == "status_after":
            await self._reply(conn, fate.status, request.keep_alive)
            return request.keep_alive
        if fate.fault == "cut_response":
            await self._send_down(conn, response.wire[: _cut_point(response, fate.cut_at)])
            return False
        self._count("passed")
        await self._send_down(conn, response.wire)
        return request.keep_alive and response.keep_alive

    async def _upstream(self, conn: _Conn) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if conn.up_r is None or conn.up_w is None or conn.up_r.at_eof() or conn.up_w.is_closing():
            conn.close_upstream()  # the server closed it while idle: open another
            conn.up_r, conn.up_w = await asyncio.open_connection(*self.upstream)
        return conn.up_r, conn.up_w

    async def _send_up(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        await self._send(self._up, writer, data, "bytes_up")

    async def _send_down(self, conn: _Conn, data: bytes) -> None:
        await self._send(self._down, conn.client_w, data, "bytes_down")

    async def _send(
        self, pacer: _Pacer, writer: asyncio.StreamWriter, data: bytes, counter: str
    ) -> None:
        link = self._link
        if link.latency_s:
            await asyncio.sleep(link.latency_s / 2)
        await pacer.send(writer, data, link.bandwidth_bps, lambda n: self._count(counter, n))

    async def _reply(self, conn: _Conn, status: int, keep_alive: bool) -> None:
        """Answer ``status`` in the proxy's name, as a failing gateway would."""
        reason = HTTPStatus(status).phrase
        body = json.dumps({"detail": f"fault proxy: {status} {reason}"}).encode()
        headers = {"Content-Type": "application/json"}
        if status == 503 and self._faults.retry_after is not None:
            headers["Retry-After"] = self._faults.retry_after
        if not keep_alive:
            headers["Connection"] = "close"
        await self._send_down(conn, make_response(status, reason, body, headers))


__all__ = ["Event", "Fault", "FaultProxy", "Faults", "Link", "Stats"]
