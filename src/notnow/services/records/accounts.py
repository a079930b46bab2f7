"""Accounts: add, list, show — each for the acting person, within what they may see."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from notnow.core import limits
from notnow.core.identity import fold
from notnow.core.model import WAYS_IN
from notnow.core.policy import Actor
from notnow.services.lookup import account_clause, owned, rejection_clause, resolve_account
from notnow.services.paging import Keyset, Listed
from notnow.services.records.contacts import contact_public
from notnow.services.schemas import (
    AccountCreate,
    AccountPublic,
    DealPublic,
    validate,
)
from notnow.services.team.audit import record, snapshot
from notnow.services.workspace import Workspace
from notnow.storage.tables import Account, Contact, Deal, Rejection


def add_account(ws: Workspace, actor: Actor, data: dict[str, Any]) -> AccountPublic:
    """A new account, owned by the actor."""
    with ws.db.write() as s:
        return AccountPublic.model_validate(create_account(s, actor, data, now=ws.now()))


def create_account(s: Session, actor: Actor, data: dict[str, Any], *, now: datetime,
                   note: str | None = None) -> Account:
    """Within a write transaction: validate, store and audit a new account of the actor's."""
    spec = validate(AccountCreate, data)
    acc = Account(**spec.model_dump(), owner_id=actor.id, created_at=now)
    s.add(acc)
    s.flush()
    record(s, actor, "account.created", "account", acc.id, at=now, account_id=acc.id,
           owner_id=acc.owner_id, after=snapshot(acc, "name", "domain", "owner_id"), note=note)
    return acc


BY_NAME = Keyset((Account.name_key, Account.id))
"""The accounts' list order, by name then id (``ix_accounts_name_key``): where a page ends
(:mod:`notnow.services.paging`)."""


def list_accounts(ws: Workspace, actor: Actor, *, search: str | None = None, limit: int = 200,
                  offset: int = 0, after: str | None = None) -> Listed[AccountPublic]:
    """The accounts the actor may read, by name; from ``offset``, or after the position a
    page's token names (``BY_NAME``)."""
    limits.check_text(search, "q", 200)
    start = BY_NAME.after(after, offset=offset)
    with ws.db.read() as s:
        q = select(Account).where(account_clause(actor)).order_by(*BY_NAME.order())
        if start is not None:
            q = q.where(start)
        if search:
            q = q.where(Account.name_key.contains(fold(search), autoescape=True))
        rows = s.scalars(q.limit(limit).offset(offset))
        return BY_NAME.listed((AccountPublic.model_validate(r), r) for r in rows)


SHOWN = 500
"""The most contacts, and the most deals, an account is shown with (the API's longest page):
an account of thousands of people (a large customer, a CRM import) costs what 500 cost, and
the rest are paged with the account's ``list_contacts`` and ``list_deals``."""


def get_account(ws: Workspace, actor: Actor, ref: str | int) -> AccountPublic:
    """The account alone (what its edit form shows), without its contacts and deals."""
    with ws.db.read() as s:
        return AccountPublic.model_validate(resolve_account(s, actor, ref))


def show_account(ws: Workspace, actor: Actor, ref: str | int, *,
                 limit: int = SHOWN, ways_in: bool = False) -> dict[str, Any]:
    """The account with its rejection count, and the contacts (by name, as
    ``list_contacts`` orders them; with ``ways_in``, the best ways in first —
    :data:`notnow.core.model.WAYS_IN` — then by name) and deals (oldest first) the actor may
    see: the first ``limit`` of each, and how many there are (``contacts_total``,
    ``deals_total``)."""
    with ws.db.read() as s:
        acc = resolve_account(s, actor, ref)
        whose_contacts = (Contact.account_id == acc.id, owned(actor, Contact.owner_id))
        whose_deals = (Deal.account_id == acc.id, owned(actor, Deal.owner_id))
        order: list[Any] = [Contact.name_key, Contact.id]
        if ways_in:
            order.insert(0, case(WAYS_IN, value=Contact.role, else_=len(WAYS_IN)))
        people = [contact_public(c, acc.name) for c in s.scalars(
            select(Contact).where(*whose_contacts).order_by(*order).limit(limit))]
        deals = [DealPublic.model_validate(d).model_copy(update={"account_name": acc.name})
                 for d in s.scalars(select(Deal).where(*whose_deals).order_by(Deal.id)
                                    .limit(limit))]
        n_rej = s.scalar(select(func.count()).select_from(Rejection)
                         .where(Rejection.account_id == acc.id, rejection_clause(actor)))
        return {
            "account": AccountPublic.model_validate(acc),
            "contacts": people,
            "contacts_total": len(people) if len(people) < limit else s.scalar(
                select(func.count()).select_from(Contact).where(*whose_contacts)),
            "deals": deals,
            "deals_total": len(deals) if len(deals) < limit else s.scalar(
                select(func.count()).select_from(Deal).where(*whose_deals)),
            "rejections": int(n_rej or 0),
        }
