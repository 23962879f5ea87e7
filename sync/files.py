"""Writing a file whole or not at all: a bundle on a USB stick pulled out mid-write must not
be left half written under its real name."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """``data`` to ``path``: written beside it under a temporary name, flushed to the disk,
    then renamed over ``path``."""
    tmp = path.with_name(f".{path.name}.part")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
