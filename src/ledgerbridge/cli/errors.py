"""`ledgerbridge errors`: list the INT codes and explain one."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console, Group
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ledgerbridge.catalog import CATALOG, Entry, PlaceholderValueError, RenderedError, UnknownCodeError
from ledgerbridge.catalog.model import placeholders_of
from ledgerbridge.catalog.render import render_entry, show_placeholders

app = typer.Typer(
    name="errors",
    help="The INT error catalog: every code Sage Intacct exports, syncs and connections can fail with.",
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _fail(message: str) -> typer.Exit:
    """One clear line on stderr, exit status 2."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def _summary(entry: Entry) -> dict[str, Any]:
    return {
        "code": entry.code,
        "kind": entry.kind.value,
        "title": entry.title,
        "needs_sync": entry.needs_sync,
        "needs_intacct_admin": entry.needs_intacct_admin,
        "placeholders": sorted(entry.placeholders),
    }


@app.command("list")
def list_codes(json_output: JsonOption = False) -> None:
    """List every INT code with its kind and what its usual fix takes."""
    if json_output:
        typer.echo(json.dumps([_summary(entry) for entry in CATALOG], indent=2))
        return
    table = Table(title="Sage Intacct error codes")
    for column in ("Code", "Kind", "Title", "Sync Now", "Intacct admin"):
        table.add_column(column)
    for entry in CATALOG:
        table.add_row(entry.code, entry.kind.value, escape(entry.title), _yes(entry.needs_sync),
                      _yes(entry.needs_intacct_admin))
    Console().print(table)


def _parse_values(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise _fail(f"--value expects NAME=VALUE, got {pair!r}")
        values[name.strip()] = value
    return values


def _indented(text: Text, depth: int) -> Padding:
    return Padding(text, (0, 0, 0, 3 * depth))


def _show(rendered: RenderedError, variants: tuple[str, ...]) -> None:
    parts: list[Any] = [Text(rendered.message, style="bold"), Text("")]
    if variants:
        parts.append(Text("When some values are not known:", style="dim"))
        parts += [_indented(Text(f"{rendered.code} {rendered.kind.label}: {variant}", style="dim"), 1)
                  for variant in variants]
        parts.append(Text(""))
    parts += [Text("Why", style="bold underline"), Text(rendered.why), Text("")]
    parts.append(Text("How to fix it", style="bold underline"))
    for number, path in enumerate(rendered.fixes, start=1):
        heading = f"{number}. {path.title}" + (" (usual fix)" if number == 1 else "")
        needs = f"Intacct admin: {_yes(path.needs_intacct_admin)} · Sync Now: {_yes(path.needs_sync)}"
        parts += [Text(heading, style="bold"), _indented(Text(needs, style="dim"), 1)]
        for index, step in enumerate(path.steps, start=1):
            admin = ", admin" if step.needs_intacct_admin else ""
            line = Text(f"{index}. ")
            line.append(f"[{step.place.label}{admin}] ", style="cyan")
            line.append(step.text)
            parts.append(_indented(line, 1))
    parts += [Text(""), Text("FAQ", style="bold underline")]
    for item in rendered.faq:
        parts += [Text(item.question, style="italic"), _indented(Text(item.answer), 1)]
    Console().print(Panel(Group(*parts), title=f"{rendered.code}: {escape(rendered.title)}", expand=True))


@app.command("explain")
def explain(
    code: Annotated[str, typer.Argument(help="An INT code, e.g. INT860.")],
    value: Annotated[
        list[str] | None,
        typer.Option("--value", "-v", help="Fill a placeholder, e.g. --value account=6400 (repeatable)."),
    ] = None,
    json_output: Annotated[
        bool,
        typer.Option("--json", help="Print JSON: the catalog entry, or the filled-in error when --value is given."),
    ] = False,
) -> None:
    """Explain one code: its message, why it happens, how to fix it, and its FAQ."""
    try:
        entry = CATALOG.get(code)
    except UnknownCodeError:
        raise _fail(f"unknown error code {code!r}; `ledgerbridge errors list` shows every code") from None
    values = _parse_values(value or [])
    if values:
        try:
            rendered = render_entry(entry, values)
        except PlaceholderValueError as exc:
            raise _fail(str(exc)) from None
        variants: tuple[str, ...] = ()
    else:
        fullest = entry.messages[0]
        rendered = render_entry(entry, {name: f"[{name}]" for name in placeholders_of(fullest)})
        variants = tuple(show_placeholders(message) for message in entry.messages[1:])
    if json_output:
        payload = rendered.as_dict() if values else entry.as_dict()
        typer.echo(json.dumps(payload, indent=2))
        return
    _show(rendered, variants)
