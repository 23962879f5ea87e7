"""Fixtures of the sync client's tests: a real central on loopback, and a scripted one.

``central`` serves the real app (``sync.central.app.create_app``) under uvicorn on
127.0.0.1 with a free port, in a background thread that the fixture stops and joins, over a
fresh SQLite database seeded with two organizations and their accounts. ``scripted`` is a
tiny ``http.server`` that answers from a list and records what it was sent, for the cases
a real central cannot be made to produce on demand (503s, a proxy's 502 page).
"""

from __future__ import annotations

import functools
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from http.server import HTTPServer
from pathlib import Path
from typing import Any

import pytest

from app.services.users import make_verifier
from sync.central import admin
from sync.central.app import create_app
from sync.central.config import CentralSettings
from sync.central.db import CentralDB, open_central
from sync.central.threaded import ThreadedServer
from sync.client.credentials import DeviceCredential
from sync.client.transport import CentralClient
from tests.sync_client.scripted import Reply, Scripted, handler

PASSWORD = "รหัสผ่าน-ทดสอบ-1"  # every test account's password


@pytest.fixture(autouse=True)
def _quick_verifiers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheaper scrypt verifiers for the test accounts (the cost is part of each verifier)."""
    monkeypatch.setattr(admin, "make_verifier", functools.partial(make_verifier, n=2**10))


@dataclass
class Central:
    """A running central: its URL, database and seeded accounts."""

    url: str
    db: CentralDB
    org_a: str
    org_b: str
    stack: ExitStack = field(repr=False)
    users: dict[str, str] = field(default_factory=dict)  # username → id
    password: str = PASSWORD

    def client(self, **options: Any) -> CentralClient:
        """A client of this central that retries without waiting (closed after the test)."""
        options.setdefault("backoff_factor", 0)
        options.setdefault("timeout", (5.0, 30.0))
        return self.stack.enter_context(CentralClient(self.url, **options))

    def registered_device(self, name: str = "เครื่องงานบุคคล 1") -> DeviceCredential:
        reg = admin.register_device_as_operator(self.db, self.org_a, name)
        return DeviceCredential.from_registration(reg)


def _serve(app: Any) -> tuple[str, Callable[[], None]]:
    """``app`` under uvicorn on a free loopback port: (base URL, stop)."""
    server = ThreadedServer(app).start()

    def stop() -> None:
        assert server.stop(), "the central did not stop"

    return server.url, stop


@pytest.fixture
def central_for(tmp_path) -> Iterator[Callable[..., Central]]:
    """``central_for(**settings)``: a started central with those settings on a seeded
    SQLite database; stopped and joined after the test."""
    with ExitStack() as stack:

        def make(**overrides: Any) -> Central:
            url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
            db = open_central(url)
            stack.callback(db.close)
            org_a = admin.create_org(db, "6340101", "องค์การบริหารส่วนตำบลหนองบัว", "sao", "34", "3401")
            org_b = admin.create_org(
                db, "5340102", "เทศบาลตำบลดอนมดแดง", "subdistrict_municipality", "34"
            )
            central = Central("", db, org_a, org_b, stack)
            for username, org, role in [
                ("admin.a", org_a, "org_admin"),
                ("clerk.a", org_a, "clerk"),
                ("super.a", org_a, "supervisor"),
                ("clerk.b", org_b, "clerk"),
            ]:
                central.users[username] = admin.create_user(
                    db, org, username, f"ผู้ใช้ {username}", role, PASSWORD
                )
            settings = CentralSettings(database_url=url, **overrides)
            central.url, stop = _serve(create_app(settings, db))
            stack.callback(stop)
            return central

        yield make


@pytest.fixture
def central(central_for: Callable[..., Central]) -> Central:
    return central_for()


# --- a scripted server ---------------------------------------------------------------------


@pytest.fixture
def scripted() -> Iterator[Callable[..., Scripted]]:
    """``scripted(*replies, tls=None)``: a running scripted server; stopped and joined after
    the test."""
    with ExitStack() as stack:

        def make(*replies: Reply, tls: tuple[Path, Path] | None = None) -> Scripted:
            """``tls``: (certificate, key) files to serve HTTPS with."""
            script = Scripted("", list(replies))
            server = HTTPServer(("127.0.0.1", 0), handler(script))
            scheme = "http"
            if tls is not None:
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                context.load_cert_chain(*tls)
                server.socket = context.wrap_socket(server.socket, server_side=True)
                scheme = "https"
            script.url = f"{scheme}://127.0.0.1:{server.server_address[1]}"
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            thread.start()

            def stop() -> None:
                server.shutdown()
                server.server_close()
                thread.join(5)

            stack.callback(stop)
            return script

        yield make
