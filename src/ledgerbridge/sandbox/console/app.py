"""The admin console as a Starlette application, mounted under the sandbox (at /console)."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ledgerbridge.sandbox.console import access, accounts, books, cards, journals, parties, signin
from ledgerbridge.sandbox.console.audit import events
from ledgerbridge.sandbox.console.session import SessionSigner, load_secret
from ledgerbridge.sandbox.console.web import Console, Handler, Visit, page
from ledgerbridge.sandbox.store import Store

STATIC = Path(__file__).parent / "static"

# Where each object's RECORD_URL (/console/records/<object>/<recordno>) leads.
RECORD_PAGES = {"GLACCOUNT": "/accounts", "CREDITCARD": "/cards", "VENDOR": "/vendors", "EMPLOYEE": "/employees",
                "GLJOURNAL": "/journals"}


def home(visit: Visit) -> Response:
    return visit.render("home.html")


def audit_trail(visit: Visit) -> Response:
    search = visit.param("q")
    return visit.render("audit.html", events=events(visit.store, visit.companyid, search), search=search)


def record_link(visit: Visit) -> Response:
    obj = str(visit.request.path_params["object"]).upper()
    recordno = visit.request.path_params["recordno"]
    row = visit.store.execute(
        "SELECT keyid FROM record WHERE companyid = ? AND object = ? AND recordno = ?",
        (visit.companyid, obj, recordno),
    ).fetchone()
    if obj not in RECORD_PAGES or row is None or row[0] is None:
        return visit.refuse(404, "Record not found", f"There is no {obj} record {recordno} to show here.")
    return visit.redirect(visit.url(RECORD_PAGES[obj], str(row[0])))


def console_app(store: Store) -> Starlette:
    """The console for the companies in this store; its signing key lives next to the database."""
    console = Console(store, SessionSigner(load_secret(store.path.parent)))

    def view(path: str, handler: Handler, *, public: bool = False) -> Route:
        return Route(path, page(console, handler, public=public), methods=["GET"])

    def change(path: str, handler: Handler, area: str) -> Route:
        return Route(path, page(console, handler, change=area), methods=["POST"])

    def login_form(visit: Visit) -> Response:
        return signin.sign_in_page(visit)

    routes: list[BaseRoute] = [
        view("/", home),
        view("/login", login_form, public=True),
        Route("/login", page(console, signin.sign_in, public=True), methods=["POST"]),
        Route("/logout", page(console, signin.sign_out), methods=["POST"]),
        view("/accounts", accounts.chart_of_accounts),
        view("/accounts/{accountno}", accounts.account_page),
        change("/accounts/{accountno}", accounts.save_account, "accounts"),
        view("/cards", cards.card_list),
        view("/cards/{cardid}", cards.card_page),
        change("/cards/{cardid}", cards.save_card, "cards"),
        view("/journals", journals.journal_list),
        change("/journals", journals.add_journal, "journals"),
        view("/journals/{symbol}", journals.journal_page),
        change("/journals/{symbol}", journals.save_journal, "journals"),
        view("/books", books.books_page),
        change("/books/periods", books.save_period, "books"),
        change("/books/subledgers", books.save_subledger, "books"),
        view("/vendors", parties.vendor_list),
        view("/vendors/{vendorid}", parties.vendor_page),
        change("/vendors/{vendorid}", parties.save_vendor, "vendors"),
        view("/employees", parties.employee_list),
        view("/employees/{employeeid}", parties.employee_page),
        change("/employees/{employeeid}", parties.save_employee, "employees"),
        view("/authorizations", access.authorizations_page),
        change("/authorizations", access.save_authorization, "authorizations"),
        view("/users", access.users_page),
        view("/users/{userid}", access.user_page),
        change("/users/{userid}", access.save_user, "users"),
        view("/audit", audit_trail),
        view("/records/{object}/{recordno:int}", record_link),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.console = console
    return app
