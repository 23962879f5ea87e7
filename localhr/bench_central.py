"""``localhr bench central``: the central's throughput over HTTP on loopback (DESIGN.md §8).

The bench fills an empty central database with one organization per client (an office with
a clerk and a registered PC), starts ``localhr central serve`` in its own process, and drives
it from separate client processes, each running several clients on keep-alive connections,
with bodies compressed the way the desktop sends them (zstd). After every client has logged
in and caught up, two timed phases follow, each half of ``--seconds``:

1. **no-op sync cycles**: each client's cycle is what the desktop does when it has nothing
   to push: one pull with its cursors, answered with no changes;
2. **ops applied**: each client pushes batches of ``submission.save`` ops (a clerk's new
   drafts, with Thai names), the commonest op there is, each signed by the clerk's key
   (registered at login, as the desktop does) and each batch with the clerk's push seal
   (one signature over the batch, which the desktop adds while its author is logged in; the
   central then checks one signature per batch); every answer must be ``applied``. With
   ``--no-seal`` the central checks every op's own signature instead (a push made after the
   author has left the PC).

``errors`` counts every failed request and every op that was not applied. ``sign_us_per_op``
and ``verify_us_per_op`` are the cost of signing one such op on a PC and of checking its
signature at the central (encoding and Ed25519, without the key lookup); ``seal_us_per_op``
and ``seal_check_us_per_op`` the same for a seal over a batch, per op; all measured apart in
the bench's own process.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import math
import multiprocessing
import os
import platform
import queue
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import zstandard

from app.domain import signing
from app.domain.ids import new_id, utcnow
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, Op, seal
from sync.protocol.v1 import DEVICE_HEADER, MAX_OPS_PER_BATCH

BATCH = MAX_OPS_PER_BATCH  # ops per push: on a fast link the desktop sends full batches
PASSWORD = "bench-รหัสผ่าน-2569"
FIRST_NAMES = ("สมชาย", "กาญจนา", "ไพลิน", "ประเสริฐ", "วิไลวรรณ", "ธนากร", "อัมพร", "สุนทร")
LAST_NAMES = ("ใจดี", "ศรีสุข", "วงศ์ใหญ่", "ทองคำ", "แสงทอง", "บุญมา", "พรหมมา", "อินทร์แก้ว")


@dataclass(frozen=True)
class Account:
    org_id: str
    user_id: str
    username: str
    device_header: str


@dataclass
class ClientResult:
    noop_ms: list[float] = field(default_factory=list)
    push_ms: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str | None = None

    def error(self, what: str) -> None:
        self.errors += 1
        self.first_error = self.first_error or what[:300]


# --- setting up -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(db_url: str, clients: int) -> list[Account]:
    """One office per client; refuses a database that already holds organizations."""
    from sqlalchemy import func, select

    from sync.central import admin
    from sync.central.auth import device_header
    from sync.central.db import open_central
    from sync.central.models import CentralOrganization

    db = open_central(db_url)
    try:
        with db.transaction() as session:
            if session.scalar(select(func.count()).select_from(CentralOrganization)):
                raise SystemExit(
                    "localhr bench central: the database already holds organizations; "
                    "give it an empty database (it fills it with bench offices)"
                )
        accounts = []
        for i in range(clients):
            org = admin.create_org(db, f"6{i + 1:06d}", f"อบต.ทดสอบ {i + 1}", "sao", "34")
            user = admin.create_user(db, org, f"clerk{i + 1}", f"เสมียน {i + 1}", "clerk", PASSWORD)
            reg = admin.register_device_as_operator(db, org, f"เครื่อง {i + 1}")
            accounts.append(
                Account(org, user, f"clerk{i + 1}", device_header(reg.device_id, reg.credential))
            )
        return accounts
    finally:
        db.close()


def _start_server(db_url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "LOCALHR_CENTRAL_DATABASE_URL": db_url}
    cmd = [sys.executable, "-m", "localhr.cli", "central", "serve"]
    cmd += ["--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the central did not start: {proc.stderr.read().decode()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the central did not answer /health within 60 s")


# --- one client -------------------------------------------------------------------------


class Client:
    """One office's PC: a keep-alive connection, a logged-in clerk, cursors."""

    def __init__(self, port: int, account: Account):
        self.account = account
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {
            PROTOCOL_HEADER: str(PROTOCOL_VERSION),
            DEVICE_HEADER: account.device_header,
            "Content-Type": "application/json",
            "Content-Encoding": "zstd",
            "Accept-Encoding": "zstd",
        }
        self.cursors: dict[str, int] = {}
        self.keys = signing.new_key_pair()
        self.signed: list[tuple[list[dict[str, Any]], str | None]] = []  # signed ahead
        self.sealing = True
        self.compress = zstandard.ZstdCompressor(level=3).compress
        self.decompress = zstandard.ZstdDecompressor()

    def post(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        data = self.compress(json.dumps(body, ensure_ascii=False).encode())
        self.conn.request("POST", path, body=data, headers=self.headers)
        response = self.conn.getresponse()
        raw = response.read()
        if response.getheader("Content-Encoding") == "zstd":
            raw = self.decompress.decompressobj().decompress(raw)
        return response.status, json.loads(raw) if raw else None

    def login(self) -> None:
        status, body = self.post(
            "/v1/login", {"username": self.account.username, "password": PASSWORD}
        )
        if status != 200:
            raise RuntimeError(f"login of {self.account.username}: {status} {body}")
        self.headers["Authorization"] = f"Bearer {body['token']}"
        status, body = self.post("/v1/keys", {"public_key": self.keys.public.hex()})
        if status != 201:
            raise RuntimeError(f"key of {self.account.username}: {status} {body}")

    def pull(self) -> tuple[int, int]:
        """One pull; returns (status, number of changes) and advances the cursors."""
        status, body = self.post("/v1/pull", {"cursors": self.cursors})
        if status != 200:
            return status, 0
        self.cursors = body["cursors"]
        return status, len(body["changes"])

    def catch_up(self) -> None:
        while True:
            status, n = self.pull()
            if status != 200:
                raise RuntimeError(f"pull of {self.account.username}: {status}")
            if n == 0:
                return

    def batch(self, n: int) -> list[dict[str, Any]]:
        a = self.account
        now = utcnow().isoformat()
        ops = []
        for i in range(n):
            sub_id = new_id()
            changes = {
                "first_name_th": [None, FIRST_NAMES[i % len(FIRST_NAMES)]],
                "last_name_th": [None, LAST_NAMES[i // len(FIRST_NAMES) % len(LAST_NAMES)]],
                "prefix": [None, "นาย"],
                "category": [None, "civil_servant"],
                "birth_date": [None, "1985-03-14"],
                "employment_status": [None, "active"],
            }
            payload = {
                "id": sub_id,
                "person_id": new_id(),
                "kind": "new",
                "base_version": 0,
                "changes": changes,
                "history": {"added": [], "updated": {}, "deleted": {}},
            }
            ops.append(
                sign_op(
                    self.keys,
                    {
                        "op_id": new_id(),
                        "kind": "submission.save",
                        "entity_id": sub_id,
                        "org_id": a.org_id,
                        "author": a.user_id,
                        "device_id": a.device_header.split(":", 1)[0],
                        "created_at": now,
                        "payload": payload,
                    },
                )
            )
        return ops

    def signed_batch(self, n: int) -> tuple[list[dict[str, Any]], str | None]:
        """``n`` signed ops and, unless the bench runs without, their push seal."""
        ops = self.batch(n)
        if not self.sealing:
            return ops, None
        device = self.account.device_header.split(":", 1)[0]
        return ops, seal(self.keys.private, device, [Op.model_validate(op) for op in ops])


def sign_op(keys: signing.KeyPair, op: dict[str, Any]) -> dict[str, Any]:
    """``op`` (wire JSON) with its author's signature, as the desktop signs it."""
    fields = {k: v for k, v in op.items() if k not in ("created_at", "signature")}
    value = signing.op_value(**fields, created_at=dt.datetime.fromisoformat(op["created_at"]))
    return {**op, "signature": signing.sign(keys.private, signing.OP_CONTEXT, value)}


def signature_costs(n: int = 2000) -> dict[str, float]:
    """Microseconds per bench op: to sign it (on the PC), to check its own signature as the
    central does without a seal (the parsed op's value, then Ed25519), to seal a push of ``n``
    of them (on the PC) and to check that seal (the central's cost with one), over ``n`` ops."""
    account = Account(new_id(), new_id(), "bench", f"{new_id()}:secret")
    client = Client.__new__(Client)
    client.account, client.keys = account, signing.new_key_pair()
    unsigned = [{k: v for k, v in op.items() if k != "signature"} for op in client.batch(n)]
    t = time.perf_counter()
    signed = [sign_op(client.keys, op) for op in unsigned]
    sign_s = time.perf_counter() - t
    parsed = [Op.model_validate(op) for op in signed]
    t = time.perf_counter()
    for op in parsed:
        value = op.signed_value()
        assert signing.verify(client.keys.public, signing.OP_CONTEXT, value, op.signature)
    verify_s = time.perf_counter() - t
    device = parsed[0].device_id
    t = time.perf_counter()
    sealed = seal(client.keys.private, device, parsed)
    seal_s = time.perf_counter() - t
    t = time.perf_counter()
    value = signing.seal_value(device, [op.signed_value() for op in parsed])
    assert signing.verify(client.keys.public, signing.SEAL_CONTEXT, value, sealed)
    check_s = time.perf_counter() - t
    return {
        "sign_us_per_op": round(sign_s / n * 1e6, 1),
        "verify_us_per_op": round(verify_s / n * 1e6, 1),
        "seal_us_per_op": round(seal_s / n * 1e6, 1),
        "seal_check_us_per_op": round(check_s / n * 1e6, 1),
    }


def _run_client(client: Client, start: float, half: float, result: ClientResult) -> None:
    try:
        while (now := time.time()) < start + half:
            t = time.perf_counter()
            status, n = client.pull()
            ms = (time.perf_counter() - t) * 1000
            if status != 200 or n:
                result.error(f"no-op pull: status {status}, {n} changes")
            elif now >= start:
                result.noop_ms.append(ms)
        while time.time() < start + 2 * half:
            ops, sealed = client.signed.pop() if client.signed else client.signed_batch(BATCH)
            t = time.perf_counter()
            status, body = client.post("/v1/push", {"ops": ops, "seal": sealed})
            ms = (time.perf_counter() - t) * 1000
            if status != 200:
                result.error(f"push: status {status}: {body}")
                continue
            statuses = [r["status"] for r in body["results"]]
            applied = statuses.count("applied")
            if applied != len(ops):
                result.error(f"push: {len(ops) - applied} ops not applied: {body['results'][0]}")
            if time.time() <= start + 2 * half:
                result.push_ms.append(ms)
    except Exception as exc:  # a bench counts failures, it does not stop
        result.error(f"{type(exc).__name__}: {exc}")


def client_process(
    port: int, accounts: list[Account], ready, start_at, out, presign: int = 0, sealed: bool = True
) -> None:
    """A process of clients: log in and catch up, sign ``presign`` batches each ahead (a PC
    signs its ops when they are made, not when it sends them: signing in the timed phase
    would measure the clients, which share the central's cores here), say ready, wait for
    the start, run."""
    clients = [Client(port, account) for account in accounts]
    for client in clients:  # before any connection is used: the server closes idle ones
        client.sealing = sealed
        client.signed = [client.signed_batch(BATCH) for _ in range(presign)]
    for client in clients:
        client.login()
        client.catch_up()
    ready.put(len(clients))
    start, half = start_at.get()
    results = [ClientResult() for _ in clients]
    threads = [
        threading.Thread(target=_run_client, args=(c, start, half, r))
        for c, r in zip(clients, results, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put(results)


# --- the bench ----------------------------------------------------------------------------


def _ops_applied_between(db_url: str, start: float, end: float) -> int:
    """Ops the central applied in the window, by its own clock: batches that straddle the
    window's edges count for the part inside it."""
    from sqlalchemy import func, select

    from sync.central.db import open_central
    from sync.central.models import CentralOp

    db = open_central(db_url)
    try:
        with db.reading() as session:
            return session.scalar(
                select(func.count()).where(
                    CentralOp.status == "applied",
                    CentralOp.received_at >= dt.datetime.fromtimestamp(start, dt.UTC),
                    CentralOp.received_at < dt.datetime.fromtimestamp(end, dt.UTC),
                )
            )
    finally:
        db.close()


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _shown(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    return url


def bench_central(
    db_url: str | None,
    *,
    clients: int = 50,
    seconds: float = 20,
    workers: int = 3,
    processes: int = 2,
    sealed: bool = True,
) -> dict[str, Any]:
    if db_url is None:
        db_url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='localhr-bench-')) / 'central.db'}"
    accounts = seed(db_url, clients)
    port = _free_port()
    server = _start_server(db_url, port, workers)
    ctx = multiprocessing.get_context("spawn")
    ready, out = ctx.Queue(), ctx.Queue()
    starts = [ctx.Queue() for _ in range(processes)]
    # batches each client signs ahead: enough for the ops phase at 8,000 ops/s (more are
    # signed as they go)
    presign = math.ceil(seconds / 2 * 8000 / max(clients, 1) / BATCH) + 1
    procs = [
        ctx.Process(
            target=client_process,
            args=(port, accounts[i::processes], ready, s, out, presign, sealed),
        )
        for i, s in enumerate(starts)
        if accounts[i::processes]
    ]
    try:
        for p in procs:
            p.start()
        for _ in procs:
            ready.get(timeout=300)
        half = seconds / 2
        start = time.time() + 1.0
        for s in starts[: len(procs)]:
            s.put((start, half))
        results: list[ClientResult] = []
        for _ in procs:
            results.extend(out.get(timeout=seconds + 300))
        for p in procs:
            p.join(timeout=30)
    except queue.Empty:
        raise SystemExit("localhr bench central: a client process did not answer") from None
    finally:
        for p in procs:
            if p.is_alive():
                p.kill()
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    applied = _ops_applied_between(db_url, start + half, start + 2 * half)
    noop = [ms for r in results for ms in r.noop_ms]
    push = [ms for r in results for ms in r.push_ms]
    errors = sum(r.errors for r in results)
    first_error = next((r.first_error for r in results if r.first_error), None)
    return {
        "db": _shown(db_url).split("://", 1)[0],
        "clients": clients,
        "seconds": seconds,
        "server_workers": workers,
        "client_processes": len(procs),
        "noop_cycles_per_s": round(len(noop) / half, 1),
        "ops_applied_per_s": round(applied / half, 1),
        "p50_ms": round(statistics.median(noop), 2) if noop else None,
        "p99_ms": round(_percentile(noop, 0.99), 2) if noop else None,
        "push_batch_ops": BATCH,
        "presigned_batches_per_client": presign,
        "push_seal": sealed,
        "push_batch_p50_ms": round(statistics.median(push), 2) if push else None,
        "push_batch_p99_ms": round(_percentile(push, 0.99), 2) if push else None,
        "errors": errors,
        "first_error": first_error,
        **signature_costs(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
    }
