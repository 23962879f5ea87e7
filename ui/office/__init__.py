"""The org admin's Office area ("ผู้ดูแลสำนักงาน", issue 14): the office's structure, its
position slots and staffing plan, its accounts and PCs, and the guided first set-up.

:class:`ui.office.area.OfficeScreens` wires the area into the main window of an org admin's
session. Its pages:

- over the local database, through :mod:`app.services.structure` on the task runner's
  database lane (:mod:`ui.office.local_page`): :mod:`ui.office.structure` (the unit tree),
  :mod:`ui.office.slots` (position slots), :mod:`ui.office.overview` (staffing overview and
  the three-year plan); the guided set-up, :mod:`ui.office.setup`;
- at the central, as the user at the PC (:mod:`ui.office.page`):
  :class:`~ui.office.accounts.AccountsPage`, the office's user accounts (add one, its
  one-time password shown once; reset a password, disable or enable, end a user's
  sessions), and :class:`~ui.office.devices.DevicesPage`, the office's PCs with their last
  sync, program version and ops waiting (rename, revoke). Both say plainly when the central
  cannot be reached, their buttons off until it can.
"""
