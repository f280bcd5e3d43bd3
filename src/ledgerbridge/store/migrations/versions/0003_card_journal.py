"""The journal company card journal entries post to, per workspace (the general journal until chosen), and the
GL journals Sync Now reads from Intacct.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("connection_settings") as table:
        table.add_column(sa.Column("card_journal", sa.String(length=40), nullable=True, server_default="GJ"))
    op.create_table(
        "intacct_journals",
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("symbol", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("record_no", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=100), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_intacct_journals_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "symbol", name=op.f("pk_intacct_journals")),
    )


def downgrade() -> None:
    op.drop_table("intacct_journals")
    with op.batch_alter_table("connection_settings") as table:
        table.drop_column("card_journal")
