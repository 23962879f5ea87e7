"""The Linux release, built once per run by ``installer/build`` as a person would run it:
the .tar.gz unpacks and runs, the .deb holds the program, its command, menu entry and icons
(and on a machine where the test may, installs, runs and goes away again), the central's
wheel carries the central with its extra, and the bundle holds only what the desktop needs.

``installer/build --fast`` differs from a release only in the .deb's compression (zstd
instead of xz: seconds instead of a minute and a half).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.installer.helpers import CHECKS, ROOT, check_lines, pyproject_version


def _missing_tool() -> str | None:
    if sys.platform != "linux":
        return "the Linux release is built on Linux"
    if shutil.which("dpkg-deb") is None:
        return "dpkg-deb is missing (the .deb is built on Debian or Ubuntu)"
    if shutil.which("uv") is None:
        return "uv is missing (installer/build runs in the project's environment)"
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        return "PyInstaller is missing: the 'build' dependency group is not installed"
    if not sysconfig.get_config_var("Py_ENABLE_SHARED"):
        return "this Python has no shared libpython, which PyInstaller needs"
    return None


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(_missing_tool() is not None, reason=str(_missing_tool())),
]


@dataclass(frozen=True)
class Release:
    out: Path
    version: str
    arch: str
    sizes: dict
    log: str

    def one(self, pattern: str) -> Path:
        found = sorted(self.out.glob(pattern))
        assert len(found) == 1, f"{pattern}: {found} in {self.out}"
        return found[0]


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Release:
    out = tmp_path_factory.mktemp("release")
    env = dict(os.environ, UV_NO_SYNC="1")  # the environment these tests run in, as it is
    done = subprocess.run(
        [str(ROOT / "installer" / "build"), "--out", str(out), "--fast"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=900,
    )
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-6000:]
    sizes = json.loads((out / "sizes.json").read_text(encoding="utf-8"))
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True)
    return Release(out, pyproject_version(), arch.stdout.strip(), sizes, log)


def run_program(program: Path, *args: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LOCALHR_DATA_DIR=str(data), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [str(program), *args], env=env, capture_output=True, text=True, encoding="utf-8",
        timeout=180,
    )  # fmt: skip


def assert_self_check_passes(program: Path, data: Path, where: Path) -> None:
    done = run_program(program, "--self-check", data=data)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"self-check (release in {where})" in done.stdout
    assert check_lines(done.stdout) == dict.fromkeys(CHECKS, "ok")


def test_the_build_checks_what_it_built(release) -> None:
    assert "self-check passed: 6 of 6 checks ok" in release.log
    assert release.sizes["version"] == release.version
    assert release.sizes["deb_compression"] == "zstd"


def test_the_tarball_unpacks_and_runs_without_the_checkout(release, tmp_path) -> None:
    tarball = release.one("*.tar.gz")
    assert tarball.name == f"localhr-desk-{release.version}-linux-{release.arch}.tar.gz"
    with tarfile.open(tarball) as tar:
        unpack(tar, tmp_path / "unpacked")
    folder = tmp_path / "unpacked" / f"localhr-desk-{release.version}"
    program = folder / "localhr"

    version = run_program(program, "--version", data=tmp_path / "data")
    assert version.stdout.strip() == f"LocalHR Desk {release.version}"
    assert_self_check_passes(program, tmp_path / "data", folder)


def unpack(tar: tarfile.TarFile, dest: Path) -> None:
    """Extract ``tar`` into ``dest``. Extraction filters came with Python 3.11.4; Debian 12's
    own Python is 3.11.2, so there every member is checked to stay inside ``dest`` first."""
    if hasattr(tarfile, "tar_filter"):
        tar.extractall(dest, filter="tar")
        return
    for member in tar.getmembers():
        inside = not Path(member.name).is_absolute() and ".." not in Path(member.name).parts
        assert inside and not member.islnk(), f"unsafe member in the tarball: {member.name}"
    tar.extractall(dest)  # the members were checked above


def bundled_modules(program: Path) -> set[str]:
    """Top-level Python modules and packages in the program's archive (PyInstaller's)."""
    from PyInstaller.archive.readers import CArchiveReader

    pyz = CArchiveReader(str(program)).open_embedded_archive("PYZ.pyz")
    return {name.split(".")[0] for name in pyz.toc}


def test_the_bundle_holds_only_what_the_desktop_needs(release) -> None:
    folder = release.out / "localhr-desk"
    internal = folder / "_internal"
    files = {p.relative_to(internal).as_posix() for p in internal.rglob("*")}
    present = bundled_modules(folder / "localhr") | {f.split("/")[0] for f in files}
    left_out = {"psycopg", "psycopg_binary", "uvloop", "httptools", "pytest", "_pytest",
                "pytestqt", "hypothesis", "schemathesis", "ruff", "PyInstaller", "yaml", "rich",
                "tkinter"}  # fmt: skip
    assert present & left_out == set()
    # the embedded central of `localhr demo`, and the desktop
    assert {"fastapi", "starlette", "uvicorn", "h11", "PySide6", "app", "sync", "ui"} <= present
    qt_libs = [f.rsplit("/", 1)[-1] for f in files if f.startswith("PySide6/Qt/lib/")]
    unused = ("WebEngine", "Qml", "Quick", "3D", "Pdf", "Multimedia")
    assert [lib for lib in qt_libs if any(u in lib for u in unused)] == []
    translations = [f for f in files if f.startswith("PySide6/Qt/translations/")]
    assert translations and all(f.endswith(("_en.qm", "_th.qm")) for f in translations)
    assert {
        "resources/fonts/Sarabun-Regular.ttf",
        "resources/translations/localhr_th.qm",
        "resources/reference/prefixes.json",
        "app/store/migrations/env.py",
        "sync/central/migrations/env.py",
    } <= files


def test_the_deb_holds_the_program_its_menu_entry_and_icon(release, tmp_path) -> None:
    deb = release.one("*.deb")
    assert deb.name == f"localhr-desk_{release.version}_{release.arch}.deb"

    def field(name: str) -> str:
        return subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True,
                              text=True, check=True).stdout.strip()  # fmt: skip

    assert field("Package") == "localhr-desk"
    assert field("Version") == release.version
    depends = {d.strip() for d in field("Depends").split(",")}
    assert {"libgl1", "libegl1", "libfontconfig1", "libxkbcommon0", "libglib2.0-0", "libdbus-1-3",
            "libthai0", "libxcb-cursor0", "libxkbcommon-x11-0"} <= depends  # fmt: skip
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True,
                             check=True).stdout  # fmt: skip
    paths = {line.split()[-1].removeprefix(".") for line in listing.splitlines()}
    assert {
        "/opt/localhr-desk/localhr",
        "/usr/bin/localhr",
        "/usr/share/applications/localhr.desktop",
        "/usr/share/icons/hicolor/256x256/apps/localhr.png",
        "/usr/share/icons/hicolor/scalable/apps/localhr.svg",
    } <= paths

    subprocess.run(["dpkg-deb", "-x", str(deb), str(tmp_path)], check=True)
    entry = (tmp_path / "usr/share/applications/localhr.desktop").read_text(encoding="utf-8")
    assert "\nExec=localhr\n" in entry and "\nIcon=localhr\n" in entry
    assert "Exec=localhr demo" in entry
    icon = (tmp_path / "usr/share/icons/hicolor/256x256/apps/localhr.png").read_bytes()
    assert icon.startswith(b"\x89PNG")


def _may_install() -> str | None:
    if os.geteuid() != 0:
        return "installing a .deb needs root"
    if shutil.which("dpkg") is None:
        return "no dpkg"
    installed = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "localhr-desk"],
                               capture_output=True, text=True)  # fmt: skip
    if "installed" in installed.stdout:
        return "localhr-desk is installed on this machine already: not the test's to replace"
    return None


@pytest.mark.skipif(_may_install() is not None, reason=str(_may_install()))
def test_the_deb_installs_runs_and_uninstalls(release, tmp_path) -> None:
    deb = release.one("*.deb")
    # --force-depends: a test machine runs Qt offscreen and may lack the X11 window
    # libraries the package depends on (a real install pulls them: apt-get install ./deb).
    subprocess.run(["dpkg", "-i", "--force-depends", str(deb)], check=True,
                   capture_output=True)  # fmt: skip
    try:
        version = run_program(Path("/usr/bin/localhr"), "--version", data=tmp_path / "data")
        assert version.stdout.strip() == f"LocalHR Desk {release.version}"
        assert_self_check_passes(
            Path("/usr/bin/localhr"), tmp_path / "data", Path("/opt/localhr-desk")
        )
    finally:
        subprocess.run(["dpkg", "-r", "localhr-desk"], check=True, capture_output=True)
    assert not Path("/opt/localhr-desk").exists()
    assert not Path("/usr/bin/localhr").exists()


def test_the_central_wheel_carries_the_central_and_its_extra(release) -> None:
    wheel = release.one("*.whl")
    assert wheel.name == f"localhr_desk-{release.version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as whl:
        names = set(whl.namelist())
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = whl.read(meta_name).decode("utf-8")
    assert "sync/central/app.py" in names
    assert "localhr/central_cli.py" in names
    requires = re.findall(r"^Requires-Dist: ([\w.-]+)(.*)$", meta, re.MULTILINE)
    extras = {name.lower(): re.findall(r"extra == .(\w+).", rest) for name, rest in requires}
    for name in ("fastapi", "uvicorn", "psycopg", "pydantic-settings", "uvloop"):
        assert extras[name] == ["central"], name
    assert extras["pyside6-essentials"] == ["desktop"]
    assert extras["sqlalchemy"] == []  # the core, for both
