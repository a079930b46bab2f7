"""Reach through the services, as people: each channel shows only what its person may read,
an opted-out contact goes out only as ``contact.opted_out``, and the worker's jobs deliver —
over real HTTP (uvicorn on loopback, a webhook receiver), a real SMTP sink and Radicale."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar
from reach_support import add_followup

from actors import owner_of, user
from notnow.core.clock import FixedClock
from notnow.errors import InvalidInput, NotFound, PermissionDenied
from web_support import running_server, seed

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # the tests' clock: a Monday
TODAY = NOW.date()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, config: Any) -> None:
    """The worker's process environment: this test's workspace, nothing of the user's."""
    monkeypatch.setenv("NOTNOW_HOME", str(config.home))
    monkeypatch.setenv("NOTNOW_DATABASE_URL", config.database_url)
    monkeypatch.delenv("NOTNOW_NOW", raising=False)


@pytest.fixture
def people(ws: Any) -> dict[str, Any]:
    """Max manages Sara; Tom is on another team; Ada is the owner (an admin)."""
    ada = owner_of(ws)
    mx = user(ws, "Max", "manager")
    return {"ada": ada, "max": mx, "sara": user(ws, "Sara", manager=mx),
            "tom": user(ws, "Tom")}


def worker_pass(ws: Any, at: datetime = NOW) -> Any:
    from notnow.worker import Worker
    from notnow.worker.kinds import build_registry

    return Worker(ws.db, build_registry(), clock=FixedClock(at)).run_once()


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as exc:
        body = exc.read()
        exc.close()
        return exc.code, dict(exc.headers), body


# --- the feed ---------------------------------------------------------------------------------


def test_feed_over_plain_http_shows_only_the_persons_own_and_never_an_opt_out(
        ws: Any, config: Any, clock: Any, people: dict[str, Any]) -> None:
    from notnow.services.capture.optout import mark_dnc
    from notnow.services.reach.feed import my_feed
    from notnow.services.team.auth import disable_user
    from notnow.web import create_app

    sara, tom = people["sara"], people["tom"]
    mine, theirs = seed(ws, sara), seed(ws, tom, name="Tomco")
    add_followup(ws.db, (mine.contact_id, mine.account_id), sara.id, TODAY + timedelta(days=2),
                 purpose="Check back with Dana")
    add_followup(ws.db, (mine.other_contact_id, mine.account_id), sara.id,
                 TODAY + timedelta(days=3), purpose="Befriend Sam")
    add_followup(ws.db, (theirs.contact_id, theirs.account_id), tom.id,
                 TODAY + timedelta(days=2), purpose="Tom's own call")
    ticket = my_feed(ws, sara)
    assert ticket.token and ticket.path == f"/calendar/feed/{ticket.token}.ics"
    assert my_feed(ws, sara).token is None  # shown once

    app = create_app(config, clock=clock, team=True)
    try:
        with running_server(app) as base:
            status, headers, body = fetch(base + ticket.path)  # no cookie, no sign-in
            assert status == 200
            assert headers["content-type"] == "text/calendar; charset=utf-8"
            assert headers["cache-control"] == "private, no-cache"
            assert "www-authenticate" not in {k.lower() for k in headers}
            calendar = Calendar.from_ical(body)
            assert str(calendar.get("x-wr-calname")) == "notnow — Sara"
            summaries = [str(e.get("summary")) for e in calendar.walk("VEVENT")]
            assert len(summaries) == 2 and all("Tom" not in s for s in summaries)
            assert any("Dana" in s for s in summaries)
            again = fetch(base + ticket.path, {"If-None-Match": headers["etag"]})
            assert again[0] == 304 and again[2] == b""

            mark_dnc(ws, sara, mine.contact_id, reason="asked to be removed")
            status, headers2, body = fetch(base + ticket.path)
            assert status == 200 and headers2["etag"] != headers["etag"]
            assert b"Dana" not in body  # a nameless cancelled event, then nothing
            cancelled = [e for e in Calendar.from_ical(body).walk("VEVENT")
                         if str(e.get("status")) == "CANCELLED"]
            assert len(cancelled) == 1

            rotated = my_feed(ws, sara, rotate=True)
            assert fetch(base + ticket.path)[0] == 404
            assert rotated.path and fetch(base + rotated.path)[0] == 200
            for bad in ("/calendar/feed/nncal_nothing.ics", "/calendar/feed/x.ics"):
                status, headers, _ = fetch(base + bad)
                assert status == 404 and "location" not in {k.lower() for k in headers}
            disable_user(ws, people["ada"], sara.id)
            assert fetch(base + rotated.path)[0] == 404  # a disabled person's feed is gone
    finally:
        app.state.ws.close()


# --- webhooks ---------------------------------------------------------------------------------


def _verify(request: dict[str, Any], secret: str) -> dict[str, Any]:
    """The reference library's signature of the body as received (its own ``verify`` also
    checks the timestamp against the real clock; these tests run on a fixed one)."""
    from standardwebhooks.webhooks import Webhook

    h = request["headers"]
    stamp = datetime.fromtimestamp(int(h["webhook-timestamp"]), UTC)
    expected = Webhook(secret).sign(h["webhook-id"], stamp, request["body"].decode())
    assert expected in h["webhook-signature"].split()
    verified: dict[str, Any] = json.loads(request["body"])
    return verified


def test_webhooks_are_admins_and_events_reach_them_through_the_worker(
        ws: Any, people: dict[str, Any], receiver: Any, env: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from notnow.reach.webhooks import new_secret
    from notnow.services.capture.log import log_rejection
    from notnow.services.capture.optout import mark_dnc
    from notnow.services.reach.webhooks import add_webhook, list_webhooks, remove_webhook
    from notnow.services.records.deals import set_deal_status

    sara, ada = people["sara"], people["ada"]
    secret = new_secret()
    monkeypatch.setenv("HOOK_SECRET", secret)
    with pytest.raises(PermissionDenied, match="only an admin"):
        add_webhook(ws, sara, receiver.url, "rejection.logged", secret_env="HOOK_SECRET")
    hook = add_webhook(ws, ada, receiver.url, "rejection.logged,contact.opted_out,"
                       "deal.won_after_no", secret_env="HOOK_SECRET").webhook
    assert list_webhooks(ws, sara) == [] and [h.id for h in list_webhooks(ws, ada)] == [hook.id]
    with pytest.raises(NotFound, match=f"no webhook with id {hook.id}"):
        remove_webhook(ws, sara, hook.id)

    s1 = seed(ws, sara)
    log_rejection(ws, sara, {"label": "not_now", "notes": "busy"}, contact=s1.contact_id)
    summary = worker_pass(ws)
    assert summary.errors == []
    [first] = receiver.requests
    event = _verify(first, secret)
    assert event["type"] == "rejection.logged"
    assert event["data"]["contact"]["name"] == "Dana Lee"
    assert event["data"]["owner"] == "Sara"
    assert "busy" not in first["body"].decode()  # never the notes, feelings or words

    mark_dnc(ws, sara, s1.contact_id, reason="asked")
    log_rejection(ws, sara, {"label": "not_now"}, contact=s1.other_contact_id)
    set_deal_status(ws, sara, s1.deal_id, "won")
    worker_pass(ws)
    types = [_verify(r, secret)["type"] for r in receiver.requests[1:]]
    assert sorted(types) == ["contact.opted_out", "deal.won_after_no", "rejection.logged"]
    won = next(_verify(r, secret) for r in receiver.requests
               if b"deal.won_after_no" in r["body"])
    assert "contact" not in won["data"]  # the deal's contact opted out: sent without them
    assert worker_pass(ws).errors == [] and len(receiver.requests) == 4  # once each


def test_followup_due_is_announced_once_and_never_for_an_opt_out(
        ws: Any, people: dict[str, Any], receiver: Any, env: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from notnow.reach.webhooks import new_secret
    from notnow.services.capture.optout import mark_dnc
    from notnow.services.reach.webhooks import add_webhook

    sara = people["sara"]
    monkeypatch.setenv("HOOK_SECRET", new_secret())
    add_webhook(ws, people["ada"], receiver.url, "followup.due", secret_env="HOOK_SECRET")
    s1 = seed(ws, sara)
    due = add_followup(ws.db, (s1.contact_id, s1.account_id), sara.id, TODAY)
    add_followup(ws.db, (s1.other_contact_id, s1.account_id), sara.id, TODAY)
    mark_dnc(ws, sara, s1.other_contact_id, reason="asked")
    worker_pass(ws)
    worker_pass(ws, NOW + timedelta(hours=2))
    bodies = [json.loads(r["body"]) for r in receiver.requests]
    assert [b["data"]["followup"]["id"] for b in bodies] == [due]


def test_a_personal_slack_target_carries_only_what_its_owner_may_read(
        ws: Any, people: dict[str, Any], receiver: Any, env: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from notnow.services.capture.log import log_rejection
    from notnow.services.reach.webhooks import add_webhook, list_webhooks, test_webhook

    sara, tom = people["sara"], people["tom"]
    monkeypatch.setenv("SARA_SLACK", receiver.url)
    hook = add_webhook(ws, sara, "https://hooks.slack.com/services/T/B/X", "rejection.logged",
                       secret_env="SARA_SLACK", kind="slack").webhook
    assert hook.owner_id == sara.id
    assert [h.id for h in list_webhooks(ws, sara)] == [hook.id] and list_webhooks(ws, tom) == []
    with pytest.raises(NotFound):
        test_webhook(ws, tom, hook.id, environ={"SARA_SLACK": receiver.url})
    log_rejection(ws, tom, {"label": "not_now"}, contact=seed(ws, tom, name="Tomco").contact_id)
    log_rejection(ws, sara, {"label": "no_budget"}, contact=seed(ws, sara).contact_id)
    worker_pass(ws)
    texts = [json.loads(r["body"])["text"] for r in receiver.requests]
    assert len(texts) == 1 and "Dana Lee" in texts[0] and "no budget" in texts[0]
    result = test_webhook(ws, sara, hook.id, environ={"SARA_SLACK": receiver.url})
    assert result.delivered and result.status_code == 200


# --- the morning mail -------------------------------------------------------------------------


def test_morning_mail_goes_at_the_persons_time_with_only_their_agenda(
        ws: Any, people: dict[str, Any], smtp_sink: Any, env: None) -> None:
    from notnow.reach.smtp import SmtpConfig
    from notnow.services.reach.digest import set_digest, set_smtp

    sara, tom = people["sara"], people["tom"]
    with pytest.raises(PermissionDenied):
        set_smtp(ws, sara, SmtpConfig(smtp_sink.host, "notnow@example.com", smtp_sink.port,
                                      "none"))
    set_smtp(ws, people["ada"], SmtpConfig(smtp_sink.host, "notnow@example.com",
                                           smtp_sink.port, "none"))
    with pytest.raises(PermissionDenied, match="weekly note"):
        set_digest(ws, sara, enabled=True, weekly_note=True)
    with pytest.raises(InvalidInput, match="time of day"):
        set_digest(ws, sara, enabled=True, send_at="8 o'clock")
    prefs = set_digest(ws, sara, enabled=True, send_at="11:00", timezone="Europe/Berlin")
    assert prefs.enabled and prefs.timezone == "Europe/Berlin"
    set_digest(ws, tom, enabled=True, send_at="11:00", timezone="Europe/Berlin")
    mine, theirs = seed(ws, sara), seed(ws, tom, name="Tomco")
    add_followup(ws.db, (mine.contact_id, mine.account_id), sara.id, TODAY,
                 purpose="Call Dana about the pilot", why="She asked for November")
    add_followup(ws.db, (theirs.contact_id, theirs.account_id), tom.id, TODAY,
                 purpose="Tom's secret call")

    worker_pass(ws)  # 10:30 in Berlin: not yet
    assert smtp_sink.messages == []
    worker_pass(ws, NOW + timedelta(minutes=35))  # 11:05 in Berlin
    to = {m["To"]: m for m in smtp_sink.messages}
    assert set(to) == {"Sara <sara@example.com>", "Tom <tom@example.com>"}
    text = next(part.get_payload(decode=True).decode() for part in
                to["Sara <sara@example.com>"].walk() if part.get_content_type() == "text/plain")
    assert "Call Dana about the pilot" in text and "She asked for November" in text
    assert "Tom's secret call" not in text
    worker_pass(ws, NOW + timedelta(minutes=45))
    assert len(smtp_sink.messages) == 2  # never twice a day


# --- CalDAV -----------------------------------------------------------------------------------


def test_caldav_push_through_the_service_drops_an_opted_out_contact(
        ws: Any, people: dict[str, Any], radicale: Any) -> None:
    from notnow.services.capture.optout import mark_dnc
    from notnow.services.reach.caldav import connect, disconnect, status, sync_mine

    sara = people["sara"]
    s1 = seed(ws, sara)
    add_followup(ws.db, (s1.contact_id, s1.account_id), sara.id, TODAY + timedelta(days=1))
    add_followup(ws.db, (s1.other_contact_id, s1.account_id), sara.id,
                 TODAY + timedelta(days=2))
    with pytest.raises(InvalidInput, match="say where the password is"):
        connect(ws, sara, url=radicale.url, username=radicale.username)
    connect(ws, sara, url=radicale.url, username=radicale.username, password_env="CALDAV_PW",
            calendar=f"notnow-{sara.id}-{ws.workspace_id[:6]}")
    env = {"CALDAV_PW": radicale.password}
    first = sync_mine(ws, sara, environ=env)
    assert (first.created, first.deleted) == (2, 0)
    mark_dnc(ws, sara, s1.contact_id, reason="asked")
    second = sync_mine(ws, sara, environ=env)
    assert (second.created, second.deleted, second.unchanged) == (0, 1, 1)
    info = status(ws, sara)
    assert info is not None and info.last_sync_at is not None and info.last_error is None
    assert status(ws, people["tom"]) is None
    disconnect(ws, sara)
    assert status(ws, sara) is None



def test_the_weekly_note_reports_on_the_managers_team_only(
        ws: Any, clock: Any, people: dict[str, Any], smtp_sink: Any, env: None) -> None:
    from notnow.reach.smtp import SmtpConfig
    from notnow.services.capture.log import log_rejection
    from notnow.services.reach.digest import set_digest, set_smtp
    from notnow.services.records.deals import set_deal_status

    set_smtp(ws, people["ada"], SmtpConfig(smtp_sink.host, "notnow@example.com",
                                           smtp_sink.port, "none"))
    set_digest(ws, people["max"], enabled=True, send_at="11:00", timezone="Europe/Berlin",
               weekly_note=True)
    said_no = (NOW - timedelta(days=40)).isoformat()
    for who, name in (("sara", "Acme Corp"), ("tom", "Tomco")):
        data = seed(ws, people[who], name=name)
        log_rejection(ws, people[who], {"label": "no_budget", "at": said_no},
                      contact=data.contact_id, schedule=False)
        clock.advance(days=-3)  # won last Friday
        set_deal_status(ws, people[who], data.deal_id, "won")
        clock.advance(days=3)
    worker_pass(ws, NOW + timedelta(minutes=35))  # Monday, 11:05 in Berlin
    [note] = [m for m in smtp_sink.messages if m["Subject"].startswith("notnow weekly")]
    assert note["To"] == "Max <max@example.com>"
    text = next(part.get_payload(decode=True).decode() for part in note.walk()
                if part.get_content_type() == "text/plain")
    assert "Dana Lee · Acme Corp: won, 37 days after “no budget”" in text
    assert "Tomco" not in text


def test_the_worker_retries_a_failing_receiver_until_each_event_arrives_once(
        ws: Any, people: dict[str, Any], receiver: Any, env: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from notnow.reach.webhooks import new_secret
    from notnow.services.capture.log import log_rejection
    from notnow.services.reach.webhooks import add_webhook, delivery_log

    monkeypatch.setenv("HOOK_SECRET", new_secret())
    hook = add_webhook(ws, people["ada"], receiver.url, "rejection.logged",
                       secret_env="HOOK_SECRET").webhook
    data = seed(ws, people["sara"])
    for _ in range(4):
        log_rejection(ws, people["sara"], {"label": "not_now"}, contact=data.contact_id,
                      schedule=False)
    receiver.fail_next = 8  # down for the first two rounds of attempts
    for later in (timedelta(0), timedelta(seconds=40), timedelta(minutes=7)):
        assert worker_pass(ws, NOW + later).failed == 0
    assert len(receiver.requests) == 12 and len(receiver.unique) == 4
    assert all(n == 1 for n in receiver.seen_ids.values())
    log = delivery_log(ws, people["ada"], hook.id)
    assert {(d["status"], d["attempt"]) for d in log} == {("delivered", 3)}
