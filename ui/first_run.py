"""First run: connect this PC to a central, or start the demo (DESIGN.md §5, §10).

- **Connect**: an org admin gives the central's address, the organization's DLA code and
  their own username and password; the central registers this PC and issues its device
  credential, which goes to the keyring (never a file). The network call runs on the
  network lane; the keyring is written here on the main thread, and the outbox adopts the
  new device id on the database lane.
- **Demo**: the demo's embedded central starts (given as ``start_demo``: the desktop
  never imports the central service itself) and registers this PC; the credential is kept
  in an in-memory keyring, which the demo needs no more than until it ends. The next start
  registers the PC again under the same device id, with a fresh credential.

:class:`Enrolment` does either and says how it went; :class:`FirstRunDialog` asks for it.
The demo's later starts use :meth:`Enrolment.start_demo` alone.
"""

from __future__ import annotations

import functools
import logging
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from keyring.backend import KeyringBackend
from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.thai import thai_digits_to_arabic
from app.services import outbox
from app.store.db import Database
from sync.client import bundle_keys
from sync.client.credentials import (
    CredentialStore,
    DeviceCredential,
    KeyringUnavailable,
    MemoryKeyring,
    PcBundleKeys,
)
from sync.client.errors import (
    AuthFailed,
    CertificateError,
    Forbidden,
    Offline,
    TooManyAttempts,
)
from sync.client.transport import CentralClient
from sync.protocol import CentralKeys, DeviceRegistration
from ui import texts
from ui.dialogs import WorkDialog, notice_label, title_label
from ui.sync_status import advice, classify, detail_of
from ui.tasks import Lane, Task, TaskRunner

log = logging.getLogger(__name__)


class DemoCentral(Protocol):
    """The demo's running central, as the desktop sees it."""

    url: str
    accounts: Sequence[Any]  # each with .role, .username and .password

    def register_pc(self, name: str, device_id: str | None = None) -> DeviceRegistration: ...

    def stop(self) -> None: ...


#: Makes and starts the demo's central (blocking: run on a worker).
StartDemo = Callable[[], DemoCentral]


@dataclass(frozen=True)
class Connected:
    """This PC is registered: the settings to keep, the credential store holding its device,
    and the demo's central when it is the demo."""

    mode: str  # "central" | "demo"
    central_url: str
    ca_bundle: str
    store: CredentialStore
    demo: DemoCentral | None = None


def default_pc_name() -> str:
    return socket.gethostname() or "PC"


def _register(
    client: CentralClient, username: str, password: str, org: str, name: str
) -> DeviceRegistration:
    try:
        return client.register_device(username, password, org, name)
    finally:
        client.close()


def _exchange_keys(connected: Connected, device: DeviceCredential, pc: PcBundleKeys) -> CentralKeys:
    client = CentralClient(connected.central_url, ca_bundle=connected.ca_bundle or None)
    try:
        return bundle_keys.exchange(client, device, pc)
    finally:
        client.close()


def _device_id(db: Database) -> str:
    return db.device_id


def _start_demo(
    start: StartDemo, name: str, device_id: str
) -> tuple[DemoCentral, DeviceRegistration]:
    central = start()
    try:
        return central, central.register_pc(name, device_id)
    except BaseException:
        central.stop()
        raise


class Enrolment(QObject):
    """Registers this PC with a central, or starts the demo's (see the module doc)."""

    done = Signal(object)  # Connected
    failed = Signal(str)
    step = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        folder: Path,
        keyring_backend: KeyringBackend | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._db = db
        self._folder = Path(folder)
        self._backend = keyring_backend

    def keyring_problem(self) -> str | None:
        """Why no credential can be kept on this computer, or None when it can."""
        try:
            CredentialStore("LocalHR Desk (check)", self._backend).check()
        except KeyringUnavailable as exc:
            return exc.reason
        return None

    # --- a real central -----------------------------------------------------------------------

    def connect_central(
        self, url: str, ca_bundle: str, org: str, username: str, password: str, pc_name: str
    ) -> None:
        ca_bundle = ca_bundle.strip()
        org = thai_digits_to_arabic(org.strip())
        if ca_bundle and not Path(ca_bundle).is_file():
            self.failed.emit(
                self.tr("The certificate file %1 does not exist.").replace("%1", ca_bundle)
            )
            return
        if not (url.strip() and org and username.strip() and password and pc_name.strip()):
            self.failed.emit(self.tr("Fill in every field (the certificate file may stay empty)."))
            return
        try:
            client = CentralClient(url, ca_bundle=ca_bundle or None)
        except ValueError:
            self.failed.emit(self.bad_address())
            return
        store = CredentialStore.for_central(client.base_url, self._folder, self._backend)
        try:
            store.check()  # never register a PC with nowhere safe to keep its credential
        except KeyringUnavailable as exc:
            client.close()
            self.failed.emit(self.no_keyring(exc.reason))
            return
        self.step.emit(self.tr("Registering this PC at the central…"))
        connected = Connected("central", client.base_url, ca_bundle, store)
        Task(_register, client, username.strip(), password, org, pc_name.strip()).on_success(
            functools.partial(self._registered, connected)
        ).on_failure(self._failed).bound_to(self).run_on(self._runner, Lane.NET)

    # --- the demo -----------------------------------------------------------------------------

    def start_demo(self, start: StartDemo, pc_name: str | None = None) -> None:
        """Start the demo's central and register this PC with it under the device id its
        database holds (the in-memory keyring of the last start is gone; the PC is not)."""
        self.step.emit(self.tr("Starting the demo's central on this PC…"))
        name = pc_name or default_pc_name()
        Task(_device_id, self._db).on_success(
            functools.partial(self._serve_demo, start, name)
        ).on_failure(self._failed).bound_to(self).run_on(self._runner, Lane.DB)

    def _serve_demo(self, start: StartDemo, name: str, device_id: str) -> None:
        Task(_start_demo, start, name, device_id).on_success(self._demo_started).on_failure(
            self._failed
        ).bound_to(self).run_on(self._runner, Lane.NET)

    def _demo_started(self, started: tuple[DemoCentral, DeviceRegistration]) -> None:
        central, registration = started
        store = CredentialStore.for_central(central.url, self._folder, MemoryKeyring())
        self._registered(Connected("demo", central.url, "", store, demo=central), registration)

    # --- both ---------------------------------------------------------------------------------

    def _registered(self, connected: Connected, registration: DeviceRegistration) -> None:
        device = DeviceCredential.from_registration(registration)
        try:
            connected.store.save_device(device)  # the keyring: main thread
        except KeyringUnavailable as exc:
            self._give_up(connected)
            self.failed.emit(self.no_keyring(exc.reason))
            return
        Task(outbox.adopt_device, self._db, device.device_id).on_success(
            lambda _count: self._bundle_keys(connected, device)
        ).on_failure(lambda exc: (self._give_up(connected), self._failed(exc))).bound_to(
            self
        ).run_on(self._runner, Lane.DB)

    def _bundle_keys(self, connected: Connected, device: DeviceCredential) -> None:
        """Register this PC's USB bundle keys now, while the central is reachable: an office
        that goes offline after enrolling can still export bundles. Not fatal: the PC is
        registered, and the keys go with the next bundle export that reaches the central."""
        try:
            pc = bundle_keys.pc_keys(connected.store)  # the keyring: main thread
        except KeyringUnavailable as exc:
            log.warning("bundle keys not made: %s", exc.reason)
            self.done.emit(connected)
            return

        def kept(central: CentralKeys) -> None:
            try:
                bundle_keys.keep(connected.store, device, pc, central)
            except KeyringUnavailable as exc:
                log.warning("bundle keys not kept: %s", exc.reason)
            self.done.emit(connected)

        def not_now(exc: BaseException) -> None:
            log.warning("bundle keys not registered yet: %s", detail_of(exc))
            self.done.emit(connected)

        Task(_exchange_keys, connected, device, pc).on_success(kept).on_failure(not_now).bound_to(
            self
        ).run_on(self._runner, Lane.NET)

    @staticmethod
    def _give_up(connected: Connected) -> None:
        if connected.demo is not None:
            connected.demo.stop()

    def _failed(self, exc: BaseException) -> None:
        log.warning("registration failed: %s", detail_of(exc))
        self.failed.emit(self.explain(exc))

    # --- words --------------------------------------------------------------------------------

    def bad_address(self) -> str:
        return self.tr(
            "The central's address must start with https:// (plain http:// only for a "
            "central on this same computer), e.g. https://central.example.go.th"
        )

    def no_keyring(self, reason: str) -> str:
        """The words for the user, in their language; the password store's own (English,
        technical) reason goes to the log, for the IT staff (issue 15: the message ended in
        English)."""
        log.warning("no usable password store: %s", reason)
        return self.tr(
            "This computer has no secure password store, so this PC's credential cannot be "
            "kept and the PC cannot be registered. Ask your IT staff to turn one on (for "
            "example Windows Credential Manager or GNOME Keyring); the details are in the "
            "program's log. You can try the demo meanwhile."
        )

    def explain(self, exc: BaseException) -> str:
        if isinstance(exc, AuthFailed | Forbidden):
            # The central answers every refused registration alike (so that nobody learns
            # from it which passwords or accounts are right): all three are to be checked.
            return self.tr(
                "The central did not accept these details. Check the organization code, "
                "and that the username and password are those of an organization admin "
                "of that organization."
            )
        if isinstance(exc, TooManyAttempts):
            return texts.too_many_attempts(exc.retry_after)
        if isinstance(exc, Offline):
            return self.tr(
                "The central cannot be reached at this address. Check the address and "
                "the network connection, then try again."
            )
        if isinstance(exc, CertificateError):
            return self.tr(
                "The central's security certificate could not be verified. Check the "
                "address; if your office uses its own certificates, choose their file."
            )
        if isinstance(exc, FileNotFoundError | RuntimeError | OSError):
            return self.tr("The demo's central could not start: %1").replace("%1", detail_of(exc))
        _, reason = classify(exc)
        return advice(reason)


class FirstRunDialog(WorkDialog):
    """Welcome: connect to the office's central, or try the demo."""

    connected = Signal(object)  # Connected
    quit_requested = Signal()

    def __init__(
        self,
        enrolment: Enrolment,
        *,
        start_demo: StartDemo | None = None,
        url: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("firstRun", parent)
        self.enrolment = enrolment
        self._start_demo = start_demo
        self.title = title_label("firstRunTitle")
        self.intro = QLabel(wordWrap=True)
        self.use_central = QRadioButton(objectName="firstRunCentral")
        self.use_demo = QRadioButton(objectName="firstRunDemo")
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.use_central)
        self.choice.addButton(self.use_demo)
        self.demo_note = QLabel(wordWrap=True, objectName="firstRunDemoNote")
        self.demo_note.setIndent(24)
        self.keyring_note = notice_label("firstRunKeyring")
        self.url = QLineEdit(url, objectName="firstRunUrl")
        self.url.setPlaceholderText("https://")
        self.ca_bundle = QLineEdit(objectName="firstRunCaBundle")
        self.browse = QPushButton(objectName="firstRunBrowse")
        self.browse.clicked.connect(self._choose_ca_bundle)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_bundle, 1)
        ca_row.addWidget(self.browse)
        self.org = QLineEdit(objectName="firstRunOrg")
        self.org.setMaxLength(7)
        self.org.setPlaceholderText("6340101")
        self.admin = QLineEdit(objectName="firstRunAdmin")
        self.password = QLineEdit(objectName="firstRunPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.pc_name = QLineEdit(default_pc_name(), objectName="firstRunPcName")
        self.central_box = QGroupBox()
        self.form = QFormLayout(self.central_box)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        fields = (self.url, self.ca_bundle, self.org, self.admin, self.password, self.pc_name)
        self.labels = [QLabel(buddy=field) for field in fields]
        rows = (self.url, ca_row, self.org, self.admin, self.password, self.pc_name)
        for label, row in zip(self.labels, rows, strict=True):
            self.form.addRow(label, row)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(QDialogButtonBox.StandardButton.Ok)
        self.ok.setObjectName("firstRunOk")
        self.quit = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.ok.clicked.connect(self._submit)
        self.quit.clicked.connect(self._quit)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        for widget in (self.title, self.intro, self.keyring_note, self.use_central):
            layout.addWidget(widget)
        layout.addWidget(self.central_box)
        for widget in (self.use_demo, self.demo_note, self.error, self.step, self.busy):
            layout.addWidget(widget)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)
        self.choice.buttonToggled.connect(lambda *_: self._show_choice())
        enrolment.done.connect(self._done)
        enrolment.failed.connect(self.fail)
        enrolment.step.connect(self.show_step)
        self._keyring_problem = enrolment.keyring_problem()
        self.use_demo.setEnabled(start_demo is not None)
        self.use_central.setEnabled(self._keyring_problem is None)
        self.keyring_note.setVisible(self._keyring_problem is not None)
        (self.use_demo if self._keyring_problem and start_demo else self.use_central).setChecked(
            True
        )
        self._retranslate()
        self._show_choice()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("LocalHR Desk: first start"))
        self.title.setText(self.tr("Welcome to LocalHR Desk"))
        self.intro.setText(
            self.tr(
                "This PC keeps your office's personnel records and works without a "
                "connection; whenever there is one, it exchanges them with the central data "
                "center. First, connect it to your central, or try the program on an "
                "example office."
            )
        )
        self.use_central.setText(self.tr("&Connect to my office's central"))
        self.use_demo.setText(self.tr("Try the &demo"))
        self.demo_note.setText(
            self.tr(
                "An example office with Thai demo people, its own central on this PC, and "
                "accounts for a clerk, a supervisor and an admin. Nothing leaves this PC."
            )
        )
        if self._start_demo is None:
            self.use_demo.setToolTip(self.tr("The demo needs the central service installed."))
        if self._keyring_problem is not None:
            self.keyring_note.setText(self.enrolment.no_keyring(self._keyring_problem))
            self.keyring_note.setToolTip(self._keyring_problem)  # for the IT staff
        self.central_box.setTitle(self.tr("An organization admin registers this PC"))
        labels = (
            self.tr("Central &address"),
            self.tr("C&ertificate file"),
            self.tr("&Organization code"),
            self.tr("Org admin's &username"),
            self.tr("Org admin's &password"),
            self.tr("&Name of this PC"),
        )
        for label, text in zip(self.labels, labels, strict=True):
            label.setText(text)
        self.ca_bundle.setPlaceholderText(self.tr("optional"))
        self.ca_bundle.setToolTip(
            self.tr("Only if your office uses its own certificates: a PEM file of them")
        )
        self.org.setToolTip(self.tr("The organization's 7-digit DLA code, e.g. 6340101"))
        self.browse.setText(self.tr("&Browse…"))
        self.quit.setText(self.tr("&Quit"))
        self._show_choice()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _show_choice(self) -> None:
        central = self.use_central.isChecked()
        self.central_box.setEnabled(central and not self.waiting)
        if central:
            self.ok.setText(self.tr("&Register this PC"))
        else:
            self.ok.setText(self.tr("&Start the demo"))
        self.ok.setEnabled(not self.waiting and (central or self._start_demo is not None))

    def _choose_ca_bundle(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("CA certificates"), "", self.tr("Certificates (*.pem *.crt *.cer)")
        )
        if path:
            self.ca_bundle.setText(path)

    def _submit(self) -> None:
        if not self.begin():
            return
        if self.use_demo.isChecked() and self._start_demo is not None:
            self.enrolment.start_demo(self._start_demo, self.pc_name.text().strip() or None)
        else:
            self.enrolment.connect_central(
                self.url.text(), self.ca_bundle.text(), self.org.text(), self.admin.text(),
                self.password.text(), self.pc_name.text(),
            )  # fmt: skip

    def waiting_changed(self, waiting: bool) -> None:
        self.use_central.setEnabled(not waiting and self._keyring_problem is None)
        self.use_demo.setEnabled(not waiting and self._start_demo is not None)
        self._show_choice()

    def _done(self, connected: Connected) -> None:
        if self.succeed():
            self.password.clear()
            self.connected.emit(connected)
            self.accept()

    def _quit(self) -> None:
        self.quit_requested.emit()
        super().reject()

    def reject(self) -> None:
        """Escape or the close button: a registration under way goes on (it cannot be
        called back from the central); otherwise the program ends."""
        if not self.waiting:
            self._quit()
