"""CRM imports: batches, the CRM ids of imported records, and what each batch changed

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from notnow.storage.tables import UTCDateTime

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("undone_at", UTCDateTime(), nullable=True),
        sa.Column("undone_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"],
                                name=op.f("fk_import_batches_actor_id_users")),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"],
                                name=op.f("fk_import_batches_owner_id_users")),
        sa.ForeignKeyConstraint(["undone_by"], ["users.id"],
                                name=op.f("fk_import_batches_undone_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    op.create_index(op.f("ix_import_batches_actor_id"), "import_batches", ["actor_id"])
    op.create_table(
        "external_ids",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("entity_kind", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=255), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("last_batch_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"],
                                name=op.f("fk_external_ids_batch_id_import_batches")),
        sa.ForeignKeyConstraint(["last_batch_id"], ["import_batches.id"],
                                name=op.f("fk_external_ids_last_batch_id_import_batches")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_ids")),
        sa.UniqueConstraint("source", "entity_kind", "external_id",
                            name="uq_external_ids_source_kind_external_id"),
    )
    op.create_index(op.f("ix_external_ids_batch_id"), "external_ids", ["batch_id"])
    op.create_index("ix_external_ids_entity", "external_ids", ["entity_kind", "entity_id"])
    op.create_table(
        "import_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("entity_kind", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("file", sa.String(length=255), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"],
                                name=op.f("fk_import_changes_batch_id_import_batches")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_changes")),
    )
    op.create_index("ix_import_changes_batch", "import_changes", ["batch_id", "id"])
    op.create_index("ix_import_changes_entity", "import_changes", ["entity_kind", "entity_id"])


def downgrade() -> None:
    op.drop_index("ix_import_changes_entity", table_name="import_changes")
    op.drop_index("ix_import_changes_batch", table_name="import_changes")
    op.drop_table("import_changes")
    op.drop_index("ix_external_ids_entity", table_name="external_ids")
    op.drop_index(op.f("ix_external_ids_batch_id"), table_name="external_ids")
    op.drop_table("external_ids")
    op.drop_index(op.f("ix_import_batches_actor_id"), table_name="import_batches")
    op.drop_table("import_batches")
