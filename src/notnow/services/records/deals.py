"""Deals: an offer to an account, with a stage and a status (lost is reversible)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from notnow.core.labels import parse_choice
from notnow.core.model import DealStatus
from notnow.services.lookup import get_deal, resolve_account, resolve_contact
from notnow.services.schemas import DealCreate, DealPublic, validate
from notnow.services.workspace import Workspace
from notnow.storage.tables import Account, Deal


def _public(d: Deal, account_name: str | None) -> DealPublic:
    return DealPublic.model_validate(d).model_copy(update={"account_name": account_name})


def add_deal(ws: Workspace, data: dict[str, Any], *, account: str | int,
             contact: str | int | None = None) -> DealPublic:
    with ws.db.write() as s:
        acc = resolve_account(s, account)
        contact_id = resolve_contact(s, contact, account_id=acc.id).id if contact else None
        spec = validate(DealCreate, {**data, "account_id": acc.id, "contact_id": contact_id})
        d = Deal(**spec.model_dump(), owner_id=ws.user_id, created_at=ws.now())
        d.currency = d.currency.upper()
        s.add(d)
        s.flush()
        return _public(d, acc.name)


def list_deals(ws: Workspace, *, account: str | int | None = None, status: str | None = None,
               limit: int = 500, offset: int = 0) -> list[DealPublic]:
    with ws.db.read() as s:
        q = select(Deal, Account.name).join(Account).order_by(Deal.id)
        if account is not None:
            q = q.where(Deal.account_id == resolve_account(s, account).id)
        if status is not None:
            q = q.where(Deal.status == parse_choice(DealStatus, status, field="status").value)
        return [_public(d, n) for d, n in s.execute(q.limit(limit).offset(offset))]


def show_deal(ws: Workspace, ref: str | int) -> DealPublic:
    with ws.db.read() as s:
        d = get_deal(s, ref)
        return _public(d, s.get(Account, d.account_id).name)  # type: ignore[union-attr]


def set_deal_status(ws: Workspace, ref: str | int, status: str) -> DealPublic:
    new = parse_choice(DealStatus, status, field="status")
    with ws.db.write() as s:
        d = get_deal(s, ref)
        d.status = new.value
        d.closed_at = ws.now() if new in (DealStatus.WON, DealStatus.LOST,
                                          DealStatus.WALKED_AWAY) else None
        s.flush()
        return _public(d, s.get(Account, d.account_id).name)  # type: ignore[union-attr]
