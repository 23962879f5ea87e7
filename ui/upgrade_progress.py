"""A small window while the database is backed up and upgraded at start (issue 7).

Upgrades run before any other window appears: on a large database the copy made first
and the migrations take a while, and without this nothing on screen would say that the
program is starting. :func:`upgrade_with_progress` opens the database on the task
runner's database lane (:func:`app.store.upgrade.open_desktop_database`) and shows
:class:`UpgradeProgress` until it is done: the pages of the backup copied, then a busy bar
while the migrations run (or while a failed upgrade is undone), the folder that keeps the
copy, and a word not to turn the PC off. The window cannot be closed meanwhile: stopping
an upgrade halfway is what the backup is for, not something to offer.

It is shown only when there is something to upgrade
(:func:`app.store.db.needs_upgrade`): a normal start shows no window at all.
"""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from app.store.db import BACKUP, MIGRATE, RESTORE, Database
from app.store.upgrade import open_desktop_database
from ui.tasks import Lane, Progress, ProgressState, Task, TaskRunner

WIDTH = 520


class UpgradeProgress(QWidget):
    """How far the upgrade of the database in ``folder`` is (:meth:`show_state`)."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        flags = (
            Qt.WindowType.Window
            | Qt.WindowType.CustomizeWindowHint  # a title, and no button to close
            | Qt.WindowType.WindowTitleHint
        )
        super().__init__(parent, flags, objectName="upgradeProgress")
        self.folder = Path(folder)
        self.state = ProgressState(label=BACKUP)  # the first step
        self._finished = False
        self.heading = QLabel(objectName="upgradeHeading", wordWrap=True)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.step = QLabel(objectName="upgradeStep", wordWrap=True)
        self.step.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar(objectName="upgradeBar", textVisible=False)
        self.note = QLabel(objectName="upgradeNote", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.step)
        layout.addWidget(self.bar)
        layout.addWidget(self.note)
        self.setFixedWidth(WIDTH)
        self._retranslate()

    def show_state(self, state: ProgressState) -> None:
        """A reading of the upgrade's progress (the task runner polls it)."""
        self.state = state
        self._retranslate()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("LocalHR Desk"))
        self.heading.setText(self.tr("Upgrading the database…"))
        stage, folder = self.state.label, str(self.folder)
        if stage == MIGRATE:
            words = self.tr("Upgrading it to this version. A copy of it is kept in %1.")
        elif stage == RESTORE:
            words = self.tr(
                "The upgrade did not succeed: putting the database back as it was, from the "
                "copy in %1."
            )
        else:
            words = self.tr("Making a copy of it first, in %1.")
        self.step.setText(words.replace("%1", folder))
        total = self.state.total or 0
        if stage == BACKUP and total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(self.state.done, total))
        else:
            self.bar.setRange(0, 0)  # busy: no measure of how far
        self.note.setText(
            self.tr("This may take a few minutes. Please do not turn off the PC meanwhile.")
        )
        self.adjustSize()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def finish(self) -> None:
        """The upgrade is over: the window goes."""
        self._finished = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._finished:
            super().closeEvent(event)
        else:
            event.ignore()  # an upgrade is not stopped halfway


def _open(path: Path, *, progress: Progress) -> Database:
    """On the database lane: the database opened, its upgrade's steps told to ``progress``."""

    def step(stage: str, done: int, total: int) -> None:
        progress.update(done, total=total, label=stage)

    return open_desktop_database(path, step)


def upgrade_with_progress(path: Path, runner: TaskRunner) -> Database:
    """:func:`~app.store.upgrade.open_desktop_database` on ``runner``'s database lane while
    :class:`UpgradeProgress` shows how far it is; returns or raises what that returns or
    raises, once the window is gone."""
    window = UpgradeProgress(Path(path).parent)
    window.show()
    loop = QEventLoop()
    outcome: list[tuple[bool, object]] = []

    def done(ok: bool, value: object) -> None:
        outcome.append((ok, value))
        loop.quit()

    cancelled = RuntimeError("the upgrade was cancelled: the program is closing")
    (
        Task(_open, Path(path))
        .with_progress(window.show_state)
        .on_success(functools.partial(done, True))
        .on_failure(functools.partial(done, False))
        .on_cancelled(lambda: done(False, cancelled))
        .run_on(runner, Lane.DB)
    )
    if not outcome:  # a synchronous runner (tests) has already answered
        loop.exec()
    window.finish()
    window.deleteLater()
    ok, value = outcome[0]
    if not ok:
        assert isinstance(value, BaseException)
        raise value
    assert isinstance(value, Database)
    return value
