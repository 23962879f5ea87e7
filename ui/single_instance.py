"""One copy of the desktop per data folder (issue 7, safe upgrades).

Two copies on one data folder must never run at once: a second copy could open the
database while the first upgrades it or puts its backup back, and two clerks' editors
would save over each other. ``localhr.desktop.run_desktop`` takes the folder's lock
(:func:`take_folder`) before it opens the database and holds it until the program ends.
A second start finds the lock held, says so in a message box (:func:`already_open_box`)
and ends without touching the database.

The lock is a :class:`QLockFile` in the data folder, holding the process id, the program's
name and the machine. It is held with no stale time: only a holder that no longer runs
(a crash, a killed process, a reboot) makes it stale, and the next start takes it over.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLockFile
from PySide6.QtWidgets import QMessageBox

from ui.upgrade_notice import notice_box

log = logging.getLogger(__name__)

LOCK_FILE = "localhr.lock"
# The exit status of a second start: the program did not run (a script that started it,
# e.g. for a screenshot, must not take it for done), like the other refusals at start.
# (A plain comment: lupdate would hand a "#:" one to the translator of the next string.)
ALREADY_OPEN_STATUS = 1


def lock_path(folder: Path) -> Path:
    return Path(folder) / LOCK_FILE


def holder(lock: QLockFile) -> str:
    """Who holds ``lock``, for the log: "process 1234 (python3) on host"."""
    try:
        pid, host, name = lock.getLockInfo()
    except (TypeError, ValueError):  # the file went away meanwhile, or is not a lock's
        return "unknown"
    return f"process {pid} ({name}) on {host}"


def take_folder(folder: Path) -> QLockFile | None:
    """The data folder's lock, held until ``unlock()`` or the end of the process; None while
    another running copy holds it. A lock that cannot be made at all (a folder this user
    may not write in) is logged and not insisted on: the database cannot be written there
    either, so two copies could do no harm, and that error is the one to show."""
    lock = QLockFile(str(lock_path(folder)))
    lock.setStaleLockTime(0)  # held for the whole run: only a holder that is gone is stale
    if lock.tryLock(0):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        log.warning("%s is in use by %s: this copy ends", folder, holder(lock))
        return None
    log.warning("no lock in %s (%s): going on without one", folder, lock.error().name)
    return lock


def already_open_box(folder: Path) -> QMessageBox:
    """What a second start says before it ends."""
    more = "\n\n".join(
        (
            QCoreApplication.translate(
                "SingleInstance",
                "Use the window that is open: it may be behind other windows or minimized "
                "on the taskbar. Only one copy of the program can use the data at a time, "
                "so this one closes now.",
            ),
            QCoreApplication.translate(
                "SingleInstance",
                "If you cannot find it, wait a minute and start the program again, or "
                "restart the PC.",
            ),
            QCoreApplication.translate("SingleInstance", "The data folder: %1").replace(
                "%1", str(folder)
            ),
        )
    )
    text = QCoreApplication.translate("SingleInstance", "LocalHR Desk is already open on this PC.")
    box = notice_box(QMessageBox.Icon.Information, text, more)
    box.setObjectName("alreadyOpen")
    return box
