"""Each PC's audit chain at the central: a rewritten trail is refused as it arrives, a link
that never arrives is shown to the operator (``localhr central audit-gaps``)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain.audit import GENESIS, HASHED, event_hash
from app.domain.ids import new_id, utcnow
from localhr.cli import main
from sync.central import audit_trail
from sync.central.models import CentralAudit
from tests.central.sync_helpers import Caller


def _event(caller: Caller, prev_hash: str, action: str = "person.view") -> dict[str, Any]:
    """An audit op as the PC's trail makes it: chained on ``prev_hash``."""
    fields = {
        "id": new_id(), "org_id": caller.org_id, "actor_id": caller.id,
        "at": utcnow().isoformat(), "action": action, "entity_kind": "person",
        "entity_id": new_id(), "detail": {}, "prev_hash": prev_hash,
    }  # fmt: skip
    payload = {**fields, "hash": event_hash({k: fields[k] for k in HASHED})}
    return caller.op("audit.append", fields["id"], payload)


def _hash(op: dict[str, Any]) -> str:
    return op["payload"]["hash"]


def _kept(clerk: Caller) -> int:
    with clerk.office.db.reading() as session:
        return session.scalar(select(func.count()).select_from(CentralAudit)) or 0


def test_a_second_event_on_one_predecessor_is_refused_and_not_kept(clerk) -> None:
    first = _event(clerk, GENESIS)
    second = _event(clerk, _hash(first))
    clerk.applied(first, second)
    # the trail rewritten on the PC: "second" replaced by another event after it was sent
    forged = _event(clerk, _hash(first), action="person.export")
    third = _event(clerk, _hash(second))
    results = clerk.push(forged, third)
    assert (results[0]["status"], results[0]["code"]) == ("rejected", "audit_chain_fork")
    assert results[1]["status"] == "applied"  # refused alone
    assert _kept(clerk) == 3


def test_a_resent_event_is_not_a_fork(clerk) -> None:
    first = _event(clerk, GENESIS)
    second = _event(clerk, _hash(first))
    clerk.applied(first, second)
    again = {k: v for k, v in second.items() if k not in ("op_id", "signature")}
    assert clerk.applied({**again, "op_id": new_id()})[0]["status"] == "applied"
    assert _kept(clerk) == 2


def test_two_forks_in_one_batch_are_caught_too(clerk) -> None:
    first = _event(clerk, GENESIS)
    a, b = _event(clerk, _hash(first)), _event(clerk, _hash(first))
    results = clerk.push(first, a, b)
    assert [r["status"] for r in results] == ["applied", "applied", "rejected"]
    assert results[2]["code"] == "audit_chain_fork"


def test_a_missing_link_is_a_gap_until_it_arrives(clerk, capsys: pytest.CaptureFixture) -> None:
    first = _event(clerk, GENESIS)
    second = _event(clerk, _hash(first))
    third = _event(clerk, _hash(second))
    clerk.applied(first, third)  # the second's author has not synced yet: it comes late
    [gap] = audit_trail.gaps(clerk.office.db)
    assert (gap.event_id, gap.prev_hash) == (third["entity_id"], _hash(second))
    assert main(["central", "audit-gaps", "--db", clerk.office.db.url]) == 0
    out = capsys.readouterr().out
    assert third["entity_id"] in out and "1 gap(s)" in out

    clerk.applied(second)
    assert audit_trail.gaps(clerk.office.db) == []
    assert main(["central", "audit-gaps", "--db", clerk.office.db.url]) == 0
    assert "no gaps" in capsys.readouterr().out
