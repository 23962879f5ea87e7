"""The central's own key pair for USB bundles (DESIGN.md §5; the format: sync.protocol.bundle).

An Ed25519 key signs the receipts the central writes; an X25519 key opens the outbox bundles
PCs encrypt to it. They live in a key file outside the database (``key_file`` in
:mod:`sync.central.config`), so whoever reads the database (which holds only the PCs' public
keys) can neither forge a receipt nor read a bundle. The file is made on first start when it
is absent, readable by the service account only (mode 0600), and written whole or not at all:
several worker processes starting together end up with the same keys.

The PCs learn the public half at registration (``DeviceRegistration``) or when they register
their own keys (``POST /v1/devices/keys``). A lost key file means the PCs must register again;
back it up with the database's backups, but apart from them.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from sync.protocol.bundle import BundleKeys

SCHEME = "localhr-central-bundle-keys-v1"


class KeyFileError(Exception):
    """The key file exists but cannot be used (damaged, or readable by others)."""


def load_or_create(path: Path) -> BundleKeys:
    """The central's keys from ``path``; made and saved there first if it does not exist
    (the service, at start)."""
    path = Path(path)
    if not path.exists():
        _create(path, BundleKeys.new())
    return _load(path)


def load(path: Path) -> BundleKeys:
    """The central's keys from ``path``, which must exist (an operator's command: a new key
    there would open no PC's bundle)."""
    path = Path(path)
    if not path.exists():
        raise KeyFileError(
            f"no central key file at {path}: point LOCALHR_CENTRAL_KEY_FILE (or key_file in "
            "--config) at the service's"
        )
    return _load(path)


def _create(path: Path, keys: BundleKeys) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(
        {"scheme": SCHEME, "signing": keys.signing.hex(), "encryption": keys.encryption.hex()}
    )
    fd, scratch = tempfile.mkstemp(prefix=".central-key-", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(text + "\n")
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            os.link(scratch, path)
    finally:
        os.unlink(scratch)


def _load(path: Path) -> BundleKeys:
    if os.name == "posix" and path.stat().st_mode & 0o077:
        raise KeyFileError(
            f"the central's key file {path} may be read by others: chmod 600 it (it signs and "
            "opens every PC's bundles)"
        )
    try:
        value = json.loads(path.read_text(encoding="ascii"))
        if value.get("scheme") != SCHEME:
            raise ValueError("not a key file of this program")
        keys = BundleKeys(bytes.fromhex(value["signing"]), bytes.fromhex(value["encryption"]))
        keys.public  # noqa: B018  (raises on keys of the wrong size)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise KeyFileError(f"the central's key file {path} is damaged ({exc})") from None
    return keys
