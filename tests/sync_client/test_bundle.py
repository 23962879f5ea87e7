"""The USB bundle end to end, against a real central on loopback: an office with no link
exports its outbox (signed by the users whose work it carries), a connected PC uploads it,
the receipt brings the answers and the central's changes home; nothing twice, nothing for
another PC, nothing tampered."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy import func, select

from app.domain.ids import utcnow
from app.services import decisions, outbox, replica, submissions, user_keys
from app.store.db import open_database
from app.store.models import OutboxOpModel, PersonModel, SubmissionModel
from localhr.cli import main
from sync.central.models import CentralRow
from sync.client import bundle_keys
from sync.client.bundle import Exported, apply_receipt, export_bundle, upload_bundle
from sync.client.credentials import CredentialStore, MemoryKeyring
from sync.protocol import bundle as wire
from sync.protocol.bundle import BundleError
from tests.sync_client.conftest import Central
from tests.sync_client.desktops import Desktop, new_person

MEMORY = MemoryKeyring()  # the "system" keyring of the CLI tests


@pytest.fixture
def pcs(tmp_path, central: Central) -> Iterator[Callable[..., Desktop]]:
    """``pcs(name)``: a PC of organization A, registered, where ``user`` (and the office's
    clerk and supervisor) logged in online and synced. Its credentials are where ``localhr
    bundle`` looks for them (the data folder and the central's address) in :data:`MEMORY`."""
    MEMORY.entries.clear()
    with ExitStack() as stack:

        def make(name: str, user: str = "clerk.a") -> Desktop:
            folder = tmp_path / name
            folder.mkdir()
            pc = Desktop(folder, central.url, stack)
            pc.store = CredentialStore.for_central(central.url, folder, MEMORY)
            pc.register(central.org_a, name=name)
            for username in dict.fromkeys((user, "clerk.a", "super.a")):
                pc.login(username)  # a first login online: the sync registers their keys
                pc.sync()
            return pc

        yield make


def _user_keys(central: Central, pc: Desktop, *usernames: str) -> dict[str, bytes]:
    """The users' signing keys on ``pc`` (user id → private key): made at their online
    login there and registered by the sync, unlocked with their password."""
    keys = {}
    for username in usernames:
        user_id = central.users[username]
        key = user_keys.unlock(pc.db, user_id, central.password, make=False)
        assert key is not None and key.registered, f"{username} has no key on this PC"
        keys[user_id] = key.pair.private
    return keys


def _export(central: Central, pc: Desktop, path: Path, *usernames: str) -> Exported:
    """``pc``'s bundle exported by the first of ``usernames`` (default: the clerk and the
    supervisor of A), each signing it."""
    keys = _user_keys(central, pc, *(usernames or ("clerk.a", "super.a")))
    return export_bundle(pc.db, pc.store, path, exporter=next(iter(keys)), signers=keys)


def _offline_work(pc: Desktop) -> tuple[str, str]:
    """A clerk's new person, approved by the supervisor at the same PC, all offline:
    (submission id, person id)."""
    clerk = pc.sign_in("clerk.a")
    sid = new_person(pc, clerk, "สมหญิง", seed="31009002345")
    boss = pc.sign_in("super.a")
    decisions.approve(pc.db, boss, sid)
    with pc.db.reading() as session:
        return sid, session.get(SubmissionModel, sid).person_id


def _local_state(pc: Desktop) -> tuple:
    with pc.db.reading() as session:
        ops = session.execute(
            select(OutboxOpModel.op_id, OutboxOpModel.state).order_by(OutboxOpModel.seq)
        ).all()
        people = session.execute(select(PersonModel.id, PersonModel.version)).all()
        subs = session.execute(select(SubmissionModel.id, SubmissionModel.state)).all()
    return ops, sorted(people), sorted(subs), replica.cursors(pc.db), replica.waiting(pc.db)


def test_an_offline_office_sends_its_work_by_usb_and_gets_the_official_records_back(
    pcs, central: Central, tmp_path: Path
) -> None:
    offline = pcs("offline")
    connected = pcs("connected")
    # the connected office's clerk submits a person meanwhile: the receipt brings it along
    other_sid = new_person(connected, connected.sign_in("clerk.a"), "สมศักดิ์", seed="31009003456")
    connected.sync()

    sid, person_id = _offline_work(offline)
    pending = outbox.counts(offline.db).pending
    # approved offline only: the person is official here, with the version the central will
    # give it, and the approval waits in the outbox
    assert pending >= 4 and offline.person(person_id).version == 1

    stick = tmp_path / "usb" / "office.lhrb"
    stick.parent.mkdir()
    done = _export(central, offline, stick)
    assert done.ops == pending and stick.stat().st_size == done.size and done.left == 0
    assert outbox.counts(offline.db).pending == pending  # exported is not answered

    receipt = upload_bundle(connected.client, stick)
    back = tmp_path / "usb" / "office.receipt.lhrb"
    back.write_bytes(receipt)
    got = apply_receipt(offline.db, offline.store, back)

    assert (got.applied, got.conflict, got.rejected, got.retry) == (pending, 0, 0, 0)
    assert outbox.counts(offline.db) == outbox.Counts(pending=0, attention=0)
    person = offline.person(person_id)
    assert person is not None and person.version >= 1 and person.first_name_th == "สมหญิง"
    with offline.db.reading() as session:
        assert session.get(SubmissionModel, sid).state == "approved"
        assert session.get(SubmissionModel, other_sid).state == "submitted"
    with central.db.reading() as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(CentralRow)
                .where(CentralRow.table_name == "person")
            )
            == 1
        )
    assert replica.waiting(offline.db) == 0

    # the same receipt again changes nothing; the next network sync has nothing to send
    state = _local_state(offline)
    again = apply_receipt(offline.db, offline.store, back)
    assert (again.applied, again.rows) == (0, 0)
    assert _local_state(offline) == state
    assert offline.sync().applied == 0


def test_a_stale_receipt_never_takes_rows_back_to_an_older_state(
    pcs, central: Central, tmp_path: Path
) -> None:
    offline = pcs("offline")
    connected = pcs("connected", user="super.a")
    _sid, person_id = _offline_work(offline)
    stick = tmp_path / "office.lhrb"
    _export(central, offline, stick)
    old_receipt = tmp_path / "old.receipt.lhrb"
    old_receipt.write_bytes(upload_bundle(connected.client, stick))
    apply_receipt(offline.db, offline.store, old_receipt)

    # later the link comes back; the person changes at the central and reaches the PC
    clerk = offline.sign_in("clerk.a")
    view = submissions.start_draft(offline.db, clerk, person_id=person_id)
    submissions.save_draft(offline.db, clerk, view.submission.id, fields={"salary": "16000"})
    submissions.submit(offline.db, clerk, view.submission.id)
    offline.sync()
    connected.sync()
    decisions.approve(connected.db, connected.sign_in("super.a"), view.submission.id)
    connected.sync()
    offline.sync()
    newer = offline.person(person_id)
    assert float(newer.salary) == 16000

    state = _local_state(offline)
    apply_receipt(offline.db, offline.store, old_receipt)
    assert _local_state(offline) == state


def test_a_draft_saved_after_its_export_travels_as_a_new_op(
    pcs, central: Central, tmp_path: Path
) -> None:
    """The op on the stick is not changed under it: the central may already have answered
    its op_id, and the later save must not be lost."""
    offline = pcs("offline")
    clerk = offline.sign_in("clerk.a")
    sid = submissions.start_draft(offline.db, clerk).submission.id
    submissions.save_draft(offline.db, clerk, sid, fields={"first_name_th": "ก่อน"})
    _export(central, offline, tmp_path / "a.lhrb", "clerk.a")
    submissions.save_draft(offline.db, clerk, sid, fields={"first_name_th": "หลัง"})
    with offline.db.reading() as session:
        saves = session.scalar(
            select(func.count())
            .select_from(OutboxOpModel)
            .where(OutboxOpModel.kind == "submission.save", OutboxOpModel.entity_id == sid)
        )
    assert saves == 2


def test_receipts_for_another_pc_changed_ones_and_the_wrong_kind_of_file_are_refused(
    pcs, central: Central, tmp_path: Path
) -> None:
    offline = pcs("offline")
    connected = pcs("connected")
    _offline_work(offline)
    stick = tmp_path / "office.lhrb"
    _export(central, offline, stick)
    back = tmp_path / "office.receipt.lhrb"
    back.write_bytes(upload_bundle(connected.client, stick))
    before = _local_state(connected)

    with pytest.raises(BundleError) as refused:
        apply_receipt(connected.db, connected.store, back)
    assert refused.value.code == "other_device"
    assert _local_state(connected) == before

    data = bytearray(back.read_bytes())
    data[-20] ^= 0x40
    tampered = tmp_path / "tampered.lhrb"
    tampered.write_bytes(bytes(data))
    with pytest.raises(BundleError) as refused:
        apply_receipt(offline.db, offline.store, tampered)
    assert refused.value.code == "tampered"

    with pytest.raises(BundleError) as refused:
        apply_receipt(offline.db, offline.store, stick)
    assert refused.value.code == "wrong_kind"
    with pytest.raises(BundleError) as refused:
        upload_bundle(connected.client, back)
    assert refused.value.code == "wrong_kind"
    assert outbox.counts(offline.db).pending > 0  # nothing of it was recorded


def test_a_bundle_carries_the_ops_of_its_signers_up_to_the_first_of_anyone_else(
    pcs, central: Central, tmp_path: Path
) -> None:
    """The clerk exports alone: her ops go, the supervisor's approval (and what follows it)
    waits for a bundle the supervisor signs; nothing is lost or refused on the way."""
    offline = pcs("offline")
    connected = pcs("connected")
    _offline_work(offline)
    pending = outbox.counts(offline.db).pending
    stick = tmp_path / "clerk.lhrb"
    done = _export(central, offline, stick, "clerk.a")
    assert 0 < done.ops < pending and done.left == pending - done.ops
    assert done.next_author == central.users["super.a"]
    back = tmp_path / "clerk.receipt.lhrb"
    back.write_bytes(upload_bundle(connected.client, stick))
    got = apply_receipt(offline.db, offline.store, back)
    assert (got.applied, got.rejected) == (done.ops, 0)

    then = _export(central, offline, tmp_path / "boss.lhrb", "super.a")
    assert then.ops == done.left and then.left == 0
    back.write_bytes(upload_bundle(connected.client, tmp_path / "boss.lhrb"))
    got = apply_receipt(offline.db, offline.store, back)
    assert (got.applied, got.rejected) == (then.ops, 0)
    assert outbox.counts(offline.db) == outbox.Counts(pending=0, attention=0)


def test_a_pc_exports_only_once_its_keys_are_registered(pcs, central: Central, tmp_path) -> None:
    offline = pcs("offline")
    device = offline.store.device()
    assert device.central_keys() is not None  # learned at registration
    offline.store.save_bundle_keys(
        dataclasses.replace(offline.store.bundle_keys(), registered_with="")
    )
    with pytest.raises(BundleError) as refused:
        _export(central, offline, tmp_path / "a.lhrb", "clerk.a")
    assert (
        refused.value.code == "no_keys"
        and "connect it to the central once" in refused.value.message
    )
    bundle_keys.register(offline.client, offline.store, device)  # the same keys: accepted
    assert _export(central, offline, tmp_path / "a.lhrb", "clerk.a").ops >= 0


# --- the command line -----------------------------------------------------------------


def _cli(pc: Desktop, central: Central, *argv: str) -> list[str]:
    return [
        "bundle", *argv, "--central", central.url, "--data-dir", str(pc.folder),
        "--db", str(pc.folder / "localhr.sqlite3"),
    ]  # fmt: skip


def test_localhr_bundle_export_and_import_on_both_pcs(
    pcs, central: Central, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setattr(keyring, "get_keyring", lambda: MEMORY)
    offline = pcs("offline")
    connected = pcs("connected")
    _offline_work(offline)
    stick = tmp_path / "E" / "office.lhrb"
    stick.parent.mkdir()
    monkeypatch.setattr("sys.stdin", io.StringIO("not-the-password\n"))
    wrong = ["export", str(stick), "--user", "clerk.a", "--password-stdin"]
    assert main(_cli(offline, central, *wrong)) == 1
    assert "no signing key on this PC opens with that password" in capsys.readouterr().err
    assert not stick.exists()
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{central.password}\n" * 2))
    export = ["export", str(stick), "--user", "clerk.a", "--also", "super.a", "--password-stdin"]
    assert main(_cli(offline, central, *export)) == 0
    assert "ops written to" in capsys.readouterr().out
    assert main(_cli(connected, central, "import", str(stick))) == 0
    assert "receipt written" in capsys.readouterr().out
    receipt = tmp_path / "E" / "office.receipt.lhrb"
    assert wire.read(receipt.read_bytes()).kind is wire.BundleKind.RECEIPT
    assert main(_cli(offline, central, "import", str(receipt))) == 0
    out = capsys.readouterr().out
    assert "receipt applied" in out and "0 rejected" in out
    assert outbox.counts(offline.db).pending == 0

    def refused(pc: Desktop, *argv: str) -> str:
        assert main(_cli(pc, central, *argv)) == 1
        err = capsys.readouterr().err
        assert err.startswith("localhr bundle: ") and err.count("\n") == 1
        return err

    assert "for another PC" in refused(connected, "import", str(receipt))
    changed = tmp_path / "changed.lhrb"
    changed.write_bytes(stick.read_bytes()[:-1] + b"\x00")
    assert "was changed after it was made" in refused(connected, "import", str(changed))
    changed.write_bytes(b"PK\x03\x04 a zip file")
    assert "not a LocalHR Desk bundle" in refused(offline, "import", str(changed))

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    open_database(fresh / "localhr.sqlite3").close()  # a PC never registered
    code = main(["bundle", "export", str(tmp_path / "x.lhrb"), "--central", central.url,
                 "--data-dir", str(fresh), "--db", str(fresh / "localhr.sqlite3"),
                 "--user", "clerk.a"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "not registered" in err and err.count("\n") == 1

    monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)
    assert "password store" in refused(offline, "export", str(stick), "--user", "clerk.a")


# --- the file format ------------------------------------------------------------------------


def _outbox_file(pc: wire.BundleKeys, central: wire.BundleKeys, body: list[bytes]) -> bytes:
    return wire.seal(wire.BundleKind.OUTBOX, "pc-1", body, pc, central.public)


def test_a_bomb_is_refused_by_its_size_as_it_streams_and_only_after_the_signature() -> None:
    pc, central = wire.BundleKeys.new(), wire.BundleKeys.new()
    data = _outbox_file(pc, central, [b"[" * (1 << 20)] * 64)
    assert len(data) < 64 * 1024
    sealed = wire.read(data)
    with pytest.raises(BundleError) as refused:  # signed by someone else: never opened
        sealed.open(wire.BundleKeys.new().public, central)
    assert refused.value.code == "tampered"
    frame = sealed.open(pc.public, central)
    with pytest.raises(BundleError) as refused:
        wire.inflate(frame, 1024 * 1024)
    assert refused.value.code == "too_large"
    with pytest.raises(BundleError) as refused:
        list(wire.lines(frame, max_line=1024))
    assert refused.value.code == "too_large"


def test_a_bundle_of_a_newer_format_says_to_update() -> None:
    data = _outbox_file(wire.BundleKeys.new(), wire.BundleKeys.new(), [b"{}"])
    newer = data.replace(b'"format":3', b'"format":4', 1)
    with pytest.raises(BundleError, match="update LocalHR Desk") as refused:
        wire.read(newer)
    assert refused.value.code == "unsupported_format"


ZSTD_FRAME_MAGIC = b"\x28\xb5\x2f\xfd"


def _first_release_file(key: bytes, bundle: wire.OutboxBundle) -> bytes:
    """A bundle as the first release wrote it (format 1: signed, not encrypted)."""
    import hashlib
    import hmac

    import zstandard

    head = (
        wire.MAGIC + f'{{"device_id":"{bundle.device_id}","format":1,"kind":"outbox"}}\n'.encode()
    )
    body = zstandard.ZstdCompressor(write_content_size=True).compress(
        bundle.model_dump_json().encode()
    )
    return head + hmac.new(key, head + body, hashlib.sha256).hexdigest().encode() + b"\n" + body


def test_a_lost_stick_shows_nothing_of_what_it_carries_and_old_bundles_still_open() -> None:
    from app.domain.ids import new_id

    pc, central = wire.BundleKeys.new(), wire.BundleKeys.new()
    name = "กาญจนา ใจงาม"
    body = [f'{{"org_id":"org-1","cursors":{{"{name}":7}}}}\n'.encode()]
    data = _outbox_file(pc, central, body)
    for clear in (name.encode(), b"org-1", ZSTD_FRAME_MAGIC):
        assert clear not in data  # neither the text nor a zstd frame anyone could unpack
    assert wire.inflate(wire.read(data).open(pc.public, central), 1 << 20) == body[0]
    assert _outbox_file(pc, central, body) != data  # a fresh ephemeral key each time
    with pytest.raises(BundleError) as refused:  # only the central's private key opens it
        wire.read(data).open(pc.public, wire.BundleKeys.new())
    assert refused.value.code == "tampered"

    # bundles made before the upgrade (formats 1 and 2, under K) still open with K
    key = wire.legacy_key("secret")
    bundle = wire.OutboxBundle(
        bundle_id=new_id(), device_id="pc-1", org_id="org-1", created_at=utcnow(), ops=[],
        cursors={name: 7},
    )  # fmt: skip
    for old in (_first_release_file(key, bundle), wire.seal_legacy(bundle, key)):
        raw = wire.inflate(wire.read(old).open_legacy(key), 1 << 20)
        assert wire.parse(wire.OutboxBundle, raw) == bundle
        with pytest.raises(BundleError) as refused:
            wire.read(old).open_legacy(wire.legacy_key("another PC"))
        assert refused.value.code == "tampered"
    assert name.encode() not in wire.seal_legacy(bundle, key)


def test_the_old_bundle_key_is_the_documented_derivation_and_receipts_go_beside_bundles() -> None:
    import hashlib
    import hmac

    expected = hmac.new(b"secret", b"localhr bundle v1", hashlib.sha256).digest()
    assert wire.legacy_key("secret") == expected != wire.legacy_key("another secret")
    assert wire.receipt_path(Path("E:/office.lhrb")) == Path("E:/office.receipt.lhrb")
    assert wire.receipt_path(Path("x.bin")) == Path("x.bin.receipt.lhrb")
