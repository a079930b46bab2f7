"""scale (issue 16): an undo finds the follow-up's last action from an index of the audit
trail by what it was done to — (entity, entity id, id) — instead of reading the whole trail,
which grows with every write (a merge moves a record's trail by the same index).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_events_entity", "audit_events", ["entity", "entity_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_entity", table_name="audit_events")
