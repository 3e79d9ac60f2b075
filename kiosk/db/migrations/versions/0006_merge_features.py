"""merge the feature branches into one head

The progress, staff/devices, helpers and feedback tables were added on branches from the
catalog's first revision while those features were built side by side. This revision joins
them, so the schema has one head again; the next migration revises it.

Revision ID: 0006_merge_features
Revises: 0002_progress, 0003_staff_devices, 0004_helpers, 0005_feedback
Create Date: 2026-11-27
"""

revision = "0006_merge_features"
down_revision = ("0002_progress", "0003_staff_devices", "0004_helpers", "0005_feedback")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
