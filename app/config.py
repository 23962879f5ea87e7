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


#: The desktop's database in its data folder.
DESKTOP_DATABASE = "localhr.sqlite3"


def data_dir() -> Path:
    override = os.environ.get("LOCALHR_DATA_DIR")
    return Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))


def demo_folder() -> Path:
    """The data folder of ``localhr demo``: its desktop database, settings and embedded
    central, apart from the real desktop's."""
    return data_dir() / "demo"


def demo_database() -> Path:
    """Where ``localhr demo-data`` writes by default."""
    return data_dir() / "demo.sqlite3"
