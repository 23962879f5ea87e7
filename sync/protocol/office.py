"""The org admin's accounts and PCs over the wire (issue 14): what ``/v1/users`` and
``/v1/devices`` answer and take, and the status header a desktop sends when it syncs.

The status header (:data:`CLIENT_STATUS_HEADER`) says which program version a PC runs and
how many of its ops wait to be sent, for the org admin's list of PCs. The central keeps the
last values it saw and trusts them for nothing but display; a malformed value is ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "ACCOUNT_ROLES",
    "CLIENT_STATUS_HEADER",
    "MAX_OPS_WAITING",
    "Account",
    "AccountList",
    "ClientStatus",
    "DeviceInfo",
    "DeviceList",
    "DeviceRename",
    "NewAccount",
    "NewAccountRequest",
]

CLIENT_STATUS_HEADER = "X-LocalHR-Client-Status"
MAX_OPS_WAITING = 10_000_000  # more than any PC holds: a larger claim is not believed
MAX_VERSION = 32
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+-]{0,31}")
_STATUS_LENGTH = 128  # a longer header is not read at all

ACCOUNT_ROLES = ("clerk", "supervisor", "org_admin", "auditor")
OrgId = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z-]{1,36}$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClientStatus(BaseModel):
    """What a PC says about itself when it syncs: ``version=0.14.0; ops=12``."""

    version: str | None = None
    ops_waiting: int | None = None

    def header(self) -> str:
        parts = []
        if self.version is not None:
            parts.append(f"version={self.version}")
        if self.ops_waiting is not None:
            parts.append(f"ops={self.ops_waiting}")
        return "; ".join(parts)

    @classmethod
    def parse(cls, value: str | None) -> ClientStatus:
        """The header read leniently: each part kept only when well formed and bounded."""
        version: str | None = None
        ops: int | None = None
        if not value or len(value) > _STATUS_LENGTH:
            return cls()
        for part in value.split(";"):
            key, _, raw = part.strip().partition("=")
            raw = raw.strip()
            if key == "version" and _VERSION.fullmatch(raw):
                version = raw
            elif key == "ops" and raw.isascii() and raw.isdigit() and len(raw) <= 8:
                number = int(raw)
                ops = number if number <= MAX_OPS_WAITING else None
        return cls(version=version, ops_waiting=ops)


class Account(_Model):
    """A user account as the org admin sees it (never a verifier)."""

    id: str
    org_id: str
    username: str
    display_name: str
    role: str
    scope_org_ids: list[str] = Field(default_factory=list)
    active: bool
    last_login_at: dt.datetime | None = None
    password_change_required: bool = False


class AccountList(_Model):
    users: list[Account]


class NewAccountRequest(_Model):
    """An org admin adds a user to their organization; ``scope_org_ids``: further
    organizations (a provincial officer's), each within the admin's own scope."""

    username: str = Field(min_length=1, max_length=64)
    display_name: str = Field(min_length=1, max_length=200)
    role: Literal["clerk", "supervisor", "org_admin", "auditor"]
    scope_org_ids: list[OrgId] = Field(default_factory=list, max_length=200)


class NewAccount(_Model):
    """The account made, and its one-time password: shown once, changed at first login."""

    user: Account
    one_time_password: str


class DeviceInfo(_Model):
    """A registered PC of the office, with what the central saw at its last sync."""

    id: str
    org_id: str
    name: str
    registered_at: dt.datetime
    last_sync_at: dt.datetime | None = None
    program_version: str | None = None
    ops_waiting: int | None = None
    revoked_at: dt.datetime | None = None


class DeviceList(_Model):
    devices: list[DeviceInfo]


class DeviceRename(_Model):
    name: str = Field(min_length=1, max_length=120)
