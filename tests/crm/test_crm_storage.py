"""The tables phase 2 of the CRM import writes through: batches, external ids, changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, select

from notnow.errors import Conflict
from notnow.storage import migrate
from notnow.storage.engine import open_database
from notnow.storage.tables import ExternalId, ImportBatch, ImportChange

NOW = datetime(2026, 12, 6, 9, tzinfo=UTC)


def test_a_crm_id_belongs_to_one_record_per_source_and_kind(db_url: str) -> None:
    db = open_database(db_url)
    try:
        with db.write() as s:
            batch = ImportBatch(source="hubspot", files=[{"name": "deals.csv"}], status="done",
                                counts={"deal": {"created": 1}}, started_at=NOW)
            s.add(batch)
            s.flush()
            s.add_all([
                ExternalId(source="hubspot", entity_kind="deal", entity_id=1,
                           external_id="7001", batch_id=batch.id, created_at=NOW),
                ExternalId(source="hubspot", entity_kind="rejection", entity_id=1,
                           external_id="7001", batch_id=batch.id, created_at=NOW),
                ExternalId(source="pipedrive", entity_kind="deal", entity_id=2,
                           external_id="7001", batch_id=batch.id, created_at=NOW),
                ImportChange(batch_id=batch.id, entity_kind="deal", entity_id=1,
                             action="updated", before={"stage": "proposal"},
                             file="deals.csv", line=2),
            ])
        with pytest.raises(Conflict, match="exists already"), db.write() as s:
            s.add(ExternalId(source="hubspot", entity_kind="deal", entity_id=3,
                             external_id="7001", created_at=NOW))
        with db.read() as s:
            change = s.scalars(select(ImportChange)).one()
            assert change.before == {"stage": "proposal"} and change.line == 2
            got = s.scalars(select(ImportBatch)).one()
            assert got.started_at == NOW and got.dry_run is False and got.undone_at is None
    finally:
        db.dispose()


def test_the_import_tables_come_and_go_with_their_migration(tmp_path: object) -> None:
    from alembic import command

    url = f"sqlite:///{tmp_path}/n.db"
    db = open_database(url)
    try:
        cfg = migrate.alembic_config(db.url)
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0003")
        with db.engine.connect() as conn:
            assert not inspect(conn).has_table("external_ids")
        migrate.upgrade(db)
        with db.engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
        assert {"import_batches", "external_ids", "import_changes"} <= names
    finally:
        db.dispose()
