"""The USB bundle (DESIGN.md §4 "Beyond the network"): an office with no link at all carries
its outbox to the central in a file, and the central's answer comes back the same way.

Both ends share this module; it works on bytes only. A bundle file is::

    LOCALHR-BUNDLE\\n                                       the magic line
    {"device_id":"…","format":2,"kind":"outbox"}\\n          the header line (JSON, ASCII)
    <64 hex digits>\\n                                      HMAC-SHA256 signature
    <12-byte nonce><AES-256-GCM ciphertext and tag>         the body: JSON, compressed, encrypted

The records are personal data (PDPA): a USB stick gets lost, so the body is encrypted with
AES-256-GCM (the magic and header as associated data) under ``E = HMAC-SHA256(key=K,
msg="localhr bundle encryption v2")``, and whoever finds the stick reads the PC's id and the
kind of bundle, nothing else. The signature covers everything but its own line: the magic,
the header (so its ``kind`` and ``device_id`` cannot be changed either) and the body, byte for
byte. The key is the PC's **bundle key** ``K = HMAC-SHA256(key=device credential, msg="localhr
bundle v1")``: the PC derives it from the credential in its keyring, the central computed it
when it issued the credential (it keeps only K, never the credential). The signature is
checked with :func:`hmac.compare_digest` before anything is decrypted, decompressed or parsed,
and decompression is bounded, so a file from anyone without K costs a hash and nothing more.

An **outbox** bundle carries the PC's unanswered ops in outbox order and its pull cursors;
the **receipt** answers one: the per-op results, and every change the central has for the
PC since those cursors, with the new cursors. The central signs the receipt with the same
K, so the PC knows it is the central's answer to its own bundle.

Format 1 (the first release's: the same file with the body signed but not encrypted) is
still read, so a bundle made before an upgrade can still travel; only format 2 is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pydantic
import zstandard
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel, ConfigDict, Field

from sync.protocol.v1 import Change, Op, OpResult

__all__ = [
    "EXTENSION",
    "FORMAT",
    "MAGIC",
    "MAX_RECEIPT_CHANGES",
    "BundleError",
    "BundleKind",
    "OutboxBundle",
    "ReceiptBundle",
    "Sealed",
    "bundle_key",
    "load",
    "read",
    "receipt_path",
    "seal",
]

MAGIC = b"LOCALHR-BUNDLE\n"
FORMAT = 2  # written; READABLE are read
READABLE = (1, 2)
PLAIN_FORMAT = 1  # signed, not encrypted
EXTENSION = ".lhrb"
KEY_CONTEXT = b"localhr bundle v1"
ENCRYPTION_CONTEXT = b"localhr bundle encryption v2"
NONCE_BYTES = 12
SIGNATURE_HEX = 64
MAX_HEADER_BYTES = 1024
MAX_RECEIPT_CHANGES = 100_000  # the rest comes with the next trip (ReceiptBundle.more)
# Decompressed. A full receipt is about 60 MB: 64,000 rows (10,000 people with their
# history) made 37 MB of JSON.
MAX_BODY_BYTES = 512 * 1024 * 1024
# Measured on the first-sync receipt of a 10,000-person office (64,000 rows, 37 MB of JSON):
# level 3 3.2 MB in 0.1 s, level 9 2.9 MB in 0.4 s, level 19 2.3 MB in 34 s.
ZSTD_LEVEL = 9
ZSTD_MAX_WINDOW = 1 << 27


class BundleKind(StrEnum):
    OUTBOX = "outbox"
    RECEIPT = "receipt"


class BundleError(Exception):
    """A file that is not a usable bundle: ``code`` for programs, ``message`` (English) for
    people. Codes: ``not_a_bundle``, ``unsupported_format``, ``tampered``, ``corrupt``,
    ``too_large``, ``wrong_kind``, ``other_device``."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OutboxBundle(_Model):
    """What an offline PC sends: its unanswered ops, in the order they were made."""

    bundle_id: str = Field(max_length=36)
    device_id: str = Field(max_length=36)
    org_id: str = Field(max_length=36)
    created_at: dt.datetime
    ops: list[Op]
    cursors: dict[str, int] = Field(default_factory=dict)


class ReceiptBundle(_Model):
    """The central's answer to one outbox bundle."""

    bundle_id: str = Field(max_length=36)
    answers: str = Field(max_length=36, description="the bundle_id of the outbox bundle")
    device_id: str = Field(max_length=36)
    org_id: str = Field(max_length=36)
    created_at: dt.datetime
    results: list[OpResult]
    changes: list[Change] = Field(default_factory=list)
    cursors: dict[str, int] = Field(default_factory=dict)
    more: bool = Field(
        default=False,
        description="more changes wait at the central: the next bundle, made from the "
        "cursors this receipt leaves, brings them",
    )


MODELS: dict[BundleKind, type[OutboxBundle] | type[ReceiptBundle]] = {
    BundleKind.OUTBOX: OutboxBundle,
    BundleKind.RECEIPT: ReceiptBundle,
}


@dataclass(frozen=True)
class Sealed:
    """A bundle file split into its parts, not checked yet (:func:`read`)."""

    kind: BundleKind
    device_id: str
    signature: str
    signed: bytes  # magic + header line + body: what the signature covers
    body: bytes  # the compressed body: encrypted, but in format 1
    format: int = FORMAT
    head: bytes = b""  # magic + header line: the encryption's associated data

    def verify(self, key: bytes) -> None:
        """Raise ``tampered`` unless the signature is ``key``'s over the signed bytes."""
        expected = hmac.new(key, self.signed, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, self.signature):
            raise BundleError(
                "tampered",
                "the file was changed after it was made, or it was not made by the PC it "
                "names: it is refused",
            )

    def inflate(self, key: bytes, max_bytes: int = MAX_BODY_BYTES) -> bytes:
        """The body decrypted and decompressed (at most ``max_bytes``). Call after
        :meth:`verify`."""
        frame = self.body if self.format == PLAIN_FORMAT else self._decrypt(key)
        try:
            size = zstandard.frame_content_size(frame)
            if size < 0:
                raise zstandard.ZstdError("the body does not say its size")
            if size > max_bytes:
                raise BundleError(
                    "too_large", f"the bundle holds more than {max_bytes} bytes of data"
                )
            dctx = zstandard.ZstdDecompressor(max_window_size=ZSTD_MAX_WINDOW)
            return dctx.decompress(frame, max_output_size=max_bytes)
        except zstandard.ZstdError as exc:
            raise BundleError("corrupt", f"the bundle's data cannot be read ({exc})") from None

    def _decrypt(self, key: bytes) -> bytes:
        nonce, ciphertext = self.body[:NONCE_BYTES], self.body[NONCE_BYTES:]
        try:
            return _cipher(key).decrypt(nonce, ciphertext, self.head)
        except (InvalidTag, ValueError):
            raise BundleError(
                "tampered", "the bundle's data does not open with this PC's key: it is refused"
            ) from None


def _cipher(key: bytes) -> AESGCM:
    return AESGCM(hmac.new(key, ENCRYPTION_CONTEXT, hashlib.sha256).digest())


def bundle_key(secret: str) -> bytes:
    """A PC's bundle key, from its device credential."""
    return hmac.new(secret.encode(), KEY_CONTEXT, hashlib.sha256).digest()


def receipt_path(bundle: Path) -> Path:
    """Where the receipt of ``bundle`` goes by default: beside it, ``NAME.receipt.lhrb``."""
    name = bundle.name.removesuffix(EXTENSION)
    return bundle.with_name(f"{name}.receipt{EXTENSION}")


def _kind_of(bundle: OutboxBundle | ReceiptBundle) -> BundleKind:
    return BundleKind.RECEIPT if isinstance(bundle, ReceiptBundle) else BundleKind.OUTBOX


def seal(bundle: OutboxBundle | ReceiptBundle, key: bytes, level: int = ZSTD_LEVEL) -> bytes:
    """The bundle as a signed file."""
    header = {"device_id": bundle.device_id, "format": FORMAT, "kind": str(_kind_of(bundle))}
    line = json.dumps(header, sort_keys=True, separators=(",", ":")).encode() + b"\n"
    raw = bundle.model_dump_json().encode()
    frame = zstandard.ZstdCompressor(level=level, write_content_size=True).compress(raw)
    nonce = os.urandom(NONCE_BYTES)  # a fresh one for every file: never twice under one key
    body = nonce + _cipher(key).encrypt(nonce, frame, MAGIC + line)
    signed = MAGIC + line + body
    signature = hmac.new(key, signed, hashlib.sha256).hexdigest().encode()
    return MAGIC + line + signature + b"\n" + body


def read(data: bytes) -> Sealed:
    """Split a bundle file into its parts (no key needed: nothing here is trusted yet)."""
    if not data.startswith(MAGIC):
        raise BundleError("not_a_bundle", "this file is not a LocalHR Desk bundle")
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER_BYTES)
    if end < 0:
        raise BundleError("corrupt", "the bundle's header is cut or damaged")
    line = data[len(MAGIC) : end + 1]
    try:
        header = json.loads(line)
    except ValueError:
        header = None
    if not isinstance(header, dict):
        raise BundleError("corrupt", "the bundle's header is damaged")
    if header.get("format") not in READABLE:
        raise BundleError(
            "unsupported_format",
            f"the bundle is in format {header.get('format')!r}; this program reads formats "
            f"{', '.join(map(str, READABLE))}: update LocalHR Desk",
        )
    kind, device_id = header.get("kind"), header.get("device_id")
    if kind not in set(BundleKind) or not isinstance(device_id, str) or len(device_id) > 36:
        raise BundleError("corrupt", "the bundle's header is damaged")
    start = end + 1
    signature = data[start : start + SIGNATURE_HEX]
    if data[start + SIGNATURE_HEX : start + SIGNATURE_HEX + 1] != b"\n" or not _is_hex(signature):
        raise BundleError("corrupt", "the bundle's signature is cut or damaged")
    body = data[start + SIGNATURE_HEX + 1 :]
    return Sealed(
        BundleKind(kind), device_id, signature.decode(), data[:start] + body, body,
        format=header["format"], head=data[:start],
    )  # fmt: skip


def _is_hex(value: bytes) -> bool:
    return len(value) == SIGNATURE_HEX and all(c in b"0123456789abcdef" for c in value)


def load(
    sealed: Sealed,
    key: bytes,
    max_bytes: int = MAX_BODY_BYTES,
    check: Callable[[bytes], None] | None = None,
) -> OutboxBundle | ReceiptBundle:
    """The checked bundle: signature first, then the bounded body (``check`` sees its JSON
    next, and may refuse it), then its fields, which must agree with the header."""
    sealed.verify(key)
    raw = sealed.inflate(key, max_bytes)
    if check is not None:
        check(raw)
    try:
        bundle = MODELS[sealed.kind].model_validate_json(raw)
    except pydantic.ValidationError as exc:
        raise BundleError(
            "corrupt", f"the bundle's content is not valid ({exc.error_count()} problems)"
        ) from None
    if bundle.device_id != sealed.device_id:
        raise BundleError("corrupt", "the bundle's content names another PC than its header")
    return bundle
