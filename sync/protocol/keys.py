"""Protocol v1: users' public signing keys (DESIGN.md §5, proven authors).

A user registers the public half of the Ed25519 key pair their PC made for them
(:mod:`app.domain.signing`) over their own session: the central binds it to the caller and
the caller's PC, never to a user or PC the request names. Keys are listed and revoked by
their owner, or by an org admin whose scope covers the owner's organization.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["KeyRegistration", "UserKey", "UserKeys"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KeyRegistration(_Model):
    """The raw 32-byte Ed25519 public key, in hex or base64 (standard or URL-safe)."""

    public_key: str = Field(min_length=43, max_length=64)


class UserKey(_Model):
    key_id: str = Field(description="app.domain.signing.key_id of the public key")
    user_id: str
    device_id: str
    public_key: str = Field(description="hex of the raw 32 bytes")
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None


class UserKeys(_Model):
    keys: list[UserKey]
