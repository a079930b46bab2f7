"""the agenda's ranking inputs on each follow-up, kept by triggers, in partial covering indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from notnow.storage import derived, guards
from notnow.storage.tables import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_RANK = ["contact_id", "label", "dated_checkback", "last_touch_at", "last_signal_at"]
_OPEN = sa.text("status IN ('due', 'snoozed')")


def upgrade() -> None:
    # plain ALTER TABLE, not batch mode: a batch copy of the table would lose its triggers
    op.add_column("followups", sa.Column("label", sa.String(length=40), nullable=True))
    op.add_column("followups", sa.Column("dated_checkback", sa.Boolean(), nullable=False,
                                         server_default=sa.false()))
    op.add_column("followups", sa.Column("last_touch_at", UTCDateTime(), nullable=True))
    op.add_column("followups", sa.Column("last_signal_at", UTCDateTime(), nullable=True))
    for statement in derived.BACKFILL:
        op.execute(statement)
    op.create_index("ix_followups_open_agenda", "followups", ["owner_id", "due", "id", *_RANK],
                    sqlite_where=_OPEN, postgresql_where=_OPEN)
    op.create_index("ix_followups_open_agenda_all", "followups", ["due", "id", *_RANK],
                    sqlite_where=_OPEN, postgresql_where=_OPEN)
    for statement in derived.triggers(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in derived.drops(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index("ix_followups_open_agenda_all", table_name="followups")
    op.drop_index("ix_followups_open_agenda", table_name="followups")
    with op.batch_alter_table("followups", schema=None) as batch_op:
        batch_op.drop_column("last_signal_at")
        batch_op.drop_column("last_touch_at")
        batch_op.drop_column("dated_checkback")
        batch_op.drop_column("label")
    if op.get_bind().dialect.name == "sqlite":  # the batch copy dropped the table's triggers
        for statement in guards.SQLITE_TRIGGERS_0001:
            op.execute(statement)
