"""The program's version, declared once: ``version`` in ``pyproject.toml``.

Every installed form of the program carries it in the package's metadata: the wheel, the
development environment (``uv sync`` installs the project) and the PyInstaller release,
whose spec copies that metadata in (``installer/localhr.spec``).
"""

from __future__ import annotations

from importlib import metadata

DISTRIBUTION = "localhr-desk"


def program_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # a bare checkout on sys.path, never installed
        return "0+unknown"
