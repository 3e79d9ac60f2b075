"""the catalog's own synonyms (center.synonyms), for the forgiving search

Revision ID: 0008_catalog_synonyms
Revises: 0007_schedules
Create Date: 2026-12-05
"""

from alembic import op
import sqlalchemy as sa


revision = '0008_catalog_synonyms'
down_revision = '0007_schedules'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('center') as batch:
        batch.add_column(sa.Column('synonyms', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table('center') as batch:
        batch.drop_column('synonyms')
