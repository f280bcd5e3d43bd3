"""Every table of the workspace side: people, coding, reports, connection, Intacct snapshot, sync runs.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("email_key", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email_key", name=op.f("uq_users_email_key")),
    )
    op.create_table(
        "workspaces",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("base_currency", sa.CHAR(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspaces")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.CHAR(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "categories",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("gl_account", sa.String(length=64), nullable=True),
        sa.Column("expense_type", sa.String(length=200), nullable=True),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("intacct_state", sa.String(length=16), nullable=False),
        sa.Column("intacct_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_categories_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_categories")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_categories_workspace_id_name")),
    )
    op.create_table(
        "company_cards",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("masked_number", sa.String(length=32), nullable=False),
        sa.Column("cardholder", sa.String(length=32), nullable=True),
        sa.Column("charge_card_account", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["cardholder"], ["users.id"], name=op.f("fk_company_cards_cardholder_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_company_cards_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_cards")),
    )
    with op.batch_alter_table("company_cards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_company_cards_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "connection_settings",
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=100), nullable=False),
        sa.Column("categories_from", sa.String(length=32), nullable=False),
        sa.Column("dimensions", sa.JSON(), nullable=False),
        sa.Column("user_defined_dimensions", sa.JSON(), nullable=False),
        sa.Column("tax", sa.Boolean(), nullable=False),
        sa.Column("preferred_exporter", sa.String(length=32), nullable=True),
        sa.Column("export_date", sa.String(length=32), nullable=False),
        sa.Column("reimbursable_as", sa.String(length=32), nullable=False),
        sa.Column("company_card_as", sa.String(length=32), nullable=False),
        sa.Column("default_vendor", sa.String(length=100), nullable=True),
        sa.Column("default_charge_card_account", sa.String(length=100), nullable=True),
        sa.Column("auto_sync", sa.Boolean(), nullable=False),
        sa.Column("auto_export", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_connection_settings_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_connection_settings")),
    )
    op.create_table(
        "connections",
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("credentials", sa.LargeBinary(), nullable=False),
        sa.Column("connected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_connections_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_connections")),
    )
    op.create_table(
        "intacct_accounts",
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("account_no", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("account_type", sa.String(length=32), nullable=False),
        sa.Column("disallow_direct_posting", sa.Boolean(), nullable=False),
        sa.Column("required_dimensions", sa.JSON(), nullable=False),
        sa.Column("related", sa.JSON(), nullable=False),
        sa.Column("record_no", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=100), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_intacct_accounts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "account_no", name=op.f("pk_intacct_accounts")),
    )
    op.create_table(
        "intacct_card_accounts",
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("card_id", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("card_type", sa.String(length=32), nullable=False),
        sa.Column("offset_account", sa.String(length=64), nullable=True),
        sa.Column("vendor_id", sa.String(length=100), nullable=True),
        sa.Column("currency", sa.CHAR(length=3), nullable=True),
        sa.Column("expires", sa.Date(), nullable=True),
        sa.Column("record_no", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=100), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_intacct_card_accounts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "card_id", name=op.f("pk_intacct_card_accounts")),
    )
    op.create_table(
        "intacct_dimension_values",
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("dimension", sa.String(length=100), nullable=False),
        sa.Column("value_id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("parent_id", sa.String(length=100), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("record_no", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=100), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_intacct_dimension_values_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "dimension", "value_id", name=op.f("pk_intacct_dimension_values")),
    )
    op.create_table(
        "intacct_employees",
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("employee_id", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("location", sa.String(length=100), nullable=True),
        sa.Column("department", sa.String(length=100), nullable=True),
        sa.Column("duplicate_email", sa.Boolean(), nullable=False),
        sa.Column("record_no", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=100), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_intacct_employees_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "employee_id", name=op.f("pk_intacct_employees")),
    )
    op.create_table(
        "intacct_expense_types",
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("gl_account", sa.String(length=64), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("record_no", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=100), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_intacct_expense_types_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "name", name=op.f("pk_intacct_expense_types")),
    )
    op.create_table(
        "intacct_periods",
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("entity", sa.String(length=100), nullable=False),
        sa.Column("closed_through", sa.Date(), nullable=True),
        sa.Column("record_no", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_intacct_periods_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "entity", name=op.f("pk_intacct_periods")),
    )
    op.create_table(
        "intacct_vendors",
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("vendor_id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("on_hold", sa.Boolean(), nullable=False),
        sa.Column("record_no", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=100), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_intacct_vendors_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "vendor_id", name=op.f("pk_intacct_vendors")),
    )
    op.create_table(
        "members",
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_members_user_id_users"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_members_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("workspace_id", "user_id", name=op.f("pk_members")),
    )
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_members_user_id"), ["user_id"], unique=False)

    op.create_table(
        "reports",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by", sa.String(length=32), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by", sa.String(length=32), nullable=True),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reimbursed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("export_version", sa.Integer(), nullable=False),
        sa.Column("export_status", sa.String(length=32), nullable=True),
        sa.Column("last_int_code", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_reports_owner_id_users")),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_reports_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index("ix_reports_workspace_created", ["workspace_id", "created_at"], unique=False)
        batch_op.create_index(
            "ix_reports_workspace_export_status", ["workspace_id", "export_status", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_reports_workspace_int_code", ["workspace_id", "last_int_code", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_reports_workspace_owner_created", ["workspace_id", "owner_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_reports_workspace_state_created", ["workspace_id", "state", "created_at"], unique=False
        )

    op.create_table(
        "sync_runs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("progress", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("watermark", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_sync_runs_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_runs")),
    )
    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.create_index("ix_sync_runs_workspace_started", ["workspace_id", "started_at"], unique=False)

    op.create_table(
        "tag_lists",
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("dimension", sa.String(length=100), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("imported_as", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_tag_lists_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("workspace_id", "dimension", name=op.f("pk_tag_lists")),
    )
    op.create_table(
        "tags",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("dimension", sa.String(length=100), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("intacct_state", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_tags_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("workspace_id", "dimension", "code", name=op.f("uq_tags_workspace_id_dimension_code")),
    )
    op.create_table(
        "expenses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("report_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
        sa.Column("merchant", sa.String(length=300), nullable=False),
        sa.Column("amount", sa.Numeric(precision=20, scale=4), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("category_id", sa.String(length=32), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("payment", sa.String(length=16), nullable=False),
        sa.Column("card_id", sa.String(length=32), nullable=True),
        sa.Column("billable", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("vendor", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["card_id"], ["company_cards.id"], name=op.f("fk_expenses_card_id_company_cards")),
        sa.ForeignKeyConstraint(["category_id"], ["categories.id"], name=op.f("fk_expenses_category_id_categories")),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_expenses_report_id_reports"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expenses")),
    )
    with op.batch_alter_table("expenses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expenses_card_id"), ["card_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_expenses_category_id"), ["category_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_expenses_report_id"), ["report_id"], unique=False)

    op.create_table(
        "history_events",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("report_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_history_events_report_id_reports"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_history_events")),
    )
    with op.batch_alter_table("history_events", schema=None) as batch_op:
        batch_op.create_index("ix_history_events_report_at", ["report_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("history_events", schema=None) as batch_op:
        batch_op.drop_index("ix_history_events_report_at")

    op.drop_table("history_events")
    with op.batch_alter_table("expenses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expenses_report_id"))
        batch_op.drop_index(batch_op.f("ix_expenses_category_id"))
        batch_op.drop_index(batch_op.f("ix_expenses_card_id"))

    op.drop_table("expenses")
    op.drop_table("tags")
    op.drop_table("tag_lists")
    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_runs_workspace_started")

    op.drop_table("sync_runs")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index("ix_reports_workspace_state_created")
        batch_op.drop_index("ix_reports_workspace_owner_created")
        batch_op.drop_index("ix_reports_workspace_int_code")
        batch_op.drop_index("ix_reports_workspace_export_status")
        batch_op.drop_index("ix_reports_workspace_created")

    op.drop_table("reports")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_members_user_id"))

    op.drop_table("members")
    op.drop_table("intacct_vendors")
    op.drop_table("intacct_periods")
    op.drop_table("intacct_expense_types")
    op.drop_table("intacct_employees")
    op.drop_table("intacct_dimension_values")
    op.drop_table("intacct_card_accounts")
    op.drop_table("intacct_accounts")
    op.drop_table("connections")
    op.drop_table("connection_settings")
    with op.batch_alter_table("company_cards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_cards_workspace_id"))

    op.drop_table("company_cards")
    op.drop_table("categories")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    op.drop_table("workspaces")
    op.drop_table("users")
