"""mail sync (issue 12, phase 2): messages remembered per owner (the same message in two
salespeople's mailboxes is each one's), contacts found in mail and addresses that bounced,
a mailbox that reads everything, and the last sync's summary

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from notnow.storage.tables import UTCDateTime

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # contacts: plain ALTER TABLE, not batch mode (a batch copy would lose its triggers)
    op.add_column("contacts", sa.Column("email_bounced_at", UTCDateTime(), nullable=True))
    op.add_column("contacts", sa.Column("found_in_mail", sa.Boolean(), nullable=False,
                                        server_default=sa.false()))
    op.add_column("mailboxes", sa.Column("everything", sa.Boolean(), nullable=False,
                                         server_default=sa.false()))
    op.add_column("mailboxes", sa.Column("last_summary", sa.JSON(), nullable=True))
    op.add_column("mail_messages", sa.Column("owner_id", sa.Integer(), nullable=True))
    bind = op.get_bind()
    bind.execute(sa.text(
        "UPDATE mail_messages SET owner_id = (SELECT owner_id FROM mailboxes "
        "WHERE mailboxes.id = mail_messages.mailbox_id) WHERE mailbox_id IS NOT NULL"))
    bind.execute(sa.text(
        "UPDATE mail_messages SET owner_id = (SELECT id FROM users WHERE is_owner "
        "ORDER BY id LIMIT 1) WHERE owner_id IS NULL"))
    with op.batch_alter_table("mail_messages") as batch:
        batch.alter_column("owner_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_constraint("uq_mail_messages_fingerprint", type_="unique")
        batch.create_unique_constraint("uq_mail_messages_owner_fingerprint",
                                       ["owner_id", "fingerprint"])
        batch.create_foreign_key("fk_mail_messages_owner_id_users", "users", ["owner_id"],
                                 ["id"])


def downgrade() -> None:
    with op.batch_alter_table("mail_messages") as batch:
        batch.drop_constraint("fk_mail_messages_owner_id_users", type_="foreignkey")
        batch.drop_constraint("uq_mail_messages_owner_fingerprint", type_="unique")
        batch.create_unique_constraint("uq_mail_messages_fingerprint", ["fingerprint"])
        batch.drop_column("owner_id")
    op.drop_column("mailboxes", "last_summary")
    op.drop_column("mailboxes", "everything")
    op.drop_column("contacts", "found_in_mail")
    op.drop_column("contacts", "email_bounced_at")
