"""What the first-run, login, settings, attention and start-up tests share: text typed as a
user types it, the Thai translations as the desktop loads them, a real task runner, and a
PC registered with a real central on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QWidget

from app.store.db import Database, open_database
from localhr.screenshots import type_text
from sync.client import account
from sync.client.credentials import CredentialStore, MemoryKeyring
from sync.client.engine import SyncEngine
from sync.client.transport import CentralClient
from tests.sync_client.conftest import PASSWORD, Central
from ui.app import set_language
from ui.fonts import apply_default_font
from ui.login import CentralLink
from ui.tasks import TaskRunner

WAIT_MS = 15_000


class _Shots:
    """Where the tests save what a screen showed, to look at after a run: a folder under
    pytest's own temporary folder (tests/ui/conftest.py sets it for the session), never a
    fixed name in the system's temp folder. ``SHOTS / "name.png"`` is a path in it."""

    folder: Path | None = None

    def __truediv__(self, name: str) -> Path:
        assert self.folder is not None, "SHOTS is set by tests/ui/conftest.py"
        return self.folder / name


SHOTS = _Shots()


def type_into(qtbot, widget: QWidget, text: str) -> None:
    """Type ``text`` into a line edit: Latin by key clicks, Thai as the input method commits
    it (``keyClicks`` aborts on characters outside Latin-1); the screenshots type the same."""
    type_text(widget, text)


@pytest.fixture
def thai(qapp) -> Iterator[None]:
    """The program in Thai with the bundled font, as the desktop starts; the session's
    locale, font and (no) translations again afterwards."""
    font, locale = qapp.font(), QLocale()
    set_language(qapp, "th")
    apply_default_font(qapp)
    yield
    for translator in qapp.findChildren(QTranslator):
        QCoreApplication.removeTranslator(translator)
        translator.deleteLater()
    QLocale.setDefault(locale)
    qapp.setFont(font)


@pytest.fixture
def runner(qapp) -> Iterator[TaskRunner]:
    """A real two-lane runner: the network and the database work on their own threads."""
    runner = TaskRunner()
    yield runner
    runner.shutdown()


@dataclass
class PC:
    folder: Path
    db: Database
    link: CentralLink
    keyring: MemoryKeyring


@pytest.fixture
def pc_for(tmp_path) -> Iterator[Callable[..., PC]]:
    """``pc_for(url, register=central)``: a PC's database and link to the central at ``url``
    (directly or through a proxy), registered by admin.a of org A when ``register`` is
    given; closed after the test."""
    with ExitStack() as stack:

        def make(url: str, register: Central | None = None) -> PC:
            folder = tmp_path / f"pc{len(list(tmp_path.glob('pc*')))}"
            folder.mkdir()
            db = open_database(folder / "localhr.sqlite3")
            stack.callback(db.close)
            client = stack.enter_context(CentralClient(url, backoff_factor=0, retries=0))
            keyring = MemoryKeyring()
            store = CredentialStore.for_central(url, folder, keyring)
            if register is not None:
                account.register(
                    db, client, store, username="admin.a", password=PASSWORD,
                    org_id=register.org_a, name="เครื่องงานบุคคล 1",
                )  # fmt: skip
            return PC(folder, db, CentralLink(client, store, SyncEngine(db, client)), keyring)

        yield make
