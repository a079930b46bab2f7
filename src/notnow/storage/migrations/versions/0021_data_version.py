"""scale (issue 16): the data version of a PostgreSQL database — a sequence every write
transaction of notnow advances once it has committed (`storage.engine.Database.write`), read
by the web processes' caches to know whether anything they keep is out of date. SQLite needs
none (the caches read the database file's size and time).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

SEQUENCE = "notnow_data_version"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")
