"""Which contacts' kept report facts may be out of date: marked by the database itself.

The loss report keeps, per contact, which of its outbound touches broke a cap
(``cap_hits``, worked out by ``services.learning.report_facts`` with the report's own SQL). A
touch's verdict depends on the contact's whole history: its touches (added, moved, edited,
deleted, restored from the trash, merged into another contact), its rejections (the soft no
that holds at each touch: added, relabelled, moved, deleted), its time zone and its account's
(the local days). Database triggers mark the contact in ``report_stale`` whenever any of these
is written, whatever writes it (a service, an import, raw SQL), in the writer's own
transaction: a mark and the change it is about commit together or not at all.

A mark is one row per contact, its ``n`` grown by every write: the refresh reads the marks,
works the facts out again, and deletes only the marks whose ``n`` it read, so that a write
committed meanwhile leaves its contact marked. The table never holds more rows than there
are contacts.
"""

from __future__ import annotations

TOUCH_COLUMNS = "contact_id, at, direction, author_id, reply, channel"
REJECTION_COLUMNS = "contact_id, at, label"

_MARK_SQLITE = ("INSERT INTO report_stale (contact_id, n) VALUES ({cid}, 1) "
                "ON CONFLICT (contact_id) DO UPDATE SET n = n + 1;")


def _by_contact_sqlite(table: str, columns: str) -> list[str]:
    new, old = _MARK_SQLITE.format(cid="NEW.contact_id"), _MARK_SQLITE.format(cid="OLD.contact_id")
    return [
        f"""CREATE TRIGGER IF NOT EXISTS report_stale_{table}_insert AFTER INSERT ON {table}
        WHEN NEW.contact_id IS NOT NULL BEGIN {new} END""",
        f"""CREATE TRIGGER IF NOT EXISTS report_stale_{table}_delete AFTER DELETE ON {table}
        WHEN OLD.contact_id IS NOT NULL BEGIN {old} END""",
        f"""CREATE TRIGGER IF NOT EXISTS report_stale_{table}_update_old
        AFTER UPDATE OF {columns} ON {table}
        WHEN OLD.contact_id IS NOT NULL BEGIN {old} END""",
        f"""CREATE TRIGGER IF NOT EXISTS report_stale_{table}_update_new
        AFTER UPDATE OF {columns} ON {table}
        WHEN NEW.contact_id IS NOT NULL AND NEW.contact_id IS NOT OLD.contact_id
        BEGIN {new} END""",
    ]


SQLITE_TRIGGERS = [
    *_by_contact_sqlite("touches", TOUCH_COLUMNS),
    *_by_contact_sqlite("rejections", REJECTION_COLUMNS),
    f"""CREATE TRIGGER IF NOT EXISTS report_stale_contacts AFTER UPDATE OF timezone, account_id
    ON contacts WHEN NEW.timezone IS NOT OLD.timezone OR NEW.account_id IS NOT OLD.account_id
    BEGIN {_MARK_SQLITE.format(cid="NEW.id")} END""",
    """CREATE TRIGGER IF NOT EXISTS report_stale_accounts AFTER UPDATE OF timezone ON accounts
    WHEN NEW.timezone IS NOT OLD.timezone
    BEGIN INSERT INTO report_stale (contact_id, n)
          SELECT id, 1 FROM contacts WHERE account_id = NEW.id AND true
          ON CONFLICT (contact_id) DO UPDATE SET n = n + 1; END""",
]

POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION notnow_report_stale_by_contact() RETURNS trigger AS $$
    BEGIN
      IF TG_OP <> 'INSERT' AND OLD.contact_id IS NOT NULL THEN
        INSERT INTO report_stale (contact_id, n) VALUES (OLD.contact_id, 1)
        ON CONFLICT (contact_id) DO UPDATE SET n = report_stale.n + 1;
      END IF;
      IF TG_OP <> 'DELETE' AND NEW.contact_id IS NOT NULL
         AND (TG_OP = 'INSERT' OR NEW.contact_id IS DISTINCT FROM OLD.contact_id) THEN
        INSERT INTO report_stale (contact_id, n) VALUES (NEW.contact_id, 1)
        ON CONFLICT (contact_id) DO UPDATE SET n = report_stale.n + 1;
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION notnow_report_stale_contact() RETURNS trigger AS $$
    BEGIN
      INSERT INTO report_stale (contact_id, n) VALUES (NEW.id, 1)
      ON CONFLICT (contact_id) DO UPDATE SET n = report_stale.n + 1;
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION notnow_report_stale_account() RETURNS trigger AS $$
    BEGIN
      INSERT INTO report_stale (contact_id, n) SELECT id, 1 FROM contacts
       WHERE account_id = NEW.id
      ON CONFLICT (contact_id) DO UPDATE SET n = report_stale.n + 1;
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER report_stale_touches
    AFTER INSERT OR DELETE OR UPDATE OF {TOUCH_COLUMNS} ON touches
    FOR EACH ROW EXECUTE FUNCTION notnow_report_stale_by_contact()""",
    f"""CREATE TRIGGER report_stale_rejections
    AFTER INSERT OR DELETE OR UPDATE OF {REJECTION_COLUMNS} ON rejections
    FOR EACH ROW EXECUTE FUNCTION notnow_report_stale_by_contact()""",
    """CREATE TRIGGER report_stale_contacts AFTER UPDATE OF timezone, account_id ON contacts
    FOR EACH ROW WHEN (NEW.timezone IS DISTINCT FROM OLD.timezone
                       OR NEW.account_id IS DISTINCT FROM OLD.account_id)
    EXECUTE FUNCTION notnow_report_stale_contact()""",
    """CREATE TRIGGER report_stale_accounts AFTER UPDATE OF timezone ON accounts
    FOR EACH ROW WHEN (NEW.timezone IS DISTINCT FROM OLD.timezone)
    EXECUTE FUNCTION notnow_report_stale_account()""",
]

SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS report_stale_{table}_{op}" for table in ("touches", "rejections")
      for op in ("insert", "delete", "update_old", "update_new")),
    "DROP TRIGGER IF EXISTS report_stale_contacts",
    "DROP TRIGGER IF EXISTS report_stale_accounts",
]
POSTGRES_DROP = [
    *(f"DROP TRIGGER IF EXISTS report_stale_{table} ON {table}"
      for table in ("touches", "rejections", "contacts", "accounts")),
    "DROP FUNCTION IF EXISTS notnow_report_stale_by_contact()",
    "DROP FUNCTION IF EXISTS notnow_report_stale_contact()",
    "DROP FUNCTION IF EXISTS notnow_report_stale_account()",
]


FORGET = ["DELETE FROM report_basis"]
"""After a bulk load that ran without these triggers: nothing kept is used, and the next report
works everything out anew (both dialects)."""


def triggers(dialect: str) -> list[str]:
    return SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRES_TRIGGERS


def drops(dialect: str) -> list[str]:
    return SQLITE_DROP if dialect == "sqlite" else POSTGRES_DROP
