"""``scripts/screenshots``: every main screen is saved as a picture of the size a person
looks at (the main window 1100 × 700; a dialog in its frame), with something on it."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from localhr import screenshots
from localhr.screenshots import BEFORE_LOGIN, HEIGHT, SCREENS, TITLE_BAR, WIDTH

#: A screen of text, lines and coloured marks has hundreds of colours (anti-aliased text);
#: an empty or one-colour picture has a handful.
MIN_COLOURS = 64


def colours(image: QImage) -> int:
    """How many distinct colours ``image`` has."""
    pixels = image.convertToFormat(QImage.Format.Format_RGB32)
    return len(set(pixels.constBits().cast("I")))


def test_every_screen_is_saved_as_a_picture_a_person_can_read(tmp_path, language) -> None:
    language("th")
    saved = screenshots.save_screens(tmp_path / "shots", people_count=60)

    assert [path.name for path in saved] == [f"{name}.png" for name in SCREENS]
    for name, path in zip(SCREENS, saved, strict=True):
        image = QImage(str(path))
        assert not image.isNull(), name
        size = (image.width(), image.height())
        if name in BEFORE_LOGIN:  # a dialog alone, in its frame
            assert 400 <= size[0] <= WIDTH and TITLE_BAR + 150 <= size[1] <= HEIGHT, name
        else:  # the main window, or a dialog drawn over it
            assert size == (WIDTH, HEIGHT), name
        assert colours(image) > MIN_COLOURS, f"{name} is (nearly) blank"


def test_a_subset_of_screens_and_an_unknown_one(tmp_path, language) -> None:
    language("th")
    saved = screenshots.save_screens(tmp_path, ["login", "first-run"], people_count=10)
    assert sorted(path.name for path in saved) == ["first-run.png", "login.png"]
    with pytest.raises(ValueError, match="nothing"):
        screenshots.save_screens(tmp_path / "none", ["nothing"])
    assert not (tmp_path / "none").exists()
