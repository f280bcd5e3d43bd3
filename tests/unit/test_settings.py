"""Configuration: environment variables over an optional TOML file over defaults, and the page that lists them."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from ledgerbridge.settings import AppSettings, ConfigFileError

REPO = Path(__file__).resolve().parents[2]
CONFIGURATION_DOC = REPO / "docs" / "configuration.md"
KEY_ROW = re.compile(r"^\| `(?P<key>[a-z_]+)` \| `(?P<env>LEDGERBRIDGE_[A-Z_]+)` \| (?P<default>[^|]+) \|", re.M)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No LEDGERBRIDGE_* variable from the caller's shell, and a working directory without a config file."""
    for name in list(os.environ):
        if name.startswith("LEDGERBRIDGE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_defaults_keep_everything_in_the_data_dir() -> None:
    settings = AppSettings()
    assert settings.data_dir == Path(".ledgerbridge")
    assert settings.resolved_database_url == f"sqlite:///{(Path('.ledgerbridge') / 'ledgerbridge.sqlite3').resolve()}"
    assert settings.secret_key is None
    assert settings.secret_key_file == Path(".ledgerbridge") / "secret.key"


def test_a_ledgerbridge_toml_in_the_working_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / "ledgerbridge.toml").write_text('data_dir = "/srv/ledgerbridge"\n')
    assert AppSettings().data_dir == Path("/srv/ledgerbridge")


def test_the_environment_wins_over_the_file_and_code_wins_over_both(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "elsewhere" / "prod.toml"
    config.parent.mkdir()
    config.write_text('data_dir = "/from/file"\ndatabase_url = "postgresql+psycopg://file@db/ledger"\n')
    monkeypatch.setenv("LEDGERBRIDGE_CONFIG", str(config))
    monkeypatch.setenv("LEDGERBRIDGE_DATABASE_URL", "postgresql+psycopg://env@db/ledger")

    settings = AppSettings()
    assert settings.data_dir == Path("/from/file")
    assert settings.database_url == "postgresql+psycopg://env@db/ledger"
    assert AppSettings(data_dir=Path("/from/code")).data_dir == Path("/from/code")


def test_a_secret_key_from_the_file_stays_secret(tmp_path: Path) -> None:
    (tmp_path / "ledgerbridge.toml").write_text('secret_key = "not-shown"\n')
    settings = AppSettings()
    assert settings.secret_key is not None and settings.secret_key.get_secret_value() == "not-shown"
    assert "not-shown" not in repr(settings)


@pytest.mark.parametrize(("content", "problem"), [
    ('data_dri = "typo"\n', "unknown key(s) data_dri"),
    ("data_dir = \n", "is not valid TOML"),
])
def test_a_file_with_a_typo_or_broken_toml_is_refused_by_name(tmp_path: Path, content: str, problem: str) -> None:
    (tmp_path / "ledgerbridge.toml").write_text(content)
    with pytest.raises(ConfigFileError, match=r"ledgerbridge\.toml") as raised:
        AppSettings()
    assert problem in str(raised.value)


def test_a_named_file_must_exist(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LEDGERBRIDGE_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigFileError, match=r"LEDGERBRIDGE_CONFIG names .*missing.toml, which is not a file"):
        AppSettings()


def test_a_value_of_the_wrong_type_is_a_validation_error(tmp_path: Path) -> None:
    (tmp_path / "ledgerbridge.toml").write_text("data_dir = [1, 2]\n")
    with pytest.raises(ValidationError, match="data_dir"):
        AppSettings()


def _documented() -> dict[str, tuple[str, str]]:
    return {m["key"]: (m["env"], m["default"].strip()) for m in KEY_ROW.finditer(CONFIGURATION_DOC.read_text())}


def _shown_default(name: str) -> str:
    default = AppSettings.model_fields[name].default
    return "unset" if default is None else f"`{default}`"


def test_the_configuration_page_lists_exactly_the_settings_with_their_variables_and_defaults() -> None:
    documented = _documented()
    assert sorted(documented) == sorted(AppSettings.model_fields)
    for name, (env, default) in documented.items():
        assert env == f"LEDGERBRIDGE_{name.upper()}"
        assert default == _shown_default(name), name
