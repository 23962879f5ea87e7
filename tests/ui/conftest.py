"""Fixtures of the UI tests that work on a demo office (tests/fixtures_db.py) with Thai on
screen and a synchronous task runner (tests/ui/editor_fixtures.py)."""

import pytest

from tests.fixtures_db import demo, demo_template, second_clerk  # noqa: F401
from tests.ui.editor_fixtures import language, runner, threaded_runner  # noqa: F401
from tests.ui.session_helpers import SHOTS


@pytest.fixture(scope="session", autouse=True)
def _screenshots_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The tests' screenshots go under pytest's temporary folder (see SHOTS)."""
    SHOTS.folder = tmp_path_factory.mktemp("shots")
