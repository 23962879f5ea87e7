"""Where the program keeps its data, declared once.

``LOCALHR_DATA_DIR`` overrides the platform's per-user data folder (tests, portable use).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "LocalHR Desk"
DEMO_ORG_CODE = "6340101"  # an อบต. code: type digit 6, province 34, amphoe 01, number 01
DEMO_PEOPLE = 300


def data_dir() -> Path:
    override = os.environ.get("LOCALHR_DATA_DIR")
    return Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))


def demo_database() -> Path:
    return data_dir() / "demo.sqlite3"


def demo_accounts() -> Path:
    """The demo's made-up passwords, kept in the clear so they can be shown at every start."""
    return data_dir() / "demo-accounts.txt"
