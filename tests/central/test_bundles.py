"""USB bundles at the central (sync.central.bundles), on SQLite and PostgreSQL: an offline PC's
outbox applied with the push's rules as the users who signed it, a receipt back signed by the
central and encrypted to the PC, nothing twice, nothing forged. (The attacks: in
test_adversarial_bundles.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.domain import signing
from app.domain.ids import new_id, utcnow
from localhr.cli import main
from sync.central import admin, bundles, central_key
from sync.central.auth import hash_secret
from sync.central.bundles import BundleRefused, import_bundle
from sync.central.models import CentralDevice, CentralOp, CentralRow
from sync.protocol import PROTOCOL_HEADER
from sync.protocol import bundle as wire
from sync.protocol.bundle import BundleKeys, OutboxBundle, ReceiptBundle
from tests.central.bundle_helpers import BundlePc, bundle_pc


@pytest.fixture
def pc(office) -> BundlePc:
    return bundle_pc(office)


def _import(pc: BundlePc, data: bytes, **kw) -> ReceiptBundle:
    return pc.receipt(import_bundle(pc.db, data, pc.central, **kw))


def _stored(db) -> tuple[int, int]:
    """(ops answered, rows published) at the central."""
    with db.reading() as session:
        ops = session.scalar(select(func.count()).select_from(CentralOp))
        rows = session.scalar(select(func.count()).select_from(CentralRow))
    return ops, rows


def test_a_bundle_is_applied_and_answered_with_results_and_the_changes_since_its_cursors(
    office, pc
) -> None:
    clerk = office.users["clerk.a"]
    ops = [pc.save(office, "clerk.a") for _ in range(3)]
    bundle_id = new_id()
    receipt = _import(pc, pc.outbox(ops, exporter=clerk, bundle_id=bundle_id))

    assert receipt.device_id == pc.device_id and receipt.answers == bundle_id
    assert [r.op_id for r in receipt.results] == [op.op_id for op in ops]
    assert {r.status for r in receipt.results} == {"applied"}
    # from empty cursors: the office itself (org, users) and the three drafts
    tables = [c.table for c in receipt.changes]
    assert tables.count("submission") == 3 and "organization" in tables and "user" in tables
    assert set(receipt.cursors) == {office.org_a}
    assert receipt.cursors[office.org_a] == max(c.seq for c in receipt.changes)

    # a PC that already holds everything up to its cursor gets only what is newer
    later = [pc.save(office, "clerk.a")]
    again = _import(pc, pc.outbox(later, receipt.cursors, exporter=clerk))
    assert [(c.table, c.id) for c in again.changes] == [("submission", later[0].entity_id)]


def test_the_same_bundle_twice_gets_the_same_results_and_has_one_effect(office, pc):
    ops = [pc.save(office, "clerk.a"), pc.save(office, "clerk.a")]
    data = pc.outbox(ops, exporter=office.users["clerk.a"])
    first = _import(pc, data)
    stored = _stored(pc.db)
    second = _import(pc, data)
    assert second.results == first.results
    assert second.changes == first.changes and second.cursors == first.cursors
    assert _stored(pc.db) == stored == (2, stored[1])


def test_a_clerk_and_her_supervisor_both_sign_and_each_ones_ops_are_theirs(office, pc):
    """A shared office PC: the clerk's draft and the supervisor's work in one bundle, in
    outbox order, each signer's ops applied as that signer."""
    clerk, boss = office.users["clerk.a"], office.users["super.a"]
    ops = [pc.save(office, "clerk.a"), pc.save(office, "super.a"), pc.save(office, "clerk.a")]
    receipt = _import(pc, pc.outbox(ops, exporter=clerk, signers=[boss]))
    assert [r.status for r in receipt.results] == ["applied"] * 3
    with pc.db.reading() as session:
        authors = dict(session.execute(select(CentralOp.op_id, CentralOp.author)).all())
    assert [authors[op.op_id] for op in ops] == [clerk, boss, clerk]


def test_long_runs_are_applied_in_push_sized_batches_in_order(office, pc, monkeypatch) -> None:
    monkeypatch.setattr(bundles, "MAX_OPS_PER_BATCH", 2)
    calls: list[int] = []
    apply_batch = bundles.apply_batch
    monkeypatch.setattr(
        bundles, "apply_batch", lambda db, p, ops: calls.append(len(ops)) or apply_batch(db, p, ops)
    )
    names = ("clerk.a",) * 5 + ("super.a",) * 2 + ("clerk.a",)
    ops = [pc.save(office, name) for name in names]
    data = pc.outbox(ops, exporter=office.users["clerk.a"], signers=[office.users["super.a"]])
    receipt = _import(pc, data)
    assert calls == [2, 2, 1, 1, 1, 1]  # batches of 2, split where the author changes
    assert [r.op_id for r in receipt.results] == [op.op_id for op in ops]


def test_the_receipt_covers_what_the_exporter_could_pull_on_that_pc(office, pc):
    """The province supervisor (org B, covering A) exports on A's PC: A and B come back; the
    clerk exporting the same cursors gets A only; an organization no one covers never."""
    org_c = admin.create_org(office.db, "6340199", "อบต.อื่น", "sao", "34")
    cursors = {office.org_a: 0, office.org_b: 0, org_c: 0}
    province = _import(pc, pc.outbox([], cursors, exporter=office.users["province"]))
    assert set(province.cursors) == {office.org_a, office.org_b}
    assert {c.org_id for c in province.changes} == {office.org_a, office.org_b}

    clerk = _import(pc, pc.outbox([], cursors, exporter=office.users["clerk.a"]))
    assert set(clerk.cursors) == {office.org_a}
    assert {c.org_id for c in clerk.changes} == {office.org_a}


def test_a_receipt_holds_a_bounded_number_of_changes_and_the_next_trip_the_rest(
    office, pc, monkeypatch
) -> None:
    clerk = office.users["clerk.a"]
    monkeypatch.setattr(bundles, "MAX_RECEIPT_CHANGES", 4)
    monkeypatch.setattr(bundles, "MAX_PULL_LIMIT", 3)
    ops = [pc.save(office, "clerk.a") for _ in range(5)]
    first = _import(pc, pc.outbox(ops, exporter=clerk))
    assert len(first.results) == 5 and len(first.changes) == 4 and first.more
    seen = [c.seq for c in first.changes]
    cursors = first.cursors
    while True:
        receipt = _import(pc, pc.outbox([], cursors, exporter=clerk))
        seen += [c.seq for c in receipt.changes]
        cursors = receipt.cursors
        if not receipt.more:
            break
    monkeypatch.undo()
    everything = _import(pc, pc.outbox([], exporter=clerk))
    assert seen == [c.seq for c in everything.changes] == sorted(set(seen))


def test_a_receipt_is_not_taken_as_a_bundle(office, pc) -> None:
    data = pc.outbox([pc.save(office, "clerk.a")], exporter=office.users["clerk.a"])
    receipt = import_bundle(pc.db, data, pc.central)
    with pytest.raises(BundleRefused, match="this is a receipt"):
        import_bundle(pc.db, receipt, pc.central)


def test_a_bundle_of_a_revoked_pc_is_refused(office, pc) -> None:
    data = pc.outbox([pc.save(office, "clerk.a")], exporter=office.users["clerk.a"])
    with pc.db.transaction() as session:
        session.get(CentralDevice, pc.device_id).revoked_at = utcnow()
    with pytest.raises(BundleRefused) as refused:
        import_bundle(pc.db, data, pc.central)
    assert (refused.value.code, refused.value.status) == ("device_revoked", 403)
    assert _stored(pc.db)[0] == 0


def test_a_pc_that_has_not_registered_its_keys_is_told_to_connect_once(office, pc) -> None:
    data = pc.outbox([], exporter=office.users["clerk.a"])
    with pc.db.transaction() as session:
        session.execute(update(CentralDevice).values(signing_key=None, encryption_key=None))
    with pytest.raises(BundleRefused, match="has not registered its bundle keys"):
        import_bundle(pc.db, data, pc.central)


# --- formats 1 and 2: PCs not upgraded yet --------------------------------------------------


def _legacy(office, ops, key: bytes, cursors=None) -> bytes:
    bundle = OutboxBundle(
        bundle_id=new_id(), device_id=office.device.device_id, org_id=office.org_a,
        created_at=utcnow(), ops=ops, cursors=cursors or {},
    )  # fmt: skip
    return wire.seal_legacy(bundle, key)


def _with_legacy_key(office) -> bytes:
    """A PC registered before format 3: the central still holds its K."""
    key = wire.legacy_key(office.device.credential)
    with office.db.transaction() as session:
        session.get(CentralDevice, office.device.device_id).bundle_key = key.hex()
    return key


def test_an_old_stick_still_travels_but_carries_only_its_uploaders_own_ops(client, office) -> None:
    from tests.central.bundle_helpers import save_op
    from tests.central.sync_helpers import key_at_central

    key = _with_legacy_key(office)
    mine, theirs = save_op(office, "clerk.a"), save_op(office, "super.a")
    # signed by its author (a program upgraded since signs the ops it had not sent)
    pair = key_at_central(office.db, office.users["clerk.a"], office.device.device_id)
    value = signing.op_value(**mine.model_dump(exclude={"signature"}))
    mine = mine.model_copy(
        update={"signature": signing.sign(pair.private, signing.OP_CONTEXT, value)}
    )
    other_pc = admin.register_device_as_operator(office.db, office.org_a, "เครื่องออนไลน์")
    headers = {
        **office.login(client, "clerk.a", other_pc),
        "Content-Type": "application/octet-stream",
    }
    cursors = {office.org_a: 0, office.org_b: 0}
    r = client.post(
        "/v1/bundles", content=_legacy(office, [mine, theirs], key, cursors), headers=headers
    )
    assert r.status_code == 200, r.text
    sealed = wire.read(r.content)
    assert sealed.format == 2  # what the PC's old program reads
    receipt = wire.parse(ReceiptBundle, wire.inflate(sealed.open_legacy(key), 1 << 20))
    assert [(x.status, x.code) for x in receipt.results] == [
        ("applied", None), ("rejected", "unproven_author"),
    ]  # fmt: skip
    assert receipt.changes == [] and receipt.cursors == {}  # nobody's scope read
    # the operator's own command has no uploader: nothing of such a stick is taken
    refused = import_bundle(office.db, _legacy(office, [theirs], key), BundleKeys.new())
    answer = wire.parse(ReceiptBundle, wire.inflate(wire.read(refused).open_legacy(key), 1 << 20))
    assert [x.code for x in answer.results] == ["unproven_author"]


def test_an_old_stick_of_a_pc_registered_before_bundles_existed_is_refused(office) -> None:
    data = _legacy(office, [], wire.legacy_key(office.device.credential))
    with pytest.raises(BundleRefused, match="register this PC again to use bundles"):
        import_bundle(office.db, data, BundleKeys.new())


def test_a_pc_registered_on_a_central_before_c0003_keeps_working_but_has_no_bundle_key(
    central_url, tmp_path
) -> None:
    from alembic import command
    from sqlalchemy import text

    from sync.central.db import alembic_config, make_engine, open_central

    engine = make_engine(central_url)
    with engine.begin() as conn:
        # to the head and back (the PostgreSQL database of the module may be there already)
        command.upgrade(alembic_config(conn), "head")
        command.downgrade(alembic_config(conn), "c0002")
        conn.execute(
            text(
                "INSERT INTO central_device (id, org_id, name, credential_hash, registered_by, "
                "created_at) VALUES ('old-pc', 'org', 'เครื่องเก่า', :h, 'operator', :at)"
            ),
            {"h": hash_secret("old-secret"), "at": utcnow().isoformat()},
        )
    engine.dispose()
    db = open_central(central_url)  # upgrades to head
    try:
        with db.reading() as session:
            row = session.get(CentralDevice, "old-pc")
            assert row.credential_hash == hash_secret("old-secret") and row.bundle_key is None
            assert row.signing_key is None and row.encryption_key is None
    finally:
        db.close()


def test_the_central_keeps_no_secret_of_a_pcs_bundles(office, pc) -> None:
    """New registrations store no K; a PC with K loses it once it registers public keys."""
    with pc.db.reading() as session:
        row = session.get(CentralDevice, pc.device_id)
        assert row.credential_hash == hash_secret(office.device.credential)
        assert row.bundle_key is None
        assert (row.signing_key, row.encryption_key) == pc.keys.public.hex()
        assert office.device.credential not in repr(row) + str(vars(row))
    fresh = admin.register_device_as_operator(office.db, office.org_a, "เครื่องใหม่")
    with pc.db.reading() as session:
        assert session.get(CentralDevice, fresh.device_id).bundle_key is None


# --- over HTTP -------------------------------------------------------------------------------


def test_a_pc_registers_its_keys_once_and_learns_the_centrals(client_for, office, tmp_path):
    key_file = tmp_path / "keys" / "central.json"
    client = client_for(key_file=key_file)
    central = central_key.load_or_create(key_file)
    assert key_file.stat().st_mode & 0o777 == 0o600
    signing_hex, encryption_hex = central.public.hex()

    # the registration's answer carries the central's public keys
    r = client.post("/v1/devices", json={
        "username": "admin.a", "password": office.password, "org_id": office.org_a,
        "name": "เครื่องใหม่",
    })  # fmt: skip
    assert r.status_code == 201, r.text
    reg = r.json()
    assert (reg["central_signing_key"], reg["central_encryption_key"]) == central.public.hex()
    headers = office.device_headers(office.device)

    mine = BundleKeys.new().public.hex()
    body = {"signing_key": mine[0], "encryption_key": mine[1]}
    _with_legacy_key(office)
    r = client.post("/v1/devices/keys", json=body, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json() == {"signing_key": signing_hex, "encryption_key": encryption_hex}
    with office.db.reading() as session:
        row = session.get(CentralDevice, office.device.device_id)
        assert (row.signing_key, row.encryption_key, row.bundle_key) == (*mine, None)
    # the same keys again: the same answer; other keys: refused, nothing changed
    assert client.post("/v1/devices/keys", json=body, headers=headers).status_code == 200
    other = BundleKeys.new().public.hex()
    swap = {"signing_key": other[0], "encryption_key": other[1]}
    r = client.post("/v1/devices/keys", json=swap, headers=headers)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    r = client.post("/v1/devices/keys", json=swap)  # no device credential
    assert r.status_code == 401
    with office.db.reading() as session:
        assert session.get(CentralDevice, office.device.device_id).signing_key == mine[0]

    # an administrator's renewal clears them: the PC registers new ones
    admin.register_device_as_operator(
        office.db, office.org_a, "x", device_id=office.device.device_id
    )
    with office.db.reading() as session:
        assert session.get(CentralDevice, office.device.device_id).signing_key is None


def test_a_connected_pc_uploads_a_bundle_and_gets_the_receipt(client_for, office, tmp_path):
    key_file = tmp_path / "central.json"
    client = client_for(key_file=key_file)
    pc = bundle_pc(office, central_key.load_or_create(key_file))
    connected = admin.register_device_as_operator(office.db, office.org_a, "เครื่องออนไลน์")
    headers = office.login(client, "clerk.a", connected)
    ops = [pc.save(office, "clerk.a")]
    data = pc.outbox(ops, exporter=office.users["clerk.a"])
    binary = {**headers, "Content-Type": "application/octet-stream"}
    r = client.post("/v1/bundles", content=data, headers=binary)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/octet-stream"
    assert "content-encoding" not in r.headers  # compressed already
    receipt = pc.receipt(r.content)
    assert [x.status for x in receipt.results] == ["applied"]

    again = client.post("/v1/bundles", content=data, headers=binary)
    assert pc.receipt(again.content).results == receipt.results

    # an uploader whose scope does not cover the bundle's organization
    other = admin.register_device_as_operator(office.db, office.org_b, "เครื่อง B")
    r = client.post("/v1/bundles", content=data, headers={**office.login(client, "clerk.b", other)})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    r = client.post("/v1/bundles", content=b"\x00not a bundle", headers=binary)
    assert r.status_code == 400 and r.json()["code"] == "bad_bundle"
    r = client.post("/v1/bundles", content=data)  # not logged in
    assert r.status_code == 401
    paths = client.get("/openapi.json").json()["paths"]
    assert paths["/v1/bundles"]["post"]["requestBody"] and "/v1/devices/keys" in paths


def test_text_no_database_stores_is_refused_inside_a_bundle(client_for, office, tmp_path):
    key_file = tmp_path / "central.json"
    client = client_for(key_file=key_file)
    pc = bundle_pc(office, central_key.load_or_create(key_file))
    op = pc.save(office, "clerk.a")
    payload = {**op.payload, "changes": {"first_name_th": [None, "สม\x00ชาย"]}}
    data = pc.outbox([pc.signed(op.model_copy(update={"payload": payload}))],
                     exporter=office.users["clerk.a"])  # fmt: skip
    r = client.post(
        "/v1/bundles",
        content=data,
        headers={**office.login(client, "clerk.a"), PROTOCOL_HEADER: "1"},
    )
    assert r.status_code == 400 and "NUL" in r.json()["message"]
    assert _stored(office.db)[0] == 0


# --- the operator's command ----------------------------------------------------------------


def test_localhr_central_import_bundle_writes_the_receipt_beside_the_file(
    central_url, office, tmp_path: Path, capsys, monkeypatch
) -> None:
    key_file = tmp_path / "central.json"
    monkeypatch.setenv("LOCALHR_CENTRAL_KEY_FILE", str(key_file))
    pc = bundle_pc(office, central_key.load_or_create(key_file))
    path = tmp_path / "usb" / "office.lhrb"
    path.parent.mkdir()
    ops = [pc.save(office, "clerk.a"), pc.save(office, "clerk.b")]
    path.write_bytes(pc.outbox(ops, exporter=office.users["clerk.a"]))
    code = main(["central", "import-bundle", "--db", central_url, str(path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "2 ops" in out and "1 applied" in out and "1 rejected" in out
    receipt = pc.receipt((tmp_path / "usb" / "office.receipt.lhrb").read_bytes())
    assert len(receipt.results) == 2

    chosen = tmp_path / "back.lhrb"
    assert (
        main(["central", "import-bundle", "--db", central_url, str(path), "-o", str(chosen)]) == 0
    )
    assert pc.receipt(chosen.read_bytes()).results == receipt.results
    capsys.readouterr()

    bad = tmp_path / "bad.lhrb"
    bad.write_bytes(path.read_bytes()[:-1])
    assert main(["central", "import-bundle", "--db", central_url, str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refused" in err

    # the operator's command never makes a key of its own: it must find the service's
    monkeypatch.setenv("LOCALHR_CENTRAL_KEY_FILE", str(tmp_path / "elsewhere.json"))
    assert main(["central", "import-bundle", "--db", central_url, str(path)]) == 1
    assert "no central key file" in capsys.readouterr().err
    assert not (tmp_path / "elsewhere.json").exists()
