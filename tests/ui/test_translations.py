"""Thai first: every string the UI shows has its Thai translation, and the compiled ``.qm``
files the program loads are those of the ``.ts`` files a translator edits.

To update after changing UI strings (then translate the new entries in Qt Linguist)::

    uv run pyside6-lupdate ui/*.py -locations relative -ts resources/translations/localhr_th.ts
    uv run pyside6-lupdate ui/*.py -locations relative -pluralonly \\
        -ts resources/translations/localhr_en.ts
    uv run pyside6-lrelease resources/translations/localhr_*.ts
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

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
    sources = sorted(str(p) for p in UI.glob("*.py"))
    subprocess.run([tool("lupdate"), *sources, "-ts", str(ts)], check=True, capture_output=True)
    missing = _unfinished(ts)
    assert missing == [], f"untranslated (see this module's doc to update): {missing}"


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_compiled_translations_are_those_of_the_sources(tmp_path, language) -> None:
    qm = tmp_path / f"localhr_{language}.qm"
    subprocess.run(
        [tool("lrelease"), str(TRANSLATIONS / f"localhr_{language}.ts"), "-qm", str(qm)],
        check=True,
        capture_output=True,
    )
    assert qm.read_bytes() == (TRANSLATIONS / f"localhr_{language}.qm").read_bytes(), (
        "run pyside6-lrelease (see this module's doc)"
    )
