"""The three-way merge: properties over small random records, then worked examples."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.entities import HistoryChanges
from app.domain.errors import ConflictsUnresolved, InvalidInput
from app.domain.merge import (
    Conflict,
    MergeResult,
    diff_fields,
    diff_history,
    merge,
    person_key,
    require_resolved,
    row_key,
)

FIELDS = ("prefix", "first_name_th", "last_name_th", "level")
ROW_FIELDS = ("course", "hours")
BASE_IDS = ("r1", "r2", "r3")
# Small alphabets so that both sides often pick the same value.
VALUES = st.sampled_from([None, "ก", "ข", "ค"])

modest = settings(max_examples=80, deadline=None)


def row(rid: str, **fields: Any) -> dict[str, Any]:
    return {"id": rid, "kind": "training", **fields}


def content(r: dict[str, Any] | None) -> dict[str, Any] | None:
    """A row as a person sees it: None when deleted, else its data fields."""
    if r is None or r.get("deleted") is True:
        return None
    return {f: r.get(f) for f in ("kind", *ROW_FIELDS)}


@dataclass(frozen=True)
class Scenario:
    base: dict[str, Any]
    official: dict[str, Any]
    edited: dict[str, Any]
    base_rows: dict[str, dict[str, Any]]
    official_rows: dict[str, dict[str, Any]]
    edited_rows: dict[str, dict[str, Any]]

    def run(self, resolutions: dict[str, Any] | None = None) -> MergeResult:
        return merge(
            self.official,
            diff_fields(self.base, self.edited, FIELDS),
            self.official_rows,
            diff_history(self.base_rows, self.edited_rows),
            resolutions,
        )

    def row_ids(self) -> set[str]:
        return {*self.base_rows, *self.official_rows, *self.edited_rows}


records = st.fixed_dictionaries(dict.fromkeys(FIELDS, VALUES))
row_data = st.fixed_dictionaries(dict.fromkeys(ROW_FIELDS, VALUES))


@st.composite
def variant(draw: st.DrawFn, record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with some fields (often none) changed."""
    return {k: draw(st.one_of(st.just(v), VALUES)) for k, v in record.items()}


@st.composite
def side_rows(draw: st.DrawFn, base_rows: dict, new_ids: tuple[str, ...]) -> dict:
    """One side's rows: each base row kept, edited, tombstoned or dropped; some rows added."""
    rows = {}
    for rid, r in base_rows.items():
        fate = draw(st.sampled_from(["keep", "edit", "edit", "tombstone", "drop"]))
        if fate == "keep":
            rows[rid] = dict(r)
        elif fate == "edit":
            rows[rid] = {**r, **draw(row_data)}
        elif fate == "tombstone":
            rows[rid] = {**r, **draw(row_data), "deleted": True}  # maybe edited first
    for rid in new_ids:
        if draw(st.booleans()):
            rows[rid] = row(rid, **draw(row_data))
    return rows


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    base = draw(records)
    ids = draw(st.lists(st.sampled_from(BASE_IDS), min_size=1, unique=True))
    base_rows = {rid: row(rid, **draw(row_data)) for rid in ids}
    return Scenario(
        base=base,
        official=draw(variant(base)),
        edited=draw(variant(base)),
        base_rows=base_rows,
        # "n1" on both sides: an added id that already exists (a re-sent or re-applied add).
        official_rows=draw(side_rows(base_rows, ("o1", "n1"))),
        edited_rows=draw(side_rows(base_rows, ("n1", "n2"))),
    )


def conflicted_rows(result: MergeResult) -> set[str]:
    return {c.row_id for c in result.conflicts if c.row_id is not None}


# --- properties --------------------------------------------------------------------------


@modest
@given(scenarios())
def test_without_a_concurrent_change_the_merge_is_the_submission(s: Scenario) -> None:
    s = replace(s, official=s.base, official_rows=s.base_rows)
    result = s.run()
    assert result.clean
    assert result.fields == s.edited
    for rid in s.row_ids():
        assert content(result.history.get(rid)) == content(s.edited_rows.get(rid))


@modest
@given(st.data())
def test_disjoint_edits_never_conflict_and_both_survive(data: st.DataObject) -> None:
    base = data.draw(records)
    owners = {f: data.draw(st.sampled_from(["official", "clerk", None])) for f in FIELDS}
    official = {f: data.draw(VALUES) if owners[f] == "official" else v for f, v in base.items()}
    edited = {f: data.draw(VALUES) if owners[f] == "clerk" else v for f, v in base.items()}
    base_rows = {rid: row(rid, **data.draw(row_data)) for rid in BASE_IDS}
    official_rows, edited_rows, expected = {}, {}, {}
    for rid, r in base_rows.items():
        mode = data.draw(st.sampled_from(["fields", "official deletes", "clerk deletes"]))
        official_rows[rid], edited_rows[rid], expected[rid] = dict(r), dict(r), dict(r)
        if mode == "official deletes":
            official_rows[rid]["deleted"] = True
            expected[rid] = None
        elif mode == "clerk deletes":
            del edited_rows[rid]
            expected[rid] = None
        else:
            for f in ROW_FIELDS:
                side = data.draw(st.sampled_from([official_rows, edited_rows, None]))
                if side is not None:
                    side[rid][f] = expected[rid][f] = data.draw(VALUES)
    official_rows["o1"] = expected["o1"] = row("o1", **data.draw(row_data))
    edited_rows["n1"] = expected["n1"] = row("n1", **data.draw(row_data))

    s = Scenario(base, official, edited, base_rows, official_rows, edited_rows)
    result = s.run()

    assert result.conflicts == ()
    for f in FIELDS:
        assert result.fields[f] == (official if owners[f] == "official" else edited)[f]
    for rid, want in expected.items():
        assert content(result.history.get(rid)) == content(want)


@modest
@given(scenarios())
def test_the_same_edit_on_both_sides_never_conflicts(s: Scenario) -> None:
    s = replace(s, official=s.edited, official_rows=s.edited_rows)
    result = s.run()
    assert result.clean
    assert result.fields == s.edited
    assert result.applied_fields == {}
    for rid in s.row_ids():
        assert content(result.history.get(rid)) == content(s.edited_rows.get(rid))


@modest
@given(
    before=row_data,
    after=row_data,
    clerk_edits=st.booleans(),
    tombstone=st.booleans(),
)
def test_edit_versus_delete_of_a_history_row_always_conflicts(
    before: dict, after: dict, clerk_edits: bool, tombstone: bool
) -> None:
    if before == after:
        after = {**after, "course": "อบรม" if before["course"] != "อบรม" else "สัมมนา"}
    base = {"r1": row("r1", **before)}
    edited = {"r1": row("r1", **after)}
    deleted: dict = {"r1": {**base["r1"], "deleted": True}} if tombstone else {}
    if clerk_edits:  # the clerk edits, the office deleted it meanwhile
        official, edited_rows = deleted, edited
    else:  # the clerk deletes, the office edited it meanwhile
        official, edited_rows = edited, {}
    result = merge({}, {}, official, diff_history(base, edited_rows))
    [conflict] = result.conflicts
    assert (conflict.key, conflict.whole_row) == (row_key("r1"), True)
    assert (conflict.official is None) == clerk_edits
    assert (conflict.proposed is None) == (not clerk_edits)
    # Unresolved, the official side stands.
    assert content(result.history.get("r1")) == content(official.get("r1"))


@modest
@given(scenarios())
def test_nothing_is_dropped_without_a_conflict(s: Scenario) -> None:
    result = s.run()
    keys = {c.key for c in result.conflicts}
    for f in FIELDS:
        b, o, p, m = s.base[f], s.official[f], s.edited[f], result.fields[f]
        assert m in (o, p)
        for side in (o, p):
            if side != b and m != side:
                assert person_key(f) in keys
    for rid in s.row_ids():
        b, o, p = (content(rows.get(rid)) for rows in (s.base_rows, s.official_rows, s.edited_rows))
        m = content(result.history.get(rid))
        flagged = rid in conflicted_rows(result)
        if m is None:
            assert o is None or p is None
            for side in (o, p):
                if side is not None and side != b:
                    assert flagged
            continue
        assert o is not None or p is not None
        for side in (o, p):
            if side is None and b is not None:
                assert flagged  # one side deleted it, yet it lives
        for f in ROW_FIELDS:
            assert m[f] in [side[f] for side in (o, p) if side is not None]
            for side in (o, p):
                if side is not None and side[f] != (b or {}).get(f) and m[f] != side[f]:
                    assert {row_key(rid, f), row_key(rid)} & keys


@modest
@given(scenarios())
def test_every_conflict_is_a_true_one(s: Scenario) -> None:
    """Both sides moved away from the base, to different places."""
    for c in s.run().conflicts:
        sides = (c.base, c.official, c.proposed)
        if c.whole_row:
            sides = tuple(content(side) for side in sides)
        base, official, proposed = sides
        assert official != base and proposed != base and official != proposed


@modest
@given(scenarios())
def test_applied_describes_exactly_what_the_merge_changed(s: Scenario) -> None:
    result = s.run()
    assert {**s.official, **{f: new for f, (_, new) in result.applied_fields.items()}} == (
        result.fields
    )
    rows = {rid: content(r) for rid, r in s.official_rows.items()}
    applied = result.applied_history
    for r in applied.added:
        assert rows.get(r["id"]) is None
        rows[r["id"]] = content(r)
    for rid, diff in applied.updated.items():
        rows[rid] = content({**s.official_rows[rid], **diff_new(diff)})
    for rid in applied.deleted:
        assert rows[rid] is not None
        rows[rid] = None
    for rid in s.row_ids():
        assert rows.get(rid) == content(result.history.get(rid))


def diff_new(diff: dict[str, list]) -> dict[str, Any]:
    return {f: new for f, (_, new) in diff.items()}


@modest
@given(scenarios(), st.data())
def test_resolving_every_conflict_leaves_none_and_takes_the_choices(
    s: Scenario, data: st.DataObject
) -> None:
    first = s.run()
    choices = {
        c.key: data.draw(st.sampled_from([c.official, c.proposed]), label=c.key)
        for c in first.conflicts
    }
    result = s.run(choices)
    assert result.clean
    require_resolved(result)
    assert [c.key for c in result.resolved] == [c.key for c in first.conflicts]
    for c in first.conflicts:
        chosen = choices[c.key]
        if c.target == "person":
            assert result.fields[c.field] == chosen
        elif not c.whole_row:
            assert result.history[c.row_id][c.field] == chosen
        else:
            assert content(result.history.get(c.row_id)) == content(chosen)


# --- worked examples ----------------------------------------------------------------------

SOMSRI = {
    "prefix": "นางสาว",
    "first_name_th": "สมศรี",
    "last_name_th": "ใจดี",
    "level": "ปฏิบัติการ",
    "salary": "18000",
}


def test_a_marriage_and_a_salary_raise_approved_meanwhile_both_survive() -> None:
    edited = {**SOMSRI, "prefix": "นาง", "last_name_th": "ศรีสุข"}
    official = {**SOMSRI, "salary": "18990"}  # another submission, approved first
    result = merge(official, diff_fields(SOMSRI, edited))
    assert result.clean
    assert result.fields == {**SOMSRI, "prefix": "นาง", "last_name_th": "ศรีสุข", "salary": "18990"}
    assert result.applied_fields == {
        "prefix": ["นางสาว", "นาง"],
        "last_name_th": ["ใจดี", "ศรีสุข"],
    }


def test_two_different_levels_conflict_until_the_supervisor_picks() -> None:
    changes = {"level": ["ปฏิบัติการ", "ชำนาญการ"]}
    official = {**SOMSRI, "level": "ชำนาญการพิเศษ"}

    result = merge(official, changes)
    assert result.conflicts == (
        Conflict("person:level", "person", None, "level", "ปฏิบัติการ", "ชำนาญการพิเศษ", "ชำนาญการ"),
    )
    assert result.fields["level"] == "ชำนาญการพิเศษ"  # nothing overwritten yet
    with pytest.raises(ConflictsUnresolved) as caught:
        require_resolved(result)
    assert caught.value.params["keys"] == ["person:level"]

    picked = merge(official, changes, resolutions={"person:level": "ชำนาญการ"})
    assert require_resolved(picked).fields["level"] == "ชำนาญการ"
    assert [c.key for c in picked.resolved] == ["person:level"]
    assert picked.applied_fields == {"level": ["ชำนาญการพิเศษ", "ชำนาญการ"]}


TRAINING = row("0192-tr", course="หลักสูตรนักบริหารงานท้องถิ่น", hours="60", deleted=False)


def test_a_training_row_edited_by_the_clerk_but_deleted_at_the_office() -> None:
    official_rows = {TRAINING["id"]: {**TRAINING, "deleted": True}}
    history = HistoryChanges(updated={TRAINING["id"]: {"hours": ["60", "72"]}})

    [conflict] = merge({}, {}, official_rows, history).conflicts
    assert conflict.key == "history:0192-tr"
    assert conflict.official is None
    assert conflict.proposed["hours"] == "72"

    kept = merge({}, {}, official_rows, history, {conflict.key: conflict.proposed})
    assert kept.history[TRAINING["id"]] == {**TRAINING, "hours": "72", "deleted": False}
    assert kept.applied_history.updated == {
        TRAINING["id"]: {"hours": ["60", "72"], "deleted": [True, False]}
    }

    dropped = merge({}, {}, official_rows, history, {conflict.key: None})
    assert dropped.clean and dropped.history[TRAINING["id"]]["deleted"] is True
    assert dropped.applied_history.is_empty()


def test_both_sides_changed_the_hours_of_one_training_row() -> None:
    official_rows = {TRAINING["id"]: {**TRAINING, "hours": "66"}}
    history = HistoryChanges(updated={TRAINING["id"]: {"hours": ["60", "72"]}})
    [conflict] = merge({}, {}, official_rows, history).conflicts
    assert conflict.key == row_key(TRAINING["id"], "hours") == "history:0192-tr:hours"
    assert (conflict.base, conflict.official, conflict.proposed) == ("60", "66", "72")


def test_adding_a_decoration_never_conflicts_and_adding_it_twice_is_harmless() -> None:
    medal = {
        "id": "0193-dc",
        "kind": "decoration",
        "decoration_class": "ตริตาภรณ์ช้างเผือก (ต.ช.)",
        "received_date": "2023-07-28",
    }
    history = HistoryChanges(added=(medal,))
    first = merge({}, {}, {TRAINING["id"]: TRAINING}, history)
    assert first.clean and first.history[medal["id"]] == medal
    assert first.applied_history.added == (medal,)
    again = merge({}, {}, first.history, history)
    assert again.clean and again.applied_history.is_empty()


def test_an_added_id_that_exists_with_other_content_is_reported_not_overwritten() -> None:
    history = HistoryChanges(added=({**TRAINING, "hours": "72"},))
    result = merge({}, {}, {TRAINING["id"]: TRAINING}, history)
    [conflict] = result.conflicts
    assert (conflict.key, conflict.base, conflict.official) == ("history:0192-tr", None, TRAINING)
    assert result.history[TRAINING["id"]] == TRAINING


def test_a_change_that_changes_nothing_proposes_nothing() -> None:
    result = merge({**SOMSRI, "level": "ชำนาญการ"}, {"level": ["ปฏิบัติการ", "ปฏิบัติการ"]})
    assert result.clean and result.applied_fields == {}


def test_deleting_a_row_already_deleted_is_a_no_op() -> None:
    official_rows = {TRAINING["id"]: {**TRAINING, "deleted": True}}
    history = HistoryChanges(deleted={TRAINING["id"]: TRAINING})
    result = merge({}, {}, official_rows, history)
    assert result.clean and result.applied_history.is_empty()


def test_a_new_person_merges_against_an_empty_record() -> None:
    result = merge({}, diff_fields({}, SOMSRI))
    assert result.clean and result.fields == SOMSRI


def test_diff_history_says_what_the_clerk_added_changed_and_deleted() -> None:
    leave = row("0194-lv", kind="leave", leave_type="ลาป่วย", days="2")
    base = {TRAINING["id"]: TRAINING, leave["id"]: leave}
    edited = {TRAINING["id"]: {**TRAINING, "hours": "72", "version": 9}}
    changes = diff_history(base, edited)
    assert changes.updated == {TRAINING["id"]: {"hours": ["60", "72"]}}
    assert changes.deleted == {leave["id"]: leave}
    assert changes.added == ()


def test_a_flag_is_not_a_number() -> None:
    result = merge({"acting_rank": 1}, {"acting_rank": [False, True]})
    assert [c.key for c in result.conflicts] == ["person:acting_rank"]


def test_malformed_history_changes_are_refused() -> None:
    twice = HistoryChanges(
        updated={"r1": {"hours": ["1", "2"]}}, deleted={"r1": row("r1", hours="1")}
    )
    with pytest.raises(InvalidInput) as caught:
        merge({}, {}, {"r1": row("r1", hours="1")}, twice)
    assert caught.value.errors[0].code == "history_row_twice"
    with pytest.raises(InvalidInput):
        merge({}, {}, {}, HistoryChanges(added=({"kind": "leave"},)))
    with pytest.raises(InvalidInput):
        merge({}, {"level": "ชำนาญการ"})  # not an [old, new] pair


def test_a_whole_row_resolution_must_be_a_row_or_none() -> None:
    official_rows = {"r1": row("r1", hours="1", deleted=True)}
    history = HistoryChanges(updated={"r1": {"hours": ["1", "2"]}})
    with pytest.raises(InvalidInput) as caught:
        merge({}, {}, official_rows, history, {"history:r1": "keep"})
    assert caught.value.errors[0].code == "resolution_not_a_row"
