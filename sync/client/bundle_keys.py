"""This PC's USB bundle keys (DESIGN.md §5; the format: :mod:`sync.protocol.bundle`).

A PC makes its own Ed25519 signing and X25519 encryption key pairs the first time it needs
them and keeps them in the keyring (:class:`~sync.client.credentials.CredentialStore`); it
registers their public halves with the central once per device credential
(:func:`register`, online: ``POST /v1/devices/keys``) and keeps the central's public keys,
which come back, with its device credential. A bundle can be exported only then: the central
checks it with the PC's public key and the PC encrypts it to the central's.

Touches the keyring: call from the main thread (STYLE.md); :func:`register` also calls the
central. The desktop's first run splits it: :func:`pc_keys` and :func:`keep` on the main
thread, :func:`exchange` (the network, no keyring) in its network lane.
"""

from __future__ import annotations

import dataclasses

from sync.client.credentials import (
    CredentialStore,
    DeviceCredential,
    PcBundleKeys,
    credential_digest,
)
from sync.client.transport import CentralClient
from sync.protocol import CentralKeys
from sync.protocol.bundle import BundleError, BundleKeys, PublicKeys

__all__ = ["NO_KEYS", "exchange", "keep", "pc_keys", "ready", "register"]

NO_KEYS = (
    "this PC has not registered its bundle keys with the central yet: connect it to the "
    "central once (localhr bundle export does it when the central can be reached)"
)


def pc_keys(store: CredentialStore) -> PcBundleKeys:
    """This PC's bundle keys, made and kept in the keyring the first time."""
    found = store.bundle_keys()
    if found is None:
        found = PcBundleKeys(BundleKeys.new())
        store.save_bundle_keys(found)
    return found


def ready(store: CredentialStore, device: DeviceCredential) -> tuple[BundleKeys, PublicKeys]:
    """This PC's keys and the central's public keys, once registered; ``no_keys`` before."""
    pc = store.bundle_keys()
    central = device.central_keys()
    if pc is None or central is None or not pc.registered_for(device):
        raise BundleError("no_keys", NO_KEYS)
    return pc.keys, central


def register(client: CentralClient, store: CredentialStore, device: DeviceCredential) -> None:
    """Register this PC's public bundle keys with the central (nothing to do when done for
    this credential already) and keep the central's public keys with the credential."""
    pc = pc_keys(store)
    if pc.registered_for(device) and device.central_keys() is not None:
        return
    keep(store, device, pc, exchange(client, device, pc))


def exchange(client: CentralClient, device: DeviceCredential, pc: PcBundleKeys) -> CentralKeys:
    """The network half of :func:`register` (no keyring: a worker may run it): this PC's
    public bundle keys to the central, the central's public keys back."""
    signing_key, encryption_key = pc.keys.public.hex()
    return client.register_bundle_keys(device, signing_key, encryption_key)


def keep(
    store: CredentialStore, device: DeviceCredential, pc: PcBundleKeys, central: CentralKeys
) -> None:
    """The keyring half of :func:`register`: the central's public keys beside the PC's
    credential, and this PC's keys marked registered for that credential."""
    store.save_device(
        dataclasses.replace(
            device,
            central_signing_key=central.signing_key,
            central_encryption_key=central.encryption_key,
        )
    )
    store.save_bundle_keys(dataclasses.replace(pc, registered_with=credential_digest(device)))
