"""Do-not-contact: the mark on a contact, and the suppression list behind it.

An opt-out suppresses the person, not a row: each of their identities (email addresses, phone
numbers, profiles — normalised by :mod:`notnow.core.identity`) goes into a workspace-wide list
as a keyed hash. Every path that creates or changes a contact consults it
(:func:`suppressed_identity`), so a contact added again under the same address, in another
spelling, by another salesperson or from an import is do-not-contact from its first moment
(storage's guard consults the list at every write of a contact, whatever path writes it); and
the person's other contact rows already stored are marked with them. Marking is final: the
first mark stands, and an attempt to lift it is refused and audited.

Every change here takes the contact's lock first (:mod:`notnow.storage.locks`), so nothing
scheduled by a concurrent writer survives the opt-out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from notnow.core import limits
from notnow.core.identity import Identity, identities
from notnow.core.identity import digest as identity_digest
from notnow.core.model import DncSource
from notnow.core.policy import Actor
from notnow.errors import InvalidInput, NotFound
from notnow.services.lookup import owned, resolve_contact
from notnow.services.paging import Keyset, Listed
from notnow.services.reach import outbox
from notnow.services.schemas import DncPublic
from notnow.services.team.audit import record
from notnow.services.workspace import Workspace
from notnow.storage import guards
from notnow.storage.locks import lock_contact
from notnow.storage.tables import Account, Contact, FollowUp, Suppression

MAX_REASON = limits.REASON
SUPPRESSED_MESSAGE = ("this person asked not to be contacted (an earlier opt-out under the same "
                      "address or number): the contact is do-not-contact from the start")

digest = identity_digest
suppressed_identity = guards.first_suppressed


def contact_identities(c: Contact, country: str | None = None) -> tuple[Identity, ...]:
    return identities(email=c.email, phone=c.phone, linkedin=c.linkedin,
                      country=country or (c.account.country if c.account else None))


def suppress(s: Session, found: tuple[Identity, ...], *, source: DncSource,
             now: datetime) -> int:
    """Put identities on the list (each once); returns how many were new.

    On PostgreSQL each identity's transaction lock is taken first (:func:`guards.identity_locks`),
    so a contact being added under it at the same moment either sees the entry or is found by
    the opt-out that made it."""
    if not found:
        return 0
    guards.identity_locks(s, found)
    key = guards.suppression_key(s, create=True)
    assert key is not None
    added = 0
    for identity in found:
        d = digest(key, identity)
        exists = s.scalar(select(Suppression.id).where(Suppression.kind == identity.kind.value,
                                                       Suppression.digest == d))
        if exists is None:
            s.add(Suppression(kind=identity.kind.value, digest=d, source=source.value,
                              created_at=now))
            s.flush()
            added += 1
    return added


def mark_suppressed_on_create(s: Session, c: Contact, *, now: datetime) -> bool:
    """For a contact being created or changed: do-not-contact at once when one of its
    identities is suppressed (the reason names no one). Returns whether it was.

    Storage's guard does the same at every flush (:mod:`notnow.storage.guards`); calling this
    first tells the caller."""
    if c.dnc_at is not None:
        return False
    found = contact_identities(c)
    guards.identity_locks(s, found)
    hit = guards.suppressed_since(s, found)
    if hit is None:
        return False
    c.dnc_at = min(hit[1], now)  # since the opt-out that put the identity on the list
    c.dnc_reason = guards.suppressed_reason(hit[0])
    c.dnc_source = DncSource.SUPPRESSION.value
    c.held_at = None
    c.hold_reason = None
    return True


def cancel_open(s: Session, contact_id: int, when: datetime, *,
                why: str = "do-not-contact") -> int:
    """Cancel everything still planned for a contact (within the caller's transaction, the
    contact locked); returns how many."""
    result = s.execute(
        update(FollowUp)
        .where(FollowUp.contact_id == contact_id, FollowUp.status.in_(("due", "snoozed")))
        .values(status="cancelled", closed_at=when,
                why=func.coalesce(FollowUp.why, "") + f" [cancelled: {why}]")
        .execution_options(synchronize_session="fetch"))
    return int(getattr(result, "rowcount", 0) or 0)


def _same_person(s: Session, c: Contact) -> list[Contact]:
    """The person's other contact rows (same normalised email, phone or profile) not yet
    marked, locked (in id order) and read again after the lock."""
    keys = [(col, val) for col, val in ((Contact.email_key, c.email_key),
                                        (Contact.phone_key, c.phone_key),
                                        (Contact.linkedin_key, c.linkedin_key)) if val]
    if not keys:
        return []
    q = (select(Contact).where(Contact.id != c.id, Contact.dnc_at.is_(None),
                               or_(*(col == val for col, val in keys)))
         .order_by(Contact.id).execution_options(populate_existing=True))
    if s.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(of=Contact)
    return list(s.scalars(q))


def set_mark(c: Any, *, reason: str | None, source: DncSource, when: datetime) -> bool:
    """The do-not-contact mark on one contact row (a stored ``Contact``, or the bulk import's
    copy of one): the first mark stands, a hold goes. Returns whether the mark is new."""
    first = c.dnc_at is None
    if first:
        c.dnc_at = when
        c.dnc_reason = (reason or "")[:MAX_REASON] or None
        c.dnc_source = source.value
    c.held_at = None
    c.hold_reason = None
    return bool(first)


def apply_dnc(s: Session, actor: Actor | None, c: Contact, *, reason: str | None,
              source: DncSource, when: datetime) -> DncPublic:
    """Within a write transaction: lock the contact, set the mark (the first one stands),
    suppress their identities, cancel everything scheduled for them — and do the same for the
    person's other contact rows (same email, phone or profile), with a reason naming no one."""
    locked = lock_contact(s, c.id)
    assert locked is not None
    c = locked
    first = set_mark(c, reason=reason, source=source, when=when)
    found = contact_identities(c)
    suppress(s, found, source=source, now=when)
    cancelled = cancel_open(s, c.id, when)
    if first or cancelled:
        record(s, actor, "contact.opted_out", "contact", c.id, at=when, account_id=c.account_id,
               contact_id=c.id, owner_id=c.owner_id,
               after={"source": source.value, "reason": c.dnc_reason,
                      "cancelled_followups": cancelled})
    s.flush()
    if first:
        outbox.contact_opted_out(s, c, when)
    for other in _same_person(s, c):
        hit = next((i for i in found if (i.kind.value, i.value) in {
            ("email", other.email_key), ("phone", other.phone_key),
            ("linkedin", other.linkedin_key)}), found[0])
        other.dnc_at = when
        other.dnc_reason = guards.suppressed_reason(hit)
        other.dnc_source = DncSource.SUPPRESSION.value
        other.held_at = None
        other.hold_reason = None
        s.flush()
        n = cancel_open(s, other.id, when)
        record(s, actor, "contact.opted_out", "contact", other.id, at=when,
               account_id=other.account_id, contact_id=other.id, owner_id=other.owner_id,
               after={"source": DncSource.SUPPRESSION.value, "reason": other.dnc_reason,
                      "cancelled_followups": n})
        outbox.contact_opted_out(s, other, when)
    s.flush()
    assert c.dnc_at is not None
    return DncPublic(contact_id=c.id, contact_name=c.name, account_name=c.account.name,
                     email=c.email, since=c.dnc_at, reason=c.dnc_reason,
                     source=DncSource(c.dnc_source or source.value),
                     cancelled_followups=cancelled)


def mark_dnc(ws: Workspace, actor: Actor, ref: str | int, *, reason: str | None,
             source: DncSource = DncSource.MANUAL, when: datetime | None = None) -> DncPublic:
    """Mark a contact do-not-contact for good and cancel everything scheduled for them."""
    if source == DncSource.MANUAL and not (reason and reason.strip()):
        raise InvalidInput("say why the contact must not be contacted", field="reason")
    limits.check_text(reason, "reason", MAX_REASON)
    with ws.db.write() as s:
        c = resolve_contact(s, actor, ref, write=True)
        return apply_dnc(s, actor, c, reason=reason, source=source, when=when or ws.now())


def refuse_lifting(ws: Workspace, actor: Actor, ref: str | int, *, why: str | None) -> None:
    """An opt-out is never lifted: the attempt is recorded, then refused."""
    from notnow.errors import DoNotContact

    with ws.db.write() as s:
        c = resolve_contact(s, actor, ref, write=True)
        if c.dnc_at is None:
            raise NotFound(f"{c.name} is not marked do-not-contact", field="contact")
        record(s, actor, "contact.opt_out_lift_refused", "contact", c.id, at=ws.now(),
               account_id=c.account_id, contact_id=c.id, owner_id=c.owner_id, note=why)
        name, since, reason, source = c.name, c.dnc_at, c.dnc_reason, c.dnc_source
    raise DoNotContact(name, since=since.date().isoformat(), reason=reason, source=source,
                       action="lift the opt-out (an opt-out is final)")


NEWEST_FIRST = Keyset((Contact.dnc_at, Contact.id), descending=True)
"""The opt-outs' list order, newest first (the partial index ``ix_contacts_dnc``): where a
page ends (:mod:`notnow.services.paging`)."""


def list_dnc(ws: Workspace, actor: Actor, *, limit: int = 500, offset: int = 0,
             after: str | None = None) -> Listed[DncPublic]:
    """The do-not-contact contacts the actor may see, most recent first; from ``offset``, or
    after the position a page's token names (``NEWEST_FIRST``)."""
    start = NEWEST_FIRST.after(after, offset=offset)
    with ws.db.read() as s:
        q = (select(Contact, Account.name).join(Account)
             .where(Contact.dnc_at.is_not(None), owned(actor, Contact.owner_id))
             .order_by(*NEWEST_FIRST.order()).limit(limit).offset(offset))
        if start is not None:
            q = q.where(start)
        return NEWEST_FIRST.listed(
            (DncPublic(contact_id=c.id, contact_name=c.name, account_name=name, email=c.email,
                       since=c.dnc_at or c.created_at, reason=c.dnc_reason,
                       source=DncSource(c.dnc_source or "manual")), c)
            for c, name in s.execute(q))
