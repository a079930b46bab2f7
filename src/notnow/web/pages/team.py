"""The team page: who is on it, their roles, and who reads whose records (the admin's switch)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from notnow.core.policy import may_set_visibility
from notnow.services.team.auth import list_users
from notnow.services.team.visibility import set_team_reading, visibility
from notnow.web.auth import check_csrf
from notnow.web.deps import ActorDep, WsDep
from notnow.web.render import page

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)


@router.get("/team")
def team_page(request: Request, ws: WsDep, actor: ActorDep) -> Response:
    people = list_users(ws, actor)
    names = {u.id: u.name for u in people}
    return page(request, "team.html", {"people": people, "names": names,
                                       "setting": visibility(ws, actor),
                                       "may_set": may_set_visibility(actor)})


@router.post("/team/visibility")
def team_visibility(request: Request, ws: WsDep, actor: ActorDep,
                    team_reading: Annotated[Literal["on", "off"], Form()]) -> Response:
    """Turn team-wide reading on or off (admins only)."""
    set_team_reading(ws, actor, team_reading == "on")
    return RedirectResponse("/team", status_code=303)
