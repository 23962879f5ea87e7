"""What can go wrong between a desktop and the central, as typed errors.

Every error carries a machine-readable ``code`` (the central's :class:`ErrorCode` value when
the central answered, one of the codes below when it could not), the English ``message``
(the central's own when it sent one), the HTTP ``status`` (None when there was no answer)
and the wire statistics of the failed exchange. The UI turns codes into translated words;
the sync engine decides by type:

- :class:`Offline`: no network, the name does not resolve, the connection is refused or
  cut, or the central did not answer in time. Try again later; nothing is lost.
- :class:`CertificateError`: the central's TLS certificate could not be verified. Not
  "offline": somebody must look at the address or the CA bundle.
- :class:`AuthFailed` (401): log in again (``token_expired``, ``token_revoked``,
  ``unauthenticated``) or have the PC registered again (``device_unknown``,
  ``device_revoked``).
- :class:`Forbidden` (403): known, but not allowed.
- :class:`VersionMismatch` (426): the program must be updated.
- :class:`BodyTooLarge` (413): send a smaller batch.
- :class:`BadRequest`: any other 4xx.
- :class:`ServerError`: 5xx after the retries, or an answer that is not what the protocol
  says (code ``bad_response``).

No error ever holds a password, a token or a device credential.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sync.client.wire import Exchange

__all__ = [
    "BAD_RESPONSE",
    "CONNECTION_LOST",
    "OFFLINE",
    "TIMEOUT",
    "UNTRUSTED_CERTIFICATE",
    "AuthFailed",
    "BadRequest",
    "BodyTooLarge",
    "CentralError",
    "CertificateError",
    "Forbidden",
    "KeyringUnavailable",
    "Offline",
    "ServerError",
    "TooManyAttempts",
    "VersionMismatch",
]

# Codes of failures the central could not name itself.
OFFLINE = "offline"  # no route, name not resolved, connection refused
TIMEOUT = "timeout"  # connected, or trying to, but no answer in time
CONNECTION_LOST = "connection_lost"  # the connection broke in the middle of an exchange
UNTRUSTED_CERTIFICATE = "untrusted_certificate"
BAD_RESPONSE = "bad_response"  # an answer that does not follow the protocol


class CentralError(Exception):
    """A failed exchange with the central."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int | None = None,
        detail: object = None,
        exchange: Exchange | None = None,
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.detail = detail
        self.exchange = exchange

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, status={self.status!r})"


class Offline(CentralError):
    """The central could not be reached, or stopped answering; try again later."""


class CertificateError(CentralError):
    """The central's TLS certificate could not be verified (wrong address, missing CA
    bundle, or someone in between): never treated as merely offline."""


class AuthFailed(CentralError):
    """401: the user must log in again, or the PC must be registered again (see ``code``)."""

    @property
    def device_problem(self) -> bool:
        """True when logging in again cannot help: the PC itself is unknown or revoked."""
        return self.code in ("device_unknown", "device_revoked")


class Forbidden(CentralError):
    """403: the central knows the caller, who may not do this."""


class TooManyAttempts(CentralError):
    """429: too many failed logins on the account or from this address (the central's
    limit); every try is refused, the right password too, for ``retry_after`` seconds."""

    @property
    def retry_after(self) -> int:
        """Seconds to wait, as the central's ``Retry-After`` said (at least 1)."""
        return self.detail if isinstance(self.detail, int) and self.detail > 0 else 1


class VersionMismatch(CentralError):
    """426: the central speaks another protocol version; the program must be updated."""

    ADVICE = "update LocalHR Desk to the latest version"


class BodyTooLarge(CentralError):
    """413: the request was larger than the central accepts; send a smaller batch."""


class BadRequest(CentralError):
    """Any other 4xx: the central refused the request as it was sent."""


class ServerError(CentralError):
    """5xx after the retries, or an answer that breaks the protocol (``bad_response``)."""


class KeyringUnavailable(Exception):
    """No secure password store can be used on this computer; nothing was saved."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(
            "No secure password store was found on this computer, so nothing was saved. "
            "LocalHR Desk keeps its credentials only in the system's password store "
            "(Windows Credential Manager, macOS Keychain, or a Secret Service such as "
            f"GNOME Keyring or KWallet). Details: {reason}"
        )
