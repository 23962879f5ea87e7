"""The bundled Thai font, so Thai renders the same on every office PC.

Windows PCs in many offices have no good Thai UI font, and a Linux PC may have none at all;
without one Qt falls back glyph by glyph and tone marks collide. Sarabun (OFL) ships in
``resources/fonts`` and becomes the application font.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from app.paths import resource

log = logging.getLogger(__name__)

#: The application's font family, bundled in ``resources/fonts``.
FAMILY = "Sarabun"
#: Thai glyphs carry marks above and below; at Qt's usual 9 pt they are hard to read.
DEFAULT_SIZE_PT = 11

_loaded: dict[str, list[str]] = {}


def load_bundled_fonts() -> list[str]:
    """Register every bundled TTF with Qt and return the families they provide.

    Needs a QGuiApplication. Safe to call again: a file is registered once per process.
    """
    families: list[str] = []
    for path in sorted(resource("fonts").glob("*.ttf")):
        key = str(path)
        if key not in _loaded:
            font_id = QFontDatabase.addApplicationFont(key)
            if font_id < 0:
                log.warning("Qt could not load the bundled font %s", path)
                continue
            _loaded[key] = QFontDatabase.applicationFontFamilies(font_id)
        families.extend(f for f in _loaded[key] if f not in families)
    return families


def apply_default_font(app: QGuiApplication, size_pt: int = DEFAULT_SIZE_PT) -> QFont:
    """Make Sarabun the application font (loading it first) and return that font."""
    if FAMILY not in load_bundled_fonts():
        log.warning("bundled font %s is missing; Thai may render with a fallback font", FAMILY)
    font = QFont(FAMILY, size_pt)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    app.setFont(font)
    return font
