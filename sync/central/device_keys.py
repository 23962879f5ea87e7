"""A PC registers its public bundle keys (DESIGN.md §5; the format: sync.protocol.bundle).

``POST /v1/devices/keys``, with the PC's device header (``X-LocalHR-Device``): the Ed25519
key that checks its bundles and the X25519 key its receipts are encrypted to. The central
keeps these public keys only, answers with its own public keys, and forgets the PC's old
bundle key K (formats 1 and 2) for good: from then on only format 3 bundles of that PC are
taken.

Keys are registered once per device credential: the same keys again are answered as before,
other keys are refused. A PC that lost its keys (a new keyring) gets a new credential from
its organization's administrator (``renew_device``), which clears them, and registers new
ones. So whoever copies a PC's credential later cannot swap the keys its bundles are
checked with.
"""

from __future__ import annotations

from sync.central import auth
from sync.central.auth import AuthError
from sync.central.db import CentralDB
from sync.protocol import DeviceKeysRequest, ErrorCode
from sync.protocol.bundle import PublicKeys


def register(
    db: CentralDB, device_id: str | None, credential: str | None, req: DeviceKeysRequest
) -> None:
    """Keep the PC's public keys (see the module doc); :class:`AuthError` otherwise."""
    try:
        PublicKeys.from_hex(req.signing_key, req.encryption_key)
    except ValueError:
        raise AuthError(ErrorCode.BAD_REQUEST, "these are not public keys", 400) from None
    pair = (req.signing_key, req.encryption_key)
    with db.transaction() as session:
        device = auth._check_device(session, device_id, credential)
        if device.signing_key is not None:
            if (device.signing_key, device.encryption_key) != pair:
                raise AuthError(
                    ErrorCode.FORBIDDEN,
                    "this PC's bundle keys are registered already; to change them, the "
                    "organization's administrator registers the PC again",
                )
            return
        device.signing_key, device.encryption_key = pair
        device.bundle_key = None
