"""The changes the central did not accept, and what to do about each (DESIGN.md §4, §7).

A conflict or a rejection is set aside for the user and never blocks the rest of the sync;
whatever it changed on this PC has already been put back. This panel lists them
(``outbox.attention``) with the central's reason in words a clerk understands, by its
stable code (``sync/central/push.py``, ``sync/client/engine.py``), and what to do; the
central's own message stays in the details for IT staff. The user opens the submission
concerned (:attr:`AttentionPanel.open_submission`) or sets the item aside
(``outbox.dismiss``) once dealt with. The sync status bar's attention button opens it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError
from app.services import outbox, submissions
from app.store.db import Database
from ui import texts
from ui.background_sync import BackgroundSync
from ui.session import Session
from ui.tasks import Lane, Task, TaskRunner

CONTEXT = "AttentionPanel"

#: code → (what happened, what to do); translated when shown.
REASONS: dict[str, tuple[str, str]] = {
    "conflict": (
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "Someone changed the same fields of this record at the central meanwhile.",
        ),
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "The supervisor opens the submission and settles the fields again, "
            "choosing between the values side by side, then approves again.",
        ),
    ),
    "stale_version": (
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "The official record changed after these fields were settled on this PC.",
        ),
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "The supervisor opens the submission and settles the fields again with "
            "the current values, then approves again.",
        ),
    ),
    "conflicts_unresolved": (
        QT_TRANSLATE_NOOP("AttentionPanel", "The approval left fields in conflict unsettled."),
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "The supervisor opens the submission, picks a value for every field in "
            "conflict, and approves again.",
        ),
    ),
    "invalid_transition": (
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "The submission had already moved on at the central: approved, returned "
            "or withdrawn on another PC.",
        ),
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "Open the submission to see its state now. Nothing else is needed; set "
            "this item aside.",
        ),
    ),
    "forbidden": (
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "Your account may not do this (for example approve its own submission, "
            "or change a record of another office).",
        ),
        QT_TRANSLATE_NOOP(
            "AttentionPanel", "Ask your supervisor or your organization admin who should do it."
        ),
    ),
    "bad_payload": (
        QT_TRANSLATE_NOOP("AttentionPanel", "The central found the data incomplete or not valid."),
        QT_TRANSLATE_NOOP(
            "AttentionPanel", "Open the submission, correct the fields marked, and submit it again."
        ),
    ),
    "body_too_large": (
        QT_TRANSLATE_NOOP("AttentionPanel", "This change is too large to send in one piece."),
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "Split it into smaller submissions (for example fewer history rows at "
            "once), or ask IT staff to raise the central's limit.",
        ),
    ),
    "not_found": (
        QT_TRANSLATE_NOOP(
            "AttentionPanel", "The central does not have the record this change is about."
        ),
        QT_TRANSLATE_NOOP(
            "AttentionPanel", "Sync again later; if this stays, tell your organization admin."
        ),
    ),
    "out_of_scope": (
        QT_TRANSLATE_NOOP(
            "AttentionPanel", "The record belongs to an organization outside your account's scope."
        ),
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "Ask your organization admin; a record of another office is changed by that office.",
        ),
    ),
    "device_mismatch": (
        QT_TRANSLATE_NOOP(
            "AttentionPanel", "The change was made before this PC was registered again."
        ),
        QT_TRANSLATE_NOOP("AttentionPanel", "Make the change again; set this item aside."),
    ),
    "account": (
        QT_TRANSLATE_NOOP(
            "AttentionPanel", "The central could not match the change to the account that made it."
        ),
        QT_TRANSLATE_NOOP(
            "AttentionPanel", "Log in again as its author and sync; if this stays, tell IT staff."
        ),
    ),
    "update": (
        QT_TRANSLATE_NOOP("AttentionPanel", "The central does not know this kind of change."),
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "Update LocalHR Desk to the latest version, then make the change again.",
        ),
    ),
    "identity": (
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "The central refused the change's record number or time: it cannot be right, "
            "or it already belongs to another record.",
        ),
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "Do not make the change again yet. Tell your IT staff and give them the details below.",
        ),
    ),
    "audit_trail": (
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "This PC's activity log no longer matches what it sent before: an entry was "
            "changed on this PC.",
        ),
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "Tell your organization admin at once. The central keeps the entries it "
            "received first.",
        ),
    ),
    "role_required": (
        QT_TRANSLATE_NOOP(
            "AttentionPanel", "Only an organization admin may change the office's structure."
        ),
        QT_TRANSLATE_NOOP(
            "AttentionPanel", "Ask your organization admin to make the change; set this aside."
        ),
    ),
    "structure": (
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "The central refused this change to the office's units or position slots: it "
            "breaks a rule of the structure (for example a position number already used, "
            "a unit placed under itself, or a level outside the position type).",
        ),
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "Open the office's structure, see how it stands now after the sync, and make the "
            "change again within the rules.",
        ),
    ),
    "unit_not_empty": (
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "The unit was not closed: people still hold its slots, or it still has open "
            "slots or units under it.",
        ),
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "Move the people and slots to another unit, freeze or cut the slots left, then "
            "close the unit again.",
        ),
    ),
    "position_number_taken": (
        QT_TRANSLATE_NOOP(
            "AttentionPanel", "Another slot of this office already has this position number."
        ),
        QT_TRANSLATE_NOOP(
            "AttentionPanel", "Give the slot another position number, or change the other slot."
        ),
    ),
    "slot_not_vacant": (
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "The position slot is already filled: another appointment to it was approved first.",
        ),
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "The supervisor returns the submission; the clerk chooses a vacant slot and sends it "
            "again.",
        ),
    ),
    "slot_closed": (
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "The position slot cannot take this person: it is frozen or cut, of another staff "
            "type, or no longer exists.",
        ),
        QT_TRANSLATE_NOOP(
            "AttentionPanel",
            "The supervisor returns the submission; the clerk chooses a vacant slot, or the "
            "organization admin opens the slot again.",
        ),
    ),
    "other": (
        QT_TRANSLATE_NOOP("AttentionPanel", "The central did not accept this change."),
        QT_TRANSLATE_NOOP("AttentionPanel", "Tell your IT staff and give them the details below."),
    ),
}
# Codes that say the same to a user.
SAME = {
    "permission_denied": "forbidden", "invalid_input": "bad_payload",
    "author_mismatch": "account", "unknown_user": "account", "unknown_kind": "update",
    "actor_mismatch": "account", "user_disabled": "account", "author_not_allowed": "account",
    "id_taken": "identity", "op_id_taken": "identity", "bad_id": "identity",
    "bad_time": "identity",
    "audit_chain_fork": "audit_trail", "audit_hash_mismatch": "audit_trail",
    # the office's structure (app.domain.structure)
    "unit_name_required": "structure", "unknown_unit_kind": "structure",
    "unit_other_org": "structure", "too_many_units": "structure", "unit_not_found": "structure",
    "unit_closed": "structure", "unit_cycle": "structure", "unit_too_deep": "structure",
    "too_long": "structure", "slot_other_org": "structure",
    "position_number_required": "structure", "title_required": "structure",
    "unknown_position_type": "structure", "unknown_level": "structure",
    "level_range": "structure", "unknown_staff_type": "structure",
    "too_many_slots": "structure", "state_not_by_hand": "structure", "slot_filled": "structure",
    "plan_year": "structure", "plan_counts": "structure", "too_many_plan_lines": "structure",
    "slot_not_found": "slot_closed", "slot_frozen": "slot_closed", "slot_cut": "slot_closed",
    "slot_staff_type": "slot_closed",
}  # fmt: skip

KINDS: dict[str, str] = {
    "submission.save": QT_TRANSLATE_NOOP("AttentionPanel", "Draft"),
    "submission.submit": QT_TRANSLATE_NOOP("AttentionPanel", "Sent for approval"),
    "submission.withdraw": QT_TRANSLATE_NOOP("AttentionPanel", "Withdrawal"),
    "submission.approve": QT_TRANSLATE_NOOP("AttentionPanel", "Approval"),
    "submission.return": QT_TRANSLATE_NOOP("AttentionPanel", "Return to the clerk"),
    "audit.append": QT_TRANSLATE_NOOP("AttentionPanel", "Activity log entry"),
    "unit.save": QT_TRANSLATE_NOOP("AttentionPanel", "Unit of the office"),
    "unit.close": QT_TRANSLATE_NOOP("AttentionPanel", "Closing a unit"),
    "position.save": QT_TRANSLATE_NOOP("AttentionPanel", "Position slot"),
    "plan.save": QT_TRANSLATE_NOOP("AttentionPanel", "Staffing plan line"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def reason_key(item: outbox.Attention) -> str:
    code = item.code or ("conflict" if item.state == outbox.CONFLICT else "other")
    code = SAME.get(code, code)
    return code if code in REASONS else "other"


def what_happened(item: outbox.Attention) -> str:
    return _tr(REASONS[reason_key(item)][0])


def what_to_do(item: outbox.Attention) -> str:
    return _tr(REASONS[reason_key(item)][1])


def kind_words(kind: str) -> str:
    return _tr(KINDS[kind]) if kind in KINDS else kind


@dataclass(frozen=True)
class Shown:
    """An item and whom it is about (a person's name; "" when there is none to say)."""

    item: outbox.Attention
    subject: str

    @property
    def opens(self) -> bool:
        """Whether there is a submission to open for it."""
        return self.item.kind.startswith("submission.")


def _subject(db: Database, actor_id: str, item: outbox.Attention) -> str:
    if not item.kind.startswith("submission."):
        return ""
    try:
        proposed = submissions.get_submission(db, actor_id, item.entity_id).proposed
    except DomainError:
        return ""
    return " ".join(p for p in (proposed.get("first_name_th"), proposed.get("last_name_th")) if p)


def load(db: Database, actor_id: str) -> list[Shown]:
    """On the database lane: the items, with whom each is about."""
    return [Shown(item, _subject(db, actor_id, item)) for item in outbox.attention(db)]


class AttentionPanel(QDialog):
    """The list of items needing attention, each with its reason and what to do."""

    #: The user asked to open the submission with this id.
    open_submission = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        session: Session,
        sync: BackgroundSync | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("attentionPanel")
        self._runner = runner
        self._db = db
        self._session = session
        self._sync = sync
        self._shown: list[Shown] = []
        self.summary = QLabel(objectName="attentionSummary", wordWrap=True)
        self.list = QListWidget(objectName="attentionList")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.detail = QLabel(objectName="attentionDetail", wordWrap=True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumWidth(320)
        self.open = QPushButton(objectName="attentionOpen")
        self.dismiss = QPushButton(objectName="attentionDismiss")
        actions = QHBoxLayout()
        actions.addWidget(self.open)
        actions.addWidget(self.dismiss)
        actions.addStretch(1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        right_layout.addLayout(actions)
        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(self.buttons)
        self.list.currentRowChanged.connect(self._show_current)
        self.open.clicked.connect(self._open)
        self.dismiss.clicked.connect(self._dismiss)
        if sync is not None:
            sync.synced.connect(lambda _report: self.reload())
        self.resize(900, 480)
        self._retranslate()
        self.reload()

    # --- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        Task(load, self._db, self._session.user_id).on_success(self._show).on_failure(
            self._load_failed
        ).bound_to(self).run_on(self._runner, Lane.DB)

    def _show(self, shown: list[Shown]) -> None:
        keep = self.current.item.op_id if self.current else None
        self._shown = shown
        self.list.clear()
        for entry in shown:
            text = " · ".join(
                p
                for p in (
                    kind_words(entry.item.kind),
                    entry.subject,
                    texts.moment(entry.item.created_at),
                )
                if p
            )
            row = QListWidgetItem(f"{text}\n{what_happened(entry.item)}")
            row.setData(Qt.ItemDataRole.UserRole, entry.item.op_id)
            self.list.addItem(row)
        ids = [e.item.op_id for e in shown]
        self.list.setCurrentRow(ids.index(keep) if keep in ids else (0 if ids else -1))
        self._show_summary()
        self._show_current()

    def _load_failed(self, exc: BaseException) -> None:
        self.summary.setText(self.tr("The list could not be read: %1").replace("%1", str(exc)))

    # --- the chosen item ----------------------------------------------------------------------

    @property
    def current(self) -> Shown | None:
        row = self.list.currentRow()
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def _show_summary(self) -> None:
        if self._shown:
            self.summary.setText(
                self.tr(
                    "%n change(s) did not reach the central as made. What they changed on "
                    "this PC was put back; the rest of your work was sent.",
                    "",
                    len(self._shown),
                )
            )
        else:
            self.summary.setText(self.tr("Nothing needs your attention: the central accepted "
                                         "every change."))  # fmt: skip

    def _show_current(self) -> None:
        entry = self.current
        self.open.setEnabled(entry is not None and entry.opens)
        self.dismiss.setEnabled(entry is not None)
        if entry is None:
            self.detail.clear()
            return
        item = entry.item
        esc = html.escape
        todo = self.tr("What to do:")
        parts = [
            f"<p><b>{esc(what_happened(item))}</b></p>",
            f"<p><b>{esc(todo)}</b> {esc(what_to_do(item))}</p>",
        ]
        if item.conflicts:
            parts.append(
                "<p>" + esc(self.tr("%n field(s) in conflict.", "", len(item.conflicts))) + "</p>"
            )
        said = " ".join(p for p in (item.message, f"({item.code})" if item.code else "") if p)
        facts = [
            (self.tr("Change"), kind_words(item.kind)),
            (self.tr("About"), entry.subject),
            (self.tr("Made by"), item.author_name or item.author),
            (self.tr("Made on"), texts.moment(item.created_at)),
            (self.tr("Central's message"), said),
        ]
        rows = "".join(
            f"<tr><td style='padding-right:8px; color:#616161'>{esc(k)}</td><td>{esc(v)}</td></tr>"
            for k, v in facts
            if v
        )
        parts.append(f"<table>{rows}</table>")
        self.detail.setText("".join(parts))

    def _open(self) -> None:
        entry = self.current
        if entry is not None and entry.opens:
            self.open_submission.emit(entry.item.entity_id)

    def _dismiss(self) -> None:
        entry = self.current
        if entry is None:
            return
        self.dismiss.setEnabled(False)
        Task(outbox.dismiss, self._db, entry.item.op_id).on_success(self._dismissed).on_failure(
            self._load_failed
        ).bound_to(self).run_on(self._runner, Lane.DB)

    def _dismissed(self, _was_there: bool) -> None:
        if self._sync is not None:
            self._sync.refresh()
        self.reload()

    # --- language -----------------------------------------------------------------------------

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Changes the central did not accept"))
        self.open.setText(self.tr("&Open the submission"))
        self.open.setToolTip(self.tr("Open the submission this change belongs to"))
        self.dismiss.setText(self.tr("&Set aside"))
        self.dismiss.setToolTip(
            self.tr("You have dealt with it: take it off this list (it is not sent again)")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        self._show_summary()
        self._show_current()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            if self._shown:
                self._show(self._shown)
            self._retranslate()
        super().changeEvent(event)
