"""USB bundles at the central (sync.central.bundles), on SQLite and PostgreSQL: an offline PC's
outbox applied with the push's rules, a signed receipt back, nothing twice, nothing forged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from app.domain import signing
from app.domain.ids import new_id, utcnow
from localhr.cli import main
from sync.central import bundles
from sync.central.auth import hash_secret
from sync.central.bundles import BundleRefused, import_bundle
from sync.central.models import CentralDevice, CentralOp, CentralRow
from sync.protocol import PROTOCOL_HEADER, Op
from sync.protocol import bundle as wire
from sync.protocol.bundle import OutboxBundle, ReceiptBundle
from tests.central.sync_helpers import key_at_central, signed_model

FIELDS = {
    "prefix": "mr",
    "first_name_th": "สมชาย",
    "last_name_th": "ใจดี",
    "category": "general_contract",
}


def _save(office, username: str, org_id: str | None = None, **env: Any) -> Op:
    """A clerk's new-person draft, made on the office's PC."""
    payload = {
        "id": (sid := new_id()),
        "person_id": new_id(),
        "kind": "new",
        "base_version": 0,
        "changes": {k: [None, v] for k, v in FIELDS.items()},
        "history": {"added": [], "updated": {}, "deleted": {}},
    }
    fields = {
        "op_id": new_id(), "kind": "submission.save", "entity_id": sid,
        "org_id": org_id or office.org_a, "author": office.users[username],
        "device_id": office.device.device_id, "created_at": utcnow(), "payload": payload,
    }  # fmt: skip
    op = Op.model_validate({**fields, **env})
    return signed_model(op, _author_key(office, op.author, op.device_id))


def _author_key(office, user_id: str, device_id: str) -> signing.KeyPair:
    """The key of ``user_id`` on ``device_id`` at the central (made the first time)."""
    keys = office.__dict__.setdefault("_signing_keys", {})
    if (user_id, device_id) not in keys:
        keys[user_id, device_id] = key_at_central(office.db, user_id, device_id)
    return keys[user_id, device_id]


def _bundle(office, ops: list[Op], cursors: dict[str, int] | None = None) -> bytes:
    bundle = OutboxBundle(
        bundle_id=new_id(),
        device_id=office.device.device_id,
        org_id=office.org_a,
        created_at=utcnow(),
        ops=ops,
        cursors=cursors or {},
    )
    return wire.seal(bundle, _key(office))


def _key(office) -> bytes:
    return wire.bundle_key(office.device.credential)


def _receipt(office, data: bytes) -> ReceiptBundle:
    sealed = wire.read(data)
    assert sealed.kind is wire.BundleKind.RECEIPT
    receipt = wire.load(sealed, _key(office))
    assert isinstance(receipt, ReceiptBundle)
    return receipt


def _stored(db) -> tuple[int, int]:
    """(ops answered, rows published) at the central."""
    with db.reading() as session:
        ops = session.scalar(select(func.count()).select_from(CentralOp))
        rows = session.scalar(select(func.count()).select_from(CentralRow))
    return ops, rows


def test_a_bundle_is_applied_and_answered_with_results_and_the_changes_since_its_cursors(
    central_db, office
) -> None:
    ops = [_save(office, "clerk.a") for _ in range(3)]
    data = _bundle(office, ops)
    receipt = _receipt(office, import_bundle(central_db, data))

    assert receipt.device_id == office.device.device_id
    assert (
        receipt.answers
        == OutboxBundle.model_validate_json(wire.read(data).inflate(_key(office))).bundle_id
    )
    assert [r.op_id for r in receipt.results] == [op.op_id for op in ops]
    assert {r.status for r in receipt.results} == {"applied"}
    # from empty cursors: the office itself (org, users) and the three drafts
    tables = [c.table for c in receipt.changes]
    assert tables.count("submission") == 3 and "organization" in tables and "user" in tables
    assert set(receipt.cursors) == {office.org_a}
    assert receipt.cursors[office.org_a] == max(c.seq for c in receipt.changes)

    # a PC that already holds everything up to its cursor gets only what is newer
    later = [_save(office, "clerk.a")]
    again = _receipt(office, import_bundle(central_db, _bundle(office, later, receipt.cursors)))
    assert [(c.table, c.id) for c in again.changes] == [("submission", later[0].entity_id)]


def test_the_same_bundle_twice_gets_the_same_results_and_has_one_effect(central_db, office):
    data = _bundle(office, [_save(office, "clerk.a"), _save(office, "clerk.a")])
    first = _receipt(office, import_bundle(central_db, data))
    stored = _stored(central_db)
    second = _receipt(office, import_bundle(central_db, data))
    assert second.results == first.results
    assert second.changes == first.changes and second.cursors == first.cursors
    assert _stored(central_db) == stored == (2, stored[1])


@pytest.mark.parametrize(
    "where",
    ["magic", "header", "signature", "body start", "body end", "cut", "appended"],
)
def test_a_changed_bundle_is_refused_and_nothing_is_stored(central_db, office, where) -> None:
    data = _bundle(office, [_save(office, "clerk.a")])
    header_end = data.index(b"\n", len(wire.MAGIC))
    body = header_end + 1 + wire.SIGNATURE_HEX + 1
    changed = bytearray(data)
    if where == "cut":
        changed = changed[:-10]
    elif where == "appended":
        changed += b"\x00"
    else:
        at = {
            "magic": 2,
            "header": data.index(b"outbox"),  # outbox → putbox
            "signature": header_end + 5,
            "body start": body,
            "body end": len(data) - 1,
        }[where]
        changed[at] ^= 0x01
    before = _stored(central_db)
    with pytest.raises(BundleRefused) as refused:
        import_bundle(central_db, bytes(changed))
    assert refused.value.code == "bad_bundle" and refused.value.status == 400
    assert _stored(central_db) == before


def test_a_header_naming_another_pc_is_refused(central_db, office) -> None:
    """The header is signed too: the bundle cannot be passed off as another PC's."""
    from sync.central import admin

    other = admin.register_device_as_operator(central_db, office.org_a, "เครื่อง 2")
    data = _bundle(office, [_save(office, "clerk.a")])
    forged = data.replace(office.device.device_id.encode(), other.device_id.encode(), 1)
    with pytest.raises(BundleRefused, match="changed after it was made"):
        import_bundle(central_db, forged)


def test_a_bundle_of_a_revoked_pc_is_refused(central_db, office) -> None:
    data = _bundle(office, [_save(office, "clerk.a")])
    with central_db.transaction() as session:
        session.get(CentralDevice, office.device.device_id).revoked_at = utcnow()
    with pytest.raises(BundleRefused) as refused:
        import_bundle(central_db, data)
    assert (refused.value.code, refused.value.status) == ("device_revoked", 403)
    assert _stored(central_db)[0] == 0


def test_a_pc_registered_before_bundles_existed_is_told_to_register_again(
    central_db, office
) -> None:
    data = _bundle(office, [_save(office, "clerk.a")])
    with central_db.transaction() as session:
        session.execute(update(CentralDevice).values(bundle_key=None))
    with pytest.raises(BundleRefused, match="register this PC again to use bundles"):
        import_bundle(central_db, data)


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
        bundle = OutboxBundle(
            bundle_id=new_id(), device_id="old-pc", org_id="org", created_at=utcnow(), ops=[]
        )
        with pytest.raises(BundleRefused, match="register this PC again to use bundles"):
            import_bundle(db, wire.seal(bundle, wire.bundle_key("old-secret")))
    finally:
        db.close()


def test_the_central_keeps_the_bundle_key_not_the_credential(central_db, office) -> None:
    with central_db.reading() as session:
        row = session.get(CentralDevice, office.device.device_id)
        assert row.credential_hash == hash_secret(office.device.credential)
        assert bytes.fromhex(row.bundle_key) == _key(office)
        assert office.device.credential not in repr(row) + str(vars(row))


def test_ops_of_an_author_who_may_not_work_on_the_pc_are_refused_and_the_others_applied(
    central_db, office
) -> None:
    ops = [
        _save(office, "clerk.a"),
        _save(office, "clerk.b", org_id=office.org_b),  # org B's clerk on A's PC
        _save(office, "clerk.a", author=new_id()),  # nobody the central knows
        _save(office, "clerk.a", org_id=office.org_b),  # clerk.a writing into org B
        _save(office, "clerk.a", device_id=new_id()),  # an op made on another PC
        _save(office, "super.a"),
    ]
    receipt = _receipt(office, import_bundle(central_db, _bundle(office, ops)))
    got = [(r.status, r.code) for r in receipt.results]
    assert got == [
        ("applied", None),
        ("rejected", "author_not_allowed"),
        ("rejected", "unknown_user"),
        ("rejected", "out_of_scope"),
        ("rejected", "device_mismatch"),
        ("applied", None),
    ]
    assert {c.org_id for c in receipt.changes} == {office.org_a}
    # the author refusals are not stored (a push of such a user is refused whole); the push's
    # own answers are, as for any push
    assert _stored(central_db)[0] == 4


def test_long_runs_are_applied_in_push_sized_batches_in_order(
    central_db, office, monkeypatch
) -> None:
    monkeypatch.setattr(bundles, "MAX_OPS_PER_BATCH", 2)
    calls: list[int] = []
    apply_batch = bundles.apply_batch
    monkeypatch.setattr(
        bundles, "apply_batch", lambda db, p, ops: calls.append(len(ops)) or apply_batch(db, p, ops)
    )
    ops = [_save(office, name) for name in ("clerk.a",) * 5 + ("super.a",) * 2 + ("clerk.a",)]
    receipt = _receipt(office, import_bundle(central_db, _bundle(office, ops)))
    assert calls == [2, 2, 1, 2, 1]
    assert [r.op_id for r in receipt.results] == [op.op_id for op in ops]


def test_the_receipt_covers_what_the_pc_follows_and_its_users_may_see(central_db, office):
    """A province supervisor (org B, covering A) pulled on A's PC: the PC follows A and B and
    gets both back; an organization none of the PC's users covers is left out."""
    from sync.central import admin

    org_c = admin.create_org(central_db, "6340199", "อบต.อื่น", "sao", "34")
    cursors = {office.org_a: 0, office.org_b: 0, org_c: 0}
    receipt = _receipt(office, import_bundle(central_db, _bundle(office, [], cursors)))
    assert set(receipt.cursors) == {office.org_a, office.org_b}
    assert {c.org_id for c in receipt.changes} == {office.org_a, office.org_b}

    admin.set_user_active(central_db, office.users["province"], False)
    receipt = _receipt(office, import_bundle(central_db, _bundle(office, [], cursors)))
    assert set(receipt.cursors) == {office.org_a}


def test_a_receipt_holds_a_bounded_number_of_changes_and_the_next_trip_the_rest(
    central_db, office, monkeypatch
) -> None:
    monkeypatch.setattr(bundles, "MAX_RECEIPT_CHANGES", 4)
    monkeypatch.setattr(bundles, "MAX_PULL_LIMIT", 3)
    ops = [_save(office, "clerk.a") for _ in range(5)]
    first = _receipt(office, import_bundle(central_db, _bundle(office, ops)))
    assert len(first.results) == 5 and len(first.changes) == 4 and first.more
    seen = [c.seq for c in first.changes]
    cursors = first.cursors
    while True:
        receipt = _receipt(office, import_bundle(central_db, _bundle(office, [], cursors)))
        seen += [c.seq for c in receipt.changes]
        cursors = receipt.cursors
        if not receipt.more:
            break
    monkeypatch.undo()
    everything = _receipt(office, import_bundle(central_db, _bundle(office, [])))
    assert seen == [c.seq for c in everything.changes] == sorted(set(seen))


def test_a_receipt_is_not_taken_as_a_bundle(central_db, office) -> None:
    receipt = import_bundle(central_db, _bundle(office, [_save(office, "clerk.a")]))
    with pytest.raises(BundleRefused, match="this is a receipt"):
        import_bundle(central_db, receipt)


# --- over HTTP: a connected PC uploads the bundle ------------------------------------------


def test_a_connected_pc_uploads_a_bundle_and_gets_the_receipt(client, office) -> None:
    from sync.central import admin

    connected = admin.register_device_as_operator(office.db, office.org_a, "เครื่องออนไลน์")
    headers = office.login(client, "clerk.a", connected)
    ops = [_save(office, "clerk.a")]
    data = _bundle(office, ops)
    binary = {**headers, "Content-Type": "application/octet-stream"}
    r = client.post("/v1/bundles", content=data, headers=binary)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/octet-stream"
    assert "content-encoding" not in r.headers  # compressed already
    receipt = _receipt(office, r.content)
    assert [x.status for x in receipt.results] == ["applied"]

    again = client.post("/v1/bundles", content=data, headers=binary)
    assert _receipt(office, again.content).results == receipt.results

    # an uploader whose scope does not cover the bundle's organization
    other = admin.register_device_as_operator(office.db, office.org_b, "เครื่อง B")
    r = client.post("/v1/bundles", content=data, headers={**office.login(client, "clerk.b", other)})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    r = client.post("/v1/bundles", content=b"\x00not a bundle", headers=binary)
    assert r.status_code == 400 and r.json()["code"] == "bad_bundle"
    r = client.post("/v1/bundles", content=data)  # not logged in
    assert r.status_code == 401
    assert client.get("/openapi.json").json()["paths"]["/v1/bundles"]["post"]["requestBody"]


def test_text_no_database_stores_is_refused_inside_a_bundle(client, office) -> None:
    op = _save(office, "clerk.a")
    payload = {**op.payload, "changes": {"first_name_th": [None, "สม\x00ชาย"]}}
    data = _bundle(office, [op.model_copy(update={"payload": payload})])
    r = client.post(
        "/v1/bundles",
        content=data,
        headers={**office.login(client, "clerk.a"), PROTOCOL_HEADER: "1"},
    )
    assert r.status_code == 400 and "NUL" in r.json()["message"]


# --- the operator's command ----------------------------------------------------------------


def test_localhr_central_import_bundle_writes_the_receipt_beside_the_file(
    central_url, central_db, office, tmp_path: Path, capsys
) -> None:
    path = tmp_path / "usb" / "office.lhrb"
    path.parent.mkdir()
    path.write_bytes(_bundle(office, [_save(office, "clerk.a"), _save(office, "clerk.b")]))
    code = main(["central", "import-bundle", "--db", central_url, str(path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "2 ops" in out and "1 applied" in out and "1 rejected" in out
    receipt = _receipt(office, (tmp_path / "usb" / "office.receipt.lhrb").read_bytes())
    assert len(receipt.results) == 2

    chosen = tmp_path / "back.lhrb"
    assert (
        main(["central", "import-bundle", "--db", central_url, str(path), "-o", str(chosen)]) == 0
    )
    assert _receipt(office, chosen.read_bytes()).results == receipt.results
    capsys.readouterr()

    bad = tmp_path / "bad.lhrb"
    bad.write_bytes(path.read_bytes()[:-1])
    assert main(["central", "import-bundle", "--db", central_url, str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refused" in err
