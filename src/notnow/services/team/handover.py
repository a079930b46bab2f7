"""Handing records from one person to another: a salesperson leaves, or solo grows into a team.

An admin moves an account (with its contacts, deals and open follow-ups), one contact (with
its open follow-ups and the deals naming them), or everything a person owns, to another active
person. Closed follow-ups keep their owner: they are history. Every move is audited.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import select, update

from notnow.core.policy import Actor, may_manage_people
from notnow.errors import InvalidInput, PermissionDenied
from notnow.services.lookup import resolve_account, resolve_contact, resolve_user
from notnow.services.team.audit import record
from notnow.services.workspace import Workspace
from notnow.storage.tables import Account, Contact, Deal, FollowUp, User

OPEN = ("due", "snoozed")


class Handover(BaseModel):
    to_user_id: int
    to_user: str
    accounts: int
    contacts: int
    deals: int
    followups: int


def reassign(ws: Workspace, actor: Actor, *, to: str | int, from_user: str | int | None = None,
             account: str | int | None = None, contact: str | int | None = None) -> Handover:
    """Hand an account, a contact, or all of ``from_user``'s records to ``to`` (admins)."""
    if not may_manage_people(actor):
        raise PermissionDenied("only an admin can hand records from one person to another")
    chosen = [x is not None for x in (from_user, account, contact)]
    if sum(chosen) != 1:
        raise InvalidInput("say what to hand over: one account, one contact, or everything "
                           "of one person (--from)", field="what")
    now = ws.now()
    with ws.db.write() as s:
        target = resolve_user(s, to, field="to")
        if not target.active:
            raise InvalidInput(f"{target.name} is disabled; hand over to an active person",
                               field="to")
        if account is not None:
            acc = resolve_account(s, actor, account, write=True)
            counts = _move_accounts(s, [acc.id], target.id)
            what: dict[str, Any] = {"account": acc.id}
        elif contact is not None:
            c = resolve_contact(s, actor, contact, write=True)
            counts = _move_contacts(s, [c.id], target.id)
            what = {"contact": c.id}
        else:
            source = resolve_user(s, from_user, field="from")  # type: ignore[arg-type]
            if source.id == target.id:
                raise InvalidInput("hand over to someone else", field="to")
            counts = _move_everything(s, source, target.id)
            what = {"from_user": source.id}
        record(s, actor, "records.reassigned", "user", target.id, at=now,
               after={**what, "to_user": target.id, **counts})
        return Handover(to_user_id=target.id, to_user=target.name, **counts)


def _move_accounts(s: Any, account_ids: list[int], to: int) -> dict[str, int]:
    contact_ids = list(s.scalars(select(Contact.id).where(Contact.account_id.in_(account_ids))))
    n_acc = s.execute(update(Account).where(Account.id.in_(account_ids))
                      .values(owner_id=to)).rowcount
    moved = _move_contacts(s, contact_ids, to)
    n_deals = s.execute(update(Deal).where(Deal.account_id.in_(account_ids))
                        .values(owner_id=to)).rowcount
    return {**moved, "accounts": int(n_acc or 0), "deals": int(n_deals or 0)}


def _move_contacts(s: Any, contact_ids: list[int], to: int) -> dict[str, int]:
    if not contact_ids:
        return {"accounts": 0, "contacts": 0, "deals": 0, "followups": 0}
    n_con = s.execute(update(Contact).where(Contact.id.in_(contact_ids))
                      .values(owner_id=to)).rowcount
    n_deals = s.execute(update(Deal).where(Deal.contact_id.in_(contact_ids))
                        .values(owner_id=to)).rowcount
    n_fu = s.execute(update(FollowUp).where(FollowUp.contact_id.in_(contact_ids),
                                            FollowUp.status.in_(OPEN))
                     .values(owner_id=to)).rowcount
    return {"accounts": 0, "contacts": int(n_con or 0), "deals": int(n_deals or 0),
            "followups": int(n_fu or 0)}


def _move_everything(s: Any, source: User, to: int) -> dict[str, int]:
    accounts = list(s.scalars(select(Account.id).where(Account.owner_id == source.id)))
    counts = _move_accounts(s, accounts, to)
    # contacts and deals of theirs at other people's accounts, and their own open follow-ups
    rest = list(s.scalars(select(Contact.id).where(Contact.owner_id == source.id)))
    more = _move_contacts(s, rest, to)
    n_deals = s.execute(update(Deal).where(Deal.owner_id == source.id)
                        .values(owner_id=to)).rowcount
    n_fu = s.execute(update(FollowUp).where(FollowUp.owner_id == source.id,
                                            FollowUp.status.in_(OPEN))
                     .values(owner_id=to)).rowcount
    return {"accounts": counts["accounts"],
            "contacts": counts["contacts"] + more["contacts"],
            "deals": counts["deals"] + more["deals"] + int(n_deals or 0),
            "followups": counts["followups"] + more["followups"] + int(n_fu or 0)}

