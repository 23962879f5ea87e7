"""Proven authors (DESIGN.md §5): Ed25519 keys, a canonical encoding, signatures.

Every op names its author and is signed with a key of that author's; the central checks
the signature against the public keys the author registered, so a PC's credential alone
cannot act for anyone. Both ends use this module: the desktop to make, lock and use keys,
the central to check signatures. It holds no state and imports nothing of the project.

- :func:`canonical` is the one byte encoding of a JSON value that is signed: keys sorted,
  no spaces, UTF-8, no NaN or infinity. Signer and checker encode the same *parsed* value,
  so formatting on the wire never matters.
- :func:`sign` / :func:`verify` work on a ``context`` (what kind of thing is signed, so a
  signature over one kind can never be replayed as another) and a value. A signature is
  written ``<key id>.<base64url signature>``; the key id (:func:`key_id`) names the public
  key that checks it.
- A **push seal** (:func:`seal_value`, :data:`SEAL_CONTEXT`) is one signature over all the
  ops one author sends in one push: made by the PC at push time while its author is logged in,
  it stands for those ops' own signatures at the central, which then checks one signature
  per batch instead of one per op (each op is still signed when it is made, for the pushes
  made after its author has left and for bundles).
- A private key is kept on the PC only locked under its user's password
  (:func:`lock_private_key`, scrypt then AES-256-GCM) and unlocked at login.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = [
    "KeyPair",
    "canonical",
    "key_id",
    "lock_private_key",
    "new_key_pair",
    "op_value",
    "parse_public_key",
    "seal_value",
    "sign",
    "signature_key_id",
    "unlock_private_key",
    "verify",
]

KEY_BYTES = 32
KEY_ID_HEX = 16
MAX_SIGNATURE_CHARS = KEY_ID_HEX + 1 + 86  # key id, dot, 64 bytes in unpadded base64url
_LOCK_SCHEME = "ed25519-scrypt-aesgcm"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
OP_CONTEXT = "localhr op v1"
SEAL_CONTEXT = "localhr push seal v1"


def canonical(value: Any) -> bytes:
    """The one encoding of a JSON value that is signed and checked."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _message(context: str, value: Any) -> bytes:
    return context.encode("ascii") + b"\n" + canonical(value)


def key_id(public_key: bytes) -> str:
    """A short name of a public key: the start of its SHA-256, in hex."""
    return hashlib.sha256(public_key).hexdigest()[:KEY_ID_HEX]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class KeyPair:
    """An Ed25519 key pair as raw bytes; ``private`` never leaves the PC unlocked."""

    public: bytes
    private: bytes = field(repr=False)

    @property
    def id(self) -> str:
        return key_id(self.public)

    @staticmethod
    def public_of(private_key: bytes) -> bytes:
        """The public key of a raw private key."""
        key = Ed25519PrivateKey.from_private_bytes(private_key)
        return key.public_key().public_bytes_raw()


def parse_public_key(text: str) -> bytes | None:
    """The raw 32 bytes of a public key written in hex or base64 (standard or URL-safe,
    padded or not), or None when ``text`` is not one."""
    text = text.strip() if isinstance(text, str) else ""
    raw: bytes | None = None
    if len(text) == 2 * KEY_BYTES and all(c in "0123456789abcdefABCDEF" for c in text):
        raw = bytes.fromhex(text)
    elif len(text) in (43, 44) and text.isascii():
        try:
            raw = _unb64(text.rstrip("=").replace("+", "-").replace("/", "_"))
        except ValueError:
            return None
    if raw is None or len(raw) != KEY_BYTES:
        return None
    try:
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        return None
    return raw


def new_key_pair() -> KeyPair:
    key = Ed25519PrivateKey.generate()
    return KeyPair(public=key.public_key().public_bytes_raw(), private=key.private_bytes_raw())


def sign(private_key: bytes, context: str, value: Any) -> str:
    """``<key id>.<signature>`` of ``value`` signed for ``context``."""
    key = Ed25519PrivateKey.from_private_bytes(private_key)
    public = key.public_key().public_bytes_raw()
    return f"{key_id(public)}.{_b64(key.sign(_message(context, value)))}"


def signature_key_id(signature: str | None) -> str | None:
    """The key id a signature names, or None when it is not one of ours."""
    if not isinstance(signature, str) or len(signature) > MAX_SIGNATURE_CHARS:
        return None
    kid, dot, _ = signature.partition(".")
    if not dot or len(kid) != KEY_ID_HEX or any(c not in "0123456789abcdef" for c in kid):
        return None
    return kid


@functools.lru_cache(maxsize=4096)
def _loaded(public_key: bytes) -> tuple[str, Ed25519PublicKey]:
    """A public key's id and OpenSSL object, made once (the central checks many ops of one
    key in a row)."""
    return key_id(public_key), Ed25519PublicKey.from_public_bytes(public_key)


def verify(public_key: bytes, context: str, value: Any, signature: str | None) -> bool:
    """Whether ``signature`` is ``public_key``'s over ``value`` for ``context``. Never
    raises on what a client sent: a malformed signature or key is simply not valid."""
    try:
        kid, key = _loaded(bytes(public_key))
    except (ValueError, TypeError):
        return False
    if signature_key_id(signature) != kid:
        return False
    assert signature is not None
    try:
        raw = _unb64(signature.partition(".")[2])
        key.verify(raw, _message(context, value))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def op_value(
    *,
    op_id: str,
    kind: str,
    entity_id: str,
    org_id: str,
    author: str,
    device_id: str,
    created_at: dt.datetime,
    payload: Mapping[str, Any],
) -> dict[str, Any]:
    """What an op's signature covers (with :data:`OP_CONTEXT`): every field of the op but
    the signature, its time as ISO 8601 in UTC. The desktop signs it from its outbox row,
    the central checks it from the op it parsed: the same value at both ends."""
    if created_at.tzinfo is None:
        raise ValueError("an op's time must say its time zone")
    return {
        "op_id": op_id,
        "kind": kind,
        "entity_id": entity_id,
        "org_id": org_id,
        "author": author,
        "device_id": device_id,
        "created_at": created_at.astimezone(dt.UTC).isoformat(),
        "payload": dict(payload),
    }


def seal_value(device_id: str, op_values: Iterable[Any]) -> dict[str, Any]:
    """What a push seal covers (with :data:`SEAL_CONTEXT`): the PC and, in order, every op
    (its :func:`op_value`) its author sends in one push, as a count and a SHA-256 over each
    op's own SHA-256. An op left out, added, changed or moved gives another value."""
    digest = hashlib.sha256()
    count = 0
    for value in op_values:
        digest.update(hashlib.sha256(canonical(value)).digest())
        count += 1
    return {"device_id": device_id, "ops": count, "digest": digest.hexdigest()}


# --- keys at rest ----------------------------------------------------------------------------


def _lock_key(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32)


def lock_private_key(private_key: bytes, password: str, *, n: int = SCRYPT_N) -> str:
    """The private key encrypted under ``password``, as text to keep on the PC."""
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    key = _lock_key(password, salt, n, SCRYPT_R, SCRYPT_P)
    sealed = AESGCM(key).encrypt(nonce, private_key, _LOCK_SCHEME.encode())
    return "$".join(
        (_LOCK_SCHEME, str(n), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(nonce), _b64(sealed))
    )


def unlock_private_key(locked: str, password: str) -> bytes | None:
    """The private key :func:`lock_private_key` locked, or None for a wrong password or a
    damaged text."""
    try:
        scheme, n, r, p, salt, nonce, sealed = locked.split("$")
        if scheme != _LOCK_SCHEME:
            return None
        key = _lock_key(password, _unb64(salt), int(n), int(r), int(p))
        private = AESGCM(key).decrypt(_unb64(nonce), _unb64(sealed), scheme.encode())
    except (ValueError, InvalidTag, TypeError):
        return None
    return private if len(private) == KEY_BYTES else None
