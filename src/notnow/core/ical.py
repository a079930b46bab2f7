"""Follow-ups as iCalendar (RFC 5545), readable by any calendar client.

Each follow-up becomes a ``VEVENT`` at the contact's local ``touch_hour`` in their time zone
(``DTSTART;TZID=…`` with the matching ``VTIMEZONE``), lasting ``minutes``. Its ``UID`` is derived
from the workspace id and the follow-up id, so exporting again updates events instead of
duplicating them. The description carries the purpose, the why and the rule.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from notnow.core.model import FollowUpFacts

PRODID = "-//notnow//comeback follow-ups//EN"
_NAMESPACE = uuid.UUID("0b6c5e0e-7d0a-4c1e-9a57-6e6f746e6f77")


@dataclass(frozen=True, slots=True)
class CalendarItem:
    """One follow-up with what the calendar needs to show it."""

    followup: FollowUpFacts
    contact: str
    account: str | None = None
    timezone: str | None = None  # the contact's IANA zone; UTC when unknown


def event_uid(workspace_id: str, followup_id: int) -> str:
    """Stable: the same workspace and follow-up always give the same UID."""
    return f"{uuid.uuid5(_NAMESPACE, f'{workspace_id}:{followup_id}')}@notnow"


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def render_calendar(items: Sequence[CalendarItem], *, workspace_id: str, stamp: datetime,
                    touch_hour: int = 10, minutes: int = 15,
                    name: str = "notnow follow-ups") -> bytes:
    """The follow-ups as an iCalendar file (bytes, CRLF line endings as RFC 5545 wants)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for item in items:
        f = item.followup
        zone = _zone(item.timezone)
        start = datetime.combine(f.due, time(touch_hour, 0), tzinfo=zone)
        event = Event()
        event.add("uid", event_uid(workspace_id, f.id))
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=minutes))
        where = f" ({item.account})" if item.account else ""
        event.add("summary", f"{f.channel.value.replace('_', ' ').title()}: {item.contact}{where}")
        lines = [f.purpose]
        if f.why:
            lines.append(f"Why: {f.why}")
        if f.rule:
            lines.append(f"Rule: {f.rule}")
        event.add("description", "\n".join(lines))
        event.add("categories", ["notnow", f.channel.value])
        event.add("status", "CONFIRMED")
        cal.add_component(event)
    cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data
