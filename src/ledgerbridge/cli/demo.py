"""``ledgerbridge demo``: the founding INT860 case, end to end, on the embedded Intacct sandbox."""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Annotated, Any, Final

import typer
from rich.console import Console, Group
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from ledgerbridge.catalog import CATALOG, RenderedError
from ledgerbridge.catalog.model import placeholders_of
from ledgerbridge.catalog.render import render_entry
from ledgerbridge.cli.common import CliError, ExitCode, UsageProblem, cell, guarded, print_json
from ledgerbridge.cli.sync import sync_run_dict
from ledgerbridge.domain import Role, SyncRun, SyncStatus
from ledgerbridge.domain.ids import ReportId
from ledgerbridge.export.deliver_outcome import ExportRun, Outcome, PreflightResult
from ledgerbridge.settings import DATABASE_FILE, AppSettings
from ledgerbridge.store import Database, Reports, SecretBox

FOUNDING_CODE: Final = "INT860"
FOUNDING_ACCOUNT: Final = "6400"
SANDBOX_DIR: Final = "sandbox"
START_TIMEOUT_SECONDS: Final = 30.0

_BAR = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
_OUTCOME_STYLE = {Outcome.EXPORTED: "green", Outcome.ALREADY_EXPORTED: "green", Outcome.FAILED: "red",
                  Outcome.BLOCKED: "red", Outcome.UNCERTAIN: "yellow"}


class DemoFailed(CliError):
    """A step of the walkthrough did not turn out as the founding case goes."""


# The sandbox, served in this process.


class _SandboxServer:
    """The sandbox app on a free loopback port, served by uvicorn in a background thread."""

    def __init__(self, data_dir: Path) -> None:
        import uvicorn

        from ledgerbridge.sandbox.app import create_app, open_store

        self.store = open_store(data_dir, "demo")
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port = int(self._socket.getsockname()[1])
        config = uvicorn.Config(create_app(self.store), log_level="warning", access_log=False,
                                timeout_graceful_shutdown=2)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]},
                                        name="demo-sandbox", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def gateway_url(self) -> str:
        from ledgerbridge.sandbox.context import GATEWAY_PATH

        return f"{self.base_url}{GATEWAY_PATH}"

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise DemoFailed("the embedded Intacct sandbox did not start", "run again with --debug")
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self._socket.close()
        self.store.close()


# The admin's change, made the way an Intacct admin makes it: signed in to the console, on the account's form.


class _FormReader(HTMLParser):
    """The fields a browser would submit with each form of a page, and the page's listed restrictions."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.restrictions: list[str] = []
        self._form: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._in_restrictions = False
        self._item: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = []
        elif tag == "input" and self._form is not None and found.get("name"):
            kind = found.get("type", "text")
            if kind not in ("checkbox", "radio") or "checked" in found:
                self._form.append((found["name"], found.get("value", "")))
        elif tag == "select" and self._form is not None:
            self._select = found.get("name")
        elif tag == "option" and self._form is not None and self._select and "selected" in found:
            self._form.append((self._select, found.get("value", "")))
        elif tag == "ul" and found.get("id") == "restrictions":
            self._in_restrictions = True
        elif tag == "li" and self._in_restrictions:
            self._item = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "ul":
            self._in_restrictions = False
        elif tag == "li" and self._item is not None:
            self.restrictions.append("".join(self._item).strip())
            self._item = None

    def handle_data(self, data: str) -> None:
        if self._item is not None:
            self._item.append(data)


def _read_page(text: str) -> _FormReader:
    reader = _FormReader()
    reader.feed(text)
    reader.close()
    return reader


def _form_with(reader: _FormReader, name: str) -> list[tuple[str, str]]:
    return next((form for form in reader.forms if any(key == name for key, _ in form)), [])


def lift_entity_restriction(console_url: str, account: str, login: tuple[str, str, str]) -> dict[str, Any]:
    """Sign in to the sandbox console as an admin and set the account's owner to the top level (all entities)."""
    import httpx

    company, user, password = login
    with httpx.Client(base_url=console_url, timeout=30) as http:
        token = dict(_form_with(_read_page(http.get("/login").text), "csrf_token")).get("csrf_token", "")
        signed_in = http.post("/login", data={"csrf_token": token, "companyid": company, "userid": user,
                                              "password": password})
        if signed_in.status_code != 303:
            raise DemoFailed(f"the sandbox console refused the admin sign-in (HTTP {signed_in.status_code})")
        page = http.get(f"/accounts/{account}")
        before = _read_page(page.text)
        fields: dict[str, list[str]] = {"MEGAENTITYID": [""]}
        for key, value in _form_with(before, "MEGAENTITYID"):
            if key != "MEGAENTITYID":
                fields.setdefault(key, []).append(value)
        saved = http.post(f"/accounts/{account}", data=fields)
        if saved.status_code != 303:
            raise DemoFailed(f"the sandbox console did not save account {account} (HTTP {saved.status_code})")
        after = _read_page(http.get(f"/accounts/{account}").text)
    return {"account": account, "company_id": company, "by": user, "restrictions_before": before.restrictions,
            "restrictions_after": after.restrictions}


# The walkthrough.


@dataclass
class _Walkthrough:
    """Runs the steps; prints each as it finishes (Rich) or gathers them into one JSON document."""

    console: Console | None
    steps: dict[str, Any] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def heading(self, number: int, title: str) -> None:
        if self.console is not None:
            self.console.print()
            self.console.rule(f"[bold]{number}. {escape(title)}", align="left")

    def show(self, renderable: Any) -> None:
        if self.console is not None:
            self.console.print(renderable)

    @contextmanager
    def bar(self, label: str, total: int | None) -> Iterator[Callable[[int, int | None], None]]:
        """A progress bar that stays on screen once done; a no-op for JSON output."""
        if self.console is None:
            yield lambda done, of: None
            return
        with Progress(*_BAR, console=self.console) as progress:
            task = progress.add_task(label, total=total)

            def advance(done: int, of: int | None) -> None:
                progress.update(task, completed=done, total=of)

            yield advance
            if progress.tasks[0].total is None:
                progress.update(task, total=1, completed=1)


def _sync_table(run: SyncRun, title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("Kind", "Read", "Created", "Updated", "Disabled"):
        table.add_column(column, justify="left" if column == "Kind" else "right")
    for kind, counts in run.counts.items():
        if counts.read or counts.created or counts.updated or counts.disabled:
            table.add_row(kind, str(counts.read), str(counts.created), str(counts.updated), str(counts.disabled))
    return table


def _export_table(run: ExportRun, titles: dict[ReportId, str], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("Report", "Outcome", "Code", "Intacct key"):
        table.add_column(column, overflow="fold")
    for item in run.outcomes:
        outcome = Text(item.outcome.value, style=_OUTCOME_STYLE.get(item.outcome, ""))
        table.add_row(cell(titles.get(item.report_id, item.report_id)), outcome, item.int_code or "",
                      ", ".join(item.intacct_keys))
    return table


def _other_failures(run: ExportRun, titles: dict[ReportId, str], founding: ReportId) -> list[Text]:
    """One line per report, other than the founding one, that did not reach Intacct."""
    return [cell(f"{titles.get(item.report_id, item.report_id)}: {item.message or item.outcome.value}")
            for item in run.outcomes
            if item.report_id != founding and item.outcome not in (Outcome.EXPORTED, Outcome.ALREADY_EXPORTED)]


def _rendered_failure(code: str, preflight: PreflightResult) -> RenderedError:
    """The catalog entry for `code` filled with the values preflight found for the same code."""
    finding = next((f for f in preflight.findings if f.code == code), None)
    if finding is not None:
        return finding.error
    entry = CATALOG.get(code)
    return render_entry(entry, {name: f"[{name}]" for name in placeholders_of(entry.messages[0])})


def _failure_panel(message: str, rendered: RenderedError) -> Panel:
    parts: list[Any] = [Text(message, style="bold red"), Text(""), Text("Why", style="bold underline"),
                        Text(rendered.why), Text(""), Text("How to fix it", style="bold underline")]
    for number, path in enumerate(rendered.fixes, start=1):
        needs = f"Intacct admin: {'yes' if path.needs_intacct_admin else 'no'} · " \
                f"Sync Now: {'yes' if path.needs_sync else 'no'}"
        parts.append(Text(f"{number}. {path.title}" + (" (usual fix)" if number == 1 else ""), style="bold"))
        parts.append(Padding(Text(needs, style="dim"), (0, 0, 0, 3)))
        for index, step in enumerate(path.steps, start=1):
            line = Text(f"{index}. ")
            line.append(f"[{step.place.label}{', admin' if step.needs_intacct_admin else ''}] ", style="cyan")
            line.append(step.text)
            parts.append(Padding(line, (0, 0, 0, 3)))
    return Panel(Group(*parts), title=f"{rendered.code}: {escape(rendered.title)}", title_align="left")


def _preflight_table(result: PreflightResult) -> Table:
    table = Table(title="Preflight findings", title_justify="left")
    for column in ("Code", "Blocks", "Message and what preflight compared"):
        table.add_column(column, overflow="fold")
    for finding in result.findings:
        message = cell(finding.message)
        if finding.detail:
            message.append("\n" + finding.detail, style="dim")
        table.add_row(finding.code, "yes" if finding.blocking else "no", message)
    return table


def _report_titles(database: Database, workspace_id: str, report_ids: tuple[ReportId, ...]) -> dict[ReportId, str]:
    with database.session() as session:
        reports = Reports(session)
        return {report_id: reports.get(workspace_id, report_id).title for report_id in report_ids}


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise DemoFailed(message, "run again with --debug, or report it with the output above")


def _sync_with_bar(walk: _Walkthrough, database: Database, box: SecretBox, workspace_id: str) -> SyncRun:
    from ledgerbridge.sync import SyncService

    with walk.bar("Sync Now", None) as advance:
        return SyncService(database, box).run(
            workspace_id, progress=lambda run: advance(run.progress.kinds_done, run.progress.kinds_total or None))


def _run_steps(walk: _Walkthrough, data_dir: Path, stack: ExitStack) -> None:
    from ledgerbridge.demo import DEMO_PASSWORD, FOUNDING_REPORT_TITLE, create_demo
    from ledgerbridge.demo.workspace import SANDBOX_LOGIN
    from ledgerbridge.export.deliver import ExportService

    walk.heading(1, "Start the Sage Intacct sandbox")
    sandbox = _SandboxServer(data_dir / SANDBOX_DIR)
    stack.callback(sandbox.stop)
    sandbox.start()
    console_url = f"{sandbox.base_url}/console"
    walk.steps["sandbox"] = {"gateway_url": sandbox.gateway_url, "console_url": f"{console_url}/",
                             "company_id": SANDBOX_LOGIN[0], "admin_user": SANDBOX_LOGIN[1]}
    walk.show(f"XML gateway {sandbox.gateway_url}")
    walk.show(f"Admin console {console_url}/ (company {SANDBOX_LOGIN[0]}, admin {SANDBOX_LOGIN[1]})")

    walk.heading(2, "Create the demo workspace and Sync Now")
    settings = AppSettings(data_dir=data_dir, database_url=f"sqlite:///{(data_dir / DATABASE_FILE).resolve()}")
    database = Database(settings.resolved_database_url)
    stack.callback(database.dispose)
    database.migrate()
    box = SecretBox.from_settings(settings)
    with walk.bar("Creating Cedar Ridge and syncing", None):
        demo = create_demo(database, box, sandbox.gateway_url)
    first_sync, founding = demo.sync, demo.founding_report
    if first_sync is None or founding is None or first_sync.status is not SyncStatus.SUCCEEDED:
        raise DemoFailed("the demo workspace's first sync did not succeed",
                         "run again with --debug, or report it with the output above")
    titles = _report_titles(database, demo.workspace_id, demo.reports)
    walk.steps["workspace"] = {
        "id": demo.workspace_id, "name": "Cedar Ridge", "password": DEMO_PASSWORD,
        "users": [{"email": p.email, "name": p.name, "role": p.role.value} for p, _ in demo.users],
        "reports": [{"id": r, "title": titles[r]} for r in demo.reports], "founding_report_id": founding,
        "sync": sync_run_dict(first_sync),
    }
    people = Table(title=f"Cedar Ridge's people (password {DEMO_PASSWORD})", title_justify="left")
    for column in ("Email", "Role", "Name"):
        people.add_column(column)
    for person, _ in demo.users:
        people.add_row(person.email, person.role.value, cell(person.name))
    walk.show(people)
    walk.show(_sync_table(first_sync, "What Sync Now read from Sage Intacct"))

    walk.heading(3, "Export the approved reports to Sage Intacct")
    walk.show("Preflight is off for this first export, so Sage Intacct itself answers.")
    service = ExportService(database, box)
    actor = demo.user(Role.ADMIN)
    approved = service.approved(demo.workspace_id)
    with walk.bar("Exporting", len(approved)) as advance:
        exported = service.export_now(demo.workspace_id, approved, actor, check=False, progress=advance)
    walk.steps["export"] = exported.as_dict()
    walk.show(_export_table(exported, titles, "Export"))
    refused = exported.of(founding)
    _check(refused.outcome is Outcome.FAILED and refused.int_code == FOUNDING_CODE,
           f"the report {FOUNDING_REPORT_TITLE!r} was expected to fail with {FOUNDING_CODE}")
    for line in _other_failures(exported, titles, founding):
        walk.show(line)

    walk.heading(4, f"The failure: {FOUNDING_CODE}, with why and how to fix it")
    checked = service.preflight(demo.workspace_id, founding, actor)
    rendered = _rendered_failure(FOUNDING_CODE, checked)
    walk.steps["failure"] = {"report_id": founding, "int_code": refused.int_code, "message": refused.message,
                             "why": rendered.why, "values": dict(rendered.values),
                             "fixes": [path.as_dict() for path in rendered.fixes]}
    walk.show(_failure_panel(refused.message or rendered.message, rendered))

    walk.heading(5, "Preflight finds it before anything is sent")
    walk.steps["preflight"] = checked.as_dict()
    _check([f.code for f in checked.blocking] == [FOUNDING_CODE], f"preflight did not find {FOUNDING_CODE}")
    walk.show(_preflight_table(checked))
    for suggestion in checked.suggestions:
        walk.show(cell(f"Suggested: {suggestion.title}"))
    walk.show("A default export runs this check first and sends nothing while it finds a problem.")

    walk.heading(6, f"Fix it in Sage Intacct as the admin: GL account {FOUNDING_ACCOUNT}")
    fix = lift_entity_restriction(console_url, FOUNDING_ACCOUNT, SANDBOX_LOGIN)
    walk.steps["fix"] = fix
    _check(not fix["restrictions_after"], f"account {FOUNDING_ACCOUNT} is still restricted")
    walk.show(f"{fix['by']} signed in to company {fix['company_id']}, opened GL account {FOUNDING_ACCOUNT}, "
             f"set its owner to the top level and saved.")
    walk.show(f"Posting restrictions before: {'; '.join(fix['restrictions_before']) or 'none'}; after: none.")

    walk.heading(7, "Sync Now")
    resynced = _sync_with_bar(walk, database, box, demo.workspace_id)
    walk.steps["sync_now"] = sync_run_dict(resynced)
    _check(resynced.status is SyncStatus.SUCCEEDED, "Sync Now did not succeed")
    walk.show(_sync_table(resynced, "What changed in Sage Intacct since the last sync"))

    walk.heading(8, "Open the report and retry the export")
    with walk.bar("Retrying", 1) as advance:
        retried = service.retry_now(demo.workspace_id, [founding], actor, progress=advance)
    walk.steps["retry"] = retried.as_dict()
    walk.show(_export_table(retried, titles, "Retry"))
    done = retried.of(founding)
    _check(done.outcome is Outcome.EXPORTED and bool(done.intacct_keys),
           f"the retry of {FOUNDING_REPORT_TITLE!r} did not export it")
    walk.steps["exported"] = {"report_id": founding, "title": FOUNDING_REPORT_TITLE,
                              "intacct_keys": list(done.intacct_keys)}
    walk.show(Text.assemble(("Exported: ", "bold green"), f"{FOUNDING_REPORT_TITLE!r} is in Sage Intacct, "
                           f"record key {', '.join(done.intacct_keys)}."))


@guarded
def demo(
    json_output: Annotated[bool, typer.Option("--json", help="Print one JSON document with every step's result "
                                                             "(no progress bars or tables).")] = False,
    keep: Annotated[Path | None, typer.Option(
        "--keep", metavar="DIR", help="Keep the demo's database, secret key and sandbox in DIR (new or empty), "
                                      "for `ledgerbridge up --data-dir DIR`; by default they are deleted.")] = None,
) -> None:
    """Walk through the founding case on the built-in Intacct sandbox: sync, export, INT860, fix, retry.

    Runs on its own temporary database and sandbox, whatever LEDGERBRIDGE_DATABASE_URL says, in well
    under a minute. Exits 0 when every step went as described, 1 otherwise.
    """
    if keep is not None and keep.exists() and (not keep.is_dir() or any(keep.iterdir())):
        raise UsageProblem(f"--keep {keep}: not a new or empty directory", "name a directory that does not exist yet")
    walk = _Walkthrough(None if json_output else Console(highlight=False))
    walk.show(Text.assemble(("ledgerbridge demo", "bold"), ": the founding INT860 case on the built-in Intacct "
                           "sandbox"))
    failure: CliError | None = None
    with ExitStack() as stack:
        if keep is None:
            data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ledgerbridge-demo-")))
        else:
            keep.mkdir(parents=True, exist_ok=True)
            data_dir = keep
        try:
            _run_steps(walk, data_dir, stack)
        except DemoFailed as problem:
            failure = problem
    seconds = round(time.monotonic() - walk.started, 1)
    next_command = "ledgerbridge up" + (f" --data-dir {keep}" if keep is not None else "")
    if json_output:
        print_json({"ok": failure is None, "error": None if failure is None else failure.message,
                    "seconds": seconds, "steps": walk.steps, "data_dir": None if keep is None else str(keep),
                    "next": next_command})
        if failure is not None:
            raise typer.Exit(ExitCode.FAILED)
        return
    if failure is not None:
        raise failure
    from ledgerbridge.demo import DEMO_PASSWORD, PEOPLE

    walk.show("")
    walk.show(f"Done in {seconds:.1f} s.")
    if keep is None:
        walk.show(Text.assemble("Next: run ", (next_command, "bold"), " for the web app with the same demo workspace "
                               f"and sandbox; sign in as {PEOPLE[0].email} / {DEMO_PASSWORD}."))
    else:
        walk.show(Text.assemble(f"The demo's data is in {keep.resolve()}. Next: run ", (next_command, "bold"),
                               " to open it in the web app; sign in as "
                               f"{PEOPLE[0].email} / {DEMO_PASSWORD}."))
