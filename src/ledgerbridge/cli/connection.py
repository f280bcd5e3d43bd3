"""``ledgerbridge connection``: a workspace's Sage Intacct credentials."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sys
from datetime import UTC, datetime
from typing import Annotated, Final

import typer

from ledgerbridge.cli import lookup
from ledgerbridge.cli.common import CliError, UsageProblem, guarded, opened_database, print_json
from ledgerbridge.domain import DEFAULT_ENDPOINT, IntacctCredentials
from ledgerbridge.store import Connections, SecretBox

app = typer.Typer(help="The Sage Intacct connection of a workspace.", no_args_is_help=True)

SENDER_PASSWORD_ENV: Final = "LEDGERBRIDGE_INTACCT_SENDER_PASSWORD"  # noqa: S105 - a variable name
USER_PASSWORD_ENV: Final = "LEDGERBRIDGE_INTACCT_USER_PASSWORD"  # noqa: S105 - a variable name


def _secret(variable: str, prompt: str) -> str:
    """A password from the environment, else typed at a hidden prompt; never from a command-line flag."""
    value = os.environ.get(variable)
    if value is None:
        if not sys.stdin.isatty():
            raise UsageProblem(f"{variable} is not set and there is no terminal to ask for the {prompt.lower()}",
                               f"set {variable} in the environment")
        value = typer.prompt(prompt, hide_input=True)
    if not value:
        raise UsageProblem(f"the {prompt.lower()} cannot be empty")
    return value


def _required(value: str, option: str) -> str:
    value = value.strip()
    if not value:
        raise UsageProblem(f"{option} cannot be blank")
    return value


def _test(credentials: IntacctCredentials, entity: str) -> None:
    from ledgerbridge.sync import ConnectionRefused, test_connection

    try:
        asyncio.run(test_connection(credentials, entity))
    except ConnectionRefused as refusal:
        raise CliError(f"Intacct refused the connection, nothing was saved: {refusal.code}: {refusal.message}",
                       f"`ledgerbridge errors explain {refusal.code}` shows how to fix it") from None


@app.command("set")
@guarded
def set_connection(
    workspace: Annotated[str, typer.Option("--workspace", "-w", help="Workspace id or unique name.")],
    sender_id: Annotated[str, typer.Option("--sender-id", help="Web services sender ID.")],
    company_id: Annotated[str, typer.Option("--company-id", help="Intacct company ID.")],
    user_id: Annotated[str, typer.Option("--user-id", help="Intacct web services user ID.")],
    entity: Annotated[
        str | None, typer.Option("--entity", help="Entity (location ID) to work in; '' for the top level. "
                                                  "Unchanged when left out."),
    ] = None,
    endpoint: Annotated[str, typer.Option("--endpoint", help="XML gateway URL.")] = DEFAULT_ENDPOINT,
    test: Annotated[
        bool, typer.Option("--test/--no-test", help="Sign in to Intacct and read one GL account before saving."),
    ] = True,
    json_output: Annotated[bool, typer.Option("--json", help="Print the stored connection as JSON.")] = False,
) -> None:
    """Test and store (or replace) the workspace's Intacct credentials, encrypted at rest.

    The sender password comes from LEDGERBRIDGE_INTACCT_SENDER_PASSWORD and the user password from
    LEDGERBRIDGE_INTACCT_USER_PASSWORD; when a variable is unset the password is asked for at a hidden prompt.
    """
    if not endpoint.startswith(("https://", "http://")):
        raise UsageProblem(f"--endpoint must be an http(s) URL, got {endpoint!r}")
    credentials = IntacctCredentials(
        sender_id=_required(sender_id, "--sender-id"),
        sender_password=_secret(SENDER_PASSWORD_ENV, "Sender password"),
        company_id=_required(company_id, "--company-id"),
        user_id=_required(user_id, "--user-id"),
        user_password=_secret(USER_PASSWORD_ENV, "User password"),
        endpoint_url=endpoint,
    )
    box = SecretBox.from_settings()
    with opened_database() as database:
        with database.session() as session:
            space = lookup.workspace(session, workspace)
            current_entity = Connections(session, box).settings(space.id).entity
        wanted_entity = current_entity if entity is None else entity.strip()
        if test:
            _test(credentials, wanted_entity)
        now = datetime.now(UTC)
        with database.session() as session:
            connections = Connections(session, box)
            if not lookup.is_connected(session, space.id):
                connections.connect(space.id, credentials, now)
            else:
                connections.update_credentials(space.id, credentials, now)
            settings = connections.settings(space.id)
            if wanted_entity != settings.entity:
                settings = connections.save_settings(dataclasses.replace(settings, entity=wanted_entity), now)
    shown = {"workspace_id": space.id, "sender_id": credentials.sender_id, "company_id": credentials.company_id,
             "user_id": credentials.user_id, "entity": settings.entity, "endpoint_url": credentials.endpoint_url}
    if json_output:
        print_json(shown)
        return
    where = f"entity {settings.entity}" if settings.entity else "the top level"
    typer.echo(f"Workspace {space.name!r} connects to Intacct company {credentials.company_id} at {where} "
               f"as {credentials.user_id} (sender {credentials.sender_id}); passwords stored encrypted.")
    typer.echo(f"Next: `ledgerbridge sync --workspace {space.id}`.")
