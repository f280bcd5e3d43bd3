"""Every command explains itself, and a failing command says what went wrong in one line and a hint."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from ledgerbridge.cli.main import app

HELP_ENV = {"COLUMNS": "200", "NO_COLOR": "1"}


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    if hasattr(command, "list_commands"):  # a group (the top level loads its commands when asked for them)
        for name in sorted(command.list_commands(None)):
            yield from _commands(command.get_command(None, name), (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))


def test_the_command_tree_holds_every_documented_command() -> None:
    paths = {" ".join(path) for path, _ in COMMANDS}
    for expected in ("up", "demo", "db upgrade", "users create", "workspaces create", "workspaces list",
                     "connection set", "sync", "preflight", "export", "retry", "reports list", "reports show",
                     "expenses import", "errors list", "errors explain", "sandbox serve", "worker"):
        assert expected in paths


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(path) or "ledgerbridge" for path, _ in COMMANDS])
def test_every_command_has_help_for_itself_and_each_option(path: tuple[str, ...], command: Any) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env=HELP_ENV)

    assert result.exit_code == 0, result.output
    assert command.help and command.help.strip(), f"{' '.join(path)} has no help text"
    first_line = command.help.strip().splitlines()[0]
    assert first_line.endswith("."), f"{' '.join(path)}: help should be a sentence: {first_line!r}"
    assert first_line.split()[0] in result.stdout
    for param in command.params:
        if param.param_type_name == "option" and param.name != "help":
            assert param.help, f"{' '.join(path)} {param.opts[0]} has no help"


def test_the_top_level_help_lists_every_command_and_the_exit_statuses() -> None:
    result = CliRunner().invoke(app, ["--help"], env=HELP_ENV)
    for path, _ in COMMANDS:
        if len(path) == 1:
            assert f" {path[0]} " in result.stdout
    assert "Exit status: 0 success" in result.stdout


def test_a_command_loads_only_its_own_module() -> None:
    # Starting the sandbox or explaining an error code does not load the store or the export machinery.
    code = (
        "import sys\n"
        "from ledgerbridge.cli.main import run\n"
        "sys.argv = ['ledgerbridge', 'errors', 'explain', 'INT860']\n"
        "try:\n"
        "    run()\n"
        "except SystemExit as stop:\n"
        "    assert stop.code in (0, None), stop.code\n"
        "print(sorted(m for m in ('sqlalchemy', 'ledgerbridge.store', 'ledgerbridge.export') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, **HELP_ENV})

    assert "INT860" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_misspelt_command_gets_the_closest_name() -> None:
    result = CliRunner().invoke(app, ["sinc"], env=HELP_ENV)

    assert result.exit_code == 2
    assert "Did you mean 'sync'?" in result.output


def _run(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("LEDGERBRIDGE_")}
    return subprocess.run([sys.executable, "-m", "ledgerbridge", *args], env={**clean, **env}, cwd=cwd,
                          capture_output=True, text=True, timeout=60, check=False)


def test_an_unreachable_database_is_one_line_a_hint_and_status_3_without_a_traceback(tmp_path: Path) -> None:
    env = {"LEDGERBRIDGE_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"}
    result = _run("workspaces", "list", env=env, cwd=tmp_path)

    assert result.returncode == 3
    first, hint = result.stderr.splitlines()
    assert first.startswith("error: cannot reach the database at postgresql+psycopg://nobody@127.0.0.1:1/none: ")
    assert hint == "hint: check LEDGERBRIDGE_DATABASE_URL and that the database server is running"

    debugged = _run("--debug", "workspaces", "list", env=env, cwd=tmp_path)
    assert debugged.returncode != 0
    assert "Traceback (most recent call last)" in debugged.stderr


def test_an_unknown_workspace_is_a_usage_error_with_a_hint(tmp_path: Path) -> None:
    env = {"LEDGERBRIDGE_DATA_DIR": str(tmp_path / "data")}
    assert _run("db", "upgrade", env=env, cwd=tmp_path).returncode == 0

    result = _run("sync", "--workspace", "No Such Place", env=env, cwd=tmp_path)

    assert result.returncode == 2
    assert result.stderr.splitlines() == ["error: no workspace has the id or name 'No Such Place'",
                                          "hint: `ledgerbridge workspaces list` shows them"]


def test_a_broken_configuration_file_is_named_with_a_hint(tmp_path: Path) -> None:
    config = tmp_path / "ledgerbridge.toml"
    config.write_text('data_dri = "typo"\n')

    result = _run("workspaces", "list", env={}, cwd=tmp_path)

    assert result.returncode == 3
    assert result.stderr.splitlines() == [
        "error: ledgerbridge.toml: unknown key(s) data_dri; the keys are data_dir, database_url, secret_key, "
        "redis_url, jobs, job_queue",
        "hint: check the LEDGERBRIDGE_* environment variables and the configuration file; docs/configuration.md "
        "lists every key",
    ]
