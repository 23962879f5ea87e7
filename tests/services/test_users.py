"""Accounts: only an org admin adds them, and an office PC checks a login with no network."""

from __future__ import annotations

import pytest

from app.domain.entities import Role
from app.domain.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from app.services import users
from app.store.models import UserModel
from tests.fixtures_db import dump

OTHER_ORG = "018cc251-f400-7da4-0000-0000000000aa"


def _create(demo, actor: str, **overrides):
    args = {
        "org_id": demo.org_id,
        "username": "somsak",
        "display_name": "สมศักดิ์ รักงาน",
        "role": Role.CLERK,
        "password": "correct horse",
    } | overrides
    return users.create_user(demo.db, actor, **args)


def test_an_org_admin_creates_a_user_who_can_log_in(demo) -> None:
    user = _create(demo, demo.admin, display_name="สม\u200bศักดิ์  รักงาน")
    assert (user.username, user.role, user.org_id) == ("somsak", Role.CLERK, demo.org_id)
    assert user.display_name == "สมศักดิ์ รักงาน"  # normalized like every Thai text
    assert users.login_offline(demo.db, "somsak", "correct horse").id == user.id
    assert users.login_offline(demo.db, "  SomSak ", "correct horse").id == user.id
    assert "somsak" in [u.username for u in users.list_users(demo.db, demo.org_id)]


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR, Role.AUDITOR])
def test_only_an_org_admin_creates_users(demo, role) -> None:
    actor = demo.clerk if role is Role.CLERK else demo.supervisor
    if role is Role.AUDITOR:
        actor = _create(demo, demo.admin, username="auditor", role=Role.AUDITOR).id
    before = dump(demo.db)
    with pytest.raises(PermissionDenied):
        _create(demo, actor, role=Role.ORG_ADMIN)
    assert dump(demo.db) == before


def test_an_admin_creates_users_only_in_their_scope(demo) -> None:
    before = dump(demo.db)
    with pytest.raises(PermissionDenied):
        _create(demo, demo.admin, org_id=OTHER_ORG)
    assert dump(demo.db) == before


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"username": "clerk"}, "username_taken"),
        ({"username": "CLERK"}, "username_taken"),
        ({"password": "1234567"}, "password_short"),
        ({"password": ""}, "password_short"),
        ({"username": "สมศักดิ์"}, "username_format"),
        ({"username": "a b"}, "username_format"),
        ({"username": ""}, "username_format"),
        ({"display_name": " \u200b "}, "required"),
    ],
)
def test_bad_accounts_are_refused_with_a_code(demo, overrides, code) -> None:
    before = dump(demo.db)
    with pytest.raises(InvalidInput) as exc:
        _create(demo, demo.admin, **overrides)
    assert code in [i.code for i in exc.value.issues]
    assert dump(demo.db) == before


def test_a_password_of_exactly_eight_characters_is_enough(demo) -> None:
    _create(demo, demo.admin, password="12345678")
    users.login_offline(demo.db, "somsak", "12345678")


def test_the_demo_accounts_log_in_with_their_printed_passwords(demo) -> None:
    for account in demo.result.accounts:
        assert users.login_offline(demo.db, account.username, account.password).role is (
            account.role
        )


def test_a_wrong_password_and_an_unknown_user_fail_alike(demo) -> None:
    _create(demo, demo.admin)
    failures = []
    for username, password in (
        ("somsak", "wrong horse"),
        ("somsak", "Correct horse"),
        ("somsak", ""),
        ("nobody", "correct horse"),
        ("", ""),
    ):
        with pytest.raises(AuthenticationFailed) as exc:
            users.login_offline(demo.db, username, password)
        failures.append((type(exc.value), exc.value.message_key, exc.value.field, str(exc.value)))
    # Nothing tells an attacker whether the name exists.
    assert len(set(failures)) == 1


def test_the_stored_verifier_is_scrypt_not_the_password(demo) -> None:
    password = "correct horse"
    user = _create(demo, demo.admin, password=password)
    with demo.db.reading() as session:
        verifier = session.get(UserModel, user.id).password_verifier
    assert verifier.startswith("scrypt-offline-v1$")
    assert password not in verifier
    assert users.check_offline_verifier(password, verifier)
    assert not users.check_offline_verifier("correct horsE", verifier)
    # an offline verifier is no verifier of the central's
    assert not users.check_verifier(password, verifier)
    # A salt per user: the same password never gives the same verifier.
    other = _create(demo, demo.admin, username="other", password=password)
    with demo.db.reading() as session:
        assert session.get(UserModel, other.id).password_verifier != verifier


def test_a_damaged_verifier_fails_the_login_not_the_program(demo) -> None:
    assert not users.check_verifier("x", None)
    assert not users.check_verifier("x", "")
    assert not users.check_verifier("x", "plain-text-password")
    assert not users.check_verifier("x", "md5$1$2$3$4$5")
    assert not users.check_offline_verifier("x", None)
    assert not users.check_offline_verifier("x", "scrypt$99999999999$8$1$AA==$AA==")


def test_the_first_admin_only_on_an_empty_database(demo, tmp_path) -> None:
    before = dump(demo.db)
    with pytest.raises(InvalidInput) as exc:
        users.bootstrap_admin(
            demo.db, org_id=demo.org_id, username="root", display_name="ผู้ดูแล",
            password="12345678",
        )  # fmt: skip
    assert [i.code for i in exc.value.issues] == ["already_initialized"]
    assert dump(demo.db) == before


def test_a_user_logs_in_offline_only_after_an_online_login_on_this_pc(demo) -> None:
    """DESIGN.md §5: the first login of a user on a PC is online; the UI asks this first."""
    assert not users.logged_in_online_here(demo.db, "clerk")
    assert users.record_online_login(demo.db, " Clerk ")
    assert users.logged_in_online_here(demo.db, "clerk")
    assert not users.logged_in_online_here(demo.db, "supervisor")  # per user, not per PC
    assert not users.record_online_login(demo.db, "nobody")  # its row has not arrived


def test_a_disabled_user_no_longer_counts_as_logged_in_here(demo) -> None:
    users.record_online_login(demo.db, "clerk")
    with demo.db.transaction() as session:
        session.query(UserModel).filter_by(username="clerk").update({"active": False})
    assert not users.logged_in_online_here(demo.db, "clerk")
