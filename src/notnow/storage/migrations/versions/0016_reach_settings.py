"""reach, phase 2: a webhook may be one person's (a personal Slack target: it carries only
events about records that person may read); none is the workspace's (admins manage those)

Revision ID: 0016
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE (no batch copy of webhooks: its deliveries refer to it). No foreign
    # key: SQLite cannot add one to a table, and people are disabled, never deleted.
    op.add_column("webhooks", sa.Column("owner_id", sa.Integer(), nullable=True))
    op.create_index("ix_webhooks_owner_id", "webhooks", ["owner_id"])


def downgrade() -> None:
    op.drop_index("ix_webhooks_owner_id", table_name="webhooks")
    op.drop_column("webhooks", "owner_id")
