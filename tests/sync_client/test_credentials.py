"""The credential store: secrets only in a secure keyring, never anywhere else."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import keyring.backend
import keyring.errors
import pytest
from keyring.backends import chainer, fail, null

from sync.client.credentials import (
    CredentialStore,
    DeviceCredential,
    KeyringUnavailable,
    MemoryKeyring,
    UserToken,
    service_name,
)
from sync.protocol import LoginResponse, UserInfo

CENTRAL = "https://central.example.go.th"
PLAIN_MESSAGE = "No secure password store was found on this computer, so nothing was saved."


def _token(username="clerk.a", hours=8.0) -> UserToken:
    return UserToken(
        username=username,
        token="token-of-" + username,
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours),
    )


def test_the_device_and_tokens_round_trip_through_the_keyring(tmp_path) -> None:
    backend = MemoryKeyring()
    store = CredentialStore.for_central(CENTRAL, tmp_path, backend)
    assert store.device() is None
    device = DeviceCredential("device-1", "org-1", "the-device-secret")
    store.save_device(device)
    token = _token()
    store.save_token(token)

    # another store over the same keyring (the program started again) reads them back
    again = CredentialStore.for_central(CENTRAL, tmp_path, backend)
    assert again.device() == device
    assert again.token("Clerk.A") == token
    assert again.token("super.a") is None

    again.delete_token("clerk.a")
    again.delete_token("clerk.a")  # deleting what is gone is fine
    again.delete_device()
    assert again.device() is None and again.token("clerk.a") is None
    assert backend.entries == {}


def test_a_token_from_a_login_keeps_its_expiry_and_an_expired_one_is_dropped(tmp_path) -> None:
    store = CredentialStore.for_central(CENTRAL, tmp_path, MemoryKeyring())
    expires = dt.datetime(2030, 1, 31, 17, 0, tzinfo=dt.UTC)
    response = LoginResponse(
        token="t0k3n",
        expires_at=expires,
        user=UserInfo(
            id="u", org_id="o", username="clerk.a", display_name="ก", role="clerk", scope_org_ids=[]
        ),
    )
    store.save_token(UserToken.from_login("clerk.a", response))
    assert store.token("clerk.a").expires_at == expires
    later = expires + dt.timedelta(seconds=1)
    assert store.token("clerk.a", now=later) is None
    assert store.token("clerk.a") is None  # deleted, not only hidden


def test_each_data_folder_and_central_has_its_own_entries(tmp_path) -> None:
    backend = MemoryKeyring()
    office = CredentialStore.for_central(CENTRAL, tmp_path / "office", backend)
    demo = CredentialStore.for_central("http://127.0.0.1:8080", tmp_path / "demo", backend)
    other_folder = CredentialStore.for_central(CENTRAL, tmp_path / "copy", backend)
    office.save_device(DeviceCredential("d-1", "o", "s-1"))
    assert demo.device() is None and other_folder.device() is None
    assert office.service.startswith("LocalHR Desk (central.example.go.th, ")
    assert service_name(CENTRAL + "/", tmp_path / "office") == office.service


def test_secrets_are_not_shown_in_reprs(tmp_path) -> None:
    device = DeviceCredential("device-1", "org-1", "the-device-secret")
    token = _token()
    store = CredentialStore.for_central(CENTRAL, tmp_path, MemoryKeyring())
    for shown in (repr(device), repr(token), repr(store), str(store)):
        assert "the-device-secret" not in shown and token.token not in shown


def test_the_memory_keyring_is_never_picked_by_keyring_itself() -> None:
    assert not MemoryKeyring.viable
    assert not any(isinstance(k, MemoryKeyring) for k in keyring.backend.get_all_keyring())


def _files(*roots: Path) -> set[Path]:
    return {p for root in roots if root.exists() for p in root.rglob("*")}


def test_without_a_secure_keyring_nothing_is_saved_and_the_user_is_told(tmp_path) -> None:
    # The session's keyring is keyring's fail backend (tests/conftest.py), as on a computer
    # with no password store.
    assert isinstance(keyring.get_keyring(), fail.Keyring)
    watched = [tmp_path, *(Path(os.environ[v]) for v in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"))]
    before = _files(*watched)
    store = CredentialStore.for_central(CENTRAL, tmp_path)
    with pytest.raises(KeyringUnavailable) as err:
        store.save_device(DeviceCredential("device-1", "org-1", "the-device-secret"))
    assert str(err.value).startswith(PLAIN_MESSAGE)
    assert "the-device-secret" not in str(err.value)
    with pytest.raises(KeyringUnavailable):
        store.save_token(_token())
    with pytest.raises(KeyringUnavailable):
        store.device()
    with pytest.raises(KeyringUnavailable):
        store.check()
    assert _files(*watched) == before


class _Broken(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("the keyring is locked")


class _PlainFile(MemoryKeyring):
    """Stands in for a keyrings.alt file backend."""


_PlainFile.__module__ = "keyrings.alt.file"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (null.Keyring, "null backend"),
        (fail.Keyring, "no password store"),
        (_PlainFile, "keeps secrets in a file"),
        (_Broken, "the keyring is locked"),
    ],
)
def test_an_unusable_backend_saves_nothing(tmp_path, make, reason) -> None:
    backend = make()
    store = CredentialStore.for_central(CENTRAL, tmp_path, backend)
    with pytest.raises(KeyringUnavailable, match=reason) as err:
        store.save_device(DeviceCredential("device-1", "org-1", "the-device-secret"))
    assert str(err.value).startswith(PLAIN_MESSAGE)
    assert getattr(backend, "entries", {}) == {}
    assert list(tmp_path.iterdir()) == []


def test_a_chain_with_no_usable_backend_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    store = CredentialStore.for_central(CENTRAL, tmp_path, chainer.ChainerBackend())
    with pytest.raises(KeyringUnavailable, match="no password store"):
        store.save_token(_token())
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [MemoryKeyring(), _PlainFile()])
    with pytest.raises(KeyringUnavailable, match="file"):
        store.save_token(_token())
