"""The program's log: rotating files in the data folder, and nothing personal in them.

``start_logging(folder)`` sends every record of the program (and of Qt, once
:mod:`ui.qt_messages` routes Qt's messages here) to ``<folder>/logs/localhr.log``: UTF-8,
one line a record with its time, at most 1 MB a file and five older files beside it
(``localhr.log.1`` … ``.5``). The level is INFO unless ``LOCALHR_LOG_LEVEL`` says otherwise
(``DEBUG`` when support asks for more).

The records are personnel data's neighbours (PDPA): what is written passes :func:`redact`,
which masks citizen IDs and drops the parameters SQLAlchemy puts in its error messages.
The last lines are also kept in memory (:attr:`LogFiles.tail`) for a crash report.
"""

from __future__ import annotations

import collections
import logging
import logging.handlers
import os
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

LOG_DIR = "logs"
LOG_FILE = "localhr.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
#: The environment variable that sets the level (DEBUG, INFO, WARNING, ERROR).
LEVEL_ENV = "LOCALHR_LOG_LEVEL"
#: How many of the last records a crash report quotes.
TAIL_RECORDS = 200
FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"

# 13 digits, also written 1-2345-67890-12-3 or with spaces; Thai digits count (\d).
_CITIZEN_ID = re.compile(r"(?<!\d)\d[- ]?\d{4}[- ]?\d{5}[- ]?\d{2}[- ]?\d(?!\d)")
# SQLAlchemy's "[parameters: (...)]" line holds the values of the statement that failed.
_SQL_PARAMETERS = re.compile(r"\[parameters: [^\n]*")


def redact(text: str) -> str:
    """``text`` without citizen IDs or the values of a failed SQL statement."""
    text = _SQL_PARAMETERS.sub("[parameters: hidden]", text)
    return _CITIZEN_ID.sub("x-xxxx-xxxxx-xx-x", text)


def program_version() -> str:
    try:
        return metadata.version("localhr-desk")
    except metadata.PackageNotFoundError:  # a build that carries no package metadata
        return "unknown"


def level_from_environment(default: int = logging.INFO) -> int:
    name = os.environ.get(LEVEL_ENV, "").strip().upper()
    level = logging.getLevelName(name) if name else default
    return level if isinstance(level, int) else default


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class Tail(logging.Handler):
    """The last ``size`` records, formatted, in memory."""

    def __init__(self, size: int = TAIL_RECORDS) -> None:
        super().__init__()
        self._lines: collections.deque[str] = collections.deque(maxlen=size)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._lines.append(self.format(record))
        except Exception:  # a record that cannot be formatted must not break the program
            self.handleError(record)

    def lines(self) -> list[str]:
        return list(self._lines)


@dataclass
class LogFiles:
    """The handlers :func:`start_logging` added to the root logger; :meth:`close` takes them
    away again (the program's end, or a test)."""

    path: Path
    tail: Tail
    file: logging.Handler
    _old_level: int
    _quieted: list[tuple[logging.Handler, int]]

    def close(self) -> None:
        root = logging.getLogger()
        for handler in (self.file, self.tail):
            root.removeHandler(handler)
            handler.close()
        root.setLevel(self._old_level)
        for handler, level in self._quieted:
            handler.setLevel(level)


def start_logging(
    folder: Path, level: int | None = None, *, max_bytes: int = MAX_BYTES, backups: int = BACKUPS
) -> LogFiles:
    """Log to ``<folder>/logs/localhr.log`` from now on (see the module doc).

    Handlers already on the root logger (the console's) keep showing what they showed:
    they get the root's former level, so the file's INFO does not reach the terminal."""
    level = level_from_environment() if level is None else level
    path = Path(folder) / LOG_DIR / LOG_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    formatter = RedactingFormatter(FORMAT)
    file = logging.handlers.RotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
    )
    tail = Tail()
    for handler in (file, tail):
        handler.setFormatter(formatter)
        handler.setLevel(level)
    root = logging.getLogger()
    old_level = root.level
    quieted = [(h, h.level) for h in root.handlers if h.level == logging.NOTSET]
    for console, _ in quieted:
        console.setLevel(old_level)
    root.addHandler(file)
    root.addHandler(tail)
    root.setLevel(min(level, old_level))  # NOTSET (0) already lets everything through
    return LogFiles(path, tail, file, old_level, quieted)
