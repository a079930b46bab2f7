"""A person's data rights: export everything held about one contact, and erase it.

* **Export** (an admin, or the salesperson who owns the contact): the contact, their account's
  name, what they said (rejections with the words, labels, evidence and notes), every touch,
  signal, follow-up and deal naming them, mail seen from or to them, the changes recorded about
  them, and whether they are on the suppression list. Private writing of salespeople (journals,
  the feelings written with a rejection) is theirs, not the contact's, and is left out.
* **Erase** (admins): their words, notes, touches, signals, follow-ups, mail records and the
  contact itself are deleted in one transaction; the audit trail keeps that an erasure happened
  (who, when, why) but not what was erased, and a keyed hash of each of their identities stays
  on the suppression list, so they are never re-imported or contacted. Their mail records keep
  only the message's fingerprint (so a re-import or resync knows it and reads it no more).

Both are audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from notnow.core.model import DncSource
from notnow.core.policy import Actor, may_export_person, may_manage_people
from notnow.errors import InvalidInput, NotFound, PermissionDenied
from notnow.services.capture.optout import contact_identities, suppress, suppressed_identity
from notnow.services.lookup import resolve_contact
from notnow.services.team.audit import plain, record
from notnow.services.workspace import Workspace
from notnow.storage.locks import lock_contact
from notnow.storage.tables import (
    AuditEvent,
    Autopsy,
    CapabilityRequest,
    Contact,
    Deal,
    FollowUp,
    JournalEntry,
    MailMessage,
    Rejection,
    Signal,
    Touch,
)

CONTACT_FIELDS = ("id", "name", "title", "role", "department", "location", "email", "phone",
                  "linkedin", "timezone", "dnc_at", "dnc_reason", "dnc_source", "created_at")
REJECTION_FIELDS = ("id", "at", "stage", "channel", "text", "label", "also", "confidence",
                    "label_source", "evidence", "checkback", "checkback_phrase", "return_date",
                    "competitor", "capability", "referral", "notes", "language")
TOUCH_FIELDS = ("id", "at", "channel", "direction", "outcome")
SIGNAL_FIELDS = ("id", "at", "kind", "active", "note")
FOLLOWUP_FIELDS = ("id", "due", "channel", "purpose", "why", "status", "rule", "closed_at")
DEAL_FIELDS = ("id", "offer", "value", "currency", "stage", "status", "closed_at")
MAIL_FIELDS = ("id", "message_id", "folder", "sender", "subject", "kind", "seen_at")
MAX_REASON = 2000


def _row(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: plain(getattr(row, f, None)) for f in fields if hasattr(row, f)}


def export_contact(ws: Workspace, actor: Actor, ref: str | int) -> dict[str, Any]:
    """Everything held about one contact, as plain JSON-ready data."""
    now = ws.now()
    with ws.db.write() as s:
        c = resolve_contact(s, actor, ref)
        if not may_export_person(actor, c.owner_id):
            raise PermissionDenied("an admin, or the salesperson who owns this contact, may "
                                   "export what is held about them")
        out = _gather(s, c)
        out["exported_at"] = now.isoformat()
        out["exported_by"] = actor.name
        record(s, actor, "contact.exported", "contact", c.id, at=now, account_id=c.account_id,
               contact_id=c.id, owner_id=c.owner_id)
        return out


def _gather(s: Session, c: Contact) -> dict[str, Any]:
    rejections = list(s.scalars(select(Rejection).where(Rejection.contact_id == c.id)
                                .order_by(Rejection.at)))
    touches = s.scalars(select(Touch).where(Touch.contact_id == c.id).order_by(Touch.at))
    signals = s.scalars(select(Signal).where(Signal.contact_id == c.id).order_by(Signal.at))
    followups = s.scalars(select(FollowUp).where(FollowUp.contact_id == c.id)
                          .order_by(FollowUp.due, FollowUp.id))
    deals = s.scalars(select(Deal).where(Deal.contact_id == c.id).order_by(Deal.id))
    mails = s.scalars(select(MailMessage).where(MailMessage.contact_id == c.id)
                      .order_by(MailMessage.id))
    events = s.scalars(select(AuditEvent).where(AuditEvent.contact_id == c.id)
                       .order_by(AuditEvent.id))
    return {
        "contact": {**_row(c, CONTACT_FIELDS), "account": c.account.name},
        "rejections": [_row(r, REJECTION_FIELDS) for r in rejections],
        "touches": [_row(t, TOUCH_FIELDS) for t in touches],
        "signals": [_row(g, SIGNAL_FIELDS) for g in signals],
        "followups": [_row(f, FOLLOWUP_FIELDS) for f in followups],
        "deals": [_row(d, DEAL_FIELDS) for d in deals],
        "mail": [_row(m, MAIL_FIELDS) for m in mails],
        "changes": [{"at": plain(e.at), "action": e.action, "before": e.before,
                     "after": e.after, "note": e.note} for e in events],
        "suppressed": suppressed_identity(s, contact_identities(c)) is not None,
        "left_out": "private notes of salespeople (journals, feelings) are theirs and are not "
                    "part of this export",
    }


def erase_contact(ws: Workspace, actor: Actor, ref: str | int, *, reason: str) -> dict[str, Any]:
    """Erase a contact (admins only), keeping only the keyed hashes that keep them suppressed.

    Returns what was erased, counted."""
    if not may_manage_people(actor):
        raise PermissionDenied("only an admin can erase a contact")
    why = (reason or "").strip()
    if not why:
        raise InvalidInput("say why (e.g. 'erasure request by email of 2026-12-01')",
                           field="reason")
    if len(why) > MAX_REASON:
        raise InvalidInput(f"keep the reason under {MAX_REASON:,} characters", field="reason")
    now = ws.now()
    with ws.db.write() as s:
        found = resolve_contact(s, actor, ref, write=True)
        c = lock_contact(s, found.id)
        if c is None:
            raise NotFound(f"no contact {ref}", field="contact")
        cid, account_id, owner_id = c.id, c.account_id, c.owner_id
        suppressed = suppress(s, contact_identities(c), source=DncSource.ERASURE, now=now)
        counts = _erase(s, cid, now)
        counts["identities_suppressed"] = suppressed
        record(s, actor, "contact.erased", "contact", cid, at=now, account_id=account_id,
               contact_id=cid, owner_id=owner_id, after=counts, note=why)
        return {"contact_id": cid, "account_id": account_id, **counts}


def _erase(s: Session, cid: int, now: datetime) -> dict[str, int]:
    rejection_ids = list(s.scalars(select(Rejection.id).where(Rejection.contact_id == cid)))
    touch_ids = list(s.scalars(select(Touch.id).where(Touch.contact_id == cid)))
    emails = {e.strip().lower() for e in s.execute(select(Contact.email_key, Contact.email)
                                                    .where(Contact.id == cid)).one() if e}
    counts: dict[str, int] = {}

    def gone(name: str, result: Any) -> None:
        counts[name] = int(getattr(result, "rowcount", 0) or 0)

    # what points at their rejections: unlink private journal entries, drop the rest
    if rejection_ids:
        s.execute(update(JournalEntry).where(JournalEntry.rejection_id.in_(rejection_ids))
                  .values(rejection_id=None))
        s.execute(delete(CapabilityRequest).where(
            CapabilityRequest.rejection_id.in_(rejection_ids)))
        s.execute(delete(Autopsy).where(Autopsy.rejection_id.in_(rejection_ids)))
        s.execute(update(FollowUp).where(FollowUp.rejection_id.in_(rejection_ids))
                  .values(rejection_id=None))
    # their mail is forgotten: who, what and which message; the fingerprint alone stays, so
    # the same message read again (a re-import, a resync) is known and never brings them back
    theirs = [MailMessage.contact_id == cid]
    if rejection_ids:
        theirs.append(MailMessage.rejection_id.in_(rejection_ids))
    if touch_ids:
        theirs.append(MailMessage.touch_id.in_(touch_ids))
    if emails:
        theirs.append(MailMessage.sender.in_(sorted(emails)))
    gone("mail", s.execute(update(MailMessage).where(or_(*theirs)).values(
        contact_id=None, rejection_id=None, touch_id=None, sender=None, subject=None,
        message_id=None, source=None, outcome="erased")))
    gone("followups", s.execute(delete(FollowUp).where(FollowUp.contact_id == cid)))
    gone("rejections", s.execute(delete(Rejection).where(Rejection.contact_id == cid)))
    gone("touches", s.execute(delete(Touch).where(Touch.contact_id == cid)))
    gone("signals", s.execute(delete(Signal).where(Signal.contact_id == cid)))
    s.execute(update(JournalEntry).where(JournalEntry.contact_id == cid).values(contact_id=None))
    s.execute(update(Deal).where(Deal.contact_id == cid).values(contact_id=None))
    # the trail keeps what happened, not what they said or who they are
    s.execute(update(AuditEvent).where(or_(AuditEvent.contact_id == cid))
              .values(before=None, after=None, note="(erased)"))
    s.execute(delete(Contact).where(Contact.id == cid))
    counts["trash"] = _erase_from_trash(s, cid)
    s.flush()
    return counts


def _erase_from_trash(s: Session, cid: int) -> int:
    """What the trash keeps of them (a deleted rejection, touch or follow-up of theirs, their
    row in a deleted account) goes too: an erasure leaves nothing to restore."""
    from notnow.storage.tables import Trash

    gone = s.execute(delete(Trash).where(or_(
        Trash.contact_id == cid, (Trash.entity == "contact") & (Trash.entity_id == cid))))
    n = int(getattr(gone, "rowcount", 0) or 0)
    for item in s.scalars(select(Trash).where(Trash.entity == "account")):
        kept = [[name, row] for name, row in item.rows
                if not ((name == "contacts" and row.get("id") == cid)
                        or row.get("contact_id") == cid)]
        if len(kept) != len(item.rows):
            item.rows = kept
            item.links = [link for link in item.links
                          if not (link[2] == "contact_id" and link[3] == cid)]
            n += 1
    return n
