"""Columns the database keeps itself: what the agenda ranks by, on the follow-up row.

The agenda ranks every open follow-up due by a day (services/agenda.py). Reading its inputs from
other tables costs one or two index lookups per row, which at a million contacts and a thousand
due rows is most of the time on PostgreSQL. So each follow-up carries copies, kept true by
database triggers whatever writes the data (service, import, raw SQL):

* ``label`` and ``dated_checkback`` — the label of the rejection it comes from, and whether that
  rejection named a check-back date (set on insert and whenever the rejection or the link changes);
* ``last_touch_at`` — the latest touch of its contact, inbound or outbound (moved on by every
  touch written, recomputed when a touch is changed or deleted);
* ``last_signal_at`` — the same for its contact's signals: the agenda reads signals only for
  the few rows whose latest one is recent, not for every row.

With them, one range of ``ix_followups_agenda`` holds everything the ranking needs. The ORM never
writes these columns (``FetchedValue``); ``BACKFILL`` recomputes them all after a bulk load that
ran without triggers (migration 0003, the agenda benchmark).
"""

from __future__ import annotations

_FROM_REJECTION_SQLITE = """
    label = (SELECT r.label FROM rejections r WHERE r.id = NEW.rejection_id),
    dated_checkback = COALESCE(
        (SELECT r.checkback IS NOT NULL FROM rejections r WHERE r.id = NEW.rejection_id), 0),
    last_touch_at = (SELECT max(t.at) FROM touches t WHERE t.contact_id = NEW.contact_id),
    last_signal_at = (SELECT max(g.at) FROM signals g WHERE g.contact_id = NEW.contact_id)"""

LATEST = {"touches": "last_touch_at", "signals": "last_signal_at"}
"""Source table -> the follow-up column that keeps its contact's latest ``at``."""


def _latest_sqlite(table: str, column: str) -> list[str]:
    return [
        f"""CREATE TRIGGER IF NOT EXISTS rank_{table}_insert AFTER INSERT ON {table}
        BEGIN UPDATE followups SET {column} = NEW.at
              WHERE contact_id = NEW.contact_id
                AND ({column} IS NULL OR {column} < NEW.at); END""",
        f"""CREATE TRIGGER IF NOT EXISTS rank_{table}_update
        AFTER UPDATE OF at, contact_id ON {table}
        BEGIN UPDATE followups SET {column} =
                (SELECT max(x.at) FROM {table} x WHERE x.contact_id = followups.contact_id)
              WHERE contact_id IN (OLD.contact_id, NEW.contact_id); END""",
        f"""CREATE TRIGGER IF NOT EXISTS rank_{table}_delete AFTER DELETE ON {table}
        BEGIN UPDATE followups SET {column} =
                (SELECT max(x.at) FROM {table} x WHERE x.contact_id = OLD.contact_id)
              WHERE contact_id = OLD.contact_id; END""",
    ]


def _latest_postgres(table: str, column: str) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION notnow_rank_{table}() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            UPDATE followups SET {column} = NEW.at
             WHERE contact_id = NEW.contact_id AND ({column} IS NULL OR {column} < NEW.at);
            RETURN NULL;
          END IF;
          UPDATE followups f SET {column} =
                 (SELECT max(x.at) FROM {table} x WHERE x.contact_id = f.contact_id)
           WHERE f.contact_id = OLD.contact_id
              OR (TG_OP = 'UPDATE' AND f.contact_id = NEW.contact_id);
          RETURN NULL;
        END $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER rank_{table} AFTER INSERT OR DELETE OR UPDATE OF at, contact_id
        ON {table} FOR EACH ROW EXECUTE FUNCTION notnow_rank_{table}()""",
    ]


SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS rank_followups_insert AFTER INSERT ON followups
    BEGIN UPDATE followups SET {_FROM_REJECTION_SQLITE} WHERE id = NEW.id; END""",
    f"""CREATE TRIGGER IF NOT EXISTS rank_followups_relink
    AFTER UPDATE OF rejection_id, contact_id ON followups
    BEGIN UPDATE followups SET {_FROM_REJECTION_SQLITE} WHERE id = NEW.id; END""",
    """CREATE TRIGGER IF NOT EXISTS rank_rejections_update
    AFTER UPDATE OF label, checkback ON rejections
    BEGIN UPDATE followups SET label = NEW.label, dated_checkback = NEW.checkback IS NOT NULL
          WHERE rejection_id = NEW.id; END""",
    *(stmt for table, column in LATEST.items() for stmt in _latest_sqlite(table, column)),
]

POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION notnow_rank_followup() RETURNS trigger AS $$
    BEGIN
      SELECT r.label, r.checkback IS NOT NULL INTO NEW.label, NEW.dated_checkback
        FROM rejections r WHERE r.id = NEW.rejection_id;
      NEW.dated_checkback := COALESCE(NEW.dated_checkback, false);  -- no rejection: NULLs
      NEW.last_touch_at := (SELECT max(t.at) FROM touches t WHERE t.contact_id = NEW.contact_id);
      NEW.last_signal_at := (SELECT max(g.at) FROM signals g
                             WHERE g.contact_id = NEW.contact_id);
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION notnow_rank_rejection() RETURNS trigger AS $$
    BEGIN
      UPDATE followups SET label = NEW.label, dated_checkback = NEW.checkback IS NOT NULL
       WHERE rejection_id = NEW.id;
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER rank_followups_insert BEFORE INSERT ON followups
    FOR EACH ROW EXECUTE FUNCTION notnow_rank_followup()""",
    """CREATE TRIGGER rank_followups_relink BEFORE UPDATE OF rejection_id, contact_id ON followups
    FOR EACH ROW EXECUTE FUNCTION notnow_rank_followup()""",
    """CREATE TRIGGER rank_rejections_update AFTER UPDATE OF label, checkback ON rejections
    FOR EACH ROW EXECUTE FUNCTION notnow_rank_rejection()""",
    *(stmt for table, column in LATEST.items() for stmt in _latest_postgres(table, column)),
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS rank_followups_insert",
    "DROP TRIGGER IF EXISTS rank_followups_relink",
    "DROP TRIGGER IF EXISTS rank_rejections_update",
    *(f"DROP TRIGGER IF EXISTS rank_{table}_{op}" for table in LATEST
      for op in ("insert", "update", "delete")),
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS rank_followups_insert ON followups",
    "DROP TRIGGER IF EXISTS rank_followups_relink ON followups",
    "DROP TRIGGER IF EXISTS rank_rejections_update ON rejections",
    *(f"DROP TRIGGER IF EXISTS rank_{table} ON {table}" for table in LATEST),
    "DROP FUNCTION IF EXISTS notnow_rank_followup()",
    "DROP FUNCTION IF EXISTS notnow_rank_rejection()",
    *(f"DROP FUNCTION IF EXISTS notnow_rank_{table}()" for table in LATEST),
]

BACKFILL = [
    """UPDATE followups SET
        label = (SELECT r.label FROM rejections r WHERE r.id = followups.rejection_id),
        dated_checkback = COALESCE((SELECT r.checkback IS NOT NULL FROM rejections r
                                    WHERE r.id = followups.rejection_id), false),
        last_touch_at = (SELECT max(t.at) FROM touches t
                         WHERE t.contact_id = followups.contact_id),
        last_signal_at = (SELECT max(g.at) FROM signals g
                          WHERE g.contact_id = followups.contact_id)""",
]
"""Recompute every derived column (both dialects): after a bulk load without triggers."""


def triggers(dialect: str) -> list[str]:
    return SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRES_TRIGGERS


def drops(dialect: str) -> list[str]:
    return SQLITE_DROP if dialect == "sqlite" else POSTGRES_DROP
