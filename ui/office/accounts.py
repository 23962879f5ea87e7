"""The office's user accounts, for its org admin (issue 14).

``AccountsPage(session, runner, parent=None, *, central=None)``: ``session`` is the
logged-in user (:class:`ui.session.Session`), ``runner`` the task runner, ``central`` this
PC's :class:`ui.login.CentralLink` (``Startup.link``; None: no central, the page says so).

The table lists the accounts of the admin's scope as the central knows them: username,
name, role, state (active, disabled, one-time password not changed yet) and last login.
Actions (buttons, and keys while the page has focus): add a user (Insert; a dialog, then
the one-time password shown once), reset a password (Ctrl+Shift+P; confirmed, then the
one-time password shown once), disable or enable (Ctrl+Shift+D; confirmed), end the user's
sessions (Ctrl+Shift+E; confirmed), refresh (F5). Everything is done at the central, on
the task runner's network lane (:mod:`ui.office.page`).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.entities import Role
from app.domain.usernames import MAX_USERNAME, clean_username, is_username
from sync.protocol import Account, NewAccount, PasswordReset, SessionsEnded
from ui import texts
from ui.dialogs import WorkDialog, title_label
from ui.office.one_time import OneTimePasswordDialog
from ui.office.page import OfficePage
from ui.tasks import TaskRunner

USERNAME, NAME, ROLE, STATE, LAST_LOGIN = range(5)
ADD_KEY, RESET_KEY, ACTIVE_KEY, END_KEY = "Insert", "Ctrl+Shift+P", "Ctrl+Shift+D", "Ctrl+Shift+E"
MAX_NAME = 200


def role_label(role: str) -> str:
    words = {
        Role.CLERK: QCoreApplication.translate("AccountsPage", "Clerk"),
        Role.SUPERVISOR: QCoreApplication.translate("AccountsPage", "Supervisor"),
        Role.ORG_ADMIN: QCoreApplication.translate("AccountsPage", "Organization admin"),
        Role.AUDITOR: QCoreApplication.translate("AccountsPage", "Auditor"),
    }
    try:
        return words[Role(role)]
    except ValueError:
        return role


class AddUserDialog(WorkDialog):
    """Username, name and role of a new account (and, for an admin whose scope is wider
    than their office, the further organizations of a provincial officer). OK asks the
    page (:attr:`requested`), which answers with :meth:`succeed` or :meth:`fail`."""

    # username, display name, role, scope organization ids
    requested = Signal(str, str, str, tuple)

    def __init__(self, scope_org_ids: tuple[str, ...] = (), parent: QWidget | None = None):
        super().__init__("addUser", parent)
        self.title = title_label("addUserTitle")
        self.title.setWordWrap(True)
        self.username = QLineEdit(objectName="addUserUsername", maxLength=MAX_USERNAME)
        self.username.setInputMethodHints(Qt.InputMethodHint.ImhLatinOnly)
        self.name = QLineEdit(objectName="addUserName", maxLength=MAX_NAME)
        self.role = QComboBox(objectName="addUserRole")
        for role in (Role.CLERK, Role.SUPERVISOR, Role.ORG_ADMIN, Role.AUDITOR):
            self.role.addItem("", role.value)
        self.scope = [
            QCheckBox(org_id, objectName=f"addUserScope_{org_id}") for org_id in scope_org_ids
        ]
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.username_label = QLabel(buddy=self.username)
        self.name_label = QLabel(buddy=self.name)
        self.role_label = QLabel(buddy=self.role)
        self.scope_label = QLabel()
        self.form.addRow(self.username_label, self.username)
        self.form.addRow(self.name_label, self.name)
        self.form.addRow(self.role_label, self.role)
        for i, box in enumerate(self.scope):
            self.form.addRow(self.scope_label if i == 0 else QLabel(), box)
        self.hint = QLabel(objectName="addUserHint", wordWrap=True)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(QDialogButtonBox.StandardButton.Ok)
        self.ok.setObjectName("addUserOk")
        self.cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok.clicked.connect(self._submit)
        self.cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        for widget in (self.hint, self.error, self.step, self.busy):
            layout.addWidget(widget)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self._retranslate()
        self.username.setFocus()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("LocalHR Desk: add a user"))
        self.title.setText(self.tr("A new user of the office"))
        self.username_label.setText(self.tr("&Username"))
        self.name_label.setText(self.tr("&Name shown"))
        self.role_label.setText(self.tr("&Role"))
        self.scope_label.setText(self.tr("Also works for"))
        for i in range(self.role.count()):
            self.role.setItemText(i, role_label(self.role.itemData(i)))
        self.hint.setText(
            self.tr(
                "The username has Latin letters, digits and dots (e.g. somchai.j). The "
                "central makes a one-time password, shown once, which the user changes at "
                "their first login."
            )
        )
        self.ok.setText(self.tr("&Add user"))
        self.cancel.setText(self.tr("Cancel"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def problem(self) -> str | None:
        if not is_username(self.username.text()):
            return self.tr(
                "The username must be Latin letters, digits and dots, starting with a letter "
                "or digit."
            )
        if not self.name.text().strip():
            return self.tr("Type the name shown for the user.")
        return None

    def _submit(self) -> None:
        if self.checked_begin(self.problem()):
            self.show_step(self.tr("Adding the user at the central…"))
            scope = tuple(box.text() for box in self.scope if box.isChecked())
            self.requested.emit(
                clean_username(self.username.text()),
                self.name.text().strip(),
                self.role.currentData(),
                scope,
            )

    def waiting_changed(self, waiting: bool) -> None:
        for widget in (self.username, self.name, self.role, self.ok, *self.scope):
            widget.setEnabled(not waiting)


class AccountsPage(OfficePage):
    """See the module doc."""

    HELP_TOPIC = "office.html#accounts"

    def __init__(
        self, session, runner: TaskRunner, parent: QWidget | None = None, *, central=None
    ) -> None:
        super().__init__(session, runner, parent, central=central, name="accounts", columns=5)
        self.accounts: list[Account] = []
        self.add_dialog: AddUserDialog | None = None
        self.one_time: OneTimePasswordDialog | None = None
        self.command("add", self.add_user, ADD_KEY)
        self.command("reset", self.reset_password, RESET_KEY)
        self.command("active", self.toggle_active, ACTIVE_KEY)
        self.command("end", self.end_sessions, END_KEY)
        self.actions_row.addStretch(1)
        self.actions_row.addWidget(self.refresh_button)  # last in the row
        self.table.activated_row.connect(self.reset_password)
        self.retranslate()
        self.update_actions()
        self.refresh()

    # --- reading ----------------------------------------------------------------------

    def refresh(self) -> None:
        self.status.setText(self.tr("Reading the accounts at the central…"))
        self.call("users", done=self.show_users)

    def show_users(self, accounts: list[Account]) -> None:
        """Show ``accounts`` (what the central answered), keeping the selected one."""
        self.came_online()
        chosen = self.selected()
        self.accounts = list(accounts)
        self.table.setRowCount(len(self.accounts))
        for row, user in enumerate(self.accounts):
            last = texts.moment(user.last_login_at) or self.tr("never")
            cells = (
                user.username,
                user.display_name,
                role_label(user.role),
                self.state_text(user),
                last,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, user.id)
                if column == STATE and (not user.active or user.password_change_required):
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        ids = [u.id for u in self.accounts]
        if chosen is not None and chosen.id in ids:
            self.table.selectRow(ids.index(chosen.id))
        self.status.setText(self.tr("%1 account(s)").replace("%1", str(len(self.accounts))))
        self.update_actions()

    def state_text(self, user: Account) -> str:
        if not user.active:
            return self.tr("Disabled")
        if user.password_change_required:
            return self.tr("Active; one-time password not changed yet")
        return self.tr("Active")

    def selected(self) -> Account | None:
        row = self.selected_row()
        return self.accounts[row] if row is not None and row < len(self.accounts) else None

    def update_actions(self) -> None:
        super().update_actions()
        user = self.selected()
        ready = self.online and self.busy == 0
        yourself = user is not None and user.id == self.session.user_id
        self.enable("add", ready)
        self.enable("reset", ready and user is not None and not yourself)
        self.enable("active", ready and user is not None and not yourself)
        self.enable("end", ready and user is not None)
        if user is not None and not user.active:
            self.label_command("active", self.tr("&Enable…"))
        else:
            self.label_command("active", self.tr("&Disable…"))

    # --- acting -----------------------------------------------------------------------

    def add_user(self) -> None:
        if not self.commands["add"].isEnabled():
            return
        dialog = AddUserDialog(tuple(self.session.scope_org_ids), self)
        dialog.requested.connect(self._add)
        self.add_dialog = dialog
        dialog.open()

    def _add(self, username: str, name: str, role: str, scope: tuple) -> None:
        dialog = self.add_dialog
        assert dialog is not None
        self.call(
            "add_user",
            username,
            name,
            role,
            scope,
            done=lambda made: self._added(dialog, made),
            failed=lambda exc: dialog.fail(self.explain_add(exc)),
        )
        if self.busy == 0 and dialog.waiting:  # no session: the page says why
            dialog.fail(self.notice.text())

    def explain_add(self, exc: BaseException) -> str:
        if getattr(exc, "code", "") == "username_taken":
            return self.tr("This username is taken: choose another.")
        if getattr(exc, "code", "") == "bad_request":
            return self.tr("The central refused these details: %1").replace(
                "%1", str(getattr(exc, "message", exc))
            )
        self.failed(exc)
        return self.notice.text() if self.notice.isVisible() else self.error.text()

    def _added(self, dialog: AddUserDialog, made: NewAccount) -> None:
        if dialog.succeed():
            dialog.accept()
        self.show_one_time(made.user.username, made.user.display_name, made.one_time_password)
        self.refresh()

    def show_one_time(self, username: str, name: str, password: str) -> OneTimePasswordDialog:
        dialog = OneTimePasswordDialog(username, name, password, self)
        self.one_time = dialog
        dialog.open()
        return dialog

    def reset_password(self) -> None:
        user = self.selected()
        if user is None or not self.commands["reset"].isEnabled():
            return
        self.confirm(
            self.tr(
                "Reset the password of %1? Their sessions end, and they log in next with a "
                "one-time password you give them, which they must change at once."
            ).replace("%1", f"{user.display_name} ({user.username})"),
            self.tr("&Reset password"),
            lambda: self.call(
                "reset_password", user.id, done=lambda reset: self._was_reset(user, reset)
            ),
        )

    def _was_reset(self, user: Account, reset: PasswordReset) -> None:
        self.show_one_time(user.username, user.display_name, reset.one_time_password)
        self.refresh()

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None or not self.commands["active"].isEnabled():
            return
        who = f"{user.display_name} ({user.username})"
        if user.active:
            text = self.tr(
                "Disable the account of %1? They can no longer log in, on any PC, and their "
                "sessions end now. Their work already sent stays."
            ).replace("%1", who)
            yes = self.tr("&Disable")
        else:
            text = self.tr("Enable the account of %1 again?").replace("%1", who)
            yes = self.tr("&Enable")
        self.confirm(
            text,
            yes,
            lambda: self.call(
                "set_active", user.id, not user.active, done=lambda _none: self.refresh()
            ),
        )

    def end_sessions(self) -> None:
        user = self.selected()
        if user is None or not self.commands["end"].isEnabled():
            return
        self.confirm(
            self.tr(
                "End every session of %1? On each PC they must log in again (online) before "
                "their work is sent."
            ).replace("%1", f"{user.display_name} ({user.username})"),
            self.tr("&End sessions"),
            lambda: self.call("end_sessions", user.id, done=self._ended),
        )

    def _ended(self, ended: SessionsEnded) -> None:
        self.status.setText(self.tr("%1 session(s) ended.").replace("%1", str(ended.ended)))

    # --- words ------------------------------------------------------------------------

    def offline_text(self) -> str:
        return self.tr(
            "User accounts are kept at the central, which cannot be reached now. Adding, "
            "resetting or disabling a user needs it: press Refresh (F5) when the network "
            "is back."
        )

    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("User accounts"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Username"),
                self.tr("Name"),
                self.tr("Role"),
                self.tr("State"),
                self.tr("Last login"),
            ]
        )
        self.label_command("add", self.tr("&Add user…"))
        self.label_command("reset", self.tr("Reset &password…"))
        self.label_command("end", self.tr("End &sessions…"))
        self.update_actions()
