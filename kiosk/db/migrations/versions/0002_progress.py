"""progress tables: applications (办件) and their steps, query failures and pauses per terminal

Revision ID: 0002_progress
Revises: 0001_catalog
Create Date: 2026-11-27
"""

from alembic import op
import sqlalchemy as sa


revision = '0002_progress'
down_revision = '0001_catalog'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('progress_application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('item_code', sa.String(length=64), nullable=False),
    sa.Column('item_name', sa.String(length=300), nullable=False),
    sa.Column('limit_value', sa.Integer(), nullable=False),
    sa.Column('limit_unit', sa.String(length=16), nullable=False),
    sa.Column('applicant_name', sa.String(length=100), nullable=False),
    sa.Column('applicant_id_masked', sa.String(length=40), nullable=False),
    sa.Column('applicant_id_last4', sa.String(length=4), nullable=False),
    sa.Column('applicant_id_hash', sa.String(length=64), nullable=False),
    sa.Column('applicant_phone_masked', sa.String(length=40), nullable=False),
    sa.Column('applicant_phone_last4', sa.String(length=4), nullable=False),
    sa.Column('applicant_phone_hash', sa.String(length=64), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=False),
    sa.Column('department', sa.String(length=200), nullable=False),
    sa.Column('window', sa.String(length=100), nullable=False),
    sa.Column('accepted_by', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('promised_deadline', sa.Date(), nullable=True),
    sa.Column('result_finished_at', sa.DateTime(), nullable=True),
    sa.Column('result_outcome', sa.Text(), nullable=False),
    sa.Column('result_certificate_name', sa.String(length=200), nullable=False),
    sa.Column('result_certificate_number', sa.String(length=200), nullable=False),
    sa.Column('result_collect', sa.Text(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_application')),
    sa.UniqueConstraint('number', name=op.f('uq_progress_application_number'))
    )
    op.create_index(op.f('ix_progress_application_item_code'), 'progress_application', ['item_code'], unique=False)

    op.create_table('progress_query_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('terminal_id', sa.String(length=40), nullable=False),
    sa.Column('failed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_query_failure'))
    )
    op.create_index(op.f('ix_progress_query_failure_terminal_id'), 'progress_query_failure', ['terminal_id'], unique=False)

    op.create_table('progress_query_lock',
    sa.Column('terminal_id', sa.String(length=40), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('terminal_id', name=op.f('pk_progress_query_lock'))
    )
    op.create_table('progress_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('staff', sa.String(length=100), nullable=False),
    sa.Column('opinion', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['progress_application.id'], name=op.f('fk_progress_step_application_id_progress_application'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_step')),
    sa.UniqueConstraint('application_id', 'position', name=op.f('uq_progress_step_application_id'))
    )


def downgrade() -> None:
    op.drop_table('progress_step')
    op.drop_table('progress_query_lock')
    op.drop_index(op.f('ix_progress_query_failure_terminal_id'), table_name='progress_query_failure')
    op.drop_table('progress_query_failure')
    op.drop_index(op.f('ix_progress_application_item_code'), table_name='progress_application')
    op.drop_table('progress_application')
