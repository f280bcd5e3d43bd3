"""Settings > Workspaces > (workspace) > Accounting: the Intacct connection, its settings, and Sync Now."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any, Final

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from ledgerbridge.domain import (
    DEFAULT_ENDPOINT,
    Action,
    CategoriesFrom,
    CompanyCardAs,
    Connection,
    ConnectionSettings,
    DimensionImport,
    ExportDate,
    IntacctCredentials,
    ReimbursableAs,
    Role,
    StaleEdit,
    SyncRun,
    SyncStatus,
    UserDefinedDimension,
    UserDefinedImport,
)
from ledgerbridge.domain.connection import DEFAULT_DIMENSIONS
from ledgerbridge.store import Connections, NotFound, SyncRuns, Users, Workspaces
from ledgerbridge.web.api.context import utcnow
from ledgerbridge.web.pages.context import (
    FieldErrors,
    Flash,
    PageContext,
    check_text,
    flag_of,
    form_data,
    redirect,
    render,
    text_of,
    workspace_page,
)

log = logging.getLogger(__name__)
router = APIRouter()
BASE: Final = "/workspaces/{workspace_id}/settings/accounting"

CREDENTIAL_FIELDS: Final = (
    ("company_id", "Company ID"),
    ("user_id", "User ID"),
    ("user_password", "User password"),
    ("sender_id", "Web Services sender ID"),
    ("sender_password", "Web Services sender password"),
)
PASSWORDS: Final = frozenset({"user_password", "sender_password"})

LABELS: Final = {
    CategoriesFrom.EXPENSE_TYPES: "Expense types",
    CategoriesFrom.CHART_OF_ACCOUNTS: "Chart of accounts (GL accounts)",
    DimensionImport.TAG: "Tags (per expense)",
    DimensionImport.REPORT_FIELD: "Report field (per report)",
    DimensionImport.EMPLOYEE_DEFAULT: "Employee default",
    DimensionImport.NONE: "Not imported",
    ExportDate.LAST_EXPENSE: "Date of last expense",
    ExportDate.EXPORTED: "Export date",
    ExportDate.SUBMITTED: "Submitted date",
    ReimbursableAs.EXPENSE_REPORT: "Expense reports",
    ReimbursableAs.VENDOR_BILL: "Vendor bills",
    CompanyCardAs.CREDIT_CARD_CHARGE: "Credit card charges",
    CompanyCardAs.VENDOR_BILL: "Vendor bills",
    CompanyCardAs.JOURNAL_ENTRY: "Journal entries",
}


def _options(kind: Any) -> list[tuple[str, str]]:
    return [(member.value, LABELS[member]) for member in kind]


# Loading what the page shows.


@dataclasses.dataclass(frozen=True, slots=True)
class Accounting:
    connection: Connection | None
    settings: ConnectionSettings
    admins: list[tuple[str, str]]
    last_run: SyncRun | None


def _load(page: PageContext) -> Accounting:
    with page.session() as session:
        connections = Connections(session, page.services.box)
        connection = connections.get(page.workspace_id) if page.can(Action.VIEW_CONNECTION) else None
        settings = connections.settings(page.workspace_id)
        users = Users(session)
        admins = [(m.user_id, users.get(m.user_id).name) for m in Workspaces(session).members(page.workspace_id)
                  if m.role is Role.ADMIN]
        history = SyncRuns(session).history(page.workspace_id, limit=1) if page.can(Action.VIEW_SYNC) else []
    return Accounting(connection, settings, admins, history[0] if history else None)


def _show(request: Request, page: PageContext, status: int = 200, **overrides: Any) -> Response:
    found = _load(page)
    values: dict[str, Any] = {
        "connection": found.connection,
        "settings": found.settings,
        "admins": found.admins,
        "run": found.last_run,
        "credential_fields": CREDENTIAL_FIELDS,
        "default_endpoint": DEFAULT_ENDPOINT,
        "connect_values": {"endpoint_url": DEFAULT_ENDPOINT},
        "connect_errors": {},
        "settings_errors": {},
        "settings_values": None,
        "options": {
            "categories_from": _options(CategoriesFrom),
            "dimension": _options(DimensionImport),
            "export_date": _options(ExportDate),
            "reimbursable_as": _options(ReimbursableAs),
            "company_card_as": _options(CompanyCardAs),
        },
        "dimensions": list(DEFAULT_DIMENSIONS),
        "tab": "accounting",
        "tab_label": "Accounting",
    }
    values.update(overrides)
    return render(request, "settings/accounting.html", status=status, **values)


@router.get(BASE, name="accounting")
def accounting(request: Request, page: PageContext = Depends(workspace_page(Action.VIEW_SETTINGS))) -> Response:
    return _show(request, page)


# The connection.


def _credentials_from(form: FormData, errors: FieldErrors, current: IntacctCredentials | None
                      ) -> IntacctCredentials | None:
    """The credentials of the form; on an update, a blank password keeps the stored one."""
    values: dict[str, str] = {}
    for name, label in CREDENTIAL_FIELDS:
        raw = form.get(name, "")
        text = raw if isinstance(raw, str) else ""
        text = text if name in PASSWORDS else text.strip()
        if name in PASSWORDS and not text and current is not None:
            values[name] = getattr(current, name)
            continue
        checked = check_text(errors, name, text, label, max_length=1000 if name in PASSWORDS else 100)
        values[name] = checked or ""
    endpoint = text_of(form, "endpoint_url") or DEFAULT_ENDPOINT
    if not endpoint.startswith(("https://", "http://")) or len(endpoint) > 500 or " " in endpoint:
        errors["endpoint_url"] = "Enter the gateway address as an http(s) URL."
    if errors:
        return None
    return IntacctCredentials(values["sender_id"], values["sender_password"], values["company_id"],
                              values["user_id"], values["user_password"], endpoint)


async def _refusal(credentials: IntacctCredentials, entity: str) -> str | None:
    """Why Intacct refuses the credentials (INT code and message), or None when it accepts them."""
    from ledgerbridge.sync import ConnectionRefused, test_connection

    try:
        await test_connection(credentials, entity)
    except ConnectionRefused as exc:
        return f"Sage Intacct refused the connection ({exc.code}): {exc.message}"
    return None


def _visible(form: FormData) -> dict[str, str]:
    """What the visitor typed, passwords left out, to show the form again."""
    return {name: text_of(form, name) for name, _ in CREDENTIAL_FIELDS if name not in PASSWORDS} | {
        "endpoint_url": text_of(form, "endpoint_url") or DEFAULT_ENDPOINT}


@router.post(BASE + "/connect")
async def connect(request: Request, form: FormData = Depends(form_data),
                  page: PageContext = Depends(workspace_page(Action.CONNECT))) -> Response:
    return await _store_credentials(request, form, page, update=False)


@router.post(BASE + "/credentials")
async def update_credentials(request: Request, form: FormData = Depends(form_data),
                             page: PageContext = Depends(workspace_page(Action.UPDATE_CREDENTIALS))) -> Response:
    return await _store_credentials(request, form, page, update=True)


async def _store_credentials(request: Request, form: FormData, page: PageContext, *, update: bool) -> Response:
    found = await run_in_threadpool(_load, page)
    current = found.connection.credentials if update and found.connection else None
    if update and current is None:
        return redirect(request, page.url("settings", "accounting"),
                        Flash("This workspace is not connected to Sage Intacct any more; connect it first.", "error"))
    errors: FieldErrors = {}
    credentials = _credentials_from(form, errors, current)
    problem = None
    if credentials is not None:
        # No database transaction is open while Intacct answers.
        problem = await _refusal(credentials, found.settings.entity)
    if credentials is None or problem is not None:
        return await run_in_threadpool(lambda: _show(
            request, page, status=422, connect_values=_visible(form), connect_errors=errors,
            connect_problem=problem, connect_form="update" if update else "connect"))

    def store() -> None:
        assert credentials is not None
        with page.session() as session:
            connections = Connections(session, page.services.box)
            if update:
                connections.update_credentials(page.workspace_id, credentials, utcnow())
            else:
                connections.connect(page.workspace_id, credentials, utcnow())

    await run_in_threadpool(store)
    log.info("workspace %s %s Intacct company %s from the web app", page.workspace_id,
             "updated its credentials for" if update else "connected to", credentials.company_id)
    done = "Credentials updated; Sage Intacct accepted them." if update else \
        f"Connected to Sage Intacct company {credentials.company_id}. Run Sync Now to import its records."
    return redirect(request, page.url("settings", "accounting"), Flash(done))


@router.post(BASE + "/disconnect")
def disconnect(request: Request, form: FormData = Depends(form_data),
               page: PageContext = Depends(workspace_page(Action.DISCONNECT))) -> Response:
    forget = flag_of(form, "forget_settings")
    with page.session() as session:
        try:
            Connections(session, page.services.box).disconnect(page.workspace_id, forget_settings=forget)
        except NotFound:
            return redirect(request, page.url("settings", "accounting"),
                            Flash("This workspace was not connected.", "info"))
    message = "Disconnected from Sage Intacct" + ("; the settings were reset." if forget else "; settings kept.")
    return redirect(request, page.url("settings", "accounting"), Flash(message, "info"))


# The import, export and advanced settings.


def _choice(form: FormData, name: str, kind: Any, errors: FieldErrors) -> Any:
    value = text_of(form, name)
    try:
        return kind(value)
    except ValueError:
        errors[name] = "Choose one of the listed options."
        return None


def _user_defined(text: str, errors: FieldErrors) -> tuple[UserDefinedDimension, ...]:
    found: list[UserDefinedDimension] = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if not words:
            continue
        name, how = words[0], words[1] if len(words) > 1 else UserDefinedImport.TAG.value
        if len(words) > 2 or how not in {u.value for u in UserDefinedImport} or len(name) > 100:
            errors["user_defined_dimensions"] = (
                f"Line {number}: write the integration name, then optionally 'tag' or 'report_field'.")
            return ()
        if name.upper() in DEFAULT_DIMENSIONS:
            errors["user_defined_dimensions"] = f"Line {number}: {name} is a standard dimension; set it above."
            return ()
        if any(d.integration_name == name for d in found):
            errors["user_defined_dimensions"] = f"Line {number}: {name} is listed twice."
            return ()
        found.append(UserDefinedDimension(name, UserDefinedImport(how)))
    return tuple(found)


def _settings_from(form: FormData, current: ConnectionSettings, admins: set[str], errors: FieldErrors
                   ) -> ConnectionSettings | None:
    version_text = text_of(form, "version")
    entity = check_text(errors, "entity", text_of(form, "entity"), "entity ID", required=False, max_length=100)
    dimensions = {dim: _choice(form, f"dimension_{dim}", DimensionImport, errors) for dim in DEFAULT_DIMENSIONS}
    exporter = text_of(form, "preferred_exporter") or None
    if exporter is not None and exporter not in admins:
        errors["preferred_exporter"] = "The preferred exporter must be an admin of the workspace."
    vendor = check_text(errors, "default_vendor", text_of(form, "default_vendor"), "vendor ID", required=False,
                        max_length=100)
    card_account = check_text(errors, "default_charge_card_account", text_of(form, "default_charge_card_account"),
                              "charge card account", required=False, max_length=100)
    journal = check_text(errors, "card_journal", text_of(form, "card_journal"), "journal symbol", required=False,
                         max_length=40)
    changes: dict[str, Any] = {
        "entity": entity or "",
        "categories_from": _choice(form, "categories_from", CategoriesFrom, errors),
        "dimensions": dimensions,
        "user_defined_dimensions": _user_defined(text_of(form, "user_defined_dimensions"), errors),
        "tax": flag_of(form, "tax"),
        "preferred_exporter": exporter,
        "export_date": _choice(form, "export_date", ExportDate, errors),
        "reimbursable_as": _choice(form, "reimbursable_as", ReimbursableAs, errors),
        "company_card_as": _choice(form, "company_card_as", CompanyCardAs, errors),
        "default_vendor": vendor,
        "default_charge_card_account": card_account,
        "card_journal": journal,
        "auto_sync": flag_of(form, "auto_sync"),
        "auto_export": flag_of(form, "auto_export"),
    }
    if not version_text.isdigit() or int(version_text) < 1:
        errors["version"] = "The form is incomplete; open the page again."
    if errors:
        return None
    return dataclasses.replace(current, version=int(version_text), **changes)


@router.post(BASE + "/settings")
def save_settings(request: Request, form: FormData = Depends(form_data),
                  page: PageContext = Depends(workspace_page(Action.EDIT_SETTINGS))) -> Response:
    found = _load(page)
    errors: FieldErrors = {}
    edited = _settings_from(form, found.settings, {uid for uid, _ in found.admins}, errors)
    if edited is None:
        return _show(request, page, status=422, settings_errors=errors, settings_values=form)
    try:
        with page.session() as session:
            saved = Connections(session, page.services.box).save_settings(edited, utcnow())
    except StaleEdit:
        return _show(request, page, status=409, settings_problem=(
            "Someone else saved these settings after you opened this page, so your changes were not saved. "
            "The form now shows the current settings; make your change again and save."))
    return redirect(request, page.url("settings", "accounting"), Flash(f"Settings saved (version {saved.version})."))


# Sync Now and its progress.


def _sync_fragment(request: Request, page: PageContext, status: int = 200, problem: str = "") -> Response:
    with page.session() as session:
        history = SyncRuns(session).history(page.workspace_id, limit=1)
        connected = Connections(session, page.services.box).get(page.workspace_id) is not None
    run = history[0] if history else None
    return render(request, "settings/_sync.html", status=status, run=run, connected=connected, problem=problem,
                  running=run is not None and run.status is SyncStatus.RUNNING)


@router.get(BASE + "/sync", name="sync_status")
def sync_status(request: Request, page: PageContext = Depends(workspace_page(Action.VIEW_SYNC))) -> Response:
    """The Sync Now panel: the last run, and while one runs, its progress (htmx polls this)."""
    return _sync_fragment(request, page)


@router.post(BASE + "/sync")
def sync_now(request: Request, page: PageContext = Depends(workspace_page(Action.RUN_SYNC))) -> Response:
    from ledgerbridge.sync import SyncAlreadyRunning

    problem = ""
    try:
        page.services.sync_service().start(page.workspace_id)
    except SyncAlreadyRunning:
        problem = "A sync of this workspace is already running; its progress is shown below."
    except NotFound:
        problem = "Connect this workspace to Sage Intacct before syncing."
    if request.headers.get("HX-Request") == "true":
        return _sync_fragment(request, page, problem=problem)
    flash = Flash(problem, "error") if problem else Flash("Sync started.", "info")
    return redirect(request, page.url("settings", "accounting") + "#sync", flash)
