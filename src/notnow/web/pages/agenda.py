"""Today's agenda page: who to contact, how and why, worked in place — done, snooze, skip, one
at a time or several at once, each taken back with Undo for a few minutes; narrowed by
channel, by what they said or to what is overdue, for the day or the week ahead."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from markupsafe import Markup

from notnow.core.model import Channel, Label
from notnow.errors import InvalidInput, NotnowError
from notnow.services.followups.item import AgendaItem
from notnow.services.schemas import Day
from notnow.web.agenda_cache import AgendaCache
from notnow.web.agenda_view import View, by_day, count_words, make_view, view_items
from notnow.web.answers import keep
from notnow.web.api.agenda import UserQuery
from notnow.web.auth import check_csrf
from notnow.web.deps import ActorDep, Id, WsDep
from notnow.web.followup_actions import SNOOZE_CHOICES, apply_action
from notnow.web.render import page

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
ROWS_KEPT = 4096
"""Rendered rows kept per process (:func:`agenda_rows`)."""
_rows_lock = threading.Lock()


def agenda_rows(env: Any, items: list[AgendaItem], shown: View) -> Markup:
    """The agenda's rows (``_agenda_rows.html``). Each row is a function of its item and the
    day alone, so the rows of items that did not change since they were last rendered are
    reused: after a write, ranking the agenda again re-renders only the rows it changed
    (a test pins the result to the whole template's)."""
    if shown.mode == "week":  # grouped by day under headings: rendered whole
        return Markup(env.get_template("_agenda_rows.html").render(
            items=items, today=shown.today, snooze_choices=SNOOZE_CHOICES,
            groups=by_day(items, shown)))
    task = env.get_template("_task.html")
    with _rows_lock:  # kept with the templates they were rendered by
        kept: OrderedDict[tuple[Any, ...], str] = env.__dict__.setdefault(
            "notnow_rows", OrderedDict())
    parts = []
    for item in items:
        key = (shown.today, *item.__dict__.values())
        with _rows_lock:
            html = kept.get(key)
            if html is not None:
                kept.move_to_end(key)
        if html is None:
            html = task.render(item=item, today=shown.today, snooze_choices=SNOOZE_CHOICES)
            with _rows_lock:
                kept[key] = html
                while len(kept) > ROWS_KEPT:
                    kept.popitem(last=False)
        parts.append(html)
    return Markup("".join(parts))

Choice = Annotated[str | None, Query(max_length=40)]
FormChoice = Annotated[str | None, Form(max_length=40)]
MAX_BULK = 200


@router.get("/")
def today(request: Request, ws: WsDep, actor: ActorDep,
          day: Annotated[Day | None, Query()] = None, user_id: UserQuery = None,
          view: Choice = None, channel: Choice = None, label: Choice = None,
          overdue: Choice = None) -> Response:
    shown = make_view(ws.today(), day=day, mode=view, channel=channel, label=label,
                      overdue=overdue, user_id=user_id)
    owners, items = view_items(request, ws, actor, shown)
    cache = request.app.state.agenda
    rows = cache.get(("rows", shown, owners),
                     lambda: agenda_rows(request.app.state.templates.env, items, shown),
                     version=cache.request_version(request))
    keep(request)  # replayed whole until the next write (notnow.web.answers)
    return page(request, "agenda.html", {
        "items": items, "day": shown.day, "rows": rows, "view": shown,
        "count": count_words(len(items), shown), "channels": list(Channel),
        "labels": list(Label), "snooze_choices": SNOOZE_CHOICES,
        "people": _team(request, ws, actor), "owner": owners[0] if owners else None})


def _team(request: Request, ws: WsDep, actor: ActorDep) -> list[tuple[int, str]]:
    """Whose agenda a manager may open: themselves and the people they manage."""
    if len(actor.team) < 2:
        return []
    from notnow.services.team.auth import list_users

    cache: AgendaCache = request.app.state.agenda
    return cache.get(("team", actor), lambda: [
        (u.id, u.name) for u in list_users(ws, actor) if u.id in actor.team and u.active],
        version=cache.request_version(request), accounts=())


def _view(ws: WsDep, view: str | None, day: str | None, user_id: str | None,
          channel: str | None, label: str | None, overdue: str | None) -> View | None:
    """The agenda view an action was taken from (its form repeats the page's query), or None
    when it came from another page (a contact's next steps)."""
    if view is None:
        return None
    try:
        when = date.fromisoformat(day) if day else None
    except ValueError:
        when = None
    who = int(user_id) if user_id and user_id.isdigit() and len(user_id) < 10 else None
    return make_view(ws.today(), day=when, mode=view, channel=channel, label=label,
                     overdue=overdue, user_id=who)


def _count(request: Request, ws: WsDep, actor: ActorDep, view: View | None) -> dict[str, Any]:
    """The header's count after an action (swapped out of band), when it came from the
    agenda."""
    if view is None:
        return {}
    _, items = view_items(request, ws, actor, view)
    return {"count": count_words(len(items), view), "oob_count": True}


def _reopened(request: Request, ws: WsDep, actor: ActorDep, view: View | None,
              followup_id: int) -> AgendaItem | None:
    """The agenda row of a follow-up put back by Undo, when the view shows it."""
    if view is None:
        return None
    _, items = view_items(request, ws, actor, view)
    return next((i for i in items if i.followup_id == followup_id), None)


@router.post("/followups/{followup_id}/{action}")
def act(request: Request, ws: WsDep, actor: ActorDep, followup_id: Id, action: str,
        days: Annotated[int | None, Form(ge=1, le=366)] = None,
        contact_name: Annotated[str | None, Form(max_length=300)] = None,
        view: FormChoice = None, day: FormChoice = None, user_id: FormChoice = None,
        channel: FormChoice = None, label: FormChoice = None,
        overdue: FormChoice = None) -> Response:
    """Done, snooze, skip or undo one follow-up; answers with the row in its new state (htmx)
    and, from the agenda, the header's new count."""
    shown = _view(ws, view, day, user_id, channel, label, overdue)
    result = apply_action(ws, actor, followup_id, action, days=days)
    ctx = {"contact_name": contact_name, "snooze_choices": SNOOZE_CHOICES,
           **_count(request, ws, actor, shown)}
    if action == "undo":
        return page(request, "_undo_one.html", {
            **ctx, "result": result, "item": _reopened(request, ws, actor, shown, result.id)})
    return page(request, "_task_closed.html", {**ctx, "result": result, "action": action})


@router.post("/followups/bulk")
def bulk(request: Request, ws: WsDep, actor: ActorDep,
         ids: Annotated[list[int] | None, Form()] = None,
         action: Annotated[str, Form(max_length=20)] = "",
         days: Annotated[int | None, Form(ge=1, le=366)] = None,
         view: FormChoice = None, day: FormChoice = None, user_id: FormChoice = None,
         channel: FormChoice = None, label: FormChoice = None,
         overdue: FormChoice = None) -> Response:
    """Done, snooze, skip or undo several follow-ups at once: each through the same service,
    in its own transaction; the rows change in place (out of band), and one refused (do not
    contact, a cap) says why in its row while the others go ahead."""
    chosen = list(dict.fromkeys(i for i in (ids or []) if 1 <= i <= 2**31 - 1))[:MAX_BULK]
    if not chosen:
        raise InvalidInput("choose one or more follow-ups first", field="ids")
    shown = _view(ws, view, day, user_id, channel, label, overdue)
    names = {}
    if shown is not None:
        names = {i.followup_id: i.contact_name for i in view_items(request, ws, actor, shown)[1]}
    results: list[tuple[int, Any, NotnowError | None]] = []
    for fid in chosen:
        try:
            results.append((fid, apply_action(ws, actor, fid, action, days=days), None))
        except NotnowError as exc:
            results.append((fid, None, exc))
    if all(err is not None for _, _, err in results):
        raise results[0][2]  # type: ignore[misc]  # nothing done: the first refusal, as is
    rows = []
    for fid, result, err in results:
        item = _reopened(request, ws, actor, shown, fid) if action == "undo" and result else None
        rows.append({"id": fid, "result": result, "error": err, "item": item,
                     "contact_name": names.get(fid)})
    done = [r["id"] for r in rows if r["error"] is None]
    return page(request, "_bulk_result.html", {
        "rows": rows, "action": action, "done_ids": done, "snooze_choices": SNOOZE_CHOICES,
        **_count(request, ws, actor, shown)})
