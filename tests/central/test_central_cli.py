"""``localhr central ...`` run in-process, as an operator would type it."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from localhr.cli import main
from sync.central import auth
from sync.central.db import open_central
from sync.central.models import CentralOrganization, CentralUser

ORGS = (
    "dla_code,name,org_type,province_code,amphoe_code\n"
    "6340102,องค์การบริหารส่วนตำบลโนนสูง,sao,34,3401\n"
    "5340103,เทศบาลตำบลบ้านใหม่,subdistrict_municipality,34,\n"
)
ID = r"[0-9a-f-]{36}"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALHR_DATA_DIR", str(tmp_path / "data"))
    for name in ("DATABASE_URL", "CONFIG", "PORT", "HOST", "TLS_CERTFILE", "TLS_KEYFILE"):
        monkeypatch.delenv(f"LOCALHR_CENTRAL_{name}", raising=False)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["central", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _org(central_url: str, capsys) -> str:
    code, out, err = _run(
        capsys, "create-org", "--db", central_url, "--code", "6340101",
        "--name", "อบต.หนองบัว", "--type", "sao", "--province", "34", "--amphoe", "3401",
    )  # fmt: skip
    assert code == 0, err
    return re.search(rf"organization ({ID}) created", out).group(1)


def _users(url: str) -> dict[str, CentralUser]:
    db = open_central(url)
    try:
        with db.transaction() as s:
            return {u.username: u for u in s.scalars(select(CentralUser))}
    finally:
        db.close()


def test_init_db_creates_the_database(central_url, capsys) -> None:
    code, out, _ = _run(capsys, "init-db", "--db", central_url)
    assert code == 0
    assert "central database ready" in out


def test_init_db_uses_the_data_folder_by_default(tmp_path, capsys) -> None:
    code, out, _ = _run(capsys, "init-db")
    assert code == 0
    assert (tmp_path / "data" / "central.sqlite3").exists()
    assert "central.sqlite3" in out


def test_init_db_hides_a_password_in_the_url(capsys, monkeypatch) -> None:
    fake = SimpleNamespace(close=lambda: None)
    monkeypatch.setattr("sync.central.db.open_central", lambda url: fake)
    code, out, _ = _run(capsys, "init-db", "--db", "postgresql://hr:s3cret@db.example/hr")
    assert code == 0
    assert "s3cret" not in out and "db.example" in out


def test_create_org_prints_its_id_and_refuses_bad_input(central_url, capsys) -> None:
    org_id = _org(central_url, capsys)
    code, _, err = _run(
        capsys, "create-org", "--db", central_url, "--code", "6340101",
        "--name", "ซ้ำ", "--type", "sao", "--province", "34",
    )  # fmt: skip
    assert code == 1 and "exists already" in err
    code, _, err = _run(
        capsys, "create-org", "--db", central_url, "--code", "12",
        "--name", "x", "--type", "town", "--province", "34",
    )  # fmt: skip
    assert code == 1
    assert "7 digits" in err and "org_type 'town'" in err
    db = open_central(central_url)
    with db.transaction() as s:
        assert [o.id for o in s.scalars(select(CentralOrganization))] == [org_id]
    db.close()


def test_import_orgs_prints_what_it_did(central_url, tmp_path, capsys) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text(ORGS, encoding="utf-8")
    code, out, _ = _run(capsys, "import-orgs", "--db", central_url, str(path))
    assert code == 0
    assert "2 created, 0 updated, 0 unchanged" in out
    code, out, _ = _run(capsys, "import-orgs", "--db", central_url, str(path))
    assert "0 created, 0 updated, 2 unchanged" in out
    path.write_text(ORGS + "bad,line,sao,34,\n", encoding="utf-8")
    code, _, err = _run(capsys, "import-orgs", "--db", central_url, str(path))
    assert code == 1
    assert f"{path}:4:" in err and "nothing imported" in err
    code, _, err = _run(capsys, "import-orgs", "--db", central_url, str(tmp_path / "none.csv"))
    assert code == 1 and "none.csv" in err


def test_create_user_reads_the_password_from_stdin(central_url, capsys, monkeypatch) -> None:
    org_id = _org(central_url, capsys)
    monkeypatch.setattr("sys.stdin", io.StringIO("รหัสผ่านที่ยาวพอ\n"))
    code, out, err = _run(
        capsys, "create-user", "--db", central_url, "--org", "6340101", "--username", "Somchai",
        "--name", "สมชาย ใจดี", "--role", "org_admin", "--password-stdin",
    )  # fmt: skip
    assert code == 0, err
    user = _users(central_url)["somchai"]
    assert re.search(rf"user {user.id} created: somchai \(org_admin\) in {org_id}", out)
    assert user.org_id == org_id
    from app.domain.passwords import check_verifier

    assert check_verifier("รหัสผ่านที่ยาวพอ", user.password_verifier)
    assert "รหัสผ่านที่ยาวพอ" not in out + err


def test_create_user_asks_for_the_password_twice(central_url, capsys, monkeypatch) -> None:
    _org(central_url, capsys)
    monkeypatch.setattr("sys.stdin", type("TTY", (), {"isatty": lambda self: True})())
    answers = iter(["first password", "other password", "good password", "good password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    argv = ["create-user", "--db", central_url, "--org", "6340101", "--username", "clerk",
            "--name", "เสมียน", "--role", "clerk"]  # fmt: skip
    code, _, err = _run(capsys, *argv)
    assert code == 1 and "differ" in err
    assert "clerk" not in _users(central_url)
    code, _, err = _run(capsys, *argv)
    assert code == 0, err
    assert "clerk" in _users(central_url)


def test_create_user_refuses_bad_input(central_url, capsys, monkeypatch) -> None:
    _org(central_url, capsys)
    base = ["create-user", "--db", central_url, "--username", "x", "--name", "x"]
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal, no --password-stdin
    code, _, err = _run(capsys, *base, "--org", "6340101", "--role", "clerk")
    assert code == 1 and "--password-stdin" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough\n"))
    code, _, err = _run(capsys, *base, "--org", "9999999", "--role", "clerk", "--password-stdin")
    assert code == 1 and "no organization '9999999'" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    code, _, err = _run(capsys, *base, "--org", "6340101", "--role", "boss", "--password-stdin")
    assert code == 1 and "role 'boss'" in err and "at least 8" in err
    assert _users(central_url) == {}
    # a password is never an argument
    with pytest.raises(SystemExit) as exc:
        main(["central", *base, "--org", "6340101", "--role", "clerk", "--password", "pw123456"])
    assert exc.value.code == 2


def test_create_user_with_a_provincial_scope(central_url, tmp_path, capsys, monkeypatch):
    org_id = _org(central_url, capsys)
    path = tmp_path / "orgs.csv"
    path.write_text(ORGS, encoding="utf-8")
    _run(capsys, "import-orgs", "--db", central_url, str(path))
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough\n"))
    code, _, err = _run(
        capsys, "create-user", "--db", central_url, "--org", org_id, "--username", "province",
        "--name", "ผู้กำกับจังหวัด", "--role", "supervisor", "--scope", "6340102",
        "--scope", "5340103", "--password-stdin",
    )  # fmt: skip
    assert code == 0, err
    assert len(_users(central_url)["province"].scope_org_ids) == 2


def test_register_device_prints_the_credential_once(central_url, capsys, monkeypatch) -> None:
    org_id = _org(central_url, capsys)
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough\n"))
    _run(
        capsys, "create-user", "--db", central_url, "--org", org_id, "--username", "clerk",
        "--name", "เสมียน", "--role", "clerk", "--password-stdin",
    )  # fmt: skip
    code, out, err = _run(
        capsys, "register-device", "--db", central_url, "--org", "6340101", "--name", "PC 1"
    )
    assert code == 0, err
    device_id = re.search(rf"device ({ID}) registered to {org_id}", out).group(1)
    credential = re.search(r"credential \(shown once.*\): (\S+)", out).group(1)
    db = open_central(central_url)
    try:
        login = auth.login(
            db, "clerk", "long enough", device_id=device_id, device_credential=credential,
            ttl=dt.timedelta(hours=1),
        )  # fmt: skip
        assert login.user.org_id == org_id
    finally:
        db.close()
    code, _, err = _run(capsys, "register-device", "--db", central_url, "--org", "x", "--name", "y")
    assert code == 1 and "no organization" in err


def test_settings_come_from_a_config_file(central_url, tmp_path, capsys) -> None:
    config = tmp_path / "central.toml"
    config.write_text(f'database_url = "{central_url}"\n', encoding="utf-8")
    _org_code, out, err = _run(capsys, "init-db", "--config", str(config))
    assert _org_code == 0, err
    assert central_url.split("/")[-1] in out
    bad = tmp_path / "bad.toml"
    bad.write_text('databse_url = "sqlite:///x"\n', encoding="utf-8")
    code, _, err = _run(capsys, "init-db", "--config", str(bad))
    assert code == 2 and "databse_url" in err
    code, _, err = _run(capsys, "init-db", "--config", str(tmp_path / "none.toml"))
    assert code == 2 and "none.toml" in err


def test_serve_runs_uvicorn_with_the_settings(central_url, tmp_path, capsys, monkeypatch):
    calls = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append((app, kw)))
    code, out, _ = _run(capsys, "serve", "--db", central_url, "--port", "18080")
    assert code == 0
    app, kw = calls.pop()
    assert kw == {"host": "127.0.0.1", "port": 18080}
    assert {r.path for r in app.routes} >= {"/health", "/v1/push", "/v1/pull"}
    app.state.db.close()
    assert "http://127.0.0.1:18080" in out
    # TLS from the environment: port 8443 by default
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    monkeypatch.setenv("LOCALHR_CENTRAL_TLS_CERTFILE", str(cert))
    monkeypatch.setenv("LOCALHR_CENTRAL_TLS_KEYFILE", str(key))
    code, out, _ = _run(capsys, "serve", "--db", central_url, "--host", "0.0.0.0", "--workers", "3")
    assert code == 0
    app, kw = calls.pop()
    assert app == "sync.central.app:app_from_environment"
    assert kw == {
        "factory": True, "host": "0.0.0.0", "port": 8443, "workers": 3,
        "ssl_certfile": str(cert), "ssl_keyfile": str(key),
    }  # fmt: skip
    assert "https://0.0.0.0:8443" in out
    assert os.environ["LOCALHR_CENTRAL_DATABASE_URL"] == central_url
    monkeypatch.delenv("LOCALHR_CENTRAL_DATABASE_URL")
    monkeypatch.delenv("LOCALHR_CENTRAL_TLS_KEYFILE")
    code, _, err = _run(capsys, "serve", "--db", central_url)
    assert code == 2 and "tls_keyfile" in err
