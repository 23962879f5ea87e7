"""Thai first: every string the UI shows has its Thai translation, and the compiled ``.qm``
files the program loads are those of the ``.ts`` files a translator edits.

To update after changing UI strings (then translate the new entries in Qt Linguist)::

    uv run pyside6-lupdate ui/*.py ui/*/*.py -locations relative -no-obsolete \\
        -ts resources/translations/localhr_th.ts
    uv run pyside6-lupdate ui/*.py ui/*/*.py -locations relative -pluralonly -no-obsolete \\
        -ts resources/translations/localhr_en.ts
    uv run pyside6-lrelease resources/translations/localhr_*.ts

Qt's own strings in Thai (``qt_th.ts``, kept by hand) are compiled with
``uv run pyside6-lrelease resources/translations/qt_th.ts``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit, QMessageBox

from app.paths import resource

TRANSLATIONS = resource("translations")
UI = Path(__file__).resolve().parents[2] / "ui"
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = shutil.which(f"pyside6-{name}", path=str(BIN)) or shutil.which(f"pyside6-{name}")
    if found is None:
        pytest.skip(f"pyside6-{name} is not installed")
    return found


def _unfinished(ts: Path) -> list[str]:
    return [
        message.findtext("source") or ""
        for message in ET.parse(ts).getroot().iter("message")
        if message.find("translation").get("type") == "unfinished"  # not vanished, not done
    ]


def test_every_ui_string_has_a_thai_translation(tmp_path) -> None:
    ts = tmp_path / "localhr_th.ts"
    shutil.copy(TRANSLATIONS / "localhr_th.ts", ts)
    sources = sorted(str(p) for p in UI.rglob("*.py"))  # the areas in subpackages too
    subprocess.run([tool("lupdate"), *sources, "-ts", str(ts)], check=True, capture_output=True)
    missing = _unfinished(ts)
    assert missing == [], f"untranslated (see this module's doc to update): {missing}"


@pytest.mark.parametrize("name", ["localhr_th", "localhr_en", "qt_th"])
def test_the_compiled_translations_are_those_of_the_sources(tmp_path, name) -> None:
    qm = tmp_path / f"{name}.qm"
    subprocess.run(
        [tool("lrelease"), str(TRANSLATIONS / f"{name}.ts"), "-qm", str(qm)],
        check=True,
        capture_output=True,
    )
    assert qm.read_bytes() == (TRANSLATIONS / f"{name}.qm").read_bytes(), (
        "run pyside6-lrelease (see this module's doc)"
    )


def test_qts_own_buttons_and_context_menus_speak_thai(qtbot, language) -> None:
    """Qt ships no Thai of its own: a message box's standard buttons and a text field's
    right-click menu come from resources/translations/qt_th.ts."""
    language("th")
    kinds = [QMessageBox.StandardButton.Ok, QMessageBox.StandardButton.Cancel,
             QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No]  # fmt: skip
    box = QMessageBox(QMessageBox.Icon.Question, "LocalHR Desk", "บันทึกหรือไม่")
    for kind in kinds:
        box.addButton(kind)
    qtbot.addWidget(box)
    assert [box.button(kind).text() for kind in kinds] == ["ตกลง", "ยกเลิก", "ใช่ (&Y)", "ไม่ (&N)"]
    field = QLineEdit("ข้อความ")
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    words = [action.text().split("\t")[0] for action in menu.actions() if action.text()]
    assert {"คัดลอก (&C)", "วาง (&P)", "เลือกทั้งหมด"} <= set(words)
    menu.deleteLater()
