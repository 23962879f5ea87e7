"""The wire protocol between the desktops and the central (DESIGN.md §4), shared by both."""

from sync.protocol.keys import KeyRegistration, UserKey, UserKeys
from sync.protocol.office import *  # noqa: F403
from sync.protocol.office import __all__ as _office_all
from sync.protocol.v1 import *  # noqa: F403
from sync.protocol.v1 import __all__ as _v1_all

__all__ = [*_v1_all, *_office_all, "KeyRegistration", "UserKey", "UserKeys"]
