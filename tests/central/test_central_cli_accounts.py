"""``localhr central`` account care, run in-process as an operator would type it:
reset-password, disable-user, enable-user, end-sessions, security-events."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from localhr.cli import main
from sync.central import admin, auth, throttle
from sync.central.auth import AuthError
from sync.central.db import CentralDB
from sync.central.models import CentralToken, CentralUser
from tests.central.conftest import PASSWORD

TTL = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALHR_DATA_DIR", str(tmp_path / "data"))
    for name in ("DATABASE_URL", "CONFIG", "PORT", "HOST", "TLS_CERTFILE", "TLS_KEYFILE"):
        monkeypatch.delenv(f"LOCALHR_CENTRAL_{name}", raising=False)


def _run(capsys, central_url: str, *argv: str) -> tuple[int, str, str]:
    code = main(["central", argv[0], "--db", central_url, *argv[1:]])
    out, err = capsys.readouterr()
    return code, out, err


def _login(office, username: str, password: str = PASSWORD):
    reg = office.device
    return auth.login(
        office.db, username, password, device_id=reg.device_id,
        device_credential=reg.credential, ttl=TTL,
    )  # fmt: skip


def _live_tokens(db: CentralDB, user_id: str) -> int:
    with db.reading() as s:
        rows = s.scalars(select(CentralToken).where(CentralToken.user_id == user_id)).all()
        return sum(1 for t in rows if t.revoked_at is None)


def test_reset_password_prints_a_one_time_password(central_url, office, capsys) -> None:
    _login(office, "clerk.a")
    code, out, err = _run(capsys, central_url, "reset-password", "--user", "Clerk.A")
    assert code == 0, err
    one_time = re.search(r"one-time password .*: (\S+)$", out, re.M).group(1)
    assert _live_tokens(office.db, office.users["clerk.a"]) == 0
    with pytest.raises(AuthError):
        _login(office, "clerk.a")
    answer = _login(office, "clerk.a", one_time)
    assert answer.must_change_password
    code, _, err = _run(capsys, central_url, "reset-password", "--user", "nobody")
    assert code == 1 and "no user 'nobody'" in err


def test_disable_and_enable_a_user(central_url, office, capsys) -> None:
    _login(office, "clerk.a")
    code, out, err = _run(capsys, central_url, "disable-user", "--user", office.users["clerk.a"])
    assert code == 0, err
    assert "disabled" in out
    assert _live_tokens(office.db, office.users["clerk.a"]) == 0
    with office.db.reading() as s:
        assert not s.get(CentralUser, office.users["clerk.a"]).active
    code, out, err = _run(capsys, central_url, "enable-user", "--user", "clerk.a")
    assert code == 0 and "enabled" in out, err
    assert _login(office, "clerk.a").user.username == "clerk.a"


def test_end_sessions(central_url, office, capsys) -> None:
    _login(office, "clerk.a")
    _login(office, "clerk.a")
    _login(office, "super.a")
    code, out, err = _run(capsys, central_url, "end-sessions", "--user", "clerk.a")
    assert code == 0, err
    assert "2 sessions of clerk.a ended" in out
    assert _live_tokens(office.db, office.users["clerk.a"]) == 0
    assert _live_tokens(office.db, office.users["super.a"]) == 1


def test_security_events_lists_blocks_and_resets(central_url, office, capsys) -> None:
    code, out, _ = _run(capsys, central_url, "security-events")
    assert code == 0 and "no security events" in out
    guard = throttle.Throttle(free_per_account=2)
    for _ in range(2):
        with pytest.raises(AuthError):
            auth.login(
                office.db, "clerk.a", "guess", device_id=office.device.device_id,
                device_credential=office.device.credential, ttl=TTL, address="192.0.2.1",
                guard=guard,
            )  # fmt: skip
    admin.set_user_active(office.db, office.users["clerk.b"], True)  # no event: no change
    _run(capsys, central_url, "reset-password", "--user", "clerk.b")
    code, out, err = _run(capsys, central_url, "security-events")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2
    assert " password.reset clerk.b " in lines[0] and "by=operator" in lines[0]
    assert " login.blocked clerk.a " in lines[1] and "from=192.0.2.1" in lines[1]
    code, out, _ = _run(capsys, central_url, "security-events", "--org", "6340101")
    assert code == 0
    assert "login.blocked clerk.a" in out and "clerk.b" not in out
