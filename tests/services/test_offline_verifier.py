"""A PC's offline login with the verifier the central publishes (issue 13, point 5).

The user row goes from a real central database through a pull into the desktop's database,
as a sync would apply it; then ``users.login_offline`` (what ui/login.py calls) checks the
password against it. A password changed at the central replaces it at the next pull.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.errors import AuthenticationFailed
from app.domain.passwords import check_verifier
from app.services import replica, users
from app.store.db import Database, open_database
from app.store.models import UserModel
from sync.central import accounts, admin, auth, pull
from sync.central.db import CentralDB, open_central
from sync.central.models import CentralUser
from sync.protocol import PullRequest

OLD, NEW = "รหัสผ่านเดิม-2568", "รหัสผ่านใหม่-2569"


def _sync(central: CentralDB, pc: Database, org_id: str) -> None:
    page = pull.pull_orgs(
        central, {org_id}, PullRequest(cursors=replica.cursors(pc)), device_org_id=org_id
    )
    replica.apply_page(pc, page.changes, dict(page.cursors))


@pytest.fixture
def both(tmp_path: Path):
    central = open_central(f"sqlite:///{tmp_path / 'central.sqlite3'}")
    pc = open_database(tmp_path / "pc.sqlite3")
    try:
        yield central, pc
    finally:
        central.close()
        pc.close()


def test_the_desktop_logs_in_offline_with_the_published_verifier(both) -> None:
    central, pc = both
    org = admin.create_org(central, "6340101", "องค์การบริหารส่วนตำบลหนองบัว", "sao", "34")
    user_id = admin.create_user(central, org, "somchai", "สมชาย ใจดี", "clerk", OLD)
    _sync(central, pc, org)
    assert users.login_offline(pc, "somchai", OLD).id == user_id
    with pytest.raises(AuthenticationFailed):
        users.login_offline(pc, "somchai", NEW)
    with pc.reading() as s:
        local = s.scalar(select(UserModel.password_verifier).where(UserModel.id == user_id))
    with central.reading() as s:
        row = s.get(CentralUser, user_id)
        central_verifier, principal_user = row.password_verifier, auth.user_entity(row)
    # the PC holds the offline verifier, which is not the central's and opens nothing there
    assert local != central_verifier
    assert not check_verifier(OLD, local)

    # the password changes at the central: the next pull replaces the PC's verifier
    principal = auth.Principal(user=principal_user, device_id="pc", device_org_id=org)
    accounts.change_password(central, principal, OLD, NEW, token=None)
    _sync(central, pc, org)
    assert users.login_offline(pc, "somchai", NEW).id == user_id
    with pytest.raises(AuthenticationFailed):
        users.login_offline(pc, "somchai", OLD)


def test_a_reset_password_logs_in_nowhere_offline(both) -> None:
    """A one-time password must be changed online first: until then the PC has no
    verifier of that user, and the old password is refused there too."""
    central, pc = both
    org = admin.create_org(central, "6340101", "องค์การบริหารส่วนตำบลหนองบัว", "sao", "34")
    user_id = admin.create_user(central, org, "somchai", "สมชาย ใจดี", "clerk", OLD)
    _sync(central, pc, org)
    reset = accounts.reset_password(central, None, user_id)
    _sync(central, pc, org)
    for password in (OLD, reset.one_time_password):
        with pytest.raises(AuthenticationFailed):
            users.login_offline(pc, "somchai", password)
