"""``localhr demo-data`` and ``localhr bench search``, run in-process as a user would type them."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from app.services import people, users
from app.store.db import open_database
from localhr.cli import main

ACCOUNT_LINE = re.compile(r"^\s+(\w+)\s+(\S+)\s+password: (\S+)$", re.MULTILINE)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("LOCALHR_DATA_DIR", str(folder))
    return folder


def _count(path: Path) -> int:
    db = open_database(path)
    try:
        return len(people.person_ids(db))
    finally:
        db.close()


def test_demo_data_fills_the_database_and_prints_the_accounts(tmp_path, capsys) -> None:
    path = tmp_path / "office.sqlite3"
    assert main(["demo-data", "--org", "6340101", "--people", "30", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert str(path) in out
    assert "30 people" in out
    accounts = {username: (role, pw) for role, username, pw in ACCOUNT_LINE.findall(out)}
    assert set(accounts) == {"admin", "clerk", "supervisor"}
    assert _count(path) == 30
    db = open_database(path)
    try:
        for username, (role, password) in accounts.items():
            assert users.login_offline(db, username, password).role.value == role
    finally:
        db.close()


def test_demo_data_goes_to_the_data_folder_by_default(data_dir, capsys) -> None:
    assert main(["demo-data", "--org", "6340101", "--people", "3", "--seed", "7"]) == 0
    assert _count(data_dir / "demo.sqlite3") == 3
    assert str(data_dir / "demo.sqlite3") in capsys.readouterr().out


def test_demo_data_refuses_a_database_that_holds_people(tmp_path, capsys) -> None:
    path = tmp_path / "office.sqlite3"
    main(["demo-data", "--org", "6340101", "--people", "5", "--db", str(path)])
    capsys.readouterr()
    assert main(["demo-data", "--org", "6340101", "--people", "9", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert "empty database" in err and str(path) in err
    assert _count(path) == 5


@pytest.mark.parametrize(
    "code", ["634010", "63401011", "63401O1", "", "６３４０１０１", "٦٣٤٠١٠١", "6 340101"]
)
def test_a_bad_org_code_is_a_clear_usage_error(tmp_path, capsys, code) -> None:
    path = tmp_path / "office.sqlite3"
    with pytest.raises(SystemExit) as exc:
        main(["demo-data", "--org", code, "--people", "30", "--db", str(path)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--org" in err and "7 digits" in err
    assert not path.exists()  # nothing was made


def test_an_org_code_in_thai_digits_is_read_as_arabic(tmp_path, capsys) -> None:
    path = tmp_path / "office.sqlite3"
    assert main(["demo-data", "--org", "๖๓๔๐๑๐๑", "--people", "2", "--db", str(path)]) == 0
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT dla_code, province_code FROM organization").fetchall() == [
            ("6340101", "34")
        ]
    finally:
        conn.close()


@pytest.mark.parametrize("people_arg", ["0", "-3", "many"])
def test_a_bad_number_of_people_is_a_usage_error(tmp_path, capsys, people_arg) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["demo-data", "--org", "6340101", "--people", people_arg])
    assert exc.value.code == 2
    assert "--people" in capsys.readouterr().err


def test_bench_search_prints_one_json_object(tmp_path, capsys) -> None:
    path = tmp_path / "bench.sqlite3"
    assert main(["bench", "search", "--people", "40", "--db", str(path)]) == 0
    result = json.loads(capsys.readouterr().out)  # the whole output is one object
    assert isinstance(result, dict)
    assert result["people"] == 40
    assert isinstance(result["db_bytes"], int) and result["db_bytes"] > 0
    for key in ("search_p50_ms", "search_p95_ms", "first_page_ms"):
        assert isinstance(result[key], int | float) and result[key] >= 0, key
    assert result["search_p50_ms"] <= result["search_p95_ms"]
    assert _count(path) == 40

    # A second run reuses the database it made.
    assert main(["bench", "search", "--people", "40", "--db", str(path)]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["people"] == 40 and again["generate_s"] is None


def test_bench_refuses_a_database_of_another_size(tmp_path, capsys) -> None:
    path = tmp_path / "bench.sqlite3"
    main(["demo-data", "--org", "6340101", "--people", "5", "--db", str(path)])
    with pytest.raises(SystemExit) as exc:
        main(["bench", "search", "--people", "40", "--db", str(path)])
    assert "40 people" in str(exc.value.code)
    assert _count(path) == 5


def test_bench_needs_to_know_what_to_measure(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["bench"])
    assert exc.value.code == 2


def test_bench_central_drives_a_real_central_and_prints_one_json_object(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    argv = ["bench", "central", "--db", url, "--clients", "2", "--seconds", "2"]
    assert main([*argv, "--workers", "1", "--processes", "1"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["errors"] == 0, result["first_error"]
    assert result["noop_cycles_per_s"] > 0
    assert result["ops_applied_per_s"] > 0  # counted by the central: the ops were stored
    assert result["p50_ms"] <= result["p99_ms"]


def test_bench_central_refuses_a_database_in_use(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    from sync.central import admin
    from sync.central.db import open_central

    db = open_central(url)
    admin.create_org(db, "6340101", "องค์การบริหารส่วนตำบลหนองบัว", "sao", "34")
    db.close()
    with pytest.raises(SystemExit, match="empty database"):
        main(["bench", "central", "--db", url, "--clients", "1", "--seconds", "1"])


def test_bench_sync_syncs_a_fresh_desktop_with_a_central_process(monkeypatch):
    from localhr import bench_sync

    monkeypatch.setattr(
        bench_sync, "SLOW", bench_sync.Link(bandwidth_bps=2_000_000, latency_s=0.05)
    )
    result = bench_sync.bench_sync(people=120, edits=30, slow_edits=20)
    assert result["rows_pulled"] > 120  # the people, their positions and history
    assert result["push_30_s"] > 0 and result["slow_link_s"] >= result["slow_link_floor_s"] * 0.9
    assert 0 < result["wire_bytes_per_person"] < 2 * result["zstd_bytes_per_person"]
    assert 0 < result["noop_bytes"] < 4096
    assert set(result["budgets_met"]) == {
        "first_sync_s",
        "wire_bytes_per_person",
        "noop_ms",
        "noop_bytes",
        "slow_link_s",
    }
