"""Build a LocalHR Desk release on this machine: ``installer/build [all|desktop|central]``.

- desktop: the PyInstaller folder (installer/localhr.spec), checked with the built
  program's ``--self-check``; then on Linux a ``.tar.gz`` of it and a ``.deb``, on Windows
  the Inno Setup installer (installer/windows/localhr.iss).
- central: the wheel (``uv build --wheel``); the central installs it with its extra,
  ``localhr-desk[central]`` (installer/README.md).

The version comes from one place, ``version`` in pyproject.toml. Everything lands in
``--out`` (default ``dist/``) with ``sizes.json``: the sizes and build times.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
SPEC = INSTALLER / "localhr.spec"
ISS = INSTALLER / "windows" / "localhr.iss"
PACKAGE = "localhr-desk"
FOLDER = "localhr-desk"  # the PyInstaller folder's name (COLLECT in the spec)
PROGRAM = "localhr"
DEB_PREFIX = Path("opt") / PACKAGE
#: The .deb's maintainer field (required by dpkg).
MAINTAINER = "LocalHR Desk <localhr-desk@localhr.invalid>"


class BuildError(RuntimeError):
    pass


def say(text: str) -> None:
    print(f"build: {text}", flush=True)


def project_version() -> str:
    """``version`` in pyproject.toml: the one place it is declared."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return data["project"]["version"]


def check_environment(version: str) -> None:
    """The release carries the installed package's metadata: it must be this version."""
    try:
        installed = metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        installed = None
    if installed != version:
        raise BuildError(
            f"the environment has {PACKAGE} {installed}, pyproject.toml says {version}: "
            "run `uv sync --all-extras` first"
        )


def tree_bytes(path: Path) -> int:
    """Bytes of the files under ``path`` (links not followed, as an archive holds them)."""
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())


def run(cmd: list[str], **kw) -> None:
    say("$ " + " ".join(str(c) for c in cmd))
    subprocess.run(cmd, check=True, **kw)


# --- the desktop -------------------------------------------------------------------------


def pyinstaller(out: Path, work: Path) -> Path:
    run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(out), "--workpath", str(work), str(SPEC)],
        cwd=ROOT,
    )  # fmt: skip
    folder = out / FOLDER
    if not (folder / executable_name()).is_file():
        raise BuildError(f"PyInstaller made no {executable_name()} in {folder}")
    return folder


def executable_name(console: bool = True) -> str:
    if sys.platform == "win32":
        return f"{PROGRAM}-console.exe" if console else f"{PROGRAM}.exe"
    return PROGRAM


def self_check(program: Path) -> str:
    """Run the built program's ``--self-check`` offscreen in a scratch data folder."""
    with tempfile.TemporaryDirectory(prefix="localhr-release-check-") as data:
        env = dict(os.environ, LOCALHR_DATA_DIR=data, QT_QPA_PLATFORM="offscreen")
        done = subprocess.run(
            [str(program), "--self-check"], env=env, capture_output=True, text=True,
            encoding="utf-8", timeout=300,
        )  # fmt: skip
    if done.returncode != 0:
        raise BuildError(f"{program} --self-check failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def linux_arch() -> str:
    try:
        out = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True)
        if out.returncode == 0:
            return out.stdout.strip()
    except FileNotFoundError:
        pass
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


def make_tarball(folder: Path, out: Path, version: str, arch: str) -> Path:
    """The folder as ``localhr-desk-VERSION/`` in a .tar.gz: unpack anywhere and run."""
    path = out / f"{PACKAGE}-{version}-linux-{arch}.tar.gz"
    with tarfile.open(path, "w:gz", compresslevel=6) as tar:
        tar.add(folder, arcname=f"{PACKAGE}-{version}", filter=_root_owned)
    return path


def _root_owned(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def qt_system_packages() -> list[str]:
    """The Debian packages Qt needs on the PC: the lists ``./dev`` installs (README.md)."""
    text = (ROOT / "dev").read_text(encoding="utf-8")
    found: list[str] = []
    for name in ("QT_OFFSCREEN_DEBS", "QT_WINDOW_DEBS"):
        match = re.search(rf"^{name}=\(([^)]*)\)", text, re.MULTILINE)
        if match is None:
            raise BuildError(f"./dev no longer defines {name}: the .deb's Depends come from it")
        found += match.group(1).split()
    return found


def _normalize_modes(top: Path) -> None:
    """dpkg wants 0755 folders and programs, 0644 other files, whatever the umask was."""
    for path in [top, *top.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir() or path.stat().st_mode & 0o111:
            path.chmod(0o755)
        else:
            path.chmod(0o644)


def deb_tree(folder: Path, stage: Path, version: str, arch: str) -> None:
    """The .deb's files under ``stage``: the program in /opt, a command, a menu entry, icons."""
    shutil.copytree(folder, stage / DEB_PREFIX, symlinks=True)
    bin_dir = stage / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / PROGRAM).write_text(
        f'#!/bin/sh\nexec /{DEB_PREFIX}/{PROGRAM} "$@"\n', encoding="utf-8"
    )
    (bin_dir / PROGRAM).chmod(0o755)
    apps = stage / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    shutil.copy(INSTALLER / "linux" / "localhr.desktop", apps / "localhr.desktop")
    icons = ROOT / "resources" / "icons"
    hicolor = stage / "usr" / "share" / "icons" / "hicolor"
    for size_dir, source in (("scalable", "localhr.svg"), ("256x256", "localhr.png")):
        target = hicolor / size_dir / "apps" / ("localhr" + Path(source).suffix)
        target.parent.mkdir(parents=True)
        shutil.copy(icons / source, target)
    doc = stage / "usr" / "share" / "doc" / PACKAGE
    doc.mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "fonts" / "OFL.txt", doc / "Sarabun-OFL.txt")
    _normalize_modes(stage)

    control = stage / "DEBIAN"
    control.mkdir()
    sums = []
    for path in sorted(stage.rglob("*")):
        if path.is_file() and not path.is_symlink() and control not in path.parents:
            digest = hashlib.md5(path.read_bytes()).hexdigest()  # dpkg's md5sums format
            sums.append(f"{digest}  {path.relative_to(stage).as_posix()}\n")
    (control / "md5sums").write_text("".join(sums), encoding="utf-8")
    description = (INSTALLER / "linux" / "description.txt").read_text(encoding="utf-8")
    fields = {
        "Package": PACKAGE,
        "Version": version,
        "Architecture": arch,
        "Maintainer": MAINTAINER,
        "Installed-Size": str(tree_bytes(stage) // 1024),
        "Depends": ", ".join(qt_system_packages()),
        "Suggests": "gnome-keyring | kwalletmanager",
        "Section": "misc",
        "Priority": "optional",
    }
    lines = [f"{k}: {v}\n" for k, v in fields.items()]
    summary, *body = description.strip().splitlines()
    lines.append(f"Description: {summary}\n")
    lines += [f" {line}\n" if line.strip() else " .\n" for line in body]
    (control / "control").write_text("".join(lines), encoding="utf-8")
    _normalize_modes(control)


def make_deb(folder: Path, out: Path, version: str, arch: str, compression: str) -> Path:
    if shutil.which("dpkg-deb") is None:
        raise BuildError("dpkg-deb is missing: build the .deb on Debian or Ubuntu")
    path = out / f"{PACKAGE}_{version}_{arch}.deb"
    with tempfile.TemporaryDirectory(prefix="localhr-deb-", dir=out) as stage:
        deb_tree(folder, Path(stage), version, arch)
        run(["dpkg-deb", "--root-owner-group", f"-Z{compression}", "--build", stage, str(path)],
            stdout=subprocess.DEVNULL)  # fmt: skip
    return path


def find_iscc() -> str | None:
    found = shutil.which("iscc") or shutil.which("ISCC")
    if found:
        return found
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        if base and (Path(base) / "Inno Setup 6" / "ISCC.exe").is_file():
            return str(Path(base) / "Inno Setup 6" / "ISCC.exe")
    return None


def make_windows_installer(folder: Path, out: Path, version: str) -> Path:
    iscc = find_iscc()
    if iscc is None:
        raise BuildError("Inno Setup 6 (ISCC.exe) is missing: see installer/README.md")
    run([iscc, f"/DAppVersion={version}", f"/DSourceDir={folder}", f"/DOutputDir={out}",
         f"/DIconFile={ROOT / 'resources' / 'icons' / 'localhr.ico'}", str(ISS)])  # fmt: skip
    path = out / f"LocalHR-Desk-{version}-setup.exe"
    if not path.is_file():
        raise BuildError(f"Inno Setup made no {path}")
    return path


def build_desktop(out: Path, version: str, *, fast: bool, sizes: dict) -> None:
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="localhr-pyinstaller-") as work:
        folder = pyinstaller(out, Path(work))
    sizes["seconds"]["pyinstaller"] = round(time.monotonic() - start, 1)
    sizes["folder_bytes"] = tree_bytes(folder)
    say(f"{folder}: {sizes['folder_bytes'] / 1e6:.1f} MB")
    print(self_check(folder / executable_name()), end="", flush=True)
    if sys.platform == "win32":
        setup = make_windows_installer(folder, out, version)
        sizes["setup_exe_bytes"] = setup.stat().st_size
        return
    if sys.platform != "linux":
        say(f"no installer for {sys.platform}: the folder is the release")
        return
    arch = linux_arch()
    start = time.monotonic()
    tarball = make_tarball(folder, out, version, arch)
    sizes["seconds"]["tar_gz"] = round(time.monotonic() - start, 1)
    sizes["tar_gz_bytes"] = tarball.stat().st_size
    start = time.monotonic()
    compression = "zstd" if fast else "xz"
    deb = make_deb(folder, out, version, arch, compression)
    sizes["seconds"][f"deb_{compression}"] = round(time.monotonic() - start, 1)
    sizes["deb_bytes"] = deb.stat().st_size
    sizes["deb_compression"] = compression


# --- the central -------------------------------------------------------------------------


def build_central(out: Path, version: str, sizes: dict) -> None:
    uv = shutil.which("uv")
    if uv is None:
        raise BuildError("uv is missing: the central's wheel is built with `uv build`")
    start = time.monotonic()
    run([uv, "build", "--wheel", "--quiet", "--out-dir", str(out)], cwd=ROOT)
    wheel = out / f"{PACKAGE.replace('-', '_')}-{version}-py3-none-any.whl"
    if not wheel.is_file():
        raise BuildError(f"uv build made no {wheel.name}")
    sizes["seconds"]["wheel"] = round(time.monotonic() - start, 1)
    sizes["wheel_bytes"] = wheel.stat().st_size


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="installer/build", description=__doc__.split("\n\n")[0])
    p.add_argument("what", nargs="?", choices=("all", "desktop", "central"), default="all")
    p.add_argument("--out", type=Path, default=ROOT / "dist", help="where (default: dist/)")
    p.add_argument("--fast", action="store_true",
                   help="zstd instead of xz for the .deb: a quick build for tests")  # fmt: skip
    args = p.parse_args(argv)
    version = project_version()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    sizes: dict = {"version": version, "platform": f"{sys.platform}-{platform.machine()}",
                   "python": platform.python_version(), "seconds": {}}  # fmt: skip
    try:
        if args.what in ("all", "desktop"):
            check_environment(version)
            build_desktop(out, version, fast=args.fast, sizes=sizes)
        if args.what in ("all", "central"):
            build_central(out, version, sizes)
    except (BuildError, subprocess.CalledProcessError) as exc:
        print(f"build: {exc}", file=sys.stderr)
        return 1
    (out / "sizes.json").write_text(json.dumps(sizes, indent=2) + "\n", encoding="utf-8")
    for name in sorted(out.iterdir()):
        if name.is_file():
            say(f"{name.name}: {name.stat().st_size / 1e6:.1f} MB")
    say(json.dumps(sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
