"""``ledgerbridge up``: the web app, the embedded Intacct sandbox and the job runner, in one process."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import signal
from collections.abc import Generator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Final

import typer
import uvicorn
from rich.console import Console

from ledgerbridge.settings import DATABASE_FILE, AppSettings

if TYPE_CHECKING:
    from ledgerbridge.store import Database, SecretBox

console = Console(soft_wrap=True)
log = logging.getLogger(__name__)

SANDBOX_ADMIN: Final = ("xml_gateway", "sandbox")
SANDBOX_CLERK: Final = ("clerk", "sandbox")


class _Server(uvicorn.Server):
    """A uvicorn server that leaves signals to `up`, which stops both servers together."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def _reachable(host: str) -> str:
    """The host to put in URLs: a wildcard listen address is reached on the loopback."""
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104 - compared, not bound


def up(
    host: str = typer.Option("127.0.0.1", help="Interface the web app and the sandbox listen on."),
    port: int = typer.Option(8000, help="Port of the web app."),
    sandbox_port: int = typer.Option(8042, help="Port of the embedded Intacct sandbox (gateway and console)."),
    data_dir: Path = typer.Option(Path(".ledgerbridge"), help="SQLite database, secret key and sandbox data."),
) -> None:
    """Serve the web app with the embedded sandbox; the first start creates the demo workspace."""
    from ledgerbridge.cli.common import fail

    if port == sandbox_port:
        raise fail("--port and --sandbox-port must differ", None, 2)
    try:
        asyncio.run(_serve(host, port, sandbox_port, data_dir))
    except OSError as exc:
        raise fail(f"cannot start: {exc.strerror or exc}", "is another process using the port?", 3) from None


async def _serve(host: str, port: int, sandbox_port: int, data_dir: Path) -> None:
    from ledgerbridge.jobs import InProcessRunner
    from ledgerbridge.sandbox.app import create_app as create_sandbox
    from ledgerbridge.sandbox.app import open_store
    from ledgerbridge.sandbox.context import GATEWAY_PATH
    from ledgerbridge.store import Database, SecretBox
    from ledgerbridge.web import create_app

    data_dir.mkdir(parents=True, exist_ok=True)
    # One laptop process: SQLite in the data dir, whatever database the environment may name.
    settings = AppSettings(data_dir=data_dir, database_url=f"sqlite:///{(data_dir / DATABASE_FILE).resolve()}")
    database = Database(settings.resolved_database_url)
    box = SecretBox.from_settings(settings)
    await asyncio.to_thread(database.migrate)

    store = await asyncio.to_thread(open_store, data_dir / "sandbox", "demo")
    reach = _reachable(host)
    gateway_url = f"http://{reach}:{sandbox_port}{GATEWAY_PATH}"
    sandbox = _Server(uvicorn.Config(create_sandbox(store), host=host, port=sandbox_port, log_level="warning",
                                     timeout_graceful_shutdown=2))
    runner = InProcessRunner()
    web = _Server(uvicorn.Config(create_app(settings, database=database, box=box, runner=runner), host=host,
                                 port=port, log_level="warning", timeout_graceful_shutdown=2))

    def stop(sig: int, frame: FrameType | None) -> None:
        for server in (web, sandbox):
            server.force_exit = server.should_exit
            server.should_exit = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    sandbox_task = asyncio.create_task(sandbox.serve())
    try:
        while not sandbox.started:
            if sandbox_task.done():
                sandbox_task.result()  # the sandbox could not start: its error ends `up`
                return
            await asyncio.sleep(0.05)
        people = await asyncio.to_thread(_demo, database, box, gateway_url)
        web_task = asyncio.create_task(web.serve())
        while not web.started:
            if web_task.done():
                web_task.result()
                return
            await asyncio.sleep(0.05)
        _announce(f"http://{reach}:{port}", f"http://{reach}:{sandbox_port}", gateway_url, data_dir, people)
        await asyncio.gather(web_task, sandbox_task)
    finally:
        web.should_exit = sandbox.should_exit = True
        runner.shutdown(wait=False)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        database.dispose()
        store.close()


def _demo(database: Database, box: SecretBox, gateway_url: str) -> list[tuple[str, str, str]]:
    """Create the demo workspace once; later starts point its connection at this run's sandbox port."""
    from ledgerbridge.demo import PEOPLE, create_demo, find_demo, sandbox_credentials
    from ledgerbridge.store import Connections
    from ledgerbridge.web.api.context import utcnow

    found = find_demo(database)
    if found is None:
        console.print("First start: creating the demo workspace Cedar Ridge and syncing it with the sandbox ...")
        demo = create_demo(database, box, gateway_url)
        if demo.sync is not None and demo.sync.errors:
            console.print(f"[yellow]The demo sync reported {len(demo.sync.errors)} error(s); "
                          "open Settings > Accounting to see them.[/yellow]")
    else:
        with database.session() as session:
            connections = Connections(session, box)
            connection = connections.get(found)
            demo_sender = sandbox_credentials(gateway_url).sender_id
            if connection is not None and connection.credentials.sender_id == demo_sender \
                    and connection.credentials.endpoint_url != gateway_url:
                moved = dataclasses.replace(connection.credentials, endpoint_url=gateway_url)
                connections.update_credentials(found, moved, utcnow())
    return [(p.email, p.role.value, p.name) for p in PEOPLE]


def _announce(app_url: str, sandbox_url: str, gateway_url: str, data_dir: Path,
              people: list[tuple[str, str, str]]) -> None:
    from ledgerbridge.demo import DEMO_PASSWORD

    console.print(f"Web app: [bold]{app_url}/[/bold]")
    console.print(f"Sage Intacct sandbox console: [bold]{sandbox_url}/console/[/bold] (gateway {gateway_url})")
    console.print(f"Data: {data_dir.resolve()}")
    console.print(f"Demo users (password [bold]{DEMO_PASSWORD}[/bold]):")
    for email, role, name in people:
        console.print(f"  {email:<36} {role:<9} {name}", highlight=False)
    admin, clerk = " / ".join(SANDBOX_ADMIN), " / ".join(SANDBOX_CLERK)
    console.print(f"Sandbox console sign-in, company DEMO: {admin} (admin), {clerk} (not admin)")
    console.print("ledgerbridge is ready. Press Ctrl+C to stop.", highlight=False)
