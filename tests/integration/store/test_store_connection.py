"""Credentials sealed at rest, and settings edits that never overwrite someone else's."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import text

from ledgerbridge.domain import (
    CompanyCardAs,
    ConnectionSettings,
    DimensionImport,
    ExportDate,
    IntacctCredentials,
    StaleEdit,
    UserDefinedDimension,
    UserDefinedImport,
    new_id,
)
from ledgerbridge.store import Connections, ConnectionStatus, Database, NotFound, SecretBox
from tests.db import new_workspace, now

SENDER_PASSWORD = "Sender-Pa55word-" + "q8Z3"
USER_PASSWORD = "User-Pa55word-" + "m4K9"


def credentials(**changes: str) -> IntacctCredentials:
    base = IntacctCredentials("acme_sender", SENDER_PASSWORD, "ACME-CO", "xml_gateway", USER_PASSWORD,
                              "http://127.0.0.1:8765/ia/xml/xmlgw.phtml")
    return dataclasses.replace(base, **changes)


def test_credentials_round_trip_and_are_never_stored_in_clear(database: Database, secret_box: SecretBox) -> None:
    with database.session() as session:
        workspace = new_workspace(session)
        Connections(session, secret_box).connect(workspace.id, credentials(), now())
    with database.session() as session:
        connection = Connections(session, secret_box).get(workspace.id)
    assert connection is not None and connection.credentials == credentials()

    if database.dialect == "sqlite":
        database.dispose()
        path = Path(database.url.database or "")
        # The database file and its WAL: whatever SQLite has written anywhere.
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        assert workspace.id.encode() in raw
    else:
        with database.engine.connect() as conn:
            raw = b"".join(bytes(row[0]) for row in conn.execute(text("SELECT credentials FROM connections")))
        assert raw
    for secret in (SENDER_PASSWORD, USER_PASSWORD):
        assert secret.encode() not in raw
        assert secret.encode("utf-16-le") not in raw


def test_updating_credentials_and_disconnecting(database: Database, secret_box: SecretBox) -> None:
    with database.session() as session:
        workspace = new_workspace(session)
        connections = Connections(session, secret_box)
        with pytest.raises(NotFound):
            connections.update_credentials(workspace.id, credentials(), now())
        connections.connect(workspace.id, credentials(), now())
        connections.update_credentials(workspace.id, credentials(user_password="rotated-secret"), now())
        connection = connections.get(workspace.id)
        assert connection is not None and connection.credentials.user_password == "rotated-secret"
        connections.disconnect(workspace.id)
        assert connections.get(workspace.id) is None


def test_settings_start_at_defaults_and_each_save_bumps_the_version(database: Database, secret_box: SecretBox) -> None:
    with database.session() as session:
        workspace = new_workspace(session)
        connections = Connections(session, secret_box)
        assert connections.settings(workspace.id) == ConnectionSettings(workspace.id)
        edited = dataclasses.replace(
            connections.settings(workspace.id),
            entity="E200",
            dimensions={"DEPARTMENT": DimensionImport.EMPLOYEE_DEFAULT, "PROJECT": DimensionImport.TAG},
            user_defined_dimensions=(UserDefinedDimension("REGION", UserDefinedImport.REPORT_FIELD),),
            export_date=ExportDate.EXPORTED,
            company_card_as=CompanyCardAs.JOURNAL_ENTRY,
            default_vendor="V-CCMISC",
            card_journal="CCJ",
            auto_sync=True,
            tax=True,
        )
        saved = connections.save_settings(edited, now())
        assert saved.version == 2
    with database.session() as session:
        assert Connections(session, secret_box).settings(workspace.id) == saved
        second = Connections(session, secret_box).save_settings(dataclasses.replace(saved, auto_export=True), now())
        assert second.version == 3
        cleared = Connections(session, secret_box).save_settings(dataclasses.replace(second, card_journal=None), now())
    with database.session() as session:
        assert Connections(session, secret_box).settings(workspace.id).card_journal is None
        assert cleared.card_journal is None


def test_a_stale_edit_is_refused_not_applied(database: Database, secret_box: SecretBox) -> None:
    with database.session() as session:
        workspace = new_workspace(session)
        Connections(session, secret_box).save_settings(ConnectionSettings(workspace.id, auto_sync=True), now())
    with database.session() as session:
        read_by_a = Connections(session, secret_box).settings(workspace.id)
        read_by_b = Connections(session, secret_box).settings(workspace.id)
    with database.session() as session:
        Connections(session, secret_box).save_settings(dataclasses.replace(read_by_a, entity="E100"), now())
    with pytest.raises(StaleEdit) as caught, database.session() as session:
        Connections(session, secret_box).save_settings(dataclasses.replace(read_by_b, entity="E999"), now())
    assert (caught.value.read_version, caught.value.current_version) == (2, 3)
    with database.session() as session:
        assert Connections(session, secret_box).settings(workspace.id).entity == "E100"


def test_two_first_saves_from_defaults_cannot_both_win(database: Database, secret_box: SecretBox) -> None:
    with database.session() as session:
        workspace = new_workspace(session)
        Connections(session, secret_box).save_settings(ConnectionSettings(workspace.id, entity="E1"), now())
    with pytest.raises(StaleEdit), database.session() as session:
        Connections(session, secret_box).save_settings(ConnectionSettings(workspace.id, entity="E2"), now())
    with database.session() as session, pytest.raises(NotFound):
        Connections(session, secret_box).save_settings(ConnectionSettings(new_id()), now())


def test_whether_a_workspace_is_connected_is_known_without_the_key(database: Database, secret_box: SecretBox) -> None:
    with database.session() as session:
        connected, other = new_workspace(session), new_workspace(session)
        Connections(session, secret_box).connect(connected.id, credentials(), now())
    with database.session() as session:
        status = ConnectionStatus(session)
        assert status.is_connected(connected.id) and not status.is_connected(other.id)
        assert connected.id in status.connected_workspace_ids()
        assert other.id not in status.connected_workspace_ids()
