"""scale (issue 16): the loss report keeps its cap verdicts — which outbound touches broke a cap
(``cap_hits``) —, what it counts of each contact (``contact_facts``), what they were worked out
with (``report_basis``) — and the database marks the
contacts whose verdicts a write may have changed (``report_stale``, kept by triggers:
``storage.report_stale``). Nothing is kept yet: the first report works them out.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from notnow.storage import report_stale
from notnow.storage.tables import UTCDateTime

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_stale",
        sa.Column("contact_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("contact_id", name=op.f("pk_report_stale")),
    )
    op.create_table(
        "cap_hits",
        sa.Column("touch_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("touch_id", name=op.f("pk_cap_hits")),
    )
    op.create_index(op.f("ix_cap_hits_contact_id"), "cap_hits", ["contact_id"])
    op.create_table(
        "contact_facts",
        sa.Column("contact_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("first_in", UTCDateTime(), nullable=True),
        sa.Column("n_out", sa.Integer(), nullable=True),
        sa.Column("n_ch", sa.Integer(), nullable=True),
        sa.Column("last_at", UTCDateTime(), nullable=True),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("before", sa.Integer(), nullable=False),
        sa.Column("who", sa.Integer(), nullable=True),
        sa.Column("last_in", UTCDateTime(), nullable=True),
        sa.Column("last_no", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("contact_id", name=op.f("pk_contact_facts")),
    )
    op.create_table(
        "report_basis",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_report_basis")),
    )
    for statement in report_stale.triggers(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in report_stale.drops(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table("report_basis")
    op.drop_table("contact_facts")
    op.drop_index(op.f("ix_cap_hits_contact_id"), table_name="cap_hits")
    op.drop_table("cap_hits")
    op.drop_table("report_stale")
