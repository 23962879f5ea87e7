"""The audit trail's hash chain (DESIGN.md §5), shared by the desktop that writes the trail
(app.services.audit) and the central that checks each event it receives (sync.central.push).

Each event's ``hash`` is SHA-256 over the canonical JSON of :data:`HASHED` fields, which
include the previous event's hash, so removing or editing any event breaks every hash after
it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS = "0" * 64
HASHED = ("id", "org_id", "actor_id", "at", "action", "entity_kind", "entity_id", "detail",
          "prev_hash")  # fmt: skip


def event_hash(fields: dict[str, Any]) -> str:
    """The hash of an event's :data:`HASHED` fields (wire form: ``at`` in ISO 8601)."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
