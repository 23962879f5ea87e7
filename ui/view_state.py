"""What the window remembers of how the user left it: UI state only (STYLE.md), declared
once here with its type and default. Choices that change how the program works are
:mod:`ui.settings`; this is where columns, widths and window geometry live.

Values are kept in ``QSettings`` as JSON text, so every platform's backend (registry, ini,
plist) gives back the type that was stored; a value that does not read back as its type
falls back to the default alone. Tests hand the window a :class:`ViewState` over their own
file (``ViewState(QSettings(path, QSettings.Format.IniFormat))``).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QSettings

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Key(Generic[T]):
    """One remembered value: where it is kept, its type, and what it is until set."""

    name: str
    type: type
    default: T


#: The personnel list's columns the user chose, in the order shown.
PEOPLE_COLUMNS: Key[list[str]] = Key(
    "people_list/columns",
    list,
    ["name", "citizen_id", "position_title", "level", "unit", "submission_state"],
)
#: What the personnel list is ordered by: a column key and the direction (the default: the
#: name in Thai dictionary order).
PEOPLE_SORT: Key[dict[str, Any]] = Key(
    "people_list/sort", dict, {"column": "name", "descending": False}
)
#: Column widths in pixels, by column key (columns never resized keep their default).
PEOPLE_WIDTHS: Key[dict[str, int]] = Key("people_list/widths", dict, {})
#: The main window's geometry, as ``QWidget.saveGeometry()`` gives it, base64.
MAIN_GEOMETRY: Key[str] = Key("main_window/geometry", str, "")


class ViewState:
    """Reads and writes the keys above; ``settings`` defaults to the application's own."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings if settings is not None else QSettings()

    def get(self, key: Key[T]) -> T:
        raw = self._settings.value(key.name)
        if raw is None:
            return key.default
        try:
            value: Any = json.loads(str(raw))
        except ValueError:
            value = None
        if not isinstance(value, key.type):
            log.warning("remembered %s=%r is not a %s; using its default", key.name, raw, key.type)
            return key.default
        return value

    def set(self, key: Key[T], value: T) -> None:
        if not isinstance(value, key.type):
            raise TypeError(f"{key.name} holds a {key.type.__name__}, not {value!r}")
        self._settings.setValue(key.name, json.dumps(value, ensure_ascii=False))

    def sync(self) -> None:
        """Write what was set to disk now (Qt also does it by itself, a little later)."""
        self._settings.sync()
