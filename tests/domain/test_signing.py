"""Signatures that prove an op's author: made on one side, checked on the other."""

from __future__ import annotations

import pytest

from app.domain import signing

OP = {"op_id": "0190a0b0-0000-7000-8000-000000000001", "payload": {"salary": "15310.50",
      "name": "สมหญิง"}, "created_at": "2026-12-07T16:00:00+00:00"}  # fmt: skip


def test_a_signature_checks_with_its_key_only() -> None:
    mine, other = signing.new_key_pair(), signing.new_key_pair()
    sig = signing.sign(mine.private, "op v1", OP)
    assert signing.signature_key_id(sig) == mine.id
    assert signing.verify(mine.public, "op v1", OP, sig)
    assert not signing.verify(other.public, "op v1", OP, sig)


def test_any_change_breaks_the_signature() -> None:
    keys = signing.new_key_pair()
    sig = signing.sign(keys.private, "op v1", OP)
    changed = {**OP, "payload": {**OP["payload"], "salary": "99999"}}
    assert not signing.verify(keys.public, "op v1", changed, sig)
    assert not signing.verify(keys.public, "bundle v1", OP, sig)  # another kind of thing


def test_key_order_and_spacing_do_not_matter() -> None:
    keys = signing.new_key_pair()
    sig = signing.sign(keys.private, "op v1", OP)
    reordered = dict(reversed(list(OP.items())))
    assert signing.verify(keys.public, "op v1", reordered, sig)


@pytest.mark.parametrize(
    "sig", [None, "", "x", "nothex0123456789.AAAA", "a" * 500, "0123456789abcdef.!!!"]
)
def test_malformed_signatures_are_just_invalid(sig) -> None:
    keys = signing.new_key_pair()
    assert not signing.verify(keys.public, "op v1", OP, sig)
    assert not signing.verify(b"short", "op v1", OP, sig)


def test_nan_cannot_be_signed() -> None:
    keys = signing.new_key_pair()
    with pytest.raises(ValueError):
        signing.sign(keys.private, "op v1", {"x": float("nan")})


def test_a_locked_key_opens_with_its_password_only() -> None:
    keys = signing.new_key_pair()
    locked = signing.lock_private_key(keys.private, "รหัสผ่าน-1", n=2**10)
    assert keys.private.hex() not in locked
    assert signing.unlock_private_key(locked, "รหัสผ่าน-1") == keys.private
    assert signing.unlock_private_key(locked, "รหัสผ่าน-2") is None
    assert signing.unlock_private_key("garbage", "รหัสผ่าน-1") is None
    tampered = locked[:-3] + ("A" if locked[-3] != "A" else "B") + locked[-2:]
    assert signing.unlock_private_key(tampered, "รหัสผ่าน-1") is None


def test_an_op_signed_on_the_pc_checks_at_the_central() -> None:
    import datetime as dt

    keys = signing.new_key_pair()
    made = dt.datetime(2026, 12, 7, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    fields = {"op_id": "a", "kind": "submission.save", "entity_id": "b", "org_id": "c",
              "author": "d", "device_id": "e", "payload": {"x": ["1", None]}}  # fmt: skip
    sig = signing.sign(
        keys.private, signing.OP_CONTEXT, signing.op_value(**fields, created_at=made)
    )
    # the central parsed the same instant, written in UTC
    received = signing.op_value(**fields, created_at=made.astimezone(dt.UTC))
    assert signing.verify(keys.public, signing.OP_CONTEXT, received, sig)
    forged = signing.op_value(**{**fields, "author": "z"}, created_at=made)
    assert not signing.verify(keys.public, signing.OP_CONTEXT, forged, sig)
    with pytest.raises(ValueError):
        signing.op_value(**fields, created_at=made.replace(tzinfo=None))
