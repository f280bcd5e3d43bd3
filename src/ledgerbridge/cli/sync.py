"""``ledgerbridge sync``: Sync Now from the command line, with a progress bar and a summary."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from ledgerbridge.cli import lookup
from ledgerbridge.cli.common import (
    CliError,
    ExitCode,
    UsageProblem,
    cell,
    guarded,
    iso,
    opened_database,
    print_json,
    printable,
)
from ledgerbridge.deployment import client_options
from ledgerbridge.domain import SyncRun, SyncStatus, SyncTrigger
from ledgerbridge.settings import AppSettings
from ledgerbridge.store import SecretBox


def sync_run_dict(run: SyncRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "workspace_id": run.workspace_id,
        "status": run.status.value,
        "trigger": run.trigger.value,
        "started_at": iso(run.started_at),
        "finished_at": iso(run.finished_at),
        "counts": {kind: {"read": c.read, "created": c.created, "updated": c.updated, "disabled": c.disabled}
                   for kind, c in run.counts.items()},
        "progress": {"kinds_done": run.progress.kinds_done, "kinds_total": run.progress.kinds_total,
                     "rows_read": run.progress.rows_read},
        "errors": [{"int_code": e.int_code, "message": e.message, "intacct_error": e.intacct_error, "kind": e.kind}
                   for e in run.errors],
    }


class _ProgressBar:
    """Feeds the run's progress reports into a Rich progress bar (on stderr, so stdout stays clean)."""

    def __init__(self, progress: Progress, label: str) -> None:
        self.progress = progress
        self.label = label
        self.task: TaskID = progress.add_task(label, total=None)

    def __call__(self, run: SyncRun) -> None:
        done = run.progress
        self.progress.update(
            self.task,
            total=done.kinds_total or None,
            completed=done.kinds_done,
            description=f"{self.label}: {done.rows_read:,} rows read",
        )


def _print_summary(console: Console, run: SyncRun, workspace_name: str) -> None:
    if run.counts:
        table = Table(title=f"Sync Now: {escape(printable(workspace_name))}")
        for column in ("Kind", "Read", "Created", "Updated", "Disabled"):
            table.add_column(column, justify="left" if column == "Kind" else "right")
        for kind, counts in run.counts.items():
            table.add_row(kind, str(counts.read), str(counts.created), str(counts.updated), str(counts.disabled))
        console.print(table)
    if run.errors:
        errors = Table(title="Errors")
        for column in ("Code", "Kind", "Message", "Intacct said"):
            errors.add_column(column)
        for error in run.errors:
            errors.add_row(error.int_code, error.kind or "", cell(error.message), cell(error.intacct_error))
        console.print(errors)
    took = ""
    if run.finished_at is not None:
        took = f" in {(run.finished_at - run.started_at).total_seconds():.1f} s"
    console.print(f"Sync {run.status.value}{took} (run {run.id}).")


@guarded
def sync(
    workspace: Annotated[str, typer.Option("--workspace", "-w", help="Workspace id or unique name.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the finished run as JSON (no progress bar).")]
    = False,
) -> None:
    """Sync Now: pull accounts, cards, expense types, employees, vendors, dimensions and periods from Intacct.

    Exits 0 when the run succeeded and 1 when it failed; the errors are listed with their INT codes.
    """
    from ledgerbridge.sync import SyncAlreadyRunning, SyncService

    box = SecretBox.from_settings()
    with opened_database() as database:
        with database.session() as session:
            space = lookup.workspace(session, workspace)
            connected = lookup.is_connected(session, space.id)
        if not connected:
            raise UsageProblem(f"workspace {space.name!r} is not connected to Sage Intacct",
                               f"run `ledgerbridge connection set --workspace {space.id} ...` first")
        service = SyncService(database, box, client_options=client_options(AppSettings()))
        try:
            if json_output:
                run = service.run(space.id, SyncTrigger.MANUAL)
            else:
                columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
                with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
                    run = service.run(space.id, SyncTrigger.MANUAL, progress=_ProgressBar(progress, "Syncing"))
        except SyncAlreadyRunning as busy:
            raise CliError(str(busy), "wait for it to finish, then run the command again") from None
    if json_output:
        print_json(sync_run_dict(run))
    else:
        _print_summary(Console(), run, space.name)
    if run.status is not SyncStatus.SUCCEEDED:
        raise typer.Exit(ExitCode.FAILED)

