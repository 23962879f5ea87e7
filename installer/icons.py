"""The program's icon as PNG and Windows ICO, drawn from resources/icons/localhr.svg.

Run it after changing the SVG (``uv run python installer/icons.py``); the build uses the
files it writes: ``localhr.png`` (256 px, the Linux menus and the window) and
``localhr.ico`` (16 to 256 px, the Windows program and its Start-menu entry).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "localhr.svg"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_png(svg: Path, size: int) -> bytes:
    """``svg`` drawn at ``size`` x ``size`` pixels, as PNG bytes (Qt's SVG renderer)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows ICO holding each PNG as is (Windows Vista and later read PNG entries)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def main() -> int:
    pngs = {size: render_png(SVG, size) for size in ICO_SIZES}
    (ICONS / "localhr.png").write_bytes(pngs[256])
    (ICONS / "localhr.ico").write_bytes(ico(pngs))
    print(f"wrote {ICONS / 'localhr.png'} and {ICONS / 'localhr.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
