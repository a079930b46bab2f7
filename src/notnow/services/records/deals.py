"""Deals: an offer to an account, with a stage and a status (lost is reversible)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from notnow.core.labels import parse_choice
from notnow.core.model import DealStatus
from notnow.core.policy import Actor
from notnow.services.lookup import get_deal, owned, resolve_account, resolve_contact
from notnow.services.paging import Keyset, Listed
from notnow.services.schemas import DealCreate, DealPublic, validate
from notnow.services.team.audit import record, snapshot
from notnow.services.workspace import Workspace
from notnow.storage.tables import Account, Deal

CLOSED = (DealStatus.WON, DealStatus.LOST, DealStatus.WALKED_AWAY)


def _public(d: Deal, account_name: str | None) -> DealPublic:
    return DealPublic.model_validate(d).model_copy(update={"account_name": account_name})


def add_deal(ws: Workspace, actor: Actor, data: dict[str, Any], *, account: str | int,
             contact: str | int | None = None) -> DealPublic:
    """A new deal at an account the actor may change; it joins the account owner's work."""
    with ws.db.write() as s:
        acc = resolve_account(s, actor, account, write=True)
        contact_id = (resolve_contact(s, actor, contact, account_id=acc.id, write=True).id
                      if contact else None)
        spec = validate(DealCreate, {**data, "account_id": acc.id, "contact_id": contact_id})
        d = Deal(**spec.model_dump(), owner_id=acc.owner_id or actor.id, created_at=ws.now())
        d.currency = d.currency.upper()
        s.add(d)
        s.flush()
        record(s, actor, "deal.created", "deal", d.id, at=ws.now(), account_id=acc.id,
               contact_id=contact_id, owner_id=d.owner_id,
               after=snapshot(d, "offer", "value", "currency", "stage", "status"))
        return _public(d, acc.name)


OLDEST_FIRST = Keyset((Deal.id,))
"""The deals' list order, oldest first: where a page ends (:mod:`notnow.services.paging`)."""


def list_deals(ws: Workspace, actor: Actor, *, account: str | int | None = None,
               status: str | None = None, limit: int = 500, offset: int = 0,
               after: str | None = None) -> Listed[DealPublic]:
    """The deals the actor may read, oldest first; from ``offset``, or after the position a
    page's token names (``OLDEST_FIRST``)."""
    start = OLDEST_FIRST.after(after, offset=offset)
    with ws.db.read() as s:
        q = (select(Deal, Account.name).join(Account).where(owned(actor, Deal.owner_id))
             .order_by(*OLDEST_FIRST.order()))
        if start is not None:
            q = q.where(start)
        if account is not None:
            q = q.where(Deal.account_id == resolve_account(s, actor, account).id)
        if status is not None:
            q = q.where(Deal.status == parse_choice(DealStatus, status, field="status").value)
        return OLDEST_FIRST.listed((_public(d, n), d)
                                   for d, n in s.execute(q.limit(limit).offset(offset)))


def show_deal(ws: Workspace, actor: Actor, ref: str | int) -> DealPublic:
    with ws.db.read() as s:
        d = get_deal(s, actor, ref)
        return _public(d, s.get(Account, d.account_id).name)  # type: ignore[union-attr]


def set_deal_status(ws: Workspace, actor: Actor, ref: str | int, status: str, *,
                    reason: str | None = None) -> DealPublic:
    """Change a deal's status (see :func:`notnow.services.records.edit.set_status`)."""
    from notnow.services.records.edit import set_status

    return set_status(ws, actor, ref, status, reason=reason)
