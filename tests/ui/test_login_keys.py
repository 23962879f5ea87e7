"""The login dialog and users' signing keys (DESIGN.md §5): the first online login makes
the user's key and its sync registers it with the central; later logins, offline too,
unlock it with the password; the key is kept only locked."""

from __future__ import annotations

from sqlalchemy import select

from app.domain import signing
from app.services import user_keys
from app.services.context import signer
from app.store.models import UserKeyModel
from sync.central.models import CentralUserKey
from sync.testing.faultproxy import FaultProxy
from tests.sync_client import conftest as sync_fixtures
from tests.sync_client.conftest import PASSWORD
from tests.ui import session_helpers as helpers
from tests.ui.test_login import dialog_for, log_in

_quick_verifiers = sync_fixtures._quick_verifiers
central = sync_fixtures.central
central_for = sync_fixtures.central_for
pc_for = helpers.pc_for
runner = helpers.runner


def test_the_first_online_login_makes_and_registers_a_key_later_ones_unlock_it(
    qtbot, runner, central, pc_for
) -> None:
    with FaultProxy(central.url) as proxy:
        pc = pc_for(proxy.url, register=central)
        session = log_in(qtbot, dialog_for(qtbot, runner, pc), "clerk.a", PASSWORD)
        assert session is not None
        clerk = session.user_id
        local = user_keys.keys(pc.db)[clerk]
        assert local.registered  # by the first login's own sync
        with central.db.reading() as s:
            row = s.get(CentralUserKey, local.key_id)
            assert (row.user_id, row.device_id, row.revoked_at) == (clerk, pc.db.device_id, None)
        with pc.db.reading() as s:
            locked = s.scalar(select(UserKeyModel.locked_key).where(UserKeyModel.user_id == clerk))
        private = signing.unlock_private_key(locked, PASSWORD)
        assert private is not None and signer(pc.db).key_for(clerk) == private
        files = b"".join(p.read_bytes() for p in pc.db.path.parent.glob("localhr.sqlite3*"))
        assert private not in files and private.hex().encode() not in files

        proxy.cut()  # offline from now on
        signer(pc.db).drop()
        assert log_in(qtbot, dialog_for(qtbot, runner, pc), "clerk.a", "รหัสผิด-1234") is None
        assert signer(pc.db).key_for(clerk) is None
        assert log_in(qtbot, dialog_for(qtbot, runner, pc), "clerk.a", PASSWORD) == session
        assert signer(pc.db).key_for(clerk) == private
        assert user_keys.keys(pc.db)[clerk].key_id == local.key_id  # the same key
