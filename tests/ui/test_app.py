"""The application factory sets up a Thai-first LocalHR Desk application."""

from __future__ import annotations

import json
import os
import subprocess
import sys

SCRIPT = """
import json, sys
from PySide6.QtCore import QLocale
from PySide6.QtGui import QFontInfo
from ui.app import create_application

app = create_application(sys.argv)
print(json.dumps({
    "organization": app.organizationName(),
    "application": app.applicationName(),
    "font": QFontInfo(app.font()).family(),
    "language": QLocale().name(),
    "same_app": create_application(sys.argv) is app,
    "icon_pixels": not app.windowIcon().pixmap(32, 32).isNull(),
}))
"""


def test_create_application_names_the_app_is_thai_first_and_uses_sarabun() -> None:
    # A process of its own: a QApplication is made once per process, and the test session
    # already has pytest-qt's.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
    )
    facts = json.loads(out.stdout.splitlines()[-1])

    assert facts == {
        "organization": "LocalHR",
        "application": "LocalHR Desk",
        "font": "Sarabun",
        "language": "th_TH",
        "same_app": True,
        "icon_pixels": True,  # the program's icon on every title bar and the task bar
    }
