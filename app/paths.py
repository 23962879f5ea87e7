"""Where the program's bundled files are, in a checkout and in an installed wheel alike."""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    """Path of a bundled file under ``resources/``."""
    return RESOURCES.joinpath(*parts)
