"""replies are not nurture: the plan step of each follow-up, and touches that answer the
prospect's own message

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE, not batch mode: a batch copy of a table would lose its triggers
    op.add_column("followups", sa.Column("kind", sa.String(length=20), nullable=True))
    op.add_column("touches", sa.Column("reply", sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
    # what the plan steps were, where the rule says it (the default playbook's ids)
    op.execute("UPDATE followups SET kind = 'thank' WHERE rule = 'thank-and-keep-door-open'")
    op.execute("UPDATE followups SET kind = 'checkback' WHERE rule IN "
               "('check-back', 'checkback.time_hint')")
    op.execute("UPDATE followups SET kind = 'nurture' WHERE rule IN "
               "('gentle-nurture', 'light-nurture-after-not-interested', 'warming-up')")
    op.execute("UPDATE touches SET reply = true WHERE outcome LIKE 'reply to rejection %'")


def downgrade() -> None:
    op.drop_column("touches", "reply")
    op.drop_column("followups", "kind")
