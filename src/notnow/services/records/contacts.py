"""Contacts: add, list, show — each for the acting person, within what they may see.

A new contact whose email, phone or profile is on the suppression list is do-not-contact from
its first moment (:mod:`notnow.services.capture.optout`), with a message that names no one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from notnow.core import limits
from notnow.core.identity import fold
from notnow.core.policy import Actor
from notnow.services.capture.optout import mark_suppressed_on_create
from notnow.services.lookup import owned, resolve_account, resolve_contact
from notnow.services.paging import Keyset, Listed
from notnow.services.schemas import ContactCreate, ContactPublic, validate
from notnow.services.team.audit import record, snapshot
from notnow.services.workspace import Workspace
from notnow.storage.locks import lock_account
from notnow.storage.tables import Account, Contact

SHOWN = ("name", "account_id", "title", "role", "email", "phone", "linkedin", "owner_id")


def contact_public(c: Contact, account_name: str | None = None) -> ContactPublic:
    out = ContactPublic.model_validate(c)
    return out.model_copy(update={"account_name": account_name,
                                  "do_not_contact": c.dnc_at is not None})


def add_contact(ws: Workspace, actor: Actor, data: dict[str, Any], *,
                account: str | int) -> ContactPublic:
    """A new contact at an account the actor may change; it joins the account owner's work."""
    with ws.db.write() as s:
        acc = resolve_account(s, actor, account, write=True)
        c = create_contact(s, actor, acc, data, now=ws.now())
        return contact_public(c, acc.name)


def create_contact(s: Session, actor: Actor, acc: Account, data: dict[str, Any], *,
                   now: datetime, owner_id: int | None = None,
                   found_in_mail: bool = False) -> Contact:
    """Within a write transaction, at an account the actor may change (resolved by the
    caller): validate, lock, check the suppression list, store and audit a new contact.
    It joins the account owner's work unless ``owner_id`` says whose it is."""
    spec = validate(ContactCreate, {**data, "account_id": acc.id})
    lock_account(s, acc.id)  # the account, then the person's identities: one lock order
    c = Contact(**spec.model_dump(), owner_id=owner_id or acc.owner_id or actor.id,
                created_at=now, found_in_mail=found_in_mail)
    c.account = acc
    s.add(c)
    with s.no_autoflush:  # the identities' locks before the row is written
        suppressed = mark_suppressed_on_create(s, c, now=now)
    s.flush()
    notes = [n for n in ("found in mail" if found_in_mail else None,
                         "do-not-contact: an identity was on the suppression list"
                         if suppressed else None) if n]
    record(s, actor, "contact.created", "contact", c.id, at=now, account_id=acc.id,
           contact_id=c.id, owner_id=c.owner_id, after=snapshot(c, *SHOWN),
           note="; ".join(notes) or None)
    return c


BY_NAME = Keyset((Contact.name_key, Contact.id))
"""The contacts' list order, by name then id (read from ``ix_contacts_name_key`` or, for one
owner's, ``ix_contacts_owner_name``): where a page ends (:mod:`notnow.services.paging`)."""


def list_contacts(ws: Workspace, actor: Actor, *, account: str | int | None = None,
                  dnc: bool | None = None, search: str | None = None, limit: int = 500,
                  offset: int = 0, after: str | None = None,
                  write: bool = False) -> Listed[ContactPublic]:
    """The contacts the actor may read (with ``write``: those they may change), by name; from
    ``offset``, or after the position a page's token names (``BY_NAME``)."""
    limits.check_text(search, "q", 200)
    start = BY_NAME.after(after, offset=offset)
    with ws.db.read() as s:
        q = (select(Contact, Account.name).join(Account)
             .where(owned(actor, Contact.owner_id, write=write))
             .order_by(*BY_NAME.order()))
        if start is not None:
            q = q.where(start)
        if account is not None:
            q = q.where(Contact.account_id == resolve_account(s, actor, account).id)
        if dnc is not None:
            q = q.where(Contact.dnc_at.is_not(None) if dnc else Contact.dnc_at.is_(None))
        if search:
            q = q.where(Contact.name_key.contains(fold(search), autoescape=True))
        return BY_NAME.listed((contact_public(c, name), c)
                              for c, name in s.execute(q.limit(limit).offset(offset)))


def names_of(ws: Workspace, actor: Actor, ids: set[int]) -> dict[int, str]:
    """The names of those of these contacts the actor may read."""
    if not ids:
        return {}
    with ws.db.read() as s:
        rows = s.execute(select(Contact.id, Contact.name).where(
            Contact.id.in_(sorted(ids)), owned(actor, Contact.owner_id)))
        return {int(cid): str(name) for cid, name in rows}


def show_contact(ws: Workspace, actor: Actor, ref: str | int) -> ContactPublic:
    with ws.db.read() as s:
        c = resolve_contact(s, actor, ref)
        return contact_public(c, c.account.name)

