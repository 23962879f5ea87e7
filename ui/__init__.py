"""Every Qt widget, model and dialog of the desktop (DESIGN.md §2)."""

from ui import signal_refcount

signal_refcount.install()
