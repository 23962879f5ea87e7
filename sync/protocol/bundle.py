"""The USB bundle (DESIGN.md §4 "Beyond the network", §5): an office with no link at all
carries its outbox to the central in a file, and the central's answer comes back the same way.

Both ends share this module; it works on bytes only. A bundle file (format 3) is::

    LOCALHR-BUNDLE\\n                                                     the magic line
    {"device_id":"…","epk":"<64 hex>","format":3,"kind":"outbox"}\\n      the header (JSON, ASCII)
    <128 hex digits>\\n                                                   Ed25519 signature
    <12-byte nonce><AES-256-GCM ciphertext and tag>                       the body

**Nobody's secret is shared.** Each PC has its own Ed25519 signing key pair and X25519
encryption key pair, made on the PC and kept in its keyring; the central has its own pair of
each, kept in a key file outside its database (sync.central.central_key). Each side knows
only the other's public keys. An outbox bundle is signed with the PC's signing key and
encrypted to the central's encryption key; a receipt is signed by the central and encrypted
to the PC. Encryption: a fresh ephemeral X25519 key (``epk`` in the header) agrees a secret
with the recipient's key, HKDF-SHA256 makes the AES-256-GCM key of this one file, and the
magic and header are its associated data. The signature covers everything but its own line,
and is checked before anything is decrypted, decompressed or parsed. So reading the central's
database (public keys only) lets no one make or open a PC's bundle, and whoever finds a stick
reads the PC's id and the kind of bundle, nothing else (PDPA).

**The body** (zstd; decompression is bounded and streamed, so its size costs no memory):

- an *outbox* is JSON lines: first the :class:`OutboxHead` (who exported it, the PC's pull
  cursors, how many ops follow and the SHA-256 of their lines, and the signature over all
  that of the exporter and of every other user whose ops it carries, each with their own
  user key, app.domain.signing), then one op per line in outbox order. The central reads
  the head, checks the signers, hashes the op lines, and only then parses the ops, a batch
  at a time: a bundle's memory is bounded by
  :data:`MAX_HEAD_BYTES` and a batch, never by the file.
- a *receipt* is one JSON :class:`ReceiptBundle`: the per-op results, and the changes the
  exporter could pull, with the new cursors (the central writes it page by page).

Formats 1 and 2 (the first releases': HMAC-SHA256 under the PC's bundle key ``K``, derived
from its device credential, which the central then kept) are still read from a PC that has
not registered its keys yet, so a stick made before the upgrade still travels
(:func:`legacy_key`, :meth:`Sealed.open_legacy`). The desktop writes only format 3; the
central answers an old stick with a format 2 receipt (:func:`seal_legacy`: results only, no
one's data), the one file the PC's old program can read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypedDict, TypeVar

import pydantic
import zstandard
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sync.protocol.v1 import Change, Op, OpResult

__all__ = [
    "EXPORT_CONTEXT",
    "EXTENSION",
    "FORMAT",
    "MAGIC",
    "MAX_BUNDLE_OPS",
    "MAX_CURSORS",
    "MAX_RECEIPT_CHANGES",
    "BundleError",
    "BundleKeys",
    "BundleKind",
    "OutboxBundle",
    "OutboxHead",
    "PublicKeys",
    "ReceiptBundle",
    "Sealed",
    "legacy_key",
    "read",
    "receipt_path",
    "seal",
]

MAGIC = b"LOCALHR-BUNDLE\n"
FORMAT = 3  # the only one written
LEGACY = (1, 2)  # HMAC under the PC's bundle key K; read from PCs not upgraded yet
READABLE = (*LEGACY, FORMAT)
PLAIN_FORMAT = 1  # signed, not encrypted
EXTENSION = ".lhrb"
KEY_CONTEXT = b"localhr bundle v1"  # K = HMAC(credential, this): formats 1 and 2
ENCRYPTION_CONTEXT = b"localhr bundle encryption v2"
HKDF_INFO = b"localhr bundle v3\n"
EXPORT_CONTEXT = "localhr bundle v3"  # what the exporter's user signature is made for
NONCE_BYTES = 12
LEGACY_SIGNATURE_HEX = 64
SIGNATURE_HEX = 128  # Ed25519
MAX_HEADER_BYTES = 1024
MAX_RECEIPT_CHANGES = 100_000  # the rest comes with the next trip (ReceiptBundle.more)
MAX_BUNDLE_OPS = 20_000  # an outbox carries at most these; the rest go on the next trip
MAX_CURSORS = 10_000  # more organizations than any scope holds
MAX_HEAD_BYTES = 1024 * 1024  # the outbox head line: 10,000 cursors take about 600 KB
MAX_OP_BYTES = 256 * 1024  # one op's line: a person with dozens of history rows is ~20 KB
# JSON objects, arrays and strings in one op line (each costs 50-200 bytes parsed for 2-5 of
# JSON): this bounds what parsing an op can take; a real op holds a few hundred at most.
MAX_OP_VALUES = 20_000


def json_values(line: bytes) -> int:
    """About how many objects, arrays and strings a JSON text holds, without parsing it
    (every escaped quote counts half a string too: an overestimate, never an under)."""
    return line.count(b"{") + line.count(b"[") + line.count(b'"') // 2


MAX_OUTBOX_BYTES = 64 * 1024 * 1024  # decompressed; streamed, never held whole
# A receipt is held whole by the PC it is for (the central's signature checked first).
# A full one is about 60 MB: 64,000 rows (10,000 people with their history) made 37 MB of JSON.
MAX_RECEIPT_BYTES = 512 * 1024 * 1024
MAX_LEGACY_BYTES = 16 * 1024 * 1024  # a format 1/2 outbox: parsed whole, so kept small
# Measured on the first-sync receipt of a 10,000-person office (64,000 rows, 37 MB of JSON):
# level 3 3.2 MB in 0.1 s, level 9 2.9 MB in 0.4 s, level 19 2.3 MB in 34 s.
ZSTD_LEVEL = 9
ZSTD_MAX_WINDOW = 1 << 27
READ_CHUNK = 1 << 16


class BundleKind(StrEnum):
    OUTBOX = "outbox"
    RECEIPT = "receipt"


class BundleError(Exception):
    """A file that is not a usable bundle: ``code`` for programs, ``message`` (English) for
    people. Codes: ``not_a_bundle``, ``unsupported_format``, ``tampered``, ``corrupt``,
    ``too_large``, ``wrong_kind``, ``other_device``, ``no_keys``."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# --- keys -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicKeys:
    """One party's public keys (raw 32 bytes each): what the other side keeps of it."""

    signing: bytes  # Ed25519
    encryption: bytes  # X25519

    @classmethod
    def from_hex(cls, signing: str, encryption: str) -> PublicKeys:
        keys = cls(bytes.fromhex(signing), bytes.fromhex(encryption))
        if len(keys.signing) != 32 or len(keys.encryption) != 32:
            raise ValueError("a public key is 32 bytes")
        Ed25519PublicKey.from_public_bytes(keys.signing)  # raises on a malformed key
        X25519PublicKey.from_public_bytes(keys.encryption)
        return keys

    def hex(self) -> tuple[str, str]:
        return self.signing.hex(), self.encryption.hex()


@dataclass(frozen=True)
class BundleKeys:
    """One party's private keys (raw 32 bytes each): a PC's, or the central's."""

    signing: bytes = field(repr=False)  # Ed25519
    encryption: bytes = field(repr=False)  # X25519

    @classmethod
    def new(cls) -> BundleKeys:
        return cls(
            Ed25519PrivateKey.generate().private_bytes_raw(),
            X25519PrivateKey.generate().private_bytes_raw(),
        )

    @property
    def public(self) -> PublicKeys:
        return PublicKeys(
            Ed25519PrivateKey.from_private_bytes(self.signing).public_key().public_bytes_raw(),
            X25519PrivateKey.from_private_bytes(self.encryption).public_key().public_bytes_raw(),
        )


def legacy_key(secret: str) -> bytes:
    """A PC's bundle key K of formats 1 and 2, from its device credential."""
    return hmac.new(secret.encode(), KEY_CONTEXT, hashlib.sha256).digest()


def _file_key(shared: bytes, epk: bytes, recipient: bytes) -> AESGCM:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO + epk + recipient)
    return AESGCM(hkdf.derive(shared))


# --- the body's models ------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Id = Annotated[str, StringConstraints(max_length=36)]
Cursors = Annotated[dict[Id, int], Field(max_length=MAX_CURSORS)]


MAX_SIGNERS = 16


class OutboxHead(_Model):
    """The first line of an outbox body: who signed it, the cursors, and what follows."""

    bundle_id: Id
    device_id: Id
    org_id: Id
    created_at: dt.datetime
    exported_by: Id = Field(description="the user who exported it: the receipt is theirs")
    cursors: Cursors = Field(default_factory=dict)
    ops: int = Field(ge=0, le=MAX_BUNDLE_OPS, description="how many op lines follow")
    ops_sha256: str = Field(pattern="^[0-9a-f]{64}$", description="SHA-256 of the op lines")
    signatures: Annotated[dict[Id, Annotated[str, StringConstraints(max_length=128)]], Field(
        min_length=1, max_length=MAX_SIGNERS,
        description="user id → that user's signature (app.domain.signing) of the rest of "
        "the head: the exporter's, and those of the other users whose ops it carries",
    )]  # fmt: skip

    def signed_value(self) -> dict[str, Any]:
        """What each signer's signature covers (with :data:`EXPORT_CONTEXT`)."""
        return signed_value(self.model_dump(exclude={"signatures"}))


class _HeadFields(TypedDict):
    """An :class:`OutboxHead`'s fields but its signatures: what the signatures cover."""

    bundle_id: str
    device_id: str
    org_id: str
    created_at: dt.datetime
    exported_by: str
    cursors: dict[str, int]
    ops: int
    ops_sha256: str


def signed_value(head: Mapping[str, Any]) -> dict[str, Any]:
    created = head["created_at"]
    if created.tzinfo is None:
        raise ValueError("a bundle's time must say its time zone")
    return {**head, "created_at": created.astimezone(dt.UTC).isoformat()}


class OutboxBundle(_Model):
    """An outbox of formats 1 and 2 (one JSON document, no exporter)."""

    bundle_id: Id
    device_id: Id
    org_id: Id
    created_at: dt.datetime
    ops: list[Op] = Field(max_length=MAX_BUNDLE_OPS)
    cursors: Cursors = Field(default_factory=dict)


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


def outbox_lines(
    *,
    bundle_id: str,
    device_id: str,
    org_id: str,
    created_at: dt.datetime,
    exported_by: str,
    cursors: dict[str, int],
    ops: list[Op],
    signers: dict[str, Callable[[dict[str, Any]], str]],
) -> list[bytes]:
    """An outbox body's lines: the head, signed by each of ``signers`` (user id → a
    function making that user's ``signing.sign(key, EXPORT_CONTEXT, value)``; the exporter
    among them), then the ops."""
    lines = [op.model_dump_json().encode() + b"\n" for op in ops]
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line)
    head: _HeadFields = {
        "bundle_id": bundle_id, "device_id": device_id, "org_id": org_id,
        "created_at": created_at, "exported_by": exported_by, "cursors": dict(cursors),
        "ops": len(ops), "ops_sha256": digest.hexdigest(),
    }  # fmt: skip
    value = signed_value(head)
    signed = OutboxHead(**head, signatures={user: sign(value) for user, sign in signers.items()})
    return [signed.model_dump_json().encode() + b"\n", *lines]


# --- the file ---------------------------------------------------------------------------------


def _header_line(kind: BundleKind, device_id: str, fmt: int, **more: str) -> bytes:
    header = {"device_id": device_id, "format": fmt, "kind": str(kind), **more}
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode() + b"\n"


def seal(
    kind: BundleKind,
    device_id: str,
    body: Iterable[bytes],
    signer: BundleKeys,
    recipient: PublicKeys,
    level: int = ZSTD_LEVEL,
) -> bytes:
    """A format 3 file: ``body`` (its pieces, compressed as they come) encrypted to
    ``recipient`` and signed by ``signer``."""
    compressor = zstandard.ZstdCompressor(level=level).compressobj()
    frame = b"".join([*(compressor.compress(piece) for piece in body), compressor.flush()])
    ephemeral = X25519PrivateKey.generate()
    epk = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient.encryption))
    head = MAGIC + _header_line(kind, device_id, FORMAT, epk=epk.hex())
    nonce = os.urandom(NONCE_BYTES)
    sealed = nonce + _file_key(shared, epk, recipient.encryption).encrypt(nonce, frame, head)
    signature = Ed25519PrivateKey.from_private_bytes(signer.signing).sign(head + sealed)
    return head + signature.hex().encode() + b"\n" + sealed


def seal_legacy(bundle: OutboxBundle | ReceiptBundle, key: bytes, level: int = ZSTD_LEVEL) -> bytes:
    """A format 2 file under K: the central's answer to a format 1/2 bundle (a PC not
    upgraded yet reads no other), and tests' old sticks."""
    kind = BundleKind.RECEIPT if isinstance(bundle, ReceiptBundle) else BundleKind.OUTBOX
    line = _header_line(kind, bundle.device_id, 2)
    raw = bundle.model_dump_json().encode()
    frame = zstandard.ZstdCompressor(level=level, write_content_size=True).compress(raw)
    nonce = os.urandom(NONCE_BYTES)
    body = nonce + _legacy_cipher(key).encrypt(nonce, frame, MAGIC + line)
    signature = hmac.new(key, MAGIC + line + body, hashlib.sha256).hexdigest().encode()
    return MAGIC + line + signature + b"\n" + body


def _legacy_cipher(key: bytes) -> AESGCM:
    return AESGCM(hmac.new(key, ENCRYPTION_CONTEXT, hashlib.sha256).digest())


def receipt_path(bundle: Path) -> Path:
    """Where the receipt of ``bundle`` goes by default: beside it, ``NAME.receipt.lhrb``."""
    name = bundle.name.removesuffix(EXTENSION)
    return bundle.with_name(f"{name}.receipt{EXTENSION}")


_TAMPERED = (
    "the file was changed after it was made, or it was not made by the PC it names: it is refused"
)


@dataclass(frozen=True)
class Sealed:
    """A bundle file split into its parts, not checked yet (:func:`read`)."""

    kind: BundleKind
    device_id: str
    signature: str
    head: bytes  # magic + header line: the encryption's associated data
    body: bytes  # nonce + ciphertext (format 1: the compressed body as it is)
    format: int = FORMAT
    epk: bytes = b""  # format 3: the ephemeral public key

    @property
    def legacy(self) -> bool:
        return self.format in LEGACY

    # --- format 3 ---------------------------------------------------------------------------

    def open(self, sender: PublicKeys, recipient: BundleKeys) -> bytes:
        """The compressed body, once the signature is ``sender``'s and it decrypts with
        ``recipient``'s key; ``tampered`` otherwise."""
        if self.legacy:
            raise BundleError("unsupported_format", "an old-format bundle needs the PC's key K")
        try:
            Ed25519PublicKey.from_public_bytes(sender.signing).verify(
                bytes.fromhex(self.signature), self.head + self.body
            )
        except (InvalidSignature, ValueError):
            raise BundleError("tampered", _TAMPERED) from None
        private = X25519PrivateKey.from_private_bytes(recipient.encryption)
        try:
            shared = private.exchange(X25519PublicKey.from_public_bytes(self.epk))
            cipher = _file_key(shared, self.epk, recipient.public.encryption)
            return cipher.decrypt(self.body[:NONCE_BYTES], self.body[NONCE_BYTES:], self.head)
        except (InvalidTag, ValueError):
            raise BundleError(
                "tampered", "the bundle's data does not open with this key: it is refused"
            ) from None

    # --- formats 1 and 2 --------------------------------------------------------------------

    def open_legacy(self, key: bytes) -> bytes:
        """The compressed body of a format 1/2 file, once its HMAC under ``key`` holds."""
        expected = hmac.new(key, self.head + self.body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, self.signature):
            raise BundleError("tampered", _TAMPERED)
        if self.format == PLAIN_FORMAT:
            return self.body
        try:
            return _legacy_cipher(key).decrypt(
                self.body[:NONCE_BYTES], self.body[NONCE_BYTES:], self.head
            )
        except (InvalidTag, ValueError):
            raise BundleError(
                "tampered", "the bundle's data does not open with this PC's key: it is refused"
            ) from None


def read(data: bytes) -> Sealed:
    """Split a bundle file into its parts (no key needed: nothing here is trusted yet)."""
    if not data.startswith(MAGIC):
        raise BundleError("not_a_bundle", "this file is not a LocalHR Desk bundle")
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER_BYTES)
    if end < 0:
        raise BundleError("corrupt", "the bundle's header is cut or damaged")
    try:
        header = json.loads(data[len(MAGIC) : end + 1])
    except ValueError:
        header = None
    if not isinstance(header, dict):
        raise BundleError("corrupt", "the bundle's header is damaged")
    fmt = header.get("format")
    if type(fmt) is not int or fmt not in READABLE:
        raise BundleError(
            "unsupported_format",
            f"the bundle is in format {fmt!r}; this program reads formats "
            f"{', '.join(map(str, READABLE))}: update LocalHR Desk",
        )
    kind, device_id, epk = header.get("kind"), header.get("device_id"), b""
    if kind not in set(BundleKind) or not isinstance(device_id, str) or len(device_id) > 36:
        raise BundleError("corrupt", "the bundle's header is damaged")
    if fmt == FORMAT:
        key = _hex_bytes(header.get("epk"), 64)
        if key is None:
            raise BundleError("corrupt", "the bundle's header is damaged")
        epk = key
    width = SIGNATURE_HEX if fmt == FORMAT else LEGACY_SIGNATURE_HEX
    start = end + 1
    signature = data[start : start + width]
    if data[start + width : start + width + 1] != b"\n" or _hex_bytes(signature, width) is None:
        raise BundleError("corrupt", "the bundle's signature is cut or damaged")
    return Sealed(
        BundleKind(kind), device_id, signature.decode(), data[:start],
        data[start + width + 1 :], format=fmt, epk=epk,
    )  # fmt: skip


def _hex_bytes(value: Any, width: int) -> bytes | None:
    if isinstance(value, str):
        value = value.encode("ascii", "replace")
    if not isinstance(value, bytes) or len(value) != width:
        return None
    if any(c not in b"0123456789abcdef" for c in value):
        return None
    return bytes.fromhex(value.decode())


# --- the body, bounded ------------------------------------------------------------------------


def _reader(frame: bytes) -> Any:
    dctx = zstandard.ZstdDecompressor(max_window_size=ZSTD_MAX_WINDOW)
    return dctx.stream_reader(io.BytesIO(frame), read_across_frames=False)


def inflate(frame: bytes, max_bytes: int) -> bytes:
    """The whole body, decompressed as it streams; ``too_large`` past ``max_bytes``."""
    out = bytearray()
    try:
        with _reader(frame) as reader:
            while chunk := reader.read(READ_CHUNK):
                out += chunk
                if len(out) > max_bytes:
                    raise BundleError(
                        "too_large", f"the bundle holds more than {max_bytes} bytes of data"
                    )
    except zstandard.ZstdError as exc:
        raise BundleError("corrupt", f"the bundle's data cannot be read ({exc})") from None
    return bytes(out)


def lines(frame: bytes, max_line: int, max_bytes: int = MAX_OUTBOX_BYTES) -> Iterator[bytes]:
    """The body's lines (each with its newline), streamed: no line over ``max_line`` bytes
    and no more than ``max_bytes`` in all is ever held."""
    pending = bytearray()
    total = 0
    try:
        with _reader(frame) as reader:
            while chunk := reader.read(READ_CHUNK):
                total += len(chunk)
                if total > max_bytes:
                    raise BundleError(
                        "too_large", f"the bundle holds more than {max_bytes} bytes of data"
                    )
                pending += chunk
                start = 0
                while (end := pending.find(b"\n", start)) >= 0:
                    yield bytes(pending[start : end + 1])
                    start = end + 1
                del pending[:start]
                if len(pending) > max_line:
                    raise BundleError("too_large", f"a line of the bundle is over {max_line} bytes")
    except zstandard.ZstdError as exc:
        raise BundleError("corrupt", f"the bundle's data cannot be read ({exc})") from None
    if pending:
        raise BundleError("corrupt", "the bundle's data is cut")


_M = TypeVar("_M", bound=BaseModel)


def parse(model: type[_M], raw: bytes) -> _M:
    """``raw`` JSON as ``model``; ``corrupt`` with the number of problems otherwise."""
    try:
        return model.model_validate_json(raw)
    except pydantic.ValidationError as exc:
        raise BundleError(
            "corrupt", f"the bundle's content is not valid ({exc.error_count()} problems)"
        ) from None
