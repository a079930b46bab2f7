"""Today's agenda page: who to contact, how and why, worked in place (done / snooze / skip)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from markupsafe import Markup

from notnow.services.followups.agenda import agenda_owners
from notnow.services.schemas import Day
from notnow.web.api.agenda import UserQuery
from notnow.web.auth import check_csrf
from notnow.web.deps import ActorDep, Id, WsDep
from notnow.web.followup_actions import SNOOZE_CHOICES, apply_action
from notnow.web.render import page

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)


@router.get("/")
def today(request: Request, ws: WsDep, actor: ActorDep,
          day: Annotated[Day | None, Query()] = None,
                user_id: UserQuery = None) -> Response:
    owners = agenda_owners(ws, actor, user=user_id)
    owner = owners[0] if owners else None
    when, today = day or ws.today(), ws.today()
    cache = request.app.state.agenda
    items = cache.agenda(ws, when, owners)
    rows = cache.get(("rows", when, owners, today), lambda: Markup(
        request.app.state.templates.get_template("_agenda_rows.html").render(
            items=items, today=today, snooze_choices=SNOOZE_CHOICES)))
    return page(request, "agenda.html", {"items": items, "day": when, "rows": rows,
                                         "people": _team(request, ws, actor), "owner": owner})


def _team(request: Request, ws: WsDep, actor: ActorDep) -> list[tuple[int, str]]:
    """Whose agenda a manager may open: themselves and the people they manage."""
    if len(actor.team) < 2:
        return []
    from notnow.services.team.auth import list_users

    return [(u.id, u.name) for u in list_users(ws, actor) if u.id in actor.team and u.active]


@router.post("/followups/{followup_id}/{action}")
def act(request: Request, ws: WsDep, actor: ActorDep, followup_id: Id, action: str,
        days: Annotated[int | None, Form(ge=1, le=366)] = None,
        contact_name: Annotated[str | None, Form(max_length=300)] = None) -> Response:
    """Done, snooze or skip one follow-up; answers with the row in its new state (htmx)."""
    result = apply_action(ws, actor, followup_id, action, days=days)
    return page(request, "_task_closed.html", {"result": result, "action": action,
                                               "contact_name": contact_name})
