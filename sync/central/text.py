"""Text PostgreSQL cannot store, found in a JSON body before anything is read from it."""

from __future__ import annotations

import re

# A NUL character, raw or as a JSON escape not itself escaped: PostgreSQL stores no NUL in
# text or JSON, so it is refused alike on every database, before anything is read.
_JSON_NUL = re.compile(rb"\x00|(?<!\\)(?:\\\\)*\\u0000")


def json_has_nul(body: bytes) -> bool:
    # A plain substring test first (memchr speed); the regex only runs on a body that has an
    # escape to look at, which the desktop's UTF-8 JSON rarely has.
    return b"\x00" in body or (b"\\u0000" in body and _JSON_NUL.search(body) is not None)
