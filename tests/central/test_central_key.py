"""The central's own bundle keys (sync.central.central_key): a file outside the database, made
once, readable by the service alone; the demo's central keeps its own in the demo's folder."""

from __future__ import annotations

import json
import os

import pytest

from sync.central import central_key
from sync.central.central_key import KeyFileError
from sync.central.config import CentralSettings
from sync.protocol.bundle import PublicKeys


def test_the_key_file_is_made_once_for_the_service_alone_and_kept(tmp_path) -> None:
    path = tmp_path / "etc" / "central-keys.json"
    keys = central_key.load_or_create(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert central_key.load_or_create(path) == keys == central_key.load(path)
    assert list(path.parent.iterdir()) == [path]  # no scratch file left
    assert set(json.loads(path.read_text())) == {"scheme", "signing", "encryption"}


def test_a_key_file_others_may_read_or_a_damaged_one_is_refused(tmp_path) -> None:
    path = tmp_path / "keys.json"
    central_key.load_or_create(path)
    os.chmod(path, 0o644)
    with pytest.raises(KeyFileError, match="chmod 600"):
        central_key.load_or_create(path)
    os.chmod(path, 0o600)
    path.write_text('{"scheme": "localhr-central-bundle-keys-v1", "signing": "00"}')
    with pytest.raises(KeyFileError, match="damaged"):
        central_key.load_or_create(path)
    with pytest.raises(KeyFileError, match="no central key file"):
        central_key.load(tmp_path / "missing.json")


def test_a_process_starting_alongside_keeps_the_keys_the_first_made(tmp_path, monkeypatch):
    """Two workers start at once: the second's link fails, and it reads the first's file."""
    path = tmp_path / "keys.json"
    first = central_key.load_or_create(path)
    monkeypatch.setattr(type(path), "exists", lambda self: False)  # it looked before
    assert central_key.load_or_create(path) == first


def test_the_key_file_is_a_setting_of_its_own(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("LOCALHR_CENTRAL_KEY_FILE", str(tmp_path / "k.json"))
    settings = CentralSettings(database_url="sqlite://")
    assert settings.key_file == tmp_path / "k.json"
    assert settings.as_environment()["LOCALHR_CENTRAL_KEY_FILE"] == str(tmp_path / "k.json")


def test_the_demos_central_keeps_its_keys_in_the_demos_folder(tmp_path) -> None:
    from localhr import embedded_central

    folder = tmp_path / "demo"
    embedded_central.prepare(folder, people=3)
    central = embedded_central.EmbeddedCentral(folder)
    try:
        reg = central.register_pc("เครื่องสาธิต")
    finally:
        central.db.close()
    keys = central_key.load(folder / embedded_central.KEY_FILE)
    assert PublicKeys.from_hex(reg.central_signing_key, reg.central_encryption_key) == keys.public
