"""``ledgerbridge sandbox``: run the local Intacct-compatible gateway."""

from __future__ import annotations

import logging
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
    latency_ms: int = typer.Option(
        0, min=0, help="Each gateway request takes at least this many milliseconds (processing included)."),
    jitter_ms: int = typer.Option(0, min=0, help="Random +/- milliseconds around --latency-ms."),
    max_concurrency: int | None = typer.Option(
        None, min=1, help="Requests in flight per company; more get HTTP 429 with GW-0010."),
    faults: str = typer.Option(
        "", help="Fault probabilities, e.g. 'drop=0.02,lost=0.05,503=0.01,524=0.01,slow=0.01'. "
                 "drop: connection dropped before processing; lost: committed, response lost; "
                 "503: refused before processing; 524: committed, then HTTP 524; "
                 "slow: committed, response held back --slow-ms."),
    fault_seed: int | None = typer.Option(None, help="Seed for the fault and jitter draws (repeatable runs)."),
    slow_ms: int = typer.Option(30_000, min=0, help="How long a 'slow' fault holds the response."),
) -> None:
    """Start the sandbox gateway; data is seeded on first start and kept across restarts."""
    import uvicorn

    from ledgerbridge.cli.common import ExitCode, fail
    from ledgerbridge.sandbox.app import create_app, open_store
    from ledgerbridge.sandbox.context import GATEWAY_PATH
    from ledgerbridge.sandbox.knobs import KnobError, Knobs, parse_faults
    from ledgerbridge.sandbox.seedfile import SeedError, load_seed

    try:
        knobs = Knobs(latency_ms, jitter_ms, max_concurrency, parse_faults(faults), fault_seed, slow_ms)
    except KnobError as problem:
        raise fail(f"--faults: {problem}", "e.g. --faults 'drop=0.02,lost=0.05,503=0.01'", ExitCode.USAGE) from None

    try:
        seed_data = load_seed(seed)
    except (SeedError, OSError) as problem:
        detail = " ".join(str(problem).split())
        raise fail(f"cannot load seed {seed!r}: {detail}",
                   "use --seed demo (built in) or the path of a seed file (format in docs/sandbox.md)",
                   ExitCode.USAGE) from None
    store = open_store(data_dir, seed)
    console.print(f"Sage Intacct sandbox gateway: [bold]http://{host}:{port}{GATEWAY_PATH}[/bold]")
    console.print(f"Admin console: [bold]http://{host}:{port}/console/[/bold]")
    console.print(f"Data: {data_dir.resolve()}")
    for sender in seed_data.senders:
        companies = ", ".join(sender.authorized_companies) or "no company"
        console.print(f"Sender ID {sender.senderid} / {sender.password} (authorized for {companies})")
    for company in seed_data.companies:
        for user in company.users:
            role = ("admin" if user.admin else "not admin") + ("" if user.status == "active" else ", inactive")
            console.print(f"Company {company.companyid}: user {user.userid} / {user.password} ({role})")
    if latency_ms or max_concurrency or faults:
        console.print(f"Knobs: latency {latency_ms} ms (+/- {jitter_ms}), max concurrency "
                      f"{max_concurrency or 'unlimited'} per company, faults {faults or 'none'}")
    logging.getLogger("uvicorn.error").addFilter(_quiet_injected_drops)
    uvicorn.run(create_app(store, knobs=knobs), host=host, port=port, log_level="warning",
                timeout_graceful_shutdown=2)


def _quiet_injected_drops(record: logging.LogRecord) -> bool:
    """Connections dropped on purpose by a fault knob are not server errors."""
    from ledgerbridge.sandbox.app import ConnectionDropped

    return not (record.exc_info and isinstance(record.exc_info[1], ConnectionDropped))
