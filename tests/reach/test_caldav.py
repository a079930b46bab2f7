"""CalDAV push against a real Radicale server on loopback: events created with the feed's UIDs,
moved ones updated in place, cancelled ones and opted-out contacts deleted, edits made on the
server overwritten by notnow's version, and login failures recorded in plain words."""

from __future__ import annotations

import base64
import urllib.error
import urllib.request
import uuid
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from typing import Any
from urllib.parse import urljoin

import pytest
from icalendar import Calendar
from reach_support import NOW, WORKSPACE, add_contact, add_followup, add_user, opt_out, set_followup

from notnow.core.ical import event_uid
from notnow.errors import InvalidInput, NotFound
from notnow.reach.caldav import (
    SyncFailed,
    connect_account,
    get_account,
    remove_account,
    sync_account,
)
from notnow.reach.feed import own_open_followups
from notnow.storage.engine import Database

TODAY = date(2026, 11, 23)


def open_items(db: Database, user_id: int) -> list:  # type: ignore[type-arg]
    read = own_open_followups("UTC")
    with db.read() as s:
        return list(read(s, user_id, TODAY - timedelta(days=14), TODAY + timedelta(days=366)))


def dav(radicale, method: str, url: str, body: bytes | None = None,  # type: ignore[no-untyped-def]
        headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """A raw WebDAV request, as a calendar app would make it."""
    token = base64.b64encode(f"{radicale.username}:{radicale.password}".encode()).decode()
    request = urllib.request.Request(url, data=body, method=method, headers={
        "Authorization": f"Basic {token}", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, b""


LIST = (b'<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:displayname/>'
        b"</d:prop></d:propfind>")


def server_events(radicale, calendar: str) -> dict[str, tuple[str, Any]]:  # type: ignore[no-untyped-def]
    """uid -> (href, VEVENT) of the events in the calendar called ``calendar`` on the server."""
    home = f"{radicale.url}{radicale.username}/"
    status, body = dav(radicale, "PROPFIND", home, LIST, {"Depth": "1"})
    assert status == 207
    hrefs = [r.findtext("{DAV:}href") for r in ET.fromstring(body).findall("{DAV:}response")
             if r.findtext(".//{DAV:}displayname") == calendar]
    assert len(hrefs) == 1
    status, body = dav(radicale, "PROPFIND", urljoin(home, hrefs[0]), LIST, {"Depth": "1"})
    out: dict[str, tuple[str, Any]] = {}
    for response in ET.fromstring(body).findall("{DAV:}response"):
        href = urljoin(home, response.findtext("{DAV:}href") or "")
        if href.endswith(".ics"):
            status, ics = dav(radicale, "GET", href)
            event = next(iter(Calendar.from_ical(ics).walk("VEVENT")))
            out[str(event.get("uid"))] = (href, event)
    return out


def test_push_keeps_the_calendar_in_step(db: Database, radicale) -> None:  # type: ignore[no-untyped-def]
    ann = add_user(db, "Ann")
    anna = add_contact(db, "Anna Berg", account="Acme GmbH", tz="Europe/Berlin")
    carl = add_contact(db, "Carl Dunn", account="Dunn", tz="America/New_York")
    moving = add_followup(db, anna, ann, TODAY + timedelta(days=3))
    staying = add_followup(db, anna, ann, TODAY + timedelta(days=5), purpose="Send the case")
    opted = add_followup(db, carl, ann, TODAY + timedelta(days=4))
    calendar = f"notnow-{uuid.uuid4().hex[:8]}"
    connect_account(db, ann, url=radicale.url, username=radicale.username,
                    secret_ref="env:CALDAV_PASSWORD", calendar=calendar, now=NOW)
    env = {"CALDAV_PASSWORD": radicale.password}

    def sync(days: int = 0):  # type: ignore[no-untyped-def]
        return sync_account(db, ann, open_items(db, ann), workspace_id=WORKSPACE,
                            now=NOW + timedelta(days=days), environ=env)

    first = sync()
    assert (first.created, first.updated, first.deleted) == (3, 0, 0)
    on_server = server_events(radicale, calendar)
    assert set(on_server) == {event_uid(WORKSPACE, f) for f in (moving, staying, opted)}
    event = on_server[event_uid(WORKSPACE, moving)][1]
    assert str(event.get("summary")) == "Email: Anna Berg (Acme GmbH)"
    start = event.decoded("dtstart")
    assert (start.hour, str(start.tzinfo)) == (10, "Europe/Berlin")

    assert sync(1).unchanged == 3  # nothing changed: nothing written

    set_followup(db, moving, due=TODAY + timedelta(days=9))
    opt_out(db, carl[0])
    second = sync(2)
    assert (second.updated, second.deleted, second.unchanged) == (1, 1, 1)
    on_server = server_events(radicale, calendar)
    assert set(on_server) == {event_uid(WORKSPACE, f) for f in (moving, staying)}
    moved = on_server[event_uid(WORKSPACE, moving)][1]
    assert moved.decoded("dtstart").date() == TODAY + timedelta(days=9)
    assert int(moved.get("sequence")) == 1

    # Someone edits one event in their calendar app and deletes the other; notnow's version
    # wins the next time the follow-ups change.
    href, edited = on_server[event_uid(WORKSPACE, moving)]
    edited["summary"] = "my own title"
    wrapper = Calendar()
    wrapper.add("prodid", "-//a calendar app//EN")
    wrapper.add("version", "2.0")
    wrapper.add_component(edited)
    wrapper.add_missing_timezones()
    assert dav(radicale, "PUT", href, wrapper.to_ical(),
               {"Content-Type": "text/calendar"})[0] in (200, 201, 204)
    assert dav(radicale, "DELETE", on_server[event_uid(WORKSPACE, staying)][0])[0] in (200, 204)
    set_followup(db, moving, purpose="Call instead")
    set_followup(db, staying, why="Asked for the case study")
    third = sync(3)
    assert (third.updated, third.rewritten) == (2, 2)
    on_server = server_events(radicale, calendar)
    assert str(on_server[event_uid(WORKSPACE, moving)][1].get("summary")) == \
        "Email: Anna Berg (Acme GmbH)"
    assert event_uid(WORKSPACE, staying) in on_server

    set_followup(db, staying, status="done")
    assert sync(4).deleted == 1
    account = get_account(db, ann)
    assert account is not None and account.last_error is None
    assert account.last_sync_at == NOW + timedelta(days=4)


def test_login_failures_are_recorded_in_plain_words(sqlite_db: Database, radicale) -> None:  # type: ignore[no-untyped-def]
    db = sqlite_db
    ann = add_user(db, "Ann")
    connect_account(db, ann, url=radicale.url, username=radicale.username,
                    secret_ref="env:CALDAV_PASSWORD", now=NOW)
    with pytest.raises(NotFound, match="CALDAV_PASSWORD that holds the calendar password"):
        sync_account(db, ann, [], workspace_id=WORKSPACE, now=NOW, environ={})
    with pytest.raises(SyncFailed, match="refused the user name or password"):
        sync_account(db, ann, [], workspace_id=WORKSPACE, now=NOW,
                     environ={"CALDAV_PASSWORD": "wrong"})
    account = get_account(db, ann)
    assert account is not None and "refused the user name or password" in (
        account.last_error or "")
    assert "wrong" not in (account.last_error or "")
    remove_account(db, ann)
    assert get_account(db, ann) is None


def test_the_account_is_checked_before_anything_is_sent(sqlite_db: Database) -> None:
    db = sqlite_db
    ann = add_user(db, "Ann")
    for url, words in [("http://cloud.example.com/dav", "use https://"),
                       ("https://ann:pw@cloud.example.com/dav", "not in the URL"),
                       ("cloud.example.com", "calendar server's address")]:
        with pytest.raises(InvalidInput, match=words):
            connect_account(db, ann, url=url, username="ann", secret_ref="env:X", now=NOW)
    with pytest.raises(InvalidInput, match="not a secret reference"):
        connect_account(db, ann, url="https://cloud.example.com/dav", username="ann",
                        secret_ref="hunter2", now=NOW)
    info = connect_account(db, ann, url="https://cloud.example.com/dav", username="ann",
                           secret_ref="keyring:notnow-caldav", now=NOW)
    assert info.to_dict()["secret"] == "keyring:notnow-caldav"
