"""A person's follow-ups as a subscribed iCalendar feed: the private URL, and what it answers.

The URL carries a random token (``/calendar/feed/<token>.ics``): Google Calendar, Outlook and
Apple Calendar fetch a subscribed calendar with a plain HTTP GET and cannot log in, so the token
*is* the credential (SuiteCRM's feed asked for a password, and Google and Outlook silently showed
nothing). It is shown once, stored only as its SHA-256, and can be rotated (the old URL stops at
once) or revoked. An unknown, rotated or revoked token gets a plain 404 — never a 401 with
``WWW-Authenticate``, which makes clients ask for a password that does not exist.

What a client needs, learned from the clients' behaviour and the reports of others who built
feeds (see docs/reach.md): ``200`` with ``Content-Type: text/calendar; charset=utf-8`` for GET
and HEAD whatever the ``Accept`` header says (iOS sends ``Accept: text/calendar`` and shows
"Unable to verify account information" on a 406); no redirect to a login page, no cookie; a
valid file (Google drops the whole feed when one line is badly folded); ``REFRESH-INTERVAL`` and
``X-PUBLISHED-TTL`` for the poll interval (Outlook's default is hours; Google polls on its own
schedule, every 8–24 h, whatever the feed says); an ``ETag`` so that a poll with
``If-None-Match`` costs a 304.

Each fetch reconciles what the person's calendar was last shown (table ``calendar_events``) with
the follow-ups now open: a changed follow-up gets the next ``SEQUENCE`` (`core.ical.next_version`),
one that left (done, skipped, cancelled, reassigned, its contact opted out) is kept for
``keep_cancelled`` as a nameless ``STATUS:CANCELLED`` event, then forgotten. DTSTAMP is each
event's last change, so an unchanged feed renders to the same bytes and the same ETag.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from notnow.core.ical import (
    CalendarItem,
    EventVersion,
    fingerprint,
    next_version,
    render_calendar,
)
from notnow.core.model import Channel, FollowUpFacts, FollowUpStatus
from notnow.errors import NotFound
from notnow.storage.engine import Database
from notnow.storage.tables import Account, CalendarEvent, CalendarFeed, Contact, FollowUp

TOKEN_PREFIX = "nncal_"
FEED_PATH = "/calendar/feed/{token}.ics"
CONTENT_TYPE = "text/calendar; charset=utf-8"
OPEN_STATUSES = ("due", "snoozed")

FeedReader = Callable[[Session, int, date, date], Sequence[CalendarItem]]
"""Reads the open follow-ups that a person's feed shows, due between two dates (inclusive)."""


@dataclass(frozen=True)
class FeedWindow:
    """Which follow-ups a feed shows and how long it keeps a cancelled one."""

    past: timedelta = timedelta(days=14)
    ahead: timedelta = timedelta(days=366)
    keep_cancelled: timedelta = timedelta(days=30)
    refresh: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class FeedTicket:
    """The answer to "give me my feed": the token only when one was just made (shown once)."""

    user_id: int
    token: str | None
    path: str | None
    created_at: datetime
    rotated_at: datetime | None
    last_fetched_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {"user_id": self.user_id, "token": self.token, "path": self.path,
                "created_at": self.created_at.isoformat(),
                "rotated_at": self.rotated_at.isoformat() if self.rotated_at else None,
                "last_fetched_at": (self.last_fetched_at.isoformat()
                                    if self.last_fetched_at else None)}


class FeedCache:
    """Rendered feeds by (person, ETag): a client that polls an unchanged feed without
    ``If-None-Match`` (Google's importer does) costs no rendering either. Made by whoever
    serves the feeds (the web app) and passed to `feed_response`; thread-safe."""

    def __init__(self, max_entries: int = 256) -> None:
        self._entries: OrderedDict[tuple[int, str], bytes] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    def get(self, user_id: int, etag: str) -> bytes | None:
        with self._lock:
            body = self._entries.get((user_id, etag))
            if body is not None:
                self._entries.move_to_end((user_id, etag))
            return body

    def put(self, user_id: int, etag: str, body: bytes) -> None:
        with self._lock:
            for key in [k for k in self._entries if k[0] == user_id]:
                del self._entries[key]  # one version per person is enough
            self._entries[(user_id, etag)] = body
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)


@dataclass(frozen=True)
class FeedResponse:
    """What the feed URL answers, ready for any HTTP framework."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


# --- tokens -----------------------------------------------------------------------------------


def new_token() -> str:
    """256 random bits, URL-safe, with a prefix that secret scanners can recognise."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """SHA-256: the token has 256 bits of entropy, so a slow hash would add nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def feed_path(token: str) -> str:
    return FEED_PATH.format(token=token)


def _ticket(row: CalendarFeed, token: str | None) -> FeedTicket:
    return FeedTicket(row.user_id, token, feed_path(token) if token else None, row.created_at,
                      row.rotated_at, row.last_fetched_at)


def issue_feed(db: Database, user_id: int, now: datetime, *, rotate: bool = False) -> FeedTicket:
    """The person's feed. Made (and its token shown) the first time, or after a revocation;
    with ``rotate`` a new token replaces the old one, which stops working at once. Otherwise
    the token cannot be shown again: only its hash is kept."""
    token = new_token()
    with db.write() as s:
        row = s.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user_id))
        if row is None:
            row = CalendarFeed(user_id=user_id, token_hash=hash_token(token), created_at=now)
            s.add(row)
        elif rotate or row.revoked_at is not None:
            row.token_hash, row.rotated_at, row.revoked_at = hash_token(token), now, None
        else:
            return _ticket(row, None)
        s.flush()
        return _ticket(row, token)


def revoke_feed(db: Database, user_id: int, now: datetime) -> None:
    """The feed URL stops working; `issue_feed` makes a new one."""
    with db.write() as s:
        row = s.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user_id,
                                                  CalendarFeed.revoked_at.is_(None)))
        if row is None:
            raise NotFound("this person has no calendar feed to revoke", field="user")
        row.revoked_at = now
        row.token_hash = hash_token(new_token())  # the old hash no longer matches anything


def find_feed(s: Session, token: str) -> CalendarFeed | None:
    """The live feed for a token, or None. Found by the token's hash through a unique index —
    the hash of a guess says nothing about any stored hash, so timing leaks nothing — and the
    match is confirmed with a constant-time comparison."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    wanted = hash_token(token)
    row = s.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == wanted))
    if row is None or row.revoked_at is not None:
        return None
    return row if hmac.compare_digest(row.token_hash, wanted) else None


# --- what the feed shows ----------------------------------------------------------------------


Visibility = Callable[[Session, int], "ColumnElement[bool] | None"]
"""For a person, the clause that keeps only the follow-ups they may read (None: nothing, e.g.
the person was disabled). The services give the policy's (`notnow.services.reach.feed`)."""


def own_open_followups(default_timezone: str, visible: Visibility | None = None) -> FeedReader:
    """The person's own open follow-ups, never one whose contact opted out — narrowed by
    ``visible`` (the services pass the policy's clause for that person)."""

    channels = {c.value: c for c in Channel}
    statuses = {st.value: st for st in FollowUpStatus}

    def read(s: Session, user_id: int, first: date, last: date) -> list[CalendarItem]:
        extra = visible(s, user_id) if visible is not None else None
        if visible is not None and extra is None:
            return []
        q = (select(FollowUp.id, FollowUp.contact_id, FollowUp.due, FollowUp.channel,
                    FollowUp.purpose, FollowUp.status, FollowUp.rule, FollowUp.deal_id,
                    FollowUp.why, FollowUp.account_id, Contact.name, Contact.timezone,
                    Account.name, Account.timezone)
             .join(Contact, Contact.id == FollowUp.contact_id)
             .join(Account, Account.id == FollowUp.account_id)
             .where(FollowUp.owner_id == user_id, FollowUp.status.in_(OPEN_STATUSES),
                    FollowUp.due >= first, FollowUp.due <= last, Contact.dnc_at.is_(None))
             .order_by(FollowUp.due, FollowUp.id))
        if extra is not None:
            q = q.where(extra)
        return [CalendarItem(FollowUpFacts(fid, cid, due, channels[ch], purpose, statuses[st],
                                           rule, deal, why, aid),
                             cname, aname, ctz or atz or default_timezone)
                for (fid, cid, due, ch, purpose, st, rule, deal, why, aid, cname, ctz, aname,
                     atz) in s.connection().execute(q).all()]

    return read


def reconcile(s: Session, user_id: int, items: Sequence[CalendarItem], now: datetime, *,
              keep_cancelled: timedelta, touch_hour: int, minutes: int) -> list[CalendarItem]:
    """The events to publish now: ``items`` with their versions, then the tombstones of those
    that left. Records the new versions in ``calendar_events`` (only rows that changed)."""
    known = {fid: (EventVersion(fp, seq, mod), gone)
             for fid, fp, seq, mod, gone in s.connection().execute(
                 select(CalendarEvent.followup_id, CalendarEvent.fingerprint,
                        CalendarEvent.sequence, CalendarEvent.modified_at, CalendarEvent.gone_at)
                 .where(CalendarEvent.user_id == user_id)).all()}
    out: list[CalendarItem] = []
    inserts: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for item in items:
        f = item.followup
        digest = fingerprint(item, touch_hour=touch_hour, minutes=minutes)
        before = known.pop(f.id, None)
        version = next_version(before[0] if before else None, digest, now)
        if before is None:
            inserts.append({"user_id": user_id, "followup_id": f.id, "fingerprint": digest,
                            "sequence": 0, "modified_at": now, "due": f.due,
                            "timezone": item.timezone or "UTC", "gone_at": None})
        elif version is not before[0]:  # changed, or back after it had left ("cancelled")
            changed.append({"f": f.id, "fp": digest, "seq": version.sequence,
                            "mod": version.modified, "day": f.due,
                            "tz": item.timezone or "UTC", "gone": None})
        out.append(CalendarItem(f, item.contact, item.account, item.timezone,
                                version.sequence, version.modified))
    stale: list[int] = []
    if known:
        gone_rows = {fid: (due, tz) for fid, due, tz in s.execute(
            select(CalendarEvent.followup_id, CalendarEvent.due, CalendarEvent.timezone)
            .where(CalendarEvent.user_id == user_id,
                   CalendarEvent.followup_id.in_(list(known))))}
        for fid, (version, gone) in sorted(known.items()):
            if gone is not None and gone <= now - keep_cancelled:
                stale.append(fid)
                continue
            if gone is None:
                gone = now
                version = EventVersion("cancelled", version.sequence + 1, now)
                changed.append({"f": fid, "fp": version.fingerprint,
                                "seq": version.sequence, "mod": now,
                                "day": gone_rows[fid][0], "tz": gone_rows[fid][1],
                                "gone": now})
            due, tz = gone_rows[fid]
            placeholder = FollowUpFacts(fid, 0, due, Channel.NOTE, "", FollowUpStatus.CANCELLED)
            out.append(CalendarItem(placeholder, "", None, tz, version.sequence,
                                    version.modified, cancelled=True))
    if inserts:
        s.execute(insert(CalendarEvent), inserts)
    if changed:  # one statement, many parameter sets
        s.connection().execute(
            update(CalendarEvent)
            .where(CalendarEvent.user_id == user_id,
                   CalendarEvent.followup_id == bindparam("f"))
            .values(fingerprint=bindparam("fp"), sequence=bindparam("seq"),
                    modified_at=bindparam("mod"), due=bindparam("day"),
                    timezone=bindparam("tz"), gone_at=bindparam("gone")), changed)
    if stale:
        s.execute(delete(CalendarEvent).where(CalendarEvent.user_id == user_id,
                                              CalendarEvent.followup_id.in_(stale)))
    return out


NOT_FOUND = FeedResponse(
    404, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"},
    b"No calendar at this address. It may have been rotated or revoked: get the current "
    b"address from notnow (Settings, or `notnow calendar feed`).\n")


def feed_response(db: Database, token: str, *, workspace_id: str, now: datetime,
                  read_items: FeedReader, today: date, name: str = "notnow follow-ups",
                  touch_hour: int = 10, minutes: int = 15, window: FeedWindow | None = None,
                  method: str = "GET", if_none_match: str | None = None,
                  cache: FeedCache | None = None) -> FeedResponse:
    """What ``GET`` or ``HEAD`` of a feed URL answers: the calendar, a 304 when the client's
    ETag still matches, or a plain 404. One short write transaction (the versions and
    ``last_fetched_at`` are recorded)."""
    window = window or FeedWindow()
    for attempt in (1, 2):
        try:
            with db.write() as s:
                feed = find_feed(s, token)
                if feed is None:
                    return NOT_FOUND
                items = read_items(s, feed.user_id, today - window.past, today + window.ahead)
                events = reconcile(s, feed.user_id, items, now,
                                   keep_cancelled=window.keep_cancelled,
                                   touch_hour=touch_hour, minutes=minutes)
                feed.last_fetched_at = now
                user_id = feed.user_id
            break
        except IntegrityError:  # two clients fetched a brand-new feed at once: read again
            if attempt == 2:
                raise
    etag = version_tag(events, workspace_id=workspace_id, name=name, touch_hour=touch_hour,
                       minutes=minutes, refresh=window.refresh)
    newest = max((e.modified for e in events if e.modified is not None), default=now)
    headers = {
        "Content-Type": CONTENT_TYPE,
        "Content-Disposition": 'attachment; filename="notnow-followups.ics"',
        "Cache-Control": "private, no-cache",
        "ETag": etag,
        "Last-Modified": format_datetime(newest.astimezone(UTC).replace(microsecond=0),
                                         usegmt=True),
        "X-Robots-Tag": "noindex, nofollow",
        "Referrer-Policy": "no-referrer",
    }
    if if_none_match and etag in [t.strip() for t in if_none_match.split(",")]:
        return FeedResponse(304, {k: v for k, v in headers.items()
                                  if k in ("ETag", "Cache-Control", "Last-Modified")})
    body = cache.get(user_id, etag) if cache is not None else None
    if body is None:
        body = render_calendar(events, workspace_id=workspace_id, stamp=now,
                               touch_hour=touch_hour, minutes=minutes, name=name,
                               refresh=window.refresh)
        if cache is not None:
            cache.put(user_id, etag, body)
    headers["Content-Length"] = str(len(body))
    return FeedResponse(200, headers, b"" if method.upper() == "HEAD" else body)


RENDERING = "1"
"""Part of every ETag: change it when the renderer's output changes for the same events."""


def version_tag(events: Sequence[CalendarItem], *, workspace_id: str, name: str,
                touch_hour: int, minutes: int, refresh: timedelta) -> str:
    """The feed's ETag, from the events' versions alone: every change to what an event shows
    gives it a new version, so equal tags mean equal bodies — and a poll that gets a 304 costs
    no rendering."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{RENDERING}|{workspace_id}|{name}|{touch_hour}|{minutes}|{refresh}".encode())
    for e in events:
        stamp = int(e.modified.timestamp()) if e.modified else 0
        h.update(f"|{e.followup.id}:{e.sequence}:{e.cancelled:d}:{stamp}".encode())
    return f'"{h.hexdigest()}"'
