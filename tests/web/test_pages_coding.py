"""Categories (with Intacct's restriction badges), Tags per dimension, Company cards, Members."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from ledgerbridge.domain import IntacctCardAccount, Role
from ledgerbridge.store import Coding, Snapshots, Workspaces
from tests.web.conftest import Site


def row(html: str, name: str) -> str:
    found = re.search(rf"<tr[^>]*>\s*<th scope=\"row\">(?:<span class=\"code\">)?{re.escape(name)}.*?</tr>", html, re.S)
    assert found, f"no row for {name}"
    return found.group(0)


def test_categories_show_the_gl_account_and_badge_restricted_and_inactive_ones(site: Site) -> None:
    page = site.visitor(site.member).get(site.url("settings", "categories")).text
    entertainment, old_travel, airfare = row(page, "Entertainment"), row(page, "Old Travel"), row(page, "Airfare")
    assert "6400" in entertainment and "Restricted in Intacct" in entertainment
    assert "account 6400 belongs to entity E200" in entertainment
    assert "Inactive in Intacct" in old_travel and "Disabled" in old_travel
    assert "Expense type Airfare" in airfare and "badge ok" in airfare
    assert "Disable" not in entertainment  # members see, admins change


def test_an_admin_disables_and_enables_a_category(site: Site) -> None:
    admin = site.visitor(site.admin)
    url = site.url("settings", "categories", site.restricted_category, "enabled")
    done = admin.follow(admin.post(url, {"enabled": "off"}))
    assert "Category Entertainment disabled." in done.text
    assert "Disabled" in row(done.text, "Entertainment")
    admin.follow(admin.post(url, {"enabled": "on"}))
    with site.database.session() as session:
        assert Coding(session).category(site.workspace_id, site.restricted_category).enabled


def test_tags_are_listed_per_dimension_and_can_be_disabled(site: Site) -> None:
    admin = site.visitor(site.admin)
    page = admin.get(site.url("settings", "tags")).text
    assert 'id="dim-DEPARTMENT"' in page and 'id="dim-LOCATION"' in page
    only_departments = admin.get(site.url("settings", "tags"), params={"dimension": "DEPARTMENT"}).text
    assert "D100" in only_departments and "L110" not in only_departments

    done = admin.follow(admin.post(site.url("settings", "tags", site.tag_id, "enabled"), {"enabled": "off"}))
    assert "Tag DEPARTMENT D100 (Sales) disabled." in done.text
    with site.database.session() as session:
        assert not Coding(session).tag(site.workspace_id, site.tag_id).enabled


def test_an_admin_maps_a_company_card_to_a_synced_charge_card_account(site: Site) -> None:
    with site.database.session() as session:
        Snapshots(session).upsert([
            IntacctCardAccount(workspace_id=site.workspace_id, card_id=card, description=card,
                               synced_at=datetime.now(UTC)) for card in ("AMEX-1005", "VISA-2001")])
    admin = site.visitor(site.admin)
    url = site.url("settings", "cards", site.card_id)
    page = admin.get(site.url("settings", "cards")).text
    assert 'name="charge_card_account"' in page and "VISA-2001" in page

    unknown = admin.post(url, {"charge_card_account": "NOPE-1", "cardholder": site.member.id})
    assert unknown.status_code == 422
    assert "Sage Intacct has no charge card account NOPE-1" in unknown.text

    mapped = admin.follow(admin.post(url, {"charge_card_account": "VISA-2001", "cardholder": site.member.id}))
    assert "Card •••• 1005 is mapped to VISA-2001." in mapped.text
    with site.database.session() as session:
        assert Coding(session).card(site.workspace_id, site.card_id).charge_card_account == "VISA-2001"


def test_members_see_company_cards_without_forms(site: Site) -> None:
    page = site.visitor(site.member).get(site.url("settings", "cards")).text
    card = row(page, "•••• 1005")
    assert "AMEX-1005" in card and "Maria Alvarez" in card and "<form" not in card


def test_an_admin_adds_a_member_by_email_with_field_messages_for_bad_input(site: Site) -> None:
    admin = site.visitor(site.admin)
    url = site.url("settings", "members")

    bad = admin.post(url, {"email": "maria at example", "role": "member"})
    assert bad.status_code == 422 and "Enter an email address like name@example.com." in bad.text
    unknown = admin.post(url, {"email": "nobody-here@example.com", "role": "member"})
    assert unknown.status_code == 422 and "Nobody signs in with this email yet" in unknown.text
    twice = admin.post(url, {"email": site.member.email, "role": "member"})
    assert twice.status_code == 422 and "already a member" in twice.text
    bad_role = admin.post(url, {"email": site.outsider.email, "role": "owner"})
    assert bad_role.status_code == 422 and "Choose admin, approver or member." in bad_role.text

    added = admin.follow(admin.post(url, {"email": site.outsider.email.upper(), "role": "approver"}))
    assert "Olga Outsider added as approver." in added.text
    with site.database.session() as session:
        assert Workspaces(session).role_of(site.workspace_id, site.outsider.id) is Role.APPROVER


def test_an_admin_changes_roles_and_removes_members_but_keeps_an_admin(site: Site) -> None:
    admin = site.visitor(site.admin)
    promoted = admin.follow(admin.post(site.url("settings", "members", site.member.id, "role"), {"role": "approver"}))
    assert "Maria Alvarez is now approver." in promoted.text

    last = admin.follow(admin.post(site.url("settings", "members", site.admin.id, "role"), {"role": "member"}))
    assert "make someone else admin first" in last.text
    removed = admin.follow(admin.post(site.url("settings", "members", site.approver.id, "remove")))
    assert "David Chen was removed from the workspace." in removed.text
    with site.database.session() as session:
        workspaces = Workspaces(session)
        assert workspaces.role_of(site.workspace_id, site.member.id) is Role.APPROVER
        assert workspaces.role_of(site.workspace_id, site.admin.id) is Role.ADMIN
        assert workspaces.role_of(site.workspace_id, site.approver.id) is None


def test_approvers_see_members_without_forms(site: Site) -> None:
    page = site.visitor(site.approver).get(site.url("settings", "members")).text
    assert "Maria Alvarez" in page and "<select" not in page.split("</header>")[1].split("<footer")[0]
    assert "Add a member" not in page
