"""Accounts: add, list, show."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from notnow.services.lookup import resolve_account
from notnow.services.schemas import (
    AccountCreate,
    AccountPublic,
    ContactPublic,
    DealPublic,
    validate,
)
from notnow.services.workspace import Workspace
from notnow.storage.tables import Account, Contact, Deal, Rejection


def add_account(ws: Workspace, data: dict[str, Any]) -> AccountPublic:
    spec = validate(AccountCreate, data)
    with ws.db.write() as s:
        acc = Account(**spec.model_dump(), owner_id=ws.user_id, created_at=ws.now())
        s.add(acc)
        s.flush()
        return AccountPublic.model_validate(acc)


def list_accounts(ws: Workspace, *, search: str | None = None, limit: int = 200,
                  offset: int = 0) -> list[AccountPublic]:
    with ws.db.read() as s:
        q = select(Account).order_by(func.lower(Account.name), Account.id)
        if search:
            q = q.where(func.lower(Account.name).contains(search.lower()))
        rows = s.scalars(q.limit(limit).offset(offset))
        return [AccountPublic.model_validate(r) for r in rows]


def show_account(ws: Workspace, ref: str | int) -> dict[str, Any]:
    """The account with its contacts, deals and rejection count."""
    from notnow.services.records.contacts import contact_public

    with ws.db.read() as s:
        acc = resolve_account(s, ref)
        contacts = s.scalars(select(Contact).where(Contact.account_id == acc.id)
                             .order_by(Contact.name))
        deals = s.scalars(select(Deal).where(Deal.account_id == acc.id).order_by(Deal.id))
        n_rej = s.scalar(select(func.count()).select_from(Rejection)
                         .where(Rejection.account_id == acc.id))
        return {
            "account": AccountPublic.model_validate(acc),
            "contacts": [contact_public(c, acc.name) for c in contacts],
            "deals": [DealPublic.model_validate(d).model_copy(update={"account_name": acc.name})
                      for d in deals],
            "rejections": int(n_rej or 0),
        }


__all__ = ["add_account", "list_accounts", "show_account", "ContactPublic"]
