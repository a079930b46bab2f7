"""Search, the private journal, and the playbook page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from notnow.services.learning import insights, journal
from notnow.services.records.search import search
from notnow.services.schemas import Day
from notnow.web.auth import check_csrf
from notnow.web.deps import ActorDep, Id, WsDep
from notnow.web.playbook_view import workspace_playbook
from notnow.web.render import page

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)


@router.get("/search")
def search_page(request: Request, ws: WsDep, actor: ActorDep,
                q: Annotated[str, Query(max_length=200)] = "") -> Response:
    results = search(ws, actor, q) if q.strip() else None
    return page(request, "search.html", {"results": results, "query": q})


@router.get("/journal")
def journal_page(request: Request, ws: WsDep, actor: ActorDep) -> Response:
    return page(request, "journal.html", {"entries": journal.list_entries(ws, actor, limit=200),
                                          "due": journal.due_for_reflection(ws, actor)})


@router.post("/journal")
def journal_add(request: Request, ws: WsDep, actor: ActorDep,
                text: Annotated[str, Form(max_length=20_000)],
                feelings: Annotated[str | None, Form(max_length=20_000)] = None) -> Response:
    entry = journal.add_entry(ws, actor, text, feelings=feelings)
    return RedirectResponse(f"/journal/{entry.id}", status_code=303)


@router.get("/journal/{entry_id}")
def journal_entry(request: Request, ws: WsDep, actor: ActorDep, entry_id: Id) -> Response:
    """One of your own entries; anyone else's is 'not found', to everyone."""
    return page(request, "journal_entry.html", {"e": journal.get_entry(ws, actor, entry_id)})


@router.post("/journal/{entry_id}/reflect")
def journal_reflect(request: Request, ws: WsDep, actor: ActorDep, entry_id: Id,
                    reflection: Annotated[str, Form(max_length=20_000)]) -> Response:
    journal.reflect(ws, actor, entry_id, reflection)
    return RedirectResponse(f"/journal/{entry_id}", status_code=303)


@router.get("/playbook")
def playbook_page(request: Request, ws: WsDep, actor: ActorDep) -> Response:
    pb = workspace_playbook(ws)
    return page(request, "playbook.html", {"pb": pb, "s": pb.settings})


@router.get("/insights")
def insights_page(request: Request, ws: WsDep, actor: ActorDep,
                  since: Annotated[Day | None, Query()] = None,
                  user_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> Response:
    """Why deals are lost, how often a no became a yes, who pesters: the loss dashboard —
    kept with the data version it was computed at; when the data has changed, the last
    figures are shown while the worker computes new ones (:mod:`.insights`)."""
    from notnow.render.report_html import dashboard, render_fragment

    shown = insights.figures(ws, actor, lambda rep: render_fragment(dashboard(rep)),
                             since=since, for_user=user_id)
    return page(request, "insights.html", {
        "body": Markup(shown.body) if shown.body is not None else None,  # noqa: S704
        "scope": shown.scope, "since": since, "computed_at": shown.computed_at,
        "current": shown.current, "here": request.url.path + (
            "?" + request.url.query if request.url.query else "")})
