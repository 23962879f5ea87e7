"""The org admin's office area (issue 14): pages of what the office runs at the central.

- :mod:`ui.office.accounts`: :class:`~ui.office.accounts.AccountsPage`, the office's user
  accounts: add one (its one-time password shown once), reset a password, disable or
  enable, end a user's sessions.
- :mod:`ui.office.devices`: :class:`~ui.office.devices.DevicesPage`, the office's PCs with
  their last sync, program version and ops waiting: rename, revoke.

Both are plain widgets that a host (the Office area of the main window) places; they reach
the central as the user at the PC (:mod:`ui.office.page`), and say plainly when it cannot be
reached, their buttons off until it can.
"""
