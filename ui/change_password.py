"""A user changes their own password at the central (issue 14).

:class:`ChangePasswordDialog` asks for the current password (not when the user has just
typed a one-time password at the login: it is that one), the new one twice, and checks the
central's rule first (:func:`app.domain.passwords.new_password_problem`). The change itself
is ``change(old, new)``, run on the task runner's network lane
(:meth:`sync.client.office.OfficeClient.change_password`); :attr:`ChangePasswordDialog.changed`
says the new password once the central took it.

``forced``: a one-time password (an admin's reset, a new account) must be changed before
anything else: the dialog says so, and closing it without a change is a "no" the login
answers (it cannot go on).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.passwords import MAX_PASSWORD, MIN_PASSWORD, new_password_problem
from sync.client.account import NotRegistered
from sync.client.errors import (
    AuthFailed,
    BadRequest,
    Forbidden,
    KeyringUnavailable,
    Offline,
    TooManyAttempts,
)
from sync.client.office import NoSession
from ui import texts
from ui.dialogs import WorkDialog, notice_label, title_label
from ui.sync_status import advice, classify, detail_of
from ui.tasks import Lane, Task, TaskRunner

Change = Callable[[str, str], object]


class ChangePasswordDialog(WorkDialog):
    """See the module doc."""

    # The central took the new password (given here, for a login that goes on with it).
    changed = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        change: Change,
        *,
        username: str,
        one_time: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("changePassword", parent)
        self._runner, self._change, self._one_time = runner, change, one_time
        self.username = username
        self.forced = one_time is not None
        self.title = title_label("changePasswordTitle")
        self.title.setWordWrap(True)
        self.notice = notice_label("changePasswordNotice")
        self.notice.setVisible(self.forced)
        self.rule = QLabel(objectName="changePasswordRule", wordWrap=True)
        self.current = self._secret("changePasswordCurrent")
        self.new = self._secret("changePasswordNew")
        self.again = self._secret("changePasswordAgain")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.current_label = QLabel(buddy=self.current)
        self.new_label = QLabel(buddy=self.new)
        self.again_label = QLabel(buddy=self.again)
        if not self.forced:
            self.form.addRow(self.current_label, self.current)
        else:
            self.current.hide()
            self.current_label.hide()
        self.form.addRow(self.new_label, self.new)
        self.form.addRow(self.again_label, self.again)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(QDialogButtonBox.StandardButton.Ok)
        self.ok.setObjectName("changePasswordOk")
        self.cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok.clicked.connect(self._submit)
        self.cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        for widget in (self.title, self.notice, self.rule):
            layout.addWidget(widget)
        layout.addLayout(self.form)
        for widget in (self.error, self.step, self.busy):
            layout.addWidget(widget)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self._retranslate()
        (self.new if self.forced else self.current).setFocus()

    @staticmethod
    def _secret(name: str) -> QLineEdit:
        edit = QLineEdit(objectName=name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setMaxLength(MAX_PASSWORD)
        return edit

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("LocalHR Desk: change password"))
        self.title.setText(self.tr("Change the password of %1").replace("%1", self.username))
        self.notice.setText(
            self.tr(
                "Your password was set by an administrator and is for one use only. Choose "
                "your own password now: you cannot go on without it."
            )
        )
        self.rule.setText(
            self.tr(
                "A password has at least %1 characters, Thai or Latin, and may not be the "
                "current one. Only you should know it."
            ).replace("%1", str(MIN_PASSWORD))
        )
        self.current_label.setText(self.tr("&Current password"))
        self.new_label.setText(self.tr("&New password"))
        self.again_label.setText(self.tr("New password &again"))
        self.ok.setText(self.tr("&Change password"))
        self.cancel.setText(self.tr("Log &out") if self.forced else self.tr("Cancel"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # --- the change ---------------------------------------------------------------------

    def problem(self) -> str | None:
        """Why the fields cannot be sent as they are, in words; None when they can."""
        old = self._one_time if self.forced else self.current.text()
        new = self.new.text()
        if not self.forced and not old:
            return self.tr("Type your current password.")
        found = new_password_problem(new, old)
        if found == "unchanged":
            return self.tr("The new password is the current one: choose another.")
        if found is not None:
            return (
                self.tr("The new password must have %1 to %2 characters.")
                .replace("%1", str(MIN_PASSWORD))
                .replace("%2", str(MAX_PASSWORD))
            )
        if new != self.again.text():
            return self.tr("The two new passwords differ: type the same one twice.")
        return None

    def _submit(self) -> None:
        if not self.checked_begin(self.problem()):
            return
        old = self._one_time if self._one_time is not None else self.current.text()
        new = self.new.text()
        self.show_step(self.tr("Changing your password at the central…"))
        Task(self._change, old, new).on_success(lambda _none: self._done(new)).on_failure(
            self._failed
        ).bound_to(self).run_on(self._runner, Lane.NET)

    def waiting_changed(self, waiting: bool) -> None:
        for widget in (self.current, self.new, self.again, self.ok):
            widget.setEnabled(not waiting)

    def _done(self, new: str) -> None:
        if self.succeed():
            for edit in (self.current, self.new, self.again):
                edit.clear()
            self.changed.emit(new)
            self.accept()

    def _failed(self, exc: BaseException) -> None:
        if self.fail(self.explain(exc)):
            (self.new if self.forced else self.current).setFocus()

    def explain(self, exc: BaseException) -> str:
        code = getattr(exc, "code", "")
        if isinstance(exc, Forbidden | BadRequest) and code == "wrong_password":
            return self.tr("The current password is wrong. Check the keyboard language.")
        if isinstance(exc, BadRequest) and code == "weak_password":
            return self.tr("The central refused the new password: %1").replace(
                "%1",
                self.tr("at least %1 characters, and not the current one.").replace(
                    "%1", str(MIN_PASSWORD)
                ),
            )
        if isinstance(exc, TooManyAttempts):
            return texts.too_many_attempts(exc.retry_after)
        if isinstance(exc, Offline):
            return self.tr(
                "The central cannot be reached, and a password is changed there. Connect "
                "to the network and try again."
            )
        if isinstance(exc, NoSession | AuthFailed | NotRegistered | KeyringUnavailable):
            return self.tr(
                "This PC has no session of yours at the central now. Lock the program "
                "(Ctrl+L), log in again while the central can be reached, then try again."
            )
        if isinstance(exc, Forbidden):
            return self.tr("The central refused the change: %1").replace("%1", detail_of(exc))
        _, reason = classify(exc)
        return advice(reason)

    def reject(self) -> None:
        if self.waiting:
            return  # the central is answering: wait for it
        super().reject()
