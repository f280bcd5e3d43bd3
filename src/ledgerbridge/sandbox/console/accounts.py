"""Chart of Accounts and the GL account record with its posting restrictions."""

from __future__ import annotations

from starlette.responses import Response

from ledgerbridge.sandbox.console.audit import difference, record_event
from ledgerbridge.sandbox.console.records import STATUSES, choice, entities, entity_name, flag, matches, save_record
from ledgerbridge.sandbox.console.web import Visit, version_of
from ledgerbridge.sandbox.store import Fields

REQUIRED_DIMENSIONS = (
    ("REQUIREDEPT", "Department"), ("REQUIRELOC", "Location"), ("REQUIREPROJECT", "Project"),
    ("REQUIRECUSTOMER", "Customer"), ("REQUIREVENDOR", "Vendor"), ("REQUIREEMPLOYEE", "Employee"),
    ("REQUIRECLASS", "Class"),
)
# Dimension relationships the console edits; others found in the store are kept and shown.
EDITABLE_DIMENSIONS = (("LOCATION", "LOCATION", "LOCATIONID", "NAME"),
                       ("DEPARTMENT", "DEPARTMENT", "DEPARTMENTID", "TITLE"))


def restrictions(account: Fields, related: dict[str, set[str]]) -> list[str]:
    """What limits postings to the account, in a few words each."""
    found = []
    if account.get("MEGAENTITYID"):
        found.append(f"Entity {account['MEGAENTITYID']} only")
    for dimension, values in sorted(related.items()):
        found.append(f"{dimension.title()}: {', '.join(sorted(values))}")
    if account.get("STATUS") == "inactive":
        found.append("Inactive")
    if account.get("SUBLEDGERCONTROLON") == "true":
        found.append("Direct posting disallowed")
    required = [label for name, label in REQUIRED_DIMENSIONS if account.get(name) == "true"]
    if required:
        found.append("Requires " + ", ".join(label.lower() for label in required))
    return found


def chart_of_accounts(visit: Visit) -> Response:
    search, status = visit.param("q"), visit.param("status")
    rows = []
    for account in visit.store.records(visit.companyid, "GLACCOUNT"):
        related = visit.store.related_values(visit.companyid, str(account["ACCOUNTNO"]))
        summary = restrictions(account, related)
        if not matches(search, account.get("ACCOUNTNO"), account.get("TITLE")):
            continue
        if status in STATUSES and account.get("STATUS") != status:
            continue
        if status == "restricted" and not summary:
            continue
        rows.append({"account": account, "restrictions": summary})
    return visit.render("accounts.html", rows=rows, search=search, status_filter=status)


def _usage(visit: Visit, accountno: str) -> list[str]:
    """Where the account is used, which is what an INT860 message points back to."""
    uses = [f"Expense type {label['ACCOUNTLABEL']}" for label in visit.store.records(visit.companyid, "EEACCOUNTLABEL")
            if label.get("GLACCOUNTNO") == accountno]
    cards = visit.store.records(visit.companyid, "CREDITCARD")
    uses += [f"Credit card offset account of {card['CARDID']}" for card in cards
             if card.get("OFFSETGLACCOUNTNO") == accountno]
    return uses


def _choices(visit: Visit) -> dict[str, list[tuple[str, str]]]:
    options = {}
    for dimension, obj, id_field, name_field in EDITABLE_DIMENSIONS:
        options[dimension] = [(str(r[id_field]), str(r.get(name_field, "")))
                              for r in visit.store.records(visit.companyid, obj)]
    return options


def account_page(visit: Visit, problems: list[str] | None = None, status: int = 200) -> Response:
    accountno = visit.request.path_params["accountno"]
    account = visit.store.record_by_key(visit.companyid, "GLACCOUNT", accountno)
    if account is None:
        return visit.refuse(404, "Account not found", f"There is no GL account {accountno} in this company.",
                            back=visit.url("/accounts"))
    related = visit.store.related_values(visit.companyid, accountno)
    choices = _choices(visit)
    return visit.render(
        "account.html", status=status, account=account, related=related, entities=entities(visit),
        required=REQUIRED_DIMENSIONS, choices=choices, usage=_usage(visit, accountno),
        restrictions=restrictions(account, related), version=version_of(account, related),
        others={d: v for d, v in related.items() if d not in choices}, problems=problems or [],
    )


def save_account(visit: Visit) -> Response:
    accountno = visit.request.path_params["accountno"]
    account = visit.store.record_by_key(visit.companyid, "GLACCOUNT", accountno)
    if account is None:
        return visit.refuse(404, "Account not found", f"There is no GL account {accountno} in this company.",
                            back=visit.url("/accounts"))
    related = visit.store.related_values(visit.companyid, accountno)
    if visit.arg("version") != version_of(account, related):
        return account_page(visit, [
            f"Account {accountno} was changed by {account.get('MODIFIEDBY', 'someone')} after you opened it. "
            "Your changes were not saved; review the current values and save again."], status=409)
    problems: list[str] = []
    owner = choice(visit.arg("MEGAENTITYID"), ["", *(str(e["LOCATIONID"]) for e in entities(visit))],
                   "Entity", problems)
    changes = {
        "MEGAENTITYID": owner,
        "STATUS": choice(visit.arg("STATUS"), STATUSES, "Status", problems),
        "SUBLEDGERCONTROLON": flag(visit, "SUBLEDGERCONTROLON"),
        **{name: flag(visit, name) for name, _ in REQUIRED_DIMENSIONS},
    }
    if owner != account.get("MEGAENTITYID", ""):
        owner_record = visit.store.record_by_key(visit.companyid, "LOCATIONENTITY", owner) if owner else None
        changes["MEGAENTITYNAME"] = entity_name(visit, owner)
        changes["MEGAENTITYKEY"] = str(owner_record["RECORDNO"]) if owner_record else ""
    wanted = dict(related)
    for dimension, values in _choices(visit).items():
        known = {value for value, _ in values}
        picked = set(visit.args(dimension))
        unknown = sorted(picked - known)
        if unknown:
            problems.append(f"Unknown {dimension.lower()} values: {', '.join(unknown)}.")
        if picked:
            wanted[dimension] = picked
        else:
            wanted.pop(dimension, None)
    if problems:
        return account_page(visit, problems, status=422)
    with visit.store.transaction():
        changed = save_record(visit, "GLACCOUNT", account, changes)
        if wanted != related:
            _replace_relationships(visit, accountno, wanted)
            before, after = difference(_listed(related), _listed(wanted))
            record_event(visit.store, visit.companyid, visit.userid, "GLACCOUNT", accountno,
                         "dimension relationships", before, after)
            changed = True
    notice = f"Account {accountno} saved." if changed else "No changes to save."
    return visit.redirect(visit.url("/accounts", accountno, notice=notice))


def _listed(related: dict[str, set[str]]) -> dict[str, str]:
    return {dimension: ", ".join(sorted(values)) for dimension, values in related.items()}


def _replace_relationships(visit: Visit, accountno: str, wanted: dict[str, set[str]]) -> None:
    visit.store.execute("DELETE FROM dimension_relationship WHERE companyid = ? AND accountno = ?",
                        (visit.companyid, accountno))
    for dimension, values in wanted.items():
        for value in sorted(values):
            visit.store.execute(
                "INSERT INTO dimension_relationship (companyid, accountno, dimension, value) VALUES (?, ?, ?, ?)",
                (visit.companyid, accountno, dimension, value),
            )
