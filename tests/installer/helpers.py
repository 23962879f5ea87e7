"""What the installer tests share: the version declared in pyproject.toml, and the report
of ``localhr --self-check`` read back."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: The self-check's checks, in the order it reports them.
CHECKS = (
    "data folder",
    "database",
    "reference lists",
    "Qt, font, translations",
    "credential store",
    "demo central over HTTP",
)


def pyproject_version() -> str:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return data["project"]["version"]


def check_lines(out: str) -> dict[str, str]:
    """``{check name: status}`` from the self-check's report."""
    lines = {}
    for line in out.splitlines():
        status, _, rest = line.strip().partition("  ")
        name = rest.strip().partition(":")[0]
        if status in ("ok", "FAIL", "skip") and name:
            lines[name] = status
    return lines
