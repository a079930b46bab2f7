"""Upcoming follow-ups as an iCalendar file that any calendar client can import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from notnow.core.ical import CalendarItem, render_calendar
from notnow.core.policy import Actor
from notnow.errors import InvalidInput
from notnow.services.facts import OPEN, followup_facts
from notnow.services.followups.agenda import agenda_owners
from notnow.services.lookup import owned
from notnow.services.playbook import team_settings
from notnow.services.workspace import Workspace
from notnow.storage.tables import Account, Contact, FollowUp


@dataclass(frozen=True)
class CalendarExport:
    data: bytes
    events: int
    start: date
    end: date


def export_calendar(ws: Workspace, actor: Actor, *, start: date | None = None,
                    days: int = 90, user: str | int | None = None,
                    team: bool = False) -> CalendarExport:
    """Open follow-ups due from ``start`` (default today) for ``days`` days, as iCalendar:
    the actor's own, one person's they may read (``user``) or everyone's they may read
    (``team``) — the same choice as the agenda's (:func:`agenda_owners`)."""
    if not 1 <= days <= 3660:
        raise InvalidInput("export between 1 and 3,660 days", field="days")
    owners = agenda_owners(ws, actor, user=user, team=team)
    first = start or ws.today()
    last = first + timedelta(days=days - 1)
    q = (select(FollowUp, Contact.name, Contact.timezone, Account.name, Account.timezone)
         .join(Contact, Contact.id == FollowUp.contact_id)
         .join(Account, Account.id == FollowUp.account_id)
         .where(FollowUp.status.in_(OPEN), FollowUp.due >= first, FollowUp.due <= last,
                Contact.dnc_at.is_(None), owned(actor, FollowUp.owner_id))
         .order_by(FollowUp.due, FollowUp.id))
    if owners is not None:
        q = q.where(FollowUp.owner_id.in_(owners))
    with ws.db.read() as s:
        items = [CalendarItem(followup_facts(f), cname, aname, ctz or atz or ws.config.timezone)
                 for f, cname, ctz, aname, atz in s.execute(q)]
    data = render_calendar(items, workspace_id=ws.workspace_id, stamp=ws.now(),
                           touch_hour=team_settings(ws).touch_hour)
    return CalendarExport(data=data, events=len(items), start=first, end=last)
