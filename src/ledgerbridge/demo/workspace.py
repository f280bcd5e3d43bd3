"""The demo workspace: Cedar Ridge's people, its connection to the sandbox's DEMO company, and a few reports.

One of the reports is the founding case: a dinner on the AMEX-1005 company card, coded to Entertainment,
whose account 6400 is owned by entity E200 in Intacct, so its export is refused with INT860.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Final

from argon2 import PasswordHasher

from ledgerbridge.domain import (
    CompanyCard,
    ConnectionSettings,
    Expense,
    IntacctCredentials,
    Member,
    Money,
    Payment,
    Report,
    ReportState,
    Role,
    SyncRun,
    User,
    Workspace,
    new_id,
)
from ledgerbridge.domain.ids import ReportId, UserId, WorkspaceId
from ledgerbridge.store import Coding, Connections, Database, Reports, SecretBox, Users, Workspaces
from ledgerbridge.sync import SyncService

WORKSPACE_NAME: Final = "Cedar Ridge"
DEMO_PASSWORD: Final = "cedar-ridge-demo"  # noqa: S105 - the published password of the demo users
"""Every demo user signs in with this password; it is printed wherever the demo is started."""

SANDBOX_SENDER: Final = ("ledgerbridge", "sandbox")
SANDBOX_LOGIN: Final = ("DEMO", "xml_gateway", "sandbox")


@dataclass(frozen=True, slots=True)
class DemoPerson:
    name: str
    email: str
    role: Role


PEOPLE: Final = (
    DemoPerson("James O'Connor", "james.oconnor@cedarridge.example", Role.ADMIN),
    DemoPerson("David Chen", "david.chen@cedarridge.example", Role.APPROVER),
    DemoPerson("Maria Alvarez", "maria.alvarez@cedarridge.example", Role.MEMBER),
)
"""The admin, the approver and the member; their emails are those of employees in the DEMO company."""

FOUNDING_REPORT_TITLE: Final = "Client dinner at Harbor Grill"


@dataclass(frozen=True, slots=True)
class DemoWorkspace:
    """What the demo created, for the caller to print or to act on."""

    workspace_id: WorkspaceId
    users: tuple[tuple[DemoPerson, UserId], ...]
    founding_report: ReportId | None
    """The card report refused with INT860; none when the workspace was not synced."""
    reports: tuple[ReportId, ...]
    sync: SyncRun | None

    def user(self, role: Role) -> UserId:
        return next(user_id for person, user_id in self.users if person.role is role)


def sandbox_credentials(gateway_url: str) -> IntacctCredentials:
    """The sandbox's published Web Services credentials for the DEMO company at `gateway_url`."""
    return IntacctCredentials(SANDBOX_SENDER[0], SANDBOX_SENDER[1], *SANDBOX_LOGIN, endpoint_url=gateway_url)


def find_demo(database: Database) -> WorkspaceId | None:
    """The demo workspace if it was created before (its admin's first workspace of that name)."""
    with database.session() as session:
        admin = Users(session).by_email(PEOPLE[0].email)
        if admin is None:
            return None
        return next((ws.id for ws, _ in Workspaces(session).of_user(admin.id) if ws.name == WORKSPACE_NAME), None)


def create_demo(database: Database, box: SecretBox, gateway_url: str, *, sync: bool = True,
                today: date | None = None) -> DemoWorkspace:
    """Create the demo workspace connected to the sandbox at `gateway_url`; sync it unless `sync` is false.

    Reports are added after the sync, because their categories come from Intacct's expense types.
    """
    at = datetime.now(UTC)
    hasher = PasswordHasher()
    with database.session() as session:
        users = Users(session)
        workspaces = Workspaces(session)
        workspace = workspaces.add(Workspace(new_id(), WORKSPACE_NAME, "USD", at))
        people: list[tuple[DemoPerson, UserId]] = []
        for person in PEOPLE:
            user = users.by_email(person.email) or users.add(
                User(new_id(), person.email, person.name, hasher.hash(DEMO_PASSWORD), at))
            workspaces.add_member(Member(workspace.id, user.id, person.role, at))
            people.append((person, user.id))
        connections = Connections(session, box)
        connections.connect(workspace.id, sandbox_credentials(gateway_url), at)
        connections.save_settings(ConnectionSettings(workspace.id), at)
        member = people[2][1]
        Coding(session).add_card(CompanyCard(new_id(), workspace.id, "•••• 1005", member, "AMEX-1005"))
    run = SyncService(database, box).run(workspace.id) if sync else None
    reports = _add_reports(database, workspace.id, {p.role: uid for p, uid in people},
                           today or at.date()) if run is not None and not run.errors else ()
    return DemoWorkspace(workspace.id, tuple(people), reports[0] if reports else None, reports, run)


def _add_reports(database: Database, workspace_id: WorkspaceId, users: dict[Role, UserId],
                 today: date) -> tuple[ReportId, ...]:
    member, approver = users[Role.MEMBER], users[Role.APPROVER]
    with database.session() as session:
        categories = {c.name: c.id for c in Coding(session).categories(workspace_id)}
        card = Coding(session).cards(workspace_id)[0].id
        reports = Reports(session)
        at = datetime.now(UTC)

        def report(title: str, state: ReportState, lines: Sequence[tuple[int, str, str, str, bool]]) -> ReportId:
            submitted = state is not ReportState.DRAFT
            approved = state is ReportState.APPROVED
            added = reports.add(Report(
                new_id(), workspace_id, member, title, "USD", at, state=state,
                submitted_at=at if submitted else None, submitted_by=member if submitted else None,
                approved_at=at if approved else None, approved_by=approver if approved else None))
            reports.add_expenses([
                Expense(new_id(), added.id, today - timedelta(days=days_ago), merchant,
                        Money(Decimal(amount), "USD"), categories[category],
                        tags={} if on_card else {"LOCATION": "L110", "DEPARTMENT": "D100"},
                        payment=Payment.COMPANY_CARD if on_card else Payment.REIMBURSABLE,
                        card_id=card if on_card else None)
                for days_ago, merchant, amount, category, on_card in lines
            ])
            return added.id

        return (
            report(FOUNDING_REPORT_TITLE, ReportState.APPROVED, [(3, "Harbor Grill", "86.40", "Entertainment", True)]),
            report("Boston client visit", ReportState.APPROVED, [
                (9, "Delta Air Lines", "412.60", "Airfare", False),
                (8, "Hotel Commonwealth", "289.00", "Lodging", False),
                (8, "Union Oyster House", "64.25", "Client Meals", False),
            ]),
            report("Team offsite supplies", ReportState.SUBMITTED, [(5, "Staples", "48.99", "Office Supplies", True)]),
            report("Conference registration", ReportState.DRAFT, [(1, "SaaStr", "995.00", "Training", False)]),
        )
