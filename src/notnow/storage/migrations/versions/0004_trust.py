"""trust: suppression list, audit trail, server-side sessions, a shared sign-in limiter,
idempotency keys, folded names for lookups, holds and reviews

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from notnow.core.identity import fold
from notnow.storage.tables import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE, not batch mode: a batch copy of a table would lose its triggers
    for table in ("accounts", "contacts"):
        op.add_column(table, sa.Column("name_key", sa.String(length=300), nullable=False,
                                       server_default=""))
        op.create_index(f"ix_{table}_name_key", table, ["name_key"])
    op.add_column("contacts", sa.Column("held_at", UTCDateTime(), nullable=True))
    op.add_column("contacts", sa.Column("hold_reason", sa.String(length=2000), nullable=True))
    op.add_column("rejections", sa.Column("language", sa.String(length=8), nullable=True))
    op.add_column("rejections", sa.Column("review", sa.String(length=20), nullable=True))
    op.add_column("rejections", sa.Column("override_reason", sa.String(length=2000),
                                          nullable=True))
    bind = op.get_bind()
    for table in ("accounts", "contacts"):
        rows = bind.execute(sa.text(f"SELECT id, name FROM {table}")).all()
        for rid, name in rows:
            bind.execute(sa.text(f"UPDATE {table} SET name_key = :k WHERE id = :i"),
                         {"k": fold(name or "")[:300], "i": rid})

    op.create_table(
        "suppressions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suppressions")),
    )
    op.create_index("ux_suppressions_kind_digest", "suppressions", ["kind", "digest"],
                    unique=True)
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=30), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(op.f("ix_audit_events_at"), "audit_events", ["at"])
    op.create_index(op.f("ix_audit_events_actor_id"), "audit_events", ["actor_id"])
    op.create_index(op.f("ix_audit_events_action"), "audit_events", ["action"])
    op.create_index("ix_audit_events_contact", "audit_events", ["contact_id", "id"])
    op.create_index("ix_audit_events_account", "audit_events", ["account_id", "id"])
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_web_sessions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
    )
    op.create_index(op.f("ix_web_sessions_user_id"), "web_sessions", ["user_id"])
    op.create_index(op.f("ix_web_sessions_expires_at"), "web_sessions", ["expires_at"])
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email_key", sa.String(length=64), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_email_at", "login_failures", ["email_key", "at"])
    op.create_index("ix_login_failures_client_at", "login_failures", ["client", "at"])
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
    )
    op.create_index("ux_idempotency_keys_actor_key", "idempotency_keys", ["actor_id", "key"],
                    unique=True)
    op.create_index(op.f("ix_idempotency_keys_created_at"), "idempotency_keys",
                    ["created_at"])
    # the session-signing secret moves out of the database (a file only the owner can read)
    op.execute("DELETE FROM meta WHERE key = 'session_secret'")


def downgrade() -> None:
    for name in ("idempotency_keys", "login_failures", "web_sessions", "audit_events",
                 "suppressions"):
        op.drop_table(name)
    # plain drops (SQLite >= 3.35): a batch copy would lose the tables' triggers
    for column in ("override_reason", "review", "language"):
        op.drop_column("rejections", column)
    for column in ("hold_reason", "held_at"):
        op.drop_column("contacts", column)
    for table in ("accounts", "contacts"):
        op.drop_index(f"ix_{table}_name_key", table_name=table)
        op.drop_column(table, "name_key")
