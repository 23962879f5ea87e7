"""The org admin's Office area ("ผู้ดูแลสำนักงาน", issue 14): the office's structure, its
position slots and staffing plan, its accounts and PCs, and the guided first set-up.

:class:`ui.office.area.OfficeScreens` wires the area into the main window of an org admin's
session; the pages live in their own modules (structure, slots, overview, accounts,
devices, setup) and call :mod:`app.services.structure` through the task runner only.
"""
