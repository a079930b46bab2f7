"""indexes for the loss report and check-back outcomes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rejections", schema=None) as batch_op:
        batch_op.create_index(
            "ix_rejections_report",
            ["at", "label", "stage", "channel", "author_id", "account_id", "competitor"],
            unique=False,
        )
        batch_op.create_index(
            "ix_rejections_contact_at", ["contact_id", "at", "label"], unique=False
        )
        batch_op.create_index("ix_rejections_capability", ["capability"], unique=False)
    with op.batch_alter_table("touches", schema=None) as batch_op:
        batch_op.create_index(
            "ix_touches_report",
            ["contact_id", "at", "direction", "channel", "author_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("touches", schema=None) as batch_op:
        batch_op.drop_index("ix_touches_report")
    with op.batch_alter_table("rejections", schema=None) as batch_op:
        batch_op.drop_index("ix_rejections_capability")
        batch_op.drop_index("ix_rejections_contact_at")
        batch_op.drop_index("ix_rejections_report")
