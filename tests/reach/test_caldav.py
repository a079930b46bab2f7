"""CalDAV push against a real Radicale server on loopback: events created with the feed's UIDs,
moved ones updated in place, cancelled ones and opted-out contacts deleted, edits made on the
server overwritten by notnow's version, and login failures recorded in plain words."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta

import caldav
import pytest
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


CLIENTS: list[caldav.DAVClient] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while CLIENTS:
        CLIENTS.pop().close()


def server_events(radicale, calendar: str) -> dict[str, caldav.CalendarObjectResource]:  # type: ignore[no-untyped-def]
    """The events on the server, read with the caldav client as a calendar app would."""
    client = caldav.DAVClient(radicale.url, username=radicale.username,
                              password=radicale.password, auth_type="basic",
                              enable_rfc6764=False, require_tls=False)
    CLIENTS.append(client)
    [cal] = [c for c in client.principal().calendars() if c.get_display_name() == calendar]
    return {str(e.icalendar_component.get("uid")): e for e in cal.events()}


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
    event = on_server[event_uid(WORKSPACE, moving)].icalendar_component
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
    moved = on_server[event_uid(WORKSPACE, moving)].icalendar_component
    assert moved.decoded("dtstart").date() == TODAY + timedelta(days=9)
    assert int(moved.get("sequence")) == 1

    # Someone edits one event in their calendar app and deletes the other; notnow's version
    # wins the next time the follow-ups change.
    edited = on_server[event_uid(WORKSPACE, moving)]
    edited.icalendar_component["summary"] = "my own title"
    edited.save()
    on_server[event_uid(WORKSPACE, staying)].delete()
    set_followup(db, moving, purpose="Call instead")
    set_followup(db, staying, why="Asked for the case study")
    third = sync(3)
    assert (third.updated, third.rewritten) == (2, 2)
    on_server = server_events(radicale, calendar)
    assert str(on_server[event_uid(WORKSPACE, moving)].icalendar_component.get("summary")) \
        == "Email: Anna Berg (Acme GmbH)"
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
