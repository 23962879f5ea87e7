"""Operator functions: organizations, users and PCs, published as synced rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain import codec
from app.domain.entities import Organization, User
from app.domain.passwords import check_offline_verifier, check_verifier
from sync.central import admin, auth
from sync.central.admin import AdminError
from sync.central.models import CentralDevice, CentralOrganization, CentralRow, CentralUser

HEADER = "dla_code,name,org_type,province_code,amphoe_code\n"
ORGS = (
    HEADER
    + "6340101,องค์การบริหารส่วนตำบลหนองบัว,sao,34,3401\n"
    + "5340102,เทศบาลตำบลดอนมดแดง,subdistrict_municipality,34,\n"
    + '2340000,"องค์การบริหารส่วนจังหวัดอุบลราชธานี",pao,34,\n'
)


def _orgs(db) -> dict[str, CentralOrganization]:
    with db.transaction() as s:
        return {o.dla_code: o for o in s.scalars(select(CentralOrganization))}


def _rows(db, table: str) -> list[CentralRow]:
    with db.transaction() as s:
        return list(
            s.scalars(
                select(CentralRow).where(CentralRow.table_name == table).order_by(CentralRow.seq)
            )
        )


def _csv(tmp_path: Path, text: str, name="orgs.csv", encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


# --- organizations ---------------------------------------------------------------------


def test_create_org_publishes_an_organization_row(central_db) -> None:
    org_id = admin.create_org(central_db, "๖๓๔๐๑๐๑", " อบต.หนองบัว ", "sao", "34", "3401")
    org = _orgs(central_db)["6340101"]
    assert (org.id, org.name, org.org_type, org.province_code, org.amphoe_code) == (
        org_id, "อบต.หนองบัว", "sao", "34", "3401",
    )  # fmt: skip
    [row] = _rows(central_db, "organization")
    assert (row.id, row.org_id, row.version, row.seq, row.deleted) == (org_id, org_id, 1, 1, False)
    entity = codec.build(Organization, row.data)
    assert entity.dla_code == "6340101" and entity.name == "อบต.หนองบัว"
    assert entity.org_id == org_id


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("634010", "x", "sao", "34"), "7 digits"),
        (("63401011", "x", "sao", "34"), "7 digits"),
        (("634010a", "x", "sao", "34"), "7 digits"),
        (("6340101", " ", "sao", "34"), "name is empty"),
        (("6340101", "x", "village", "34"), "org_type 'village'"),
        (("6340101", "x", "sao", "345"), "2 digits"),
        (("6340101", "x", "sao", "34", "341"), "4 digits"),
        (("6340101", "x", "sao", "34", "3501"), "not in province 34"),
    ],
)
def test_create_org_refuses_bad_fields(central_db, args, words) -> None:
    with pytest.raises(AdminError, match=words):
        admin.create_org(central_db, *args)
    assert _orgs(central_db) == {}
    assert _rows(central_db, "organization") == []


def test_create_org_refuses_a_dla_code_twice(central_db) -> None:
    admin.create_org(central_db, "6340101", "หนึ่ง", "sao", "34")
    with pytest.raises(AdminError, match="exists already"):
        admin.create_org(central_db, "6340101", "สอง", "sao", "34")
    assert len(_orgs(central_db)) == 1


def test_find_org_by_id_or_code(central_db) -> None:
    org_id = admin.create_org(central_db, "6340101", "หนึ่ง", "sao", "34")
    assert admin.find_org(central_db, org_id) == org_id
    assert admin.find_org(central_db, " 6340101 ") == org_id
    assert admin.find_org(central_db, "๖๓๔๐๑๐๑") == org_id
    with pytest.raises(AdminError, match="no organization"):
        admin.find_org(central_db, "6340199")


# --- importing organizations -------------------------------------------------------------


def test_import_orgs_reads_thai_csv_and_is_idempotent(central_db, tmp_path) -> None:
    path = _csv(tmp_path, ORGS)
    assert admin.import_orgs(central_db, path) == 3
    orgs = _orgs(central_db)
    assert set(orgs) == {"6340101", "5340102", "2340000"}
    assert orgs["2340000"].name == "องค์การบริหารส่วนจังหวัดอุบลราชธานี"
    assert orgs["5340102"].amphoe_code is None
    assert len(_rows(central_db, "organization")) == 3
    # again: nothing changes, nothing is published again
    assert admin.import_orgs(central_db, path) == 0
    assert admin.import_orgs_summary(central_db, path) == admin.ImportSummary(0, 0, 3)
    assert {k: v.id for k, v in _orgs(central_db).items()} == {k: v.id for k, v in orgs.items()}
    assert [r.version for r in _rows(central_db, "organization")] == [1, 1, 1]


def test_import_orgs_updates_an_existing_code(central_db, tmp_path) -> None:
    org_id = admin.create_org(central_db, "5340102", "อบต.ดอนมดแดง", "sao", "34")
    summary = admin.import_orgs_summary(central_db, _csv(tmp_path, ORGS))
    assert summary == admin.ImportSummary(created=2, updated=1, unchanged=0)
    org = _orgs(central_db)["5340102"]
    assert (org.id, org.org_type, org.name) == (
        org_id, "subdistrict_municipality", "เทศบาลตำบลดอนมดแดง",
    )  # fmt: skip
    row = next(r for r in _rows(central_db, "organization") if r.id == org_id)
    assert row.version == 2
    assert row.data["name"] == "เทศบาลตำบลดอนมดแดง"


def test_import_orgs_accepts_a_bom_and_no_amphoe_column(central_db, tmp_path) -> None:
    text = "dla_code,name,org_type,province_code\n6340101,อบต.หนึ่ง,sao,34\n\n"
    assert admin.import_orgs(central_db, _csv(tmp_path, text, encoding="utf-8-sig")) == 1


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (ORGS + "634010,อบต.สั้น,sao,34,\n", ":5: dla_code '634010' is not 7 digits"),
        (ORGS + "6340109,อบต.เก้า,village,34,\n", ":5: org_type 'village'"),
        (ORGS + "6340109,อบต.เก้า,sao\n", ":5: expected 5 columns"),
        (ORGS + "6340109,อบต.เก้า,sao,34,3401,extra\n", ":5: expected 5 columns"),
        (ORGS + "6340101,ซ้ำ,sao,34,\n", ":5: dla_code 6340101 repeats line 2"),
        (
            HEADER.replace("org_type", "type") + "6340101,x,sao,34,\n",
            ":1: the header lacks org_type",
        ),
        ("code,name\n1,2\n", ":1: the header lacks dla_code"),
        (HEADER + "6340101,x,sao,34,,\n", ":2: expected 5 columns"),
    ],
)
def test_a_bad_csv_line_imports_nothing(central_db, tmp_path, text, words) -> None:
    with pytest.raises(AdminError) as exc:
        admin.import_orgs(central_db, _csv(tmp_path, text))
    assert words in str(exc.value)
    assert _orgs(central_db) == {}
    assert _rows(central_db, "organization") == []


def test_every_bad_line_is_named(central_db, tmp_path) -> None:
    text = HEADER + "1,a,sao,34,\n6340102,b,sao,34,\n3,c,sao,34,\n"
    with pytest.raises(AdminError) as exc:
        admin.import_orgs(central_db, _csv(tmp_path, text))
    assert ":2:" in str(exc.value) and ":4:" in str(exc.value) and ":3:" not in str(exc.value)
    assert "nothing imported" in str(exc.value)


def test_a_csv_that_is_not_utf8_is_refused(central_db, tmp_path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_bytes(ORGS.encode("cp874"))  # Thai Windows code page
    with pytest.raises(AdminError, match="not UTF-8"):
        admin.import_orgs(central_db, path)
    with pytest.raises(AdminError, match=r"orgs-missing\.csv"):
        admin.import_orgs(central_db, tmp_path / "orgs-missing.csv")
    assert _orgs(central_db) == {}


def test_a_large_import_runs_in_chunks(central_db, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(admin, "IMPORT_CHUNK", 7)
    lines = [f"63{i:05d},อบต.ที่ {i},sao,34," for i in range(1, 31)]
    path = _csv(tmp_path, HEADER + "\n".join(lines) + "\n")
    assert admin.import_orgs(central_db, path) == 30
    assert admin.import_orgs(central_db, path) == 0
    assert len(_orgs(central_db)) == 30


# --- users -----------------------------------------------------------------------------


def test_create_user_publishes_the_user_with_its_verifier_into_its_org(central_db) -> None:
    org_a = admin.create_org(central_db, "6340101", "หนึ่ง", "sao", "34")
    org_b = admin.create_org(central_db, "6340102", "สอง", "sao", "34")
    user_id = admin.create_user(
        central_db, org_b, " Somchai.J ", "  สมชาย   ใจดี ", "supervisor", "รหัสผ่านยาว", [org_a]
    )
    with central_db.transaction() as s:
        row = s.get(CentralUser, user_id)
        assert (row.username, row.display_name, row.role, row.active) == (
            "somchai.j", "สมชาย ใจดี", "supervisor", True,
        )  # fmt: skip
        assert row.scope_org_ids == [org_a]
        assert isinstance(row.created_at, dt.datetime)
        assert check_verifier("รหัสผ่านยาว", row.password_verifier)
    [published] = _rows(central_db, "user")
    assert (published.id, published.org_id, published.version) == (user_id, org_b, 1)
    user = codec.build(User, published.data)
    assert user.username == "somchai.j" and user.scope_org_ids == (org_a,)
    # the offline verifier, not the central's own
    assert check_offline_verifier("รหัสผ่านยาว", user.password_verifier)
    assert not check_offline_verifier("wrong password", user.password_verifier)
    assert not check_verifier("รหัสผ่านยาว", user.password_verifier)
    with central_db.transaction() as s:  # nothing published into the scope's org
        assert (
            s.scalar(select(func.count()).select_from(CentralRow).where(CentralRow.org_id == org_a))
            == 1
        )  # its organization row only


@pytest.mark.parametrize(
    ("username", "name", "role", "password", "words"),
    [
        ("สมชาย", "x", "clerk", "long enough", "username"),
        ("a b", "x", "clerk", "long enough", "username"),
        ("ok", " ", "clerk", "long enough", "display name"),
        ("ok", "x", "boss", "long enough", "role 'boss'"),
        ("ok", "x", "clerk", "short", "at least 8"),
    ],
)
def test_create_user_refuses_bad_input(central_db, username, name, role, password, words):
    org = admin.create_org(central_db, "6340101", "หนึ่ง", "sao", "34")
    with pytest.raises(AdminError, match=words):
        admin.create_user(central_db, org, username, name, role, password)
    assert _rows(central_db, "user") == []


def test_create_user_refuses_a_taken_username_and_unknown_orgs(central_db) -> None:
    org = admin.create_org(central_db, "6340101", "หนึ่ง", "sao", "34")
    admin.create_user(central_db, org, "clerk", "x", "clerk", "long enough")
    with pytest.raises(AdminError, match="taken"):
        admin.create_user(central_db, org, "CLERK", "y", "clerk", "long enough")
    with pytest.raises(AdminError, match="no organization"):
        admin.create_user(central_db, "nope", "other", "y", "clerk", "long enough")
    with pytest.raises(AdminError, match="no organization"):
        admin.create_user(central_db, org, "other", "y", "supervisor", "long enough", ["nope"])
    assert len(_rows(central_db, "user")) == 1


def test_set_user_active_republishes_the_user(central_db) -> None:
    org = admin.create_org(central_db, "6340101", "หนึ่ง", "sao", "34")
    user_id = admin.create_user(central_db, org, "clerk", "x", "clerk", "long enough")
    admin.set_user_active(central_db, user_id, False)
    [row] = _rows(central_db, "user")
    assert row.version == 2 and row.data["active"] is False
    admin.set_user_active(central_db, user_id, False)  # no change, no new version
    assert _rows(central_db, "user")[0].version == 2
    with pytest.raises(AdminError):
        admin.set_user_active(central_db, "nobody", True)


# --- PCs -------------------------------------------------------------------------------


def test_the_operator_registers_a_pc(central_db) -> None:
    org = admin.create_org(central_db, "6340101", "หนึ่ง", "sao", "34")
    admin.create_user(central_db, org, "clerk", "x", "clerk", "long enough")
    reg = admin.register_device_as_operator(central_db, org, " เครื่อง 1 ")
    with central_db.transaction() as s:
        device = s.get(CentralDevice, reg.device_id)
        assert (device.org_id, device.name, device.registered_by) == (org, "เครื่อง 1", "operator")
        assert device.credential_hash == auth.hash_secret(reg.credential)
    login = auth.login(
        central_db,
        "clerk",
        "long enough",
        device_id=reg.device_id,
        device_credential=reg.credential,
        ttl=dt.timedelta(hours=1),
    )
    assert login.user.username == "clerk"
    with pytest.raises(AdminError, match="no organization"):
        admin.register_device_as_operator(central_db, "nope", "x")
    with pytest.raises(AdminError, match="name"):
        admin.register_device_as_operator(central_db, org, " ")
