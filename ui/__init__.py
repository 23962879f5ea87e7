"""Every Qt widget, model and dialog of the desktop (DESIGN.md §2)."""
