"""staff, sign-in, absences, A/B maintainers, audit log; the fault log and device state

Revision ID: 0003_staff_devices
Revises: 0001_catalog (a feature branch of its own; Database.upgrade applies every head)
Create Date: 2026-11-27
"""

from alembic import op
import sqlalchemy as sa


revision = '0003_staff_devices'
down_revision = '0001_catalog'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('terminal', sa.String(length=40), nullable=False),
    sa.Column('actor', sa.String(length=60), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target', sa.String(length=100), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index(op.f('ix_audit_log_at'), 'audit_log', ['at'], unique=False)
    op.create_table('device_counter',
    sa.Column('terminal', sa.String(length=40), nullable=False),
    sa.Column('device', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('terminal', 'device', 'name', name=op.f('pk_device_counter'))
    )
    op.create_table('device_fault',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('terminal', sa.String(length=40), nullable=False),
    sa.Column('device', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('active_key', sa.String(length=140), nullable=True),
    sa.Column('message', sa.String(length=200), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('first_seen', sa.DateTime(), nullable=False),
    sa.Column('last_seen', sa.DateTime(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('assigned_to', sa.String(length=20), nullable=True),
    sa.Column('assigned_role', sa.String(length=8), nullable=False),
    sa.Column('assigned_at', sa.DateTime(), nullable=True),
    sa.Column('escalation_level', sa.Integer(), nullable=False),
    sa.Column('acknowledged_by', sa.String(length=60), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by', sa.String(length=60), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device_fault')),
    sa.UniqueConstraint('active_key', name=op.f('uq_device_fault_active_key'))
    )
    op.create_index(op.f('ix_device_fault_status'), 'device_fault', ['status'], unique=False)
    op.create_index(op.f('ix_device_fault_terminal'), 'device_fault', ['terminal'], unique=False)
    op.create_table('device_state',
    sa.Column('terminal', sa.String(length=40), nullable=False),
    sa.Column('device', sa.String(length=40), nullable=False),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('message', sa.String(length=200), nullable=False),
    sa.Column('raw', sa.JSON(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('reporter', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('terminal', 'device', name=op.f('pk_device_state'))
    )
    op.create_table('signin_guard',
    sa.Column('terminal', sa.String(length=40), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(), nullable=True),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('terminal', name=op.f('pk_signin_guard'))
    )
    op.create_table('staff',
    sa.Column('id', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('department', sa.String(length=64), nullable=False),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('pin_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('pin_changed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff'))
    )
    op.create_table('fault_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fault_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('actor', sa.String(length=60), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['fault_id'], ['device_fault.id'], name=op.f('fk_fault_event_fault_id_device_fault')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fault_event'))
    )
    op.create_index(op.f('ix_fault_event_fault_id'), 'fault_event', ['fault_id'], unique=False)
    op.create_table('staff_absence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.String(length=20), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=60), nullable=False),
    sa.Column('handover_seen_at', sa.DateTime(), nullable=True),
    sa.Column('handover_notified_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_staff_absence_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_absence'))
    )
    op.create_index(op.f('ix_staff_absence_staff_id'), 'staff_absence', ['staff_id'], unique=False)
    op.create_table('terminal_assignment',
    sa.Column('terminal', sa.String(length=40), nullable=False),
    sa.Column('a_staff_id', sa.String(length=20), nullable=True),
    sa.Column('b_staff_id', sa.String(length=20), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['a_staff_id'], ['staff.id'], name=op.f('fk_terminal_assignment_a_staff_id_staff')),
    sa.ForeignKeyConstraint(['b_staff_id'], ['staff.id'], name=op.f('fk_terminal_assignment_b_staff_id_staff')),
    sa.PrimaryKeyConstraint('terminal', name=op.f('pk_terminal_assignment'))
    )


def downgrade() -> None:
    op.drop_table('terminal_assignment')
    op.drop_index(op.f('ix_staff_absence_staff_id'), table_name='staff_absence')
    op.drop_table('staff_absence')
    op.drop_index(op.f('ix_fault_event_fault_id'), table_name='fault_event')
    op.drop_table('fault_event')
    op.drop_table('staff')
    op.drop_table('signin_guard')
    op.drop_table('device_state')
    op.drop_index(op.f('ix_device_fault_terminal'), table_name='device_fault')
    op.drop_index(op.f('ix_device_fault_status'), table_name='device_fault')
    op.drop_table('device_fault')
    op.drop_table('device_counter')
    op.drop_index(op.f('ix_audit_log_at'), table_name='audit_log')
    op.drop_table('audit_log')
