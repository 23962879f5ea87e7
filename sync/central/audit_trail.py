"""The PCs' audit chains as the central holds them (DESIGN.md §5: hash-chained per PC).

Every event names the hash of the one before it on its PC; :func:`sync.central.push` checks
each event's own hash and refuses a second event chained on one predecessor as it arrives.
What arrival cannot decide is a *gap*: an event whose predecessor never came. Events of
several users travel apart (each author's ops go when that author can sync), so a gap can be
only late; one that stays means an event was removed on the PC before it was sent.
:func:`gaps` lists them for the operator (``localhr central audit-gaps``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.domain.audit import GENESIS
from sync.central.db import CentralDB
from sync.central.models import CentralAudit

__all__ = ["Gap", "gaps"]


@dataclass(frozen=True)
class Gap:
    """An event whose predecessor (``prev_hash``) the central does not have."""

    org_id: str
    device_id: str
    event_id: str
    action: str
    received_at: dt.datetime
    prev_hash: str


def gaps(db: CentralDB, org_id: str | None = None, limit: int = 100) -> list[Gap]:
    """The events whose predecessor is missing, oldest received first (at most ``limit``),
    of one organization or of all."""
    before = aliased(CentralAudit)
    query = (
        select(
            CentralAudit.org_id,
            CentralAudit.device_id,
            CentralAudit.id,
            CentralAudit.action,
            CentralAudit.received_at,
            CentralAudit.prev_hash,
        )
        .outerjoin(before, before.hash == CentralAudit.prev_hash)
        .where(CentralAudit.prev_hash != GENESIS, before.id.is_(None))
        .order_by(CentralAudit.received_at, CentralAudit.id)
        .limit(limit)
    )
    if org_id is not None:
        query = query.where(CentralAudit.org_id == org_id)
    with db.reading() as session:
        return [Gap(*row) for row in session.execute(query)]
