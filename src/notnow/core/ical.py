"""Follow-ups as iCalendar (RFC 5545), readable by any calendar client.

Each follow-up becomes a ``VEVENT`` at the contact's local ``touch_hour`` in their time zone
(``DTSTART;TZID=…`` with the matching ``VTIMEZONE``), lasting ``minutes``. Its ``UID`` is derived
from the workspace id and the follow-up id, so exporting again updates events instead of
duplicating them. The description carries the purpose, the why and the rule.

The same renderer serves the one-off export and the subscribed feed (``notnow.reach.feed``). A
feed also says how often to poll (RFC 7986 ``REFRESH-INTERVAL`` and Outlook's
``X-PUBLISHED-TTL``), and each event carries its version: ``SEQUENCE`` goes up and
``LAST-MODIFIED``/``DTSTAMP`` move whenever what the event shows changes (`next_version`), and a
follow-up that left the calendar is kept a while as a nameless ``STATUS:CANCELLED`` event, so
clients that cache events drop it.

The content lines are written here directly (escaping and folding at 75 octets, RFC 5545 3.1
and 3.3.11) rather than through the ``icalendar`` object model, which is about 40 times slower:
2,000 follow-ups render in ~15 ms instead of ~600 ms. ``icalendar`` still builds the
``VTIMEZONE`` blocks (cached per zone and year span), and the tests read every output back with
``icalendar`` and with khal.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from notnow.core.model import FollowUpFacts

PRODID = "-//notnow//comeback follow-ups//EN"
_NAMESPACE = uuid.UUID("0b6c5e0e-7d0a-4c1e-9a57-6e6f746e6f77")
_NS_BYTES = _NAMESPACE.bytes
CANCELLED_SUMMARY = "Cancelled follow-up"


@dataclass(frozen=True, slots=True)
class CalendarItem:
    """One follow-up with what the calendar needs to show it.

    ``sequence`` and ``modified`` are its version (see `next_version`); ``cancelled`` makes it a
    tombstone: ``STATUS:CANCELLED``, no names, no description.
    """

    followup: FollowUpFacts
    contact: str
    account: str | None = None
    timezone: str | None = None  # the contact's IANA zone; UTC when unknown
    sequence: int = 0
    modified: datetime | None = None
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class EventVersion:
    """What a calendar was last shown of one event: a digest of it, and its version."""

    fingerprint: str
    sequence: int
    modified: datetime


def event_uid(workspace_id: str, followup_id: int) -> str:
    """Stable: the same workspace and follow-up always give the same UID — a UUID version 5
    (``uuid.uuid5``), computed here without building UUID objects (a test pins the two)."""
    digest = bytearray(hashlib.sha1(_NS_BYTES + f"{workspace_id}:{followup_id}".encode())
                       .digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}@notnow"


def fingerprint(item: CalendarItem, *, touch_hour: int = 10, minutes: int = 15) -> str:
    """A digest of everything the event shows: equal digests, identical events."""
    f = item.followup
    shown = "\x1f".join((
        f.due.isoformat(), str(touch_hour), str(minutes), _zone(item.timezone).key,
        f.channel.value, f.purpose, f.why or "", f.rule or "", item.contact, item.account or "",
        "cancelled" if item.cancelled else "open"))
    return hashlib.blake2b(shown.encode(), digest_size=16).hexdigest()


def next_version(previous: EventVersion | None, digest: str, now: datetime) -> EventVersion:
    """The event's version now: unchanged if it shows the same, else one more (RFC 5545 3.8.7.4
    — clients replace an event only when its SEQUENCE or DTSTAMP goes up)."""
    if previous is None:
        return EventVersion(digest, 0, now)
    if previous.fingerprint == digest:
        return previous
    return EventVersion(digest, previous.sequence + 1, max(now, previous.modified))


@lru_cache(maxsize=1024)
def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


# --- content lines ----------------------------------------------------------------------------

def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def fold(line: str) -> str:
    """One content line, folded so that no physical line exceeds 75 octets (RFC 5545 3.1),
    never inside a UTF-8 sequence. The result has no trailing CRLF."""
    if len(line) <= 75 and line.isascii():
        return line
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts: list[str] = []
    start, limit = 0, 75
    while start < len(raw):
        end = min(start + limit, len(raw))
        while end < len(raw) and (raw[end] & 0xC0) == 0x80:  # not inside a character
            end -= 1
        parts.append(raw[start:end].decode())
        start, limit = end, 74  # continuation lines start with one space
    return "\r\n ".join(parts)


def _utc(instant: datetime) -> str:
    return _local(instant.astimezone(UTC)) + "Z"


def _local(t: datetime) -> str:
    return f"{t.year:04d}{t.month:02d}{t.day:02d}T{t.hour:02d}{t.minute:02d}{t.second:02d}"


def duration(span: timedelta) -> str:
    """An iCalendar DURATION (RFC 5545 3.3.6) for a whole number of minutes, e.g. PT1H."""
    minutes = int(span.total_seconds() // 60)
    if minutes <= 0:
        raise ValueError("a refresh interval must be at least one minute")
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    out = f"P{days}D" if days else "P"
    if hours or mins:
        out += "T" + (f"{hours}H" if hours else "") + (f"{mins}M" if mins else "")
    return out


@lru_cache(maxsize=256)
def _vtimezone(name: str, first_year: int, last_year: int) -> str:
    from icalendar import Timezone

    tz = Timezone.from_tzid(name, first_date=date(first_year, 1, 1),
                            last_date=date(last_year, 12, 31))
    text: str = tz.to_ical().decode()
    return text.rstrip("\r\n")


def render_calendar(items: Sequence[CalendarItem], *, workspace_id: str, stamp: datetime,
                    touch_hour: int = 10, minutes: int = 15,
                    name: str = "notnow follow-ups",
                    refresh: timedelta | None = None) -> bytes:
    """The follow-ups as an iCalendar file (bytes, CRLF line endings as RFC 5545 wants).

    ``stamp`` is the DTSTAMP of items that carry no ``modified`` time of their own. With
    ``refresh`` the calendar is a subscribed feed: it says how often clients should poll.
    """
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             fold(f"X-WR-CALNAME:{escape_text(name)}"), fold(f"NAME:{escape_text(name)}")]
    if refresh is not None:
        lines += [f"REFRESH-INTERVAL;VALUE=DURATION:{duration(refresh)}",
                  f"X-PUBLISHED-TTL:{duration(refresh)}"]
    zones: dict[str, tuple[int, int]] = {}
    events: list[str] = []
    add = events.append
    wall: dict[date, tuple[str, str]] = {}  # local start and end, as written, per day
    stamps: dict[datetime, str] = {}
    length = timedelta(minutes=minutes)
    at = time(touch_hour, 0)
    for item in items:
        f = item.followup
        zone = _zone(item.timezone)
        span = wall.get(f.due)
        if span is None:  # wall-clock times: the same in every zone
            begin = datetime.combine(f.due, at)
            span = wall[f.due] = (_local(begin), _local(begin + length))
        add("BEGIN:VEVENT")
        add(f"UID:{event_uid(workspace_id, f.id)}")
        instant = item.modified or stamp
        stamped = stamps.get(instant)
        if stamped is None:
            stamped = stamps[instant] = _utc(instant)
        add(f"DTSTAMP:{stamped}")
        if zone.key == "UTC":
            add(f"DTSTART:{span[0]}Z")
            add(f"DTEND:{span[1]}Z")
        else:
            seen = zones.get(zone.key)
            year = f.due.year
            if seen is None or not seen[0] <= year <= seen[1]:
                zones[zone.key] = (min(seen[0], year), max(seen[1], year)) if seen else (year,
                                                                                        year)
            add(f"DTSTART;TZID={zone.key}:{span[0]}")
            add(f"DTEND;TZID={zone.key}:{span[1]}")
        if item.modified is not None:
            add(f"LAST-MODIFIED:{stamped}")
        add(f"SEQUENCE:{item.sequence}")
        if item.cancelled:
            add(f"SUMMARY:{CANCELLED_SUMMARY}")
            add("CATEGORIES:notnow")
            add("STATUS:CANCELLED")
        else:
            where = f" ({item.account})" if item.account else ""
            title = f"{f.channel.value.replace('_', ' ').title()}: {item.contact}{where}"
            add(fold(f"SUMMARY:{escape_text(title)}"))
            text = f.purpose
            if f.why:
                text += f"\nWhy: {f.why}"
            if f.rule:
                text += f"\nRule: {f.rule}"
            add(fold(f"DESCRIPTION:{escape_text(text)}"))
            add(f"CATEGORIES:notnow,{escape_text(f.channel.value)}")
            add("STATUS:CONFIRMED")
        add("END:VEVENT")
    for key, (first, last) in sorted(zones.items()):
        lines.append(_vtimezone(key, first, last + 1))
    lines += events
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()
