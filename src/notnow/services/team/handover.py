"""Handing records from one person to another: a salesperson leaves, or a workspace that was
one person's grows into a team. Admins only; every record handed over is on the audit trail.

What moves is ownership (:mod:`notnow.core.policy`): the accounts, contacts, deals and
follow-ups the person owns — all of them, one account's, or one contact's. A rejection, touch or
signal follows its contact. What the person *wrote* stays theirs: their journal, the feelings
they wrote with a rejection, their autopsies, and the authorship of what they logged.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import select, true, update
from sqlalchemy.orm import Session

from notnow.core.policy import Actor, may_manage_people
from notnow.errors import InvalidInput, PermissionDenied
from notnow.services.lookup import resolve_account, resolve_contact, resolve_user
from notnow.services.team.audit import record
from notnow.services.workspace import Workspace
from notnow.storage.tables import Account, Contact, Deal, FollowUp, User


class HandoverPublic(BaseModel):
    from_user_id: int
    from_user: str
    to_user_id: int
    to_user: str
    accounts: int
    contacts: int
    deals: int
    followups: int

    def describe(self) -> str:
        return (f"{self.accounts} account(s), {self.contacts} contact(s), {self.deals} deal(s) "
                f"and {self.followups} follow-up(s) from {self.from_user} to {self.to_user}")


def hand_over(ws: Workspace, actor: Actor, *, to: str | int, from_user: str | int | None = None,
              account: str | int | None = None,
              contact: str | int | None = None) -> HandoverPublic:
    """Give ``from_user``'s records to ``to``: everything they own, or only at ``account``, or
    only ``contact`` (then ``from_user`` defaults to the account's or contact's owner)."""
    if not may_manage_people(actor):
        raise PermissionDenied("only an admin can hand records from one person to another")
    if account is not None and contact is not None:
        raise InvalidInput("hand over one account or one contact, not both", field="contact")
    if from_user is None and account is None and contact is None:
        raise InvalidInput("say whose records to hand over", field="from_user")
    now = ws.now()
    with ws.db.write() as s:
        acc = resolve_account(s, actor, account, field="account") if account is not None \
            else None
        con = resolve_contact(s, actor, contact, field="contact") if contact is not None \
            else None
        owner = _owner(s, from_user, acc, con)
        heir = resolve_user(s, to, field="to")
        if not heir.active:
            raise InvalidInput(f"{heir.name} is disabled; hand the records to someone active",
                               field="to")
        if heir.id == owner.id:
            raise InvalidInput(f"these are {heir.name}'s already", field="to")
        scope = _scope(acc, con)
        moved = {name: _move(s, model, owner.id, heir.id, scope(model))
                 for name, model in (("accounts", Account), ("contacts", Contact),
                                     ("deals", Deal), ("followups", FollowUp))}
        for entity, ids in (("account", moved["accounts"]), ("contact", moved["contacts"])):
            for rid in ids:
                record(s, actor, "record.handed_over", entity, rid, at=now,
                       account_id=rid if entity == "account" else None,
                       contact_id=rid if entity == "contact" else None, owner_id=heir.id,
                       before={"owner_id": owner.id}, after={"owner_id": heir.id})
        counts = {name: len(ids) for name, ids in moved.items()}
        record(s, actor, "records.handed_over", "user", owner.id, at=now, owner_id=owner.id,
               account_id=acc.id if acc else None, contact_id=con.id if con else None,
               before={"owner_id": owner.id}, after={"owner_id": heir.id, **counts})
        return HandoverPublic(from_user_id=owner.id, from_user=owner.name, to_user_id=heir.id,
                              to_user=heir.name, **counts)


def _owner(s: Session, ref: str | int | None, acc: Account | None,
           con: Contact | None) -> User:
    if ref is not None:
        return resolve_user(s, ref, field="from_user")
    owner_id = (con.owner_id if con is not None else acc.owner_id if acc is not None else None)
    owner = s.get(User, owner_id) if owner_id is not None else None
    if owner is None:
        raise InvalidInput("it has no owner yet; say whose it is (from_user)",
                           field="from_user")
    return owner


def _scope(acc: Account | None, con: Contact | None) -> Any:
    """For each table, the rows in scope (before the owner is checked)."""

    def where(model: Any) -> Any:
        if con is not None:
            if model is Account or model is Deal:
                return None  # a contact alone: its own row and its follow-ups
            return (Contact.id == con.id) if model is Contact else (FollowUp.contact_id == con.id)
        if acc is not None:
            return (Account.id == acc.id) if model is Account else (model.account_id == acc.id)
        return true()

    return where


def _move(s: Session, model: Any, owner: int, heir: int, where: Any) -> list[int]:
    if where is None:
        return []
    ids = list(s.scalars(select(model.id).where(model.owner_id == owner, where)
                         .order_by(model.id)))
    for start in range(0, len(ids), 500):
        s.execute(update(model).where(model.id.in_(ids[start:start + 500]))
                  .values(owner_id=heir).execution_options(synchronize_session=False))
    return ids
