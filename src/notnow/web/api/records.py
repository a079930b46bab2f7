"""JSON API: accounts, contacts and deals (`notnow account|contact|deal`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from notnow.core.model import DealStatus
from notnow.services.capture import optout
from notnow.services.records import accounts, contacts, deals
from notnow.services.schemas import (
    AccountCreate,
    AccountPublic,
    ContactCreate,
    ContactPublic,
    DealCreate,
    DealPublic,
    DncPublic,
    Input,
)
from notnow.services.team import privacy
from notnow.web.agenda_cache import AgendaCache
from notnow.web.answers import keep
from notnow.web.auth import check_csrf
from notnow.web.deps import (
    ActorDep,
    Id,
    KeyedPage,
    KeyPagingDep,
    WsDep,
    keyed_page_of,
)
from notnow.web.errors import ERROR_RESPONSES

router = APIRouter(dependencies=[Depends(check_csrf)], responses=ERROR_RESPONSES)

Search = Annotated[str | None, Query(max_length=200, description="Part of the name.")]


class AccountDetail(BaseModel):
    account: AccountPublic
    contacts: list[ContactPublic] = Field(description="The first 500 contacts you may see, by "
                                          "name; page through the rest with GET "
                                          "/api/v1/contacts?account_id=…&offset=500.")
    contacts_total: int = Field(description="How many contacts of the account you may see.")
    deals: list[DealPublic] = Field(description="The first 500 deals you may see, oldest "
                                    "first; the rest with GET /api/v1/deals?account_id=….")
    deals_total: int = Field(description="How many deals of the account you may see.")
    rejections: int = Field(description="How many rejections were logged at this account.")


class DncCreate(Input):
    reason: str = Field(min_length=1, max_length=2000, description="Why (required).")


class DealStatusChange(Input):
    status: DealStatus
    reason: str | None = Field(default=None, max_length=2000,
                               description="Why it was lost (with lost or walked_away).")


def _data(model: BaseModel, *drop: str) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_unset=True, exclude=set(drop))


@router.get("/accounts", tags=["accounts"])
def list_accounts(ws: WsDep, actor: ActorDep, paging: KeyPagingDep,
                  q: Search = None) -> KeyedPage[AccountPublic]:
    """Accounts by name."""
    rows = accounts.list_accounts(ws, actor, search=q, limit=paging.fetch, offset=paging.offset,
                                  after=paging.after)
    return keyed_page_of(rows, paging)


@router.post("/accounts", status_code=201, tags=["accounts"])
def add_account(ws: WsDep, actor: ActorDep, body: AccountCreate) -> AccountPublic:
    """Add an account."""
    return accounts.add_account(ws, actor, _data(body))


@router.get("/accounts/{account_id}", tags=["accounts"])
def show_account(request: Request, ws: WsDep, actor: ActorDep, account_id: Id) -> AccountDetail:
    """An account with its contacts and deals."""
    cache: AgendaCache = request.app.state.agenda  # kept per data version, like pages
    shown = cache.get(("api-account", actor, account_id),
                      lambda: AccountDetail(**accounts.show_account(ws, actor, account_id)),
                      version=cache.request_version(request), accounts=(account_id,))
    keep(request, (account_id,))  # replayed whole until a write to it (notnow.web.answers)
    return shown


@router.get("/contacts", tags=["contacts"])
def list_contacts(ws: WsDep, actor: ActorDep, paging: KeyPagingDep, q: Search = None,
                  account_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
                  dnc: Annotated[bool | None, Query(description="Only (or never) "
                                                    "do-not-contact.")] = None,
                  ) -> KeyedPage[ContactPublic]:
    """Contacts by name, optionally of one account."""
    rows = contacts.list_contacts(ws, actor, account=account_id, dnc=dnc, search=q,
                                  limit=paging.fetch, offset=paging.offset, after=paging.after)
    return keyed_page_of(rows, paging)


@router.post("/contacts", status_code=201, tags=["contacts"])
def add_contact(ws: WsDep, actor: ActorDep, body: ContactCreate) -> ContactPublic:
    """Add a contact to an account."""
    return contacts.add_contact(ws, actor, _data(body, "account_id"), account=body.account_id)


@router.get("/contacts/{contact_id}", tags=["contacts"])
def show_contact(request: Request, ws: WsDep, actor: ActorDep, contact_id: Id) -> ContactPublic:
    """One contact, with the do-not-contact state."""
    cache: AgendaCache = request.app.state.agenda  # kept per data version, like pages
    shown: ContactPublic = cache.get(("api-contact", actor, contact_id),
                                     lambda: contacts.show_contact(ws, actor, contact_id),
                                     version=cache.request_version(request),
                                     accounts=lambda shown: (shown.account_id,))
    keep(request, (shown.account_id,))  # replayed whole until a write to its account
    return shown


@router.post("/contacts/{contact_id}/dnc", tags=["contacts"])
def mark_dnc(ws: WsDep, actor: ActorDep, contact_id: Id, body: DncCreate) -> DncPublic:
    """Mark a contact do-not-contact, for good; cancels everything scheduled for them."""
    return optout.mark_dnc(ws, actor, contact_id, reason=body.reason)


class EraseRequest(Input):
    reason: str = Field(min_length=1, max_length=2000, description="Why (the request received).")


@router.get("/contacts/{contact_id}/export", tags=["contacts"])
def export_contact(ws: WsDep, actor: ActorDep, contact_id: Id,
                   format: Annotated[Literal["json", "html"], Query(
                       description="json, or html: a readable page.")] = "json") -> Any:
    """Everything held about one contact (an admin, or the salesperson who owns them)."""
    data = privacy.export_contact(ws, actor, contact_id)
    if format == "html":
        from fastapi.responses import HTMLResponse

        from notnow.render.person import person_html

        return HTMLResponse(person_html(data), headers={
            "content-disposition": f'attachment; filename="contact-{contact_id}.html"'})
    return data


@router.post("/contacts/{contact_id}/erase", tags=["contacts"])
def erase_contact(ws: WsDep, actor: ActorDep, contact_id: Id,
                  body: EraseRequest) -> dict[str, Any]:
    """Erase a contact's data for good (admins); their identities stay on the do-not-contact
    list so they are never imported or contacted again."""
    return privacy.erase_contact(ws, actor, contact_id, reason=body.reason)


@router.get("/dnc", tags=["contacts"])
def list_dnc(ws: WsDep, actor: ActorDep, paging: KeyPagingDep) -> KeyedPage[DncPublic]:
    """Everyone who must not be contacted, most recent first."""
    rows = optout.list_dnc(ws, actor, limit=paging.fetch, offset=paging.offset,
                           after=paging.after)
    return keyed_page_of(rows, paging)


@router.get("/deals", tags=["deals"])
def list_deals(ws: WsDep, actor: ActorDep, paging: KeyPagingDep,
               account_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
               status: DealStatus | None = None) -> KeyedPage[DealPublic]:
    """Deals, oldest first, optionally of one account or in one status."""
    rows = deals.list_deals(ws, actor, account=account_id, status=status.value if status else None,
                            limit=paging.fetch, offset=paging.offset, after=paging.after)
    return keyed_page_of(rows, paging)


@router.post("/deals", status_code=201, tags=["deals"])
def add_deal(ws: WsDep, actor: ActorDep, body: DealCreate) -> DealPublic:
    """Add a deal (an offer to an account)."""
    return deals.add_deal(ws, actor, _data(body, "account_id", "contact_id"),
                          account=body.account_id,
                          contact=body.contact_id)


@router.get("/deals/{deal_id}", tags=["deals"])
def show_deal(ws: WsDep, actor: ActorDep, deal_id: Id) -> DealPublic:
    return deals.show_deal(ws, actor, deal_id)


@router.post("/deals/{deal_id}/status", tags=["deals"])
def set_deal_status(ws: WsDep, actor: ActorDep, deal_id: Id, body: DealStatusChange) -> DealPublic:
    """Change a deal's status (lost is reversible)."""
    return deals.set_deal_status(ws, actor, deal_id, body.status.value, reason=body.reason)
