"""The guided first set-up of an office (issue 14): units → position slots → accounts, in a
wizard the org admin can leave at any step ("ข้ามไปก่อน", skip for now) and take up again
from the Office area.

The steps host the real pages (:class:`~ui.office.structure.StructurePage`,
:class:`~ui.office.slots.SlotsPage`, and the accounts page when given one), so what is done
here is done as in the area; a line above them says how far the office is
(``setup_progress``: units, slots, accounts). Where the admin left it is handed to
``remember`` as an :class:`ui.settings.OfficeSetup` (the caller keeps it in the settings).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget, QWizard, QWizardPage

from app.services import structure
from app.store.db import Database
from ui.dialogs import notice_label
from ui.office import words
from ui.office.local_page import LocalPage
from ui.office.slots import SlotsPage
from ui.office.structure import StructurePage
from ui.settings import OfficeSetup
from ui.tasks import Lane, Task, TaskRunner

#: The steps, in order, as ``Settings.office_setup`` names them.
STEPS = ("units", "slots", "accounts")
SKIP = QWizard.WizardButton.CustomButton1


class Step(QWizardPage):
    def __init__(self, name: str, body: QWidget) -> None:
        super().__init__()
        self.setObjectName(f"setupStep_{name}")
        self.name = name
        self.body = body
        self.hint = QLabel(wordWrap=True, objectName=f"setupHint_{name}")
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(body, 1)


class SetupWizard(QWizard):
    HELP_TOPIC = "office.html#start"
    #: A page of the wizard wrote something (as :attr:`LocalPage.changed`).
    changed = Signal(str)

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        user_id: str,
        remember: Callable[[OfficeSetup], object],
        *,
        accounts: QWidget | None = None,
        start: str = "units",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setupWizard")
        self._db, self._runner, self._user = db, runner, user_id
        self._remember = remember
        self.progress: Any = None
        self.structure = StructurePage(db, runner, user_id)
        self.slots = SlotsPage(db, runner, user_id)
        self.accounts_note = notice_label("setupAccountsNote")
        self.accounts = accounts if accounts is not None else self.accounts_note
        self.steps = {
            "units": Step("units", self.structure),
            "slots": Step("slots", self.slots),
            "accounts": Step("accounts", self.accounts),
        }
        for step in self.steps.values():
            self.addPage(step)
            if isinstance(step.body, LocalPage):
                step.body.changed.connect(self._changed)
        self.setSideWidget(None)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.currentIdChanged.connect(self._moved)
        self.button(SKIP).clicked.connect(self.skip)
        self.finished.connect(self._ended)
        self._retranslate()
        self.resize(1000, 640)
        self._step = start if start in STEPS else STEPS[0]
        start_at = STEPS.index(self._step)
        self.setStartId(self.pageIds()[start_at])
        self.read_progress()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Setting up the office"))
        self.setButtonText(SKIP, self.tr("Skip for now"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Done"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Close"))
        titles = {
            "units": self.tr("1. The office's units"),
            "slots": self.tr("2. Position slots"),
            "accounts": self.tr("3. Accounts"),
        }
        hints = {
            "units": self.tr(
                "Add the office's units as they are: สำนักปลัด, กองคลัง, กองช่าง… and the "
                "ส่วน and ฝ่าย under them. Every change reaches the central at the next sync."
            ),
            "slots": self.tr(
                "Add the position slots of the framework (กรอบอัตรากำลัง): each with its "
                "position number, title, type and levels, and its unit. The clerks' position "
                "picker offers the vacant ones."
            ),
            "accounts": self.tr(
                "Add the people who work with the program: clerks, supervisors and "
                "auditors, each with a one-time password."
            ),
        }
        for name, step in self.steps.items():
            step.setTitle(titles[name])
            step.hint.setText(hints[name])
        self.accounts_note.setText(
            self.tr(
                "Accounts are made on the Accounts page of the Office area "
                "(ผู้ดูแลสำนักงาน → บัญชีผู้ใช้), once the set-up is closed."
            )
        )
        self.accounts_note.setVisible(self.accounts is self.accounts_note)

    # --- progress ----------------------------------------------------------------------------

    def read_progress(self) -> None:
        Task(structure.setup_progress, self._db, self._user).on_success(self._progress).on_failure(
            self._progress_failed
        ).bound_to(self).run_on(self._runner, Lane.DB)

    def _progress(self, progress: Any) -> None:
        self.progress = progress
        text = self.tr("So far: %1 units · %2 slots · %3 accounts")
        for arg, value in (("%1", progress.units), ("%2", progress.slots), ("%3", progress.users)):
            text = text.replace(arg, str(value))
        for step in self.steps.values():
            step.setSubTitle(text)

    def _progress_failed(self, exc: BaseException) -> None:
        for step in self.steps.values():
            step.setSubTitle(words.error_text(exc))

    def _changed(self, kind: str) -> None:
        self.read_progress()
        for step in self.steps.values():
            if isinstance(step.body, LocalPage) and step.body is not self.sender():
                step.body.mark_stale()
        self.changed.emit(kind)

    # --- where the admin is ------------------------------------------------------------------

    def step_name(self) -> str:
        """The step on screen (the last one shown, once the wizard is closed)."""
        return self._step

    def _moved(self, _id: int) -> None:
        page = self.currentPage()
        if isinstance(page, Step) and self.isVisible():
            self._step = page.name
            self._remember(OfficeSetup(step=self._step))

    def skip(self) -> None:
        """Leave the set-up for now: the Office area offers it again."""
        self.reject()

    def _ended(self, result: int) -> None:
        """Done, or left for now (skipped or closed) at the step it was at."""
        if result == QWizard.DialogCode.Accepted:
            self._remember(OfficeSetup(step=self._step, done=True))
        else:
            self._remember(OfficeSetup(step=self._step, skipped=True))
