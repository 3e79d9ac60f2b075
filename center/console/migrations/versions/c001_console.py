"""console: passwords, sessions, uploads, the center's working-day table

Revision ID: c001_console
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "c001_console"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_account",
        sa.Column("staff_id", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by", sa.String(60), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_console_account")),
    )
    op.create_table(
        "console_session",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("staff_id", sa.String(20), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("user_agent", sa.String(200), nullable=False, server_default=""),
        sa.Column("flash", sa.Text(), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_console_session")),
    )
    op.create_index(op.f("ix_console_session_staff_id"), "console_session", ["staff_id"])
    op.create_table(
        "console_upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("uploaded_by", sa.String(20), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="draft"),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_upload")),
    )
    op.create_index(op.f("ix_console_upload_kind"), "console_upload", ["kind"])
    op.create_table(
        "center_workday",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("is_workday", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(40), nullable=False, server_default=""),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by", sa.String(60), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_center_workday")),
    )


def downgrade() -> None:
    op.drop_table("center_workday")
    op.drop_index(op.f("ix_console_upload_kind"), table_name="console_upload")
    op.drop_table("console_upload")
    op.drop_index(op.f("ix_console_session_staff_id"), table_name="console_session")
    op.drop_table("console_session")
    op.drop_table("console_account")
