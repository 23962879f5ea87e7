"""What a username is (DESIGN.md §3 User): ASCII lower-case letters, digits and dots, at
most 64, starting with a letter or digit. The central checks it when an account is made;
the desktop's "add a user" dialog checks it first, with the same rule."""

from __future__ import annotations

import re

__all__ = ["MAX_USERNAME", "USERNAME", "clean_username", "is_username"]

MAX_USERNAME = 64
USERNAME = re.compile(r"[a-z0-9][a-z0-9.]{0,63}")


def clean_username(text: str | None) -> str:
    """A username as typed, trimmed and in lower case (logins ignore case)."""
    return (text or "").strip().lower()


def is_username(text: str | None) -> bool:
    return USERNAME.fullmatch(clean_username(text)) is not None
