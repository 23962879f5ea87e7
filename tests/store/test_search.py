"""Finding people as a clerk types, and the list in Thai dictionary order.

Each search is checked against a brute-force answer over every person (their Thai and
English names, citizen ID, position number and title), so a missed or extra match fails.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.domain import thai
from app.domain.entities import Role
from app.services import decisions, people, submissions, users
from app.store import search
from app.store.models import OrgUnitModel, PersonModel
from app.store.models import PositionModel as Pos
from app.store.search import PeopleFilter
from tests.fixtures_db import add_person, free_person_ids, valid_citizen_id

# --- a brute-force oracle ------------------------------------------------------------------


def _everyone(db) -> dict[str, dict]:
    """Every official person with what a clerk may type to find them, in no order."""
    with db.reading() as session:
        rows = session.execute(
            select(PersonModel, Pos.position_number, Pos.title, Pos.unit_id)
            .outerjoin(Pos, Pos.id == PersonModel.position_id)
            .where(PersonModel.deleted.is_(False))
        ).all()
    out = {}
    for p, number, title, unit_id in rows:
        parts = (p.first_name_th, p.last_name_th, p.first_name_en, p.last_name_en, p.citizen_id,
                 number, title)  # fmt: skip
        out[p.id] = {
            "hay": " ".join(thai.normalize_text(x).lower() for x in parts if x),
            "name": f"{p.first_name_th} {p.last_name_th}",
            "citizen_id": p.citizen_id,
            "position_number": number,
            "first_name_en": p.first_name_en,
            "category": p.category,
            "position_type": p.position_type,
            "level": p.level,
            "employment_status": p.employment_status,
            "org_id": p.org_id,
            "unit_id": unit_id,
        }
    return out


def _matches(hay: str, query: str) -> bool:
    q = (thai.normalize_text(thai.thai_digits_to_arabic(query)) or "").lower()
    if re.fullmatch(r"[\d\-\s]+", q):
        # Digits typed with dashes: a citizen ID's digits, or a position number as printed.
        digits = re.sub(r"\D", "", q)
        if not digits:
            return True  # dashes alone ask nothing yet: the whole list
        return digits in hay or ("-" in q and q.strip() in hay)
    return all(term in hay for term in q.split())


def _expected(db, query: str) -> set[str]:
    return {pid for pid, p in _everyone(db).items() if _matches(p["hay"], query)}


def _found(db, query: str, filters: PeopleFilter | None = None) -> list[str]:
    return people.person_ids(db, query, filters)


def _in_thai_order(db, ids: list[str]) -> bool:
    names = _everyone(db)
    keys = [thai.sort_key(names[i]["name"]) for i in ids]
    return keys == sorted(keys)


@pytest.fixture
def someone(demo) -> dict:
    """A demo person with a long Thai first name and a romanized name."""
    everyone = _everyone(demo.db)
    pid = next(
        i
        for i in people.person_ids(demo.db)
        if len(everyone[i]["name"].split()[0]) >= 7 and everyone[i]["first_name_en"]
    )
    return {"id": pid, **everyone[pid]}


# --- what a clerk types ----------------------------------------------------------------------


def test_a_three_character_thai_fragment_from_the_middle_of_a_name(demo, someone) -> None:
    fragment = someone["name"][2:5]
    found = _found(demo.db, fragment)
    assert someone["id"] in found
    assert set(found) == _expected(demo.db, fragment)
    assert _in_thai_order(demo.db, found)


@pytest.mark.parametrize("length", [1, 2])
def test_a_short_fragment_falls_back_to_like(demo, someone, length) -> None:
    fragment = someone["name"][1 : 1 + length]
    found = _found(demo.db, fragment)
    assert someone["id"] in found
    assert set(found) == _expected(demo.db, fragment)
    assert _in_thai_order(demo.db, found)


def test_a_citizen_id_fragment_with_or_without_dashes_or_in_thai_digits(demo, someone) -> None:
    cid = someone["citizen_id"]
    plain = cid[:6]
    dashed = f"{cid[0]}-{cid[1:5]}-{cid[5]}"  # as printed on the card: X-XXXX-X…
    spaced = f"{cid[0]} {cid[1:5]} {cid[5]}"
    thai_digits = thai.to_thai_digits(dashed)
    expected = {i for i, p in _everyone(demo.db).items() if plain in p["citizen_id"]}
    assert someone["id"] in expected
    for query in (plain, dashed, spaced, thai_digits):
        assert set(_found(demo.db, query)) == expected, query
    # The whole ID, typed in full with dashes, finds exactly that person.
    full = f"{cid[0]}-{cid[1:5]}-{cid[5:10]}-{cid[10:12]}-{cid[12]}"
    assert _found(demo.db, full) == [someone["id"]]


def test_a_position_number_as_printed_or_in_part(demo, someone) -> None:
    number = someone["position_number"]  # e.g. 34-1-01-2101-044
    assert _found(demo.db, number) == [someone["id"]]
    assert _found(demo.db, thai.to_thai_digits(number)) == [someone["id"]]
    tail = number[-8:]  # "2101-044": the job line and the running number
    assert someone["id"] in _found(demo.db, tail)
    assert set(_found(demo.db, tail)) == _expected(demo.db, tail)
    job_line = number.split("-")[3]
    assert set(_found(demo.db, job_line)) == _expected(demo.db, job_line)


def test_a_romanized_name_in_any_case(demo, someone) -> None:
    name = someone["first_name_en"]
    for query in (name.lower(), name.upper(), name.swapcase(), name[:3].upper()):
        found = _found(demo.db, query)
        assert someone["id"] in found, query
        assert set(found) == _expected(demo.db, query), query


def test_several_words_must_all_match(demo, someone) -> None:
    first, last = someone["name"].split()
    query = f"{first[:3]}  {last[-3:]}"
    found = _found(demo.db, query)
    assert someone["id"] in found
    assert set(found) == _expected(demo.db, query)
    assert _found(demo.db, f"{first} ไม่มีใครชื่อนี้") == []


def test_text_typed_with_zero_width_spaces_finds_the_same(demo, someone) -> None:
    fragment = someone["name"][:4]
    messy = fragment[:2] + "\u200b" + fragment[2:]
    assert _found(demo.db, messy) == _found(demo.db, fragment)


@pytest.mark.parametrize(
    "query",
    ['"', '""', "*", "AND", "OR", "NOT", "(", ")", "a*", '" OR "', "NEAR(ก ข)", "col:ก",
     "^สม", "{", "'", "\\", "-", "สม\"ชาย", "%", "_", "%%", "__"],
)  # fmt: skip
def test_search_syntax_characters_are_plain_text(demo, query) -> None:
    found = _found(demo.db, query)
    assert set(found) == _expected(demo.db, query)
    page = people.list_people(demo.db, query, limit=10)
    assert [i.id for i in page.items] == found[:10]


def test_like_wildcards_match_only_themselves(demo) -> None:
    # % and _ are ordinary characters to a clerk: nobody's name holds them.
    assert _found(demo.db, "%") == []
    assert _found(demo.db, "_") == []
    assert _found(demo.db, "a%") == []


def test_an_approved_rename_is_found_by_the_new_name_only(demo) -> None:
    pid = free_person_ids(demo.db)[0]
    old_first = _everyone(demo.db)[pid]["name"].split()[0]
    view = submissions.start_draft(demo.db, demo.clerk, person_id=pid)
    submissions.save_draft(demo.db, demo.clerk, view.submission.id,
                           fields={"first_name_th": "ประดิษฐ์ชื่อใหม่"})  # fmt: skip
    submissions.submit(demo.db, demo.clerk, view.submission.id)
    decisions.approve(demo.db, demo.supervisor, view.submission.id)
    assert _found(demo.db, "ดิษฐ์ชื่อใ") == [pid]
    assert pid not in _found(demo.db, old_first)


# --- Thai dictionary order -----------------------------------------------------------------


def test_results_are_in_thai_dictionary_order_not_code_point_order(demo) -> None:
    surname = "เรียงลำดับ"
    ka = add_person(demo, "กานดา", surname, valid_citizen_id("310990000001"))
    kho = add_person(demo, "ขันทอง", surname, valid_citizen_id("310990000002"))
    ke = add_person(demo, "เกศรา", surname, valid_citizen_id("310990000003"))
    # เก sorts with ก (its leading vowel ignored at the first level): between กา and ขา.
    # Code-point order would put it last (เ is U+0E40, after every consonant).
    assert _found(demo.db, surname) == [ka, ke, kho]
    page = people.list_people(demo.db, surname)
    assert [i.first_name_th for i in page.items] == ["กานดา", "เกศรา", "ขันทอง"]

    everyone = people.list_people(demo.db, limit=1000).items
    positions = {item.id: n for n, item in enumerate(everyone)}
    assert positions[ka] < positions[ke] < positions[kho]


def test_the_whole_list_is_in_thai_order(demo) -> None:
    items = people.list_people(demo.db, limit=1000).items
    names = [f"{i.first_name_th} {i.last_name_th}" for i in items]
    assert len(names) == 60
    assert [thai.sort_key(n) for n in names] == sorted(thai.sort_key(n) for n in names)
    assert names != sorted(names)  # the demo office holds names code-point order gets wrong
    firsts = [n.split()[0] for n in names]
    leading_vowel = [n for n in firsts if n[0] in "เแโใไ"]
    assert leading_vowel, "the demo has names with leading vowels"
    for name in leading_vowel:  # each sits among the names of its first consonant
        idx = firsts.index(name)
        before = [n for n in firsts[:idx] if n[0] not in "เแโใไ"]
        after = [n for n in firsts[idx + 1 :] if n[0] not in "เแโใไ"]
        assert all(n[0] <= name[1] for n in before)
        assert all(n[0] >= name[1] for n in after)


# --- filters -------------------------------------------------------------------------------


def _expect_filter(demo, filters: PeopleFilter, keep, query: str = "") -> list[str]:
    everyone = _everyone(demo.db)
    expected = {i for i, p in everyone.items() if keep(p) and _matches(p["hay"], query)}
    found = _found(demo.db, query, filters)
    assert set(found) == expected
    assert len(found) == len(expected)  # no duplicates
    assert _in_thai_order(demo.db, found)
    page = people.list_people(demo.db, query, filters, limit=1000)
    assert [i.id for i in page.items] == found
    assert page.total == len(found)
    return found


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("category", "local_official"),
        ("category", "general_contract"),
        ("position_type", "academic"),
        ("position_type", "teacher"),
        ("level", "academic_professional"),
        ("level", "general_experienced"),
    ],
)
def test_a_filter_on_a_person_field_narrows_to_exactly_those(demo, field, value) -> None:
    found = _expect_filter(demo, PeopleFilter(**{field: value}), lambda p: p[field] == value)
    assert 0 < len(found) < 60


def test_filters_combine_with_each_other_and_with_a_query(demo) -> None:
    f = PeopleFilter(category="local_official", position_type="academic")
    both = _expect_filter(
        demo, f, lambda p: p["category"] == "local_official" and p["position_type"] == "academic"
    )
    assert both
    _expect_filter(
        demo, f, lambda p: p["category"] == "local_official" and p["position_type"] == "academic",
        query="นัก",
    )  # fmt: skip


def test_unit_filter(demo) -> None:
    with demo.db.reading() as session:
        units = dict(session.execute(select(OrgUnitModel.name, OrgUnitModel.id)).all())
    sizes = []
    for unit_id in units.values():
        in_unit = lambda p, u=unit_id: p["unit_id"] == u  # noqa: E731
        found = _expect_filter(demo, PeopleFilter(unit_id=unit_id), in_unit)
        sizes.append(len(found))
    assert sum(sizes) == 60 and max(sizes) < 60
    assert _found(demo.db, "", PeopleFilter(unit_id="no-such-unit")) == []


def test_employment_status_filter(demo) -> None:
    pid = free_person_ids(demo.db)[0]
    view = submissions.start_draft(demo.db, demo.clerk, person_id=pid)
    submissions.save_draft(demo.db, demo.clerk, view.submission.id,
                           fields={"employment_status": "resigned"})  # fmt: skip
    submissions.submit(demo.db, demo.clerk, view.submission.id)
    decisions.approve(demo.db, demo.supervisor, view.submission.id)

    resigned = PeopleFilter(employment_status="resigned")
    assert _expect_filter(demo, resigned, lambda p: p["employment_status"] == "resigned") == [pid]
    active = _expect_filter(
        demo, PeopleFilter(employment_status="active"), lambda p: p["employment_status"] == "active"
    )
    assert len(active) == 59 and pid not in active


def test_org_filter(demo) -> None:
    other_org = "018cc251-f400-7da4-0000-00000000beef"
    clerk2 = users.create_user(
        demo.db, demo.admin, org_id=demo.org_id, username="clerk.other", display_name="เสมียน",
        role=Role.CLERK, password="long enough", scope_org_ids=(other_org,),
    ).id  # fmt: skip
    boss2 = users.create_user(
        demo.db, demo.admin, org_id=demo.org_id, username="boss.other", display_name="หัวหน้า",
        role=Role.SUPERVISOR, password="long enough", scope_org_ids=(other_org,),
    ).id  # fmt: skip
    view = submissions.start_draft(demo.db, clerk2, org_id=other_org)
    submissions.save_draft(demo.db, clerk2, view.submission.id, fields={
        "citizen_id": valid_citizen_id("310990000009"), "prefix": "mr", "first_name_th": "ต่างถิ่น",
        "last_name_th": "อยู่ไกล", "birth_date": "1985-01-01", "category": "general_contract",
        "salary": "9400", "appointment_date": "2010-01-01"})  # fmt: skip
    submissions.submit(demo.db, clerk2, view.submission.id)
    outsider = decisions.approve(demo.db, boss2, view.submission.id).person.id

    ours = _expect_filter(
        demo, PeopleFilter(org_ids=(demo.org_id,)), lambda p: p["org_id"] == demo.org_id
    )
    assert len(ours) == 60 and outsider not in ours
    theirs = _expect_filter(
        demo, PeopleFilter(org_ids=(other_org,)), lambda p: p["org_id"] == other_org
    )
    assert theirs == [outsider]
    assert len(_found(demo.db, "", PeopleFilter(org_ids=(demo.org_id, other_org)))) == 61
    assert _found(demo.db, "", PeopleFilter(org_ids=())) == []  # no organization, nobody


def test_submission_state_filter(demo) -> None:
    open_subs = submissions.list_submissions(demo.db, demo.supervisor)
    for state in ("draft", "submitted"):
        expected = {s.person_id for s in open_subs if s.state == state}
        official = set(_everyone(demo.db))
        found = _found(demo.db, "", PeopleFilter(submission_state=state))
        assert set(found) == expected & official
        assert found
    assert _found(demo.db, "", PeopleFilter(submission_state="approved")) == []


# --- paging and the two plans ----------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "า", "สุข", "1-"])
def test_pages_are_disjoint_and_cover_everything(demo, query) -> None:
    everything = _found(demo.db, query)
    assert len(everything) > 7
    pages, offset = [], 0
    while True:
        page = people.list_people(demo.db, query, offset=offset, limit=7)
        if not page.items:
            break
        assert page.total == len(everything)
        pages.append([i.id for i in page.items])
        offset += 7
    flat = [i for p in pages for i in p]
    assert flat == everything
    assert len(set(flat)) == len(flat)
    assert all(len(p) == 7 for p in pages[:-1])


QUERIES = ["สุข", "ทอง", "นัก", "ศรี", "wong", "sri", "2101", "3-4", "า", "ก", "สม ศรี", "ครู"]


def test_walking_and_sorting_find_the_same_pages(demo, monkeypatch) -> None:
    def pages(query, filters=None):
        return [
            [i.id for i in people.list_people(demo.db, query, filters, offset=o, limit=5).items]
            for o in range(0, 40, 5)
        ]

    filters = [None, PeopleFilter(category="local_official"), PeopleFilter(level="teacher_none")]
    monkeypatch.setattr(search, "WALK_ABOVE", 10**9)  # always fetch the matches and sort
    sorted_plan = {(q, i): pages(q, f) for q in QUERIES for i, f in enumerate(filters)}
    with demo.db.reading() as session:
        assert "INDEXED BY" not in search._source(session, "สุข", walk=True)

    monkeypatch.setattr(search, "WALK_ABOVE", 0)  # always walk the Thai-order index
    with demo.db.reading() as session:
        assert "INDEXED BY" in search._source(session, "สุข", walk=True)
    walked = {(q, i): pages(q, f) for q in QUERIES for i, f in enumerate(filters)}

    assert walked == sorted_plan
    for (q, i), got in walked.items():
        assert [x for p in got for x in p] == _found(demo.db, q, filters[i])[:40]
