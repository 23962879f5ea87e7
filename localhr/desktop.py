"""Starting the desktop over a data folder: the application with the user's language and
font size, the local database, the task runner, and the start-up flow of
:class:`ui.startup.Startup` (first run, login, main window).

For the demo it hands the flow a way to start the embedded central
(:mod:`localhr.embedded_central`); this is the one place the desktop reaches the central
service, and only when the central's packages are installed.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app import config

log = logging.getLogger(__name__)

SCREENSHOT_DELAY_MS = 1500


def has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM") in ("offscreen", "minimal"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def demo_starter(folder: Path, people: int = config.DEMO_PEOPLE) -> Callable[[], Any] | None:
    """What starts the demo's central in ``folder``; None without the central's packages."""
    try:
        from localhr.embedded_central import EmbeddedCentral
    except ImportError:
        return None
    return functools.partial(EmbeddedCentral.start, folder, people=people)


def run_desktop(
    folder: Path,
    *,
    demo: bool = False,
    people: int = config.DEMO_PEOPLE,
    screenshot: Path | None = None,
    login: tuple[str, str] | None = None,
) -> int:
    """Run the desktop over the data folder ``folder`` until it is closed.

    ``demo``: the folder is the demo's, with its embedded central. ``login``: a username
    and password typed into the login screen at once (the screenshot and a demo's
    newcomer). ``screenshot``: once the main window has shown its first rows, save it as
    PNG and quit, so that a person can look at what the program shows.

    The log goes to ``<folder>/logs`` (:mod:`app.logs`), Qt's messages with it; an error
    nobody handled writes a report to ``<folder>/crash-reports`` and is shown
    (:mod:`ui.crash`). One at start-up, before the main window, closes the program with
    status 1.

    One copy per data folder: the folder's lock (:mod:`ui.single_instance`) is taken
    before the database is opened and held until the end. A second start says the program
    is already open and ends with status 1, without touching the database."""
    try:
        from PySide6 import QtCore  # noqa: F401
    except ImportError:
        print("The desktop needs PySide6: install localhr-desk[desktop].", file=sys.stderr)
        return 2
    from app.logs import program_version, start_logging
    from ui.app import create_application
    from ui.crash import EXIT_STATUS, CrashHandler
    from ui.qt_messages import route_qt_messages
    from ui.settings import SettingsFile
    from ui.single_instance import ALREADY_OPEN_STATUS, already_open_box, take_folder

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    logs = start_logging(folder)
    log.info("LocalHR Desk %s starts%s", program_version(), " (demo)" if demo else "")
    settings = SettingsFile(folder).settings
    app = create_application(sys.argv, language=settings.language)
    lock = take_folder(folder)
    if lock is None:  # another copy runs on this folder: it alone may touch the database
        try:
            already_open_box(folder).exec()
        finally:
            log.info("LocalHR Desk ends (status %d)", ALREADY_OPEN_STATUS)
            logs.close()
        return ALREADY_OPEN_STATUS
    crashes = CrashHandler(folder, logs)
    crashes.install()
    restore_qt_messages = route_qt_messages()
    status = EXIT_STATUS
    try:
        status = _run(app, folder, crashes, settings.font_size_pt, demo=demo, people=people,
                      screenshot=screenshot, login=login)  # fmt: skip
    except Exception:
        crashes.handle(sys.exc_info())  # type: ignore[arg-type]
    finally:
        restore_qt_messages()
        crashes.uninstall()
        log.info("LocalHR Desk ends (status %d)", status)
        lock.unlock()
        logs.close()
    return status


def _run(
    app: Any,
    folder: Path,
    crashes: Any,
    font_size_pt: float,
    *,
    demo: bool,
    people: int,
    screenshot: Path | None,
    login: tuple[str, str] | None,
) -> int:
    """The database, the task runner and the start-up flow, until the application quits."""
    from PySide6.QtCore import QTimer

    from ui.fonts import apply_default_font
    from ui.startup import Startup
    from ui.tasks import TaskRunner
    from ui.upgrade_notice import open_local_database

    apply_default_font(app, font_size_pt)
    with contextlib.ExitStack() as stack:
        runner = TaskRunner()
        stack.callback(runner.quit)
        # an upgrade runs on the runner's database lane, under a window that says so
        db = open_local_database(folder / config.DESKTOP_DATABASE, runner=runner)
        if db is None:  # a newer program's database, or one this version cannot show: said
            return 1
        stack.callback(db.close)
        stack.callback(runner.quit)  # the last saves end before the database closes
        flow = Startup(
            folder, db, runner, start_demo=demo_starter(folder, people), demo=demo,
            auto_login=login,
        )  # fmt: skip
        stack.callback(flow.shutdown)
        flow.quit_requested.connect(app.quit)
        flow.window_opened.connect(crashes.started)  # from now on an error is survived
        if screenshot is not None:

            def shoot(window: Any) -> None:
                def save() -> None:
                    window.grab().save(str(screenshot))
                    app.quit()

                QTimer.singleShot(SCREENSHOT_DELAY_MS, window, save)

            flow.window_opened.connect(shoot)
        QTimer.singleShot(0, flow, flow.start)
        return app.exec()
