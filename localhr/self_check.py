"""``localhr --self-check``: does this installation have everything the desktop needs?

Run after installing a release (or in one's checkout), it tries each part the way the
program uses it, in a scratch folder inside the data folder (``LOCALHR_DATA_DIR`` or the
platform's per-user one) that it removes afterwards, so the user's own records are never
opened or changed:

- the data folder takes files;
- a new local database gets every migration, Thai demo people, and finds one of them
  through the Thai search index;
- the reference lists load;
- Qt starts (offscreen when there is no display), the bundled Thai font is loaded and
  covers Thai, and the translations load: ours in Thai and English, Qt's own in English;
- keyring's backend for the system's password store is there (and whether one answers);
- the demo's embedded central starts and answers a real HTTP request from the desktop's
  sync client.

One line per check, then a summary; exit status 0 only if every check passed. A release
build runs it (``installer/build``, ``tests/installer``).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app import config
from localhr.version import program_version

#: Demo people written by the database and central checks: enough to search, quick to make.
PEOPLE = 12


class Skipped(Exception):
    """A check that does not apply to this installation (said why, not a failure)."""


@dataclass(frozen=True)
class Result:
    name: str
    status: str  # "ok", "FAIL" or "skip"
    detail: str
    seconds: float


def check_data_folder(scratch: Path) -> str:
    probe = scratch / "probe.txt"
    probe.write_text("ทดสอบ", encoding="utf-8")
    if probe.read_text(encoding="utf-8") != "ทดสอบ":
        raise RuntimeError(f"{probe} does not give back what was written")
    return f"{scratch.parent} takes files"


def check_database(scratch: Path) -> str:
    from app import demo_data
    from app.services import people
    from app.store.db import current_revision, head_revision, open_database

    db = open_database(scratch / config.DESKTOP_DATABASE)
    try:
        revision, head = current_revision(db.engine), head_revision()
        if revision != head:
            raise RuntimeError(f"schema {revision} after migrating, expected {head}")
        demo_data.generate(db, org_code=config.DEMO_ORG_CODE, people=PEOPLE)
        ids = people.person_ids(db)
        if len(ids) != PEOPLE:
            raise RuntimeError(f"{len(ids)} people read back, {PEOPLE} written")
        person = people.people_rows(db, ids[:1])[0]
        query = person.last_name_th
        if person.id not in people.person_ids(db, query):
            raise RuntimeError(f"searching {query!r} does not find {person.id}")
    finally:
        db.close()
    return f"schema {revision}; {PEOPLE} Thai demo people written; search {query!r} finds them"


def check_reference_lists(_scratch: Path) -> str:
    from app.domain import reference

    sizes = [len(reference.entries(name)) for name in reference.LIST_NAMES]
    if not all(sizes):
        empty = [n for n, s in zip(reference.LIST_NAMES, sizes, strict=True) if not s]
        raise RuntimeError(f"empty reference lists: {', '.join(empty)}")
    return f"{len(sizes)} lists, {sum(sizes)} entries"


def check_qt(_scratch: Path) -> str:
    from localhr.desktop import has_display

    if not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        from PySide6.QtCore import QLibraryInfo, QTranslator
        from PySide6.QtGui import QFontDatabase
    except ImportError as exc:
        raise RuntimeError("Qt (PySide6) is not installed: localhr-desk[desktop]") from exc
    from ui.app import create_application, set_language
    from ui.fonts import FAMILY, load_bundled_fonts

    app = create_application([sys.argv[0]], language="th")
    if FAMILY not in load_bundled_fonts():
        raise RuntimeError(f"the bundled font {FAMILY} did not load")
    if QFontDatabase.WritingSystem.Thai not in QFontDatabase.writingSystems(FAMILY):
        raise RuntimeError(f"{FAMILY} is loaded but Qt finds no Thai in it")

    def loaded() -> set[str]:  # ours must hold messages; Qt's English file is empty
        names = ((Path(t.filePath()).name, t.isEmpty()) for t in app.findChildren(QTranslator))
        return {name for name, empty in names if name and (name.startswith("qt") or not empty)}

    thai = loaded()
    set_language(app, "en")
    english = loaded()
    missing = {"localhr_th.qm"} - thai | {"localhr_en.qm", "qtbase_en.qm"} - english
    if missing:
        where = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        raise RuntimeError(f"translations not loaded: {', '.join(sorted(missing))} ({where})")
    return (
        f"platform {app.platformName()}; font {FAMILY} with Thai; "
        f"translations {', '.join(sorted(thai | english))}"
    )


#: keyring's backend for the system's own password store (its entry point's name).
NATIVE_KEYRING = {"linux": "SecretService", "win32": "Windows", "darwin": "macOS"}


def check_credential_store(_scratch: Path) -> str:
    """The system password store's keyring backend is in this installation (keyring finds
    its backends through entry points: a release without keyring's metadata has none).
    Whether a store answers right now depends on the session, so that is only reported."""
    from importlib.metadata import entry_points

    from sync.client.credentials import CredentialStore, KeyringUnavailable

    native = NATIVE_KEYRING.get(sys.platform)
    backends = {ep.name: ep for ep in entry_points(group="keyring.backends")}
    if native is None:
        raise Skipped(f"no known password store on {sys.platform}")
    if native not in backends:
        raise RuntimeError(f"keyring's {native} backend is missing (found: {sorted(backends)})")
    backends[native].load()
    try:
        CredentialStore("LocalHR Desk self-check").check()
        now = "usable now"
    except KeyringUnavailable:  # its message is the first run's, for a person
        now = "no password store answers in this session"
    return f"keyring backend {native} present; {now}"


def check_central(scratch: Path) -> str:
    try:
        from localhr import embedded_central
    except ImportError as exc:
        if getattr(sys, "frozen", False):  # a release is built with it: a missing part
            raise
        raise Skipped(f"the central's packages are not installed ({exc.name})") from exc
    from sync.client.transport import CentralClient

    central = embedded_central.EmbeddedCentral.start(scratch / "demo", people=PEOPLE)
    try:
        with CentralClient(central.url, retries=0) as client:
            if not client.health():
                raise RuntimeError(f"{central.url}/health does not answer ok")
            version = client.version().version
    finally:
        central.stop()
    if version != program_version():
        raise RuntimeError(f"the central says version {version}, this program {program_version()}")
    return f"served on {central.url}, /health ok, version {version}"


CHECKS: tuple[tuple[str, Callable[[Path], str]], ...] = (
    ("data folder", check_data_folder),
    ("database", check_database),
    ("reference lists", check_reference_lists),
    ("Qt, font, translations", check_qt),
    ("credential store", check_credential_store),
    ("demo central over HTTP", check_central),
)


def run_checks(scratch: Path) -> list[Result]:
    results = []
    for name, check in CHECKS:
        start = time.perf_counter()
        try:
            status, detail = "ok", check(scratch)
        except Skipped as exc:
            status, detail = "skip", str(exc)
        except Exception as exc:
            status, detail = "FAIL", f"{type(exc).__name__}: {exc}"
        results.append(Result(name, status, detail, time.perf_counter() - start))
    return results


def where_installed() -> str:
    if getattr(sys, "frozen", False):
        return f"release in {Path(sys.executable).resolve().parent}"
    return f"Python {sys.version.split()[0]} at {sys.executable}"


def run(folder: Path | None = None) -> int:
    """Run every check in a scratch folder inside ``folder`` (the data folder); 0 if all
    passed, 1 otherwise."""
    folder = Path(folder) if folder is not None else config.data_dir()
    print(f"LocalHR Desk {program_version()} self-check ({where_installed()})")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        scratch_dir = tempfile.TemporaryDirectory(prefix="self-check-", dir=folder)
    except OSError as exc:
        print(f"  FAIL  data folder: {folder} takes no files ({exc.strerror or exc})")
        print("self-check FAILED")
        return 1
    with scratch_dir as scratch:
        results = run_checks(Path(scratch))
    for r in results:
        print(f"  {r.status:<4}  {r.name}: {r.detail} ({r.seconds:.1f} s)")
    failed = [r.name for r in results if r.status == "FAIL"]
    if failed:
        print(f"self-check FAILED: {', '.join(failed)}")
        return 1
    passed = sum(r.status == "ok" for r in results)
    print(f"self-check passed: {passed} of {len(results)} checks ok")
    return 0
