"""Periods (books closed through a date, per entity) and subledgers (CM, AP, EE) open or closed."""

from __future__ import annotations

from datetime import date

from starlette.responses import Response

from ledgerbridge.sandbox.console.audit import record_event
from ledgerbridge.sandbox.console.records import entities
from ledgerbridge.sandbox.console.web import Visit

SUBLEDGERS = (("CM", "Cash Management"), ("AP", "Accounts Payable"), ("EE", "Time & Expenses"))


def _scopes(visit: Visit) -> list[tuple[str, str]]:
    """The top level and every entity, as (entity ID, label)."""
    return [("", "Top level"), *((str(e["LOCATIONID"]), f"{e['LOCATIONID']} {e.get('NAME', '')}")
                                 for e in entities(visit))]


def _label(visit: Visit, entity: str) -> str:
    return dict(_scopes(visit)).get(entity, entity)


def books_page(visit: Visit) -> Response:
    rows = []
    for entity, label in _scopes(visit):
        through = visit.store.closed_through(visit.companyid, entity)
        closed = {code for code, _ in SUBLEDGERS if visit.store.subledger_closed(visit.companyid, entity, code)}
        shown = date.fromisoformat(through).strftime("%m/%d/%Y") if through else ""
        rows.append({"entity": entity, "label": label, "closed_through": through or "", "shown": shown,
                     "closed": closed})
    return visit.render("books.html", rows=rows, subledgers=SUBLEDGERS)


def save_period(visit: Visit) -> Response:
    entity, action = visit.arg("entity"), visit.arg("action")
    if entity not in dict(_scopes(visit)) or action not in {"close", "open"}:
        return visit.refuse(400, "Unknown period", "The period change names no known entity or action.",
                            back=visit.url("/books"))
    current = visit.store.closed_through(visit.companyid, entity) or ""
    label = _label(visit, entity)
    if action == "close":
        try:
            through = date.fromisoformat(visit.arg("closed_through")).isoformat()
        except ValueError:
            return visit.refuse(422, "Date needed", "Enter the date through which the books are closed.",
                                back=visit.url("/books"))
        if through == current:
            return visit.redirect(visit.url("/books", notice="No changes to save."))
        with visit.store.transaction():
            visit.store.close_books(visit.companyid, entity, through)
            record_event(visit.store, visit.companyid, visit.userid, "PERIOD", entity or "(top level)", "close books",
                         {"closed_through": current}, {"closed_through": through})
        notice = f"Books of {label} closed through {date.fromisoformat(through):%m/%d/%Y}."
    else:
        if not current:
            return visit.redirect(visit.url("/books", notice="No changes to save."))
        with visit.store.transaction():
            visit.store.close_books(visit.companyid, entity, None)
            record_event(visit.store, visit.companyid, visit.userid, "PERIOD", entity or "(top level)", "open books",
                         {"closed_through": current}, {"closed_through": ""})
        notice = f"Books of {label} reopened."
    return visit.redirect(visit.url("/books", notice=notice))


def save_subledger(visit: Visit) -> Response:
    entity, code, action = visit.arg("entity"), visit.arg("subledger"), visit.arg("action")
    names = dict(SUBLEDGERS)
    if entity not in dict(_scopes(visit)) or code not in names or action not in {"close", "open"}:
        return visit.refuse(400, "Unknown subledger", "The subledger change names no known entity, subledger or "
                            "action.", back=visit.url("/books"))
    closed = visit.store.subledger_closed(visit.companyid, entity, code)
    if closed == (action == "close"):
        return visit.redirect(visit.url("/books", notice="No changes to save."))
    with visit.store.transaction():
        if action == "close":
            visit.store.execute("INSERT INTO closed_subledger (companyid, entity, subledger) VALUES (?, ?, ?)",
                                (visit.companyid, entity, code))
        else:
            visit.store.execute(
                "DELETE FROM closed_subledger WHERE companyid = ? AND entity = ? AND subledger = ?",
                (visit.companyid, entity, code),
            )
        record_event(visit.store, visit.companyid, visit.userid, "SUBLEDGER", f"{entity or '(top level)'} {code}",
                     f"{action} subledger", {"status": "closed" if closed else "open"},
                     {"status": "closed" if action == "close" else "open"})
    verb = "closed" if action == "close" else "reopened"
    return visit.redirect(visit.url("/books", notice=f"{names[code]} {verb} in {_label(visit, entity)}."))
