"""The org admin's accounts and PCs at the central, and a user's own password change
(issue 14), from the desktop.

:class:`OfficeClient` makes each call in the session of the user at the PC (their device
credential and token, read from the keyring on the main thread by :func:`session_of`),
never in whatever session the shared :class:`CentralClient` holds: the sync engine moves
that from user to user. Its methods touch the network only: run them on the UI's network
lane. Failures are the typed errors of :mod:`sync.client.errors`: :class:`Offline` (the
central cannot be reached), :class:`Forbidden` (``forbidden``: not an org admin, or
another office's; ``password_change_required``), :class:`AuthFailed` (log in again, or the
PC was revoked), :class:`BadRequest` (``not_found``, ``username_taken``, ``bad_request``,
``weak_password``, ``wrong_password``), :class:`TooManyAttempts`; plus :class:`NoSession`
here when the user has no session at the central on this PC.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pydantic

from sync.client import account
from sync.client.credentials import CredentialStore, DeviceCredential
from sync.client.errors import BadRequest
from sync.client.transport import CentralClient
from sync.client.wire import problems
from sync.protocol import (
    Account,
    AccountList,
    DeviceInfo,
    DeviceList,
    DeviceRename,
    NewAccount,
    NewAccountRequest,
    PasswordChangeRequest,
    PasswordReset,
    SessionsEnded,
)

__all__ = ["NoSession", "OfficeClient", "session_of"]


class NoSession(Exception):
    """The user has no live session at the central on this PC (they logged in offline and
    the central has not given a token since): an online login makes one."""


@dataclass(frozen=True)
class CentralSession:
    device: DeviceCredential
    token: str

    def __repr__(self) -> str:
        return f"CentralSession(device={self.device.device_id!r})"


def session_of(store: CredentialStore, username: str) -> CentralSession:
    """The session of ``username`` on this PC, from the keyring (main thread only);
    :class:`NoSession`, ``account.NotRegistered`` or ``KeyringUnavailable`` otherwise."""
    token = store.token(username)
    if token is None:
        raise NoSession(username)
    return CentralSession(account.device(store), token.token)


def _body(model: type[pydantic.BaseModel], **fields: object) -> pydantic.BaseModel:
    try:
        return model(**fields)
    except pydantic.ValidationError as exc:  # never the values: they may be passwords
        raise BadRequest("bad_request", f"the request is not valid: {problems(exc)}") from None


class OfficeClient:
    """Calls of one user's session (see the module doc)."""

    def __init__(self, client: CentralClient, session: CentralSession) -> None:
        self._client, self._session = client, session

    def _call(self, method, path, body=None, answer=None):
        s = self._session
        return self._client.call_as(s.device, s.token, method, path, body, answer)

    # --- the user's own password ---------------------------------------------------------

    def change_password(self, old_password: str, new_password: str) -> None:
        """Change the user's own password (a one-time one too); their other sessions end."""
        body = _body(PasswordChangeRequest, old_password=old_password, new_password=new_password)
        self._call("POST", "/v1/password", body)

    # --- accounts ------------------------------------------------------------------------

    def users(self) -> list[Account]:
        return self._call("GET", "/v1/users", answer=AccountList).users

    def add_user(
        self, username: str, display_name: str, role: str, scope_org_ids: Iterable[str] = ()
    ) -> NewAccount:
        """A new account with a one-time password (shown once: the answer holds it)."""
        body = _body(
            NewAccountRequest, username=username, display_name=display_name, role=role,
            scope_org_ids=list(scope_org_ids),
        )  # fmt: skip
        return self._call("POST", "/v1/users", body, NewAccount)

    def reset_password(self, user_id: str) -> PasswordReset:
        return self._call("POST", f"/v1/users/{user_id}/reset-password", answer=PasswordReset)

    def set_active(self, user_id: str, active: bool) -> None:
        self._call("POST", f"/v1/users/{user_id}/{'enable' if active else 'disable'}")

    def end_sessions(self, user_id: str) -> SessionsEnded:
        return self._call("POST", f"/v1/users/{user_id}/end-sessions", answer=SessionsEnded)

    # --- PCs -----------------------------------------------------------------------------

    def devices(self) -> list[DeviceInfo]:
        return self._call("GET", "/v1/devices", answer=DeviceList).devices

    def rename_device(self, device_id: str, name: str) -> DeviceInfo:
        body = _body(DeviceRename, name=name)
        return self._call("POST", f"/v1/devices/{device_id}/rename", body, DeviceInfo)

    def revoke_device(self, device_id: str) -> None:
        self._call("POST", f"/v1/devices/{device_id}/revoke")
