"""CalDAV push: a person's follow-ups written to their own calendar server and kept in step.

For people who would rather have the follow-ups *in* their calendar than subscribe to a feed
(Nextcloud, Fastmail, iCloud with an app password, Radicale, Baïkal, SOGo, Zimbra…). Each open
follow-up is one event, with the same UID as in the feed and the export, written to a calendar
of its own (``notnow`` by default, made on first sync). A sync compares what is open now with
what was last written (table ``caldav_events``: href, ETag, digest, SEQUENCE):

* a new follow-up is created (``PUT`` with ``If-None-Match: *``);
* a changed one is replaced (``PUT`` with ``If-Match`` its ETag, SEQUENCE one more);
* one that left — done, skipped, cancelled, its contact opted out — is deleted;
* an event edited or removed on the server meanwhile (ETag mismatch, 412 / 404) is written
  again as notnow has it: notnow is where follow-ups are changed.

The password is never stored: ``caldav_accounts.secret_ref`` names an environment variable or a
keyring entry. Plain ``http://`` is refused except to this machine: the password would travel
in clear. The requests are made by `CalendarServer`, a small standard-library client (see its
docstring for why not the ``caldav`` package).
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, urljoin, urlsplit
from xml.sax.saxutils import escape as xml_escape

from sqlalchemy import delete, select

from notnow.core.ical import CalendarItem, event_uid, fingerprint, render_calendar
from notnow.errors import InvalidInput, NotFound, NotnowError
from notnow.reach.secrets import check_ref, resolve
from notnow.storage.engine import Database
from notnow.storage.tables import CaldavAccount, CaldavEvent

CONTENT_TYPE = "text/calendar; charset=utf-8"


class SyncFailed(NotnowError):
    """The calendar server could not be reached, refused the login, or refused a write."""

    code = "caldav_failed"
    status = 502


@dataclass(frozen=True)
class CaldavAccountInfo:
    id: int
    user_id: int
    url: str
    username: str
    secret_ref: str
    calendar: str
    last_sync_at: datetime | None
    last_error: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "user_id": self.user_id, "url": self.url,
                "username": self.username, "secret": self.secret_ref,
                "calendar": self.calendar,
                "last_sync_at": self.last_sync_at.isoformat() if self.last_sync_at else None,
                "last_error": self.last_error}


@dataclass(frozen=True)
class SyncReport:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    rewritten: int = 0  # changed or removed on the server, written again


def _is_loopback(host: str | None) -> bool:
    if host in ("localhost", None):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def check_server_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput("give the calendar server's address, e.g. "
                           "https://cloud.example.com/remote.php/dav", field="url")
    if parts.username or parts.password:
        raise InvalidInput("put the user name in --username and the password in an env var "
                           "or the keyring, not in the URL", field="url")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise InvalidInput("use https://: over http:// the password would travel in clear",
                           field="url")
    return url


def _info(row: CaldavAccount) -> CaldavAccountInfo:
    return CaldavAccountInfo(row.id, row.user_id, row.url, row.username, row.secret_ref,
                             row.calendar, row.last_sync_at, row.last_error)


def connect_account(db: Database, user_id: int, *, url: str, username: str, secret_ref: str,
                    now: datetime, calendar: str = "notnow") -> CaldavAccountInfo:
    """Set (or replace) the person's calendar server. Nothing is sent until the first sync."""
    check_server_url(url)
    check_ref(secret_ref)
    if not username or len(username) > 320:
        raise InvalidInput("give the user name for the calendar server", field="username")
    if not calendar or len(calendar) > 300:
        raise InvalidInput("give the calendar's name (at most 300 characters)",
                           field="calendar")
    with db.write() as s:
        row = s.scalar(select(CaldavAccount).where(CaldavAccount.user_id == user_id))
        if row is not None and (row.url, row.username, row.calendar) != (url, username,
                                                                          calendar):
            s.execute(delete(CaldavEvent).where(CaldavEvent.account_id == row.id))
        if row is None:
            row = CaldavAccount(user_id=user_id, created_at=now)
            s.add(row)
        row.url, row.username, row.secret_ref, row.calendar = url, username, secret_ref, calendar
        s.flush()
        return _info(row)


def get_account(db: Database, user_id: int) -> CaldavAccountInfo | None:
    with db.read() as s:
        row = s.scalar(select(CaldavAccount).where(CaldavAccount.user_id == user_id))
        return _info(row) if row else None


def remove_account(db: Database, user_id: int) -> None:
    """Forget the server (the events already written stay there)."""
    with db.write() as s:
        row = s.scalar(select(CaldavAccount).where(CaldavAccount.user_id == user_id))
        if row is None:
            raise NotFound("this person has no calendar server set", field="user")
        s.execute(delete(CaldavEvent).where(CaldavEvent.account_id == row.id))
        s.delete(row)


_DAV, _CAL = "DAV:", "urn:ietf:params:xml:ns:caldav"
_PROPFIND = """<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop>{props}</d:prop>
</d:propfind>"""
_MKCALENDAR = """<?xml version="1.0" encoding="utf-8"?>
<c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop>
<d:displayname>{name}</d:displayname>
<c:supported-calendar-component-set><c:comp name="VEVENT"/></c:supported-calendar-component-set>
</d:prop></d:set></c:mkcalendar>"""


class DavError(Exception):
    """A calendar server's answer that a sync cannot go on with."""

    def __init__(self, status: int, what: str) -> None:
        super().__init__(f"{what} ({status})")
        self.status = status


class CalendarServer:
    """The few CalDAV requests a sync needs (RFC 4918 / 4791): find the calendar home, find or
    make the calendar, PUT and DELETE events — over one kept-alive connection, standard library
    only.

    Not the ``caldav`` package: from 2.1.1 on it requires ``niquests``, whose
    ``urllib3-future`` installs itself *as* ``urllib3`` and breaks ``requests`` in the same
    environment (here: schemathesis, the API schema test). These five requests are tested
    against a real Radicale server."""

    def __init__(self, url: str, username: str, password: str, *, timeout: float = 30.0) -> None:
        self.base = url if url.endswith("/") else url + "/"
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        self._auth = f"Basic {token}"
        self._timeout = timeout
        self._conn: http.client.HTTPConnection | None = None
        self._origin: tuple[str, str] | None = None
        self._collection: str | None = None

    def _request(self, method: str, url: str, body: str | None = None,
                 headers: Mapping[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(url)
        origin = (parts.scheme, parts.netloc)
        if parts.scheme == "http" and not _is_loopback(parts.hostname):
            raise InvalidInput("the calendar server sent us to http://: refusing to send the "
                               "password in clear", field="url")
        for attempt in (1, 2):
            if self._conn is None or self._origin != origin:
                self.close()
                cls = (http.client.HTTPSConnection if parts.scheme == "https"
                       else http.client.HTTPConnection)
                self._conn, self._origin = cls(parts.netloc, timeout=self._timeout), origin
            sent = {"Authorization": self._auth, "User-Agent": "notnow-caldav", **(headers or {})}
            data = body.encode() if body is not None else None
            try:
                self._conn.request(method, parts.path + (f"?{parts.query}" if parts.query
                                                         else ""), body=data, headers=sent)
                answer = self._conn.getresponse()
                content = answer.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2:
                    raise
                continue
            if answer.will_close:
                self.close()
            return answer.status, {k.lower(): v for k, v in answer.getheaders()}, content
        raise AssertionError("unreachable")  # pragma: no cover

    def _propfind(self, url: str, props: str, depth: str) -> tuple[str, ET.Element]:
        for _ in range(4):  # follow a few redirects (/.well-known/caldav)
            status, headers, body = self._request(
                "PROPFIND", url, _PROPFIND.format(props=props),
                {"Depth": depth, "Content-Type": "application/xml; charset=utf-8"})
            if status in (301, 302, 307, 308) and headers.get("location"):
                url = urljoin(url, headers["location"])
                continue
            if status == 401:
                raise DavError(401, "the calendar server refused the user name or password")
            if status != 207:
                raise DavError(status, f"the calendar server did not answer PROPFIND on {url}")
            return url, ET.fromstring(body)
        raise DavError(310, "too many redirects")

    def _href(self, root: ET.Element, prop: str) -> str | None:
        found = root.find(f".//{{{_DAV}}}prop/{prop}/{{{_DAV}}}href")
        return found.text.strip() if found is not None and found.text else None

    def calendar_url(self, name: str) -> str:
        """The calendar called ``name`` in the person's calendar home, made if missing."""
        if self._collection is not None:
            return self._collection
        url, root = self._propfind(self.base, "<d:current-user-principal/>", "0")
        principal = urljoin(url, self._href(root, f"{{{_DAV}}}current-user-principal") or url)
        url, root = self._propfind(principal, "<c:calendar-home-set/>", "0")
        home = urljoin(url, self._href(root, f"{{{_CAL}}}calendar-home-set") or url)
        home, root = self._propfind(home, "<d:displayname/><d:resourcetype/>", "1")
        for response in root.findall(f"{{{_DAV}}}response"):
            href = response.findtext(f"{{{_DAV}}}href")
            shown = response.findtext(f".//{{{_DAV}}}displayname")
            is_calendar = response.find(f".//{{{_DAV}}}resourcetype/{{{_CAL}}}calendar")
            if href and is_calendar is not None and (shown or "").strip() == name:
                self._collection = urljoin(home, href.strip())
                return self._collection
        made = urljoin(home, f"{uuid.uuid4()}/")
        status, _, _ = self._request("MKCALENDAR", made, _MKCALENDAR.format(
            name=xml_escape(name)), {"Content-Type": "application/xml; charset=utf-8"})
        if status not in (200, 201):
            raise DavError(status, "the calendar server refused to make the calendar")
        self._collection = made
        return made

    def put(self, href: str, body: str, *, etag: str | None, create: bool) -> tuple[int,
                                                                                 str | None]:
        headers = {"Content-Type": CONTENT_TYPE}
        if create:
            headers["If-None-Match"] = "*"
        elif etag:
            headers["If-Match"] = etag
        status, answer, _ = self._request("PUT", href, body, headers)
        return status, answer.get("etag")

    def delete(self, href: str, *, etag: str | None) -> int:
        status, _, _ = self._request("DELETE", href, None, {"If-Match": etag} if etag else {})
        return status

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn, self._origin = None, None


def _href(collection: str, workspace_id: str, followup_id: int) -> str:
    name = event_uid(workspace_id, followup_id).split("@", 1)[0]
    return collection.rstrip("/") + "/" + quote(name) + ".ics"


def _words(exc: Exception, where: str) -> str:
    if isinstance(exc, DavError) and exc.status == 401:
        return f"the calendar server {where} refused the user name or password"
    if isinstance(exc, DavError) and exc.status == 404:
        return f"no CalDAV calendar at {where}: check the address"
    if isinstance(exc, TimeoutError):
        return f"the calendar server {where} did not answer in time"
    if isinstance(exc, ET.ParseError):
        return f"the server at {where} does not answer like a CalDAV server"
    what = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"cannot sync with the calendar server {where}: {what or type(exc).__name__}"


def sync_account(db: Database, user_id: int, items: Sequence[CalendarItem], *,
                 workspace_id: str, now: datetime, environ: Mapping[str, str],
                 touch_hour: int = 10, minutes: int = 15,
                 server: CalendarServer | None = None) -> SyncReport:
    """Bring the person's calendar in step with ``items`` (their open follow-ups, read as the
    feed reads them). Records the outcome on the account: ``last_sync_at`` or ``last_error``."""
    account = get_account(db, user_id)
    if account is None:
        raise NotFound("this person has no calendar server set: add one first", field="user")
    where = urlsplit(account.url).netloc
    own = server is None
    try:
        if server is None:
            password = resolve(account.secret_ref, environ=environ, username=account.username,
                               what="the calendar password")
            server = CalendarServer(account.url, account.username, password)
        report = _sync(db, account, items, server, workspace_id=workspace_id, now=now,
                       touch_hour=touch_hour, minutes=minutes)
    except NotnowError as exc:
        _note(db, account.id, error=exc.message)
        raise
    except (DavError, OSError, http.client.HTTPException, ET.ParseError) as exc:
        message = _words(exc, where)
        _note(db, account.id, error=message)
        raise SyncFailed(message) from None
    finally:
        if own and server is not None:
            server.close()
    _note(db, account.id, synced=now)
    return report


def _note(db: Database, account_id: int, *, error: str | None = None,
          synced: datetime | None = None) -> None:
    with db.write() as s:
        row = s.get(CaldavAccount, account_id)
        if row is not None:
            row.last_error = error
            if synced is not None:
                row.last_sync_at = synced


def _sync(db: Database, account: CaldavAccountInfo, items: Sequence[CalendarItem],
          server: CalendarServer, *, workspace_id: str, now: datetime, touch_hour: int,
          minutes: int) -> SyncReport:
    collection = server.calendar_url(account.calendar)
    with db.read() as s:
        known = {r.followup_id: (r.href, r.etag, r.fingerprint, r.sequence)
                 for r in s.scalars(select(CaldavEvent)
                                    .where(CaldavEvent.account_id == account.id))}
    counts = {"created": 0, "updated": 0, "deleted": 0, "unchanged": 0, "rewritten": 0}
    written: dict[int, tuple[str, str | None, str, int]] = {}
    for item in items:
        fid = item.followup.id
        digest = fingerprint(item, touch_hour=touch_hour, minutes=minutes)
        before = known.pop(fid, None)
        if before is not None and before[2] == digest:
            counts["unchanged"] += 1
            continue
        sequence = 0 if before is None else before[3] + 1
        href = before[0] if before else _href(collection, workspace_id, fid)
        body = render_calendar(
            [CalendarItem(item.followup, item.contact, item.account, item.timezone, sequence,
                          now)], workspace_id=workspace_id, stamp=now, touch_hour=touch_hour,
            minutes=minutes).decode()
        status, etag = server.put(href, body, etag=before[1] if before else None,
                                  create=before is None)
        if status in (404, 412):  # changed or removed on the server: notnow's version wins
            status, etag = server.put(href, body, etag=None, create=False)
            counts["rewritten"] += 1
        if not 200 <= status < 300:
            raise SyncFailed(f"the calendar server refused to save an event ({status})")
        counts["created" if before is None else "updated"] += 1
        written[fid] = (href, etag, digest, sequence)
    for href, etag, _, _ in known.values():
        status = server.delete(href, etag=etag)
        if status == 412:
            status = server.delete(href, etag=None)
        if not (200 <= status < 300 or status == 404):
            raise SyncFailed(f"the calendar server refused to delete an event ({status})")
        counts["deleted"] += 1
    with db.write() as s:
        if known:
            s.execute(delete(CaldavEvent).where(CaldavEvent.account_id == account.id,
                                                CaldavEvent.followup_id.in_(list(known))))
        for fid, (href, etag, digest, sequence) in written.items():
            row = s.get(CaldavEvent, (account.id, fid))
            if row is None:
                row = CaldavEvent(account_id=account.id, followup_id=fid)
                s.add(row)
            row.href, row.etag, row.fingerprint = href, etag, digest
            row.sequence, row.synced_at = sequence, now
    return SyncReport(**counts)
