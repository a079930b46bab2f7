"""Accounts and contacts: the entry-point map, the timeline, and the do-not-contact switch."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from notnow.core.model import WAYS_IN, Channel, Direction
from notnow.services.capture.optout import mark_dnc as mark_contact_dnc
from notnow.services.capture.touches import record_touch
from notnow.services.records import accounts, pages
from notnow.services.team.handover import hand_over
from notnow.services.team.privacy import erase_contact
from notnow.web.answers import keep
from notnow.web.auth import check_csrf
from notnow.web.deps import ActorDep, Id, WsDep
from notnow.web.render import page

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)


ACCOUNTS_PER_PAGE = 200


@router.get("/accounts")
def account_list(request: Request, ws: WsDep, actor: ActorDep,
                 q: Annotated[str | None, Query(max_length=200)] = None,
                 page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
                 ) -> Response:
    """Accounts by name, a page of :data:`ACCOUNTS_PER_PAGE` at a time (filtered by name)."""
    first = (page_no - 1) * ACCOUNTS_PER_PAGE
    rows = accounts.list_accounts(ws, actor, search=q, limit=ACCOUNTS_PER_PAGE + 1,
                                  offset=first)
    return page(request, "accounts.html", {
        "accounts": rows[:ACCOUNTS_PER_PAGE], "query": q or "", "page_no": page_no,
        "first": first + 1, "more": len(rows) > ACCOUNTS_PER_PAGE})


@router.get("/accounts/{account_id}")
def account_page(request: Request, ws: WsDep, actor: ActorDep, account_id: Id) -> Response:
    """An account: its people by department, activity, trail, journal and references — read
    once per data version and kept in the app's cache (`notnow.web.agenda_cache`), for this
    actor (what they may see) and day; a write by any process shows at the next request."""
    cache = request.app.state.agenda
    context = cache.get(("account", actor, account_id, ws.today()),
                        lambda: _account_context(ws, actor, account_id),
                        version=cache.request_version(request), accounts=(account_id,))
    keep(request, (account_id,))  # replayed whole until a write to it (notnow.web.answers)
    return page(request, "account.html", context)


def _account_context(ws: WsDep, actor: ActorDep, account_id: int) -> dict[str, Any]:
    context = pages.account_page(ws, actor, account_id)
    people = sorted(context["contacts"], key=lambda c: (
        (c.department or "~").lower(), WAYS_IN.get(c.role.value, len(WAYS_IN)), c.name.lower()))
    departments = [(dept or "No department", list(members))
                   for dept, members in groupby(people, key=lambda c: c.department)]
    return {**context, "departments": departments}


@router.post("/accounts/{account_id}/handover")
def handover(request: Request, ws: WsDep, actor: ActorDep, account_id: Id,
             to_user: Annotated[int, Form(ge=1, le=2**31 - 1)]) -> Response:
    """Hand the account (and its owner's records there) to another person (admins only)."""
    hand_over(ws, actor, to=to_user, account=account_id)
    return RedirectResponse(f"/accounts/{account_id}", status_code=303)


@router.get("/contacts/{contact_id}")
def contact_page(request: Request, ws: WsDep, actor: ActorDep, contact_id: Id,
                 logged: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> Response:
    context = pages.contact_page(ws, actor, contact_id)
    just_logged = next((r for r in context["activity"].rejections if r.id == logged), None)
    return page(request, "contact.html", {
        **context, "just_logged": just_logged,
        "channels": list(Channel), "directions": list(Direction)})


@router.post("/contacts/{contact_id}/touch")
def touch(request: Request, ws: WsDep, actor: ActorDep, contact_id: Id,
          channel: Annotated[str, Form(max_length=30)],
          direction: Annotated[str, Form(max_length=30)] = "outbound",
          outcome: Annotated[str | None, Form(max_length=200)] = None) -> Response:
    """Record a touch; an outbound one to a do-not-contact contact is refused."""
    record_touch(ws, actor, {"channel": channel, "direction": direction, "outcome": outcome},
                 contact=contact_id)
    return RedirectResponse(f"/contacts/{contact_id}#timeline", status_code=303)


@router.post("/contacts/{contact_id}/dnc")
def mark_dnc(request: Request, ws: WsDep, actor: ActorDep, contact_id: Id,
             reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Mark do-not-contact, for good: everything scheduled is cancelled."""
    mark_contact_dnc(ws, actor, contact_id, reason=reason)
    return RedirectResponse(f"/contacts/{contact_id}", status_code=303)


@router.post("/contacts/{contact_id}/erase")
def erase(request: Request, ws: WsDep, actor: ActorDep, contact_id: Id,
          reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Erase a contact's data (admins); they stay on the do-not-contact list."""
    done = erase_contact(ws, actor, contact_id, reason=reason)
    return RedirectResponse(f"/accounts/{done['account_id']}?erased=1", status_code=303)
