"""Intacct error texts as data: which INT code each refusal means and where its values come from.

Each `Pattern` is a regex over one `<error>` (description2, description and correction together). Named groups
whose names are catalog placeholders fill those placeholders directly; `fills` names where the other values
come from (the located lines or the document header); `locate` says how the error points back to lines.
Within the table the first pattern that matches an error and can locate what it needs wins, so narrower
texts come before broader ones. Entries whose code is INT000 are texts Intacct is known to send that no
INT code describes; they still count as specific errors and show Intacct's own words.

The texts are both those of real Sage Intacct companies and those of the ledgerbridge sandbox, which
imitates them (docs/sandbox.md, "Posting rules").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ledgerbridge.catalog import UNKNOWN_CODE
from ledgerbridge.export.context import ExportType
from ledgerbridge.intacct import Disposition


class Source(StrEnum):
    """Where a placeholder value comes from when Intacct's text does not carry it."""

    LINE_NUMBER = "line_number"
    LINE_EXPENSE = "line_expense"
    LINE_CATEGORY = "line_category"
    LINE_ACCOUNT = "line_account"
    LINE_CARD = "line_card"
    LINE_EMPLOYEE = "line_employee"
    HEADER_EMPLOYEE = "header_employee"
    HEADER_CARD = "header_card"
    SUBMITTER_EMAIL = "submitter_email"
    EXPORT_DATE = "export_date"
    REPORT = "report"


@dataclass(frozen=True, slots=True)
class Group:
    """The text a named regex group captured, used for a placeholder of another name."""

    name: str


Fill = Source | Group


class LocateBy(StrEnum):
    """How a captured value points back to lines of the document."""

    ACCOUNT = "account"
    """Lines whose GL account is the value."""
    TAG = "tag"
    """Lines that carry the value as a dimension value."""
    EXPENSE_TYPE = "expense_type"
    """Lines whose expense type (or, failing that, category) is the value."""
    UNCATEGORIZED = "uncategorized"
    """Lines with neither a category nor a GL account."""
    BILLABLE = "billable"
    """Lines marked billable."""
    OTHER_VALUE = "other_value"
    """Lines carrying the error's `dimension` with a value other than the one captured."""
    HEADER_VENDOR = "header_vendor"
    """The whole document, when the value is the vendor on its header."""


@dataclass(frozen=True, slots=True)
class Locate:
    by: LocateBy
    group: str = ""


@dataclass(frozen=True, slots=True)
class Pattern:
    """One known Intacct error text and the INT code it means."""

    code: str
    regex: re.Pattern[str]
    fills: Mapping[str, tuple[Fill, ...]] = field(default_factory=dict)
    locate: tuple[Locate, ...] = ()
    must_locate: bool = False
    """Skip this pattern (try the next) when no line or header value matches what the error names."""
    export_types: frozenset[ExportType] | None = None
    """Only for these document types; None for all."""
    disposition: Disposition = Disposition.FATAL
    coding: bool = False
    """A problem with a line's coding: reported as INT304 when every line concerned has a zero amount."""


def _p(
    code: str,
    regex: str,
    *,
    fills: Mapping[str, tuple[Fill, ...]] | None = None,
    locate: tuple[Locate, ...] = (),
    must_locate: bool = False,
    export_types: frozenset[ExportType] | None = None,
    disposition: Disposition = Disposition.FATAL,
    coding: bool = False,
) -> Pattern:
    return Pattern(code, re.compile(regex, re.IGNORECASE), dict(fills or {}), locate, must_locate, export_types,
                   disposition, coding)


_ONLY_EXPENSE_REPORTS = frozenset({ExportType.EXPENSE_REPORT})
_ONLY_VENDOR_BILLS = frozenset({ExportType.VENDOR_BILL})
_ONLY_JOURNAL_ENTRIES = frozenset({ExportType.JOURNAL_ENTRY})
_DIMENSION_WORDS = r"Department|Location|Class|Project|Customer|Vendor|Employee|Item|Territory|Warehouse|Task|Contract"

# The account's card: named in the text, else the card on the line, else the document's card.
_CARD = (Group("card"), Source.LINE_CARD, Source.HEADER_CARD)
_RESTRICTED = {"card": _CARD, "category": (Source.LINE_CATEGORY,)}
_BY_ACCOUNT = (Locate(LocateBy.ACCOUNT, "account"),)
_BY_TAG = (Locate(LocateBy.TAG, "tag"),)
_TAG_ON_LINE = {"line": (Source.LINE_NUMBER,)}
_PERIOD = {"export_date": (Source.EXPORT_DATE,)}

PATTERNS: tuple[Pattern, ...] = (
    # INT498: the journal entry names a journal Intacct does not have or has made inactive, or none at all.
    _p("INT498", r"Invalid Journal '(?P<journal>[^']+)'", export_types=_ONLY_JOURNAL_ENTRIES),
    _p("INT498", r"Required field JOURNAL is missing", export_types=_ONLY_JOURNAL_ENTRIES),
    # INT860: the account cannot take this posting (entity-private, related dimensions, inactive, card offset,
    # direct posting disallowed).
    _p("INT860", r"The specified GL account '(?P<account>[^']+)'\s*:\s*'[^']*' is not valid\. GL account is restricted",
       fills=_RESTRICTED, locate=_BY_ACCOUNT, coding=True),
    _p("INT860", r"GL account '(?P<account>[^']+)'\s*:\s*'[^']*' specified is not valid\. GL account is restricted",
       fills=_RESTRICTED, locate=_BY_ACCOUNT, coding=True),
    _p("INT860", r"The account number '?(?P<account>[^'\s]+?)'? is associated (?:to|with) the Credit Card "
       r"'?(?P<card>[^'\s]+?)'?\.?(?:\s|$)", fills=_RESTRICTED, locate=_BY_ACCOUNT, coding=True),
    _p("INT860", r"Direct posting to GL account '(?P<account>[^']+)'.*? is disallowed",
       fills=_RESTRICTED, locate=_BY_ACCOUNT, coding=True),
    # The dimension side of a relationship restriction names the value, not the account: the line tells.
    _p("INT860", rf"(?P<dimension>{_DIMENSION_WORDS}) '(?P<tag>[^']+)'(?:\s*:\s*'[^']*')? specified is not valid\. "
       r"(?P=dimension) is restricted by GL account",
       fills={"account": (Source.LINE_ACCOUNT,), **_RESTRICTED}, locate=_BY_TAG, coding=True),
    _p("INT860", rf"(?P<dimension>{_DIMENSION_WORDS}) must be '?(?P<value>[^'\s.]+)'?\. This value is auto-filled",
       fills={"account": (Source.LINE_ACCOUNT,), **_RESTRICTED}, locate=(Locate(LocateBy.OTHER_VALUE, "value"),),
       coding=True),
    # INT073: the account requires a dimension the line lacks.
    _p("INT073", r"missing the (?P<dimension>[\w ]+?) dimension for the Account '?(?P<account>[\w.\-]+)'?",
       locate=_BY_ACCOUNT, coding=True),
    _p("INT073", r"The account number '(?P<account>[^']+)' requires (?:an? )?(?P<dimension>[A-Z][\w]*)",
       locate=_BY_ACCOUNT, coding=True),
    # INT205 before INT084: the customer is refused because the project belongs to another one.
    _p("INT205", r"Customer '(?P<customer>[^']+)' specified is not valid\. The project '(?P<project>[^']+)' "
       r"belongs to customer", locate=(Locate(LocateBy.TAG, "project"),), coding=True),
    _p("INT205", r"project '?(?P<project>[^'\s]+)'? (?:is not|isn't) (?:associated|linked) (?:with|to) "
       r"(?:the )?(?:selected )?customer(?: '(?P<customer>[^']+)')?",
       locate=(Locate(LocateBy.TAG, "project"),), coding=True),
    # INT480: the submitter (or the line's employee) is not on the project.
    _p("INT480", r"employee(?: '(?P<employee>[^']+)')? is not a resource (?:of|on) (?:the )?project "
       r"'(?P<project>[^']+)'",
       fills={"employee": (Source.LINE_EMPLOYEE, Source.HEADER_EMPLOYEE)},
       locate=(Locate(LocateBy.TAG, "project"),), coding=True),
    # INT028: at the top level of a multi-entity company an expense report takes its location from the employee.
    _p("INT028", r"use of (?:an )?empty location is invalid", fills={"employee": (Source.HEADER_EMPLOYEE,)},
       export_types=_ONLY_EXPENSE_REPORTS),
    # INT446 / INT664: the vendor on a bill's header.
    _p("INT446", r"vendor '?(?P<vendor>[^'\s]+?)'? is (?:marked )?.?on hold"),
    _p(UNKNOWN_CODE, r"Activate the vendor"),
    _p("INT664", r"(?:The |The specified )?vendor '(?P<vendor>[^']+)' (?:specified )?is (?:invalid|not valid)",
       fills={"email": (Source.SUBMITTER_EMAIL,)}, locate=(Locate(LocateBy.HEADER_VENDOR, "vendor"),),
       must_locate=True, export_types=_ONLY_VENDOR_BILLS),
    _p("INT664", r"Invalid Vendor '(?P<vendor>[^']+)' specified", fills={"email": (Source.SUBMITTER_EMAIL,)},
       locate=(Locate(LocateBy.HEADER_VENDOR, "vendor"),), must_locate=True, export_types=_ONLY_VENDOR_BILLS),
    # INT084: a dimension value on a line is inactive or unknown.
    _p("INT084", rf"(?:{_DIMENSION_WORDS}) '(?P<tag>[^']+)' is inactive", fills=_TAG_ON_LINE, locate=_BY_TAG,
       must_locate=True, coding=True),
    _p("INT084", rf"Invalid (?:{_DIMENSION_WORDS}) '?(?P<tag>[^'\s]+?)'? (?:selected|specified)", fills=_TAG_ON_LINE,
       locate=_BY_TAG, must_locate=True, coding=True),
    _p("INT084", r"The location '(?P<tag>[^']+)' is (?:invalid|not valid)", fills=_TAG_ON_LINE, locate=_BY_TAG,
       must_locate=True, coding=True),
    _p("INT084", rf"(?:{_DIMENSION_WORDS}) '(?P<tag>[^']+)' (?:specified )?is not valid", fills=_TAG_ON_LINE,
       locate=_BY_TAG, must_locate=True, coding=True),
    _p("INT084", r"The Project '(?P<tag>[^']+)' has a project status that prevents", fills=_TAG_ON_LINE,
       locate=_BY_TAG, must_locate=True, coding=True),
    # INT035 before INT771: a closed period with the first open date given.
    _p("INT035", r"Date must be on or after (?P<open_from>\d{1,2}/\d{1,2}/\d{2,4})"),
    _p("INT088", r"Cash Management subledger is closed", fills=_PERIOD),
    _p("INT771", r"(?:Accounts Payable|Time & Expenses|General Ledger) subledger is closed", fills=_PERIOD),
    _p("INT771", r"batch(?:es)?\b.*\b(?:is|are) closed", fills=_PERIOD),
    _p("INT771", r"period (?:that's been|that has been|that is|is) closed|\bclosed period\b", fills=_PERIOD),
    # INT093: the charge card account expired.
    _p("INT093", r"(?:charge|credit) card(?: account)? '?(?P<card>[^'\s]+?)'? (?:has )?expired",
       fills={"card": (Source.HEADER_CARD,)}),
    _p("INT093", r"(?:charge|credit) card(?: account)? is (?:invalid|expired)\b.*expiration",
       fills={"card": (Source.HEADER_CARD,)}),
    # INT149: the employee on the expense report does not exist (or is not visible) in Intacct.
    _p("INT149", r"The employee '(?P<employee>[^']+)' is invalid", fills={"email": (Source.SUBMITTER_EMAIL,)}),
    _p("INT149", r"employee record (?:could not|couldn't|cannot) be found", fills={"email": (Source.SUBMITTER_EMAIL,)}),
    # INT009, INT012, INT503: Time & Expenses configuration.
    _p("INT009", r"manager (?:does not|doesn't) have (?:a|an associated) user|manager has no (?:Sage Intacct )?user",
       fills={"employee": (Source.HEADER_EMPLOYEE,)}),
    _p("INT012", r"reason for expense", fills={"report": (Source.REPORT,)}),
    _p("INT503", r"expense types? (?:is|are) not (?:enabled|turned on)|enable expense types? (?:in|under)"),
    # INT225: tax detail not usable here.
    _p("INT225", r"Tax detail (?P<tax_rate>.+?) cannot be used in this transaction"),
    _p("INT225", r"\btax (?:detail|rate|solution)s?\b.*\b(?:is|are) (?:missing|invalid|not valid|required)"),
    # INT592: a Smart Rule, usually one that wants the record created inside an entity.
    _p("INT592", r"Smart ?Rule\s*(?:ID\s*)?[\['\"]?(?P<smart_rule>[\w\-]+)[\]'\"]?\s*(?:is |was |has been )?violated"),
    _p("INT592", r"must be created at the entity level"),
    # INT083: billable on a line whose expense type or account does not allow it.
    _p("INT083", r"(?:expense type|item|account) '(?P<expense_type>[^']+)' (?:is not|isn't|cannot be) "
       r"(?:set up |configured |marked |enabled )?(?:as |for )?billable",
       fills={"category": (Source.LINE_CATEGORY, Group("expense_type"))},
       locate=(Locate(LocateBy.EXPENSE_TYPE, "expense_type"), Locate(LocateBy.BILLABLE))),
    _p("INT083", r"not (?:a valid )?billable expense type|billable (?:is not|isn't) allowed",
       fills={"category": (Source.LINE_CATEGORY,)}, locate=(Locate(LocateBy.BILLABLE),)),
    # INT680 before INT459: a line went out without any account or expense type.
    _p("INT680", r"^\s*Account\s+is not valid|(?:GL account|glaccountno|account number|expense type) is "
       r"(?:required|missing)", fills={"expense": (Source.LINE_EXPENSE,)},
       locate=(Locate(LocateBy.UNCATEGORIZED),)),
    # INT459: the expense type or GL account behind a category is gone or inactive.
    _p("INT459", r"Invalid expense type '(?P<expense_type>[^']+)'",
       fills={"category": (Source.LINE_CATEGORY, Group("expense_type"))},
       locate=(Locate(LocateBy.EXPENSE_TYPE, "expense_type"),), coding=True),
    _p("INT459", r"The expense type '(?P<expense_type>[^']+)' is inactive",
       fills={"category": (Source.LINE_CATEGORY, Group("expense_type"))},
       locate=(Locate(LocateBy.EXPENSE_TYPE, "expense_type"),), coding=True),
    _p("INT459", r"(?<!card )\bAccount '?(?P<account>[\w.\-]+)'? is not valid",
       fills={"category": (Source.LINE_CATEGORY,)}, locate=_BY_ACCOUNT, coding=True),
    # INT043: the web services user may not run this function.
    _p("INT043", r"You do not have permission for API operation|not authorized to execute this function"),
    # Texts Intacct sends that no INT code describes: shown with Intacct's words (INT000).
    _p(UNKNOWN_CODE, r"has already been executed", disposition=Disposition.UNCERTAIN),
    _p(UNKNOWN_CODE, r"The employee '[^']+' is inactive"),
    _p(UNKNOWN_CODE, r"Cannot create expense before employee joining date"),
    _p(UNKNOWN_CODE, r"charge card account '?[^'\s]+'? is (?:inactive|not valid)"),
    _p(UNKNOWN_CODE, r"total of an expense report can't be negative"),
    _p(UNKNOWN_CODE, r"transaction is not balanced"),
    _p(UNKNOWN_CODE, r"Multi-currency charge card transactions"),
)
"""Specific Intacct errors, narrower texts first."""

WRAPPER_ERRORNOS = frozenset({"XL03000009"})
"""Errors that only say something else failed (the transaction rollback)."""

WRAPPERS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^Could not (?:create|update|delete) (?P<object>.+?) record[.!]?$", re.IGNORECASE),
    re.compile(r"^Currently, we can't create the transaction", re.IGNORECASE),
    re.compile(r"rolled back due to an error", re.IGNORECASE),
)
"""Generic texts that wrap the specific errors; context only, never the deciding error when another is there."""

CARD_CHARGE_OBJECTS = frozenset({"cctransaction", "credit card transaction", "charge card transaction"})
"""Objects a wrapper names when a credit card charge could not be created (INT993 when nothing else is said)."""


@dataclass(frozen=True, slots=True)
class ConnectionRule:
    """A control- or authentication-level error and the code it means during an export and during a sync."""

    export_code: str
    sync_code: str
    errornos: frozenset[str] = frozenset()
    regex: re.Pattern[str] | None = None


def _c(export_code: str, sync_code: str, *errornos: str, text: str | None = None) -> ConnectionRule:
    return ConnectionRule(export_code, sync_code, frozenset(errornos),
                          None if text is None else re.compile(text, re.IGNORECASE))


CONNECTION_RULES: tuple[ConnectionRule, ...] = (
    # The installation's own sender credentials: only whoever runs ledgerbridge can fix them.
    _c("INT907", "INT907", text=r"Incorrect Intacct XML Partner ID or password|Sender ID/Password is invalid"),
    _c("INT907", "INT907", "PL04000055", "GW-0011", "GW-0012",
       text=r"demo company and has expired|not authorized for XML transactions|Invalid entity '"),
    # The company's sign-in: wrong user or password, or the sender not authorized for this company.
    _c("INT907", "INT122", "XMLGW_JPP0002",
       text=r"Sign-in information is incorrect|not authorized to make Web Services requests|"
       r"Invalid Web Services Authorization"),
    # A session that stopped working (the client signs in again first; this is what is left if that fails).
    _c("INT176", "INT122", "Get API Session Failed", text=r"Invalid session|session (?:has )?(?:timed out|expired)"),
    _c("INT043", "INT245", "PL04000005",
       text=r"You do not have permission for API operation|not authorized to execute this function"),
    # Intacct is busy or away: nothing ran; the sender tries again, and this is shown if it keeps happening.
    _c("INT176", UNKNOWN_CODE, "GW-0010", "GW-0001", "PL04000050",
       text=r"rate limit|temporarily off-?line|temporarily unavailable"),
)
"""Connection-level errors, first match wins."""

PREFLIGHT_ONLY: Mapping[str, str] = {
    "INT054": "The employee is matched to the submitter by email in synced data before sending; Intacct only "
    "ever sees an employee ID (a missing ID comes back as INT149).",
    "INT194": "Billable expenses on a report while the workspace's billable setting is off: a workspace setting "
    "Intacct never sees.",
}
"""Codes no Intacct error produces: preflight (or the workspace's own settings) raises them."""
