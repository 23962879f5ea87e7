"""Qt's own messages (qDebug, qWarning, … from Qt and its plugins) into the program's log,
under the logger ``qt``, instead of a console an office PC does not show."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("qt")

LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def to_log(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    category = context.category or "default"
    level = LEVELS.get(kind, logging.WARNING)
    if category == "default":
        log.log(level, "%s", message)
    else:
        log.log(level, "%s: %s", category, message)
    if kind == QtMsgType.QtFatalMsg:  # Qt aborts the process once this returns
        for handler in logging.getLogger().handlers:
            handler.flush()


def route_qt_messages() -> Callable[[], None]:
    """Send Qt's messages to the log from now on; returns what puts the former handler back."""
    previous: Any = qInstallMessageHandler(to_log)
    return lambda: qInstallMessageHandler(previous)
