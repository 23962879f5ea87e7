"""``localhr central keys ...``: an operator lists and revokes a user's signing keys."""

from __future__ import annotations

from app.domain.ids import new_id
from localhr.cli import main
from tests.central.sync_helpers import new_person


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["central", "keys", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_operator_lists_and_revokes_a_users_key(central_url, client, office, clerk, capsys):
    kid = clerk.keys.id
    code, out, err = _run(capsys, "list", "Clerk.A", "--db", central_url)
    assert code == 0, err
    assert kid in out and "live" in out and clerk.device_id in out
    code, out, err = _run(capsys, "revoke", kid, "--db", central_url)
    assert code == 0, err
    assert kid in out and "revoked" in out
    code, out, _ = _run(capsys, "list", "clerk.a", "--db", central_url)
    assert f"{kid}" in out and "revoked 2" in out
    # the clerk's ops signed with it are refused from now on
    [result] = clerk.push(clerk.save(new_id(), new_person()))
    assert (result["status"], result["code"]) == ("rejected", "bad_signature")


def test_unknown_users_and_keys_are_said_so(central_url, office, capsys) -> None:
    code, _, err = _run(capsys, "list", "nobody", "--db", central_url)
    assert code == 1 and "no user 'nobody'" in err
    code, _, err = _run(capsys, "revoke", "0123456789abcdef", "--db", central_url)
    assert code == 1 and "no such key" in err
