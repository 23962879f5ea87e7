"""Helpers of the central's push, pull and authorization tests.

Ops are built as a PC writes them (the payloads of app.services.submissions and
app.services.decisions), as JSON, so a test can also send what no PC would. A
:class:`Caller` is a user logged in on a PC: it builds ops with its own author and device,
pushes them and pulls pages over HTTP, checking only what any client checks (the status).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from app.domain import signing
from app.domain.ids import new_id, utcnow
from sync.central.models import CentralUserKey
from sync.protocol import ErrorBody, Op
from tests.fixtures_db import valid_citizen_id

# A new person that passes the central's validation (the fields a clerk must fill).
PERSON = {
    "citizen_id": valid_citizen_id("310090012345"),
    "prefix": "mrs",
    "first_name_th": "สมหญิง",
    "last_name_th": "คำงาม",
    "birth_date": "1988-02-29",
    "gender": "female",
    "category": "general_contract",
    "salary": "15310.50",
    "appointment_date": "2014-10-01",
}


# Valid history rows (without their ids).
EDUCATION = {
    "kind": "education",
    "education_level": "master",
    "degree": "รัฐประศาสนศาสตรมหาบัณฑิต",
    "major": "การบริหารงานท้องถิ่น",
    "institution": "มหาวิทยาลัยมหาสารคาม",
    "graduated_date": "2016-05-20",
}
SALARY = {
    "kind": "salary",
    "effective_date": "2020-10-01",
    "salary": "15800",
    "order_number": "คำสั่ง อบต.หนองบัว ที่ 210/2563",
}
_citizen_ids = itertools.count(1)


def error(r, status: int, code: str) -> ErrorBody:
    """The ErrorBody of an answer that must have ``status`` and ``code``."""
    assert r.status_code == status, r.text
    body = ErrorBody.model_validate(r.json())
    assert body.code == code, body
    assert body.message
    return body


def content(
    person_id: str,
    changes: dict[str, list[Any]],
    *,
    kind: str = "new",
    base_version: int = 0,
    added: list[dict[str, Any]] | None = None,
    updated: dict[str, Any] | None = None,
    deleted: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What a client says about a submission (the payload of submission.save)."""
    return {
        "person_id": person_id,
        "kind": kind,
        "base_version": base_version,
        "changes": changes,
        "history": {"added": added or [], "updated": updated or {}, "deleted": deleted or {}},
    }


def new_person(
    person_id: str | None = None, rows: tuple[dict[str, Any], ...] = (), **fields: Any
) -> dict[str, Any]:
    """A new-person submission's content: PERSON (with a citizen ID of its own) and
    ``fields`` over it, adding history ``rows`` (each gets an id)."""
    citizen_id = valid_citizen_id(f"31009{next(_citizen_ids):07d}")
    values = {**PERSON, "citizen_id": citizen_id, **fields}
    changes = {k: [None, v] for k, v in values.items()}
    return content(person_id or new_id(), changes, added=[{**r, "id": new_id()} for r in rows])


def wire_value(op: dict[str, Any]) -> dict[str, Any]:
    """What the signature of ``op`` (wire JSON) covers, from the protocol's definition."""
    return signing.op_value(
        **{k: op[k] for k in ("op_id", "kind", "entity_id", "org_id", "author", "device_id",
                              "payload")},
        created_at=dt.datetime.fromisoformat(op["created_at"]),
    )  # fmt: skip


@dataclass
class Caller:
    """``username`` logged in on a PC (``headers`` carry its token and device header)."""

    client: Any
    office: Any
    username: str
    headers: dict[str, str]
    device_id: str
    org_id: str  # the organization of the PC: its ops' by default
    # the user's key pair on this PC, registered at login (None: not registered)
    keys: signing.KeyPair | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        return self.office.users[self.username]

    def op(
        self, kind: str, entity_id: str, payload: dict[str, Any], org_id: str | None = None, **env
    ) -> dict[str, Any]:
        """An op of this user on this PC (``env`` overrides any envelope field)."""
        return {
            "op_id": new_id(),
            "kind": kind,
            "entity_id": entity_id,
            "org_id": org_id or self.org_id,
            "author": self.id,
            "device_id": self.device_id,
            "created_at": utcnow().isoformat(),
            "payload": payload,
            **env,
        }

    # --- the ops of the submission workflow ------------------------------------------------

    def save(self, sid: str, data: dict[str, Any], **env) -> dict[str, Any]:
        return self.op("submission.save", sid, {**data, "id": sid}, **env)

    def submit(self, sid: str, data: dict[str, Any], **env) -> dict[str, Any]:
        return self.op("submission.submit", sid, {"submission": {**data, "id": sid}}, **env)

    def withdraw(self, sid: str, **env) -> dict[str, Any]:
        return self.op("submission.withdraw", sid, {"submission_id": sid}, **env)

    def approve(self, sid: str, resolutions: dict[str, Any] | None = None, **env) -> dict[str, Any]:
        payload = {"submission_id": sid, "decision_id": new_id(), "resolutions": resolutions or {}}
        return self.op("submission.approve", sid, payload, **env)

    def return_(self, sid: str, reason: str, **env) -> dict[str, Any]:
        payload = {"submission_id": sid, "decision_id": new_id(), "reason": reason,
                   "field_comments": {}}  # fmt: skip
        return self.op("submission.return", sid, payload, **env)

    def sign(self, op: dict[str, Any], keys: signing.KeyPair | None = None) -> dict[str, Any]:
        """``op`` signed as its author's PC signs it (with ``keys``, default this user's); an
        op that cannot be signed (a time without its zone, a value JSON cannot hold) is
        returned unsigned."""
        keys = keys or self.keys
        assert keys is not None, "the caller has no registered key"
        try:
            value = wire_value(op)
            return {**op, "signature": signing.sign(keys.private, signing.OP_CONTEXT, value)}
        except (KeyError, TypeError, ValueError):
            return op

    def seal(
        self, ops: list[dict[str, Any]], keys: signing.KeyPair | None = None,
        device_id: str | None = None,
    ) -> str:  # fmt: skip
        """The push seal of ``ops`` as the protocol defines it (by ``keys``, default this
        user's, for ``device_id``, default this PC)."""
        keys = keys or self.keys
        assert keys is not None, "the caller has no registered key"
        value = signing.seal_value(device_id or self.device_id, [wire_value(op) for op in ops])
        return signing.sign(keys.private, signing.SEAL_CONTEXT, value)

    def register_key(self, keys: signing.KeyPair | None = None) -> signing.KeyPair:
        """Register a (new) key pair for this user on this PC: it signs from now on."""
        keys = keys or signing.new_key_pair()
        body = {"public_key": keys.public.hex()}
        r = self.client.post("/v1/keys", json=body, headers=self.headers)
        assert r.status_code == 201, r.text
        self.keys = keys
        return keys

    # --- HTTP ------------------------------------------------------------------------------

    def push(self, *ops: dict[str, Any], seal: str | None = None) -> list[dict[str, Any]]:
        """Push ``ops`` as one batch, each signed with this user's key unless it says its
        own ``signature``, with ``seal`` if given: the results, one per op, in order."""
        ops = tuple(op if "signature" in op or self.keys is None else self.sign(op) for op in ops)
        body: dict[str, Any] = {"ops": list(ops)}
        if seal is not None:
            body["seal"] = seal
        r = self.client.post("/v1/push", json=body, headers=self.headers)
        assert r.status_code == 200, r.text
        results = r.json()["results"]
        assert [res["op_id"] for res in results] == [op["op_id"] for op in ops]
        return results

    def applied(self, *ops: dict[str, Any]) -> list[dict[str, Any]]:
        """Push ``ops``, which must all be applied: their results."""
        results = self.push(*ops)
        assert [r["status"] for r in results] == ["applied"] * len(ops), results
        return results

    def pull(self, cursors: dict[str, int] | None = None, **params: Any) -> dict[str, Any]:
        """One page from ``cursors`` (default: from the start)."""
        body = {"cursors": cursors or {}, **params}
        r = self.client.post("/v1/pull", json=body, headers=self.headers)
        assert r.status_code == 200, r.text
        return r.json()

    def pages(self, cursors: dict[str, int] | None = None, **params: Any) -> list[dict]:
        """Every page from ``cursors``, following the cursors until ``more`` is false."""
        pages = [self.pull(cursors, **params)]
        while pages[-1]["more"]:
            assert len(pages) < 500, "the pull never ends"
            pages.append(self.pull(pages[-1]["cursors"], **params))
        return pages

    def changes(self, cursors: dict[str, int] | None = None, **params: Any) -> list[dict]:
        """Every change from ``cursors`` (default: from the start), in pull order."""
        return [c for page in self.pages(cursors, **params) for c in page["changes"]]


def login(client, office, username: str, reg=None, *, key: bool = True) -> Caller:
    """``username`` logged in on ``reg`` (default: the PC of organization A), with a key
    pair registered there (``key``), as the desktop does at a first online login."""
    reg = reg or office.device
    headers = office.login(client, username, reg)
    caller = Caller(client, office, username, headers, reg.device_id, reg.org_id)
    if key:
        caller.register_key()
    return caller


def signed(client, headers: dict[str, str], op: dict[str, Any]) -> dict[str, Any]:
    """``op`` signed with a new key registered over ``headers`` (a refused registration is
    not checked: the caller's refusal is then what a push with them shows)."""
    keys = signing.new_key_pair()
    client.post("/v1/keys", json={"public_key": keys.public.hex()}, headers=headers)
    return Caller(client, None, "", headers, op["device_id"], op["org_id"]).sign(op, keys)


def signed_model(op: Op, keys: signing.KeyPair) -> Op:
    """A protocol :class:`Op` signed with ``keys``, as its author's PC signs it."""
    signature = signing.sign(keys.private, signing.OP_CONTEXT, op.signed_value())
    return op.model_copy(update={"signature": signature})


def key_at_central(db, user_id: str, device_id: str) -> signing.KeyPair:
    """A new key pair of ``user_id`` on ``device_id``, put straight into the central's
    database (for tests of other things than keys; /v1/keys is what a PC uses)."""
    keys = signing.new_key_pair()
    with db.transaction() as session:
        session.add(
            CentralUserKey(
                key_id=keys.id, user_id=user_id, device_id=device_id,
                public_key=keys.public.hex(), created_at=utcnow(), revoked_at=None,
            )
        )  # fmt: skip
    return keys


def latest(changes: list[dict], table: str, row_id: str) -> dict | None:
    """The last change of one row in a pull, or None."""
    found = [c for c in changes if c["table"] == table and c["id"] == row_id]
    return max(found, key=lambda c: c["seq"]) if found else None


def rows_of(changes: list[dict], table: str) -> dict[str, dict]:
    """Row id → its last change, for one table."""
    out: dict[str, dict] = {}
    for c in sorted((c for c in changes if c["table"] == table), key=lambda c: c["seq"]):
        out[c["id"]] = c
    return out


def submitted(clerk: Caller, data: dict[str, Any]) -> str:
    """A submission of ``data`` saved and submitted by ``clerk``: its id."""
    sid = new_id()
    clerk.applied(clerk.save(sid, data), clerk.submit(sid, data))
    return sid


def approved(clerk: Caller, supervisor: Caller, data: dict[str, Any]) -> str:
    """A submission of ``data`` submitted by ``clerk`` and approved by ``supervisor``."""
    sid = submitted(clerk, data)
    supervisor.applied(supervisor.approve(sid))
    return sid
