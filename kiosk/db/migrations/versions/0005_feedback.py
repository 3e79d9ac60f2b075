"""feedback tables: ratings (好差评), complaints and suggestions (投诉建议) and their history

Revision ID: 0005_feedback
Revises: 0001_catalog (a feature branch of its own; Database.upgrade applies every head)
Create Date: 2026-11-28
"""

from alembic import op
import sqlalchemy as sa


revision = '0005_feedback'
down_revision = '0001_catalog'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('feedback_complaint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('terminal', sa.String(length=40), nullable=False),
    sa.Column('item_code', sa.String(length=64), nullable=False),
    sa.Column('item_name', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('forwarded_to', sa.String(length=100), nullable=False),
    sa.Column('forwarded_by', sa.String(length=60), nullable=False),
    sa.Column('forwarded_at', sa.DateTime(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_by', sa.String(length=60), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('notified_at', sa.DateTime(), nullable=True),
    sa.Column('phone_erased_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_complaint')),
    sa.UniqueConstraint('number', name=op.f('uq_feedback_complaint_number'))
    )
    op.create_index(op.f('ix_feedback_complaint_created_at'), 'feedback_complaint', ['created_at'], unique=False)
    op.create_index(op.f('ix_feedback_complaint_status'), 'feedback_complaint', ['status'], unique=False)
    op.create_index(op.f('ix_feedback_complaint_terminal'), 'feedback_complaint', ['terminal'], unique=False)
    op.create_table('feedback_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('terminal', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('item_code', sa.String(length=64), nullable=False),
    sa.Column('item_name', sa.String(length=300), nullable=False),
    sa.Column('rated_at', sa.DateTime(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('details_at', sa.DateTime(), nullable=True),
    sa.Column('phone_erased_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_rating'))
    )
    op.create_index(op.f('ix_feedback_rating_rated_at'), 'feedback_rating', ['rated_at'], unique=False)
    op.create_index(op.f('ix_feedback_rating_terminal'), 'feedback_rating', ['terminal'], unique=False)
    op.create_table('feedback_complaint_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('actor', sa.String(length=60), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['feedback_complaint.id'], name=op.f('fk_feedback_complaint_event_complaint_id_feedback_complaint')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_complaint_event'))
    )
    op.create_index(op.f('ix_feedback_complaint_event_complaint_id'), 'feedback_complaint_event', ['complaint_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_feedback_complaint_event_complaint_id'), table_name='feedback_complaint_event')
    op.drop_table('feedback_complaint_event')
    op.drop_index(op.f('ix_feedback_rating_terminal'), table_name='feedback_rating')
    op.drop_index(op.f('ix_feedback_rating_rated_at'), table_name='feedback_rating')
    op.drop_table('feedback_rating')
    op.drop_index(op.f('ix_feedback_complaint_terminal'), table_name='feedback_complaint')
    op.drop_index(op.f('ix_feedback_complaint_status'), table_name='feedback_complaint')
    op.drop_index(op.f('ix_feedback_complaint_created_at'), table_name='feedback_complaint')
    op.drop_table('feedback_complaint')
