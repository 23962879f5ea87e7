"""Typed errors of the domain.

``app`` never shows words to a person: it raises errors that carry a stable ``code``, the
``field`` concerned and a ``message_key`` (with ``params``); the UI turns those into Thai or
English text. Every error that a user can cause is a :class:`DomainError`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding of validation: an error blocks the save, a warning does not."""

    code: str
    field: str | None
    message_key: str
    severity: Severity = Severity.ERROR
    # dataclasses.field, spelled out: the bare name is this class's ``field`` attribute.
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class DomainError(Exception):
    """Base of every error a user's input or action can cause."""

    code = "domain_error"

    def __init__(self, message_key: str | None = None, *, field: str | None = None, **params: Any):
        self.message_key = message_key or f"error.{self.code}"
        self.field = field
        self.params = params
        super().__init__(f"{self.code}: {self.message_key} {field or ''} {params or ''}".strip())


class InvalidInput(DomainError):
    """Input failed validation; ``issues`` lists every error (and warning) found."""

    code = "invalid_input"

    def __init__(self, issues: Iterable[Issue]):
        self.issues = tuple(issues)
        first = next((i for i in self.issues if i.is_error), None)
        super().__init__(
            first.message_key if first else "error.invalid_input",
            field=first.field if first else None,
            codes=[i.code for i in self.issues],
        )

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.is_error)


class NotFound(DomainError):
    code = "not_found"


class PermissionDenied(DomainError):
    """The actor's role, scope or relation to the record forbids the action."""

    code = "permission_denied"


class InvalidTransition(DomainError):
    """The submission state machine does not allow this action from this state."""

    code = "invalid_transition"


class ConflictsUnresolved(DomainError):
    """An approval was attempted while merge conflicts have no resolution."""

    code = "conflicts_unresolved"


class StaleVersion(DomainError):
    """The record changed since the caller read it."""

    code = "stale_version"


class AuthenticationFailed(DomainError):
    code = "authentication_failed"
