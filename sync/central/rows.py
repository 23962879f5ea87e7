"""The central's record of every synced row, and the per-organization sequence that orders it.

Writers call :func:`publish` inside a transaction that holds the organization's lock
(:meth:`CentralDB.lock_orgs`): the row gets the next ``seq`` of its organization and a
version one above its last, so a pull (``seq > cursor``) sees each change exactly once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain.ids import utcnow
from sync.central.models import CentralRow, OrgCounter


def next_seq(session: Session, org_id: str) -> int:
    seq = session.execute(
        update(OrgCounter)
        .where(OrgCounter.org_id == org_id)
        .values(seq=OrgCounter.seq + 1)
        .returning(OrgCounter.seq)
    ).scalar()
    if seq is None:
        session.add(OrgCounter(org_id=org_id, seq=1))
        session.flush()
        seq = 1
    return seq


def get_row(session: Session, table: str, row_id: str) -> CentralRow | None:
    return session.get(CentralRow, (table, row_id))


def live_data(session: Session, table: str, row_id: str) -> dict[str, Any] | None:
    row = get_row(session, table, row_id)
    return None if row is None or row.deleted else dict(row.data or {})


def children(session: Session, table: str, parent_id: str) -> list[CentralRow]:
    return list(
        session.scalars(
            select(CentralRow).where(
                CentralRow.table_name == table, CentralRow.parent_id == parent_id
            )
        )
    )


def publish(
    session: Session,
    table: str,
    row_id: str,
    org_id: str,
    data: dict[str, Any] | None,
    *,
    parent_id: str | None = None,
    deleted: bool = False,
    by: str | None = None,
) -> int:
    """Write the row's new full state (or its tombstone); return its new version."""
    seq = next_seq(session, org_id)
    row = get_row(session, table, row_id)
    now = utcnow()
    if row is None:
        row = CentralRow(table_name=table, id=row_id, org_id=org_id, version=0)
        session.add(row)
    row.version = (row.version or 0) + 1
    row.seq, row.parent_id, row.deleted = seq, parent_id, deleted
    row.data = data
    row.updated_at, row.updated_by = now, by
    session.flush()
    return row.version
