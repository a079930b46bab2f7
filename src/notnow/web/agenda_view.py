"""What the agenda page shows: one day or the week ahead, narrowed by channel, by what they
said, or to what is overdue. The items come from the day's ranked agenda
(:class:`notnow.web.agenda_cache.AgendaCache`); this only narrows and groups them, so the
page, the header's count after an action and the bulk actions agree on one list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from fastapi import Request

from notnow.core.model import Channel, Label
from notnow.core.policy import Actor
from notnow.services.followups.agenda import agenda_owners
from notnow.services.followups.item import AgendaItem
from notnow.services.workspace import Workspace

WEEK = 7


@dataclass(frozen=True)
class View:
    """The agenda as asked for: ``mode`` day or week, from ``day``; the filters."""

    day: date
    today: date
    mode: str = "day"
    channel: str | None = None
    label: str | None = None
    overdue: bool = False
    user_id: int | None = None

    @property
    def last(self) -> date:
        return self.day + timedelta(days=WEEK - 1) if self.mode == "week" else self.day

    @property
    def filtered(self) -> bool:
        return bool(self.channel or self.label or self.overdue)

    def query(self) -> dict[str, Any]:
        """The view as the page's query string (what links and forms keep)."""
        out: dict[str, Any] = {"view": self.mode}
        if self.day != self.today:
            out["day"] = self.day.isoformat()
        for key in ("channel", "label", "user_id"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.overdue:
            out["overdue"] = "1"
        return out


def make_view(today: date, *, day: date | None = None, mode: str | None = None,
              channel: str | None = None, label: str | None = None,
              overdue: str | None = None, user_id: int | None = None) -> View:
    """A view from what a request says; a value that is none of the choices is ignored."""
    return View(day=day or today, today=today, mode="week" if mode == "week" else "day",
                channel=channel if channel in Channel._value2member_map_ else None,
                label=label if label in Label._value2member_map_ else None,
                overdue=overdue in ("1", "true", "on", "yes"), user_id=user_id)


def view_items(request: Request, ws: Workspace, actor: Actor, view: View,
               ) -> tuple[tuple[int, ...] | None, list[AgendaItem]]:
    """The owners whose agenda it is (checked by the agenda service) and the view's items,
    ripest first; overdue counts from the view's first day."""
    owners = agenda_owners(ws, actor, user=view.user_id)
    cache = request.app.state.agenda
    items = cache.agenda(ws, view.last, owners, version=cache.request_version(request))
    return owners, narrow(items, view)


def narrow(items: Sequence[AgendaItem], view: View) -> list[AgendaItem]:
    out = []
    for item in items:
        late = max(0, (view.day - item.due).days)
        if view.channel and item.channel.value != view.channel:
            continue
        if view.label and (item.label is None or item.label.value != view.label):
            continue
        if view.overdue and late == 0:
            continue
        out.append(item if item.overdue_days == late
                   else replace(item, overdue_days=late))
    return out


def by_day(items: Sequence[AgendaItem], view: View) -> list[tuple[date, list[AgendaItem]]]:
    """The week's items under their day (what is due on or before the first day under it)."""
    groups: dict[date, list[AgendaItem]] = {}
    for item in items:
        groups.setdefault(max(item.due, view.day), []).append(item)
    return sorted(groups.items())


def count_words(n: int, view: View) -> str:
    if not n:
        return "nothing due" + (" that matches" if view.filtered else "")
    people = "person" if n == 1 else "people"
    span = " this week" if view.mode == "week" else ""
    return f"{n} {people} to reach{span}, ripest first"
