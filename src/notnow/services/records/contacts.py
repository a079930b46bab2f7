"""Contacts, and the do-not-contact mark that stops everything."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from notnow.core.model import DncSource
from notnow.errors import InvalidInput
from notnow.services.lookup import resolve_account, resolve_contact
from notnow.services.schemas import ContactCreate, ContactPublic, DncPublic, validate
from notnow.services.workspace import Workspace
from notnow.storage.tables import Account, Contact, FollowUp


def contact_public(c: Contact, account_name: str | None = None) -> ContactPublic:
    out = ContactPublic.model_validate(c)
    return out.model_copy(update={"account_name": account_name,
                                  "do_not_contact": c.dnc_at is not None})


def add_contact(ws: Workspace, data: dict[str, Any], *, account: str | int) -> ContactPublic:
    with ws.db.write() as s:
        acc = resolve_account(s, account)
        spec = validate(ContactCreate, {**data, "account_id": acc.id})
        c = Contact(**spec.model_dump(), owner_id=ws.user_id, created_at=ws.now())
        s.add(c)
        s.flush()
        return contact_public(c, acc.name)


def list_contacts(ws: Workspace, *, account: str | int | None = None, dnc: bool | None = None,
                  search: str | None = None, limit: int = 500,
                  offset: int = 0) -> list[ContactPublic]:
    with ws.db.read() as s:
        q = select(Contact, Account.name).join(Account).order_by(func.lower(Contact.name),
                                                                  Contact.id)
        if account is not None:
            q = q.where(Contact.account_id == resolve_account(s, account).id)
        if dnc is not None:
            q = q.where(Contact.dnc_at.is_not(None) if dnc else Contact.dnc_at.is_(None))
        if search:
            q = q.where(func.lower(Contact.name).contains(search.lower()))
        return [contact_public(c, name) for c, name in s.execute(q.limit(limit).offset(offset))]


def show_contact(ws: Workspace, ref: str | int) -> ContactPublic:
    with ws.db.read() as s:
        c = resolve_contact(s, ref)
        return contact_public(c, c.account.name)


def mark_dnc(ws: Workspace, ref: str | int, *, reason: str | None,
             source: DncSource = DncSource.MANUAL, when: datetime | None = None) -> DncPublic:
    """Mark a contact do-not-contact for good and cancel everything scheduled for them."""
    if source == DncSource.MANUAL and not (reason and reason.strip()):
        raise InvalidInput("say why the contact must not be contacted", field="reason")
    with ws.db.write() as s:
        c = resolve_contact(s, ref)
        return apply_dnc(s, c, reason=reason, source=source, when=when or ws.now())


def apply_dnc(s: Any, c: Contact, *, reason: str | None, source: DncSource,
              when: datetime) -> DncPublic:
    """Within a write transaction: set the mark (the first one stands) and cancel follow-ups."""
    if c.dnc_at is None:
        c.dnc_at = when
        c.dnc_reason = reason
        c.dnc_source = source.value
    result = s.execute(
        update(FollowUp)
        .where(FollowUp.contact_id == c.id, FollowUp.status.in_(("due", "snoozed")))
        .values(status="cancelled", closed_at=when,
                why=func.coalesce(FollowUp.why, "") + " [cancelled: do-not-contact]")
    )
    s.flush()
    assert c.dnc_at is not None
    return DncPublic(contact_id=c.id, contact_name=c.name, account_name=c.account.name,
                     email=c.email, since=c.dnc_at, reason=c.dnc_reason,
                     source=DncSource(c.dnc_source or source.value),
                     cancelled_followups=int(result.rowcount or 0))


def list_dnc(ws: Workspace) -> list[DncPublic]:
    with ws.db.read() as s:
        q = (select(Contact, Account.name).join(Account).where(Contact.dnc_at.is_not(None))
             .order_by(Contact.dnc_at.desc()))
        return [DncPublic(contact_id=c.id, contact_name=c.name, account_name=name,
                          email=c.email, since=c.dnc_at or c.created_at, reason=c.dnc_reason,
                          source=DncSource(c.dnc_source or "manual"))
                for c, name in s.execute(q)]
