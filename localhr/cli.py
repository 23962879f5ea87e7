"""``localhr``: the desktop, and the tools around it (DESIGN.md §10).

With no subcommand it opens the desktop against the central chosen at first run;
``localhr demo`` opens it on a demo office whose central runs inside the program (made on
its first start, with its accounts printed at every start).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from app import config
from localhr import bundle_cli, central_cli
from localhr.version import program_version


def _dla_code(text: str) -> str:
    from app.domain.thai import thai_digits_to_arabic

    text = thai_digits_to_arabic(text)  # str.isdigit() alone would keep ๖๓๔๐๑๐๑ as typed
    if len(text) != 7 or not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError("a DLA organization code is 7 digits, e.g. 6340101")
    return text


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="localhr", description="LocalHR Desk")
    p.add_argument("--version", action="version", version=f"LocalHR Desk {program_version()}")
    p.add_argument(
        "--self-check",
        action="store_true",
        help="check that this installation has all the desktop needs (in a scratch folder "
        "of the data folder), then exit: 0 if it does",
    )
    sub = p.add_subparsers(dest="command")

    demo = sub.add_parser("demo", help="the desktop on a demo office with its own central")
    demo.add_argument("--people", type=_positive, default=config.DEMO_PEOPLE)
    demo.add_argument("--screenshot", type=Path, help="save the window as PNG and quit")

    data = sub.add_parser("demo-data", help="fill a database with Thai demo data")
    data.add_argument("--org", type=_dla_code, required=True, help="DLA code, 7 digits")
    data.add_argument("--people", type=_positive, required=True)
    data.add_argument("--seed", type=int, default=1)
    data.add_argument("--db", type=Path, help="database file (default: the demo database)")

    bench = sub.add_parser("bench", help="measure the performance budgets (JSON out)")
    what = bench.add_subparsers(dest="bench", required=True)
    search = what.add_parser("search", help="search as you type and the first page")
    search.add_argument("--people", type=_positive, default=100_000)
    search.add_argument("--seed", type=int, default=1)
    search.add_argument("--db", type=Path, help="reuse (or create) this database")
    central = what.add_parser("central", help="the central's sync cycles and ops per second")
    central.add_argument("--db", help="an EMPTY central database URL (default: a temp SQLite)")
    central.add_argument("--clients", type=_positive, default=50)
    central.add_argument("--seconds", type=float, default=20)
    central.add_argument("--workers", type=_positive, default=3, help="server processes")
    central.add_argument("--processes", type=_positive, default=2, help="client processes")
    sync = what.add_parser("sync", help="a desktop's first, no-op, bulk and slow-link syncs")
    sync.add_argument("--people", type=_positive, default=10_000)
    sync.add_argument("--db", help="an EMPTY central database URL (default: a temp SQLite)")
    ui = what.add_parser("ui", help="the main window's cold start, first rows and keystrokes")
    ui.add_argument("--people", type=_positive, default=100_000)
    ui.add_argument("--seed", type=int, default=1)
    ui.add_argument("--db", type=Path, help="reuse (or create) this database")
    ui.add_argument("--runs", type=_positive, default=3, help="cold starts (the median counts)")
    staffing = what.add_parser(
        "staffing", help="the position picker and staffing overview of an office's slots"
    )
    staffing.add_argument("--people", type=_positive, default=100_000)
    staffing.add_argument("--slots", type=_positive, default=2_000)
    staffing.add_argument("--seed", type=int, default=1)
    staffing.add_argument("--repeats", type=_positive, default=20)
    staffing.add_argument("--db", type=Path, help="reuse (or create) this database")
    central_cli.add_parser(sub)
    bundle_cli.add_parser(sub)
    return p


def _print_accounts(result) -> None:
    print(f"{result.org_name}: {result.people} people")
    for account in result.accounts:
        print(f"  {account.role.value:<11} {account.username:<11} password: {account.password}")


def cmd_demo_data(args) -> int:
    from app import demo_data
    from app.store.db import open_database

    path = args.db or config.demo_database()
    db = open_database(path)
    try:
        result = demo_data.generate(db, org_code=args.org, people=args.people, seed=args.seed)
    except ValueError as exc:
        print(f"localhr: {exc} ({path})", file=sys.stderr)
        return 1
    finally:
        db.close()
    print(f"demo data in {path}")
    _print_accounts(result)
    return 0


def _no_display() -> bool:
    from localhr.desktop import has_display

    if has_display():
        return False
    print(
        "localhr: no display. Run it on a desktop, under xvfb-run, or with "
        "QT_QPA_PLATFORM=offscreen.",
        file=sys.stderr,
    )
    return True


def cmd_desktop(args) -> int:
    """The desktop against the central chosen at first run (DESIGN.md §10)."""
    from localhr.desktop import run_desktop

    if _no_display():
        return 2
    return run_desktop(config.data_dir())


def cmd_demo(args) -> int:
    """The desktop on a demo office with its own central inside the program."""
    from localhr.desktop import run_desktop

    if _no_display():
        return 2
    try:
        from localhr import embedded_central
    except ImportError:
        print("localhr: the demo needs the central service: install localhr-desk[central].",
              file=sys.stderr)  # fmt: skip
        return 2
    folder = config.demo_folder()
    if embedded_central.prepare(folder, people=args.people):
        print(f"demo office made in {folder}")
    accounts = embedded_central.read_accounts(folder)
    _print_demo_accounts(accounts)
    login = None
    if args.screenshot is not None:  # shown as the clerk sees it
        login = next(((a.username, a.password) for a in accounts if a.role == "clerk"), None)
    return run_desktop(folder, demo=True, people=args.people, screenshot=args.screenshot,
                       login=login)  # fmt: skip


def _print_demo_accounts(accounts) -> None:
    """The demo's accounts, at every start: a newcomer needs them to try the workflow."""
    print("demo accounts (delete the demo folder to start over):")
    for a in accounts:
        print(f"  {a.role:<11} {a.username:<11} password: {a.password}")


def cmd_bench(args) -> int:
    from localhr.bench import bench_search, print_json

    if args.bench == "sync":
        from localhr.bench_sync import bench_sync

        result = bench_sync(args.people, args.db)
        print_json(result)
        return 0 if all(result["budgets_met"].values()) else 1
    if args.bench == "staffing":
        from localhr.bench_staffing import bench_staffing

        result = bench_staffing(args.people, args.slots, seed=args.seed, repeats=args.repeats,
                                db_path=args.db)  # fmt: skip
        print_json(result)
        return 0 if all(result["budgets_met"].values()) else 1
    if args.bench == "ui":
        from localhr.bench_ui import bench_ui

        result = bench_ui(args.people, seed=args.seed, db_path=args.db, runs=args.runs)
        print_json(result)
        return 0 if all(result["budgets_met"].values()) else 1
    if args.bench == "central":
        from localhr.bench_central import bench_central

        result = bench_central(
            args.db,
            clients=args.clients,
            seconds=args.seconds,
            workers=args.workers,
            processes=args.processes,
        )
        print_json(result)
        return 0 if result["errors"] == 0 else 1
    print_json(bench_search(args.people, seed=args.seed, db_path=args.db))
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    p = parser()
    args = p.parse_args(argv)
    if args.self_check:
        if args.command is not None:
            p.error("--self-check takes no command")
        from localhr import self_check

        return self_check.run()
    handlers = {
        None: cmd_desktop,
        "demo": cmd_demo,
        "demo-data": cmd_demo_data,
        "bench": cmd_bench,
        "central": central_cli.run,
        "bundle": bundle_cli.run,
    }
    return handlers[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
