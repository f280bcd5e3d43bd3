"""``ledgerbridge users``: the people who sign in."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated

import typer
from argon2 import PasswordHasher

from ledgerbridge.cli.common import UsageProblem, guarded, opened_database, print_json
from ledgerbridge.domain import User, new_id
from ledgerbridge.store import Users

app = typer.Typer(help="People who sign in to ledgerbridge.", no_args_is_help=True)

MIN_PASSWORD_LENGTH = 8


def _password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UsageProblem(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    return password


@app.command("create")
@guarded
def create(
    email: Annotated[str, typer.Argument(help="The email the user signs in with (unique, any case).")],
    name: Annotated[str, typer.Option("--name", help="The user's full name.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input "
                                                     "instead of prompting for it."),
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print the new user as JSON.")] = False,
) -> None:
    """Create a user with a password (stored as an argon2 hash)."""
    email = email.strip()
    local, at, domain = email.partition("@")
    if not (local and at and "." in domain) or any(ch.isspace() for ch in email):
        raise UsageProblem(f"{email!r} is not an email address")
    if not name.strip():
        raise UsageProblem("--name cannot be blank")
    password_hash = PasswordHasher().hash(_password(password_stdin))
    with opened_database() as database, database.session() as session:
        user = Users(session).add(User(new_id(), email, name.strip(), password_hash, datetime.now(UTC)))
    if json_output:
        print_json({"id": user.id, "email": user.email, "name": user.name})
    else:
        typer.echo(f"Created user {user.email} ({user.id}).")
