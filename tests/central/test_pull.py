"""Pulling changes from the central (DESIGN.md §4), seen through HTTP as a PC sees it.

Pages bounded by count and by bytes, walked by their cursors until ``more`` is false;
tombstones; cursors the central never gave (ahead of it — a central restored from a
backup —, below zero, for an organization outside the caller's scope); and a provincial
supervisor whose scope covers two organizations, with a cursor for each.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from app.domain.ids import new_id
from tests.central.sync_helpers import (
    EDUCATION,
    SALARY,
    Caller,
    approved,
    content,
    latest,
    login,
    new_person,
    rows_of,
)


def _drafts(caller: Caller, n: int, rows: tuple = (), **fields: Any) -> list[str]:
    """``n`` new drafts saved by ``caller`` in one batch: their ids."""
    sids = [new_id() for _ in range(n)]
    caller.applied(*[caller.save(sid, new_person(rows=rows, **fields)) for sid in sids])
    return sids


def _keys(changes: list[dict]) -> list[tuple[str, str]]:
    return [(c["table"], c["id"]) for c in changes]


def _check_walk(pages: list[dict]) -> list[dict]:
    """What any walk of pages must be: ``more`` until the last page, each organization's
    ``seq`` rising from page to page, the cursors at the last change of each organization;
    every change of the walk, in order."""
    assert [p["more"] for p in pages] == [True] * (len(pages) - 1) + [False]
    changes = [c for p in pages for c in p["changes"]]
    for org in pages[-1]["cursors"]:
        seqs = [c["seq"] for c in changes if c["org_id"] == org]
        assert seqs == sorted(set(seqs)), org
    for page in pages:
        for org, cursor in page["cursors"].items():
            seen = [c["seq"] for p in pages[: pages.index(page) + 1] for c in p["changes"]
                    if c["org_id"] == org]  # fmt: skip
            assert cursor == max(seen, default=cursor)
    return changes


# --- paging --------------------------------------------------------------------------------


def test_pages_by_count_hold_every_row_once_across_organizations(
    client, office, clerk, clerk_b
) -> None:
    province = login(client, office, "province")
    _drafts(clerk, 9)
    _drafts(clerk_b, 5)
    [whole] = province.pages(limit=5000)
    assert {c["org_id"] for c in whole["changes"]} == {office.org_a, office.org_b}
    pages = province.pages(limit=4)
    assert all(len(p["changes"]) <= 4 for p in pages)
    assert [len(p["changes"]) for p in pages[:-1]] == [4] * (len(pages) - 1)
    changes = _check_walk(pages)
    assert changes == whole["changes"]  # every row once, as one large page has them
    assert len(set(_keys(changes))) == len(changes)
    assert pages[-1]["cursors"] == whole["cursors"]
    # from the last cursors there is nothing more
    assert province.pull(pages[-1]["cursors"]) == {**whole, "changes": [], "more": False}


def _change_sizes(body: bytes) -> list[int]:
    """The bytes each change takes in a page's body as sent (UTF-8, with its comma)."""
    text = body.decode()
    assert text.startswith('{"changes":[')
    decoder, at, sizes = json.JSONDecoder(), len('{"changes":['), []
    while text[at] != "]":
        _, end = decoder.raw_decode(text, at)
        sizes.append(len(text[at:end].encode()) + 1)
        at = end + (text[end] == ",")
    return sizes


def _raw_pages(caller, **params: Any) -> list[tuple[dict, list[int]]]:
    """Every page from the start with the sizes of its changes on the wire."""
    pages, cursors = [], {}
    while True:
        r = caller.client.post(
            "/v1/pull", json={"cursors": cursors, **params}, headers=caller.headers
        )
        assert r.status_code == 200, r.text
        pages.append((r.json(), _change_sizes(r.content)))
        if not pages[-1][0]["more"]:
            return pages
        cursors = pages[-1][0]["cursors"]


def test_pages_by_bytes_count_utf8_bytes_and_hold_every_row_once(clerk) -> None:
    """``max_bytes`` is the PC's budget for the page on its link: Thai text takes three
    bytes a character, and a row larger than the budget still comes, alone."""
    long_name = "ประเสริฐศักดิ์" * 7  # 98 characters (names hold 100), 294 bytes
    names = {"first_name_th": long_name, "last_name_th": long_name}
    _drafts(clerk, 12, **names)
    note = {**SALARY, "note": "ประเสริฐศักดิ์" * 140}  # 1,960 characters, some 5,900 bytes
    [huge] = _drafts(clerk, 1, rows=(note,))
    _drafts(clerk, 3, **names)
    budget = 4096
    raw = _raw_pages(clerk, max_bytes=budget)
    pages = [page for page, _ in raw]
    changes = _check_walk(pages)
    assert changes == clerk.changes()  # every row once, as pages of the default size
    for page, sizes in raw:
        assert len(sizes) == len(page["changes"])
        if len(sizes) > 1:
            assert sum(sizes) <= budget
    for (_, sizes), (_, following) in itertools.pairwise(raw):
        # a page ends where the next change would not have fitted in it
        assert sum(sizes) + following[0] > budget
    [(alone, size)] = [
        (p["changes"], sizes) for p, sizes in raw if ("submission", huge) in _keys(p["changes"])
    ]
    assert _keys(alone) == [("submission", huge)]
    assert sum(size) > budget
    assert len(pages) > 5


# --- tombstones ----------------------------------------------------------------------------


def _values(data: dict[str, Any]) -> dict[str, Any]:
    """A row's data without who changed it last and when."""
    return {k: v for k, v in data.items() if k not in ("updated_at", "updated_by")}


def test_a_deleted_history_row_comes_as_a_tombstone_with_its_last_content(
    clerk, supervisor, office
) -> None:
    pid = new_id()
    approved(clerk, supervisor, new_person(pid, rows=(EDUCATION, SALARY)))
    before = clerk.changes()
    rows = rows_of(before, "history_row")
    [salary] = [r for r in rows.values() if r["data"]["kind"] == "salary"]
    cursor = clerk.pull()["cursors"]
    person = latest(before, "person", pid)
    update = content(pid, {}, kind="update", base_version=person["version"],
                     deleted={salary["id"]: salary["data"]})  # fmt: skip
    approved(clerk, supervisor, update)

    changes = clerk.changes(cursor)
    tombstone = latest(changes, "history_row", salary["id"])
    assert tombstone["deleted"] is True
    assert tombstone["version"] == salary["version"] + 1
    # the central keeps the row's last content in its tombstone, and who deleted it
    assert _values(tombstone["data"]) == _values(salary["data"])
    assert tombstone["data"]["updated_by"] == office.users["super.a"]
    # the other row did not change, and a PC that pulls from the start gets the tombstone
    assert [c["id"] for c in changes if c["table"] == "history_row"] == [salary["id"]]
    assert rows_of(clerk.changes(), "history_row")[salary["id"]] == tombstone
    assert _values(latest(changes, "person", pid)["data"]) == _values(person["data"])


# --- cursors the central never gave ----------------------------------------------------------


def test_a_cursor_ahead_of_the_central_or_below_zero(client, office, clerk, clerk_b) -> None:
    """A cursor ahead of the central comes from a central restored from an older backup: the
    rows written since reuse the numbers the PC has passed, so it pulls its organization
    again from the start."""
    _drafts(clerk, 2)
    _drafts(clerk_b, 2)
    everything = clerk.pull()
    latest_a = everything["cursors"][office.org_a]
    ahead = {office.org_a: latest_a + 1000}
    assert clerk.pull(ahead) == everything
    # a provincial supervisor's other organization is served from its own cursor
    province = login(client, office, "province")
    b_latest = province.pull()["cursors"][office.org_b]
    page = province.pull({**ahead, office.org_b: b_latest})
    assert {c["org_id"] for c in page["changes"]} == {office.org_a}
    assert page["cursors"][office.org_b] == b_latest
    # below zero is from the start
    assert clerk.pull({office.org_a: -7}) == everything


def test_a_cursor_for_an_organization_outside_the_scope_is_ignored(office, clerk, clerk_b) -> None:
    b_rows = _drafts(clerk_b, 3)
    everything = clerk.pull()
    cursors = everything["cursors"]
    assert set(cursors) == {office.org_a}
    for asked in ({office.org_b: 0}, {**cursors, office.org_b: 0}, {"no-such-org": 0}):
        page = clerk.pull(asked)
        assert set(page["cursors"]) == {office.org_a}
        assert all(c["org_id"] == office.org_a for c in page["changes"])
        assert not set(b_rows) & {c["id"] for c in page["changes"]}
    assert clerk.pull({office.org_b: 0}) == everything  # as if no cursor had been sent
    assert clerk.pull({**cursors, office.org_b: 0})["changes"] == []


# --- a provincial supervisor -------------------------------------------------------------------


def test_a_provincial_supervisor_pulls_both_organizations_with_a_cursor_each(
    client, office, clerk, clerk_b
) -> None:
    province = login(client, office, "province")
    _drafts(clerk, 2)
    _drafts(clerk_b, 2)
    first = province.pages(limit=3)
    seen = _check_walk(first)
    cursors = first[-1]["cursors"]
    assert set(cursors) == {office.org_a, office.org_b}
    users = {c["data"]["username"] for c in seen if c["table"] == "user"}
    assert users == {"admin.a", "clerk.a", "super.a", "admin.b", "clerk.b", "province"}
    # and a clerk of A sees none of B
    assert {c["org_id"] for c in clerk.changes()} == {office.org_a}

    new_a, new_b = _drafts(clerk, 2), _drafts(clerk_b, 1)
    page = province.pull(cursors)
    assert sorted(_keys(page["changes"])) == sorted(("submission", s) for s in new_a + new_b)
    assert page["cursors"][office.org_a] == cursors[office.org_a] + 2
    assert page["cursors"][office.org_b] == cursors[office.org_b] + 1
    # each organization's cursor stands alone: an old cursor of A and B's current one
    page = province.pull(
        {office.org_a: cursors[office.org_a], office.org_b: page["cursors"][office.org_b]}
    )
    assert sorted(_keys(page["changes"])) == sorted(("submission", s) for s in new_a)
