"""Workspace conditions preflight reports that no INT code describes, in the catalog's own shape.

These are problems of the report or of the workspace's setup (an unapproved report, a card without a
charge card account, ...). Intacct either never sees them or answers with a text no INT code covers, so
they carry a `PF-` code; messages, causes and fix steps render exactly like catalog entries.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ledgerbridge.catalog import Action, Entry, FixPath, FixStep, Kind, Place, RenderedError
from ledgerbridge.catalog.render import render_entry

NOT_APPROVED: Final = "PF-APPROVAL"
CARD_NOT_MAPPED: Final = "PF-CARD-MAPPING"
CARD_INACTIVE: Final = "PF-CARD-INACTIVE"
VENDOR_MISSING: Final = "PF-VENDOR"
NEGATIVE_TOTAL: Final = "PF-NEGATIVE-TOTAL"
EMPLOYEE_INACTIVE: Final = "PF-EMPLOYEE-INACTIVE"
EMPLOYEE_NOT_STARTED: Final = "PF-EMPLOYEE-START"
NOT_SYNCED: Final = "PF-NOT-SYNCED"

_SYNC = FixStep(
    "Sync the workspace so ledgerbridge reads the change: Settings > Workspaces > (your workspace) > "
    "Accounting > Sync Now.", Place.WORKSPACE_SETTINGS, False, Action.SYNC_NOW)
_RETRY = FixStep("Open the report and retry the export to Sage Intacct.", Place.REPORT, False,
                 Action.RETRY_EXPORT)


def _entry(code: str, title: str, messages: tuple[str, ...], cause: str, *fixes: FixPath) -> Entry:
    return Entry(code, Kind.EXPORT, title, messages, cause, fixes, ())


def _intacct(text: str) -> FixStep:
    return FixStep(text, Place.SAGE_INTACCT, True)


def _settings(text: str) -> FixStep:
    return FixStep(text, Place.WORKSPACE_SETTINGS, False)


def _report(text: str) -> FixStep:
    return FixStep(text, Place.REPORT, False)


CONDITIONS: Final[Mapping[str, Entry]] = {
    entry.code: entry for entry in (
        _entry(
            NOT_APPROVED, "Report isn't approved",
            ("Report {report} isn't approved, and only approved reports are exported to Sage Intacct.",),
            "Exports start from final approval; a draft or submitted report has not been through it.",
            FixPath("Approve the report", (_report("An approver opens report {report} and approves it."),)),
        ),
        _entry(
            CARD_NOT_MAPPED, "Card has no charge card account",
            ("Card {card} isn't mapped to a Sage Intacct charge card account, so its expenses have nowhere "
             "to post.",
             "An expense's company card isn't mapped to a Sage Intacct charge card account, so it has nowhere "
             "to post."),
            "Company card spend posts to the charge card account chosen for the card, or to the workspace's "
            "default one; neither is set, or the one set isn't in Sage Intacct as last synced.",
            FixPath("Map the card", (
                _settings("In Settings > Workspaces > (your workspace) > Company cards, choose the charge "
                          "card account for card {card}, or set a default charge card account."), _RETRY)),
        ),
        _entry(
            CARD_INACTIVE, "Charge card account is inactive",
            ("Charge card account {card} is inactive in Sage Intacct, so charges can't be recorded on it.",),
            "Sage Intacct records charges only on active charge card accounts.",
            FixPath("Reactivate the charge card account", (
                _intacct("In Sage Intacct, Cash Management > Charge card accounts, set {card} active."),
                _SYNC, _RETRY)),
            FixPath("Use another charge card account", (
                _settings("Map the card to an active charge card account in the workspace's company card "
                          "settings."), _RETRY)),
        ),
        _entry(
            VENDOR_MISSING, "Vendor not found",
            ("Vendor {vendor} isn't an active vendor in Sage Intacct as last synced.",),
            "A bill needs a vendor that exists and is active in Sage Intacct: the expense's vendor, else the "
            "workspace's default vendor, else the vendor named 'Credit Card Misc' for company card spend.",
            FixPath("Create or reactivate the vendor", (
                _intacct("In Sage Intacct, Accounts Payable > Vendors, create vendor {vendor} or set it active."),
                _SYNC, _RETRY)),
            FixPath("Choose another vendor", (
                _settings("Set a default vendor in the workspace's export settings, or pick another vendor on "
                          "the expense."), _RETRY)),
        ),
        _entry(
            NEGATIVE_TOTAL, "Expense report total is negative",
            ("Report {report} adds up to a negative total, and Sage Intacct doesn't accept expense reports "
             "whose total is below zero.",),
            "Credits on the report outweigh its expenses.",
            FixPath("Balance the report", (
                _report("Return report {report} to its owner to remove or correct the credits, or export "
                        "them separately."),)),
            FixPath("Export reimbursable spend as vendor bills", (
                _settings("In the export settings, export reimbursable expenses as vendor bills."), _RETRY)),
        ),
        _entry(
            EMPLOYEE_INACTIVE, "Employee is inactive",
            ("Employee {employee} ({email}) is inactive in Sage Intacct, so expense reports can't be created "
             "for them.",),
            "Sage Intacct only takes expense reports of active employees.",
            FixPath("Reactivate the employee", (
                _intacct("In Sage Intacct, Time & Expenses > Employees, set employee {employee} active."),
                _SYNC, _RETRY)),
        ),
        _entry(
            EMPLOYEE_NOT_STARTED, "Expense before the employee's start date",
            ("Employee {employee} ({email}) starts on {start_date} in Sage Intacct, after the date of this "
             "expense report.",),
            "Sage Intacct refuses expense reports dated before the employee's start date.",
            FixPath("Correct the start date", (
                _intacct("In Sage Intacct, open employee {employee} and correct the start date."),
                _SYNC, _RETRY)),
        ),
        _entry(
            NOT_SYNCED, "Workspace never synced",
            ("The workspace hasn't been synced with Sage Intacct yet, so preflight can't check the report "
             "against accounts, cards, employees and periods.",),
            "Preflight compares the report with what Sage Intacct held at the last Sync Now.",
            FixPath("Sync the workspace", (_SYNC,)),
        ),
    )
}
"""Every workspace condition, by code."""


def is_condition(code: str) -> bool:
    return code in CONDITIONS


def render_condition(code: str, values: Mapping[str, object]) -> RenderedError:
    """A workspace condition filled with real values, in the same shape as a catalog code."""
    return render_entry(CONDITIONS[code], values)
