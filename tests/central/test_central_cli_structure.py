"""``localhr central load-structure``: an office's units and slots from CSV, all or nothing,
as the office's PCs then pull them (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from localhr.cli import main
from sync.central import admin
from tests.central.sync_helpers import login, rows_of

HEADER = (
    "kind,unit,unit_kind,parent,position_number,title,job_line_code,position_type,"
    "level_min,level_max,staff_type,state\n"
)
GOOD = HEADER + (
    "unit,สำนักปลัด,สำนัก,,,,,,,,,\n"
    "unit,กองคลัง,division,,,,,,,,,\n"
    "unit,งานการเจ้าหน้าที่,งาน,สำนักปลัด,,,,,,,,\n"
    "slot,สำนักปลัด,,,๓๔-๑-๐๑-๑๑๐๑-๐๐๑,ปลัดองค์การบริหารส่วนตำบล,1101,บริหารท้องถิ่น,ต้น,กลาง,"
    "ข้าราชการหรือพนักงานส่วนท้องถิ่น,\n"
    "slot,งานการเจ้าหน้าที่,,,34-1-01-2101-001,นักทรัพยากรบุคคล,2101,academic,"
    "ปฏิบัติการ,ชำนาญการ,local_official,ว่าง\n"
    "slot,กองคลัง,,,34-2-01-2103-001,นักวิชาการเงินและบัญชี,2103,วิชาการ,ปฏิบัติการ,"
    "ชำนาญการ,,ตรึง\n"
)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALHR_DATA_DIR", str(tmp_path / "data"))
    for name in ("DATABASE_URL", "CONFIG", "PORT", "HOST", "TLS_CERTFILE", "TLS_KEYFILE"):
        monkeypatch.delenv(f"LOCALHR_CENTRAL_{name}", raising=False)


def _load(capsys, central_url: str, path: Path, org: str = "6340101") -> tuple[int, str, str]:
    code = main(["central", "load-structure", "--db", central_url, "--org", org, str(path)])
    out, err = capsys.readouterr()
    return code, out, err


def _file(tmp_path: Path, text: str, bom: bool = False) -> Path:
    path = tmp_path / "structure.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_an_office_loaded_from_csv_is_pulled_by_its_pcs(
    tmp_path, capsys, central_url, client, office
) -> None:
    code, out, err = _load(capsys, central_url, _file(tmp_path, GOOD, bom=True))
    assert code == 0, err
    assert "3 new units" in out and "3 new slots" in out
    clerk = login(client, office, "clerk.a")
    changes = clerk.changes()
    units = {c["data"]["name"]: c for c in rows_of(changes, "org_unit").values()}
    assert set(units) == {"สำนักปลัด", "กองคลัง", "งานการเจ้าหน้าที่"}
    assert units["งานการเจ้าหน้าที่"]["data"]["parent_id"] == units["สำนักปลัด"]["id"]
    assert units["งานการเจ้าหน้าที่"]["data"]["unit_kind"] == "unit"
    slots = {c["data"]["position_number"]: c["data"] for c in rows_of(changes, "position").values()}
    chief = slots["34-1-01-1101-001"]  # Thai digits stored as Arabic
    assert (chief["position_type"], chief["level_min"], chief["level_max"]) == (
        "executive", "executive_junior", "executive_middle",
    )  # fmt: skip
    assert chief["staff_type"] == "local_official" and chief["state"] == "vacant"
    assert slots["34-2-01-2103-001"]["state"] == "frozen"
    assert slots["34-2-01-2103-001"]["staff_type"] is None
    # loaded again: nothing changes, nothing new to pull
    cursors = clerk.pull()["cursors"]
    code, out, _ = _load(capsys, central_url, _file(tmp_path, GOOD))
    assert code == 0 and "0 new units, 0 changed; 0 new slots, 0 changed" in out
    assert clerk.changes(cursors) == []


def test_one_refused_line_and_nothing_is_loaded(tmp_path, capsys, central_url, client, office):
    bad = GOOD + (
        "slot,กองคลัง,,,34-1-01-2101-001,ซ้ำ,2101,academic,,,,\n"  # line 8: number taken
        "unit,ฝ่ายใหม่,ฝ่าย,กองที่ไม่มี,,,,,,,,\n"  # line 9: no such parent
        "slot,กองคลัง,,,34-2-01-2103-009,นักวิชาการ,2103,academic,ชำนาญการ,ปฏิบัติการ,,\n"  # 10
        "slot,กองคลัง,,,34-2-01-2103-010,นักวิชาการ,2103,academic,,,,filled\n"  # line 11
        "box,กองคลัง,,,,,,,,,,\n"  # line 12
    )
    code, _, err = _load(capsys, central_url, _file(tmp_path, bad))
    assert code == 1
    path = str(tmp_path / "structure.csv")
    refused = {
        int(line.removeprefix(f"{path}:").split(":")[0]): line
        for line in err.splitlines()
        if line.startswith(f"{path}:")
    }
    assert sorted(refused) == [8, 9, 10, 11, 12]
    assert "position_number_taken" in refused[8] and "unit_not_found" in refused[9]
    assert "level_range" in refused[10] and "state_not_by_hand" in refused[11]
    assert "nothing was loaded" in err
    clerk = login(client, office, "clerk.a")
    tables = {c["table"] for c in clerk.changes()}
    assert not tables & {"org_unit", "position"}


def test_the_rules_see_what_the_office_already_has(tmp_path, capsys, central_url, office) -> None:
    assert _load(capsys, central_url, _file(tmp_path, GOOD))[0] == 0
    # a slot moved to another unit and frozen; a unit moved under another: changes
    more = HEADER + (
        "unit,กองคลัง,กอง,สำนักปลัด,,,,,,,,\n"
        "slot,กองคลัง,,,34-1-01-2101-001,นักทรัพยากรบุคคล,2101,academic,,,,frozen\n"
        "unit,สำนักปลัด,สำนัก,กองคลัง,,,,,,,,\n"  # a cycle now
    )
    code, _, err = _load(capsys, central_url, _file(tmp_path, more))
    assert code == 1 and ":4: unit_cycle" in err
    code, out, err = _load(capsys, central_url, _file(tmp_path, more.rsplit("unit,", 1)[0]))
    assert code == 0, err
    assert "1 changed; 0 new slots, 1 changed" in out


def test_a_file_that_is_not_a_structure_file_is_refused(tmp_path, capsys, central_url, office):
    for text, words in [
        ("name,code\nกองคลัง,1\n", "the first line must name the columns"),
        ("kind,unit,colour\nunit,กองคลัง,แดง\n", "unknown columns colour"),
    ]:
        code, _, err = _load(capsys, central_url, _file(tmp_path, text))
        assert code == 1 and words in err
    path = tmp_path / "latin.csv"
    path.write_bytes(HEADER.encode() + "unit,กองคลัง,กอง,,,,,,,,,\n".encode("cp874"))
    code, _, err = _load(capsys, central_url, path)
    assert code == 1 and "not UTF-8" in err
    code, _, err = _load(capsys, central_url, _file(tmp_path, GOOD), org="9999999")
    assert code == 1 and "no organization" in err


def test_another_office_is_not_touched(tmp_path, capsys, central_url, client, office) -> None:
    assert _load(capsys, central_url, _file(tmp_path, GOOD), org="5340102")[0] == 0
    pc_b = admin.register_device_as_operator(office.db, office.org_b, "เครื่อง B")
    seen_b = login(client, office, "clerk.b", pc_b).changes()
    assert {c["org_id"] for c in seen_b if c["table"] == "position"} == {office.org_b}
    seen_a = login(client, office, "clerk.a").changes()
    assert not [c for c in seen_a if c["table"] in ("org_unit", "position")]
