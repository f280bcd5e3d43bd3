"""The INT error catalog as plain data, validated into typed entries by `catalog.loader` at import.

Reading guide:
- `messages` are str.format templates; the first is the fullest wording, later ones are variants for when
  some values are unknown. The renderer picks the variant whose placeholders match the values given.
- `fixes` are alternative ways out, the usual one first. Each step says where it is done and whether it
  takes Sage Intacct admin rights. SYNC_NOW and RETRY in a step list stand for the standard Sync Now and
  retry steps; a way out of an export error that does not place RETRY gets it as its last step.
- Placeholder names come from PLACEHOLDERS; fix steps may only use placeholders every message variant has.
"""

from __future__ import annotations

from typing import Any, Final

INTACCT: Final = "sage_intacct"
SETTINGS: Final = "workspace_settings"
REPORT: Final = "report"
SYNC_NOW: Final = "sync_now"
RETRY: Final = "retry"

UNKNOWN_CODE: Final = "INT000"
"""Code for Intacct errors no other code covers; no published INT code uses the number 000."""

SYNC_NOW_STEP: Final[dict[str, Any]] = {
    "where": SETTINGS,
    "admin": False,
    "text": "Sync the workspace so ledgerbridge reads the change: Settings > Workspaces > (your workspace) "
    "> Accounting > Sync Now, or `ledgerbridge sync --workspace <workspace>` on the command line.",
}

RETRY_STEP: Final[dict[str, Any]] = {
    "where": REPORT,
    "admin": False,
    "text": "Open the report and retry the export to Sage Intacct (or use `ledgerbridge retry`).",
}

PLACEHOLDERS: Final[dict[str, str]] = {
    "account": "GL account number in Sage Intacct, e.g. 6400",
    "card": "charge card account ID in Sage Intacct, e.g. AMEX-1005",
    "category": "workspace category that points at the GL account or expense type",
    "customer": "customer ID in Sage Intacct",
    "dimension": "name of a Sage Intacct dimension, e.g. Department or a user-defined dimension",
    "email": "email address of the report submitter",
    "employee": "employee ID or name of the report submitter in Sage Intacct",
    "expense": "the expense on the report, by merchant and date",
    "export_date": "date the export used, as Sage Intacct shows dates",
    "intacct_error": "Sage Intacct's own error number, e.g. BL01001973",
    "journal": "journal symbol in Sage Intacct, e.g. GJ",
    "intacct_text": "Sage Intacct's own description of the error",
    "line": "line number of the expense on the exported document",
    "open_from": "earliest date Sage Intacct accepts for the posting",
    "project": "project ID in Sage Intacct",
    "report": "report title or ID in the workspace",
    "smart_rule": "ID of the Smart Rule in Sage Intacct",
    "tag": "tag (dimension value) on the expense",
    "tax_rate": "tax rate chosen on the expense",
    "vendor": "vendor ID in Sage Intacct",
}

_ENTITY_LEVEL_STEP: Final[dict[str, Any]] = {
    "where": SETTINGS,
    "admin": False,
    "text": "In Settings > Workspaces > (your workspace) > Accounting > Entity, choose the entity the "
    "export belongs to instead of the top level.",
}

_SUPPORT_STEP: Final[dict[str, Any]] = {
    "where": REPORT,
    "admin": False,
    "text": "If it keeps failing, copy the full message, Sage Intacct's Support ID and the time from the "
    "report's history, and send them to whoever runs your ledgerbridge installation.",
}

ENTRIES: Final[list[dict[str, Any]]] = [
    {
        "code": "INT009",
        "kind": "export",
        "title": "Employee's manager has no Sage Intacct user",
        "messages": [
            "Sage Intacct couldn't route the expense report of employee {employee} for approval because "
            "that employee's manager has no Sage Intacct user account.",
            "Sage Intacct couldn't route the expense report for approval because the submitter's manager "
            "has no Sage Intacct user account.",
        ],
        "cause": "Expense report approval is switched on in Sage Intacct's Time & Expenses, so Intacct "
        "hands every new expense report to the employee's manager. When that manager is not a Sage "
        "Intacct user, the report cannot be created at all.",
        "fixes": [
            {
                "title": "Switch off Intacct's own expense report approval",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Open Time & Expenses > Configure Time & Expenses and clear "
                     "'Enable expense report approval', then save."},
                    SYNC_NOW,
                ],
            },
            {
                "title": "Keep Intacct approvals and give them an approver who can act",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "In Configure Time & Expenses, set a First Approver who has an active Sage "
                     "Intacct user with approval rights, or create a user for the manager."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["Why switch Intacct approval off?",
             "Reports reach Sage Intacct only after their final approval in the workspace, so a second "
             "approval round in Intacct usually adds nothing but a point of failure."],
            ["Does this affect vendor bills?",
             "No. Only expense reports go through Time & Expenses approval."],
        ],
    },
    {
        "code": "INT012",
        "kind": "export",
        "title": "'Reason for Expense' is required",
        "messages": [
            "Sage Intacct requires a 'Reason for Expense' on every expense report, and report {report} "
            "was sent without one.",
            "Sage Intacct requires a 'Reason for Expense' on every expense report, and this report was "
            "sent without one.",
        ],
        "cause": "The Time & Expenses configuration in Sage Intacct marks the reason for expense as a "
        "required field, and the report carried no text for it.",
        "fixes": [
            {
                "title": "Drop the requirement in Sage Intacct",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Open Time & Expenses > Configure Time & Expenses > Expense Report "
                     "Requirements and clear the reason-for-expense requirement, then save."},
                    SYNC_NOW,
                ],
            },
            {
                "title": "Give the report a reason",
                "steps": [
                    {"where": REPORT, "admin": False,
                     "text": "Add a description to the report; ledgerbridge sends it as the reason for "
                     "expense."},
                ],
            },
        ],
        "faq": [
            ["Does this happen with vendor bills?",
             "No. The requirement belongs to Time & Expenses, so only expense report exports meet it."],
        ],
    },
    {
        "code": "INT028",
        "kind": "export",
        "title": "Employee has no location",
        "messages": [
            "Sage Intacct requires a location on the employee record of {employee}, and none is set.",
            "Sage Intacct requires a location on the submitter's employee record, and none is set.",
        ],
        "cause": "The company requires a location on every employee, and the submitter's employee record "
        "in Sage Intacct has none, or has one that is no longer active.",
        "fixes": [
            {
                "title": "Add a location to the employee",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Open Time & Expenses > Employees, find the submitter, pick an active "
                     "location and save."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["Can I set the location on the report instead?",
             "No. Intacct checks the employee record itself, so the location has to be set there."],
        ],
    },
    {
        "code": "INT035",
        "kind": "export",
        "title": "Export date falls in a closed period",
        "messages": [
            "Sage Intacct only accepts dates on or after {open_from} for this export; the period of the "
            "export date is closed.",
        ],
        "cause": "The books in Sage Intacct are closed for the period that contains the export date, so "
        "Intacct refuses anything dated before {open_from}.",
        "fixes": [
            {
                "title": "Export with the exported date",
                "steps": [
                    {"where": SETTINGS, "admin": False,
                     "text": "In Settings > Workspaces > (your workspace) > Accounting > Export, set the "
                     "export date to 'Exported date' and save."},
                ],
            },
            {
                "title": "Let the export reach the closed period",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Give the web services user permission to open and close books, so Intacct "
                     "posts into the next open period."},
                    {"where": INTACCT, "admin": True,
                     "text": "Check that the General Ledger, Cash Management, Accounts Payable and Time & "
                     "Expenses subledgers are open for the period, at the entity the workspace uses."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["Does changing the export date touch reports already exported?",
             "No. The setting applies to exports from now on."],
            ["Why does a credit card charge still fail after I changed the export date?",
             "Credit card charges always carry their transaction date, so for them the period itself has "
             "to be open."],
        ],
    },
    {
        "code": "INT043",
        "kind": "export",
        "title": "Web services user lacks permissions",
        "messages": [
            "The Sage Intacct web services user is missing permissions this export needs.",
        ],
        "cause": "The user ledgerbridge signs in as does not hold the module permissions for the records "
        "it creates or reads, so Intacct refuses the function.",
        "fixes": [
            {
                "title": "Grant the missing permissions",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Open Company > Users (or Company > Roles for role-based setups) > "
                     "Subscriptions for the web services user."},
                    {"where": INTACCT, "admin": True,
                     "text": "Grant: Administration all, Company read-only, Cash Management all, General "
                     "Ledger all, Time & Expenses all (for expense reports), Accounts Payable all (for "
                     "vendor bills), Projects and Accounts Receivable read-only (for projects and "
                     "customers). Save."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["Can missing permissions break Sync Now too?",
             "Yes. Lists the user cannot read come back empty or fail, so sync may report errors as well."],
        ],
    },
    {
        "code": "INT054",
        "kind": "export",
        "title": "No employee matches the submitter",
        "messages": [
            "No Sage Intacct employee matches {email}; the employee must exist and carry exactly this "
            "email address.",
        ],
        "cause": "Expense reports are filed under the Sage Intacct employee whose contact email equals the "
        "submitter's email. Either no employee has it, the spelling or capitalization differs, or two "
        "employees share it.",
        "fixes": [
            {
                "title": "Make exactly one employee carry the email",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "In Time & Expenses > Employees, create the employee if missing, with a "
                     "primary contact."},
                    {"where": INTACCT, "admin": True,
                     "text": "On that contact (Company > Contacts), set the email to {email} exactly, "
                     "letter case included, and remove it from any other employee's contact."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["Does capitalization matter?",
             "Yes. The comparison is exact, so Jo.Doe@example.com and jo.doe@example.com do not match."],
            ["Where does Intacct keep the employee's email?",
             "On the employee's primary contact record, not on the employee list itself."],
        ],
    },
    {
        "code": "INT068",
        "kind": "sync",
        "title": "Card liability account needs the entity level",
        "messages": [
            "Sage Intacct couldn't create the liability credit card account that card reconciliation "
            "uses; reconciliation only works when the workspace exports at the entity level.",
        ],
        "cause": "Continuous card reconciliation creates a liability credit card account in Sage Intacct on "
        "the first sync after it is turned on. That needs an entity-level connection and a web services "
        "user allowed to create or manage that account.",
        "fixes": [
            {
                "title": "Connect the workspace at the entity level",
                "steps": [_ENTITY_LEVEL_STEP, SYNC_NOW],
            },
            {
                "title": "Let the web services user manage the account",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "If the liability account exists, give the web services user list, view, "
                     "add, edit and delete rights on it; otherwise allow it to create accounts in the "
                     "entity."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["Why did this show up although the report has no card spend?",
             "The account is created during sync, not during a report's export, so any sync after "
             "reconciliation is turned on can raise it."],
        ],
    },
    {
        "code": "INT073",
        "kind": "export",
        "title": "Account requires a dimension",
        "messages": [
            "Sage Intacct requires a {dimension} on account {account}, and the expense has none.",
            "Sage Intacct requires a dimension on account {account} that the expense doesn't carry.",
        ],
        "cause": "The GL account is set up in Sage Intacct to require a dimension (such as a department or "
        "location) on every posting, and the workspace does not send that dimension per expense.",
        "fixes": [
            {
                "title": "Send the dimension as a tag",
                "steps": [
                    {"where": SETTINGS, "admin": False,
                     "text": "In Settings > Workspaces > (your workspace) > Accounting > Import, import "
                     "the required dimension as a tag."},
                    SYNC_NOW,
                    {"where": REPORT, "admin": False,
                     "text": "Tag every expense that posts to account {account}."},
                ],
            },
            {
                "title": "Drop the requirement on the account",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "In the chart of accounts, open account {account}, remove the required "
                     "dimension and save."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["Will a report field do instead of a tag?",
             "Only if every expense on the report shares the value. A tag lets each line carry its own."],
        ],
    },
    {
        "code": "INT083",
        "kind": "export",
        "title": "Category not usable for billable expenses",
        "messages": [
            "Category {category} isn't mapped to a Sage Intacct item that accepts billable expenses, but "
            "an expense using it is billable.",
        ],
        "cause": "A billable expense has to post through an expense type or GL account that Sage Intacct "
        "allows for billable spend; the category on this expense points at one that is not.",
        "fixes": [
            {
                "title": "Fix the expense",
                "steps": [
                    {"where": REPORT, "admin": False,
                     "text": "Give the billable expense a category that supports billable spend, or clear "
                     "its billable flag."},
                ],
            },
            {
                "title": "Allow billable spend on the mapping",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Map the expense type or GL account behind {category} to an item that allows "
                     "billable spend, and save."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["Which categories accept billable expenses?",
             "Those whose expense type or account is mapped to an Intacct item. After a sync, the "
             "workspace shows them with the billable marker."],
        ],
    },
    {
        "code": "INT084",
        "kind": "export",
        "title": "Inactive or missing tag on a line",
        "messages": [
            "Sage Intacct couldn't accept line {line}: tag {tag} is inactive or no longer exists in Sage "
            "Intacct.",
            "Sage Intacct couldn't accept line {line}: one of its tags is inactive or no longer exists in "
            "Sage Intacct.",
        ],
        "cause": "A department, class, location, customer, project or user-defined dimension value on the "
        "line has been deactivated or deleted in Sage Intacct since the expense was tagged.",
        "fixes": [
            {
                "title": "Reactivate the value",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Find the dimension value in Sage Intacct, set it back to active and save."},
                    SYNC_NOW,
                ],
            },
            {
                "title": "Retag the expense",
                "steps": [
                    SYNC_NOW,
                    {"where": REPORT, "admin": False,
                     "text": "On line {line}, replace the flagged tag with an active one."},
                ],
            },
        ],
        "faq": [
            ["Why did a tag that worked last month fail now?",
             "The value was deactivated in Intacct after the expense was coded; the expense still holds "
             "the old value until someone changes it."],
        ],
    },
    {
        "code": "INT088",
        "kind": "export",
        "title": "Cash Management subledger is closed",
        "messages": [
            "The Cash Management subledger in Sage Intacct is closed for {export_date}, so the transaction "
            "couldn't be posted.",
            "The Cash Management subledger in Sage Intacct is closed for the transaction's date, so it "
            "couldn't be posted.",
        ],
        "cause": "Credit card charges post through Cash Management, and its subledger is closed for the "
        "period of the transaction date.",
        "fixes": [
            {
                "title": "Open the subledger for the export",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Go to Cash Management > Subledger > Open and open the period."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["Can I close the subledger again afterwards?",
             "Yes. Once the export has gone through, close the period again as usual."],
            ["Will switching the export date help?",
             "Not for credit card charges: they always carry the transaction date."],
        ],
    },
    {
        "code": "INT093",
        "kind": "export",
        "title": "Charge card account has expired",
        "messages": [
            "Sage Intacct refused the charge because credit card {card} has passed its expiration date.",
            "Sage Intacct refused the charge because the credit card has passed its expiration date.",
        ],
        "cause": "The charge card account in Sage Intacct carries an expiration date that is in the past, "
        "and Intacct takes no charges on an expired card.",
        "fixes": [
            {
                "title": "Move the expiration date",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Open Cash Management > Setup > Charge Card Accounts, open the card and set "
                     "an expiration date well in the future, then save."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["The physical card was renewed; why does Intacct still say expired?",
             "Intacct keeps its own expiration date on the charge card account, and renewing the card "
             "does not update it."],
        ],
    },
    {
        "code": "INT122",
        "kind": "sync",
        "title": "Sign-in failed during sync",
        "messages": [
            "Sage Intacct rejected the connection's sign-in while syncing.",
        ],
        "cause": "The web services user's password is wrong or expired, the user is inactive, or the "
        "sender ID ledgerbridge uses is not authorized for the company.",
        "fixes": [
            {
                "title": "Repair the sign-in",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Check that the web services user is active and its password is current."},
                    {"where": INTACCT, "admin": True,
                     "text": "Under Company > Company Info > Security > Web Services Authorizations, "
                     "make sure the sender ID is listed; remove it and add it again if sign-in keeps "
                     "failing."},
                    {"where": SETTINGS, "admin": False,
                     "text": "In Settings > Workspaces > (your workspace) > Accounting, choose Update "
                     "credentials and enter the company ID, user ID and password again."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["Should I disconnect and connect again?",
             "No. Disconnecting drops the workspace's accounting settings; updating the credentials is "
             "enough."],
        ],
    },
    {
        "code": "INT149",
        "kind": "export",
        "title": "Employee record not found",
        "messages": [
            "Sage Intacct couldn't find the employee record for {email}.",
        ],
        "cause": "No employee in Sage Intacct carries the submitter's email exactly, or more than one "
        "does, so the report has no single owner in Intacct.",
        "fixes": [
            {
                "title": "Make exactly one employee carry the email",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Create the employee if missing, and set {email} on its primary contact "
                     "exactly, letter case included."},
                    {"where": INTACCT, "admin": True,
                     "text": "Remove that email from every other employee's contact."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["How is this different from INT054?",
             "Both come from the employee lookup by email, and the fix is the same."],
        ],
    },
    {
        "code": "INT176",
        "kind": "export",
        "title": "Sage Intacct session couldn't start",
        "messages": [
            "Sage Intacct couldn't start a session for this export.",
        ],
        "cause": "Sage Intacct did not open an API session for the connection; the report's data plays no "
        "part, and a sync does not change it.",
        "fixes": [
            {
                "title": "Retry, then escalate",
                "steps": [
                    RETRY,
                    _SUPPORT_STEP,
                ],
            },
        ],
        "faq": [
            ["Will Sync Now help?",
             "No. Nothing synced is involved."],
        ],
    },
    {
        "code": "INT194",
        "kind": "export",
        "title": "Billable expenses are turned off",
        "messages": [
            "Expense {expense} is billable, but billable expenses are turned off in the workspace's Sage "
            "Intacct settings.",
            "The report has billable expenses, but billable expenses are turned off in the workspace's "
            "Sage Intacct settings.",
        ],
        "cause": "An expense carries the billable flag while the workspace's accounting settings do not "
        "export billable spend, so there is nothing to map it to.",
        "fixes": [
            {
                "title": "Turn billable on",
                "steps": [
                    {"where": SETTINGS, "admin": False,
                     "text": "In Settings > Workspaces > (your workspace) > Accounting > Import, turn on "
                     "Billable and map it."},
                ],
            },
            {
                "title": "Clear the billable flag",
                "steps": [
                    {"where": REPORT, "admin": False,
                     "text": "Open each billable expense on the report and clear its billable flag."},
                ],
            },
        ],
        "faq": [
            ["Do I need to sync?",
             "No. Both fixes change only workspace data."],
        ],
    },
    {
        "code": "INT205",
        "kind": "export",
        "title": "Project not linked to the customer",
        "messages": [
            "Project {project} isn't linked to customer {customer} in Sage Intacct.",
            "The project on an expense isn't linked to the expense's customer in Sage Intacct.",
        ],
        "cause": "In Sage Intacct every project belongs to one customer, and the expense pairs a project "
        "with a different customer (or the project is inactive).",
        "fixes": [
            {
                "title": "Link the project to the customer",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Open the project, set its customer to the one on the expense, make sure "
                     "it is active, and save."},
                    SYNC_NOW,
                ],
            },
            {
                "title": "Choose the right project",
                "steps": [
                    {"where": REPORT, "admin": False,
                     "text": "Check the project tag on every expense and pick the project that belongs "
                     "to its customer."},
                ],
            },
        ],
        "faq": [
            ["Why does the customer matter for a project?",
             "Intacct derives billing from the project's customer and refuses pairs that contradict it."],
        ],
    },
    {
        "code": "INT225",
        "kind": "export",
        "title": "Tax details missing or invalid",
        "messages": [
            "Tax rate {tax_rate} wasn't imported from Sage Intacct, so it can't be exported.",
            "Tax details on the report are missing or don't match a tax rate imported from Sage Intacct.",
        ],
        "cause": "Only tax rates imported from Sage Intacct can be exported. The expense uses a rate made "
        "by hand in the workspace, or tax import is switched off.",
        "fixes": [
            {
                "title": "Use imported tax rates",
                "steps": [
                    {"where": SETTINGS, "admin": False,
                     "text": "In Settings > Workspaces > (your workspace) > Accounting > Import, turn on "
                     "Tax."},
                    {"where": SETTINGS, "admin": False,
                     "text": "In the workspace's tax rates, delete the ones not imported from Sage "
                     "Intacct."},
                    {"where": INTACCT, "admin": True,
                     "text": "If a rate you need is missing, add it in Sage Intacct."},
                    SYNC_NOW,
                    {"where": REPORT, "admin": False,
                     "text": "Choose an imported tax rate again on each affected expense."},
                ],
            },
        ],
        "faq": [
            ["How do I tell an imported rate from one made by hand?",
             "Imported rates are marked as coming from Sage Intacct in the workspace's tax list."],
        ],
    },
    {
        "code": "INT245",
        "kind": "sync",
        "title": "Credentials lack permissions or export setup is incomplete",
        "messages": [
            "Sage Intacct refused the connection: the web services user is missing permissions, or "
            "reimbursable expenses are set to export in a way the company isn't set up for.",
        ],
        "cause": "Either the web services user lacks module permissions, or reimbursable spend is set to "
        "export as expense reports while the company does not use Time & Expenses.",
        "fixes": [
            {
                "title": "Grant the web services user its permissions",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Open Company > Web Services Users, follow the user's subscriptions link "
                     "and grant the permissions each module needs."},
                    SYNC_NOW,
                ],
            },
            {
                "title": "Export reimbursable spend as vendor bills",
                "steps": [
                    {"where": SETTINGS, "admin": False,
                     "text": "If the company does not use Time & Expenses, set reimbursable expenses to "
                     "export as vendor bills in Settings > Workspaces > (your workspace) > Accounting > "
                     "Export."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["I saw 'no expense types found' right after connecting. Is that related?",
             "Yes. It means the company has no Time & Expenses setup; switch reimbursable export to "
             "vendor bills."],
        ],
    },
    {
        "code": "INT304",
        "kind": "export",
        "title": "Outdated coding on zero-amount expenses",
        "messages": [
            "Expense {expense} has a zero amount and carries a category or tag that is no longer valid in "
            "Sage Intacct.",
            "A zero-amount expense on the report carries a category or tag that is no longer valid in Sage "
            "Intacct.",
        ],
        "cause": "Zero-amount lines are still validated. A category or tag on one of them was deactivated "
        "or removed in Sage Intacct after the expense was coded.",
        "fixes": [
            {
                "title": "Recode or remove the zero-amount lines",
                "steps": [
                    SYNC_NOW,
                    {"where": REPORT, "admin": False,
                     "text": "Open every zero-amount expense and choose its category and tags again, or "
                     "delete the expense if it carries nothing."},
                ],
            },
        ],
        "faq": [
            ["Why check a line that moves no money?",
             "Intacct validates every line's coding regardless of the amount."],
        ],
    },
    {
        "code": "INT402",
        "kind": "sync",
        "title": "Dimension values couldn't be read",
        "messages": [
            "Sage Intacct couldn't return the values of dimension {dimension}.",
        ],
        "cause": "Usually a user-defined dimension that is not fully set up, is inactive, or that the web "
        "services user may not read.",
        "fixes": [
            {
                "title": "Repair the dimension and add it again",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Under Platform Services > Objects > List, open {dimension}: check its "
                     "setup, that it is active, and that the web services user may read it."},
                    {"where": SETTINGS, "admin": False,
                     "text": "In the workspace's import settings, remove {dimension} and add it again "
                     "with its integration name."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["Where do I find a dimension's integration name?",
             "In Sage Intacct under Platform Services > Objects > List, filtered to user-defined "
             "dimensions."],
        ],
    },
    {
        "code": "INT446",
        "kind": "export",
        "title": "Vendor is on hold",
        "messages": [
            "Vendor {vendor} is on hold in Sage Intacct, so nothing can be posted to it.",
        ],
        "cause": "The vendor record is marked On Hold, which blocks new bills and charges against it.",
        "fixes": [
            {
                "title": "Lift the hold for the export",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Open vendor {vendor}, go to Additional Info, clear On Hold and save."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["Can I put the vendor back on hold?",
             "Yes, once the export has gone through."],
        ],
    },
    {
        "code": "INT459",
        "kind": "export",
        "title": "Category not found",
        "messages": [
            "Category {category} isn't among the workspace's active categories from Sage Intacct.",
        ],
        "cause": "The expense type or GL account behind the category was deactivated or deleted in Sage "
        "Intacct, so the category is no longer valid.",
        "fixes": [
            {
                "title": "Restore the category's source",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Reactivate (or create again) the expense type or GL account behind "
                     "{category}."},
                    SYNC_NOW,
                ],
            },
            {
                "title": "Recategorize",
                "steps": [
                    SYNC_NOW,
                    {"where": REPORT, "admin": False,
                     "text": "Choose a valid category on every expense flagged for {category}."},
                ],
            },
        ],
        "faq": [
            ["Where did the category go?",
             "Sync disables categories whose source disappeared in Intacct but keeps them on expenses "
             "that use them, flagged."],
        ],
    },
    {
        "code": "INT480",
        "kind": "export",
        "title": "Submitter isn't a project resource",
        "messages": [
            "Employee {employee} isn't a resource on project {project} in Sage Intacct.",
            "The submitter isn't a resource on project {project} in Sage Intacct.",
        ],
        "cause": "The project only accepts expenses from employees listed as its resources, and the "
        "report's submitter is not one of them.",
        "fixes": [
            {
                "title": "Add the submitter to the project",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Open project {project} and add the submitter's employee as a resource, "
                     "then save."},
                    SYNC_NOW,
                ],
            },
            {
                "title": "Choose another project",
                "steps": [
                    {"where": REPORT, "admin": False,
                     "text": "Tag the expenses with a project the submitter works on."},
                ],
            },
        ],
        "faq": [
            ["Where are project resources kept?",
             "On the project record in Sage Intacct."],
        ],
    },
    {
        "code": "INT498",
        "kind": "sync",
        "title": "No journal for company card journal entries",
        "messages": [
            "Sage Intacct can't take company card journal entries because no journal is chosen for them "
            "in the workspace.",
            "Sage Intacct can't take company card journal entries because journal {journal} is not an "
            "active journal there.",
        ],
        "cause": "Company card spend set to export as journal entries posts through the journal chosen in "
        "the workspace's export settings, and either none is chosen or Sage Intacct has no active journal "
        "with that symbol.",
        "fixes": [
            {
                "title": "Choose an active journal",
                "steps": [
                    {"where": SETTINGS, "admin": False,
                     "text": "In Settings > Workspaces > (your workspace) > Accounting > Export, enter the "
                     "symbol of an active Sage Intacct journal for company card journal entries, e.g. GJ."},
                    SYNC_NOW,
                ],
            },
            {
                "title": "Set up the journal in Sage Intacct",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "In General Ledger > Setup > Journals, create the chosen journal or make it "
                     "active again."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["Which journal should card spend use?",
             "The general journal (GJ) works for most companies; a journal of its own keeps card entries "
             "easy to find and to review."],
            ["Does this affect credit card charges or vendor bills?",
             "No. Only company card spend exported as journal entries goes through a journal."],
        ],
    },
    {
        "code": "INT503",
        "kind": "export",
        "title": "Expense types are switched off",
        "messages": [
            "Sage Intacct couldn't create the expense report because expense types are switched off in "
            "Time & Expenses.",
        ],
        "cause": "Expense report exports code each line with an expense type, and the Time & Expenses "
        "configuration has expense types disabled.",
        "fixes": [
            {
                "title": "Switch expense types on",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Open Time & Expenses > Setup > Configuration, enable expense types and "
                     "save."},
                    SYNC_NOW,
                ],
            },
            {
                "title": "Export reimbursable spend as vendor bills",
                "steps": [
                    {"where": SETTINGS, "admin": False,
                     "text": "In Settings > Workspaces > (your workspace) > Accounting > Export, set "
                     "reimbursable expenses to export as vendor bills."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["Does this affect company card exports?",
             "No. Only expense reports use expense types."],
        ],
    },
    {
        "code": "INT576",
        "kind": "sync",
        "title": "No expense types in Sage Intacct",
        "messages": [
            "The workspace exports reimbursable spend as expense reports, but Sage Intacct has no expense "
            "types to import.",
        ],
        "cause": "Categories come from expense types when reimbursable spend exports as expense reports, "
        "and the company has none (often because it does not use Time & Expenses).",
        "fixes": [
            {
                "title": "Create expense types",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "In Time & Expenses > Setup > Expense Types, create the expense types you "
                     "need, each linked to a GL account."},
                    SYNC_NOW,
                ],
            },
            {
                "title": "Export reimbursable spend as vendor bills",
                "steps": [
                    {"where": SETTINGS, "admin": False,
                     "text": "In Settings > Workspaces > (your workspace) > Accounting > Export, set "
                     "reimbursable expenses to export as vendor bills; categories then come from the "
                     "chart of accounts."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["Which choice is right for us?",
             "If the company pays employees back through Time & Expenses, create expense types. "
             "Otherwise vendor bills need nothing more in Intacct."],
        ],
    },
    {
        "code": "INT592",
        "kind": "export",
        "title": "Smart Rule requires the entity level",
        "messages": [
            "Smart Rule {smart_rule} in Sage Intacct blocked the export: this record has to be created at "
            "the entity level.",
            "A Smart Rule in Sage Intacct blocked the export: this record has to be created at the entity "
            "level.",
        ],
        "cause": "A Smart Rule in Sage Intacct only allows this kind of record inside an entity, and the "
        "workspace exports at the top level (or at another entity).",
        "fixes": [
            {
                "title": "Export at the entity level",
                "steps": [_ENTITY_LEVEL_STEP, SYNC_NOW],
            },
            {
                "title": "Change the Smart Rule",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Under Platform Services, open the Smart Rule and apply it at the entity "
                     "level, change it, or remove it."},
                ],
            },
        ],
        "faq": [
            ["Why sync after changing the entity?",
             "Each entity has its own accounts and dimensions, so the workspace needs that entity's "
             "lists before exporting."],
        ],
    },
    {
        "code": "INT664",
        "kind": "export",
        "title": "No vendor matches the submitter",
        "messages": [
            "Sage Intacct has no vendor record whose email is exactly {email}, the report submitter's "
            "email.",
        ],
        "cause": "Reimbursable spend exported as vendor bills is billed to the vendor record that "
        "represents the submitter, found by exact email match, capitalization included.",
        "fixes": [
            {
                "title": "Give the submitter a vendor record",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "In Accounts Payable > Vendors, create the vendor or correct its contact "
                     "email to {email} exactly."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["Does capitalization matter?",
             "Yes. The match is exact."],
        ],
    },
    {
        "code": "INT680",
        "kind": "export",
        "title": "Uncategorized expenses",
        "messages": [
            "Expense {expense} has no category; every line exported to Sage Intacct needs one.",
            "The report has expenses without a category; every line exported to Sage Intacct needs one.",
        ],
        "cause": "At least one expense on the report has no category, so there is no account or expense "
        "type to post it to.",
        "fixes": [
            {
                "title": "Categorize every expense",
                "steps": [
                    {"where": REPORT, "admin": False,
                     "text": "Give each uncategorized expense on the report a category."},
                ],
            },
        ],
        "faq": [
            ["Do I need to sync?",
             "No. The fix is on the report alone."],
        ],
    },
    {
        "code": "INT771",
        "kind": "export",
        "title": "Period closed for the export date",
        "messages": [
            "The Sage Intacct period for {export_date} is closed, so its batches take no new entries.",
            "The Sage Intacct period for the export date is closed, so its batches take no new entries.",
        ],
        "cause": "The export date falls in a period whose books are closed in Sage Intacct.",
        "fixes": [
            {
                "title": "Export with the exported date",
                "steps": [
                    {"where": SETTINGS, "admin": False,
                     "text": "In Settings > Workspaces > (your workspace) > Accounting > Export, change "
                     "the export date to 'Exported date' and save."},
                ],
            },
            {
                "title": "Reopen the period",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Reopen the period, or give the web services user permission to post into "
                     "closed books."},
                    SYNC_NOW,
                ],
            },
        ],
        "faq": [
            ["Why sync after reopening the period?",
             "ledgerbridge checks periods from synced data before sending, so it has to see the reopened "
             "period."],
        ],
    },
    {
        "code": "INT860",
        "kind": "export",
        "title": "GL account is restricted",
        "messages": [
            "Sage Intacct couldn't create the transaction because account {account} (linked to Credit Card "
            "{card}, reached through category {category}) is restricted.",
            "Sage Intacct couldn't create the transaction because account {account} (linked to Credit Card "
            "{card}) is restricted.",
            "Sage Intacct couldn't create the transaction because account {account} (reached through "
            "category {category}) is restricted.",
            "Sage Intacct couldn't create the transaction because account {account} is restricted.",
        ],
        "cause": "Sage Intacct keeps postings away from GL account {account}: it is inactive, it belongs "
        "to another entity, the expense's location or department falls outside the account's dimension "
        "relationships, it is the card's own liability (offset) account used as an expense account, or "
        "direct posting is disallowed on it. The account is the one behind the category or the one tied "
        "to the credit card.",
        "fixes": [
            {
                "title": "Lift the restriction in Sage Intacct",
                "steps": [
                    {"where": INTACCT, "admin": True,
                     "text": "Sign in to Sage Intacct as an administrator and open GL account {account} "
                     "in the chart of accounts."},
                    {"where": INTACCT, "admin": True,
                     "text": "Review what limits posting: status, owning entity, dimension relationships "
                     "and direct-posting setting. Remove or widen the restriction and save."},
                    SYNC_NOW,
                ],
            },
            {
                "title": "Recategorize to an unrestricted account",
                "steps": [
                    {"where": REPORT, "admin": False,
                     "text": "Move the affected expenses to a category whose GL account can take the "
                     "posting; ledgerbridge lists the categories that fit."},
                ],
            },
        ],
        "faq": [
            ["Does INT860 mean the credit card is disconnected?",
             "No. The card connection is fine; the GL account refuses the posting."],
            ["Can I fix it by choosing another category?",
             "Yes, when another category maps to an account without the restriction. The report then "
             "exports without any change in Sage Intacct."],
            ["Do I need Sage Intacct admin rights?",
             "To change the account's restrictions, yes. Recategorizing needs none."],
            ["Why did ledgerbridge report this before sending anything?",
             "The last sync recorded the account's restrictions, so preflight can see the clash in "
             "advance. Sync again after changing the account so preflight sees the change."],
        ],
    },
    {
        "code": "INT907",
        "kind": "connection",
        "title": "Connection configuration is invalid",
        "messages": [
            "The Sage Intacct connection's configuration is invalid or incomplete.",
        ],
        "cause": "The connection's stored settings or credentials no longer form a usable setup, for "
        "example after an interrupted setup or a credential change. Sync cannot repair it.",
        "fixes": [
            {
                "title": "Review the connection",
                "steps": [
                    {"where": SETTINGS, "admin": False,
                     "text": "In Settings > Workspaces > (your workspace) > Accounting, check the "
                     "connection's status, update its credentials and review the entity and export "
                     "settings."},
                    _SUPPORT_STEP,
                ],
            },
        ],
        "faq": [
            ["Will Sync Now help?",
             "No. Sync reads data through the connection; it does not repair the connection itself."],
        ],
    },
    {
        "code": "INT993",
        "kind": "export",
        "title": "Credit card charge couldn't be created",
        "messages": [
            "Sage Intacct couldn't create the credit card charge (cctransaction) for card {card}.",
            "Sage Intacct couldn't create the credit card charge (cctransaction) record.",
        ],
        "cause": "The session or connection broke down while Sage Intacct was creating the credit card "
        "charge; the report's data is not the problem.",
        "fixes": [
            {
                "title": "Check the connection and retry",
                "steps": [
                    {"where": SETTINGS, "admin": False,
                     "text": "In Settings > Workspaces > (your workspace) > Accounting, make sure the "
                     "connection shows as connected; update the credentials if it does not."},
                    SYNC_NOW,
                    RETRY,
                    _SUPPORT_STEP,
                ],
            },
        ],
        "faq": [
            ["Will editing the report help?",
             "No. The failure is in the connection, not in the report."],
        ],
    },
    {
        "code": UNKNOWN_CODE,
        "kind": "export",
        "title": "Sage Intacct error without an INT code",
        "messages": [
            "Sage Intacct returned error {intacct_error}: {intacct_text}",
            "Sage Intacct returned an error: {intacct_text}",
        ],
        "cause": "Sage Intacct refused the request for a reason ledgerbridge has no INT code for yet. The "
        "text after the colon is Intacct's own.",
        "fixes": [
            {
                "title": "Follow Sage Intacct's text",
                "steps": [
                    {"where": INTACCT, "admin": False,
                     "text": "Read Intacct's text in the message; it usually names the record or field it "
                     "refused. Correct that in Sage Intacct or on the report."},
                    SYNC_NOW,
                    RETRY,
                    _SUPPORT_STEP,
                ],
            },
        ],
        "faq": [
            ["Why is there no specific code?",
             "INT codes cover the failures that are understood. Anything else keeps Intacct's own text "
             "under INT000, so nothing is hidden."],
        ],
    },
]
