"""``localhr central`` for an office's first admin, users and PCs (issue 14), run
in-process as an operator would type it: create-org --admin-username, users list/disable,
devices list/revoke."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from localhr.cli import main
from sync.central import admin, auth, devices
from sync.central.auth import AuthError
from sync.central.db import open_central
from sync.central.models import CentralOrganization, CentralUser
from sync.protocol import ClientStatus
from tests.central.conftest import PASSWORD

TTL = dt.timedelta(hours=1)
ORG = ["--code", "6340109", "--name", "อบต.ทดลอง", "--type", "sao", "--province", "34"]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALHR_DATA_DIR", str(tmp_path / "data"))
    for name in ("DATABASE_URL", "CONFIG", "PORT", "HOST", "TLS_CERTFILE", "TLS_KEYFILE"):
        monkeypatch.delenv(f"LOCALHR_CENTRAL_{name}", raising=False)


def _run(capsys, central_url: str, *argv: str) -> tuple[int, str, str]:
    code = main(["central", *argv, "--db", central_url])
    out, err = capsys.readouterr()
    return code, out, err


def test_create_org_makes_its_first_admin_with_a_one_time_password(central_url, capsys) -> None:
    code, out, err = _run(capsys, central_url, "create-org", *ORG,
                          "--admin-username", "Somchai", "--admin-name", "สมชาย ใจดี")  # fmt: skip
    assert code == 0, err
    one_time = re.search(r"one-time password .*: (\S+)$", out, re.M).group(1)
    assert "org admin somchai created" in out
    db = open_central(central_url)
    try:
        with db.reading() as s:
            user = s.scalar(select(CentralUser).where(CentralUser.username == "somchai"))
            org = s.scalar(select(CentralOrganization.id))
            assert user.role == "org_admin" and user.org_id == org and user.must_change_password
        pc = admin.register_device_as_operator(db, org, "PC 1")
        answer = auth.login(db, "somchai", one_time, device_id=pc.device_id,
                            device_credential=pc.credential, ttl=TTL)  # fmt: skip
        assert answer.must_change_password
    finally:
        db.close()


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        (["--admin-username", "somchai"], "give both --admin-username and --admin-name"),
        (["--admin-username", "bad name", "--admin-name", "x"], "must be ASCII letters"),
        (["--admin-username", "clerk.a", "--admin-name", "x"], "is taken; nothing made"),
    ],
)
def test_create_org_with_a_bad_admin_makes_nothing(
    central_url, office, capsys, extra, problem
) -> None:
    code, out, err = _run(capsys, central_url, "create-org", *ORG, *extra)
    assert code == 1 and problem in err, (out, err)
    with office.db.reading() as s:
        codes = s.scalars(select(CentralOrganization.dla_code)).all()
    assert "6340109" not in codes


def test_users_list_and_disable(central_url, office, capsys) -> None:
    auth.login(office.db, "clerk.a", PASSWORD, device_id=office.device.device_id,
               device_credential=office.device.credential, ttl=TTL)  # fmt: skip
    code, out, err = _run(capsys, central_url, "users", "list", "--org", "6340101")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[-1] == "3 user(s) in 6340101"
    [clerk] = [line for line in lines if line.startswith("clerk.a ")]
    assert " clerk " in clerk and " active " in clerk and "last login 20" in clerk
    code, out, err = _run(capsys, central_url, "users", "disable", "clerk.a")
    assert code == 0 and "clerk.a disabled" in out, err
    with office.db.reading() as s:
        assert not s.get(CentralUser, office.users["clerk.a"]).active
    code, out, _ = _run(capsys, central_url, "users", "list", "--org", "6340101")
    assert "disabled" in next(line for line in out.splitlines() if line.startswith("clerk.a "))
    code, _, err = _run(capsys, central_url, "users", "disable", "nobody")
    assert code == 1 and "no user 'nobody'" in err
    code, _, err = _run(capsys, central_url, "users", "list", "--org", "9999999")
    assert code == 1 and "no organization" in err


def clerk_token(office) -> str:
    return auth.login(office.db, "clerk.a", PASSWORD, device_id=office.device.device_id,
                      device_credential=office.device.credential, ttl=TTL).token  # fmt: skip


def test_devices_list_and_revoke(central_url, office, capsys) -> None:
    pc = office.device
    with office.db.reading() as s:
        principal = auth.authenticate(s, token=clerk_token(office), device_id=pc.device_id,
                                      device_credential=pc.credential)  # fmt: skip
    devices.seen(office.db, principal, ClientStatus(version="0.14.0", ops_waiting=5))
    code, out, err = _run(capsys, central_url, "devices", "list", "--org", "6340101")
    assert code == 0, err
    [line] = [x for x in out.splitlines() if x.startswith(pc.device_id)]
    assert "เครื่องงานบุคคล 1" in line and "version 0.14.0" in line
    assert "ops waiting 5" in line and line.endswith("live")
    code, out, err = _run(capsys, central_url, "devices", "revoke", pc.device_id)
    assert code == 0 and "revoked: it must be registered again" in out, err
    with pytest.raises(AuthError) as refused:
        auth.login(office.db, "clerk.a", PASSWORD, device_id=pc.device_id,
                   device_credential=pc.credential, ttl=TTL)  # fmt: skip
    assert refused.value.code == "device_revoked"
    code, out, _ = _run(capsys, central_url, "devices", "list", "--org", "6340101")
    assert "revoked 20" in out
    code, _, err = _run(capsys, central_url, "devices", "revoke", "no-such-pc")
    assert code == 1 and "no PC is named 'no-such-pc'" in err
