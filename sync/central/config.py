"""The central's settings: environment variables, optionally a file, then defaults.

Every setting is an environment variable with the prefix ``LOCALHR_CENTRAL_`` (for example
``LOCALHR_CENTRAL_DATABASE_URL=postgresql://localhr@db.example/localhr``). A file can hold
them too: a TOML file (``*.toml``, top-level keys named like the fields) or a ``KEY=value``
env file, named by ``--config`` or ``LOCALHR_CENTRAL_CONFIG``. The environment wins over the
file. Secrets (a database password, the TLS key) belong in the environment or in files
outside the repository, readable by the service account only.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import ipaddress
import json
import os
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from app import config as app_config

ENV_PREFIX = "LOCALHR_CENTRAL_"
CONFIG_ENV = ENV_PREFIX + "CONFIG"
MIB = 1024 * 1024

_toml_file: contextvars.ContextVar[Path | None] = contextvars.ContextVar(
    "localhr_central_toml", default=None
)


def default_database_url() -> str:
    return f"sqlite:///{app_config.data_dir() / 'central.sqlite3'}"


def default_key_file() -> Path:
    return app_config.data_dir() / "central-bundle-keys.json"


class CentralSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", frozen=True)

    database_url: str = Field(
        default_factory=default_database_url,
        description="SQLAlchemy URL: postgresql://user@host/db, or sqlite:///path",
    )
    host: str = "127.0.0.1"
    port: int | None = Field(
        default=None, ge=1, le=65535, description="default 8443 with TLS, 8080 without"
    )
    tls_certfile: Path | None = None
    tls_keyfile: Path | None = None
    token_ttl_hours: float = Field(default=24 * 7, ge=0)
    max_body_bytes: int = Field(default=8 * MIB, ge=1024)
    key_file: Path = Field(
        default_factory=default_key_file,
        description="the central's own bundle key pair (sync.central.central_key): made on "
        "first start if absent (mode 0600); keep it outside the database and its backups",
    )
    # --- accounts (issue 13): failed logins and PC registrations (sync.central.throttle)
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="addresses or networks (e.g. 127.0.0.1, 10.0.0.0/8) of the reverse "
        "proxies whose client-address header is believed; by default none: the socket peer",
    )
    client_address_header: str = Field(
        default="X-Forwarded-For",
        description="the header a trusted proxy puts the client's address in "
        "(X-Forwarded-For, or X-Real-IP)",
    )
    free_attempts_per_account: int = Field(default=5, ge=1)
    free_attempts_per_address: int = Field(default=20, ge=1)
    first_delay_seconds: float = Field(default=30, gt=0)
    max_delay_seconds: float = Field(default=3600, gt=0)
    forget_failures_hours: float = Field(default=24, gt=0)

    @field_validator("database_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("use a postgresql://... or sqlite:///... URL")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            ipaddress.ip_network(entry.strip(), strict=False)  # ValueError names the entry
        return [entry.strip() for entry in value]

    @model_validator(mode="after")
    def _tls_pair(self) -> CentralSettings:
        if (self.tls_certfile is None) != (self.tls_keyfile is None):
            raise ValueError("TLS needs both tls_certfile and tls_keyfile")
        return self

    @property
    def tls(self) -> bool:
        return self.tls_certfile is not None

    @property
    def bind_port(self) -> int:
        return self.port or (8443 if self.tls else 8080)

    @property
    def token_ttl(self) -> dt.timedelta:
        return dt.timedelta(hours=self.token_ttl_hours)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources = [init_settings, env_settings, dotenv_settings]
        toml = _toml_file.get()
        if toml is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml))
        return tuple(sources)

    @classmethod
    def load(cls, config_file: str | Path | None = None, **overrides: Any) -> CentralSettings:
        """Settings from ``overrides``, the environment, then ``config_file`` (or the file
        ``LOCALHR_CENTRAL_CONFIG`` names), then defaults."""
        file = config_file or os.environ.get(CONFIG_ENV)
        if not file:
            return cls(**overrides)
        path = Path(file)
        if not path.is_file():
            raise FileNotFoundError(f"no configuration file at {path}")
        if path.suffix.lower() != ".toml":
            return cls(_env_file=path, **overrides)  # type: ignore[call-arg]
        token = _toml_file.set(path)
        try:
            return cls(**overrides)
        finally:
            _toml_file.reset(token)

    def as_environment(self) -> dict[str, str]:
        """These settings as environment variables (for worker processes)."""
        return {
            ENV_PREFIX + name.upper(): json.dumps(value) if isinstance(value, list) else str(value)
            for name, value in self.model_dump().items()
            if value is not None
        }
