"""GL journals (General Ledger > Setup > Journals): the symbols journal entries post to, added or set inactive."""

from __future__ import annotations

import re

from starlette.responses import Response

from ledgerbridge.sandbox.console.audit import record_event
from ledgerbridge.sandbox.console.records import STATUSES, choice, matches, save_record
from ledgerbridge.sandbox.console.web import Visit, version_of
from ledgerbridge.sandbox.context import Ctx, endpoint_for
from ledgerbridge.sandbox.functions import masterdata
from ledgerbridge.sandbox.objectdefs import OBJECTS

SYMBOL = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,19}")
"""A journal symbol as entered: letters, digits, '-' and '_', up to 20 characters (stored upper case)."""
TITLE_MAX = 80


def journal_list(visit: Visit, problems: list[str] | None = None, status: int = 200,
                 entered: dict[str, str] | None = None) -> Response:
    search = visit.param("q")
    journals = [j for j in visit.store.records(visit.companyid, "GLJOURNAL")
                if matches(search, j.get("SYMBOL"), j.get("TITLE"))]
    return visit.render("journals.html", status=status, journals=journals, search=search, problems=problems or [],
                        entered=entered or {})


def journal_page(visit: Visit, problems: list[str] | None = None, status: int = 200) -> Response:
    symbol = visit.request.path_params["symbol"]
    journal = visit.store.record_by_key(visit.companyid, "GLJOURNAL", symbol)
    if journal is None:
        return visit.refuse(404, "Journal not found", f"There is no journal {symbol}.", back=visit.url("/journals"))
    return visit.render("journal.html", status=status, journal=journal, version=version_of(journal),
                        problems=problems or [])


def save_journal(visit: Visit) -> Response:
    symbol = visit.request.path_params["symbol"]
    journal = visit.store.record_by_key(visit.companyid, "GLJOURNAL", symbol)
    if journal is None:
        return visit.refuse(404, "Journal not found", f"There is no journal {symbol}.", back=visit.url("/journals"))
    if visit.arg("version") != version_of(journal):
        return journal_page(visit, [f"Journal {symbol} was changed by {journal.get('MODIFIEDBY', 'someone')} after "
                                    "you opened it. Your changes were not saved; review and save again."], status=409)
    problems: list[str] = []
    title = _title(visit, problems)
    changes = {"TITLE": title, "STATUS": choice(visit.arg("STATUS"), STATUSES, "Status", problems)}
    if problems:
        return journal_page(visit, problems, status=422)
    saved = save_record(visit, "GLJOURNAL", journal, changes)
    return visit.redirect(visit.url("/journals", symbol,
                                    notice=f"Journal {symbol} saved." if saved else "No changes to save."))


def add_journal(visit: Visit) -> Response:
    symbol = visit.arg("SYMBOL").upper()
    problems: list[str] = []
    if not SYMBOL.fullmatch(symbol):
        problems.append("The symbol must be 1 to 20 letters, digits, '-' or '_', starting with a letter or digit.")
    elif visit.store.record_by_key(visit.companyid, "GLJOURNAL", symbol) is not None:
        problems.append(f"Journal {symbol} already exists.")
    title = _title(visit, problems)
    entered = {"SYMBOL": visit.arg("SYMBOL"), "TITLE": title}
    if problems or visit.company is None or visit.user is None:
        return journal_list(visit, problems, status=422, entered=entered)
    ctx = Ctx(visit.store, visit.company, visit.user, "", "", endpoint_for(visit.request))
    with visit.store.transaction():
        created = masterdata.create(ctx, OBJECTS["GLJOURNAL"], {"SYMBOL": symbol, "TITLE": title}, entity="")
        record_event(visit.store, visit.companyid, visit.userid, "GLJOURNAL", symbol, "create", {},
                     {"TITLE": title, "STATUS": str(created.get("STATUS", "active"))})
    return visit.redirect(visit.url("/journals", symbol, notice=f"Journal {symbol} added."))


def _title(visit: Visit, problems: list[str]) -> str:
    """The journal title as entered; a missing or overlong one is noted as a problem."""
    title = visit.arg("TITLE")
    if not title:
        problems.append("A journal needs a title.")
    elif len(title) > TITLE_MAX:
        problems.append(f"The title is longer than {TITLE_MAX} characters.")
    return title
