"""Every settings page renders for each role it allows, is refused (403) for the others and hidden (404) from
outsiders; actions are refused the same way."""

from __future__ import annotations

import pytest

from tests.web.conftest import ROLES, Site, visitor_as

PAGES = {
    ("settings", "accounting"): {"admin": 200, "approver": 403, "member": 403, "outsider": 404},
    ("settings", "accounting", "sync"): {"admin": 200, "approver": 403, "member": 403, "outsider": 404},
    ("settings", "categories"): {"admin": 200, "approver": 200, "member": 200, "outsider": 404},
    ("settings", "tags"): {"admin": 200, "approver": 200, "member": 200, "outsider": 404},
    ("settings", "cards"): {"admin": 200, "approver": 200, "member": 200, "outsider": 404},
    ("settings", "members"): {"admin": 200, "approver": 200, "member": 403, "outsider": 404},
}


@pytest.mark.parametrize("role", ROLES)
def test_each_page_answers_each_role(site: Site, role: str) -> None:
    visitor = visitor_as(site, role)
    assert visitor.get("/settings").status_code == 200
    for parts, expected in PAGES.items():
        response = visitor.get(site.url(*parts))
        assert response.status_code == expected[role], (parts, role, response.text[:500])
        if expected[role] == 403:
            assert "Not allowed" in response.text and f"({role})" in response.text
        if expected[role] == 404:
            assert "Page not found" in response.text and "Cedar Ridge" not in response.text


@pytest.mark.parametrize("role", ["approver", "member"])
def test_actions_beyond_the_role_are_refused(site: Site, role: str) -> None:
    visitor = visitor_as(site, role)
    actions = [
        (("settings", "accounting", "sync"), {}),
        (("settings", "accounting", "settings"), {"version": "1"}),
        (("settings", "accounting", "disconnect"), {}),
        (("settings", "categories", site.restricted_category, "enabled"), {"enabled": "off"}),
        (("settings", "tags", site.tag_id, "enabled"), {"enabled": "off"}),
        (("settings", "cards", site.card_id), {"charge_card_account": ""}),
        (("settings", "members"), {"email": site.outsider.email, "role": "admin"}),
        (("settings", "members", site.admin.id, "remove"), {}),
    ]
    for parts, data in actions:
        response = visitor.post(site.url(*parts), data)
        assert response.status_code == 403, (parts, role)


def test_a_member_does_not_see_the_accounting_tab(site: Site) -> None:
    member = visitor_as(site, "member")
    page = member.get(site.url("settings", "categories"))
    assert ">Accounting</a>" not in page.text and ">Members</a>" not in page.text
    assert member.get(site.url("settings")).headers["location"].endswith("/settings/categories")

    admin = visitor_as(site, "admin")
    assert ">Accounting</a>" in admin.get(site.url("settings", "categories")).text
    assert admin.get(site.url("settings")).headers["location"].endswith("/settings/accounting")
