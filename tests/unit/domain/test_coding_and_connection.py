"""Coding rules, credentials that never print, and settings that validate themselves."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ledgerbridge.domain import (
    Category,
    CompanyCard,
    ConnectionSettings,
    DimensionImport,
    IntacctAccount,
    IntacctCredentials,
    InvalidCoding,
    InvalidSettings,
    KindCounts,
    SyncRun,
    SyncStatus,
    UserDefinedDimension,
    UserDefinedImport,
    mask_card_number,
)
from ledgerbridge.domain.connection import DEFAULT_ENDPOINT

CREDS = IntacctCredentials(
    sender_id="acme_sender", sender_password="s3nder-Secret!", company_id="ACME", user_id="xml_gateway",
    user_password="us3r-Secret!",
)


def test_credentials_repr_and_str_hide_both_passwords() -> None:
    for shown in (repr(CREDS), str(CREDS), f"{CREDS}", repr([CREDS])):
        assert "s3nder-Secret!" not in shown and "us3r-Secret!" not in shown
        assert "acme_sender" in shown and "ACME" in shown
    assert CREDS.endpoint_url == DEFAULT_ENDPOINT


def test_a_category_maps_to_a_gl_account_or_an_expense_type_not_both() -> None:
    Category("c1", "w1", "Travel", gl_account="6400")
    Category("c2", "w1", "Meals", expense_type="Meals")
    with pytest.raises(InvalidCoding, match="maps to both"):
        Category("c3", "w1", "Mixed", gl_account="6400", expense_type="Meals")


def test_card_numbers_keep_only_the_last_four_digits() -> None:
    assert mask_card_number("4111 1111 1111 1005") == "•••• 1005"
    CompanyCard("k1", "w1", mask_card_number("4111111111111005"))
    with pytest.raises(InvalidCoding):
        CompanyCard("k2", "w1", "4111111111111005")


def test_settings_default_to_top_level_expense_reports_and_version_1() -> None:
    settings = ConnectionSettings("w1")
    assert settings.version == 1 and settings.entity == ""
    assert settings.import_of("DEPARTMENT") is DimensionImport.TAG
    assert settings.import_of("PROJECT") is DimensionImport.NONE


def test_user_defined_dimensions_are_found_by_integration_name() -> None:
    settings = ConnectionSettings(
        "w1", user_defined_dimensions=(UserDefinedDimension("REGION", UserDefinedImport.REPORT_FIELD),)
    )
    assert settings.import_of("REGION") is DimensionImport.REPORT_FIELD
    assert settings.import_of("NOT_THERE") is DimensionImport.NONE


def test_settings_refuse_unknown_standard_dimensions_and_duplicates() -> None:
    with pytest.raises(InvalidSettings, match="unknown standard dimensions"):
        ConnectionSettings("w1", dimensions={"REGION": DimensionImport.TAG})
    with pytest.raises(InvalidSettings, match="twice"):
        ConnectionSettings("w1", user_defined_dimensions=(UserDefinedDimension("R"), UserDefinedDimension("R")))


def test_snapshot_records_know_whether_they_are_active() -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    account = IntacctAccount(workspace_id="w1", account_no="6400", title="Travel", status="inactive", synced_at=at)
    assert not account.active


def test_a_finished_sync_run_keeps_its_errors_and_counts() -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    run = SyncRun("s1", "w1", at, counts={"GLACCOUNT": KindCounts(read=3) + KindCounts(read=2, created=1)})
    done = run.finished(SyncStatus.SUCCEEDED, at)
    assert done.counts["GLACCOUNT"] == KindCounts(read=5, created=1)
    assert done.finished_at == at
    with pytest.raises(ValueError, match="finishes"):
        run.finished(SyncStatus.RUNNING, at)
    assert date(2026, 3, 1) == done.finished_at.date()
