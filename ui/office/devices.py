"""The office's PCs, for its org admin (issue 14).

``DevicesPage(session, runner, parent=None, *, central=None)``: the same objects as
:class:`ui.office.accounts.AccountsPage`.

The table lists the PCs registered to the admin's scope: name, when registered, the last
sync as the central saw it, the program version and the ops waiting on the PC as it said at
that sync, and whether it was revoked; this PC is marked. Actions: rename (F2; a dialog),
revoke (Delete; confirmed with the PC's name: its credential stops at once, and it must be
enrolled again), refresh (F5).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sync.protocol import DeviceInfo
from ui import texts
from ui.dialogs import FittedDialog
from ui.office.page import OfficePage
from ui.tasks import TaskRunner

NAME, REGISTERED, LAST_SYNC, VERSION, WAITING, STATE = range(6)
RENAME_KEY, REVOKE_KEY = "F2", "Delete"
MAX_NAME = 120
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class RenameDialog(FittedDialog):
    """A PC's new name."""

    def __init__(self, device: DeviceInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("renamePcDialog")
        self.device = device
        self.label = QLabel(objectName="renamePcLabel", wordWrap=True)
        self.name = QLineEdit(device.name, objectName="renamePcName", maxLength=MAX_NAME)
        self.label.setBuddy(self.name)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.label, self.name, self.buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(420)
        self.name.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        self._retranslate()
        self.name.selectAll()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("LocalHR Desk: rename a PC"))
        self.label.setText(self.tr("A &new name for the PC “%1”:").replace("%1", self.device.name))
        self.ok.setText(self.tr("&Rename"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))

    def _accept(self) -> None:
        if self.name.text().strip():
            self.accept()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


class DevicesPage(OfficePage):
    """See the module doc."""

    HELP_TOPIC = "office.html#devices"

    def __init__(
        self, session, runner: TaskRunner, parent: QWidget | None = None, *, central=None
    ) -> None:
        super().__init__(session, runner, parent, central=central, name="devices", columns=6)
        self.devices: list[DeviceInfo] = []
        self.rename_dialog: RenameDialog | None = None
        self.command("rename", self.rename, RENAME_KEY)
        self.command("revoke", self.revoke, REVOKE_KEY)
        self.actions_row.addStretch(1)
        self.actions_row.addWidget(self.refresh_button)
        self.table.activated_row.connect(self.rename)
        self.retranslate()
        self.update_actions()
        self.refresh()

    # --- reading ----------------------------------------------------------------------

    def refresh(self) -> None:
        self.status.setText(self.tr("Reading the PCs at the central…"))
        self.call("devices", done=self.show_devices)

    def show_devices(self, devices: list[DeviceInfo]) -> None:
        """Show ``devices`` (what the central answered), keeping the selected one."""
        self.came_online()
        chosen = self.selected()
        self.devices = list(devices)
        self.table.setRowCount(len(self.devices))
        for row, pc in enumerate(self.devices):
            name = pc.name
            if pc.id == self.this_device:
                name = self.tr("%1 (this PC)").replace("%1", pc.name)
            waiting = "" if pc.ops_waiting is None else f"{pc.ops_waiting:,}"
            state = (
                self.tr("Revoked %1").replace("%1", texts.moment(pc.revoked_at))
                if pc.revoked_at
                else self.tr("In use")
            )
            cells = (
                name,
                texts.moment(pc.registered_at),
                texts.moment(pc.last_sync_at) or self.tr("never"),
                pc.program_version or "",
                waiting,
                state,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, pc.id)
                if column == WAITING:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if pc.revoked_at is not None:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        ids = [d.id for d in self.devices]
        if chosen is not None and chosen.id in ids:
            self.table.selectRow(ids.index(chosen.id))
        live = sum(1 for d in self.devices if d.revoked_at is None)
        self.status.setText(
            self.tr("%1 PC(s) in use, %2 revoked")
            .replace("%1", str(live))
            .replace("%2", str(len(self.devices) - live))
        )
        self.update_actions()

    def selected(self) -> DeviceInfo | None:
        row = self.selected_row()
        return self.devices[row] if row is not None and row < len(self.devices) else None

    def update_actions(self) -> None:
        super().update_actions()
        pc = self.selected()
        ready = self.online and self.busy == 0 and pc is not None
        self.enable("rename", ready)
        self.enable("revoke", ready and pc is not None and pc.revoked_at is None)

    # --- acting -----------------------------------------------------------------------

    def rename(self) -> None:
        pc = self.selected()
        if pc is None or not self.commands["rename"].isEnabled():
            return
        dialog = RenameDialog(pc, self)
        dialog.accepted.connect(
            lambda: self.call(
                "rename_device", pc.id, dialog.name.text().strip(), done=lambda _pc: self.refresh()
            )
        )
        self.rename_dialog = dialog
        dialog.open()

    def revoke(self) -> None:
        pc = self.selected()
        if pc is None or not self.commands["revoke"].isEnabled():
            return
        text = self.tr(
            "Revoke the PC “%1”? It stops working with the central at once: nobody can log "
            "in online or sync there, and its work not sent yet stays on it. To use it again "
            "it must be enrolled again (first run, by an organization admin)."
        ).replace("%1", pc.name)
        if pc.id == self.this_device:
            text += "\n\n" + self.tr("This is the PC you are using now.")
        yes = self.tr("&Revoke “%1”").replace("%1", pc.name)
        self.confirm(
            text, yes, lambda: self.call("revoke_device", pc.id, done=lambda _n: self.refresh())
        )

    # --- words ------------------------------------------------------------------------

    def offline_text(self) -> str:
        return self.tr(
            "The list of the office's PCs is kept at the central, which cannot be reached "
            "now. Renaming or revoking a PC needs it: press Refresh (F5) when the network "
            "is back."
        )

    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("The office's PCs"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("PC"),
                self.tr("Registered"),
                self.tr("Last sync"),
                self.tr("Program version"),
                self.tr("Changes waiting"),
                self.tr("State"),
            ]
        )
        self.label_command("rename", self.tr("Re&name…"))
        self.label_command("revoke", self.tr("Re&voke…"))
        self.update_actions()
