"""Password verifiers: the central's login verifier and the PCs' offline one (DESIGN.md §5).

Passwords are kept only as scrypt verifiers (``hashlib.scrypt``, memory-hard), so a stolen
database does not give them away. There are two kinds, never interchangeable:

- the **central's** verifier (scheme ``scrypt``), which only the central keeps and checks a
  login or a PC registration against; it never leaves the central;
- the **offline** verifier (scheme ``scrypt-offline-v1``) that the central publishes in the
  user row to the PCs where that user may log in, and a PC checks an offline login against.
  It has its own salt, and the password is prefixed with a context string before it is
  hashed, so a verifier read off a PC is no verifier of the central's (and the other way).

:func:`check_offline_verifier` also accepts the ``scrypt`` scheme: accounts made on a PC
before offline verifiers existed (the first-run administrator) and rows pulled from an older
central hold one, until the next password change (or online login) replaces them.

The cost parameters are part of each verifier, so a verifier made with a lower ``n`` (the
tests' quick verifiers) checks the same way. Pure Python: shared by the desktop and the
central.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

__all__ = [
    "CENTRAL_SCHEME",
    "MIN_PASSWORD",
    "OFFLINE_SCHEME",
    "check_offline_verifier",
    "check_verifier",
    "make_verifier",
    "new_password_problem",
]

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 8
MAX_PASSWORD = 256
CENTRAL_SCHEME = "scrypt"
OFFLINE_SCHEME = "scrypt-offline-v1"
_CONTEXT = {
    CENTRAL_SCHEME: b"",
    OFFLINE_SCHEME: b"LocalHR Desk offline login v1\x00",
}


def new_password_problem(new: str, old: str | None = None) -> str | None:
    """Why ``new`` may not become a password (the central's rule, which the desktop checks
    first): ``"too_short"``, ``"too_long"`` or ``"unchanged"`` (the current one); None."""
    if len(new) < MIN_PASSWORD:
        return "too_short"
    if len(new) > MAX_PASSWORD:
        return "too_long"
    if old is not None and new == old:
        return "unchanged"
    return None


def _digest(scheme: str, password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    secret = _CONTEXT[scheme] + password.encode()
    return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, dklen=32)


def make_verifier(password: str, *, n: int = SCRYPT_N, offline: bool = False) -> str:
    """A new verifier of ``password`` with a fresh salt: the central's, or with
    ``offline`` the one published to PCs."""
    scheme = OFFLINE_SCHEME if offline else CENTRAL_SCHEME
    salt = secrets.token_bytes(16)
    digest = _digest(scheme, password, salt, n, SCRYPT_R, SCRYPT_P)
    b64 = base64.b64encode
    return f"{scheme}${n}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def _check(password: str, verifier: str | None, schemes: tuple[str, ...]) -> bool:
    try:
        scheme, n, r, p, salt, digest = (verifier or "").split("$")
        if scheme not in schemes:
            return False
        got = _digest(scheme, password, base64.b64decode(salt), int(n), int(r), int(p))
        return hmac.compare_digest(got, base64.b64decode(digest))
    except (ValueError, MemoryError):  # a damaged verifier fails the login, not the program
        return False


def check_verifier(password: str, verifier: str | None) -> bool:
    """The central's check: ``password`` against a central verifier only."""
    return _check(password, verifier, (CENTRAL_SCHEME,))


def check_offline_verifier(password: str, verifier: str | None) -> bool:
    """A PC's check of an offline login: an offline verifier, or an older ``scrypt`` one."""
    return _check(password, verifier, (OFFLINE_SCHEME, CENTRAL_SCHEME))
