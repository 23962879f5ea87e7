"""The desktop's settings, declared once with their types and defaults (STYLE.md).

:class:`Settings` is a frozen pydantic model kept as ``settings.json`` in the data folder,
beside the database it belongs to. Screens never read a file or ``QSettings`` for these:
they are handed a :class:`Settings` (or the :class:`SettingsFile`) and get a new one when
the user changes something. A bad value in the file (edited by hand, written by a newer
version) falls back to its default alone; the rest are kept.

:func:`ui.app.set_language` and :func:`ui.fonts.apply_default_font` put the language and the
font size into effect at once.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ui.fonts import DEFAULT_SIZE_PT

log = logging.getLogger(__name__)

FILE_NAME = "settings.json"
LANGUAGES = ("th", "en")

#: How this data folder talks to a central: not chosen yet (first run), a real central, or
#: the demo's embedded one.
Mode = Literal["", "central", "demo"]
#: The steps of the guided first set-up of an office (:mod:`ui.office.setup`).
SetupStep = Literal["units", "slots", "accounts"]


class OfficeSetup(BaseModel):
    """Where an org admin left the guided first set-up of their office: the step they were
    at, and whether they skipped it for now ("ข้ามไปก่อน") or finished it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    step: SetupStep = "units"
    skipped: bool = False
    done: bool = False


class Settings(BaseModel):
    """What the user (or first run) chose; every field has its default."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    mode: Mode = ""
    central_url: str = ""  # the central's address (https://…), set by first run
    ca_bundle: str = ""  # a PEM file of CA certificates to trust; "" = the system's
    sync_interval_min: int = Field(5, ge=1, le=24 * 60)
    lock_after_min: int = Field(10, ge=1, le=8 * 60)  # inactivity before the session locks
    language: Literal["th", "en"] = "th"
    font_size_pt: int = Field(DEFAULT_SIZE_PT, ge=9, le=20)
    last_username: str = ""  # offered again at the next login (offices share PCs)
    #: The guided first set-up, by organization id: where its org admin left it.
    office_setup: dict[str, OfficeSetup] = Field(default_factory=dict)

    @property
    def configured(self) -> bool:
        """First run is done: this folder has a central (or is a demo)."""
        return self.mode == "demo" or (self.mode == "central" and bool(self.central_url))


def _valid(data: dict[str, Any]) -> Settings:
    """``data`` as settings; each field that does not validate falls back to its default."""
    data = {k: v for k, v in data.items() if k in Settings.model_fields}
    while True:
        try:
            return Settings.model_validate(data)
        except ValidationError as exc:
            bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
            if not bad & set(data):
                return Settings()
            for name in bad:
                log.warning("setting %s=%r is not valid; its default is used", name, data[name])
                data.pop(name, None)


class SettingsFile:
    """The settings of one data folder, read once and written whole on each change."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / FILE_NAME
        self._settings = self._read()

    @property
    def settings(self) -> Settings:
        return self._settings

    def _read(self) -> Settings:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return Settings()
        except (OSError, ValueError) as exc:
            log.warning("%s could not be read (%s); the defaults are used", self.path, exc)
            return Settings()
        if not isinstance(data, dict):
            log.warning("%s holds no settings; the defaults are used", self.path)
            return Settings()
        return _valid(data)

    def save(self, settings: Settings | None = None, **changes: Any) -> Settings:
        """Keep ``settings`` (default: the current ones) with ``changes`` applied, validated,
        and written at once: a power cut leaves the old file or the new one, never half."""
        base = settings or self._settings
        new = Settings.model_validate({**base.model_dump(), **changes})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(new.model_dump(), ensure_ascii=False, indent=2) + "\n"
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._settings = new
        return new
