"""merge the fleet's outbox tables with the schedules and synonyms

0007_fleet (the outbox, record identities, sync state) and 0007_schedules → 0008_catalog_synonyms
were built side by side from 0006_merge_features. This revision joins them, so the schema has one
head again (`alembic upgrade head` works); the next migration revises it.

Revision ID: 0009_merge_fleet
Revises: 0007_fleet, 0008_catalog_synonyms
Create Date: 2026-12-05
"""

revision = "0009_merge_fleet"
down_revision = ("0007_fleet", "0008_catalog_synonyms")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
