"""fleet: outbox, record identities, sync state

The terminal's side of the center (docs/fleet.md): the outbox written in the same transaction
as each synced record, the records' global ids, and small sync facts. Empty in single-terminal
mode.

Revision ID: 0007_fleet
Revises: 0006_merge_features
Create Date: 2026-12-05
"""

from alembic import op
import sqlalchemy as sa


revision = '0007_fleet'
down_revision = '0006_merge_features'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_identity',
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('local_id', sa.String(length=120), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('table_name', 'local_id', name=op.f('pk_sync_identity')),
    sa.UniqueConstraint('uid', name=op.f('uq_sync_identity_uid'))
    )
    op.create_table('sync_outbox',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('record_uid', sa.String(length=36), nullable=False),
    sa.Column('local_id', sa.String(length=120), nullable=False),
    sa.Column('op', sa.String(length=8), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_sync_outbox')),
    sa.UniqueConstraint('id', name=op.f('uq_sync_outbox_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('sync_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_outbox_sent_at'), ['sent_at'], unique=False)

    op.create_table('sync_state',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sync_state'))
    )


def downgrade() -> None:
    op.drop_table('sync_state')
    with op.batch_alter_table('sync_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_outbox_sent_at'))

    op.drop_table('sync_outbox')
    op.drop_table('sync_identity')
