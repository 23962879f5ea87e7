"""``localhr bundle ...``: the USB bundle of an office with no link (DESIGN.md §4).

    on the offline PC:     localhr bundle export E:\\office.lhrb --central URL --user NAME
                           [--also NAME ...]   (each one's password is asked)
    on a connected PC:     localhr bundle import E:\\office.lhrb --central URL [--user NAME]
                           (writes E:\\office.receipt.lhrb)
    back on the offline PC: localhr bundle import E:\\office.receipt.lhrb --central URL

``export`` is signed by ``--user`` (the exporter: the receipt brings back what they could
pull) and by each ``--also`` user whose ops it should carry, each with their own user key,
unlocked by their password; the ops go in outbox order up to the first op of a user who did
not sign. The PC's own bundle keys must be registered with the central (done at
registration; else ``export`` does it first when the central can be reached).

``import`` tells an outbox bundle from a receipt by its header. ``--central`` is the address
of the central the PC is registered with: its device credential is kept in the system's
password store under that address and the data folder (sync.client.credentials); the
desktop has no stored setting for it yet. ``--data-dir`` is the data folder (default: the
platform's, or ``LOCALHR_DATA_DIR``), ``--db`` the database in it.

Never imports :mod:`sync.central`: this runs on the desktop.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

DATABASE = "localhr.sqlite3"  # the desktop's database (app.config.DESKTOP_DATABASE)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--central", required=True, metavar="URL", help="the central this PC is registered with"
    )
    common.add_argument("--data-dir", type=Path, metavar="DIR", help="the PC's data folder")
    common.add_argument("--db", type=Path, metavar="FILE", help=f"default: DIR/{DATABASE}")

    bundle = subparsers.add_parser("bundle", help="carry the outbox on a USB stick")
    what = bundle.add_subparsers(dest="bundle_command", required=True, metavar="COMMAND")
    export = what.add_parser(
        "export", parents=[common], help="write this PC's unsent work to a signed file"
    )
    export.add_argument("file", type=Path, metavar="FILE")
    export.add_argument("--user", required=True, help="who exports it (their password is asked)")
    export.add_argument(
        "--also", action="append", default=[], metavar="NAME",
        help="another user whose ops it carries (their password is asked); repeatable",
    )  # fmt: skip
    export.add_argument(
        "--password-stdin", action="store_true", help="read the passwords, one a line"
    )
    imp = what.add_parser(
        "import",
        parents=[common],
        help="upload another PC's bundle (connected PC), or apply a receipt (the PC it is for)",
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("-o", "--output", type=Path, metavar="RECEIPT", help="where the receipt goes")
    imp.add_argument("--user", help="who uploads (logged in online at this PC; else asked)")
    imp.add_argument("--password-stdin", action="store_true", help="read --user's password")
    imp.add_argument("--ca-bundle", type=Path, metavar="FILE", help="CA certificates to trust")
    return bundle


def _fail(message: str, code: int = 1) -> int:
    print(f"localhr bundle: {message}", file=sys.stderr)
    return code


def run(args) -> int:
    """Handle ``localhr bundle ...``; the exit status."""
    from app import config
    from app.store.db import open_database
    from sync.client.account import NotRegistered
    from sync.client.credentials import CredentialStore
    from sync.client.errors import CentralError, KeyringUnavailable
    from sync.protocol.bundle import BundleError

    data_dir = args.data_dir or config.data_dir()
    path = args.db or data_dir / DATABASE
    if not path.exists():
        return _fail(f"no LocalHR Desk database at {path}")
    store = CredentialStore.for_central(args.central, data_dir)
    db = open_database(path)
    try:
        if args.bundle_command == "export":
            return _export(db, store, args)
        return _import(db, store, args)
    except NotRegistered:
        return _fail("this PC is not registered with the central yet: register it first")
    except KeyringUnavailable as exc:
        return _fail(str(exc))
    except BundleError as exc:
        return _fail(f"{args.file}: {exc.message}")
    except CentralError as exc:
        return _fail(f"the central: {exc.message}")
    except OSError as exc:
        return _fail(f"{exc.filename or args.file}: {exc.strerror or exc}")
    finally:
        db.close()


def _export(db, store, args) -> int:
    from sync.client import account, bundle_keys
    from sync.client.bundle import export_bundle
    from sync.client.transport import CentralClient
    from sync.protocol.bundle import BundleError

    device = account.device(store)
    try:
        bundle_keys.ready(store, device)
    except BundleError:  # registered before bundle keys: register them now, if online
        with CentralClient(args.central) as client:
            bundle_keys.register(client, store, device)
    signers: dict[str, bytes] = {}
    exporter = ""
    for username in [args.user, *args.also]:
        user_id, key = _unlock(db, username, _password(args, username))
        signers[user_id] = key
        exporter = exporter or user_id
    done = export_bundle(db, store, args.file, exporter=exporter, signers=signers)
    print(f"{done.ops} ops written to {done.path} ({done.size} bytes)")
    if done.left:
        why = " (the next is by a user who did not sign: add --also)" if done.next_author else ""
        print(f"{done.left} ops wait for the next bundle{why}")
    print("take it to a connected PC (localhr bundle import) or to the central")
    return 0


def _unlock(db, username: str, password: str) -> tuple[str, bytes]:
    """The user's id and their private user key, unlocked with their password (the key is
    kept locked under it on this PC: app.services.user_keys); their queued ops not signed
    yet are signed with it, so the bundle can carry them."""
    from sqlalchemy import select

    from app.services import outbox, user_keys
    from app.store.models import UserModel
    from sync.protocol.bundle import BundleError

    name = (username or "").strip().lower()
    with db.reading() as session:
        user_id = session.scalar(select(UserModel.id).where(UserModel.username == name))
    key = user_keys.unlock(db, user_id, password, make=False) if user_id else None
    if user_id is None or key is None:
        raise BundleError(
            "no_keys",
            f"{username}: no signing key on this PC opens with that password (a user's "
            "first login on a PC is online; it makes their key)",
        )
    with db.transaction() as session:
        outbox.sign_queued(session, user_id, key.pair.private)
    return user_id, key.pair.private


def _import(db, store, args) -> int:
    from sync.client.bundle import apply_receipt, kind_of
    from sync.protocol.bundle import BundleKind

    if kind_of(args.file) is BundleKind.OUTBOX:
        return _upload(db, store, args)
    got = apply_receipt(db, store, args.file)
    print(
        f"receipt applied: {got.applied} ops applied, {got.conflict} in conflict, "
        f"{got.rejected} rejected, {got.retry} to send again; {got.rows} rows received"
    )
    if got.more:
        print("the central has more changes for this PC: export a bundle again to get them")
    return 0


def _upload(db, store, args) -> int:
    from sync.client import account
    from sync.client.bundle import upload_bundle
    from sync.client.transport import CentralClient
    from sync.files import write_atomically
    from sync.protocol.bundle import receipt_path

    with CentralClient(args.central, ca_bundle=args.ca_bundle) as client:
        if args.user is not None:
            token = store.token(args.user)
            if token is None:  # an online login now: its session is kept for the next time
                token = account.login(client, store, args.user, _password(args))
            client.resume(account.device(store), token.token)
        else:
            creds = account.credentials(db, store)
            user = creds.puller()
            if user is None:
                return _fail("nobody is logged in online at this PC: name a user with --user")
            client.resume(creds.device, creds.tokens[user])
        receipt = upload_bundle(client, args.file)
    out = args.output or receipt_path(args.file)
    write_atomically(out, receipt)
    print(f"receipt written to {out}: take it back to the PC that made the bundle")
    return 0


def _password(args, username: str | None = None) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return getpass.getpass(f"Password of {username or args.user}: ")
