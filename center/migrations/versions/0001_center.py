"""center: terminals, events, records, snapshots, live calls, faults

Revision ID: 0001_center
Revises: 
Create Date: 2026-12-05
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0001_center'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence("center_change_seq")))
    op.create_table('center_snapshot',
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.String(length=60), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'version', name=op.f('pk_center_snapshot'))
    )
    op.create_table('center_terminal',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sa.String(length=60), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_address', sa.String(length=64), nullable=False),
    sa.Column('last_status', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_center_terminal')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_center_terminal_token_hash'))
    )
    op.create_table('center_enrollment_code',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('terminal_id', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=60), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['terminal_id'], ['center_terminal.id'], name=op.f('fk_center_enrollment_code_terminal_id_center_terminal')),
    sa.PrimaryKeyConstraint('code_hash', name=op.f('pk_center_enrollment_code'))
    )
    op.create_index(op.f('ix_center_enrollment_code_terminal_id'), 'center_enrollment_code', ['terminal_id'], unique=False)
    op.create_table('center_event',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('terminal_id', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('record_uid', sa.UUID(), nullable=False),
    sa.Column('op', sa.String(length=8), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.ForeignKeyConstraint(['terminal_id'], ['center_terminal.id'], name=op.f('fk_center_event_terminal_id_center_terminal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_center_event'))
    )
    op.create_index(op.f('ix_center_event_record_uid'), 'center_event', ['record_uid'], unique=False)
    op.create_index('ix_center_event_terminal_seq', 'center_event', ['terminal_id', 'seq'], unique=False)
    op.create_table('center_fault',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('terminal_id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('active_key', sa.String(length=100), nullable=True),
    sa.Column('message', sa.String(length=200), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['terminal_id'], ['center_terminal.id'], name=op.f('fk_center_fault_terminal_id_center_terminal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_center_fault')),
    sa.UniqueConstraint('active_key', name=op.f('uq_center_fault_active_key'))
    )
    op.create_index(op.f('ix_center_fault_status'), 'center_fault', ['status'], unique=False)
    op.create_index(op.f('ix_center_fault_terminal_id'), 'center_fault', ['terminal_id'], unique=False)
    op.create_table('center_help_call',
    sa.Column('uid', sa.UUID(), nullable=False),
    sa.Column('terminal_id', sa.String(length=40), nullable=False),
    sa.Column('local_id', sa.String(length=120), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('terminal_name', sa.String(length=100), nullable=False),
    sa.Column('screen_label', sa.String(length=100), nullable=False),
    sa.Column('item_code', sa.String(length=64), nullable=False),
    sa.Column('item_name', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('raised_at', sa.DateTime(), nullable=False),
    sa.Column('taken_by', sa.String(length=20), nullable=True),
    sa.Column('taken_by_name', sa.String(length=100), nullable=False),
    sa.Column('taken_via', sa.String(length=60), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['terminal_id'], ['center_terminal.id'], name=op.f('fk_center_help_call_terminal_id_center_terminal')),
    sa.PrimaryKeyConstraint('uid', name=op.f('pk_center_help_call'))
    )
    op.create_index(op.f('ix_center_help_call_status'), 'center_help_call', ['status'], unique=False)
    op.create_index(op.f('ix_center_help_call_terminal_id'), 'center_help_call', ['terminal_id'], unique=False)
    op.create_index(op.f('ix_center_help_call_version'), 'center_help_call', ['version'], unique=False)
    op.create_table('center_record',
    sa.Column('uid', sa.UUID(), nullable=False),
    sa.Column('terminal_id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('local_id', sa.String(length=120), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['terminal_id'], ['center_terminal.id'], name=op.f('fk_center_record_terminal_id_center_terminal')),
    sa.PrimaryKeyConstraint('uid', name=op.f('pk_center_record'))
    )
    op.create_index('ix_center_record_kind_terminal', 'center_record', ['kind', 'terminal_id'], unique=False)
    op.create_index('ix_center_record_terminal_kind_local', 'center_record', ['terminal_id', 'kind', 'local_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_center_record_terminal_kind_local', table_name='center_record')
    op.drop_index('ix_center_record_kind_terminal', table_name='center_record')
    op.drop_table('center_record')
    op.drop_index(op.f('ix_center_help_call_version'), table_name='center_help_call')
    op.drop_index(op.f('ix_center_help_call_terminal_id'), table_name='center_help_call')
    op.drop_index(op.f('ix_center_help_call_status'), table_name='center_help_call')
    op.drop_table('center_help_call')
    op.drop_index(op.f('ix_center_fault_terminal_id'), table_name='center_fault')
    op.drop_index(op.f('ix_center_fault_status'), table_name='center_fault')
    op.drop_table('center_fault')
    op.drop_index('ix_center_event_terminal_seq', table_name='center_event')
    op.drop_index(op.f('ix_center_event_record_uid'), table_name='center_event')
    op.drop_table('center_event')
    op.drop_index(op.f('ix_center_enrollment_code_terminal_id'), table_name='center_enrollment_code')
    op.drop_table('center_enrollment_code')
    op.drop_table('center_terminal')
    op.drop_table('center_snapshot')
    op.execute(sa.schema.DropSequence(sa.Sequence("center_change_seq")))
