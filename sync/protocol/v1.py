"""Protocol v1: the op envelope, push and pull, login and device registration, errors.

Every request carries the protocol version in the ``X-LocalHR-Protocol`` header; a central
that does not speak it answers 426 with an :class:`ErrorBody` telling the user to update.
Bodies are JSON, compressed with zstd where both ends have it, gzip otherwise. Values inside
``payload`` and row ``data`` are in wire form (app.domain.codec): dates ISO 8601, decimals as
text, so they compare equal at both ends.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.domain import signing

__all__ = [
    "MAX_OPS_PER_BATCH",
    "PROTOCOL_HEADER",
    "PROTOCOL_VERSION",
    "CentralKeys",
    "Change",
    "DeviceKeysRequest",
    "DeviceRegistration",
    "DeviceRegistrationRequest",
    "ErrorBody",
    "ErrorCode",
    "LoginRequest",
    "LoginResponse",
    "Op",
    "OpKind",
    "OpResult",
    "OpStatus",
    "PasswordChangeRequest",
    "PasswordReset",
    "PullRequest",
    "PullResponse",
    "PushRequest",
    "PushResponse",
    "SecurityEvent",
    "SecurityEventList",
    "SessionsEnded",
    "UserInfo",
    "VersionInfo",
    "seal",
]

PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "X-LocalHR-Protocol"
DEVICE_HEADER = "X-LocalHR-Device"
MAX_OPS_PER_BATCH = 1000
MAX_PULL_LIMIT = 5000


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OpKind(StrEnum):
    SUBMISSION_SAVE = "submission.save"
    SUBMISSION_SUBMIT = "submission.submit"
    SUBMISSION_WITHDRAW = "submission.withdraw"
    SUBMISSION_RETURN = "submission.return"
    SUBMISSION_APPROVE = "submission.approve"
    AUDIT_APPEND = "audit.append"
    # the office's structure (issue 14): an org admin's, of their own organization
    UNIT_SAVE = "unit.save"
    UNIT_CLOSE = "unit.close"
    POSITION_SAVE = "position.save"
    PLAN_SAVE = "plan.save"


class Op(_Model):
    """One thing a user did that must reach the central; idempotent by ``op_id``."""

    op_id: str = Field(
        min_length=32, max_length=36, description="a UUID in canonical form (else bad_id)"
    )
    kind: str = Field(max_length=48, description="an OpKind; unknown kinds are rejected per op")
    entity_id: str = Field(max_length=36, description="a UUID in canonical form (else bad_id)")
    org_id: str = Field(max_length=36)
    author: str = Field(max_length=36)
    device_id: str = Field(max_length=36)
    created_at: dt.datetime = Field(
        description="when the author acted, as the PC claims it, with its UTC offset (else "
        "bad_time); the central keeps it beside its own time, never instead of it"
    )
    payload: dict[str, Any] = Field(
        description="the kind's payload model (sync.protocol.ops); a payload that does not "
        "fit it is rejected per op (bad_payload)",
        json_schema_extra=lambda schema: _payload_schemas(schema),
    )
    signature: str | None = None

    def signed_value(self) -> dict[str, Any]:
        """What the op's signature, and a push seal, covers (:func:`app.domain.signing.op_value`).
        Raises ValueError for a time without its zone."""
        return signing.op_value(
            op_id=self.op_id, kind=self.kind, entity_id=self.entity_id, org_id=self.org_id,
            author=self.author, device_id=self.device_id, created_at=self.created_at,
            payload=self.payload,
        )  # fmt: skip


def _payload_schemas(schema: dict[str, Any]) -> None:
    """Document every kind's payload under ``Op.payload`` (read per op, not per request)."""
    from sync.protocol.ops import payload_schemas  # the models import OpKind from here

    schema["anyOf"] = payload_schemas()


class PushRequest(_Model):
    ops: list[Op] = Field(max_length=MAX_OPS_PER_BATCH)
    seal: str | None = Field(
        default=None,
        max_length=signing.MAX_SIGNATURE_CHARS,
        description="the logged-in author's signature over all their ops in this push "
        "(app.domain.signing.seal_value): when it checks, it stands for those ops' own "
        "signatures; when it does not, each op's own signature is checked",
    )


def seal(private_key: bytes, device_id: str, ops: list[Op]) -> str:
    """The push seal of ``ops`` (all by the key's owner, from ``device_id``)."""
    values = [op.signed_value() for op in ops]
    return signing.sign(private_key, signing.SEAL_CONTEXT, signing.seal_value(device_id, values))


class OpStatus(StrEnum):
    APPLIED = "applied"
    CONFLICT = "conflict"
    REJECTED = "rejected"


class OpResult(_Model):
    """What the central did with one op. The same op sent again gets the same result."""

    op_id: str
    status: OpStatus
    # table:id → the version the central gave the row
    versions: dict[str, int] = Field(default_factory=dict)
    # for a conflict: the merge's open conflicts (key, field, base, official, proposed)
    conflicts: list[dict[str, Any]] = Field(default_factory=list)
    code: str | None = None
    message: str | None = None


class PushResponse(_Model):
    results: list[OpResult]


class PullRequest(_Model):
    # org_id → the last seq this client has applied (0 for nothing yet)
    cursors: dict[str, int] = Field(default_factory=dict)
    limit: int = Field(default=1000, ge=1, le=MAX_PULL_LIMIT)
    max_bytes: int = Field(default=1_000_000, ge=1024, le=20_000_000)


class Change(_Model):
    """The full new state of one row (or its tombstone)."""

    table: str
    id: str
    org_id: str
    version: int
    seq: int
    deleted: bool = False
    data: dict[str, Any] | None = None


class PullResponse(_Model):
    changes: list[Change]
    cursors: dict[str, int]
    more: bool


class LoginRequest(_Model):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class UserInfo(_Model):
    id: str
    org_id: str
    username: str
    display_name: str
    role: str
    scope_org_ids: list[str]


class LoginResponse(_Model):
    token: str
    expires_at: dt.datetime
    user: UserInfo
    # A one-time password (an admin's reset): the session may only change it
    # (POST /v1/password); every other call answers ``password_change_required``.
    # Sent only when true, so a program older than the flag still reads the answer.
    must_change_password: bool = False


class DeviceRegistrationRequest(_Model):
    """An org admin registers a PC: their own credentials prove the right to do it."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    org_id: str = Field(max_length=36)  # the organization's id, or its 7-digit DLA code
    name: str = Field(min_length=1, max_length=120)


class DeviceRegistration(_Model):
    device_id: str
    org_id: str
    # Shown once; the central keeps only its hash. The desktop keeps it in the OS keyring.
    credential: str
    # The central's public bundle keys (hex; sync.protocol.bundle), kept with the credential.
    central_signing_key: str | None = None
    central_encryption_key: str | None = None


HexKey = Annotated[str, StringConstraints(pattern="^[0-9a-f]{64}$")]


class DeviceKeysRequest(_Model):
    """A PC's public bundle keys, registered once per device credential."""

    signing_key: HexKey = Field(description="Ed25519 public key: checks the PC's bundles")
    encryption_key: HexKey = Field(description="X25519 public key: receipts are encrypted to it")


class CentralKeys(_Model):
    """The central's public bundle keys."""

    signing_key: HexKey = Field(description="Ed25519 public key: checks the central's receipts")
    encryption_key: HexKey = Field(description="X25519 public key: outbox bundles go to it")


# --- accounts (issue 13) ----------------------------------------------------------------


class PasswordChangeRequest(_Model):
    """A logged-in user changes their own password (a one-time one included)."""

    old_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


class PasswordReset(_Model):
    """An org admin reset a user's password: the one-time password, shown once, which the
    user must change at their next login."""

    user_id: str
    one_time_password: str


class SessionsEnded(_Model):
    user_id: str
    ended: int  # how many live sessions were ended


class SecurityEvent(_Model):
    """Something an org admin should know: ``login.blocked``, ``registration.blocked``,
    ``password.blocked`` (an account refused for a while after repeated failures),
    ``address.blocked``, ``password.changed``, ``password.reset``, ``account.disabled``,
    ``account.enabled``, ``sessions.ended``."""

    id: str
    org_id: str | None
    at: dt.datetime
    kind: str
    user_id: str | None = None
    username: str | None = None
    address: str | None = None
    detail: dict[str, Any] = Field(default_factory=dict)


class SecurityEventList(_Model):
    events: list[SecurityEvent]


class VersionInfo(_Model):
    service: Literal["localhr-central"] = "localhr-central"
    version: str
    protocol: int = PROTOCOL_VERSION


class ErrorCode(StrEnum):
    PROTOCOL_MISMATCH = "protocol_mismatch"
    UNAUTHENTICATED = "unauthenticated"
    TOKEN_EXPIRED = "token_expired"
    TOKEN_REVOKED = "token_revoked"
    DEVICE_UNKNOWN = "device_unknown"
    DEVICE_REVOKED = "device_revoked"
    FORBIDDEN = "forbidden"
    BAD_REQUEST = "bad_request"
    BODY_TOO_LARGE = "body_too_large"
    UNSUPPORTED_ENCODING = "unsupported_encoding"
    NOT_FOUND = "not_found"
    BAD_BUNDLE = "bad_bundle"  # a USB bundle that is not one, was changed, or cannot be taken
    # accounts (issue 13)
    TOO_MANY_ATTEMPTS = "too_many_attempts"  # 429 with Retry-After: wait, then try again
    PASSWORD_CHANGE_REQUIRED = "password_change_required"  # a one-time password: change it
    WRONG_PASSWORD = "wrong_password"  # the current password given to change it is wrong
    WEAK_PASSWORD = "weak_password"  # a new password that is too short, or the old one
    USERNAME_TAKEN = "username_taken"  # an org admin's new account: the name is in use (409)
    INTERNAL = "internal"


class ErrorBody(_Model):
    code: str
    message: str
    detail: Any = None
