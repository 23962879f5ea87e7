"""Loading an office's existing register into the central.

An office that kept its register on a desktop before it had a central (or a benchmark that
needs an office of 10,000 people) brings its official rows in wire form: the changes of
``app.services.replica.snapshot``. They are published under the central's organization as
they are, in chunks, each chunk one transaction holding the organization's lock, so the
organization's ``seq`` stays in commit order for the readers that pull meanwhile.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sync.central.batch import Batch
from sync.central.db import CentralDB

# The row each table's rows hang under (central_row.parent_id), as a push publishes them.
# The office's structure hangs under the organization itself (sync.central.structure_ops
# reads an office's units and slots by it).
PARENT_FIELD = {"history_row": "person_id", "submission": "person_id", "decision": "submission_id",
                "org_unit": "org_id", "position": "org_id", "staffing_plan": "org_id"}  # fmt: skip
# Tables an office's register brings; organizations and users are the central's own.
IMPORTED = ("org_unit", "position", "staffing_plan", "person", "person_sensitive", "history_row")
CHUNK = 5000


def import_rows(
    db: CentralDB, org_id: str, changes: Iterable[Any], *, by: str | None = None
) -> int:
    """Publish rows of the tables in :data:`IMPORTED` under ``org_id`` (each row's own
    ``org_id`` is replaced by it); rows of other tables are skipped. Returns how many were
    published. Rows are read as objects or dicts with ``table``, ``id``, ``deleted`` and
    ``data``."""
    published = 0
    chunk: list[tuple[str, str, bool, dict[str, Any] | None]] = []
    for change in changes:
        get: Callable[[str], Any] = (
            change.get if isinstance(change, dict) else functools.partial(getattr, change)
        )
        if get("table") not in IMPORTED:
            continue
        data = get("data")
        data = None if data is None else {**data, "org_id": org_id}
        chunk.append((get("table"), get("id"), bool(get("deleted")), data))
        if len(chunk) >= CHUNK:
            published += _publish(db, org_id, chunk, by)
            chunk = []
    if chunk:
        published += _publish(db, org_id, chunk, by)
    return published


def _publish(
    db: CentralDB, org_id: str, rows: Sequence[tuple[str, str, bool, dict[str, Any] | None]],
    by: str | None,
) -> int:  # fmt: skip
    with db.transaction() as session:
        db.lock_orgs(session, {org_id})
        batch = Batch(session)
        batch.prefetch((table, row_id) for table, row_id, _, _ in rows)
        for table, row_id, deleted, data in rows:
            parent = PARENT_FIELD.get(table)
            with batch.op():
                batch.publish(
                    table, row_id, org_id, data, deleted=deleted, by=by,
                    parent_id=(data or {}).get(parent) if parent else None,
                )  # fmt: skip
                batch.apply()
        batch.store()
    return len(rows)
