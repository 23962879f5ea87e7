"""The bundled Sarabun font loads and covers Thai, so Thai never renders as boxes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QFontMetrics, QRawFont

from ui.fonts import FAMILY, apply_default_font, load_bundled_fonts

THAI = "สวัสดีครับ ทดสอบ ปลัดเทศบาล ผู้อำนวยการกองช่าง ๑๒๓"


@pytest.fixture
def app_font(qapp) -> Iterator[None]:
    """Give the session's application its font back after the test."""
    before = qapp.font()
    yield
    qapp.setFont(before)


def test_the_bundled_fonts_provide_sarabun(qapp) -> None:
    families = load_bundled_fonts()

    assert FAMILY in families
    assert FAMILY in QFontDatabase.families()
    assert load_bundled_fonts() == families  # loading twice registers nothing new


def test_sarabun_has_a_glyph_for_every_thai_character(qapp) -> None:
    load_bundled_fonts()
    font = QFont(FAMILY, 12)
    metrics = QFontMetrics(font)
    raw = QRawFont.fromFont(font)

    assert QFontInfo(font).family() == FAMILY  # not a fallback that happens to cover Thai
    # Code points, not str: PySide's QChar overloads misread characters outside Latin-1.
    missing = [
        ch for ch in THAI if not (metrics.inFontUcs4(ord(ch)) and raw.supportsCharacter(ord(ch)))
    ]
    assert missing == []
    assert metrics.horizontalAdvance("สวัสดีครับ") > 0


def test_apply_default_font_makes_sarabun_the_application_font(qapp, app_font) -> None:
    font = apply_default_font(qapp, size_pt=13)

    assert QFontInfo(qapp.font()).family() == FAMILY
    assert qapp.font().pointSize() == font.pointSize() == 13
