"""red-vest helpers: help calls, proxy requests with the materials handed over, the ledger

Revision ID: 0004_helpers
Revises: 0001_catalog (a feature branch of its own; Database.upgrade applies every head)
Create Date: 2026-11-27
"""

from alembic import op
import sqlalchemy as sa


revision = '0004_helpers'
down_revision = '0001_catalog'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('help_call',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('terminal', sa.String(length=40), nullable=False),
    sa.Column('terminal_name', sa.String(length=100), nullable=False),
    sa.Column('screen', sa.String(length=40), nullable=False),
    sa.Column('screen_label', sa.String(length=100), nullable=False),
    sa.Column('item_code', sa.String(length=64), nullable=False),
    sa.Column('item_name', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('raised_at', sa.DateTime(), nullable=False),
    sa.Column('last_raised_at', sa.DateTime(), nullable=False),
    sa.Column('raise_count', sa.Integer(), nullable=False),
    sa.Column('taken_by', sa.String(length=20), nullable=True),
    sa.Column('taken_by_name', sa.String(length=100), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('ended_by', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_call')),
    sa.UniqueConstraint('day', 'seq', name=op.f('uq_help_call_day'))
    )
    op.create_index(op.f('ix_help_call_status'), 'help_call', ['status'], unique=False)
    op.create_index(op.f('ix_help_call_terminal'), 'help_call', ['terminal'], unique=False)
    op.create_table('proxy_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('terminal', sa.String(length=40), nullable=False),
    sa.Column('helper_id', sa.String(length=20), nullable=False),
    sa.Column('helper_name', sa.String(length=100), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=True),
    sa.Column('item_code', sa.String(length=64), nullable=False),
    sa.Column('item_name', sa.String(length=300), nullable=False),
    sa.Column('citizen_name', sa.String(length=100), nullable=False),
    sa.Column('phone_masked', sa.String(length=20), nullable=False),
    sa.Column('phone_last4', sa.String(length=4), nullable=False),
    sa.Column('phone_hash', sa.String(length=64), nullable=False),
    sa.Column('home_visit', sa.Boolean(), nullable=False),
    sa.Column('visit_reasons', sa.JSON(), nullable=False),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by', sa.String(length=60), nullable=False),
    sa.Column('outcome', sa.String(length=40), nullable=False),
    sa.Column('purged_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['help_call.id'], name=op.f('fk_proxy_request_call_id_help_call')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proxy_request')),
    sa.UniqueConstraint('day', 'seq', name=op.f('uq_proxy_request_day')),
    sa.UniqueConstraint('number', name=op.f('uq_proxy_request_number'))
    )
    op.create_index(op.f('ix_proxy_request_status'), 'proxy_request', ['status'], unique=False)
    op.create_table('helper_ledger',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('helper_id', sa.String(length=20), nullable=False),
    sa.Column('helper_name', sa.String(length=100), nullable=False),
    sa.Column('terminal', sa.String(length=40), nullable=False),
    sa.Column('item_code', sa.String(length=64), nullable=False),
    sa.Column('item_name', sa.String(length=300), nullable=False),
    sa.Column('help_types', sa.JSON(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=True),
    sa.Column('proxy_id', sa.Integer(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['help_call.id'], name=op.f('fk_helper_ledger_call_id_help_call')),
    sa.ForeignKeyConstraint(['proxy_id'], ['proxy_request.id'], name=op.f('fk_helper_ledger_proxy_id_proxy_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helper_ledger'))
    )
    op.create_index(op.f('ix_helper_ledger_at'), 'helper_ledger', ['at'], unique=False)
    op.create_index(op.f('ix_helper_ledger_call_id'), 'helper_ledger', ['call_id'], unique=False)
    op.create_index(op.f('ix_helper_ledger_helper_id'), 'helper_ledger', ['helper_id'], unique=False)
    op.create_index(op.f('ix_helper_ledger_proxy_id'), 'helper_ledger', ['proxy_id'], unique=False)
    op.create_table('proxy_material',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('necessity', sa.String(length=16), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('handed_over', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['proxy_request.id'], name=op.f('fk_proxy_material_request_id_proxy_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proxy_material')),
    sa.UniqueConstraint('request_id', 'position', name=op.f('uq_proxy_material_request_id'))
    )
    op.create_index(op.f('ix_proxy_material_request_id'), 'proxy_material', ['request_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_proxy_material_request_id'), table_name='proxy_material')
    op.drop_table('proxy_material')
    op.drop_index(op.f('ix_helper_ledger_proxy_id'), table_name='helper_ledger')
    op.drop_index(op.f('ix_helper_ledger_helper_id'), table_name='helper_ledger')
    op.drop_index(op.f('ix_helper_ledger_call_id'), table_name='helper_ledger')
    op.drop_index(op.f('ix_helper_ledger_at'), table_name='helper_ledger')
    op.drop_table('helper_ledger')
    op.drop_index(op.f('ix_proxy_request_status'), table_name='proxy_request')
    op.drop_table('proxy_request')
    op.drop_index(op.f('ix_help_call_terminal'), table_name='help_call')
    op.drop_index(op.f('ix_help_call_status'), table_name='help_call')
    op.drop_table('help_call')
