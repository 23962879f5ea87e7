"""Serving changes: every row of the caller's organizations written after their cursor.

Each change is the full state of one row (or its tombstone) with its version and ``seq``.
Pages are bounded by count and bytes; ``more`` says the client should ask again. Because
writes are serialized per organization (push.apply_batch), ``seq`` grows in commit order
there and a cursor never skips a late commit.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import select

from sync.central.auth import Principal
from sync.central.db import CentralDB
from sync.central.models import CentralRow, OrgCounter
from sync.protocol import Change, PullRequest, PullResponse


def pull(db: CentralDB, principal: Principal, req: PullRequest) -> PullResponse:
    return pull_orgs(db, principal.user.scope, req)


def pull_orgs(db: CentralDB, org_ids: Iterable[str], req: PullRequest) -> PullResponse:
    """One page of the changes of ``org_ids`` since ``req.cursors`` (a scope already
    checked: the caller's, or a bundle's PC's)."""
    cursors = {org: max(0, req.cursors.get(org, 0)) for org in sorted(org_ids)}
    changes: list[Change] = []
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
            if latest.get(org_id, 0) <= cursor:
                continue
            room = req.limit - len(changes)
            if room <= 0:
                more = True
                break
            page = session.execute(
                select(*COLUMNS)
                .where(CentralRow.org_id == org_id, CentralRow.seq > cursor)
                .order_by(CentralRow.seq)
                .limit(room + 1)
            ).all()
            for row in page[:room]:
                size += _size(row)
                if changes and size > req.max_bytes:
                    more = True
                    break
                changes.append(
                    Change(
                        table=row.table_name,
                        id=row.id,
                        org_id=row.org_id,
                        version=row.version,
                        seq=row.seq,
                        deleted=row.deleted,
                        data=row.data,
                    )
                )
                cursors[org_id] = row.seq
            else:
                more = more or len(page) > room
                continue
            break
    return PullResponse(changes=changes, cursors=cursors, more=more)


# A change's JSON besides its values: {"table":"","id":"","org_id":"","version":,"seq":,
# "deleted":,"data":} and the comma after it.
CHANGE_FRAME = 70


def _size(row) -> int:
    """The bytes ``row``'s change takes in the page as it is sent (compact JSON, UTF-8):
    ``max_bytes`` is the PC's budget for its link, and Thai text is three bytes a letter."""
    data = json.dumps(row.data, ensure_ascii=False, separators=(",", ":")).encode()
    values = (row.table_name, row.id, row.org_id, str(row.version), str(row.seq))
    return CHANGE_FRAME + len(data) + sum(map(len, values)) + (4 if row.deleted else 5)


COLUMNS = (
    CentralRow.table_name,
    CentralRow.id,
    CentralRow.org_id,
    CentralRow.version,
    CentralRow.seq,
    CentralRow.deleted,
    CentralRow.data,
)
