"""Fixtures: a small demo office in a fresh database per test (see tests/fixtures_db.py)."""

from tests.fixtures_db import demo, demo_template, second_clerk  # noqa: F401
