"""``ledgerbridge sandbox``: run the local Intacct-compatible gateway."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

app = typer.Typer(help="The Intacct sandbox: a local ledger speaking the Sage Intacct XML gateway.",
                  no_args_is_help=True)
console = Console()

DEFAULT_DATA_DIR = Path(".ledgerbridge") / "sandbox"


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8042, help="Port to listen on."),
    data_dir: Path = typer.Option(DEFAULT_DATA_DIR, help="Where the sandbox keeps its SQLite database."),
    seed: str = typer.Option("demo", help="'demo' for the built-in demo company, or a seed file path."),
) -> None:
    """Start the sandbox gateway; data is seeded on first start and kept across restarts."""
    import uvicorn

    from ledgerbridge.sandbox.app import GATEWAY_PATH, create_app, open_store
    from ledgerbridge.sandbox.seedfile import SeedError, load_seed

    try:
        seed_data = load_seed(seed)
    except (SeedError, OSError) as problem:
        console.print(f"[red]Cannot load seed {seed!r}:[/red] {problem}")
        raise typer.Exit(2) from None
    store = open_store(data_dir, seed)
    console.print(f"Sage Intacct sandbox gateway: [bold]http://{host}:{port}{GATEWAY_PATH}[/bold]")
    console.print(f"Data: {data_dir.resolve()}")
    for sender in seed_data.senders:
        companies = ", ".join(sender.authorized_companies) or "no company"
        console.print(f"Sender ID {sender.senderid} / {sender.password} (authorized for {companies})")
    for company in seed_data.companies:
        for user in company.users:
            role = ("admin" if user.admin else "not admin") + ("" if user.status == "active" else ", inactive")
            console.print(f"Company {company.companyid}: user {user.userid} / {user.password} ({role})")
    uvicorn.run(create_app(store), host=host, port=port, log_level="warning")
