"""everyday use: the trash (deleted records kept for a while, then purged) and why a deal was
lost

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from notnow.storage.tables import UTCDateTime

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trash",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey(
            "users.id", name="fk_trash_owner_id_users"), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=False),
        sa.Column("deleted_by", sa.Integer(), sa.ForeignKey(
            "users.id", name="fk_trash_deleted_by_users"), nullable=True),
        sa.Column("purge_after", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_trash"),
    )
    op.create_index("ix_trash_entity_entity_id", "trash", ["entity", "entity_id"])
    op.create_index("ix_trash_owner_id", "trash", ["owner_id"])
    op.create_index("ix_trash_purge_after", "trash", ["purge_after"])
    # plain ALTER TABLE, not batch mode: a batch copy of a table would lose its triggers
    op.add_column("deals", sa.Column("lost_reason", sa.String(length=2000), nullable=True))


def downgrade() -> None:
    op.drop_column("deals", "lost_reason")
    op.drop_table("trash")
