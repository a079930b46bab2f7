"""scale (issue 16): the agenda's partial covering indexes also hold each follow-up's account,
so that a web process can bring a ranked agenda up to date after writes to some accounts by
reading only theirs (`services.followups.agenda.rerank`), without reading the table.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

_RANK = ["contact_id", "label", "dated_checkback", "last_touch_at", "last_signal_at"]
_OPEN = sa.text("status IN ('due', 'snoozed')")


def _indexes(extra: list[str]) -> None:
    op.drop_index("ix_followups_open_agenda_all", table_name="followups")
    op.drop_index("ix_followups_open_agenda", table_name="followups")
    op.create_index("ix_followups_open_agenda", "followups",
                    ["owner_id", "due", "id", *_RANK, *extra],
                    sqlite_where=_OPEN, postgresql_where=_OPEN)
    op.create_index("ix_followups_open_agenda_all", "followups", ["due", "id", *_RANK, *extra],
                    sqlite_where=_OPEN, postgresql_where=_OPEN)


def upgrade() -> None:
    _indexes(["account_id"])


def downgrade() -> None:
    _indexes([])
