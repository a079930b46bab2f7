"""scale (issue 16): the loss report reads each contact's touches and rejections in the order
of the rules it replays — (time, id) — from indexes that hold that order and every column it
reads, so PostgreSQL neither sorts them nor visits the tables: the touches' report index gains
the id and whether the touch was a reply; the rejections' per-contact index gains the id (it
kept contact, time and label).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

_TOUCHES_BEFORE = ["contact_id", "at", "direction", "channel", "author_id"]
_TOUCHES_AFTER = ["contact_id", "at", "id", "direction", "channel", "author_id", "reply"]
_NOS_BEFORE = ["contact_id", "at", "label"]
_NOS_AFTER = ["contact_id", "at", "id", "label"]


def _indexes(touches: list[str], nos: list[str]) -> None:
    op.drop_index("ix_touches_report", table_name="touches")
    op.create_index("ix_touches_report", "touches", touches)
    op.drop_index("ix_rejections_contact_at", table_name="rejections")
    op.create_index("ix_rejections_contact_at", "rejections", nos)


def upgrade() -> None:
    _indexes(_TOUCHES_AFTER, _NOS_AFTER)


def downgrade() -> None:
    _indexes(_TOUCHES_BEFORE, _NOS_BEFORE)
