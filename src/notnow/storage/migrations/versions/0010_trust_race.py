"""trust, concurrency: identities in normal form on contacts (an opt-out finds the person's
other contact rows); database guards that refuse open follow-ups (due or snoozed) for an
opted-out or held contact and outbound touches moved onto an opted-out one

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from notnow.core.identity import identities
from notnow.storage import guards

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

COLUMNS = (("email_key", 320), ("phone_key", 40), ("linkedin_key", 500))


def upgrade() -> None:
    # plain ALTER TABLE, not batch mode: a batch copy of contacts would lose its triggers
    for name, length in COLUMNS:
        op.add_column("contacts", sa.Column(name, sa.String(length=length), nullable=True))
        op.create_index(f"ix_contacts_{name}", "contacts", [name])
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT c.id, c.email, c.phone, c.linkedin, a.country FROM contacts c "
        "JOIN accounts a ON a.id = c.account_id "
        "WHERE c.email IS NOT NULL OR c.phone IS NOT NULL OR c.linkedin IS NOT NULL")).all()
    for cid, email, phone, linkedin, country in rows:
        keys = {i.kind.value: i.value for i in identities(email=email, phone=phone,
                                                           linkedin=linkedin, country=country)}
        if keys:
            bind.execute(sa.text("UPDATE contacts SET email_key = :e, phone_key = :p, "
                                 "linkedin_key = :l WHERE id = :i"),
                         {"e": keys.get("email"), "p": keys.get("phone"),
                          "l": keys.get("linkedin"), "i": cid})
    _replace(guards.SQLITE_DROP_0001, guards.POSTGRES_DROP_0001,
             guards.SQLITE_TRIGGERS, guards.POSTGRES_TRIGGERS)


def downgrade() -> None:
    _replace(guards.SQLITE_DROP, guards.POSTGRES_DROP,
             guards.SQLITE_TRIGGERS_0001, guards.POSTGRES_TRIGGERS_0001)
    for name, _ in COLUMNS:
        op.drop_index(f"ix_contacts_{name}", table_name="contacts")
        op.drop_column("contacts", name)


def _replace(sqlite_drop: list[str], postgres_drop: list[str], sqlite_create: list[str],
             postgres_create: list[str]) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in (sqlite_drop if sqlite else postgres_drop):
        op.execute(statement)
    for statement in (sqlite_create if sqlite else postgres_create):
        op.execute(statement)
