"""What every command shares: exit codes, the one error handler, the database, JSON and safe text output."""

from __future__ import annotations

import enum
import functools
import json
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Final, ParamSpec, TypeVar

import typer
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from pydantic import ValidationError
from rich.text import Text
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from ledgerbridge.cli.logs import debug_enabled
from ledgerbridge.domain import InvalidTransition, StaleEdit
from ledgerbridge.domain.money import MoneyError
from ledgerbridge.settings import AppSettings, ConfigFileError
from ledgerbridge.store import AlreadyExists, Database, NotFound, ReportChanged, SecretKeyError
from ledgerbridge.store.database import alembic_config

P = ParamSpec("P")
R = TypeVar("R")


class ExitCode(enum.IntEnum):
    """The exit statuses of every command (documented in docs/cli.md)."""

    OK = 0
    FAILED = 1
    """The command ran and its work failed or was refused (a failed sync, rejected CSV rows, a duplicate)."""
    USAGE = 2
    """The command cannot run as given: a bad option, an unknown workspace, report or user, missing setup."""
    ENVIRONMENT = 3
    """The database is unreachable or not upgraded, or the secret key cannot open stored credentials."""
    INTERNAL = 4
    """An unexpected error; run again with --debug for the traceback."""


class CliError(Exception):
    """A problem the user can act on: one line, an optional hint, and the exit status."""

    exit_code = ExitCode.FAILED

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageProblem(CliError):
    exit_code = ExitCode.USAGE


class EnvironmentProblem(CliError):
    exit_code = ExitCode.ENVIRONMENT


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _describe_database_error(exc: SQLAlchemyError) -> tuple[str, str | None, ExitCode]:
    detail = _first_line(str(exc.orig)) if isinstance(exc, DBAPIError) else _first_line(str(exc))
    if "no such table" in detail or "does not exist" in detail:
        return (f"the database schema is missing or outdated ({detail})",
                "run `ledgerbridge db upgrade`", ExitCode.ENVIRONMENT)
    if isinstance(exc, OperationalError) and "connect" in detail:
        return (f"cannot reach the database: {detail}",
                "check LEDGERBRIDGE_DATABASE_URL and that the database server is running", ExitCode.ENVIRONMENT)
    return (f"database error: {detail}",
            "check LEDGERBRIDGE_DATABASE_URL and that the database server is running", ExitCode.ENVIRONMENT)


_CONFIG_HINT: Final = ("check the LEDGERBRIDGE_* environment variables and the configuration file; "
                       "docs/configuration.md lists every key")


def _describe_settings_error(exc: ValidationError) -> str:
    problems = "; ".join(f"{'.'.join(str(part) for part in error['loc']) or 'settings'}: {error['msg']}"
                         for error in exc.errors(include_url=False))
    return f"invalid configuration: {problems}"


def describe(exc: Exception) -> tuple[str, str | None, ExitCode]:
    """The one line, hint and exit status a failure is reported with."""
    match exc:
        case CliError():
            return exc.message, exc.hint, exc.exit_code
        case NotFound():
            return str(exc), None, ExitCode.USAGE
        case AlreadyExists():
            return str(exc), None, ExitCode.FAILED
        case StaleEdit() | ReportChanged():
            return str(exc), "run the command again", ExitCode.FAILED
        case InvalidTransition():
            return str(exc), None, ExitCode.FAILED
        case MoneyError():
            return str(exc), None, ExitCode.USAGE
        case SecretKeyError():
            return (str(exc), "LEDGERBRIDGE_SECRET_KEY (or secret.key in the data dir) must hold the key the "
                    "credentials were saved with", ExitCode.ENVIRONMENT)
        case ConfigFileError():
            return str(exc), _CONFIG_HINT, ExitCode.ENVIRONMENT
        case ValidationError() if exc.title == AppSettings.__name__:
            return _describe_settings_error(exc), _CONFIG_HINT, ExitCode.ENVIRONMENT
        case SQLAlchemyError():
            return _describe_database_error(exc)
        case OSError():
            return f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc), None, ExitCode.ENVIRONMENT
        case _:
            return (f"unexpected error: {type(exc).__name__}: {_first_line(str(exc))}",
                    "run again with --debug for the traceback", ExitCode.INTERNAL)


def fail(message: str, hint: str | None, exit_code: int) -> typer.Exit:
    """Print `error: ...` (and `hint: ...`) on stderr; return the Exit to raise."""
    typer.echo(f"error: {message}", err=True)
    if hint:
        typer.echo(f"hint: {hint}", err=True)
    return typer.Exit(exit_code)


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Report a command's errors as one line and a hint with a documented exit status; --debug re-raises."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except Exception as exc:
            if debug_enabled():
                raise
            message, hint, code = describe(exc)
            raise fail(message, hint, code) from None

    return run


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@contextmanager
def opened_database(*, check_schema: bool = True) -> Iterator[Database]:
    """The configured database, checked to be reachable and (by default) migrated to the newest schema."""
    settings = AppSettings()
    url = settings.resolved_database_url
    try:
        database = Database(url)
    except (SQLAlchemyError, ValueError) as exc:
        # The URL may carry a password; only the reason is shown.
        raise EnvironmentProblem(f"cannot open the database: {_first_line(str(exc))}",
                                 "check LEDGERBRIDGE_DATABASE_URL") from exc
    try:
        if check_schema:
            _require_current_schema(database, _redacted(url))
        yield database
    finally:
        database.dispose()


def _require_current_schema(database: Database, shown_url: str) -> None:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    try:
        with database.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except DBAPIError as exc:
        raise EnvironmentProblem(f"cannot reach the database at {shown_url}: {_first_line(str(exc.orig))}",
                                 "check LEDGERBRIDGE_DATABASE_URL and that the database server is running") from exc
    if current != head:
        state = "empty" if current is None else f"at revision {current}"
        raise EnvironmentProblem(f"the database at {shown_url} is {state}; this version needs revision {head}",
                                 "run `ledgerbridge db upgrade`")


def print_json(payload: Any) -> None:
    """Machine output: indented JSON on stdout; amounts are strings, never floats."""
    typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))


_VISIBLE_FORMAT_CHARACTERS: Final = frozenset("\u200d")


def printable(value: str) -> str:
    """Text safe for a terminal: control and bidirectional-override characters shown as escapes."""
    out = []
    for char in value:
        category = unicodedata.category(char)
        if category == "Cc" or (category == "Cf" and char not in _VISIBLE_FORMAT_CHARACTERS):
            out.append(char.encode("unicode_escape").decode("ascii"))
        else:
            out.append(char)
    return "".join(out)


def cell(value: str | None) -> Text:
    """A table cell from user data: never interpreted as Rich markup, control characters escaped."""
    return Text(printable(value or ""))


def iso(value: Any) -> str | None:
    """A date or datetime as ISO 8601 text (None stays None)."""
    return None if value is None else str(value.isoformat())
