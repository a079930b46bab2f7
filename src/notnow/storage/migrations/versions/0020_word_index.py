"""every page at 100,000 contacts (issue 14): the word index of the search box and the contact
picker (SQLite FTS5 trigram tables kept by triggers; PostgreSQL pg_trgm GIN indexes), and the
insights kept between requests

The FTS5 tables are kept in step by triggers on accounts, contacts and rejections: a later
migration that batch-copies one of those tables (SQLite) must run ``words.sqlite_create`` for
it again, as 0003 did for the do-not-contact triggers.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

from notnow.storage import words
from notnow.storage.tables import UTCDateTime

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def _trgm_schema(bind: sa.Connection) -> str | None:
    """The schema pg_trgm is in, installing it (in ``public``, so that dropping a schema does
    not drop it for every other one) where it is not; None where it cannot be installed."""
    def where() -> str | None:
        return bind.execute(sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
            "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'")).scalar()

    found = where()
    if found is not None:
        return found
    for ddl in ("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
                "CREATE EXTENSION IF NOT EXISTS pg_trgm"):
        try:
            with bind.begin_nested():
                bind.execute(sa.text(ddl))
            return where()
        except sa.exc.DBAPIError as exc:
            log.warning("pg_trgm not installed (%s): search and the picker will scan",
                        str(exc).splitlines()[0])
    return None


def upgrade() -> None:
    op.create_table(
        "insight_figures",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=400), nullable=False),
        sa.Column("computed_at", UTCDateTime(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("scope", sa.String(length=400), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_insight_figures"),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in words.WORD_COLUMNS:
            for ddl in words.sqlite_create(name):
                bind.execute(sa.text(ddl))
    elif bind.dialect.name == "postgresql":
        schema = _trgm_schema(bind)
        if schema is not None:
            opclass = f'"{schema}".gin_trgm_ops'
            for name in words.WORD_COLUMNS:
                for ddl in words.pg_create(name, opclass):
                    bind.execute(sa.text(ddl))


def downgrade() -> None:
    bind = op.get_bind()
    for name in words.WORD_COLUMNS:
        for ddl in (words.sqlite_drop(name) if bind.dialect.name == "sqlite"
                    else words.pg_drop(name)):
            bind.execute(sa.text(ddl))
    op.drop_table("insight_figures")
