"""Application configuration: `LEDGERBRIDGE_*` environment variables over an optional TOML file.

Every key is documented in docs/configuration.md (a test keeps that page and these fields in step).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Final, Literal

from pydantic import SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

DATABASE_FILE: Final = "ledgerbridge.sqlite3"
KEY_FILE_NAME: Final = "secret.key"
CONFIG_ENV: Final = "LEDGERBRIDGE_CONFIG"
"""Names the configuration file; when unset, `./ledgerbridge.toml` is read if it exists."""
CONFIG_FILE_NAME: Final = "ledgerbridge.toml"


class ConfigFileError(ValueError):
    """The configuration file cannot be used: missing (when named), not TOML, or with unknown keys."""


def config_file() -> Path | None:
    """The configuration file in use: the one `LEDGERBRIDGE_CONFIG` names, else `./ledgerbridge.toml` if present."""
    named = os.environ.get(CONFIG_ENV, "").strip()
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise ConfigFileError(f"{CONFIG_ENV} names {path}, which is not a file")
        return path
    local = Path(CONFIG_FILE_NAME)
    return local if local.is_file() else None


class _ConfigFileSource(TomlConfigSettingsSource):
    """The TOML file's top-level keys, which must be settings fields (a typo is an error, not a silent default)."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path) -> None:
        try:
            super().__init__(settings_cls, toml_file=path)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigFileError(f"{path} is not valid TOML: {exc}") from exc
        except OSError as exc:
            raise ConfigFileError(f"{path} cannot be read: {exc.strerror or exc}") from exc
        unknown = sorted(set(self.toml_data) - set(settings_cls.model_fields))
        if unknown:
            raise ConfigFileError(f"{path}: unknown key(s) {', '.join(unknown)}; the keys are "
                                  f"{', '.join(settings_cls.model_fields)}")


class AppSettings(BaseSettings):
    """Where ledgerbridge keeps its data and how it reaches its database.

    Precedence, highest first: values passed in code, `LEDGERBRIDGE_*` environment variables, the
    configuration file, the defaults below.
    """

    model_config = SettingsConfigDict(env_prefix="LEDGERBRIDGE_", extra="ignore")

    data_dir: Path = Path(".ledgerbridge")
    """`LEDGERBRIDGE_DATA_DIR`: the SQLite database and the generated secret key file live here."""

    database_url: str | None = None
    """`LEDGERBRIDGE_DATABASE_URL`, e.g. `postgresql+psycopg://user@host/db`; SQLite in `data_dir` when unset."""

    secret_key: SecretStr | None = None
    """`LEDGERBRIDGE_SECRET_KEY`: the Fernet key for stored Intacct credentials; a key file is used when unset."""

    redis_url: str | None = None
    """`LEDGERBRIDGE_REDIS_URL`, e.g. `redis://host:6379/0`: each Intacct company's concurrency limit is held
    there for every process, and it is the broker of the Celery job runner."""

    jobs: Literal["in-process", "celery"] = "in-process"
    """`LEDGERBRIDGE_JOBS`: where Sync Now and queued exports run: threads of the process that started them, or
    the Celery workers of `ledgerbridge worker` (needs `redis_url`)."""

    job_queue: str = "ledgerbridge"
    """`LEDGERBRIDGE_JOB_QUEUE`: the Celery queue jobs are sent to and workers take them from."""

    @model_validator(mode="after")
    def _celery_needs_a_broker(self) -> AppSettings:
        if self.jobs == "celery" and not self.redis_url:
            raise ValueError("jobs = celery needs redis_url (LEDGERBRIDGE_REDIS_URL), the Celery broker")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = config_file()
        if path is None:
            return init_settings, env_settings
        return init_settings, env_settings, _ConfigFileSource(settings_cls, path)

    @property
    def resolved_database_url(self) -> str:
        """The database URL in use: the configured one, or the SQLite file in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / DATABASE_FILE).resolve()}"

    @property
    def secret_key_file(self) -> Path:
        """Where a generated Fernet key is kept (permissions 0600) when no key is configured."""
        return self.data_dir / KEY_FILE_NAME
