"""Migration 0009 adds the reach tables and takes them away again (with every later one)."""

from __future__ import annotations

from sqlalchemy import inspect

from notnow.storage import migrate
from notnow.storage.engine import open_database

REACH_TABLES = {"calendar_feeds", "calendar_events", "caldav_accounts", "caldav_events",
                "smtp_settings", "digest_prefs", "digest_log", "webhooks", "webhook_deliveries"}


def test_upgrade_downgrade_upgrade(db_url: str) -> None:
    db = open_database(db_url)
    try:
        with db.engine.connect() as conn:
            assert REACH_TABLES <= set(inspect(conn).get_table_names())
        from alembic import command

        cfg = migrate.alembic_config(db.url)
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0003")
        with db.engine.connect() as conn:
            assert not REACH_TABLES & set(inspect(conn).get_table_names())
            assert "followups" in inspect(conn).get_table_names()
        migrate.upgrade(db, "head")
        with db.engine.connect() as conn:
            assert REACH_TABLES <= set(inspect(conn).get_table_names())
            assert migrate.current_revision(conn) == migrate.HEAD
    finally:
        db.dispose()
