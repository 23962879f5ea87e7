"""The one place the desktop keeps secrets: the OS keyring (DESIGN.md §5, STYLE.md).

:class:`CredentialStore` keeps this PC's device credential (with the central's public bundle
keys), its private USB bundle keys, and each user's session token (with its expiry) in the
system's password store through ``keyring``: Windows Credential Manager, the macOS Keychain,
or a Secret Service on Linux. Entries live under one service
name per data folder and central (:func:`service_name`), so two installations, or a demo
beside a real one, never read each other's secrets.

There is no fallback: when no secure store can be used (keyring's ``fail`` backend, its
``null`` backend, a chain with no usable backend, a file backend of ``keyrings.alt``, or a
backend that fails), every call raises :class:`KeyringUnavailable`, whose message tells the
user plainly that nothing was saved. Secrets never go to a file or to SQLite.

:class:`MemoryKeyring` is a real keyring backend kept in memory, for tests and the demo;
keyring never picks it by itself. Pass a backend to the store instead of changing
keyring's global choice.

Per STYLE.md the keyring is touched from the main thread only: some backends show an
unlock prompt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.compat import properties

from sync.client.errors import KeyringUnavailable
from sync.protocol import DeviceRegistration, LoginResponse
from sync.protocol.bundle import BundleKeys, PublicKeys

__all__ = [
    "SERVICE",
    "CredentialStore",
    "DeviceCredential",
    "KeyringUnavailable",
    "MemoryKeyring",
    "PcBundleKeys",
    "UserToken",
    "service_name",
]

log = logging.getLogger(__name__)

SERVICE = "LocalHR Desk"
_DEVICE_KEY = "device"
_BUNDLE_KEYS_KEY = "bundle-keys"  # the PC's private bundle keys
_TOKEN_KEY = "token:"
# Backends from keyrings.alt keep secrets in files (some in plain text): never used.
_REFUSED_MODULES = ("keyrings.alt",)


@dataclass(frozen=True)
class DeviceCredential:
    """This PC's identity at the central, issued once by device registration, and the
    central's public bundle keys (hex; empty until the central has told them)."""

    device_id: str
    org_id: str
    secret: str = field(repr=False)
    central_signing_key: str = ""
    central_encryption_key: str = ""

    @classmethod
    def from_registration(cls, reg: DeviceRegistration) -> DeviceCredential:
        return cls(
            device_id=reg.device_id,
            org_id=reg.org_id,
            secret=reg.credential,
            central_signing_key=reg.central_signing_key or "",
            central_encryption_key=reg.central_encryption_key or "",
        )

    def central_keys(self) -> PublicKeys | None:
        """The central's public bundle keys, or None when this PC was not told them."""
        if not (self.central_signing_key and self.central_encryption_key):
            return None
        try:
            return PublicKeys.from_hex(self.central_signing_key, self.central_encryption_key)
        except ValueError:
            return None


@dataclass(frozen=True)
class PcBundleKeys:
    """This PC's own bundle key pairs (sync.protocol.bundle), and the device credential
    they were registered with at the central (a digest of it; empty: not registered yet)."""

    keys: BundleKeys = field(repr=False)
    registered_with: str = ""

    def registered_for(self, device: DeviceCredential) -> bool:
        return bool(self.registered_with) and self.registered_with == credential_digest(device)


def credential_digest(device: DeviceCredential) -> str:
    return hashlib.sha256(f"{device.device_id}:{device.secret}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class UserToken:
    """A user's session at the central, valid on this PC until ``expires_at`` (UTC)."""

    username: str
    token: str = field(repr=False)
    expires_at: dt.datetime
    user_id: str = ""  # the central's id of the user (ops name their author by it)

    @classmethod
    def from_login(cls, username: str, response: LoginResponse) -> UserToken:
        return cls(
            username=username,
            token=response.token,
            expires_at=response.expires_at,
            user_id=response.user.id,
        )

    def expired(self, now: dt.datetime | None = None) -> bool:
        now = now or dt.datetime.now(dt.UTC)
        return self.expires_at <= now


def service_name(central_url: str, data_dir: str | Path) -> str:
    """The keyring service of one data folder talking to one central: readable (the
    central's host) and unique (a digest of both)."""
    parts = urlsplit(central_url.strip())
    host = (parts.hostname or central_url).lower()
    where = f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"
    folder = str(Path(data_dir).expanduser().resolve())
    digest = hashlib.sha256(f"{where}\n{folder}".encode()).hexdigest()[:12]
    return f"{SERVICE} ({host}, {digest})"


class MemoryKeyring(KeyringBackend):
    """A keyring backend in memory, for tests and the demo.

    Its ``priority`` raises, as keyring asks of a backend unfit for general use, so
    keyring's own discovery never chooses it: only a store given it explicitly uses it.
    """

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("the in-memory keyring is for tests and the demo only")

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def __str__(self) -> str:
        return f"{type(self).__module__}.{type(self).__name__} ({len(self.entries)} entries)"

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("no such password") from None


def _refusal(backend: KeyringBackend) -> str | None:
    """Why ``backend`` may not hold secrets, or None when it may."""
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if isinstance(backend, fail.Keyring):
        return "the system offers no password store keyring can use"
    if isinstance(backend, null.Keyring):
        return "keyring is switched off (its null backend keeps nothing)"
    if type(backend).__module__.startswith(_REFUSED_MODULES):
        return f"{name} keeps secrets in a file, which LocalHR Desk does not allow"
    if isinstance(backend, chainer.ChainerBackend):
        chained = list(backend.backends)
        if not chained:
            return "the system offers no password store keyring can use"
        for inner in chained:
            reason = _refusal(inner)
            if reason is not None:
                return reason
    return None


class CredentialStore:
    """The device credential and the users' tokens of one data folder and central.

    ``backend``: a keyring backend to use (a :class:`MemoryKeyring` in tests and the demo);
    by default keyring's choice for this system, looked up on first use. Every method
    raises :class:`KeyringUnavailable` when no secure store can be used.
    """

    def __init__(self, service: str, backend: KeyringBackend | None = None):
        self.service = service
        self._backend = backend

    @classmethod
    def for_central(
        cls, central_url: str, data_dir: str | Path, backend: KeyringBackend | None = None
    ) -> CredentialStore:
        return cls(service_name(central_url, data_dir), backend)

    def __repr__(self) -> str:
        return f"CredentialStore({self.service!r})"

    def check(self) -> None:
        """Raise :class:`KeyringUnavailable` unless a secure store can be used."""
        self._keyring()

    # --- the device ----------------------------------------------------------------------

    def save_device(self, device: DeviceCredential) -> None:
        value = {
            "device_id": device.device_id, "org_id": device.org_id, "secret": device.secret,
            "central_signing_key": device.central_signing_key,
            "central_encryption_key": device.central_encryption_key,
        }  # fmt: skip
        self._set(_DEVICE_KEY, value)

    def device(self) -> DeviceCredential | None:
        value = self._get(_DEVICE_KEY)
        if value is None:
            return None
        try:
            return DeviceCredential(
                device_id=str(value["device_id"]),
                org_id=str(value["org_id"]),
                secret=str(value["secret"]),
                central_signing_key=str(value.get("central_signing_key") or ""),
                central_encryption_key=str(value.get("central_encryption_key") or ""),
            )
        except (KeyError, TypeError):
            log.warning("the device entry in %s is unreadable; ignored", self.service)
            return None

    def delete_device(self) -> None:
        self._delete(_DEVICE_KEY)

    # --- the PC's bundle keys ------------------------------------------------------------

    def save_bundle_keys(self, pc: PcBundleKeys) -> None:
        self._set(_BUNDLE_KEYS_KEY, {
            "signing": pc.keys.signing.hex(), "encryption": pc.keys.encryption.hex(),
            "registered_with": pc.registered_with,
        })  # fmt: skip

    def bundle_keys(self) -> PcBundleKeys | None:
        value = self._get(_BUNDLE_KEYS_KEY)
        if value is None:
            return None
        try:
            keys = BundleKeys(bytes.fromhex(value["signing"]), bytes.fromhex(value["encryption"]))
            keys.public  # noqa: B018  (raises on keys of the wrong size)
            return PcBundleKeys(keys, str(value.get("registered_with") or ""))
        except (KeyError, TypeError, ValueError):
            log.warning("the bundle keys entry in %s is unreadable; ignored", self.service)
            return None

    # --- users' tokens -------------------------------------------------------------------

    def save_token(self, token: UserToken) -> None:
        expires = token.expires_at
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=dt.UTC)
        self._set(_TOKEN_KEY + _user_key(token.username), {
            "username": token.username, "token": token.token, "expires_at": expires.isoformat(),
            "user_id": token.user_id,
        })  # fmt: skip

    def token(self, username: str, now: dt.datetime | None = None) -> UserToken | None:
        """The user's unexpired token, or None (an expired one is deleted)."""
        value = self._get(_TOKEN_KEY + _user_key(username))
        if value is None:
            return None
        try:
            token = UserToken(
                username=str(value["username"]),
                token=str(value["token"]),
                expires_at=dt.datetime.fromisoformat(str(value["expires_at"])),
                user_id=str(value.get("user_id", "")),
            )
        except (KeyError, TypeError, ValueError):
            log.warning("a token entry in %s is unreadable; ignored", self.service)
            return None
        if token.expired(now):
            self.delete_token(username)
            return None
        return token

    def delete_token(self, username: str) -> None:
        self._delete(_TOKEN_KEY + _user_key(username))

    # --- the backend ---------------------------------------------------------------------

    def _keyring(self) -> KeyringBackend:
        backend = self._backend
        if backend is None:
            try:
                backend = keyring.get_keyring()
            except Exception as exc:  # a broken keyring configuration: say so, save nothing
                raise KeyringUnavailable(f"the password store could not start ({exc})") from exc
        reason = _refusal(backend)
        if reason is not None:
            raise KeyringUnavailable(reason)
        return backend

    def _set(self, key: str, value: dict[str, Any]) -> None:
        backend = self._keyring()
        try:
            backend.set_password(self.service, key, json.dumps(value))
        except Exception as exc:  # any backend failure: nothing was saved
            raise KeyringUnavailable(_failed("save to", exc)) from exc

    def _get(self, key: str) -> dict[str, Any] | None:
        backend = self._keyring()
        try:
            text = backend.get_password(self.service, key)
        except Exception as exc:
            raise KeyringUnavailable(_failed("read", exc)) from exc
        if text is None:
            return None
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if not isinstance(value, dict):
            log.warning("an entry in %s is not LocalHR Desk's; ignored", self.service)
            return None
        return value

    def _delete(self, key: str) -> None:
        backend = self._keyring()
        try:
            backend.delete_password(self.service, key)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing stored under that key: already as wanted
        except Exception as exc:
            raise KeyringUnavailable(_failed("delete from", exc)) from exc


def _user_key(username: str) -> str:
    return username.strip().lower()


def _failed(what: str, exc: BaseException) -> str:
    # The exception's text names the backend's problem; it never holds the value written.
    return f"could not {what} the password store: {type(exc).__name__}: {exc}"
