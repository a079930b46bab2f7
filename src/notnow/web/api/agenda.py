"""JSON API: the day's agenda and what is done with each follow-up (`notnow agenda`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field

from notnow.services.followups import actions as followups
from notnow.services.followups.agenda import agenda_owners
from notnow.services.followups.item import AgendaItem
from notnow.services.schemas import Day, FollowUpPublic, Input
from notnow.web.answers import keep
from notnow.web.auth import check_csrf
from notnow.web.deps import ActorDep, Id, Page, PagingDep, WsDep, page_of
from notnow.web.errors import ERROR_RESPONSES

router = APIRouter(dependencies=[Depends(check_csrf)], responses=ERROR_RESPONSES,
                   tags=["agenda"])

UserQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1,
                                        description="Whose agenda (default: yours; a manager "
                                        "may ask for one of their team's).")]


@router.get("/agenda")
def agenda(request: Request, ws: WsDep, actor: ActorDep, paging: PagingDep,
           day: Annotated[Day | None, Query(description="The day (default today).")] = None,
           user_id: UserQuery = None,
           team: Annotated[bool, Query(description="Everyone's you may see.")] = False,
           ) -> Page[AgendaItem]:
    """Who to contact on a day, how, and why: overdue work first."""
    owners = agenda_owners(ws, actor, user=user_id, team=team)
    cache = request.app.state.agenda
    items = cache.agenda(ws, day or ws.today(), owners, limit=paging.offset + paging.fetch,
                         version=cache.request_version(request))
    keep(request)  # replayed whole until the next write (notnow.web.answers)
    return page_of(items[paging.offset:], paging)


class Snooze(Input):
    to: Day | None = Field(default=None, description="The new day (default: the next "
                            "business day). It must pass do-not-contact and every cap.")


@router.post("/followups/{followup_id}/done")
def done(ws: WsDep, actor: ActorDep, followup_id: Id) -> FollowUpPublic:
    """Mark a follow-up done; the touch it was is recorded, so the caps count it."""
    return followups.act(ws, actor, followup_id, "done")


@router.post("/followups/{followup_id}/skip")
def skip(ws: WsDep, actor: ActorDep, followup_id: Id) -> FollowUpPublic:
    """Skip a follow-up (it is closed, nothing is recorded as sent)."""
    return followups.act(ws, actor, followup_id, "skip")


@router.post("/followups/{followup_id}/snooze")
def snooze(ws: WsDep, actor: ActorDep, followup_id: Id,
           body: Snooze | None = None) -> FollowUpPublic:
    """Move a follow-up to a later business day; refused for do-not-contact or over a cap."""
    return followups.act(ws, actor, followup_id, "snooze", to=body.to if body else None)


@router.post("/followups/{followup_id}/undo")
def undo(ws: WsDep, actor: ActorDep, followup_id: Id) -> FollowUpPublic:
    """Take back your last done, snooze or skip of a follow-up (within 10 minutes, while nothing
    else changed it): its status and date come back, and the touch a done recorded is
    removed. 409 when there is nothing to take back."""
    return followups.undo(ws, actor, followup_id)
