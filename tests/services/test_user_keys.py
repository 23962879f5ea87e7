"""Users' signing keys on a PC (DESIGN.md §5): made at a login, kept only locked, unlocked
by the right password, signing the ops of the user at the PC and nobody else's."""

from __future__ import annotations

import base64

from sqlalchemy import select

from app.domain import signing
from app.domain.entities import Role
from app.services import audit, outbox, submissions, user_keys
from app.services.context import signer
from app.store.models import OutboxOpModel, UserKeyModel
from tests.fixtures_db import Demo


def _password(demo: Demo, role: Role) -> str:
    return demo.account(role).password


def _ops(demo: Demo, *entity_ids: str) -> list[OutboxOpModel]:
    """The ops about these entities, in order (the demo office has ops of its own)."""
    with demo.db.reading() as session:
        query = select(OutboxOpModel).where(OutboxOpModel.entity_id.in_(entity_ids))
        return list(session.scalars(query.order_by(OutboxOpModel.seq)))


def _signed_by(op: OutboxOpModel, key: user_keys.UnlockedKey | None) -> bool:
    assert key is not None
    value = outbox.op_value(op)
    return signing.verify(key.pair.public, signing.OP_CONTEXT, value, op.signature)


def _file_bytes(demo: Demo) -> bytes:
    path = demo.db.path
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_a_login_on_a_linked_pc_makes_a_key_kept_only_locked(demo: Demo) -> None:
    password = _password(demo, Role.CLERK)
    key = user_keys.at_login(demo.db, demo.clerk, password, make=True)
    assert key is not None and key.made and not key.registered
    with demo.db.reading() as session:
        row = session.get(UserKeyModel, demo.clerk)
        assert row is not None
        assert (row.key_id, row.public_key) == (key.pair.id, key.pair.public.hex())
        assert signing.unlock_private_key(row.locked_key, password) == key.pair.private
        assert signing.unlock_private_key(row.locked_key, "not the password") is None
    stored = _file_bytes(demo)
    private = key.pair.private
    for form in (private, private.hex().encode(), base64.urlsafe_b64encode(private).rstrip(b"=")):
        assert form not in stored
    # the next login unlocks the same key: no new one
    again = user_keys.at_login(demo.db, demo.clerk, password, make=True)
    assert again is not None and not again.made and again.pair == key.pair


def test_an_offline_login_unlocks_the_key_with_the_right_password_only(demo: Demo) -> None:
    password = _password(demo, Role.CLERK)
    # a PC without a central makes no key
    assert user_keys.at_login(demo.db, demo.clerk, password, make=False) is None
    key = user_keys.at_login(demo.db, demo.clerk, password, make=True)
    assert key is not None
    held = signer(demo.db)
    held.drop()
    assert user_keys.at_login(demo.db, demo.clerk, "wrong password", make=False) is None
    assert held.key_for(demo.clerk) is None
    unlocked = user_keys.at_login(demo.db, demo.clerk, password, make=False)
    assert unlocked is not None and unlocked.pair == key.pair
    assert held.key_for(demo.clerk) == key.pair.private


def test_ops_are_signed_by_their_author_across_a_switch_of_user(demo: Demo) -> None:
    clerk_key = user_keys.at_login(demo.db, demo.clerk, _password(demo, Role.CLERK), make=True)
    sid = submissions.start_draft(demo.db, demo.clerk).submission.id
    submissions.save_draft(demo.db, demo.clerk, sid, fields={"first_name_th": "สมชาย"})
    [clerk_op] = _ops(demo, sid)
    assert _signed_by(clerk_op, clerk_key)

    # the supervisor logs in at the PC (Switch user): their ops are signed with their key
    boss_key = user_keys.at_login(
        demo.db, demo.supervisor, _password(demo, Role.SUPERVISOR), make=True
    )
    with demo.db.transaction() as session:
        viewed = audit.append(
            session,
            org_id=demo.org_id,
            actor_id=demo.supervisor,
            action="person.view",
            entity_kind="person",
            entity_id=None,
        ).id
    [boss_op] = _ops(demo, viewed)  # fmt: skip
    assert _signed_by(boss_op, boss_key)
    # the clerk's op is still signed by the clerk's key, and nothing the clerk makes now is
    # signed with the supervisor's: it waits, unsigned, for the clerk's next login
    [kept] = _ops(demo, sid)
    assert kept.signature == clerk_op.signature
    with demo.db.transaction() as session:
        late_id = audit.append(
            session,
            org_id=demo.org_id,
            actor_id=demo.clerk,
            action="person.view",
            entity_kind="person",
            entity_id=None,
        ).id
    [late] = _ops(demo, late_id)  # fmt: skip
    assert late.signature is None
    assert signer(demo.db).key_for(demo.clerk) is None

    user_keys.at_login(demo.db, demo.clerk, _password(demo, Role.CLERK), make=True)
    assert all(_signed_by(op, clerk_key) for op in _ops(demo, sid, late_id))
    assert _signed_by(_ops(demo, viewed)[0], boss_key)


def test_a_coalesced_save_is_signed_again(demo: Demo) -> None:
    key = user_keys.at_login(demo.db, demo.clerk, _password(demo, Role.CLERK), make=True)
    sid = submissions.start_draft(demo.db, demo.clerk).submission.id
    submissions.save_draft(demo.db, demo.clerk, sid, fields={"first_name_th": "สมชาย"})
    first = _ops(demo, sid)[0].signature
    submissions.save_draft(demo.db, demo.clerk, sid, fields={"last_name_th": "ใจดี"})
    [op] = _ops(demo, sid)  # one op, its payload replaced
    assert op.payload["changes"]["last_name_th"][1] == "ใจดี"
    assert op.signature != first and _signed_by(op, key)


def test_ops_queued_before_signatures_are_signed_at_the_next_login(demo: Demo) -> None:
    """Ops made before the upgrade (no key yet) are signed by their author's next login."""
    sid = submissions.start_draft(demo.db, demo.clerk).submission.id
    submissions.save_draft(demo.db, demo.clerk, sid, fields={"first_name_th": "สมชาย"})
    assert [op.signature for op in _ops(demo, sid)] == [None]
    key = user_keys.at_login(demo.db, demo.clerk, _password(demo, Role.CLERK), make=True)
    assert _signed_by(_ops(demo, sid)[0], key)


def test_a_key_that_no_longer_unlocks_is_replaced_and_the_queue_signed_again(demo: Demo):
    """The password changed at the central: the old key does not unlock with the new one;
    a new pair is made, and the ops signed with the old key are signed with the new."""
    old = user_keys.at_login(demo.db, demo.clerk, _password(demo, Role.CLERK), make=True)
    sid = submissions.start_draft(demo.db, demo.clerk).submission.id
    submissions.save_draft(demo.db, demo.clerk, sid, fields={"first_name_th": "สมชาย"})
    assert _signed_by(_ops(demo, sid)[0], old)
    assert user_keys.mark_registered(demo.db, demo.clerk, old.pair.id)
    new = user_keys.at_login(demo.db, demo.clerk, "a new password 2569", make=True)
    assert new is not None and new.made and not new.registered and new.pair != old.pair
    assert user_keys.keys(demo.db)[demo.clerk].key_id == new.pair.id
    [op] = _ops(demo, sid)
    assert _signed_by(op, new)


def test_a_new_device_id_drops_the_signatures_it_invalidates(demo: Demo) -> None:
    key = user_keys.at_login(demo.db, demo.clerk, _password(demo, Role.CLERK), make=True)
    sid = submissions.start_draft(demo.db, demo.clerk).submission.id
    submissions.save_draft(demo.db, demo.clerk, sid, fields={"first_name_th": "สมชาย"})
    assert _signed_by(_ops(demo, sid)[0], key)
    outbox.adopt_device(demo.db, "01a25170-0000-7000-8000-000000000001")
    [op] = _ops(demo, sid)
    assert op.device_id.endswith("0001") and op.signature is None
    user_keys.at_login(demo.db, demo.clerk, _password(demo, Role.CLERK), make=True)
    [op] = _ops(demo, sid)
    assert _signed_by(op, key)
