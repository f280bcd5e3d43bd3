"""Intacct's posting rules: what makes a document refuse to post, with Intacct-style error texts.

All problems of a document are gathered and reported together, most specific first, as Intacct does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ledgerbridge.sandbox.context import Ctx
from ledgerbridge.sandbox.errors import GatewayFailure, IntacctError, business
from ledgerbridge.sandbox.store import Fields
from ledgerbridge.sandbox.values import format_date, is_true

if TYPE_CHECKING:
    from ledgerbridge.sandbox.posting import Document, Line

SUBLEDGER_NAMES = {"CM": "Cash Management", "AP": "Accounts Payable", "EE": "Time & Expenses", "GL": "General Ledger"}
_DIMENSION_OBJECTS = {
    "LOCATIONID": ("LOCATION", "Location"), "DEPARTMENTID": ("DEPARTMENT", "Department"),
    "PROJECTID": ("PROJECT", "Project"), "CUSTOMERID": ("CUSTOMER", "Customer"),
    "VENDORID": ("VENDOR", "Vendor"), "EMPLOYEEID": ("EMPLOYEE", "Employee"), "CLASSID": ("CLASS", "Class"),
}
_REQUIRED = {
    "REQUIREDEPT": ("DEPARTMENTID", "Department"), "REQUIRELOC": ("LOCATIONID", "Location"),
    "REQUIREPROJECT": ("PROJECTID", "Project"), "REQUIRECUSTOMER": ("CUSTOMERID", "Customer"),
    "REQUIREVENDOR": ("VENDORID", "Vendor"), "REQUIREEMPLOYEE": ("EMPLOYEEID", "Employee"),
    "REQUIRECLASS": ("CLASSID", "Class"),
}
_INVALID_TEXT = {
    "LOCATION": "The location '{v}' is invalid.",
    "DEPARTMENT": "Invalid Department {v} selected",
    "PROJECT": "Invalid Project '{v}' specified.",
    "CUSTOMER": "Customer '{v}' specified is not valid.",
    "VENDOR": "Invalid Vendor '{v}' specified.",
    "EMPLOYEE": "The employee '{v}' is invalid.",
    "CLASS": "Invalid Class '{v}' specified.",
}


def visible_to(ctx: Ctx, record: Mapping[str, Any]) -> bool:
    owner = str(record.get("MEGAENTITYID") or "")
    return not ctx.entity or not owner or owner == ctx.entity


def entities(ctx: Ctx) -> set[str]:
    if "entities" not in ctx.memo:
        ctx.memo["entities"] = {str(r["LOCATIONID"]) for r in ctx.store.records(ctx.companyid, "LOCATIONENTITY")}
    found: set[str] = ctx.memo["entities"]
    return found


def card_offsets(ctx: Ctx) -> dict[str, str]:
    """Credit-card offset account -> the card it belongs to."""
    if "card_offsets" not in ctx.memo:
        ctx.memo["card_offsets"] = {
            str(card["OFFSETGLACCOUNTNO"]): str(card["CARDID"])
            for card in ctx.store.records(ctx.companyid, "CREDITCARD") if card.get("OFFSETGLACCOUNTNO")
        }
    offsets: dict[str, str] = ctx.memo["card_offsets"]
    return offsets


# Closed books and dimension relationships change only through the console, never while a request
# holds the store's lock, so one request reads each of them once.

def _closed_through(ctx: Ctx, entity: str) -> str | None:
    known: dict[str, str | None] = ctx.memo.setdefault("closed_through", {})
    if entity not in known:
        known[entity] = ctx.store.closed_through(ctx.companyid, entity)
    return known[entity]


def _subledger_closed(ctx: Ctx, entity: str, subledger: str) -> bool:
    known: dict[tuple[str, str], bool] = ctx.memo.setdefault("subledger_closed", {})
    if (entity, subledger) not in known:
        known[(entity, subledger)] = ctx.store.subledger_closed(ctx.companyid, entity, subledger)
    return known[(entity, subledger)]


def _related_values(ctx: Ctx, accountno: str) -> dict[str, set[str]]:
    known: dict[str, dict[str, set[str]]] = ctx.memo.setdefault("related_values", {})
    if accountno not in known:
        known[accountno] = ctx.store.related_values(ctx.companyid, accountno)
    return known[accountno]


def entity_of_location(ctx: Ctx, locationid: str) -> str:
    """Walk up the location tree to the entity that owns it ('' for a location outside any entity)."""
    owners: dict[str, str] = ctx.memo.setdefault("location_entity", {})
    if locationid not in owners:
        owners[locationid] = _walk_to_entity(ctx, locationid)
    return owners[locationid]


def _walk_to_entity(ctx: Ctx, locationid: str) -> str:
    known = entities(ctx)
    seen: set[str] = set()
    current: str = locationid
    while current and current not in seen:
        if current in known:
            return current
        seen.add(current)
        record = ctx.store.record_by_key(ctx.companyid, "LOCATION", current)
        if record is None:
            return ""
        current = str(record.get("ENTITY") or record.get("PARENTID") or "")
    return ""


def entity_of_line(ctx: Ctx, dims: Mapping[str, str]) -> str:
    location = dims.get("LOCATIONID", "")
    return entity_of_location(ctx, location) if location else ctx.entity


def check_document(ctx: Ctx, doc: Document) -> None:
    problems: list[IntacctError] = []
    if doc.doctype == "GLBATCH":
        problems += _journal_problems(ctx, doc.journal)
    problems += _check_parties(ctx, doc)
    multi_entity = bool(entities(ctx))
    line_entities: set[str] = set()
    for line in doc.lines:
        problems += _check_line(ctx, doc, line, multi_entity)
        line_entities.add(entity_of_line(ctx, line.dims))
    if doc.post:
        problems += _period_problems(ctx, line_entities or {ctx.entity}, doc.when)
        problems += _subledger_problems(ctx, doc, line_entities or {ctx.entity})
    if problems:
        raise GatewayFailure(*problems)


def check_period(ctx: Ctx, line_entities: Iterable[str], when: date) -> None:
    problems = _period_problems(ctx, set(line_entities), when)
    if problems:
        raise GatewayFailure(*problems)


def _period_problems(ctx: Ctx, line_entities: set[str], when: date) -> list[IntacctError]:
    problems = []
    for entity in sorted(line_entities | {""}):
        through = _closed_through(ctx, entity)
        if through and when <= date.fromisoformat(through):
            closed = date.fromisoformat(through)
            opens = date.fromordinal(closed.toordinal() + 1)
            where = f"entity '{entity}'" if entity else "the company"
            problems.append(business(
                f"The transaction date {format_date(when)} is in a closed period: the books of {where} are "
                f"closed through {format_date(closed)}. Date must be on or after {opens.strftime('%m/%d/%y')}",
                "Use a date in an open period, or reopen the period.",
            ))
    return problems


def _subledger_problems(ctx: Ctx, doc: Document, line_entities: set[str]) -> list[IntacctError]:
    problems = []
    for entity in sorted(line_entities | {""}):
        if doc.subledger and _subledger_closed(ctx, entity, doc.subledger):
            where = f"entity '{entity}'" if entity else "the company"
            problems.append(business(
                f"The {SUBLEDGER_NAMES[doc.subledger]} subledger is closed for {where}; "
                f"no transactions can be posted to it.",
                "Open the subledger, then try again.",
            ))
    return problems


def _journal_problems(ctx: Ctx, symbol: str) -> list[IntacctError]:
    """A journal entry posts to an existing, active journal (GLJOURNAL), named by its symbol."""
    journal = ctx.store.record_by_key(ctx.companyid, "GLJOURNAL", symbol)
    if journal is None:
        return [business(f"Invalid Journal '{symbol}' specified.", "Enter the symbol of an existing journal.")]
    if journal.get("STATUS") == "inactive":
        return [business(f"Invalid Journal '{symbol}' specified. The journal is inactive.",
                         f"Activate the journal {symbol} or use another journal.")]
    return []


def _check_parties(ctx: Ctx, doc: Document) -> list[IntacctError]:
    problems: list[IntacctError] = []
    card = doc.card
    if card is not None:
        cardid = card["CARDID"]
        if card.get("STATUS") == "inactive":
            problems.append(business(f"The charge card account {cardid} is inactive.",
                                     "Activate the charge card account, then try again."))
        if _card_expired(card, doc.when):
            problems.append(business(
                f"The charge card account {cardid} expired in {card.get('EXP_MONTH')} {card.get('EXP_YEAR')}.",
                "Update the card's expiration date, then try again.",
            ))
        card_currency = str(card.get("CURRENCY") or ctx.company.basecurrency)
        if not ctx.entity and (card_currency != ctx.company.basecurrency or doc.currency != card_currency):
            problems.append(business(
                f"Multi-currency charge card transactions can't be recorded at the top level "
                f"(card {cardid} is in {card_currency}).",
                "Sign in to the entity that owns the card and record the transaction there.",
            ))
    employee = doc.employee
    if employee is not None:
        if employee.get("STATUS") == "inactive":
            problems.append(business(f"The employee '{employee['EMPLOYEEID']}' is inactive.",
                                     "Activate the employee, then try again."))
        start = _parse(employee.get("STARTDATE"))
        if start and doc.when < start:
            problems.append(business(
                f"Cannot create expense before employee joining date {format_date(start)}"))
        if doc.post and sum(line.amount for line in doc.lines) < 0:
            problems.append(business("The total of an expense report can't be negative.",
                                     "Adjust the lines so that the report total is zero or more."))
    vendorid = str(doc.header.get("VENDORID") or "")
    if doc.doctype == "APBILL" and vendorid:
        vendor = ctx.store.record_by_key(ctx.companyid, "VENDOR", vendorid)
        if vendor is None or not visible_to(ctx, vendor):
            problems.append(business(f"Vendor '{vendorid}' specified is not valid."))
        elif vendor.get("STATUS") == "inactive":
            problems.append(business(f"Vendor '{vendorid}' specified is not valid.",
                                     f"Activate the vendor {vendorid}, then try again."))
        elif is_true(vendor.get("ONHOLD")):
            problems.append(business(f"The vendor '{vendorid}' is on hold.",
                                     "Take the vendor off hold, then try again."))
    return problems


def _check_line(ctx: Ctx, doc: Document, line: Line, multi_entity: bool) -> list[IntacctError]:
    problems: list[IntacctError] = []
    location = line.dims.get("LOCATIONID", "")
    if multi_entity and not location and not ctx.entity:
        problems.append(business(
            "Use of empty Location is invalid. A valid Multi-Entity Location must be specified."))
    if location and ctx.entity and entity_of_location(ctx, location) not in {ctx.entity, ""}:
        problems.append(business(f"The location '{location}' is invalid."))
    for field, value in line.dims.items():
        if not value or field not in _DIMENSION_OBJECTS:
            continue
        obj, label = _DIMENSION_OBJECTS[field]
        found = ctx.store.record_by_key(ctx.companyid, obj, value)
        if found is None or not visible_to(ctx, found):
            problems.append(business(_INVALID_TEXT[obj].format(v=value)))
        elif found.get("STATUS") == "inactive":
            problems.append(business(f"{label} '{value}' is inactive.", f"Activate {label.lower()} {value}."))
    problems += _project_problems(ctx, doc, line)
    problems += _account_problems(ctx, doc, line)
    return problems


def _project_problems(ctx: Ctx, doc: Document, line: Line) -> list[IntacctError]:
    projectid = line.dims.get("PROJECTID", "")
    project = ctx.store.record_by_key(ctx.companyid, "PROJECT", projectid) if projectid else None
    if project is None:
        return []
    problems = []
    customer = line.dims.get("CUSTOMERID", "")
    if customer and project.get("CUSTOMERID") and customer != project.get("CUSTOMERID"):
        problems.append(business(
            f"Customer '{customer}' specified is not valid. The project '{projectid}' belongs to customer "
            f"'{project.get('CUSTOMERID')}'."))
    resources = project.get("RESOURCES")
    if isinstance(resources, str):
        # A generic update writes the resources as one comma-separated value.
        resources = [r.strip() for r in resources.split(",") if r.strip()]
    employee = line.dims.get("EMPLOYEEID") or (doc.employee or {}).get("EMPLOYEEID", "")
    if isinstance(resources, list) and resources and employee and employee not in resources:
        problems.append(business(f"The employee is not a resource of the project '{projectid}'."))
    return problems


def _account_problems(ctx: Ctx, doc: Document, line: Line) -> list[IntacctError]:
    accountno = line.accountno
    account = ctx.store.record_by_key(ctx.companyid, "GLACCOUNT", accountno)
    if account is None:
        return [business(f"Account {accountno} is not valid")]
    title = account.get("TITLE", "")
    problems = []
    owner = str(account.get("MEGAENTITYID") or "")
    entity = entity_of_line(ctx, line.dims)
    if owner and owner != entity:
        problems.append(business(
            f"The specified GL account '{accountno}' : '{title}' is not valid. GL account is restricted by "
            f"entity '{owner}'.",
            "Use an account available to this entity, or remove the restriction on the account.",
        ))
    if account.get("STATUS") == "inactive":
        problems.append(business(f"GL account '{accountno}': '{title}' specified is not valid. "
                                 "GL account is restricted because it is inactive.",
                                 "Activate the account or use another one."))
    for dimension, field in (("LOCATION", "LOCATIONID"), ("DEPARTMENT", "DEPARTMENTID")):
        allowed = _related_values(ctx, accountno).get(dimension)
        value = line.dims.get(field, "")
        if allowed and value not in allowed:
            label = dimension.title()
            problems.append(business(
                f"GL account '{accountno}': '{title}' specified is not valid. GL account is restricted by "
                f"{label}.",
                f"Use a {label.lower()} related to the account: {', '.join(sorted(allowed))}.",
            ))
            if value:
                problems.append(business(
                    f"{label} '{value}' specified is not valid. {label} is restricted by GL account."))
    # Subledger documents post the card's offset themselves; a journal entry may move the liability
    # (paying the card down, reclassifying), so only subledger lines are refused.
    if accountno in card_offsets(ctx) and doc.doctype != "GLBATCH":
        problems.append(business(
            f"The account number {accountno} is associated to the Credit Card {card_offsets(ctx)[accountno]}.",
            "Use an expense account on the line; the card's offset account is posted automatically.",
        ))
    if doc.doctype == "GLBATCH" and is_true(account.get("SUBLEDGERCONTROLON")):
        problems.append(business(
            f"Direct posting to GL account '{accountno}': '{title}' is disallowed; it only takes postings "
            "from subledgers.", "Post through the subledger, or allow direct posting on the account."))
    for flag, (field, label) in _REQUIRED.items():
        if is_true(account.get(flag)) and not _dimension_value(doc, line, field):
            problems.append(business(f"This transaction is missing the {label} dimension for the Account "
                                     f"{accountno}"))
    return problems


def _dimension_value(doc: Document, line: Line, field: str) -> str:
    """A line's value for a dimension; an expense report's employee and a bill's vendor hold for every line."""
    value = line.dims.get(field, "")
    if not value and field == "EMPLOYEEID" and doc.employee is not None:
        value = str(doc.employee.get("EMPLOYEEID") or "")
    if not value and field == "VENDORID" and doc.doctype == "APBILL":
        value = str(doc.header.get("VENDORID") or "")
    return value


def _card_expired(card: Fields, when: date) -> bool:
    year = str(card.get("EXP_YEAR") or "")
    month_name = str(card.get("EXP_MONTH") or "")
    if not year.isdigit():
        return False
    try:
        month = datetime.strptime(month_name[:3], "%b").month if month_name else 12
    except ValueError:
        month = 12
    return (when.year, when.month) > (int(year), month)


def _parse(value: object) -> date | None:
    try:
        return datetime.strptime(str(value), "%m/%d/%Y").date() if value else None
    except ValueError:
        return None
