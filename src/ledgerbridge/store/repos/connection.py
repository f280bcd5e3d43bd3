"""The Intacct connection of a workspace: sealed credentials and versioned export settings."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ledgerbridge.domain.connection import (
    CategoriesFrom,
    CompanyCardAs,
    Connection,
    ConnectionSettings,
    DimensionImport,
    ExportDate,
    IntacctCredentials,
    ReimbursableAs,
    StaleEdit,
    UserDefinedDimension,
    UserDefinedImport,
)
from ledgerbridge.domain.ids import WorkspaceId
from ledgerbridge.store.errors import NotFound
from ledgerbridge.store.models import ConnectionRow, ConnectionSettingsRow, WorkspaceRow
from ledgerbridge.store.repos._rows import affected, insert_for
from ledgerbridge.store.secrets import SecretBox


def _settings(row: ConnectionSettingsRow) -> ConnectionSettings:
    return ConnectionSettings(
        workspace_id=row.workspace_id,
        version=row.version,
        entity=row.entity,
        categories_from=CategoriesFrom(row.categories_from),
        dimensions={name: DimensionImport(value) for name, value in row.dimensions.items()},
        user_defined_dimensions=tuple(
            UserDefinedDimension(item["integration_name"], UserDefinedImport(item["imported_as"]))
            for item in row.user_defined_dimensions
        ),
        tax=row.tax,
        preferred_exporter=row.preferred_exporter,
        export_date=ExportDate(row.export_date),
        reimbursable_as=ReimbursableAs(row.reimbursable_as),
        company_card_as=CompanyCardAs(row.company_card_as),
        default_vendor=row.default_vendor,
        default_charge_card_account=row.default_charge_card_account,
        card_journal=row.card_journal,
        auto_sync=row.auto_sync,
        auto_export=row.auto_export,
    )


class Connections:
    """Credentials (sealed with the `SecretBox`, never stored in clear) and the settings of each workspace."""

    def __init__(self, session: Session, box: SecretBox) -> None:
        self.session = session
        self._box = box

    def connect(self, workspace_id: WorkspaceId, credentials: IntacctCredentials, at: datetime) -> Connection:
        """Store the credentials of a (re)connected workspace, replacing any earlier ones."""
        sealed = self._seal(credentials)
        row = self.session.get(ConnectionRow, workspace_id)
        if row is None:
            self.session.add(
                ConnectionRow(workspace_id=workspace_id, credentials=sealed, connected_at=at, updated_at=at)
            )
        else:
            row.credentials, row.connected_at, row.updated_at = sealed, at, at
        self.session.flush()
        return Connection(workspace_id, credentials, at, at)

    def update_credentials(
        self, workspace_id: WorkspaceId, credentials: IntacctCredentials, at: datetime
    ) -> Connection:
        """Replace the credentials of a connected workspace."""
        row = self.session.get(ConnectionRow, workspace_id)
        if row is None:
            raise NotFound("connection of workspace", workspace_id)
        row.credentials, row.updated_at = self._seal(credentials), at
        self.session.flush()
        return Connection(workspace_id, credentials, row.connected_at, at)

    def get(self, workspace_id: WorkspaceId) -> Connection | None:
        """The workspace's connection with its credentials opened, or None when it is not connected."""
        row = self.session.get(ConnectionRow, workspace_id)
        if row is None:
            return None
        fields = json.loads(self._box.open(row.credentials))
        return Connection(workspace_id, IntacctCredentials(**fields), row.connected_at, row.updated_at)

    def disconnect(self, workspace_id: WorkspaceId, *, forget_settings: bool = False) -> None:
        """Drop the credentials; with `forget_settings`, the import and export settings too."""
        if not affected(self.session.execute(delete(ConnectionRow).where(ConnectionRow.workspace_id == workspace_id))):
            raise NotFound("connection of workspace", workspace_id)
        if forget_settings:
            self.session.execute(
                delete(ConnectionSettingsRow).where(ConnectionSettingsRow.workspace_id == workspace_id)
            )

    def settings(self, workspace_id: WorkspaceId) -> ConnectionSettings:
        """The stored settings, or the defaults (version 1) when none were saved yet."""
        row = self.session.get(ConnectionSettingsRow, workspace_id, populate_existing=True)
        return ConnectionSettings(workspace_id) if row is None else _settings(row)

    def save_settings(self, settings: ConnectionSettings, at: datetime) -> ConnectionSettings:
        """Save settings edited from `settings.version`; returns them at their new version.

        Raises `StaleEdit` if they were saved by someone else since that version was read.
        """
        read_version = settings.version
        values = {**settings.as_values(), "version": read_version + 1, "updated_at": at}
        query = (
            update(ConnectionSettingsRow)
            .where(ConnectionSettingsRow.workspace_id == settings.workspace_id)
            .where(ConnectionSettingsRow.version == read_version)
            .values(**values)
        )
        if not affected(self.session.execute(query)):
            current = self.session.scalar(
                select(ConnectionSettingsRow.version).where(ConnectionSettingsRow.workspace_id == settings.workspace_id)
            )
            if current is not None or read_version != 1:
                raise StaleEdit(settings.workspace_id, read_version, current)
            self._insert_first(settings.workspace_id, values)
        return dataclasses.replace(settings, version=read_version + 1)

    def _insert_first(self, workspace_id: WorkspaceId, values: dict[str, Any]) -> None:
        if self.session.get(WorkspaceRow, workspace_id) is None:
            raise NotFound("workspace", workspace_id)
        query = insert_for(self.session)(ConnectionSettingsRow).values(workspace_id=workspace_id, **values)
        if not affected(self.session.execute(query.on_conflict_do_nothing())):
            # Someone saved the first version at the same moment: theirs stands.
            raise StaleEdit(workspace_id, 1, 2)

    def _seal(self, credentials: IntacctCredentials) -> bytes:
        return self._box.seal(json.dumps(dataclasses.asdict(credentials)).encode())


class ConnectionStatus:
    """Which workspaces hold Intacct credentials, read without opening them (so without the secret key)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def is_connected(self, workspace_id: WorkspaceId) -> bool:
        return self.session.get(ConnectionRow, workspace_id) is not None

    def connected_workspace_ids(self) -> set[WorkspaceId]:
        return set(self.session.scalars(select(ConnectionRow.workspace_id)))
