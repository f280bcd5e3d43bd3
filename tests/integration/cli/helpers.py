"""Running `ledgerbridge` in tests: the real app through Typer's runner, and workspace coding to import against."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from ledgerbridge.cli.main import app
from ledgerbridge.domain import Category, CompanyCard, Tag, mask_card_number, new_id
from ledgerbridge.store import Coding, Database


@dataclass(frozen=True)
class Cli:
    """`ledgerbridge` with the environment pointing at one test database and a data dir of its own."""

    database: Database
    env: dict[str, str | None]
    data_dir: Path

    def __call__(self, *args: str, input: str | None = None, env: dict[str, str | None] | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(app, list(args), input=input, env={**self.env, **(env or {})})

    def ok(self, *args: str, input: str | None = None) -> Result:
        """Run a command that must succeed."""
        result = self(*args, input=input)
        assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
        return result

    def new_user(self, name: str = "Ada Admin") -> str:
        email = f"{uuid.uuid4().hex[:10]}@example.com"
        self.ok("users", "create", email, "--name", name, "--password-stdin", input="correct horse battery\n")
        return email

    def new_workspace(self, *, admin: str | None = None, currency: str = "USD", name: str | None = None) -> str:
        """A workspace with a unique name (the tests share one database); returns its id."""
        admin = admin or self.new_user()
        name = name or f"Acme {uuid.uuid4().hex[:8]}"
        result = self.ok("workspaces", "create", name, "--admin", admin, "--currency", currency, "--json")
        return str(json.loads(result.stdout)["id"])


def lines(result: Result) -> Sequence[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


@dataclass(frozen=True)
class SeededCoding:
    travel: str
    meals: str
    card_1005: str


def seed_coding(database: Database, workspace_id: str) -> SeededCoding:
    """Categories, department and location tags, and two company cards, as a sync would leave them."""
    with database.session() as session:
        coding = Coding(session)
        travel = coding.add_category(Category(new_id(), workspace_id, "Travel", gl_account="6000"))
        meals = coding.add_category(Category(new_id(), workspace_id, "Meals & Entertainment", gl_account="6100"))
        coding.add_category(Category(new_id(), workspace_id, "Old Stuff", enabled=False, gl_account="6900"))
        coding.add_tag(Tag(new_id(), workspace_id, "DEPARTMENT", "D100", "Engineering"))
        coding.add_tag(Tag(new_id(), workspace_id, "DEPARTMENT", "D200", "Sales", enabled=False))
        coding.add_tag(Tag(new_id(), workspace_id, "LOCATION", "L1", "New York"))
        card = coding.add_card(CompanyCard(new_id(), workspace_id, mask_card_number("4111111111111005")))
        coding.add_card(CompanyCard(new_id(), workspace_id, mask_card_number("5500000000002002")))
    return SeededCoding(travel.id, meals.id, card.id)
