"""Serving changes: every row of the caller's organizations written after their cursor.

Each change is the full state of one row (or its tombstone) with its version and ``seq``.
Pages are bounded by count and bytes; ``more`` says the client should ask again. Because
writes are serialized per organization (push.apply_batch), ``seq`` grows in commit order
there and a cursor never skips a late commit.

A user row carries the user's offline verifier (sync.central.admin) only to a PC of an
organization in that user's scope, where they may log in: for any other PC (a provincial
supervisor's pull of an office's rows on the province's PC, say) it is null. A caller that
names no PC (``device_org_id`` None) gets no verifier at all.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Text, cast, select

from sync.central.auth import Principal
from sync.central.db import CentralDB
from sync.central.models import CentralRow, OrgCounter
from sync.protocol import Change, PullRequest, PullResponse

log = logging.getLogger(__name__)


def pull(db: CentralDB, principal: Principal, req: PullRequest) -> PullResponse:
    return pull_orgs(db, principal.user.scope, req, device_org_id=principal.device_org_id)


def pull_orgs(
    db: CentralDB,
    org_ids: Iterable[str],
    req: PullRequest,
    *,
    device_org_id: str | None = None,
) -> PullResponse:
    """One page of the changes of ``org_ids`` since ``req.cursors`` (a scope already
    checked: the caller's, or a bundle's PC's), for a PC of ``device_org_id``."""
    rows, cursors, more = _page(db, org_ids, req, device_org_id)
    changes = [
        Change(table=r.table_name, id=r.id, org_id=r.org_id, version=r.version, seq=r.seq,
               deleted=r.deleted, data=None if text is None else json.loads(text))
        for r, text in ((r, _data_text(r, device_org_id)) for r, _ in rows)
    ]  # fmt: skip
    return PullResponse(changes=changes, cursors=cursors, more=more)


def pull_json(db: CentralDB, principal: Principal, req: PullRequest) -> bytes:
    """The same page as :func:`pull`, as the JSON body of the answer, written straight from
    the rows' stored JSON (a first sync sends tens of megabytes: parsing each row's data only
    to write it out again was most of the central's work)."""
    rows, cursors, more = _page(db, principal.user.scope, req, principal.device_org_id)
    parts = [text for _, text in rows]
    tail = json.dumps({"cursors": cursors, "more": more}, separators=(",", ":"))
    return b'{"changes":[' + b",".join(parts) + b"]," + tail[1:].encode()


def _page(
    db: CentralDB, org_ids: Iterable[str], req: PullRequest, device_org_id: str | None
) -> tuple[list[Any], dict[str, int], bool]:
    cursors = {org: max(0, req.cursors.get(org, 0)) for org in sorted(org_ids)}
    rows: list[tuple[Any, bytes]] = []
    size = 0
    more = False
    with db.reading() as session:
        # The organizations' counters say at once where nothing is new: a sync with nothing
        # to do costs one small query, however many organizations the caller covers.
        latest = dict(
            session.execute(
                select(OrgCounter.org_id, OrgCounter.seq).where(OrgCounter.org_id.in_(cursors))
            ).all()
        )
        for org_id, cursor in cursors.items():
            if cursor > latest.get(org_id, 0):
                # A cursor this central never gave: it was restored from a backup older than
                # the PC's last sync, and the rows written since reuse the lost numbers. The
                # PC could never see them: it pulls the organization again from the start.
                log.warning("cursor %d ahead of %d for org %s: served from 0",
                            cursor, latest.get(org_id, 0), org_id)  # fmt: skip
                cursor = cursors[org_id] = 0
            if latest.get(org_id, 0) <= cursor:
                continue
            room = req.limit - len(rows)
            if room <= 0:
                more = True
                break
            page = (
                session.connection()
                .execute(  # Core rows: no ORM loading for 5,000 rows
                    select(*COLUMNS)
                    .where(CentralRow.org_id == org_id, CentralRow.seq > cursor)
                    .order_by(CentralRow.seq)
                    .limit(room + 1)
                )
                .all()
            )
            for row in page[:room]:
                text = _change_json(row, _data_text(row, device_org_id))
                size += len(text) + 1
                if rows and size > req.max_bytes:
                    more = True
                    break
                rows.append((row, text))
                cursors[org_id] = row.seq
            else:
                more = more or len(page) > room
                continue
            break
    return rows, cursors, more


def _change_json(row: Any, data: str | None) -> bytes:
    """One change as the page sends it (compact JSON, UTF-8; its length is what ``max_bytes``
    counts: the PC's budget for its link, where Thai text is three bytes a letter)."""
    return (
        f'{{"table":{_quoted(row.table_name)},"id":{_quoted(row.id)},'
        f'"org_id":{_quoted(row.org_id)},'
        f'"version":{int(row.version)},"seq":{int(row.seq)},'
        f'"deleted":{"true" if row.deleted else "false"},"data":{data or "null"}}}'
    ).encode()


def _data_text(row: Any, device_org_id: str | None) -> str | None:
    """The row's stored JSON, as it is but for a user row's verifier, which only a PC of
    an organization in the user's scope gets (see the module doc)."""
    if row.table_name != "user" or not row.data:
        return row.data
    data = json.loads(row.data)
    scope = {data.get("org_id"), *(data.get("scope_org_ids") or ())}
    if data.get("password_verifier") is None or (
        device_org_id is not None and device_org_id in scope
    ):
        return row.data
    data["password_verifier"] = None
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _quoted(text: str) -> str:
    """A JSON string; table names and ids are plain ASCII, which need no escaping."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return json.dumps(text)


COLUMNS = (
    CentralRow.table_name,
    CentralRow.id,
    CentralRow.org_id,
    CentralRow.version,
    CentralRow.seq,
    CentralRow.deleted,
    # the stored JSON text as it is (SQLite keeps it as written; PostgreSQL writes jsonb out)
    cast(CentralRow.data, Text).label("data"),
)
