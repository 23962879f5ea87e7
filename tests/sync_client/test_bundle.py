"""The USB bundle end to end, against a real central on loopback: an office with no link
exports its outbox, a connected PC uploads it, the receipt brings the answers and the
central's changes home; nothing twice, nothing for another PC, nothing tampered."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy import func, select

from app.services import decisions, outbox, replica, submissions
from app.store.db import open_database
from app.store.models import OutboxOpModel, PersonModel, SubmissionModel
from localhr.cli import main
from sync.central.models import CentralRow
from sync.client.bundle import apply_receipt, export_bundle, upload_bundle
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
    done = export_bundle(offline.db, offline.store, stick)
    assert done.ops == pending and stick.stat().st_size == done.size
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


def test_a_stale_receipt_never_takes_rows_back_to_an_older_state(pcs, tmp_path: Path) -> None:
    offline = pcs("offline")
    connected = pcs("connected", user="super.a")
    _sid, person_id = _offline_work(offline)
    stick = tmp_path / "office.lhrb"
    export_bundle(offline.db, offline.store, stick)
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


def test_a_draft_saved_after_its_export_travels_as_a_new_op(pcs, tmp_path: Path) -> None:
    """The op on the stick is not changed under it: the central may already have answered
    its op_id, and the later save must not be lost."""
    offline = pcs("offline")
    clerk = offline.sign_in("clerk.a")
    sid = submissions.start_draft(offline.db, clerk).submission.id
    submissions.save_draft(offline.db, clerk, sid, fields={"first_name_th": "ก่อน"})
    export_bundle(offline.db, offline.store, tmp_path / "a.lhrb")
    submissions.save_draft(offline.db, clerk, sid, fields={"first_name_th": "หลัง"})
    with offline.db.reading() as session:
        saves = session.scalar(
            select(func.count())
            .select_from(OutboxOpModel)
            .where(OutboxOpModel.kind == "submission.save", OutboxOpModel.entity_id == sid)
        )
    assert saves == 2


def test_receipts_for_another_pc_changed_ones_and_the_wrong_kind_of_file_are_refused(
    pcs, tmp_path: Path
) -> None:
    offline = pcs("offline")
    connected = pcs("connected")
    _offline_work(offline)
    stick = tmp_path / "office.lhrb"
    export_bundle(offline.db, offline.store, stick)
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

    assert main(_cli(offline, central, "export", str(stick))) == 0
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
                 "--data-dir", str(fresh), "--db", str(fresh / "localhr.sqlite3")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "not registered" in err and err.count("\n") == 1

    monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)
    assert "password store" in refused(offline, "export", str(stick))


# --- the file format ------------------------------------------------------------------------


def _sealed_outbox(key: bytes, **fields) -> bytes:
    from app.domain.ids import new_id, utcnow

    bundle = wire.OutboxBundle(
        bundle_id=new_id(), device_id="pc-1", org_id="org", created_at=utcnow(), ops=[],
        **fields,
    )  # fmt: skip
    return wire.seal(bundle, key)


def test_a_bomb_is_refused_by_its_declared_size_and_only_after_the_signature() -> None:
    import hashlib
    import hmac

    import zstandard

    key = wire.bundle_key("secret")
    bomb = zstandard.ZstdCompressor(level=19).compress(b"[" * (64 * 1024 * 1024))
    head = wire.MAGIC + b'{"device_id":"pc-1","format":1,"kind":"outbox"}\n'
    signature = hmac.new(key, head + bomb, hashlib.sha256).hexdigest().encode()
    data = head + signature + b"\n" + bomb
    assert len(data) < 64 * 1024
    sealed = wire.read(data)
    with pytest.raises(BundleError) as refused:  # signed by someone else: never inflated
        wire.load(sealed, wire.bundle_key("another PC"))
    assert refused.value.code == "tampered"
    with pytest.raises(BundleError) as refused:
        wire.load(sealed, key, max_bytes=1024 * 1024)
    assert refused.value.code == "too_large"


def test_a_bundle_of_a_newer_format_says_to_update() -> None:
    data = _sealed_outbox(wire.bundle_key("secret"))
    newer = data.replace(b'"format":2', b'"format":3', 1)
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
    from app.domain.ids import new_id, utcnow

    key = wire.bundle_key("secret")
    name = "กาญจนา ใจงาม"
    bundle = wire.OutboxBundle(
        bundle_id=new_id(), device_id="pc-1", org_id="org-1", created_at=utcnow(), ops=[],
        cursors={name: 7},
    )  # fmt: skip
    data = wire.seal(bundle, key)
    for clear in (bundle.bundle_id.encode(), name.encode(), b"org-1", ZSTD_FRAME_MAGIC):
        assert clear not in data  # neither the text nor a zstd frame anyone could unpack
    assert wire.load(wire.read(data), key) == bundle
    assert wire.seal(bundle, key) != data  # a fresh nonce each time
    with pytest.raises(BundleError) as refused:
        wire.load(wire.read(data), wire.bundle_key("another PC"))
    assert refused.value.code == "tampered"
    # a bundle made by the first release, before an upgrade, still travels
    old = _first_release_file(key, bundle)
    assert wire.load(wire.read(old), key) == bundle
    # (which anyone could read: the reason for format 2)
    import zstandard

    assert name.encode() in zstandard.ZstdDecompressor().decompress(old.split(b"\n", 3)[3])


def test_the_bundle_key_is_the_documented_derivation_and_receipts_go_beside_bundles() -> None:
    import hashlib
    import hmac

    expected = hmac.new(b"secret", b"localhr bundle v1", hashlib.sha256).digest()
    assert wire.bundle_key("secret") == expected != wire.bundle_key("another secret")
    assert wire.receipt_path(Path("E:/office.lhrb")) == Path("E:/office.receipt.lhrb")
    assert wire.receipt_path(Path("x.bin")) == Path("x.bin.receipt.lhrb")
