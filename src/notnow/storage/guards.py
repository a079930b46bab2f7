"""Storage's own enforcement of do-not-contact, behind the core's.

Whatever path writes a follow-up or an outbound touch (service, import, API, a bug), the flush is
refused when the contact opted out. The migration also installs database triggers that do the
same for writes that bypass the ORM.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from notnow.errors import DoNotContact
from notnow.storage.tables import Contact, FollowUp, Touch


def _check(session: Session, contact_id: int, action: str) -> None:
    row = session.execute(
        select(Contact.name, Contact.dnc_at, Contact.dnc_reason, Contact.dnc_source)
        .where(Contact.id == contact_id)
    ).first()
    if row is not None and row.dnc_at is not None:
        raise DoNotContact(
            row.name,
            since=row.dnc_at.date().isoformat(),
            reason=row.dnc_reason,
            source=row.dnc_source,
            action=action,
        )


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, FollowUp) and obj.status == "due":
            _check(session, obj.contact_id, "schedule a follow-up")
        elif isinstance(obj, Touch) and obj.direction == "outbound" and obj in session.new:
            _check(session, obj.contact_id, "record an outbound touch")


def install(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _before_flush)


SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS dnc_followups_insert BEFORE INSERT ON followups
    WHEN NEW.status = 'due'
      AND (SELECT dnc_at FROM contacts WHERE id = NEW.contact_id) IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'do_not_contact: contact opted out'); END""",
    """CREATE TRIGGER IF NOT EXISTS dnc_followups_update BEFORE UPDATE ON followups
    WHEN NEW.status = 'due'
      AND (SELECT dnc_at FROM contacts WHERE id = NEW.contact_id) IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'do_not_contact: contact opted out'); END""",
    """CREATE TRIGGER IF NOT EXISTS dnc_touches_insert BEFORE INSERT ON touches
    WHEN NEW.direction = 'outbound'
      AND (SELECT dnc_at FROM contacts WHERE id = NEW.contact_id) IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'do_not_contact: contact opted out'); END""",
]

POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION notnow_dnc_followups() RETURNS trigger AS $$
    BEGIN
      IF NEW.status = 'due' AND EXISTS (
          SELECT 1 FROM contacts WHERE id = NEW.contact_id AND dnc_at IS NOT NULL) THEN
        RAISE EXCEPTION 'do_not_contact: contact % opted out', NEW.contact_id;
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION notnow_dnc_touches() RETURNS trigger AS $$
    BEGIN
      IF NEW.direction = 'outbound' AND EXISTS (
          SELECT 1 FROM contacts WHERE id = NEW.contact_id AND dnc_at IS NOT NULL) THEN
        RAISE EXCEPTION 'do_not_contact: contact % opted out', NEW.contact_id;
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER dnc_followups BEFORE INSERT OR UPDATE ON followups
    FOR EACH ROW EXECUTE FUNCTION notnow_dnc_followups()""",
    """CREATE TRIGGER dnc_touches BEFORE INSERT ON touches
    FOR EACH ROW EXECUTE FUNCTION notnow_dnc_touches()""",
]

SQLITE_DROP = ["DROP TRIGGER IF EXISTS dnc_followups_insert",
               "DROP TRIGGER IF EXISTS dnc_followups_update",
               "DROP TRIGGER IF EXISTS dnc_touches_insert"]
POSTGRES_DROP = ["DROP TRIGGER IF EXISTS dnc_followups ON followups",
                 "DROP TRIGGER IF EXISTS dnc_touches ON touches",
                 "DROP FUNCTION IF EXISTS notnow_dnc_followups()",
                 "DROP FUNCTION IF EXISTS notnow_dnc_touches()"]
