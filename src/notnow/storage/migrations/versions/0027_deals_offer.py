"""scale (issue 16): what we sell — the offers written on deals of two accounts or more — is
counted from an index of the deals by (offer, account, owner), read in order without the
table, instead of sorting every deal: a plan that may propose another offer reads it, and a
CRM import leaves one deal name per deal.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_deals_offer", "deals", ["offer", "account_id", "owner_id"])


def downgrade() -> None:
    op.drop_index("ix_deals_offer", table_name="deals")
