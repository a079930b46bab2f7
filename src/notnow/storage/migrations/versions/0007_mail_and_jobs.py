"""mail sync state (mailboxes, folders, messages seen) and the job table

Revision ID: 0007
Revises: 0006 (re-chained by the lead at merge)
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from notnow.storage.tables import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_ACTIVE = sa.text("status IN ('pending', 'running')")


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("run_at", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("every_seconds", sa.Integer(), nullable=True),
        sa.Column("locked_by", sa.String(length=200), nullable=True),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_index("ix_jobs_status_run_at", "jobs", ["status", "run_at"], unique=False)
    op.create_index("uq_jobs_active_kind_key", "jobs", ["kind", "key"], unique=True,
                    sqlite_where=_ACTIVE, postgresql_where=_ACTIVE)
    op.create_table(
        "mailboxes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("security", sa.String(length=10), nullable=False),
        sa.Column("username", sa.String(length=320), nullable=False),
        sa.Column("auth_kind", sa.String(length=10), nullable=False),
        sa.Column("secret_ref", sa.String(length=300), nullable=False),
        sa.Column("own_addresses", sa.JSON(), nullable=False),
        sa.Column("folder", sa.String(length=255), nullable=False),
        sa.Column("sent_folder", sa.String(length=255), nullable=True),
        sa.Column("drafts_folder", sa.String(length=255), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("last_sync_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"],
                                name=op.f("fk_mailboxes_owner_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mailboxes")),
        sa.UniqueConstraint("name", name=op.f("uq_mailboxes_name")),
    )
    op.create_index(op.f("ix_mailboxes_owner_id"), "mailboxes", ["owner_id"], unique=False)
    op.create_table(
        "mail_folders_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mailbox_id", sa.Integer(), nullable=False),
        sa.Column("folder", sa.String(length=255), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("last_uid", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["mailbox_id"], ["mailboxes.id"],
                                name=op.f("fk_mail_folders_state_mailbox_id_mailboxes"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_folders_state")),
        sa.UniqueConstraint("mailbox_id", "folder", name="uq_mail_folders_state_mailbox_folder"),
    )
    op.create_table(
        "mail_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=80), nullable=False),
        sa.Column("message_id", sa.String(length=998), nullable=True),
        sa.Column("mailbox_id", sa.Integer(), nullable=True),
        sa.Column("folder", sa.String(length=255), nullable=True),
        sa.Column("uid", sa.BigInteger(), nullable=True),
        sa.Column("source", sa.String(length=1000), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("sender", sa.String(length=320), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("rejection_id", sa.Integer(), nullable=True),
        sa.Column("touch_id", sa.Integer(), nullable=True),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"],
                                name=op.f("fk_mail_messages_contact_id_contacts"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["mailbox_id"], ["mailboxes.id"],
                                name=op.f("fk_mail_messages_mailbox_id_mailboxes"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["rejection_id"], ["rejections.id"],
                                name=op.f("fk_mail_messages_rejection_id_rejections"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["touch_id"], ["touches.id"],
                                name=op.f("fk_mail_messages_touch_id_touches"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_messages")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_mail_messages_fingerprint")),
    )
    op.create_index(op.f("ix_mail_messages_contact_id"), "mail_messages", ["contact_id"],
                    unique=False)
    op.create_index("ix_mail_messages_mailbox_folder_uid", "mail_messages",
                    ["mailbox_id", "folder", "uid"], unique=False)
    op.create_index(op.f("ix_mail_messages_rejection_id"), "mail_messages", ["rejection_id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_mail_messages_rejection_id"), table_name="mail_messages")
    op.drop_index("ix_mail_messages_mailbox_folder_uid", table_name="mail_messages")
    op.drop_index(op.f("ix_mail_messages_contact_id"), table_name="mail_messages")
    op.drop_table("mail_messages")
    op.drop_table("mail_folders_state")
    op.drop_index(op.f("ix_mailboxes_owner_id"), table_name="mailboxes")
    op.drop_table("mailboxes")
    op.drop_index("uq_jobs_active_kind_key", table_name="jobs")
    op.drop_index("ix_jobs_status_run_at", table_name="jobs")
    op.drop_table("jobs")
