"""``localhr central ...``: what an operator needs to stand up a central without SQL.

    localhr central init-db
    localhr central create-org --code 6340101 --name "อบต.ตัวอย่าง" --type sao --province 34 \\
        [--admin-username somchai --admin-name "สมชาย ใจดี"]   (its first org admin)
    localhr central import-orgs orgs.csv
    localhr central create-user --org 6340101 --username somchai --name "สมชาย ใจดี" \\
        --role org_admin              (the password is asked for, or read with --password-stdin)
    localhr central register-device --org 6340101 --name "HR desk 1"
    localhr central import-bundle outbox.lhrb [-o receipt.lhrb]
    localhr central reset-password --user somchai   (prints a one-time password)
    localhr central disable-user --user somchai     (and enable-user)
    localhr central end-sessions --user somchai
    localhr central security-events [--org 6340101] [--limit 50]
    localhr central audit-gaps [--org 6340101]    (audit events whose predecessor is missing)
    localhr central keys list somchai       (a user's signing keys, one per PC)
    localhr central keys revoke 0123456789abcdef
    localhr central users list --org 6340101        (and: users disable somchai)
    localhr central devices list --org 6340101      (and: devices revoke DEVICE_ID)
    localhr central load-structure --org 6340101 structure.csv   (units and slots; all or nothing)
    localhr central serve

Settings come from ``LOCALHR_CENTRAL_*`` variables or ``--config FILE``
(see :mod:`sync.central.config`); ``--db URL`` overrides the database.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

COMMANDS = (
    "serve", "init-db", "create-org", "create-user", "import-orgs", "register-device",
    "import-bundle", "reset-password", "disable-user", "enable-user", "end-sessions",
    "security-events", "keys", "audit-gaps", "users", "devices", "load-structure",
)  # fmt: skip


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``central`` and its subcommands to ``localhr``'s subparsers."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, help="a TOML or env file of central settings")
    common.add_argument(
        "--db", metavar="URL", help="database URL (postgresql://... or sqlite:///...)"
    )

    central = subparsers.add_parser("central", help="the central data center service")
    what = central.add_subparsers(dest="central_command", required=True, metavar="COMMAND")

    serve = what.add_parser("serve", parents=[common], help="run the service")
    serve.add_argument("--host", help="bind address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default 8443 with TLS, 8080 without)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")

    what.add_parser("init-db", parents=[common], help="create or upgrade the database")

    org = what.add_parser("create-org", parents=[common], help="add an organization (อปท.)")
    org.add_argument("--code", required=True, help="DLA code, 7 digits")
    org.add_argument("--name", required=True, help="Thai name")
    org.add_argument("--type", required=True, dest="org_type", help="org type code, e.g. sao")
    org.add_argument("--province", required=True, help="province code, 2 digits")
    org.add_argument("--amphoe", help="amphoe code, 4 digits")
    org.add_argument(
        "--admin-username", help="make the organization's first org admin with this username"
    )
    org.add_argument("--admin-name", help="the first org admin's display name")

    user = what.add_parser("create-user", parents=[common], help="add a user account")
    user.add_argument("--org", required=True, help="the user's organization: id or DLA code")
    user.add_argument("--username", required=True)
    user.add_argument("--name", required=True, dest="display_name", help="display name")
    user.add_argument("--role", required=True, help="clerk, supervisor, org_admin or auditor")
    user.add_argument(
        "--scope",
        action="append",
        default=[],
        metavar="ORG",
        help="a further organization in the user's scope (id or DLA code); repeatable",
    )
    user.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )

    imp = what.add_parser("import-orgs", parents=[common], help="create or update orgs from CSV")
    imp.add_argument(
        "csv", type=Path, metavar="CSV", help="dla_code,name,org_type,province_code,amphoe_code"
    )

    dev = what.add_parser("register-device", parents=[common], help="register a PC")
    dev.add_argument("--org", required=True, help="the PC's organization: id or DLA code")
    dev.add_argument("--name", required=True, help="a name for the PC, e.g. 'HR desk 1'")

    bundle = what.add_parser(
        "import-bundle", parents=[common], help="apply a PC's USB bundle; write its receipt"
    )
    bundle.add_argument("file", type=Path, metavar="FILE", help="the bundle the PC exported")
    bundle.add_argument(
        "-o", "--output", type=Path, metavar="RECEIPT",
        help="where to write the receipt (default: FILE's name with .receipt.lhrb)",
    )  # fmt: skip
    _add_account_parsers(what, common)
    _add_keys_parser(what, common)
    _add_office_parsers(what, common)
    structure = what.add_parser(
        "load-structure", parents=[common],
        help="load an office's units and position slots from CSV (all or nothing)",
    )  # fmt: skip
    structure.add_argument("--org", required=True, help="the office: id or DLA code")
    structure.add_argument(
        "file", type=Path, metavar="FILE.csv",
        help="UTF-8 CSV: kind,unit,unit_kind,parent,position_number,title,job_line_code,"
        "position_type,level_min,level_max,staff_type,state (see README)",
    )  # fmt: skip
    return central


# --- an office's users and PCs (issue 14) -------------------------------------------------


def _add_office_parsers(what: Any, common: argparse.ArgumentParser) -> None:
    users = what.add_parser("users", help="list or disable an organization's users")
    action = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    listing = action.add_parser("list", parents=[common], help="the users of an organization")
    listing.add_argument("--org", required=True, help="the organization: id or DLA code")
    off = action.add_parser(
        "disable", parents=[common], help="disable an account and end its sessions"
    )
    off.add_argument("username", metavar="USERNAME", help="the user's username or id")
    pcs = what.add_parser("devices", help="list or revoke an organization's PCs")
    action = pcs.add_subparsers(dest="devices_command", required=True, metavar="ACTION")
    listing = action.add_parser("list", parents=[common], help="the PCs of an organization")
    listing.add_argument("--org", required=True, help="the organization: id or DLA code")
    revoke = action.add_parser(
        "revoke", parents=[common], help="revoke a PC: it must be registered again"
    )
    revoke.add_argument("device", metavar="DEVICE_ID", help="the PC's id, as 'devices list' shows")


def _when(at) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if at is not None else "-"


def cmd_users(args, db) -> int:
    from sync.central import accounts, admin

    if args.users_command == "disable":
        user_id = accounts.find_user(db, args.username)
        accounts.set_active(db, None, user_id, False)
        print(f"{args.username} disabled; their sessions ended")
        return 0
    found = accounts.list_users(db, None, org_id=admin.find_org(db, args.org))
    for u in found:
        state = "active" if u.active else "disabled"
        if u.password_change_required:
            state += ", one-time password not changed yet"
        print(f"{u.username}  {u.role}  {u.display_name}  last login {_when(u.last_login_at)}"
              f"  {state}  id {u.id}")  # fmt: skip
    print(f"{len(found)} user(s) in {args.org}")
    return 0


def cmd_devices(args, db) -> int:
    from sync.central import admin, devices

    if args.devices_command == "revoke":
        pc = devices.revoke(db, None, devices.find_device(db, args.device))
        print(f"PC {pc.id} ({pc.name}) revoked: it must be registered again")
        return 0
    found = devices.list_devices(db, None, org_id=admin.find_org(db, args.org))
    for d in found:
        state = f"revoked {_when(d.revoked_at)}" if d.revoked_at else "live"
        waiting = "-" if d.ops_waiting is None else str(d.ops_waiting)
        print(f"{d.id}  {d.name}  registered {_when(d.registered_at)}  last sync "
              f"{_when(d.last_sync_at)}  version {d.program_version or '-'}  "
              f"ops waiting {waiting}  {state}")  # fmt: skip
    print(f"{len(found)} PC(s) in {args.org}")
    return 0


def _add_account_parsers(what: Any, common: argparse.ArgumentParser) -> None:
    """Account care from the server (sync.central.accounts), for any organization."""
    for name, text in (
        ("reset-password", "give a user a one-time password, to be changed at next login"),
        ("disable-user", "disable an account and end its sessions"),
        ("enable-user", "enable a disabled account again"),
        ("end-sessions", "end every session of a user (they log in again)"),
    ):
        cmd = what.add_parser(name, parents=[common], help=text)
        cmd.add_argument("--user", required=True, help="the user's username or id")
    events = what.add_parser(
        "security-events", parents=[common], help="what org admins are told, newest first"
    )
    events.add_argument("--org", help="only this organization's (id or DLA code)")
    events.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    chains = what.add_parser(
        "audit-gaps", parents=[common], help="audit events whose predecessor never arrived"
    )
    chains.add_argument("--org", help="only this organization's (id or DLA code)")
    chains.add_argument("--limit", type=int, default=100, help="at most this many (default 100)")


# --- users' signing keys (issue 13: proven authors) -----------------------------------------


def _add_keys_parser(what: Any, common: argparse.ArgumentParser) -> None:
    keys = what.add_parser("keys", help="list or revoke users' signing keys")
    action = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    listing = action.add_parser("list", parents=[common], help="a user's keys, newest first")
    listing.add_argument("username")
    revoke = action.add_parser(
        "revoke", parents=[common], help="revoke a key: ops signed with it are refused"
    )
    revoke.add_argument("key_id", metavar="KEY_ID", help="the key's id, as 'keys list' shows it")


def cmd_keys(args, db) -> int:
    from sync.central import keys

    try:
        if args.keys_command == "list":
            found = keys.keys_of_username(db, args.username).keys
            for k in found:
                state = f"revoked {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "live"
                print(f"{k.key_id}  PC {k.device_id}  made {k.created_at:%Y-%m-%d %H:%M}  {state}")
            print(f"{len(found)} key(s) of {args.username}")
            return 0
        key = keys.revoke_key(db, None, args.key_id)
    except keys.KeyRefused as exc:
        return _fail(exc.message)
    print(f"key {key.key_id} of user {key.user_id} on PC {key.device_id} is revoked")
    return 0


def _fail(message: str, code: int = 1) -> int:
    print(f"localhr central: {message}", file=sys.stderr)
    return code


def _settings(args):
    from sync.central.config import CentralSettings

    overrides: dict[str, Any] = {}
    if args.db:
        overrides["database_url"] = args.db
    for name in ("host", "port"):
        if getattr(args, name, None) is not None:
            overrides[name] = getattr(args, name)
    return CentralSettings.load(args.config, **overrides)


def _shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _read_password(args) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ValueError("no terminal to ask the password on; use --password-stdin")
    first = getpass.getpass("Password for the new user: ")
    if getpass.getpass("Again: ") != first:
        raise ValueError("the passwords differ")
    return first


def cmd_serve(args, settings) -> int:
    import uvicorn

    if args.workers < 1:
        return _fail("--workers must be at least 1")
    from sync.central.db import open_central

    open_central(settings.database_url).close()  # migrate once, before any worker starts
    scheme = "https" if settings.tls else "http"
    print(
        f"LocalHR central on {scheme}://{settings.host}:{settings.bind_port} "
        f"(database {_shown_url(settings.database_url)})",
        flush=True,
    )
    tls = {}
    if settings.tls:
        tls = {"ssl_certfile": str(settings.tls_certfile), "ssl_keyfile": str(settings.tls_keyfile)}
    if args.workers > 1:
        # each worker process builds its app from the same settings, passed by environment
        os.environ.update(settings.as_environment())
        uvicorn.run(
            "sync.central.app:app_from_environment",
            factory=True,
            host=settings.host,
            port=settings.bind_port,
            workers=args.workers,
            **tls,
        )
    else:
        from sync.central.app import create_app

        uvicorn.run(create_app(settings), host=settings.host, port=settings.bind_port, **tls)
    return 0


def cmd_init_db(args, settings) -> int:
    from sync.central.db import open_central

    db = open_central(settings.database_url)
    db.close()
    print(f"central database ready: {_shown_url(settings.database_url)}")
    return 0


def cmd_create_org(args, db) -> int:
    from sync.central import admin

    if bool(args.admin_username) != bool(args.admin_name):
        return _fail("give both --admin-username and --admin-name, or neither")
    if args.admin_username:  # checked before the organization is made
        from sync.central import accounts

        admin.check_new_user(args.admin_username, args.admin_name, "org_admin")
        try:
            accounts.find_user(db, args.admin_username)
        except admin.AdminError:
            pass
        else:
            return _fail(f"the username {args.admin_username!r} is taken; nothing made")
    org_id = admin.create_org(db, args.code, args.name, args.org_type, args.province, args.amphoe)
    print(f"organization {org_id} created: {args.name}")
    if args.admin_username:
        from sync.protocol import NewAccountRequest

        made = accounts.add_user(
            db, None, org_id,
            NewAccountRequest(username=args.admin_username.strip().lower(),
                              display_name=args.admin_name.strip(), role="org_admin"),
        )  # fmt: skip
        print(f"org admin {made.user.username} created ({made.user.id})")
        print(f"one-time password (shown once; it must be changed at the first login): "
              f"{made.one_time_password}")  # fmt: skip
    return 0


def cmd_create_user(args, db) -> int:
    from sync.central import admin

    org_id = admin.find_org(db, args.org)
    scope = [admin.find_org(db, ref) for ref in args.scope]
    try:
        password = _read_password(args)
    except (ValueError, EOFError, KeyboardInterrupt) as exc:
        return _fail(str(exc) or "no password given")
    user_id = admin.create_user(
        db, org_id, args.username, args.display_name, args.role, password, scope
    )
    print(f"user {user_id} created: {args.username.strip().lower()} ({args.role}) in {org_id}")
    return 0


def cmd_import_orgs(args, db) -> int:
    from sync.central import admin

    summary = admin.import_orgs_summary(db, args.csv)
    print(
        f"imported {args.csv}: {summary.created} created, {summary.updated} updated, "
        f"{summary.unchanged} unchanged"
    )
    return 0


def cmd_register_device(args, db) -> int:
    from sync.central import admin

    org_id = admin.find_org(db, args.org)
    reg = admin.register_device_as_operator(db, org_id, args.name)
    print(f"device {reg.device_id} registered to {reg.org_id}")
    print(f"credential (shown once, enter it on the PC): {reg.credential}")
    return 0


def cmd_import_bundle(args, db) -> int:
    from sync.central import bundles, central_key
    from sync.files import write_atomically
    from sync.protocol.bundle import receipt_path

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        return _fail(f"cannot read {args.file}: {exc.strerror or exc}")
    try:
        keys = central_key.load(_settings(args).key_file)
        result = bundles.import_bundle_report(db, data, keys)
    except bundles.BundleRefused as exc:
        return _fail(f"{args.file}: {exc.message}")
    except central_key.KeyFileError as exc:
        return _fail(str(exc))
    out = args.output or receipt_path(args.file)
    write_atomically(out, result.receipt)
    print(
        f"{args.file}: {result.ops} ops from PC {result.device_id}: {result.applied} applied, "
        f"{result.conflict} in conflict, {result.rejected} rejected; "
        f"{result.changes} changes back"
    )
    print(f"receipt written to {out}: take it back to that PC (localhr bundle import)")
    return 0


def cmd_reset_password(args, db) -> int:
    from sync.central import accounts

    reset = accounts.reset_password(db, None, accounts.find_user(db, args.user))
    print(f"password of {args.user} reset; their sessions ended")
    print(f"one-time password (shown once; it must be changed at the next login): "
          f"{reset.one_time_password}")  # fmt: skip
    return 0


def cmd_set_active(args, db) -> int:
    from sync.central import accounts

    active = args.central_command == "enable-user"
    accounts.set_active(db, None, accounts.find_user(db, args.user), active)
    print(f"{args.user} {'enabled' if active else 'disabled; their sessions ended'}")
    return 0


def cmd_end_sessions(args, db) -> int:
    from sync.central import accounts

    ended = accounts.end_sessions(db, None, accounts.find_user(db, args.user))
    print(f"{ended.ended} sessions of {args.user} ended")
    return 0


def cmd_security_events(args, db) -> int:
    from sync.central import accounts, admin

    org_id = admin.find_org(db, args.org) if args.org else None
    events = accounts.security_events(db, None, org_id=org_id, limit=args.limit)
    for e in events:
        who = e.username or "-"
        detail = " ".join(f"{k}={v}" for k, v in sorted(e.detail.items()))
        print(f"{e.at.isoformat(timespec='seconds')} {e.kind} {who} "
              f"org={e.org_id or '-'} from={e.address or '-'} {detail}".rstrip())  # fmt: skip
    if not events:
        print("no security events")
    return 0


def cmd_audit_gaps(args, db) -> int:
    from sync.central import admin, audit_trail

    org_id = admin.find_org(db, args.org) if args.org else None
    found = audit_trail.gaps(db, org_id, limit=args.limit)
    for g in found:
        print(f"{g.received_at.isoformat(timespec='seconds')} org={g.org_id} PC={g.device_id} "
              f"event={g.event_id} {g.action}: the event before it ({g.prev_hash[:16]}…) "
              "never arrived")  # fmt: skip
    print(
        f"{len(found)} gap(s) in the PCs' audit chains"
        if found
        else "no gaps: every chain is whole"
    )
    return 0


def cmd_load_structure(args, db) -> int:
    from sync.central import admin, structure_load

    org_id = admin.find_org(db, args.org)
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        return _fail(f"cannot read {args.file}: {exc.strerror or exc}")
    try:
        report = structure_load.load_structure(db, org_id, data)
    except structure_load.LoadError as exc:
        return _fail(f"{args.file}: {exc}")
    if not report.loaded:
        for line, reason in report.refused:
            print(f"{args.file}:{line}: {reason}", file=sys.stderr)
        return _fail(f"{args.file}: {len(report.refused)} line(s) refused; nothing was loaded")
    print(
        f"loaded {args.file} into {org_id}: {report.units_new} new units, "
        f"{report.units_changed} changed; {report.slots_new} new slots, "
        f"{report.slots_changed} changed (the office's PCs get them at their next sync)"
    )
    return 0


def run(args) -> int:
    """Handle ``localhr central ...``; the exit status."""
    from pydantic import ValidationError

    from sync.central.admin import AdminError
    from sync.central.auth import AuthError

    try:
        settings = _settings(args)
    except (ValidationError, FileNotFoundError, ValueError) as exc:
        return _fail(f"bad settings: {exc}", 2)
    command = args.central_command
    try:
        if command == "serve":
            return cmd_serve(args, settings)
        if command == "init-db":
            return cmd_init_db(args, settings)
        from sync.central.db import open_central

        db = open_central(settings.database_url)
        try:
            handler = {
                "create-org": cmd_create_org,
                "create-user": cmd_create_user,
                "import-orgs": cmd_import_orgs,
                "register-device": cmd_register_device,
                "import-bundle": cmd_import_bundle,
                "reset-password": cmd_reset_password,
                "disable-user": cmd_set_active,
                "enable-user": cmd_set_active,
                "end-sessions": cmd_end_sessions,
                "security-events": cmd_security_events,
                "audit-gaps": cmd_audit_gaps,
                "keys": cmd_keys,
                "users": cmd_users,
                "devices": cmd_devices,
                "load-structure": cmd_load_structure,
            }[command]
            return handler(args, db)
        finally:
            db.close()
    except AdminError as exc:
        return _fail(str(exc))
    except AuthError as exc:
        return _fail(exc.message)
    except Exception as exc:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError | OSError):
            return _fail(f"{type(exc).__name__}: {exc}")
        raise
