"""Serving changes: every row of the caller's organizations written after their cursor.

Each change is the full state of one row (or its tombstone) with its version and ``seq``.
Pages are bounded by count and bytes; ``more`` says the client should ask again. Because
writes are serialized per organization (push.apply_batch), ``seq`` grows in commit order
there and a cursor never skips a late commit.
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
    return pull_orgs(db, principal.user.scope, req)


def pull_orgs(db: CentralDB, org_ids: Iterable[str], req: PullRequest) -> PullResponse:
    """One page of the changes of ``org_ids`` since ``req.cursors`` (a scope already
    checked: the caller's, or a bundle's PC's)."""
    rows, cursors, more = _page(db, org_ids, req)
    changes = [
        Change(table=r.table_name, id=r.id, org_id=r.org_id, version=r.version, seq=r.seq,
               deleted=r.deleted, data=None if r.data is None else json.loads(r.data))
        for r, _ in rows
    ]  # fmt: skip
    return PullResponse(changes=changes, cursors=cursors, more=more)


def pull_json(db: CentralDB, principal: Principal, req: PullRequest) -> bytes:
    """The same page as :func:`pull`, as the JSON body of the answer, written straight from
    the rows' stored JSON (a first sync sends tens of megabytes: parsing each row's data only
    to write it out again was most of the central's work)."""
    rows, cursors, more = _page(db, principal.user.scope, req)
    parts = [text for _, text in rows]
    tail = json.dumps({"cursors": cursors, "more": more}, separators=(",", ":"))
    return b'{"changes":[' + b",".join(parts) + b"]," + tail[1:].encode()


def _page(
    db: CentralDB, org_ids: Iterable[str], req: PullRequest
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
                text = _change_json(row)
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


def _change_json(row: Any) -> bytes:
    """One change as the page sends it (compact JSON, UTF-8; its length is what ``max_bytes``
    counts: the PC's budget for its link, where Thai text is three bytes a letter)."""
    return (
        f'{{"table":{_quoted(row.table_name)},"id":{_quoted(row.id)},'
        f'"org_id":{_quoted(row.org_id)},'
        f'"version":{int(row.version)},"seq":{int(row.seq)},'
        f'"deleted":{"true" if row.deleted else "false"},"data":{row.data or "null"}}}'
    ).encode()


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
