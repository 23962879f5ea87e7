"""The wire protocol between the desktops and the central (DESIGN.md §4), shared by both."""

from sync.protocol.v1 import *  # noqa: F403
from sync.protocol.v1 import __all__  # noqa: F401
