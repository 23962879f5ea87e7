"""What the desktop shows about sync at all times (DESIGN.md §7): a snapshot, and the words.

:class:`SyncStatus` is a frozen snapshot that :class:`ui.background_sync.BackgroundSync`
publishes whenever something changes: the state (offline, online, syncing, error, not
configured, login needed), why (a reason code, turned into translated words here), progress
while syncing, the ops waiting to go and those needing attention, the last successful sync,
and the users who must log in again for their ops to go.

Failures become reason codes in :func:`classify` (by exception type and code, never by
message text); :func:`headline` and :func:`advice` turn a code into Thai or English words
when they are read, so a language switch applies to a status already shown.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from sync.client.account import NotRegistered
from sync.client.engine import ProgressView
from sync.client.errors import (
    CONNECTION_LOST,
    TIMEOUT,
    AuthFailed,
    BadRequest,
    BodyTooLarge,
    CertificateError,
    Forbidden,
    KeyringUnavailable,
    Offline,
    ServerError,
    VersionMismatch,
)

log = logging.getLogger(__name__)

CONTEXT = "SyncStatus"


class State(enum.StrEnum):
    NOT_CONFIGURED = "not_configured"  # this PC knows no central (yet)
    OFFLINE = "offline"  # the central cannot be reached; a probe looks for the link
    ONLINE = "online"  # the last exchange with the central worked
    SYNCING = "syncing"
    LOGIN_NEEDED = "login_needed"  # someone's ops wait for them to log in online again
    ERROR = "error"  # the central was reached but the sync failed; see the reason


@dataclass(frozen=True)
class SyncProgress:
    """A running sync, as far as it got. ``bytes_total`` is the push's expected size (an
    estimate; 0 while unknown); the pull's size is not known before it ends."""

    phase: str = "start"  # start (nothing measured yet) | push | pull | done
    ops_done: int = 0
    ops_total: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    bytes_total: int = 0
    rows_pulled: int = 0

    @classmethod
    def of(cls, view: ProgressView) -> SyncProgress:
        return cls(
            phase=view.phase if view.phase != "idle" else "start",
            ops_done=view.ops_done,
            ops_total=view.ops_total,
            bytes_sent=view.bytes_sent,
            bytes_received=view.bytes_received,
            bytes_total=view.bytes_total,
            rows_pulled=view.rows_pulled,
        )


@dataclass(frozen=True)
class SyncStatus:
    state: State = State.OFFLINE
    reason: str = ""  # a key of REASONS when something is wrong, else ""
    detail: str = ""  # the technical text behind the reason (English), for the log and a tooltip
    progress: SyncProgress | None = None  # only while syncing
    pending: int = 0  # ops not answered by the central yet
    attention: int = 0  # conflicts and rejections the user has not set aside
    last_sync: dt.datetime | None = None  # end of the last sync without an error (UTC)
    waiting_authors: tuple[str, ...] = ()  # names of users whose ops wait for a new login

    @property
    def headline(self) -> str:
        """The reason in a few words ("" when there is none)."""
        return headline(self.reason)

    @property
    def message(self) -> str:
        """The reason in a sentence or two that says what happens next or what to do."""
        return advice(self.reason)


# reason → (headline, advice); translated when read (QCoreApplication.translate, CONTEXT).
REASONS: dict[str, tuple[str, str]] = {
    "offline": (
        QT_TRANSLATE_NOOP("SyncStatus", "no connection"),
        QT_TRANSLATE_NOOP(
            "SyncStatus",
            "The central cannot be reached. Your work is kept on this PC and is sent "
            "by itself when the connection is back.",
        ),
    ),
    "timeout": (
        QT_TRANSLATE_NOOP("SyncStatus", "the central does not answer"),
        QT_TRANSLATE_NOOP(
            "SyncStatus",
            "The central did not answer in time. Your work is kept on this PC and is "
            "sent by itself when the central answers again.",
        ),
    ),
    "connection_lost": (
        QT_TRANSLATE_NOOP("SyncStatus", "connection lost"),
        QT_TRANSLATE_NOOP(
            "SyncStatus",
            "The connection broke during the sync. Nothing is lost: the sync goes on "
            "where it stopped when the connection is back.",
        ),
    ),
    "certificate": (
        QT_TRANSLATE_NOOP("SyncStatus", "the central's certificate is not trusted"),
        QT_TRANSLATE_NOOP(
            "SyncStatus",
            "The central's security certificate could not be verified, so nothing was "
            "sent. Ask your IT staff to check the central's address.",
        ),
    ),
    "version": (
        QT_TRANSLATE_NOOP("SyncStatus", "update the program"),
        QT_TRANSLATE_NOOP(
            "SyncStatus",
            "This version of LocalHR Desk is too old for the central. Please update "
            "the program; your work stays on this PC until then.",
        ),
    ),
    "login": (
        QT_TRANSLATE_NOOP("SyncStatus", "log in again"),
        QT_TRANSLATE_NOOP(
            "SyncStatus",
            "Log in again while online so that your changes can be sent. They are "
            "kept on this PC until then.",
        ),
    ),
    "device": (
        QT_TRANSLATE_NOOP("SyncStatus", "this PC must be registered again"),
        QT_TRANSLATE_NOOP(
            "SyncStatus",
            "The central no longer knows this PC. An organization admin must register "
            "it again; your work stays on this PC until then.",
        ),
    ),
    "forbidden": (
        QT_TRANSLATE_NOOP("SyncStatus", "not allowed"),
        QT_TRANSLATE_NOOP(
            "SyncStatus", "The central refused: this account may not do this. Ask your admin."
        ),
    ),
    "server": (
        QT_TRANSLATE_NOOP("SyncStatus", "the central has a problem"),
        QT_TRANSLATE_NOOP(
            "SyncStatus",
            "The central could not finish the sync. It is tried again later; your work "
            "is kept on this PC.",
        ),
    ),
    "refused": (
        QT_TRANSLATE_NOOP("SyncStatus", "the central refused the request"),
        QT_TRANSLATE_NOOP(
            "SyncStatus",
            "The central refused what this PC sent. It is tried again later; if this "
            "stays, tell your IT staff.",
        ),
    ),
    "keyring": (
        QT_TRANSLATE_NOOP("SyncStatus", "no password store"),
        QT_TRANSLATE_NOOP(
            "SyncStatus",
            "This computer has no secure password store, so this PC's credentials "
            "cannot be read and nothing can be sent. Ask your IT staff to turn one on "
            "(for example Windows Credential Manager).",
        ),
    ),
    "not_registered": (
        QT_TRANSLATE_NOOP("SyncStatus", "not connected to a central"),
        QT_TRANSLATE_NOOP(
            "SyncStatus",
            "This PC is not connected to a central yet. Your work is kept on this PC.",
        ),
    ),
    "internal": (
        QT_TRANSLATE_NOOP("SyncStatus", "unexpected error"),
        QT_TRANSLATE_NOOP(
            "SyncStatus",
            "The sync stopped on an unexpected error. It is tried again later; your "
            "work is kept on this PC.",
        ),
    ),
}


def classify(exc: BaseException) -> tuple[State, str]:
    """The state and reason code a failure of a sync (or of reading its credentials) leads
    to. Offline means a probe looks for the link; every other state waits for the timer or
    the user."""
    if isinstance(exc, Offline):
        if exc.code == TIMEOUT:
            return State.OFFLINE, "timeout"
        if exc.code == CONNECTION_LOST:
            return State.OFFLINE, "connection_lost"
        return State.OFFLINE, "offline"
    if isinstance(exc, AuthFailed):
        if exc.device_problem:
            return State.ERROR, "device"
        return State.LOGIN_NEEDED, "login"
    if isinstance(exc, NotRegistered):
        return State.NOT_CONFIGURED, "not_registered"
    reasons: list[tuple[type[BaseException], str]] = [
        (CertificateError, "certificate"),
        (VersionMismatch, "version"),
        (Forbidden, "forbidden"),
        (ServerError, "server"),
        ((BadRequest, BodyTooLarge), "refused"),  # type: ignore[list-item]
        (KeyringUnavailable, "keyring"),
    ]
    for kinds, reason in reasons:
        if isinstance(exc, kinds):
            return State.ERROR, reason
    return State.ERROR, "internal"


def detail_of(exc: BaseException) -> str:
    """The technical text of a failure, for a tooltip and the log (never a secret: the sync
    client's errors hold none, and neither does KeyringUnavailable's reason)."""
    if isinstance(exc, KeyringUnavailable):
        return exc.reason
    code = getattr(exc, "code", None)
    text = str(exc) or type(exc).__name__
    return f"{text} ({code})" if code and code not in text else text


def headline(reason: str) -> str:
    if not reason:
        return ""
    short, _ = REASONS.get(reason, REASONS["internal"])
    return QCoreApplication.translate(CONTEXT, short)


def advice(reason: str) -> str:
    if not reason:
        return ""
    _, long = REASONS.get(reason, REASONS["internal"])
    return QCoreApplication.translate(CONTEXT, long)
