"""Report list, report page and export health, over HTTP for each role, on the demo workspace."""

from __future__ import annotations

import html as html_module
import re
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI

from ledgerbridge.demo import DEMO_PASSWORD, DemoWorkspace, create_demo
from ledgerbridge.domain import Report, Role, new_id
from ledgerbridge.store import Coding, Database, Reports, SecretBox
from tests.conftest import RunningSandbox
from tests.web.conftest import Visitor

EMAILS = {Role.ADMIN: "james.oconnor@cedarridge.example", Role.APPROVER: "david.chen@cedarridge.example",
          Role.MEMBER: "maria.alvarez@cedarridge.example"}


@pytest.fixture
def demo(database: Database, secret_box: SecretBox, sandbox_server: RunningSandbox) -> DemoWorkspace:
    made = create_demo(database, secret_box, sandbox_server.gateway_url)
    assert made.founding_report is not None
    return made


def visitor(app: FastAPI, role: Role) -> Visitor:
    found = Visitor(app)
    found.sign_in(EMAILS[role], DEMO_PASSWORD)
    return found


def url(demo: DemoWorkspace, *parts: str) -> str:
    return "/".join([f"/workspaces/{demo.workspace_id}", *parts])


def text_of(html: str) -> str:
    """The page's words without tags, spaces collapsed: what a reader sees."""
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return html_module.unescape(words)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.APPROVER, Role.MEMBER])
def test_every_report_page_renders_for_each_role(app: FastAPI, demo: DemoWorkspace, role: Role) -> None:
    who = visitor(app, role)
    founding = demo.founding_report
    assert founding is not None
    for path in (url(demo, "reports"), url(demo, "reports") + "?state=approved&export_status=none&q=dinner",
                 url(demo, "reports") + "?int_code=INT860", url(demo, "reports", founding),
                 *(url(demo, "reports", r) for r in demo.reports[1:]), url(demo, "health"),
                 url(demo, "health") + "?days=90"):
        response = who.get(path)
        assert response.status_code == 200, (path, response.text[:500])
    listing = text_of(who.get(url(demo, "reports")).text)
    assert "Client dinner at Harbor Grill" in listing
    assert ("Retry selected" in listing) is (role is Role.ADMIN)
    report = text_of(who.get(url(demo, "reports", founding)).text)
    assert ("Export to Sage Intacct" in report) is (role is Role.ADMIN)


def test_export_shows_the_int860_banner_with_its_fixes_then_recategorize_and_retry(
        app: FastAPI, demo: DemoWorkspace, database: Database) -> None:
    admin = visitor(app, Role.ADMIN)
    founding = demo.founding_report
    assert founding is not None
    exported = admin.post(url(demo, "reports", founding, "export"))
    assert exported.status_code == 303
    page = admin.follow(exported)
    seen = text_of(page.text)
    assert ("INT860 Export Error: Sage Intacct couldn't create the transaction because account 6400 "
            "(linked to Credit Card AMEX-1005") in seen
    assert "Why" in seen and "GL account 6400" in seen
    assert "Sage Intacct" in seen and "Workspace settings" in seen and "The report" in seen
    assert "Needs Sage Intacct admin rights" in seen
    assert "Sync Now" in seen and "Retry export" in seen
    suggested = page.text.split('label="Suggested: accounts that take these lines"')[1].split("</optgroup>")[0]
    assert "Company Events" in suggested

    listing = text_of(admin.get(url(demo, "reports") + "?int_code=INT860").text)
    assert "Client dinner at Harbor Grill" in listing and "Retry all failed with INT860" in listing

    with database.session() as session:
        events = next(c for c in Coding(session).categories(demo.workspace_id) if c.name == "Company Events")
    moved = admin.post(url(demo, "reports", founding, "recategorize"),
                       {"category_id": events.id, "int_code": "INT860"})
    assert moved.status_code == 303
    assert "no longer finds this problem" in text_of(admin.follow(moved).text)

    retried = admin.post(url(demo, "reports", founding, "retry"))
    assert retried.status_code == 303
    done_page = admin.follow(retried).text
    done = text_of(done_page)
    assert "In Sage Intacct" in done and "Credit card charge (CCTRANSACTION)" in done
    assert 'id="error-banner"' not in done_page
    assert "Recategorized" in done and "Exported to Sage Intacct" in done


def test_forms_and_filters_refuse_bad_input_with_messages(app: FastAPI, demo: DemoWorkspace) -> None:
    admin = visitor(app, Role.ADMIN)
    founding = demo.founding_report
    assert founding is not None
    for query, message in (("int_code=XYZ", "An INT code is INT followed by three digits"),
                           ("export_status=bogus", "Choose an export status from the list."),
                           ("state=lost", "There is no report state 'lost'"),
                           ("after=not-a-cursor", "That page link is not valid any more")):
        response = admin.get(url(demo, "reports") + "?" + query)
        assert response.status_code == 422, query
        assert message in text_of(response.text)
    empty = admin.post(url(demo, "reports", "retry"), {})
    assert empty.status_code == 422 and "Select at least one report to retry." in text_of(empty.text)
    bad_code = admin.post(url(demo, "reports", "retry"), {"int_code": "860"})
    assert bad_code.status_code == 422 and "INT followed by three digits" in text_of(bad_code.text)
    no_category = admin.post(url(demo, "reports", founding, "recategorize"), {"category_id": ""})
    assert no_category.status_code == 422 and "Choose the category" in text_of(no_category.text)
    unknown = admin.post(url(demo, "reports", founding, "recategorize"), {"category_id": "nope"})
    assert unknown.status_code == 422 and "does not exist in this workspace" in text_of(unknown.text)
    days = admin.get(url(demo, "health") + "?days=5")
    assert days.status_code == 422 and "Choose 7, 30 or 90 days." in text_of(days.text)
    forged = admin.post(url(demo, "reports", founding, "export"), csrf=False)
    assert forged.status_code == 403


def test_members_see_only_their_reports_and_cannot_export(app: FastAPI, demo: DemoWorkspace,
                                                         database: Database) -> None:
    with database.session() as session:
        theirs = Reports(session).add(Report(new_id(), demo.workspace_id, demo.user(Role.APPROVER),
                                             "Approver's own trip", "USD", datetime.now(UTC)))
    member = visitor(app, Role.MEMBER)
    assert "Approver's own trip" not in text_of(member.get(url(demo, "reports")).text)
    assert member.get(url(demo, "reports", theirs.id)).status_code == 404
    founding = demo.founding_report
    assert founding is not None
    assert member.post(url(demo, "reports", founding, "export")).status_code == 403
    assert member.post(url(demo, "reports", "retry"), {"int_code": "INT860"}).status_code == 403
    approver = visitor(app, Role.APPROVER)
    assert "Approver's own trip" in text_of(approver.get(url(demo, "reports")).text)


def test_bulk_retry_by_int_code_and_the_health_page_count_the_failure(app: FastAPI, demo: DemoWorkspace) -> None:
    admin = visitor(app, Role.ADMIN)
    founding = demo.founding_report
    assert founding is not None
    admin.post(url(demo, "reports", founding, "export"))
    retried = admin.post(url(demo, "reports", "retry") + "?int_code=INT860", {"int_code": "INT860"})
    assert retried.status_code == 303
    assert "1 queued for export" in text_of(admin.follow(retried).text)
    health = admin.get(url(demo, "health"))
    seen = text_of(health.text)
    assert "INT860 GL account is restricted: 1 report" in seen
    assert f'href="{url(demo, "reports")}?int_code=INT860"' in health.text
    assert "<svg" in health.text and "<title id=\"health-chart-title\">" in health.text
    assert "Failed INT860" in seen
