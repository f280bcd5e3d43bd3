"""Application configuration, read from `LEDGERBRIDGE_*` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DATABASE_FILE = "ledgerbridge.sqlite3"
KEY_FILE_NAME = "secret.key"


class AppSettings(BaseSettings):
    """Where ledgerbridge keeps its data and how it reaches its database."""

    model_config = SettingsConfigDict(env_prefix="LEDGERBRIDGE_", extra="ignore")

    data_dir: Path = Path(".ledgerbridge")
    """`LEDGERBRIDGE_DATA_DIR`: the SQLite database and the generated secret key file live here."""

    database_url: str | None = None
    """`LEDGERBRIDGE_DATABASE_URL`, e.g. `postgresql+psycopg://user@host/db`; SQLite in `data_dir` when unset."""

    secret_key: SecretStr | None = None
    """`LEDGERBRIDGE_SECRET_KEY`: the Fernet key for stored Intacct credentials; a key file is used when unset."""

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
