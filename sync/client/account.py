"""This PC's standing at the central: registration, online logins, and the credentials a
sync cycle uses.

These functions touch the network and the keyring together, so they suit the command line
and tests. The desktop UI runs the network half on its network lane and the keyring half on
the main thread (STYLE.md: never the keyring from a worker); the pieces here are small
enough to call one by one.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from app.services import outbox
from app.store.db import Database
from app.store.models import UserModel
from sync.client import bundle_keys
from sync.client.credentials import CredentialStore, DeviceCredential, UserToken
from sync.client.engine import Credentials
from sync.client.errors import CentralError
from sync.client.transport import CentralClient

log = logging.getLogger(__name__)


class NotRegistered(Exception):
    """This PC has no device credential for the central: an org admin must register it."""


def register(
    db: Database,
    client: CentralClient,
    store: CredentialStore,
    *,
    username: str,
    password: str,
    org_id: str,
    name: str,
) -> DeviceCredential:
    """An org admin registers this PC: the credential goes to the keyring (checked usable
    first, so a PC is never registered with nowhere safe to keep its credential), and ops
    made here from now on, and those not sent yet, carry the new device id. The PC's USB
    bundle keys are registered too (sync.client.bundle_keys)."""
    store.check()
    device = DeviceCredential.from_registration(
        client.register_device(username, password, org_id, name)
    )
    store.save_device(device)
    outbox.adopt_device(db, device.device_id)
    try:
        bundle_keys.register(client, store, device)
    except CentralError as exc:  # the PC is registered; its bundle keys go at the next export
        log.warning("bundle keys not registered yet: %s", exc)
    return store.device() or device


def adopt(db: Database, store: CredentialStore, device: DeviceCredential) -> None:
    """Use a device credential obtained elsewhere (an operator's ``register-device``)."""
    store.save_device(device)
    outbox.adopt_device(db, device.device_id)


def device(store: CredentialStore) -> DeviceCredential:
    found = store.device()
    if found is None:
        raise NotRegistered("this PC is not registered with the central yet")
    return found


def login(client: CentralClient, store: CredentialStore, username: str, password: str) -> UserToken:
    """Log a user in online; the token is kept in the keyring for the background sync."""
    response = client.login(device(store), username, password)
    token = UserToken.from_login(username, response)
    store.save_token(token)
    return token


def credentials(db: Database, store: CredentialStore, pull_as: str | None = None) -> Credentials:
    """The device credential and the unexpired tokens of this PC's users (by user id), read
    from the keyring. ``pull_as``: the username whose scope is pulled (the one at the PC),
    who may have just logged in on a PC that has not pulled its users yet."""
    dev = device(store)
    with db.reading() as session:
        local = dict(session.execute(select(UserModel.username, UserModel.id)).all())
    tokens: dict[str, str] = {}
    pull_id = None
    for username in {*local, *([pull_as] if pull_as else [])}:
        token = store.token(username)
        user_id = (token.user_id if token else "") or local.get(username, "")
        if token is not None and user_id:
            tokens[user_id] = token.token
        if username == pull_as:
            pull_id = user_id or None
    return Credentials(dev, tokens, pull_id)
