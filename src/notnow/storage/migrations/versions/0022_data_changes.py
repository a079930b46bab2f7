"""scale (issue 16): what each write touched, for the caches of every web process
(PostgreSQL). Every write transaction appends one row in its own transaction — its id, and
the accounts it wrote or "everything" (`storage.changes`); a web process reads the rows
committed since its last look and lets go only of the pages that show them. Replaces the
one data version of 0021 (its sequence is dropped). SQLite needs none (the caches read the
database file's size and time).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE TABLE IF NOT EXISTS notnow_data_changes ("
        " id bigserial PRIMARY KEY,"
        " xid bigint NOT NULL,"
        " everything boolean NOT NULL,"
        " accounts bigint[] NOT NULL DEFAULT '{}',"
        " at timestamptz NOT NULL DEFAULT clock_timestamp())")
    op.execute("CREATE INDEX IF NOT EXISTS ix_notnow_data_changes_xid "
               "ON notnow_data_changes (xid)")
    op.execute("CREATE INDEX IF NOT EXISTS ix_notnow_data_changes_at "
               "ON notnow_data_changes (at)")
    op.execute("DROP SEQUENCE IF EXISTS notnow_data_version")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS notnow_data_changes")
    op.execute("CREATE SEQUENCE IF NOT EXISTS notnow_data_version")
