"""Storage's own enforcement of do-not-contact and holds, behind the core's.

The core decides (:func:`notnow.core.caps.ensure_contactable` for a touch,
:func:`notnow.core.caps.ensure_schedulable` for a follow-up); storage says the same, whatever
path writes (service, import, API, a bug):

- a follow-up that is open (due or snoozed) is refused for a contact who opted out
  (``contacts.dnc_at``) or is held (``contacts.held_at``: a possible opt-out waiting for a
  person's decision);
- an outbound touch is refused for a contact who opted out, unless it was made before the
  opt-out (history: a call logged the next day, a CRM's past);
- a contact created or changed with an identity on the suppression list (its email, phone or
  profile, normalised by :mod:`notnow.core.identity`) is do-not-contact from that flush on —
  since the opt-out that put the identity on the list — with a reason that names no one. The
  normal forms are kept on the contact (``email_key``, ``phone_key``, ``linkedin_key``) so
  that an opt-out finds the person's other contact rows.

The session hook does it for the ORM; the database triggers below do the same for writes that
bypass it (tests pin the two to the core's functions).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import BigInteger, Integer, Numeric, String, event, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from notnow.core.identity import Identity, digest, identities
from notnow.errors import ContactHeld, DoNotContact, InvalidInput
from notnow.storage.tables import Account, Contact, FollowUp, Meta, Suppression, Touch

OPEN = ("due", "snoozed")
SUPPRESSION_KEY = "suppression_key"
IDENTITY_FIELDS = ("email", "phone", "linkedin", "account_id", "account")


def suppressed_reason(identity: Identity) -> str:
    """The reason a contact is do-not-contact from the start: it names no one."""
    what = {"email": "email address", "phone": "phone number",
            "linkedin": "LinkedIn profile"}[identity.kind.value]
    return (f"an earlier opt-out under the same {what}: this person asked not to be "
            "contacted")


def _check(session: Session, contact_id: int, action: str, *, followup: bool,
           at: datetime | None = None) -> None:
    row = session.execute(
        select(Contact.name, Contact.dnc_at, Contact.dnc_reason, Contact.dnc_source,
               Contact.held_at, Contact.hold_reason)
        .where(Contact.id == contact_id)
    ).first()
    if row is None:
        return
    if row.dnc_at is not None and not (at is not None and _aware(at) < _aware(row.dnc_at)):
        raise DoNotContact(
            row.name,
            since=row.dnc_at.date().isoformat(),
            reason=row.dnc_reason,
            source=row.dnc_source,
            action=action,
        )
    if followup and row.held_at is not None:
        raise ContactHeld(row.name, reason=row.hold_reason, action=action)


def identity_locks(session: Session, found: tuple[Identity, ...]) -> None:
    """On PostgreSQL, take a transaction lock per identity (in a fixed order), so that a
    contact being added under an identity and an opt-out of that identity never miss each
    other. SQLite has one writer: nothing to do."""
    if not found or session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted({int(digest(b"notnow-identity-lock", i)[:15], 16) for i in found}):
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def suppression_key(session: Session, *, create: bool = False) -> bytes | None:
    """The workspace's key for the suppression list's hashes (made on first use)."""
    row = session.get(Meta, SUPPRESSION_KEY)
    if row is None:
        if not create:
            return None
        import secrets

        row = Meta(key=SUPPRESSION_KEY, value=secrets.token_hex(32))
        session.add(row)
    return bytes.fromhex(row.value)


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def first_suppressed(session: Session, found: tuple[Identity, ...]) -> Identity | None:
    """The first of these identities on the suppression list, if any."""
    hit = suppressed_since(session, found)
    return hit[0] if hit else None


def suppressed_since(session: Session,
                     found: tuple[Identity, ...]) -> tuple[Identity, datetime] | None:
    """The first of these identities on the suppression list, with when the earliest of them
    was put there (the person's opt-out); None when none is."""
    key = suppression_key(session) if found else None
    if key is None:
        return None
    hits: list[tuple[Identity, datetime]] = []
    for identity in found:
        since = session.scalar(select(Suppression.created_at).where(
            Suppression.kind == identity.kind.value,
            Suppression.digest == digest(key, identity)))
        if since is not None:
            hits.append((identity, _aware(since)))
    if not hits:
        return None
    return hits[0][0], min(when for _, when in hits)


def contact_identities(session: Session, c: Contact) -> tuple[Identity, ...]:
    """The contact's identities in normal form (the phone read for its account's country)."""
    account = c.account if "account" not in inspect(c).unloaded else None
    if account is None and c.account_id is not None:
        account = session.get(Account, c.account_id)
    return identities(email=c.email, phone=c.phone, linkedin=c.linkedin,
                      country=account.country if account is not None else None)


def _keep_identity(session: Session, c: Contact) -> None:
    """Keep the contact's normal forms and consult the suppression list."""
    state = inspect(c)
    if not state.pending and not any(state.attrs[f].history.has_changes()
                                     for f in IDENTITY_FIELDS):
        return
    found = contact_identities(session, c)
    keys = {i.kind.value: i.value for i in found}
    c.email_key = keys.get("email")
    c.phone_key = keys.get("phone")
    c.linkedin_key = keys.get("linkedin")
    if c.dnc_at is not None or not found:
        return
    identity_locks(session, found)
    hit = suppressed_since(session, found)
    if hit is not None:
        c.dnc_at = hit[1]
        c.dnc_reason = suppressed_reason(hit[0])
        c.dnc_source = "suppression"
        c.held_at = None
        c.hold_reason = None


# --- the bulk path (a CRM import writes contacts with Core, not the ORM) --------------------
# docs/architecture.md: a path that bulk-inserts contacts bypasses the session guard above and
# must keep the keys and consult the list itself. These are `_keep_identity` and
# `suppressed_since` for many contacts at once (tests/storage/test_guards_bulk.py pins them to
# the per-contact ones on random contacts and lists).


def lock_suppression_list(session: Session) -> None:
    """Before a bulk path adds contacts (or opts them out) without the identities' locks: on
    PostgreSQL, no other transaction may read or change the suppression list until this one
    ends. A contact being added or edited elsewhere, or an opt-out, reads the list first: it
    waits, then sees what this transaction put there, and this transaction's contacts are
    committed by the time an opt-out looks for the person's other rows. That is what
    :func:`identity_locks` does for one contact, without one lock per identity (PostgreSQL's
    lock table holds a few thousand). SQLite has one writer: nothing to do."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(text("LOCK TABLE suppressions IN ACCESS EXCLUSIVE MODE"))


def suppressed_since_many(session: Session, founds: list[tuple[Identity, ...]]
                          ) -> list[tuple[Identity, datetime] | None]:
    """:func:`suppressed_since` for each of many identity tuples, in a few queries."""
    key = suppression_key(session) if any(founds) else None
    if key is None:
        return [None] * len(founds)
    hashed = {i: (i.kind.value, digest(key, i)) for found in founds for i in found}
    wanted = set(hashed.values())
    since: dict[tuple[str, str], datetime] = {}
    digests = sorted({d for _, d in wanted})
    for start in range(0, len(digests), 500):
        for kind, dg, created in session.execute(
                select(Suppression.kind, Suppression.digest, Suppression.created_at)
                .where(Suppression.digest.in_(digests[start:start + 500]))):
            if (kind, dg) in wanted:
                since[(kind, dg)] = _aware(created)
    out: list[tuple[Identity, datetime] | None] = []
    for found in founds:
        hits = [(i, since[hashed[i]]) for i in found if hashed[i] in since]
        out.append((hits[0][0], min(when for _, when in hits)) if hits else None)
    return out


def identity_values_many(session: Session, people: list[dict[str, Any]],
                         countries: list[str | None]) -> list[dict[str, Any]]:
    """For contacts about to be inserted with Core (``people``: their column values, without
    dnc_at; ``countries``: each one's account country): the columns storage's guard would
    set at their flush — the normal forms (``email_key``, ``phone_key``, ``linkedin_key``) and,
    for an identity on the suppression list, do-not-contact since the opt-out with a reason
    that names no one. The caller has taken :func:`lock_suppression_list`."""
    founds = [identities(email=p.get("email"), phone=p.get("phone"),
                         linkedin=p.get("linkedin"), country=country)
              for p, country in zip(people, countries, strict=True)]
    hits = suppressed_since_many(session, founds)
    out: list[dict[str, Any]] = []
    for found, hit in zip(founds, hits, strict=True):
        keys = {i.kind.value: i.value for i in found}
        cols: dict[str, Any] = {"email_key": keys.get("email"), "phone_key": keys.get("phone"),
                                "linkedin_key": keys.get("linkedin")}
        if hit is not None:
            cols.update(dnc_at=hit[1], dnc_reason=suppressed_reason(hit[0]),
                        dnc_source="suppression", held_at=None, hold_reason=None)
        out.append(cols)
    return out


# --- values every database can store ---------------------------------------------------------
# The schemas refuse bad input first, naming the field (`notnow.core.limits`); this says the same
# for whatever path writes, on SQLite too (which ignores a VARCHAR's length), so a value never
# reaches PostgreSQL to be refused there as a server error.

INT32 = 2**31 - 1


def _length(column_type: Any) -> int | None:
    """A text column's length, also when only PostgreSQL's variant declares it."""
    length = getattr(column_type, "length", None)
    if length is None:
        for variant in getattr(column_type, "_variant_mapping", {}).values():
            length = getattr(variant, "length", None) or length
    return length if isinstance(length, int) else None


@cache
def _value_rules(mapper: Any) -> tuple[tuple[str, str, int | None, Any], ...]:
    """(attribute, kind, text length, numeric bound) of each column of a mapped class."""
    rules: list[tuple[str, str, int | None, Any]] = []
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        kind_type = column.type
        if isinstance(kind_type, String):
            rules.append((attr.key, "text", _length(kind_type), None))
        elif isinstance(kind_type, Integer) and not isinstance(kind_type, BigInteger):
            rules.append((attr.key, "int", None, INT32))
        elif isinstance(kind_type, Numeric) and kind_type.precision is not None:
            digits = kind_type.precision - (kind_type.scale or 0)
            rules.append((attr.key, "number", None, Decimal(10) ** digits))
    return tuple(rules)


def check_values(obj: Any) -> None:
    """Refuse, naming the column, a text holding a NUL character or longer than its column,
    an integer beyond 32 bits, a number beyond its column's digits."""
    state = inspect(obj)
    for key, kind, length, bound in _value_rules(state.mapper):
        if not state.pending and not state.attrs[key].history.has_changes():
            continue
        _check_value(key, kind, length, bound, state.dict.get(key))


def check_row(model: Any, values: dict[str, Any]) -> None:
    """:func:`check_values` for a row a bulk path inserts with Core (its column values)."""
    for key, kind, length, bound in _value_rules(inspect(model)):
        if key in values:
            _check_value(key, kind, length, bound, values[key])


def _check_value(key: str, kind: str, length: int | None, bound: Any, value: Any) -> None:
    if value is None:
        return
    if kind == "text" and isinstance(value, str):
        if "\x00" in value:
            raise InvalidInput("must not contain a NUL character", field=key)
        if length is not None and len(value) > length:
            raise InvalidInput(f"{len(value):,} characters; at most {length:,}", field=key)
    elif kind in ("int", "number") and isinstance(value, (int, Decimal, float)) \
            and not isinstance(value, bool) and abs(value) >= (bound + 1 if kind == "int"
                                                               else bound):
        raise InvalidInput(f"{value} is out of range", field=key)


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in list(session.new) + list(session.dirty):
        check_values(obj)
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Contact):
            _keep_identity(session, obj)
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, FollowUp) and obj.status in OPEN:
            _check(session, obj.contact_id, "schedule a follow-up", followup=True)
        elif isinstance(obj, Touch) and obj.direction == "outbound" and obj in session.new:
            _check(session, obj.contact_id, "record an outbound touch", followup=False,
                   at=obj.at)


def install(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _before_flush)


# --- the database's own triggers ---------------------------------------------------------------
# A follow-up is checked when it is written open or moved (status, due date, contact), not when
# a derived column changes: a touch recorded for a held contact still updates its rank columns.

_REFUSED_SQLITE = """SELECT RAISE(ABORT, 'do_not_contact: contact opted out')
    WHERE (SELECT dnc_at FROM contacts WHERE id = NEW.contact_id) IS NOT NULL;
    SELECT RAISE(ABORT, 'contact_held: a possible opt-out waits for a decision')
    WHERE (SELECT held_at FROM contacts WHERE id = NEW.contact_id) IS NOT NULL;"""

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS dnc_followups_insert BEFORE INSERT ON followups
    WHEN NEW.status IN ('due', 'snoozed')
    BEGIN {_REFUSED_SQLITE} END""",
    f"""CREATE TRIGGER IF NOT EXISTS dnc_followups_update
    BEFORE UPDATE OF status, due, contact_id ON followups
    WHEN NEW.status IN ('due', 'snoozed')
    BEGIN {_REFUSED_SQLITE} END""",
    """CREATE TRIGGER IF NOT EXISTS dnc_touches_insert BEFORE INSERT ON touches
    WHEN NEW.direction = 'outbound'
      AND julianday(NEW.at) >= julianday((SELECT dnc_at FROM contacts
                                          WHERE id = NEW.contact_id))
    BEGIN SELECT RAISE(ABORT, 'do_not_contact: contact opted out'); END""",
    """CREATE TRIGGER IF NOT EXISTS dnc_touches_update
    BEFORE UPDATE OF direction, contact_id, at ON touches
    WHEN NEW.direction = 'outbound'
      AND julianday(NEW.at) >= julianday((SELECT dnc_at FROM contacts
                                          WHERE id = NEW.contact_id))
    BEGIN SELECT RAISE(ABORT, 'do_not_contact: contact opted out'); END""",
]

POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION notnow_dnc_followups() RETURNS trigger AS $$
    BEGIN
      IF NEW.status IN ('due', 'snoozed') THEN
        IF EXISTS (SELECT 1 FROM contacts WHERE id = NEW.contact_id
                   AND dnc_at IS NOT NULL) THEN
          RAISE EXCEPTION 'do_not_contact: contact % opted out', NEW.contact_id;
        END IF;
        IF EXISTS (SELECT 1 FROM contacts WHERE id = NEW.contact_id
                   AND held_at IS NOT NULL) THEN
          RAISE EXCEPTION 'contact_held: contact % waits for a decision', NEW.contact_id;
        END IF;
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION notnow_dnc_touches() RETURNS trigger AS $$
    BEGIN
      IF NEW.direction = 'outbound' AND EXISTS (
          SELECT 1 FROM contacts WHERE id = NEW.contact_id AND dnc_at <= NEW.at) THEN
        RAISE EXCEPTION 'do_not_contact: contact % opted out', NEW.contact_id;
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER dnc_followups BEFORE INSERT OR UPDATE OF status, due, contact_id
    ON followups FOR EACH ROW EXECUTE FUNCTION notnow_dnc_followups()""",
    """CREATE TRIGGER dnc_touches BEFORE INSERT OR UPDATE OF direction, contact_id, at ON touches
    FOR EACH ROW EXECUTE FUNCTION notnow_dnc_touches()""",
]

SQLITE_DROP = ["DROP TRIGGER IF EXISTS dnc_followups_insert",
               "DROP TRIGGER IF EXISTS dnc_followups_update",
               "DROP TRIGGER IF EXISTS dnc_touches_insert",
               "DROP TRIGGER IF EXISTS dnc_touches_update"]
POSTGRES_DROP = ["DROP TRIGGER IF EXISTS dnc_followups ON followups",
                 "DROP TRIGGER IF EXISTS dnc_touches ON touches",
                 "DROP FUNCTION IF EXISTS notnow_dnc_followups()",
                 "DROP FUNCTION IF EXISTS notnow_dnc_touches()"]

# The triggers as migration 0001 installed them (0003 re-installs them after a batch copy of
# followups); migration trust_race replaces them with the ones above. Frozen here for those
# migrations: they run before contacts.held_at exists.
SQLITE_TRIGGERS_0001 = [
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

POSTGRES_TRIGGERS_0001 = [
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

SQLITE_DROP_0001 = SQLITE_DROP[:3]
POSTGRES_DROP_0001 = POSTGRES_DROP
