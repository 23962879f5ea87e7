"""Reference lists: the data files load, hold what DOMAIN.md says, and lookups are safe."""

from __future__ import annotations

import dataclasses

import pytest

from app.domain import reference as ref
from app.domain.entities import Person


@pytest.mark.parametrize("name", [*ref.LIST_NAMES, ref.LEVELS])
def test_every_list_loads_with_unique_ascii_codes_and_both_labels(name):
    items = ref.entries(name)
    assert items
    codes = [e.code for e in items]
    assert len(codes) == len(set(codes))
    for e in items:
        assert e.code.isascii() and e.th and e.en


def test_unknown_list_name_is_a_key_error():
    with pytest.raises(KeyError):
        ref.entries("no_such_list")
    with pytest.raises(KeyError):
        ref.is_code("no_such_list", "x")


def test_unknown_code_gives_none_or_false_not_a_crash():
    assert ref.label("genders", "nope") is None
    assert ref.label("genders", None) is None
    assert ref.is_code("genders", "nope") is False
    assert ref.levels_for("nope") is None
    assert ref.required_fields("nope") is None
    assert ref.decoration_rank("nope") is None


def test_labels_in_thai_and_english():
    assert ref.label("prefixes", "miss") == "นางสาว"
    assert ref.label("prefixes", "miss", lang="en") == "Miss"
    assert ref.entry("prefixes", "miss").get("abbr") == "น.ส."
    with pytest.raises(ValueError):
        ref.label("prefixes", "miss", lang="fr")


def test_data_is_frozen():
    e = ref.entry("personnel_categories", "local_official")
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.code = "x"
    with pytest.raises(TypeError):
        e.attrs["required_fields"] = ()  # type: ignore[index]
    assert isinstance(e.get("required_fields"), tuple)


def test_lists_are_read_once():
    assert ref.ref_list("genders") is ref.ref_list("genders")


def test_org_types_with_dla_digit_and_abbreviation():
    assert ref.codes("org_types") == (
        "pao", "city_municipality", "town_municipality", "subdistrict_municipality", "sao",
        "bangkok", "pattaya",
    )  # fmt: skip
    digits = {e.get("abbr"): e.get("dla_code_digit") for e in ref.entries("org_types")}
    assert digits["อบจ."] == "2"
    assert digits["ทน."] == "3"
    assert digits["ทม."] == "4"
    assert digits["ทต."] == "5"
    assert digits["อบต."] == "6"
    assert ref.entry("org_types", "pattaya").get("dla_code_digit") == "3"


def test_categories_five_plus_two_unverified_with_person_fields():
    cats = ref.entries("personnel_categories")
    assert len(cats) == 7
    assert [c.code for c in cats if c.get("unverified")] == ["skilled_contract", "expert_contract"]
    person_fields = {f.name for f in dataclasses.fields(Person)}
    for c in cats:
        assert set(c.get("required_fields")) <= person_fields, c.code
    assert {"position_type", "level", "salary", "appointment_date", "position_id"} <= set(
        ref.required_fields("local_official")
    )
    contract = ref.required_fields("mission_contract")
    assert {"salary", "appointment_date"} <= set(contract)
    assert "level" not in contract
    assert ref.ref_list("personnel_categories").note


def test_levels_per_position_type_in_order():
    assert [lv.th for lv in ref.levels_for("academic")] == [
        "ปฏิบัติการ", "ชำนาญการ", "ชำนาญการพิเศษ", "เชี่ยวชาญ",
    ]  # fmt: skip
    assert [lv.th for lv in ref.levels_for("general")] == ["ปฏิบัติงาน", "ชำนาญงาน", "อาวุโส"]
    assert [lv.th for lv in ref.levels_for("executive")] == ["ต้น", "กลาง", "สูง"]
    assert [lv.th for lv in ref.levels_for("director")] == ["ต้น", "กลาง", "สูง"]
    assert ref.level_allowed("academic", "academic_expert")
    assert not ref.level_allowed("general", "academic_expert")
    assert not ref.level_allowed(None, "academic_expert")
    assert ref.entry("levels", "general_senior").get("position_type") == "general"


def test_prefixes_kinds_and_implied_gender():
    assert ref.entry("prefixes", "mr").get("gender") == "male"
    assert ref.entry("prefixes", "mrs").get("gender") == "female"
    abbrs = {e.get("abbr"): e.get("kind") for e in ref.entries("prefixes")}
    for a in ("ร.ต.", "ร.ท.", "ร.อ.", "พ.ต.", "จ.ส.อ.", "ส.อ."):
        assert abbrs[a] == "military", a
    for a in ("ร.ต.ต.", "ด.ต."):
        assert abbrs[a] == "police", a
    assert {e.get("kind") for e in ref.entries("prefixes")} == {"civil", "military", "police"}


def test_decorations_sixteen_classes_lowest_to_highest():
    decs = ref.entries("decorations")
    assert [d.get("abbr") for d in decs] == [
        "ร.ง.ม.", "ร.ง.ช.", "ร.ท.ม.", "ร.ท.ช.", "บ.ม.", "บ.ช.", "จ.ม.", "จ.ช.",
        "ต.ม.", "ต.ช.", "ท.ม.", "ท.ช.", "ป.ม.", "ป.ช.", "ม.ว.ม.", "ม.ป.ช.",
    ]  # fmt: skip
    assert [d.get("rank") for d in decs] == list(range(1, 17))
    assert ref.decoration_rank("medal_silver_crown") == 1
    assert ref.decoration_rank("elephant_special") == 16
    assert ref.decoration_rank("crown_1") < ref.decoration_rank("elephant_1")


def test_penalties_by_severity():
    assert [p.th for p in ref.entries("penalties")] == [
        "ภาคทัณฑ์", "ตัดเงินเดือน", "ลดขั้นเงินเดือน", "ปลดออก", "ไล่ออก",
    ]  # fmt: skip
    assert [p.get("severity") for p in ref.entries("penalties")] == [1, 2, 3, 4, 5]


def test_end_of_service_movements_name_existing_statuses():
    ends = [m for m in ref.entries("movement_types") if m.get("ends_service")]
    assert {"retirement", "resignation", "dismissal", "death", "transfer_out"} <= {
        m.code for m in ends
    }
    for m in ends:
        assert ref.is_code("employment_statuses", m.get("end_status")), m.code
    assert ref.is_code("employment_statuses", "active")


def test_small_lists():
    assert [u.th for u in ref.entries("unit_kinds")] == ["สำนัก", "กอง", "ส่วน", "ฝ่าย", "งาน"]
    assert set(ref.codes("genders")) == {"male", "female"}
    assert set(ref.codes("blood_groups")) == {"a", "b", "ab", "o"}
    assert {"sick", "personal", "vacation", "maternity", "ordination_hajj", "study"} <= set(
        ref.codes("leave_types")
    )
    assert ref.is_code("education_levels", "bachelor")


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"entries": [{"code": "Bad Code", "th": "ก", "en": "a"}]},
        {"entries": [{"code": "x", "th": "", "en": "a"}]},
        {"entries": [{"code": "x", "th": "ก", "en": "a"}, {"code": "x", "th": "ข", "en": "b"}]},
    ],
)
def test_malformed_data_is_rejected_at_load(data):
    with pytest.raises(ValueError):
        ref.parse_list("genders", data)
