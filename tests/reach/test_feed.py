"""The calendar feed: a token shown once and kept hashed; events that update in place (stable
UID, rising SEQUENCE), cancelled ones kept a while without names, opted-out contacts never
shown; the same bytes and a 304 when nothing changed; read back by icalendar and by khal over a
real HTTP GET on loopback."""

from __future__ import annotations

import shutil
import subprocess
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from reach_support import NOW, WORKSPACE, add_contact, add_followup, add_user, opt_out, set_followup
from sqlalchemy import select

from notnow.core.ical import CalendarItem, event_uid, fold, render_calendar
from notnow.core.model import Channel, FollowUpFacts, FollowUpStatus
from notnow.errors import NotFound
from notnow.reach.feed import (
    CONTENT_TYPE,
    FeedCache,
    FeedWindow,
    feed_response,
    hash_token,
    issue_feed,
    own_open_followups,
    revoke_feed,
)
from notnow.storage.engine import Database
from notnow.storage.tables import CalendarFeed

TODAY = date(2026, 11, 23)


def fetch(db: Database, token: str, now: datetime = NOW, **kw: Any) -> Any:
    return feed_response(db, token, workspace_id=WORKSPACE, now=now, today=now.date(),
                         read_items=own_open_followups("UTC"), name="notnow — Ann", **kw)


def events(body: bytes) -> dict[str, Any]:
    return {str(e.get("uid")): e for e in Calendar.from_ical(body).walk("VEVENT")}


def test_token_is_shown_once_kept_hashed_and_can_be_rotated_or_revoked(db: Database) -> None:
    ann = add_user(db, "Ann")
    first = issue_feed(db, ann, NOW)
    assert first.token and first.token.startswith("nncal_") and len(first.token) > 40
    assert first.path == f"/calendar/feed/{first.token}.ics"
    again = issue_feed(db, ann, NOW + timedelta(hours=1))
    assert again.token is None and again.path is None  # only the hash is kept
    with db.read() as s:
        stored = s.scalar(select(CalendarFeed.token_hash))
    assert stored == hash_token(first.token) and first.token not in stored
    assert fetch(db, first.token).status == 200

    rotated = issue_feed(db, ann, NOW + timedelta(hours=2), rotate=True)
    assert rotated.token and rotated.token != first.token
    assert rotated.rotated_at == NOW + timedelta(hours=2)
    assert fetch(db, first.token).status == 404
    assert fetch(db, rotated.token).status == 200

    revoke_feed(db, ann, NOW + timedelta(hours=3))
    assert fetch(db, rotated.token).status == 404
    with pytest.raises(NotFound, match="no calendar feed"):
        revoke_feed(db, ann, NOW)
    fresh = issue_feed(db, ann, NOW + timedelta(hours=4))
    assert fresh.token and fetch(db, fresh.token).status == 200
    for bad in ("", "nncal_", "nncal_" + "x" * 43, "../../etc/passwd", fresh.token + "x"):
        answer = fetch(db, bad)
        assert answer.status == 404 and "WWW-Authenticate" not in answer.headers


def test_moves_update_in_place_and_departures_are_cancelled_then_forgotten(
        db: Database) -> None:
    ann, bo = add_user(db, "Ann"), add_user(db, "Bo")
    anna = add_contact(db, "Anna Berg", account="Acme GmbH", tz="Europe/Berlin")
    carl = add_contact(db, "Carl Dunn", account="Dunn & Co", tz="America/New_York")
    moving = add_followup(db, anna, ann, TODAY + timedelta(days=3), why="They said not now")
    closing = add_followup(db, anna, ann, TODAY + timedelta(days=5), purpose="Send the case")
    opted = add_followup(db, carl, ann, TODAY + timedelta(days=4))
    add_followup(db, carl, bo, TODAY + timedelta(days=4), purpose="Bo's own")
    add_followup(db, anna, ann, TODAY + timedelta(days=2), status="done")
    token = issue_feed(db, ann, NOW).token
    assert token

    first = fetch(db, token)
    assert first.status == 200 and first.headers["Content-Type"] == CONTENT_TYPE
    cal = Calendar.from_ical(first.body)
    assert str(cal.get("x-wr-calname")) == "notnow — Ann"
    assert first.body.count(b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n") == 1
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in first.body
    shown = events(first.body)
    assert set(shown) == {event_uid(WORKSPACE, i) for i in (moving, closing, opted)}
    assert b"Bo's own" not in first.body
    assert {int(e.get("sequence")) for e in shown.values()} == {0}
    start = shown[event_uid(WORKSPACE, moving)].decoded("dtstart")
    assert (start.hour, str(start.tzinfo)) == (10, "Europe/Berlin")

    # Nothing changed: the same bytes, and a client with the ETag gets a 304.
    later = NOW + timedelta(hours=1)
    same = fetch(db, token, later)
    assert same.body == first.body and same.headers["ETag"] == first.headers["ETag"]
    assert fetch(db, token, later, if_none_match=first.headers["ETag"]).status == 304
    head = fetch(db, token, later, method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.headers["Content-Length"] == str(len(first.body))

    # A move, a close and an opt-out.
    set_followup(db, moving, due=TODAY + timedelta(days=10))
    set_followup(db, closing, status="done", closed_at=later)
    opt_out(db, carl[0])
    moved_at = NOW + timedelta(hours=2)
    second = fetch(db, token, moved_at)
    assert second.headers["ETag"] != first.headers["ETag"]
    shown = events(second.body)
    moved = shown[event_uid(WORKSPACE, moving)]
    assert int(moved.get("sequence")) == 1
    assert moved.decoded("dtstart").date() == TODAY + timedelta(days=10)
    assert moved.decoded("last-modified") == moved_at
    for gone in (closing, opted):
        event = shown[event_uid(WORKSPACE, gone)]
        assert str(event.get("status")) == "CANCELLED" and int(event.get("sequence")) == 1
        assert "description" not in event
    assert b"Carl" not in second.body and b"Dunn" not in second.body  # the opted-out contact
    assert b"Send the case" not in second.body

    # Kept for the window, then forgotten.
    window = FeedWindow(keep_cancelled=timedelta(days=30))
    kept = events(fetch(db, token, moved_at + timedelta(days=29), window=window).body)
    assert event_uid(WORKSPACE, closing) in kept
    last = events(fetch(db, token, moved_at + timedelta(days=31), window=window).body)
    assert set(last) == {event_uid(WORKSPACE, moving)}


def test_a_follow_up_that_comes_back_is_news_again(db: Database) -> None:
    ann = add_user(db, "Ann")
    anna = add_contact(db, "Anna Berg")
    f = add_followup(db, anna, ann, TODAY + timedelta(days=3))
    token = issue_feed(db, ann, NOW).token
    assert token
    fetch(db, token)
    set_followup(db, f, status="snoozed", due=TODAY + timedelta(days=800))  # out of the window
    gone = events(fetch(db, token, NOW + timedelta(hours=1)).body)[event_uid(WORKSPACE, f)]
    assert str(gone.get("status")) == "CANCELLED"
    set_followup(db, f, due=TODAY + timedelta(days=3))
    back = events(fetch(db, token, NOW + timedelta(hours=2)).body)[event_uid(WORKSPACE, f)]
    assert str(back.get("status")) == "CONFIRMED" and int(back.get("sequence")) == 2


def test_a_cached_feed_is_the_feed(db: Database) -> None:
    ann = add_user(db, "Ann")
    anna = add_contact(db, "Anna Berg")
    f = add_followup(db, anna, ann, TODAY + timedelta(days=3))
    token = issue_feed(db, ann, NOW).token
    assert token
    cache = FeedCache()
    fresh = fetch(db, token)
    assert fetch(db, token, NOW + timedelta(hours=1), cache=cache).body == fresh.body
    assert fetch(db, token, NOW + timedelta(hours=2), cache=cache).body == fresh.body  # cached
    set_followup(db, f, purpose="Call instead")
    changed = fetch(db, token, NOW + timedelta(hours=3), cache=cache)
    assert b"Call instead" in changed.body
    assert changed.body == fetch(db, token, NOW + timedelta(hours=4)).body


def _item(fid: int, text: str, tz: str | None = "Europe/Berlin") -> CalendarItem:
    return CalendarItem(FollowUpFacts(fid, 1, date(2026, 12, 1), Channel.EMAIL, text,
                                      FollowUpStatus.DUE, why=text, rule="r"), text, text, tz)


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=300))
def test_any_text_survives_escaping_and_folding(text: str) -> None:
    body = render_calendar([_item(1, text)], workspace_id="w", stamp=NOW)
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    event = next(iter(Calendar.from_ical(body).walk("VEVENT")))
    assert str(event.get("summary")) == f"Email: {text} ({text})"
    assert str(event.get("description")) == f"{text}\nWhy: {text}\nRule: r"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.integers(min_value=0, max_value=2**63))
def test_event_uid_is_a_uuid5(workspace: str, followup_id: int) -> None:
    expected = uuid.uuid5(uuid.UUID("0b6c5e0e-7d0a-4c1e-9a57-6e6f746e6f77"),
                          f"{workspace}:{followup_id}")
    assert event_uid(workspace, followup_id) == f"{expected}@notnow"


def test_folding_never_splits_a_character() -> None:
    line = "DESCRIPTION:" + "ü€😀" * 40
    folded = fold(line).encode()
    assert all(len(part) <= 75 for part in folded.split(b"\r\n"))
    assert folded.replace(b"\r\n ", b"").decode() == line


def test_time_zones_across_daylight_saving_changes() -> None:
    items = [CalendarItem(FollowUpFacts(i, 1, day, Channel.CALL, "x", FollowUpStatus.DUE),
                          "P", None, "Europe/Berlin")
             for i, day in enumerate([date(2026, 3, 28), date(2026, 3, 30), date(2026, 10, 26),
                                      date(2027, 1, 4)])]
    items.append(CalendarItem(FollowUpFacts(9, 1, date(2026, 7, 1), Channel.CALL, "x",
                                            FollowUpStatus.DUE), "Q", None, None))
    cal = Calendar.from_ical(render_calendar(items, workspace_id="w", stamp=NOW))
    starts = [e.decoded("dtstart").astimezone(UTC).hour for e in cal.walk("VEVENT")]
    assert starts == [9, 8, 9, 9, 10]  # CET, CEST, CET, CET, and UTC for the unknown zone
    assert [str(z.get("tzid")) for z in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]


# --- over HTTP, into a real calendar client ----------------------------------------------------


@pytest.fixture
def feed_server(sqlite_db: Database) -> Iterator[tuple[str, Database]]:
    """The feed behind a plain HTTP server on loopback, as the web route will serve it."""
    db = sqlite_db

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self, method: str) -> None:
            token = self.path.removeprefix("/calendar/feed/").removesuffix(".ics")
            got = fetch(db, token, method=method,
                        if_none_match=self.headers.get("If-None-Match"))
            self.send_response(got.status)
            for key, value in got.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(got.body)

        def do_GET(self) -> None:
            self._answer("GET")

        def do_HEAD(self) -> None:
            self._answer("HEAD")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", db
    server.shutdown()
    server.server_close()


KHAL_CONFIG = """[calendars]
[[notnow]]
path = {path}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = UTC
default_timezone = UTC
"""


def test_plain_http_get_with_the_token_serves_a_calendar_khal_reads(
        feed_server: tuple[str, Database], tmp_path: Path) -> None:
    base, db = feed_server
    ann = add_user(db, "Ann")
    anna = add_contact(db, "Anna Berg", account="Acme GmbH", tz="Europe/Berlin")
    add_followup(db, anna, ann, date(2026, 12, 1), purpose="Check back with Anna",
                 why="They said: try me in December")
    path = issue_feed(db, ann, NOW).path
    assert path

    # What a subscribing client sends: no cookie, no password, Accept: text/calendar (iOS).
    request = urllib.request.Request(base + path, headers={
        "Accept": "text/calendar", "User-Agent": "Google-Calendar-Importer"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200
        assert answer.headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert answer.headers.get("Set-Cookie") is None
        assert answer.headers.get("WWW-Authenticate") is None
        body = answer.read()
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    head = urllib.request.Request(base + path, method="HEAD")
    with urllib.request.urlopen(head, timeout=10) as answer:
        assert answer.status == 200 and answer.read() == b""
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(base + "/calendar/feed/nncal_wrong.ics", timeout=10)
    refused.value.close()
    assert refused.value.code == 404 and "WWW-Authenticate" not in refused.value.headers

    if shutil.which("khal") is None:
        pytest.skip("khal (a real calendar client) absent")
    ics = tmp_path / "feed.ics"
    ics.write_bytes(body)
    (tmp_path / "cal").mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(KHAL_CONFIG.format(path=tmp_path / "cal"))

    def khal(*args: str) -> str:
        return subprocess.run(["khal", "-c", str(config), *args], capture_output=True,
                              text=True, check=True, timeout=60).stdout

    khal("import", "--batch", "-a", "notnow", str(ics))
    shown = khal("list", "2026-12-01", "2d")
    assert "09:00-09:15 Email: Anna Berg (Acme GmbH)" in shown
    assert "Why: They said: try me in December" in shown
