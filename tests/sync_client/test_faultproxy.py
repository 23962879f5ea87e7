"""The fault proxy (sync/testing/faultproxy.py) between ``requests`` and a real HTTP/1.1
server: what a sync engine sees, and what the server received, for each fault; link cut
and restored; bandwidth and latency close to the floor a benchmark compares against."""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from sync.client.transport import CentralClient
from sync.testing.faultproxy import FaultProxy, Faults, Link
from tests.sync_client.conftest import Central

BROKEN = (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)


# --- a real upstream: echoes bodies, counts the whole requests it received -----------------


@dataclass
class Upstream:
    url: str = ""
    received: list[tuple[str, str, bytes]] = field(default_factory=list)  # whole requests
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.received)


def payload(n: int, seed: int = 0) -> bytes:
    return random.Random(seed).randbytes(n)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else its head and body, written apart, wait 40 ms
    upstream: Upstream

    def _body(self) -> bytes | None:
        """The request body, or None if it ended early."""
        if "chunked" in self.headers.get("Transfer-Encoding", ""):
            parts = []
            while (line := self.rfile.readline()).endswith(b"\r\n"):
                size = int(line.split(b";")[0], 16)
                data = self.rfile.read(size + 2)
                if len(data) < size + 2:
                    return None
                if size == 0:
                    return b"".join(parts)
                parts.append(data[:-2])
            return None
        n = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(n)
        return data if len(data) == n else None

    def _send(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self) -> None:
        body = self._body()
        if body is None:
            self.close_connection = True
            return
        with self.upstream.lock:
            self.upstream.received.append((self.command, self.path, body))
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if url.path == "/bytes":  # n bytes of payload
            self._send(200, payload(int(query["n"][0])))
        elif url.path == "/sink":  # the size of what was sent
            self._send(200, str(len(body)).encode())
        elif url.path == "/chunked":  # the echo, as a chunked response in 3 parts
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (body[:3], body[3:], b""):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
        elif url.path == "/until-close":  # no length: the body ends with the connection
            self.send_response(200)
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True
        elif url.path == "/hang-up":  # answers, then closes what was a keep-alive connection
            self._send(200, b"bye")
            self.close_connection = True
        else:  # echo
            self._send(200, body, **{"X-Path": url.path})

    do_GET = do_POST = do_HEAD = _handle

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    state = Upstream()
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Bound", (Handler,), {"upstream": state}))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def proxy(upstream: Upstream) -> Iterator[FaultProxy]:
    with FaultProxy(upstream.url, seed=1) as running:
        yield running


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


# --- no faults -----------------------------------------------------------------------------


def test_without_faults_bodies_pass_byte_identical_over_one_keep_alive_session(
    proxy: FaultProxy, upstream: Upstream, session: requests.Session
) -> None:
    url = proxy.url
    for n in (0, 1, 70_000):
        sent = payload(n, seed=n)
        reply = session.post(f"{url}/v1/push", data=sent)
        assert (reply.status_code, reply.content) == (200, sent)
        assert reply.headers["X-Path"] == "/v1/push"
    assert session.get(f"{url}/bytes?n=300000").content == payload(300_000)
    sent = payload(5000, seed=9)
    assert session.post(f"{url}/chunked", data=iter([sent[:100], sent[100:]])).content == sent
    head = session.head(f"{url}/v1/pull")
    assert (head.status_code, head.headers["Content-Length"], head.content) == (200, "0", b"")

    assert [r[2] for r in upstream.received[-2:]] == [sent, b""]
    assert upstream.count == 6
    stats = proxy.stats
    assert (stats.connections, stats.requests, stats.passed, stats.faults) == (1, 6, 6, 0)
    assert stats.bytes_up > 75_000 and stats.bytes_down > 375_000


def test_a_server_that_closes_its_connections_is_followed_transparently(
    proxy: FaultProxy, upstream: Upstream, session: requests.Session
) -> None:
    assert session.post(f"{proxy.url}/until-close", data=b"abc").content == b"abc"
    assert session.get(f"{proxy.url}/hang-up").content == b"bye"
    time.sleep(0.05)  # the server's close reaches the proxy while the client is idle
    assert session.post(f"{proxy.url}/v1/push", data=b"after").content == b"after"
    assert upstream.count == 3 and proxy.stats.passed == 3


def test_a_real_central_answers_through_the_proxy(central: Central) -> None:
    with (
        FaultProxy(central.url, link=Link(latency_s=0.1)) as proxy,
        CentralClient(proxy.url, backoff_factor=0) as client,
    ):
        assert client.health()
        assert client.version().protocol
    assert (proxy.stats.connections, proxy.stats.passed) == (1, 2)


# --- faults --------------------------------------------------------------------------------


def test_drop_closes_the_connection_and_forwards_nothing(
    proxy: FaultProxy, upstream: Upstream, session: requests.Session
) -> None:
    proxy.faults = Faults(drop=1.0)
    with pytest.raises(requests.ConnectionError):
        session.post(f"{proxy.url}/v1/push", data=payload(1000))
    assert upstream.count == 0
    assert (proxy.stats.drop, proxy.stats.bytes_up, proxy.stats.bytes_down) == (1, 0, 0)


def test_cut_request_leaves_the_server_with_a_truncated_body(
    proxy: FaultProxy, upstream: Upstream, session: requests.Session
) -> None:
    proxy.faults = Faults(cut_request=1.0)
    for seed in range(3):
        with pytest.raises(requests.ConnectionError):
            session.post(f"{proxy.url}/v1/push", data=payload(20_000, seed))
    assert upstream.count == 0
    assert proxy.stats.cut_request == 3
    assert 0 < proxy.stats.bytes_up < 3 * 20_000 and proxy.stats.bytes_down == 0


def test_cut_response_lets_the_server_apply_the_request_and_the_client_never_know(
    proxy: FaultProxy, upstream: Upstream, session: requests.Session
) -> None:
    proxy.faults = Faults(cut_response=1.0)
    for seed in range(3):
        sent = payload(20_000, seed)
        with pytest.raises(BROKEN):
            session.post(f"{proxy.url}/v1/push", data=sent)
        assert upstream.received[-1] == ("POST", "/v1/push", sent)
    assert upstream.count == 3
    assert proxy.stats.cut_response == 3 and proxy.stats.passed == 0


@pytest.mark.parametrize("status", [500, 502, 503])
def test_status_before_answers_without_forwarding(
    proxy: FaultProxy, upstream: Upstream, session: requests.Session, status: int
) -> None:
    proxy.faults = Faults(status_before=1.0, statuses=(status,))
    reply = session.post(f"{proxy.url}/v1/push", data=b"op")
    assert reply.status_code == status and "fault proxy" in reply.json()["detail"]
    assert reply.headers.get("Retry-After") == ("0" if status == 503 else None)
    assert upstream.count == 0
    proxy.faults = Faults()  # the same keep-alive connection then carries a real exchange
    assert session.post(f"{proxy.url}/v1/push", data=b"op").content == b"op"
    assert (upstream.count, proxy.stats.connections, proxy.stats.status_before) == (1, 1, 1)


def test_status_after_answers_in_place_of_the_server_that_applied_the_request(
    proxy: FaultProxy, upstream: Upstream, session: requests.Session
) -> None:
    proxy.faults = Faults(status_after=1.0, statuses=(502,), retry_after=None)
    reply = session.post(f"{proxy.url}/v1/push", data=b"op-1")
    assert reply.status_code == 502 and "Retry-After" not in reply.headers
    assert upstream.received == [("POST", "/v1/push", b"op-1")]
    assert session.post(f"{proxy.url}/v1/push", data=b"op-2").status_code == 502
    assert (upstream.count, proxy.stats.connections, proxy.stats.status_after) == (2, 1, 2)


def test_faults_only_fall_on_the_paths_named(
    proxy: FaultProxy, upstream: Upstream, session: requests.Session
) -> None:
    proxy.faults = Faults(drop=1.0, paths=("/v1/push", "/v1/pull"))
    assert session.post(f"{proxy.url}/v1/login", data=b"x").status_code == 200
    with pytest.raises(requests.ConnectionError):
        session.post(f"{proxy.url}/v1/pull?limit=5", data=b"x")
    assert [(e.path, e.fault) for e in proxy.events] == [("/v1/login", None), ("/v1/pull", "drop")]
    assert upstream.count == 1


def test_delay_holds_the_request_back(proxy: FaultProxy, session: requests.Session) -> None:
    proxy.faults = Faults(delay=1.0, delay_s=(0.2, 0.3))
    began = time.monotonic()
    assert session.post(f"{proxy.url}/v1/push", data=b"x").status_code == 200
    assert 0.2 <= time.monotonic() - began < 0.5
    assert (proxy.stats.delayed, proxy.stats.passed) == (1, 1)
    assert 0.2 <= proxy.events[0].delay_s <= 0.3


def run_mixed(proxy: FaultProxy, n: int) -> list[str | None]:
    with requests.Session() as s:
        for i in range(n):
            with contextlib.suppress(BROKEN):
                s.post(f"{proxy.url}/v1/push", data=payload(300, i), timeout=5)
    return [e.fault for e in proxy.events]


def test_a_seed_gives_the_same_fault_sequence(upstream: Upstream) -> None:
    mixed = Faults(
        drop=0.15, cut_request=0.15, cut_response=0.15, status_before=0.15, status_after=0.15
    )
    runs = []
    for seed in (5, 5, 6):
        with FaultProxy(upstream.url, faults=mixed, seed=seed) as proxy:
            runs.append(run_mixed(proxy, 25))
    assert runs[0] == runs[1] != runs[2]
    assert {None, "drop", "cut_request", "cut_response", "status_before"} <= set(runs[0])


def test_faults_validate_their_probabilities() -> None:
    with pytest.raises(ValueError, match="more than 1"):
        Faults(drop=0.6, cut_response=0.6)
    with pytest.raises(ValueError):
        Faults(statuses=(404,))


# --- the link cut and restored, the proxy stopped and started ------------------------------


def test_cut_resets_connections_until_restored_on_the_same_url(
    proxy: FaultProxy, upstream: Upstream, session: requests.Session
) -> None:
    url = proxy.url
    assert session.post(f"{url}/v1/push", data=b"1").ok
    proxy.faults = Faults(delay=1.0, delay_s=(2.0, 2.0))
    failed: list[BaseException] = []

    def in_flight() -> None:
        try:
            requests.post(f"{url}/v1/push", data=b"2", timeout=5)
        except requests.RequestException as e:
            failed.append(e)

    waiting = threading.Thread(target=in_flight)
    waiting.start()
    time.sleep(0.2)
    proxy.cut()
    waiting.join(5)
    assert len(failed) == 1 and isinstance(failed[0], requests.ConnectionError)
    proxy.faults = Faults()
    with pytest.raises(requests.ConnectionError):
        session.post(f"{url}/v1/push", data=b"3")
    assert proxy.stats.refused >= 1

    proxy.restore()
    assert session.post(f"{url}/v1/push", data=b"4").content == b"4"
    assert [body for _, _, body in upstream.received] == [b"1", b"4"]


def test_stop_closes_the_port_and_start_reopens_it(
    proxy: FaultProxy, session: requests.Session
) -> None:
    url = proxy.url
    assert session.get(f"{url}/bytes?n=10").ok
    proxy.stop()
    with pytest.raises(requests.ConnectionError):
        session.get(f"{url}/bytes?n=10")
    assert proxy.start() == url
    assert session.get(f"{url}/bytes?n=10").ok


# --- link shaping --------------------------------------------------------------------------


def timed(fn: Any) -> float:
    began = time.monotonic()
    fn()
    return time.monotonic() - began


@pytest.mark.parametrize("direction", ["up", "down"])
def test_bandwidth_paces_bytes_at_the_bit_rate(
    upstream: Upstream, session: requests.Session, direction: str
) -> None:
    link = Link(bandwidth_bps=256_000)
    with FaultProxy(upstream.url, link=link) as proxy:
        if direction == "up":
            elapsed = timed(lambda: session.post(f"{proxy.url}/sink", data=payload(16_384)))
        else:
            elapsed = timed(lambda: session.get(f"{proxy.url}/bytes?n=16384"))
        stats = proxy.stats
    floor = link.floor_s(stats.bytes_up + stats.bytes_down, round_trips=1)
    assert floor > 0.5
    assert floor * 0.98 <= elapsed <= floor * 1.15


def test_latency_and_bandwidth_add_up_to_the_floor(
    upstream: Upstream, session: requests.Session
) -> None:
    link = Link(bandwidth_bps=128_000, latency_s=0.2)
    with FaultProxy(upstream.url, link=link) as proxy:
        elapsed = timed(
            lambda: [session.post(f"{proxy.url}/sink", data=payload(2000)) for _ in range(3)]
        )
        stats = proxy.stats
    floor = link.floor_s(stats.bytes_up + stats.bytes_down, round_trips=3)
    assert 0.6 < floor < 1.2
    assert floor * 0.98 <= elapsed <= floor * 1.15


def test_the_bandwidth_is_shared_by_all_connections(upstream: Upstream) -> None:
    link = Link(bandwidth_bps=256_000)
    with FaultProxy(upstream.url, link=link) as proxy:

        def fetch() -> None:
            assert len(requests.get(f"{proxy.url}/bytes?n=8192", timeout=5).content) == 8192

        threads = [threading.Thread(target=fetch) for _ in range(2)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(5)
        elapsed = time.monotonic() - began
        stats = proxy.stats
    floor = link.floor_s(stats.bytes_up + stats.bytes_down, round_trips=1)
    assert (stats.connections, stats.passed) == (2, 2)
    assert floor * 0.98 <= elapsed <= floor * 1.15
