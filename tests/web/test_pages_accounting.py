"""Settings > Workspaces > Cedar Ridge > Accounting: connection, versioned settings, Sync Now."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from ledgerbridge.demo import sandbox_credentials
from ledgerbridge.domain import CompanyCardAs, SyncProgress, SyncRun, new_id
from ledgerbridge.domain.sync_runs import SyncFailure, SyncStatus
from ledgerbridge.store import Connections, SyncRuns
from tests.web.conftest import Site, Visitor


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" &gt; ", " > ")


def settings_form(site: Site, visitor: Visitor, **changes: str) -> dict[str, str]:
    """The settings form as the page fills it in, with `changes` typed over it."""
    html = visitor.get(site.url("settings", "accounting")).text
    version = re.search(r'name="version" value="(\d+)"', html)
    assert version
    form = {"version": version.group(1), "entity": "", "categories_from": "expense_types",
            "dimension_DEPARTMENT": "tag", "dimension_LOCATION": "tag", "dimension_CLASS": "tag",
            "dimension_PROJECT": "none", "dimension_CUSTOMER": "none", "user_defined_dimensions": "",
            "export_date": "last_expense", "reimbursable_as": "expense_report",
            "company_card_as": "credit_card_charge", "preferred_exporter": "", "default_vendor": "",
            "default_charge_card_account": "", "card_journal": "GJ"}
    form.update(changes)
    return form


def test_the_page_follows_the_help_articles_path_and_never_shows_passwords(site: Site) -> None:
    admin = site.visitor(site.admin)
    index = admin.get("/settings")
    assert f'href="/workspaces/{site.workspace_id}/settings"' in index.text

    page = admin.get(site.url("settings", "accounting"))
    assert page.status_code == 200
    assert "Settings > Workspaces > Cedar Ridge > Accounting" in text_of(page.text)
    assert "Connected" in page.text and "DEMO" in page.text
    for field in ("entity", "categories_from", "dimension_DEPARTMENT", "user_defined_dimensions", "tax",
                  "preferred_exporter", "export_date", "reimbursable_as", "company_card_as", "default_vendor",
                  "default_charge_card_account", "card_journal", "auto_sync", "auto_export"):
        assert f'name="{field}"' in page.text, field
    assert 'value="sandbox"' not in page.text
    assert ">Sync Now</button>" in page.text


def test_settings_are_saved_with_a_new_version(site: Site) -> None:
    admin = site.visitor(site.admin)
    form = settings_form(site, admin, entity="E100", company_card_as="journal_entry", auto_sync="on",
                         user_defined_dimensions="GLDIMPROGRAM report_field", preferred_exporter=site.admin.id)
    saved = admin.post(site.url("settings", "accounting", "settings"), form)
    assert saved.status_code == 303
    assert "Settings saved (version 2)." in admin.follow(saved).text

    with site.database.session() as session:
        settings = Connections(session, site.box).settings(site.workspace_id)
    assert (settings.version, settings.entity, settings.company_card_as) == (2, "E100", CompanyCardAs.JOURNAL_ENTRY)
    assert settings.auto_sync and not settings.auto_export
    assert settings.preferred_exporter == site.admin.id
    assert [d.integration_name for d in settings.user_defined_dimensions] == ["GLDIMPROGRAM"]


def test_the_card_journal_is_shown_saved_and_may_be_cleared(site: Site) -> None:
    admin = site.visitor(site.admin)
    assert 'name="card_journal" type="text" value="GJ"' in admin.get(site.url("settings", "accounting")).text

    saved = admin.post(site.url("settings", "accounting", "settings"),
                       settings_form(site, admin, company_card_as="journal_entry", card_journal="ADJ"))
    assert saved.status_code == 303
    assert 'name="card_journal" type="text" value="ADJ"' in admin.follow(saved).text
    cleared = admin.post(site.url("settings", "accounting", "settings"), settings_form(site, admin, card_journal=""))
    assert cleared.status_code == 303
    with site.database.session() as session:
        settings = Connections(session, site.box).settings(site.workspace_id)
    assert (settings.version, settings.card_journal) == (3, None)

    too_long = admin.post(site.url("settings", "accounting", "settings"),
                          settings_form(site, admin, card_journal="J" * 41))
    assert too_long.status_code == 422
    assert "The journal symbol can be at most 40 characters." in too_long.text


def test_a_stale_edit_is_refused_with_a_clear_message_and_not_applied(site: Site) -> None:
    first, second = site.visitor(site.admin), site.visitor(site.admin)
    theirs = settings_form(site, first, entity="E100")
    mine = settings_form(site, second, entity="E200")
    assert theirs["version"] == mine["version"]
    assert first.post(site.url("settings", "accounting", "settings"), theirs).status_code == 303

    stale = second.post(site.url("settings", "accounting", "settings"), mine)
    assert stale.status_code == 409
    assert "Someone else saved these settings after you opened this page" in stale.text
    assert 'name="entity" type="text" value="E100"' in stale.text
    with site.database.session() as session:
        assert Connections(session, site.box).settings(site.workspace_id).entity == "E100"


def test_bad_settings_get_field_messages(site: Site) -> None:
    admin = site.visitor(site.admin)
    form = settings_form(site, admin, entity="E" * 101, preferred_exporter=site.member.id,
                         user_defined_dimensions="PROGRAM\nPROGRAM", export_date="someday")
    refused = admin.post(site.url("settings", "accounting", "settings"), form)
    assert refused.status_code == 422
    assert "The entity ID can be at most 100 characters." in refused.text
    assert "The preferred exporter must be an admin of the workspace." in refused.text
    assert "PROGRAM is listed twice." in refused.text
    assert "Choose one of the listed options." in refused.text
    with site.database.session() as session:
        assert Connections(session, site.box).settings(site.workspace_id).version == 1


def test_disconnect_then_connect_with_credentials_tested_by_intacct(site: Site) -> None:
    admin = site.visitor(site.admin)
    credentials = sandbox_credentials(_endpoint(site))
    gone = admin.post(site.url("settings", "accounting", "disconnect"))
    assert "Disconnected from Sage Intacct" in admin.follow(gone).text
    good = {"company_id": credentials.company_id, "user_id": credentials.user_id,
            "user_password": credentials.user_password, "sender_id": credentials.sender_id,
            "sender_password": credentials.sender_password, "endpoint_url": credentials.endpoint_url}
    connect = site.url("settings", "accounting", "connect")

    empty = admin.post(connect, {**good, "company_id": ""})
    assert empty.status_code == 422 and "Enter the Company ID." in empty.text

    refused = admin.post(connect, {**good, "user_password": "wrong-password"})
    assert refused.status_code == 422
    assert re.search(r"Sage Intacct refused the connection \(INT\d+\)", refused.text)
    assert "wrong-password" not in refused.text

    connected = admin.post(connect, good)
    assert connected.status_code == 303
    assert "Connected to Sage Intacct company DEMO." in admin.follow(connected).text


def test_updating_credentials_keeps_a_password_left_empty(site: Site) -> None:
    admin = site.visitor(site.admin)
    endpoint = _endpoint(site)
    update = {"company_id": "DEMO", "user_id": "xml_gateway", "user_password": "", "sender_id": "ledgerbridge",
              "sender_password": "", "endpoint_url": endpoint}
    response = admin.post(site.url("settings", "accounting", "credentials"), update)
    assert response.status_code == 303
    assert "Credentials updated" in admin.follow(response).text
    wrong = admin.post(site.url("settings", "accounting", "credentials"), {**update, "user_id": "clerk",
                                                                             "user_password": "nope"})
    assert wrong.status_code == 422 and "refused the connection" in wrong.text
    with site.database.session() as session:
        connection = Connections(session, site.box).get(site.workspace_id)
    assert connection is not None and connection.credentials.user_id == "xml_gateway"


def test_sync_now_runs_and_shows_the_last_sync_status(site: Site) -> None:
    admin = site.visitor(site.admin)
    admin.get(site.url("settings", "accounting"))
    panel = admin.client.post(site.url("settings", "accounting", "sync"),
                              headers={"HX-Request": "true", "X-CSRF-Token": admin.token})
    assert panel.status_code == 200
    assert 'id="sync-panel"' in panel.text and "<html" not in panel.text
    assert "Succeeded" in panel.text and "GLACCOUNT" in panel.text

    categories = admin.get(site.url("settings", "categories")).text
    entertainment = re.search(r'<th scope="row">Entertainment</th>.*?</tr>', categories, re.S)
    assert entertainment and "Restricted in Intacct" in entertainment.group(0)
    assert "6400" in entertainment.group(0) and "E200" in entertainment.group(0)


def test_a_running_sync_shows_progress_and_is_polled(site: Site) -> None:
    with site.database.session() as session:
        SyncRuns(session).start(SyncRun(new_id(), site.workspace_id, datetime.now(UTC),
                                        progress=SyncProgress(3, 12, 250)))
    admin = site.visitor(site.admin)
    page = admin.get(site.url("settings", "accounting"))
    assert "3 of 12 record types read, 250 rows so far." in page.text
    assert 'hx-trigger="every 1s"' in page.text

    again = admin.client.post(site.url("settings", "accounting", "sync"),
                              headers={"HX-Request": "true", "X-CSRF-Token": admin.token})
    assert "already running" in again.text


def test_sync_errors_are_shown_with_their_int_codes(site: Site) -> None:
    at = datetime.now(UTC)
    failure = SyncFailure("INT122", "Sage Intacct did not accept the user's credentials", "XL03000006", None)
    with site.database.session() as session:
        run = SyncRuns(session).start(SyncRun(new_id(), site.workspace_id, at))
        SyncRuns(session).save(run.finished(SyncStatus.FAILED, at, (failure,)))
    admin = site.visitor(site.admin)
    fragment = admin.get(site.url("settings", "accounting", "sync"), headers={"HX-Request": "true"}).text
    assert "Failed" in fragment and "INT122" in fragment and "did not accept" in fragment
    assert "every 1s" not in fragment


def _endpoint(site: Site) -> str:
    with site.database.session() as session:
        connection = Connections(session, site.box).get(site.workspace_id)
    if connection is not None:
        return connection.credentials.endpoint_url
    raise AssertionError("the site starts connected")
