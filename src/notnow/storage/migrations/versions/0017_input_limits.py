"""input limits: free-text columns bounded on PostgreSQL (as the schemas bound them), and the
route an idempotency key was used on

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

NOTE, REASON, REMARK, WORDS = 5000, 2000, 20_000, 1_000_000
COLUMNS = (  # table, column, length (notnow.core.limits)
    ("accounts", "rapport_notes", NOTE),
    ("contacts", "dnc_reason", REASON),
    ("rejections", "text", WORDS),
    ("rejections", "notes", REMARK),
    ("rejections", "feelings", REMARK),
    ("signals", "note", NOTE),
    ("journal_entries", "text", REMARK),
    ("journal_entries", "feelings", REMARK),
    ("journal_entries", "reflection", REMARK),
    ("autopsies", "winner_why", NOTE),
    ("autopsies", "do_differently", NOTE),
    ("reference_customers", "note", NOTE),
    ("training_examples", "text", REMARK),
)


def upgrade() -> None:
    op.add_column("idempotency_keys",
                  sa.Column("route", sa.String(length=300), server_default="", nullable=False))
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite ignores a VARCHAR's length: the columns stay TEXT there
    # a value already longer than its new limit stops the upgrade (in its transaction: nothing
    # changes) rather than being cut short
    for table, column, length in COLUMNS:
        op.alter_column(table, column, type_=sa.String(length=length),
                        existing_type=sa.Text())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column, length in COLUMNS:
            op.alter_column(table, column, type_=sa.Text(),
                            existing_type=sa.String(length=length))
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.drop_column("route")
