"""console: transitions the center owns on records terminals sent

Revision ID: c002_transitions
Revises: c001_console
"""

import sqlalchemy as sa
from alembic import op

revision = "c002_transitions"
down_revision = "c001_console"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_transition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("terminal", sa.String(40), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(60), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("patch", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_transition")),
    )
    op.create_index(op.f("ix_console_transition_record"), "console_transition", ["record"])


def downgrade() -> None:
    op.drop_index(op.f("ix_console_transition_record"), table_name="console_transition")
    op.drop_table("console_transition")
