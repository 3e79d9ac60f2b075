"""opening hours as data: center, department and window schedules (kiosk/hours); where an
item is done by self-service (service_item.self_service_point)

Revision ID: 0007_schedules
Revises: 0006_merge_features
Create Date: 2026-12-05
"""

from alembic import op
import sqlalchemy as sa


revision = "0007_schedules"
down_revision = "0006_merge_features"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("center", "department", "service_window"):
        op.add_column(table, sa.Column("schedule", sa.JSON(), nullable=True))
    op.add_column("service_item", sa.Column("self_service_point", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("service_item") as batch:
        batch.drop_column("self_service_point")
    for table in ("center", "department", "service_window"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("schedule")
