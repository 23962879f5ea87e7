"""Starting the desktop: the local database, the application, the window."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM") in ("offscreen", "minimal"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_desktop(db_path: Path, *, title: str = "", screenshot: Path | None = None) -> int:
    """Open the window over the database at ``db_path`` and run until it closes.

    With ``screenshot``, render the window once the first rows are in, save it as PNG, and
    quit: a person can then look at what the program shows."""
    try:
        from PySide6.QtCore import QTimer
    except ImportError:
        print("The desktop needs PySide6: install localhr-desk[desktop].", file=sys.stderr)
        return 2
    from app.store.db import open_database
    from ui.app import create_application
    from ui.background_sync import BackgroundSync
    from ui.main_window import MainWindow
    from ui.tasks import TaskRunner

    app = create_application(sys.argv)
    db = open_database(db_path)
    runner = TaskRunner()
    # No central is configured yet (first run is issue 5): the status bar says so, and still
    # counts the changes waiting to be sent.
    sync = BackgroundSync(runner, db)
    window = MainWindow(db, runner, title=title, sync=sync)
    window.show()
    sync.start()
    if screenshot is not None:

        def shoot() -> None:
            window.grab().save(str(screenshot))
            app.quit()

        QTimer.singleShot(1500, shoot)
    try:
        return app.exec()
    finally:
        sync.stop()
        runner.shutdown()
        db.close()
