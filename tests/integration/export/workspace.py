"""A workspace connected to a demo sandbox, synced, with approved reports to export."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from ledgerbridge.demo import sandbox_credentials
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
    User,
    new_id,
)
from ledgerbridge.domain.coding import Category
from ledgerbridge.store import Coding, Connections, Database, SecretBox, Users, Workspaces
from ledgerbridge.sync import SyncService
from tests.conftest import RunningSandbox
from tests.db import new_user, new_workspace

SPENT = datetime.now(UTC).date() - timedelta(days=3)


def now() -> datetime:
    return datetime.now(UTC)


def credentials(sandbox: RunningSandbox) -> IntacctCredentials:
    return sandbox_credentials(sandbox.gateway_url)


def demo_workspace(database: Database, box: SecretBox, sandbox: RunningSandbox, owner_email: str,
                   *, sync: SyncService | None = None) -> tuple[str, User]:
    """A workspace with the default export settings (expense reports, card charges, top level,
    categories from expense types), connected to the sandbox and synced; `owner_email` is an employee's."""
    with database.session() as session:
        owner = Users(session).by_email(owner_email) or new_user(session, name="Report Owner", email=owner_email)
        workspace = new_workspace(session, name="Cedar Ridge")
        Workspaces(session).add_member(Member(workspace.id, owner.id, Role.MEMBER, now()))
        connections = Connections(session, box)
        connections.connect(workspace.id, credentials(sandbox), now())
        connections.save_settings(ConnectionSettings(workspace.id), now())
        card = Coding(session).add_card(CompanyCard(new_id(), workspace.id, "•••• 1005", owner.id, "AMEX-1005"))
    run = (sync or SyncService(database, box)).run(workspace.id)
    assert not run.errors, run.errors
    with database.session() as session:
        assert Coding(session).cards(workspace.id) == [card]
    return workspace.id, owner


def category(database: Database, workspace_id: str, name: str) -> Category:
    with database.session() as session:
        return next(c for c in Coding(session).categories(workspace_id) if c.name == name)


def card_id(database: Database, workspace_id: str) -> str:
    with database.session() as session:
        return Coding(session).cards(workspace_id)[0].id


def approved_report(database: Database, workspace_id: str, owner: User, lines: Sequence[tuple[str, str, str, bool]],
                    *, title: str = "Client dinner", spent_on: date = SPENT) -> str:
    """An approved report; each line is (merchant, amount, category id, on the company card).

    Reimbursable lines are tagged with location L110: at the top level an expense report needs one.
    """
    from ledgerbridge.store import Reports

    with database.session() as session:
        card = Coding(session).cards(workspace_id)[0].id
        reports = Reports(session)
        report = reports.add(Report(new_id(), workspace_id, owner.id, title, "USD", now(), state=ReportState.APPROVED,
                                    submitted_at=now(), submitted_by=owner.id, approved_at=now(),
                                    approved_by=owner.id))
        reports.add_expenses([
            Expense(new_id(), report.id, spent_on, merchant, Money(Decimal(amount), "USD"), category_id,
                    tags={} if on_card else {"LOCATION": "L110"},
                    payment=Payment.COMPANY_CARD if on_card else Payment.REIMBURSABLE,
                    card_id=card if on_card else None)
            for merchant, amount, category_id, on_card in lines
        ])
    return report.id


def found_in_intacct(sandbox: RunningSandbox, object_name: str, reference: str) -> list[str]:
    """The RECORDNOs of the documents whose RECORDID is `reference`."""
    return found_many(sandbox, object_name, [reference]).get(reference, [])


def found_many(sandbox: RunningSandbox, object_name: str, references: Sequence[str]) -> dict[str, list[str]]:
    """Every document of `object_name` per RECORDID among `references`."""
    import asyncio

    from ledgerbridge.intacct import ClientOptions, Condition, IntacctClient, Login, Secret, Sender

    async def run() -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        options = ClientOptions(endpoint=sandbox.gateway_url)
        async with IntacctClient(Sender("ledgerbridge", Secret("sandbox")),
                                 Login("DEMO", "xml_gateway", Secret("sandbox")), options=options) as client:
            for start in range(0, len(references), 500):
                records = await client.query_all(
                    object_name, ["RECORDNO", "RECORDID"],
                    filter=Condition("in", "RECORDID", *references[start:start + 500]), showprivate=True)
                for record in records:
                    found.setdefault(record["RECORDID"], []).append(record["RECORDNO"])
        return found

    return asyncio.run(run())
