"""Export attempts: one row per Intacct document of a report's export, with its delivery state.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "export_attempts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("report_id", sa.String(length=32), nullable=False),
        sa.Column("export_version", sa.Integer(), nullable=False),
        sa.Column("document_index", sa.Integer(), nullable=False),
        sa.Column("document_kind", sa.String(length=32), nullable=False),
        sa.Column("controlid", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("reference_object", sa.String(length=32), nullable=False),
        sa.Column("reference_field", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("intacct_key", sa.String(length=100), nullable=True),
        sa.Column("int_code", sa.String(length=16), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("intacct_errors", sa.JSON(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_export_attempts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_export_attempts_report_id_reports"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_attempts")),
        sa.UniqueConstraint("report_id", "controlid", name=op.f("uq_export_attempts_report_id_controlid")),
    )
    with op.batch_alter_table("export_attempts", schema=None) as batch_op:
        batch_op.create_index("ix_export_attempts_workspace_state", ["workspace_id", "state"], unique=False)
        batch_op.create_index(
            "ix_export_attempts_report_version", ["report_id", "export_version", "document_index"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("export_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_export_attempts_report_version")
        batch_op.drop_index("ix_export_attempts_workspace_state")
    op.drop_table("export_attempts")
