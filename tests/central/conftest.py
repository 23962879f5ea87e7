"""Fixtures of the central's tests: every test runs on SQLite and on a real PostgreSQL.

``central_url`` is parametrized over a fresh SQLite file (per test) and a PostgreSQL
database made for the test module on 127.0.0.1:5432 (user postgres) and dropped after it;
its tables are emptied after each test. If PostgreSQL is not running, the fixture tries to
start the local cluster; if that fails too the PostgreSQL half is skipped with the reason,
except under CI (``CI`` set), where it fails: CI must run both.
"""

from __future__ import annotations

import functools
import os
import subprocess
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import psycopg
import pytest

with warnings.catch_warnings():
    # Starlette 1.x suggests httpx2 for its TestClient; httpx is what the project installs.
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

from app.services.users import make_verifier
from sync.central import admin
from sync.central.app import create_app
from sync.central.auth import device_header
from sync.central.config import CentralSettings
from sync.central.db import CentralDB, open_central
from sync.central.models import CentralBase
from sync.protocol import PROTOCOL_HEADER, DeviceRegistration
from sync.protocol.v1 import DEVICE_HEADER
from tests.central.sync_helpers import Caller, login

PG_HOST = os.environ.get("LOCALHR_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("LOCALHR_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("LOCALHR_TEST_PG_USER", "postgres")
PG_ADMIN_DB = os.environ.get("LOCALHR_TEST_PG_DB", "test")
PASSWORD = "รหัสผ่าน-ทดสอบ-1"  # every test account's password


def _pg_dsn(dbname: str) -> str:
    return f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{dbname}"


def _pg_error() -> str | None:
    try:
        with psycopg.connect(_pg_dsn(PG_ADMIN_DB), connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return str(exc).strip()


def _start_local_cluster() -> None:
    try:
        versions = os.listdir("/etc/postgresql")
    except OSError:
        return
    for version in versions:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
            capture_output=True,
            timeout=60,
            check=False,
        )


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The maintenance DSN of a reachable PostgreSQL (started if need be), or skip."""
    error = _pg_error()
    if error is not None:
        _start_local_cluster()
        deadline = time.monotonic() + 15
        while (error := _pg_error()) is not None and time.monotonic() < deadline:
            time.sleep(0.5)
    if error is not None:
        reason = f"PostgreSQL unreachable at {PG_HOST}:{PG_PORT} as {PG_USER}: {error}"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI must run the PostgreSQL tests)", pytrace=False)
        pytest.skip(reason)
    return _pg_dsn(PG_ADMIN_DB)


@pytest.fixture(scope="module")
def pg_module_url(postgres_server: str) -> Iterator[str]:
    """A fresh PostgreSQL database for one test module, dropped after it."""
    name = f"localhr_central_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    try:
        yield _pg_dsn(name)
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _empty_tables(url: str) -> None:
    tables = ", ".join(t.name for t in CentralBase.metadata.sorted_tables)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"TRUNCATE {tables}")
    except psycopg.errors.UndefinedTable:
        pass  # the test never migrated the database


@pytest.fixture(params=["sqlite", "postgresql"])
def central_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'central.sqlite3'}"
        return
    url = request.getfixturevalue("pg_module_url")
    try:
        yield url
    finally:
        _empty_tables(url)


@pytest.fixture(autouse=True)
def _quick_verifiers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test accounts get cheaper scrypt verifiers (the cost is part of each verifier, so
    they check the same way); the tests log in hundreds of times."""
    monkeypatch.setattr(admin, "make_verifier", functools.partial(make_verifier, n=2**10))


@pytest.fixture
def central_db(central_url: str) -> Iterator[CentralDB]:
    db = open_central(central_url)
    try:
        yield db
    finally:
        db.close()


@pytest.fixture
def client_for(central_url: str, central_db: CentralDB) -> Iterator[Callable[..., TestClient]]:
    """``client_for(**settings)``: a started TestClient of an app with those settings on the
    test's database, sending the protocol header; closed after the test."""
    with ExitStack() as stack:

        def make(**overrides: Any) -> TestClient:
            settings = CentralSettings(database_url=central_url, **overrides)
            client = TestClient(
                create_app(settings, central_db),
                headers={PROTOCOL_HEADER: "1"},
                raise_server_exceptions=False,
            )
            return stack.enter_context(client)

        yield make


@pytest.fixture
def client(client_for: Callable[..., TestClient]) -> TestClient:
    return client_for()


@dataclass
class Office:
    """Two organizations of province 34 with their accounts, and a PC registered to A."""

    db: CentralDB
    org_a: str
    org_b: str
    users: dict[str, str] = field(default_factory=dict)  # username → id
    device: DeviceRegistration | None = None
    password: str = PASSWORD

    def device_headers(self, reg: DeviceRegistration | None = None) -> dict[str, str]:
        reg = reg or self.device
        assert reg is not None
        return {DEVICE_HEADER: device_header(reg.device_id, reg.credential)}

    def login(
        self, client: TestClient, username: str, reg: DeviceRegistration | None = None
    ) -> dict[str, str]:
        """Headers of a logged-in ``username`` on the PC ``reg`` (default: A's PC)."""
        headers = self.device_headers(reg)
        r = client.post(
            "/v1/login", json={"username": username, "password": PASSWORD}, headers=headers
        )
        assert r.status_code == 200, r.text
        return {**headers, "Authorization": f"Bearer {r.json()['token']}"}


@pytest.fixture
def office(central_db: CentralDB) -> Office:
    db = central_db
    org_a = admin.create_org(db, "6340101", "องค์การบริหารส่วนตำบลหนองบัว", "sao", "34", "3401")
    org_b = admin.create_org(db, "5340102", "เทศบาลตำบลดอนมดแดง", "subdistrict_municipality", "34")
    o = Office(db, org_a, org_b)
    for username, org, role, scope in [
        ("admin.a", org_a, "org_admin", ()),
        ("clerk.a", org_a, "clerk", ()),
        ("super.a", org_a, "supervisor", ()),
        ("admin.b", org_b, "org_admin", ()),
        ("clerk.b", org_b, "clerk", ()),
        ("province", org_b, "supervisor", (org_a,)),
    ]:
        o.users[username] = admin.create_user(
            db, org, username, f"ผู้ใช้ {username}", role, PASSWORD, scope
        )
    o.device = admin.register_device_as_operator(db, org_a, "เครื่องงานบุคคล 1")
    return o


# Users logged in on a PC, who build, push and pull ops (tests/central/sync_helpers.py).


@pytest.fixture
def clerk(client: TestClient, office: Office) -> Caller:
    """clerk.a on the PC of organization A."""
    return login(client, office, "clerk.a")


@pytest.fixture
def supervisor(client: TestClient, office: Office) -> Caller:
    """super.a on the PC of organization A."""
    return login(client, office, "super.a")


@pytest.fixture
def clerk_b(client: TestClient, office: Office) -> Caller:
    """clerk.b on a PC of organization B."""
    pc_b = admin.register_device_as_operator(office.db, office.org_b, "เครื่องงานบุคคล B")
    return login(client, office, "clerk.b", pc_b)
