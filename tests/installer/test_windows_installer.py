"""The Windows installer cannot be built here; what can be checked is that its script
stays in step with the build that feeds it (installer/build.py) and with the spec."""

from __future__ import annotations

import re

from app.config import APP_NAME
from tests.installer.helpers import ROOT

ISS = (ROOT / "installer" / "windows" / "localhr.iss").read_bytes()
BUILD = (ROOT / "installer" / "build.py").read_text(encoding="utf-8")
SPEC = (ROOT / "installer" / "localhr.spec").read_text(encoding="utf-8")


def test_the_script_gets_its_version_folder_and_icon_from_the_build() -> None:
    script = ISS.decode("utf-8-sig")
    assert ISS.startswith(b"\xef\xbb\xbf")  # Inno Setup reads a script with Thai as UTF-8
    expected = set(re.findall(r"^#ifndef (\w+)", script, re.MULTILINE))
    passed = set(re.findall(r'f"/D(\w+)=', BUILD))
    assert expected == passed == {"AppVersion", "SourceDir", "OutputDir", "IconFile"}
    assert "AppVersion={#AppVersion}" in script
    assert not re.search(r"^AppVersion=\d", script, re.MULTILINE)  # never a version of its own


def test_the_start_menu_runs_the_program_the_spec_builds() -> None:
    script = ISS.decode("utf-8-sig")
    name = re.search(r'^NAME = "(\w+)"', SPEC, re.MULTILINE).group(1)
    programs = set(re.findall(r"\{app\}\\([\w-]+\.exe)", script))
    assert programs == {f"{name}.exe"}
    assert 'executable(f"{NAME}-console", console=True)' in SPEC


def test_uninstall_offers_to_delete_the_folder_the_program_keeps_its_data_in() -> None:
    script = ISS.decode("utf-8-sig")
    # platformdirs' user_data_dir(APP_NAME, appauthor=False) on Windows (app/config.py)
    assert f'#define DataFolderName "{APP_NAME}"' in script
    assert "ExpandConstant('{localappdata}\\{#DataFolderName}')" in script
    assert "MB_DEFBUTTON2" in script  # "No, keep it" is the default answer
