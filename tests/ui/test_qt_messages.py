"""Qt's own warnings go to the program's log file, where IT support looks, with their time."""

from __future__ import annotations

from PySide6.QtGui import QFont

from app.logs import start_logging
from ui.qt_messages import route_qt_messages


def test_a_warning_of_qt_is_in_the_log_file(qapp, tmp_path) -> None:
    files = start_logging(tmp_path)
    restore = route_qt_messages()
    try:
        QFont().setPointSize(0)  # Qt warns: a point size must be greater than 0
    finally:
        restore()
        files.close()
    text = files.path.read_text(encoding="utf-8")
    assert "WARNING [MainThread] qt: QFont::setPointSize: Point size <= 0" in text
