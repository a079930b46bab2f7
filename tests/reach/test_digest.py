"""The morning mail: when it is due (time zones, daylight saving, never twice a day), what it
says (ripest first, each with its why; plain text and HTML), the weekly note, and sending
through a real SMTP sink on loopback with the password from an environment variable."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from reach_support import NOW, add_user
from sqlalchemy import select

from notnow.core.model import Channel, Role
from notnow.errors import InvalidInput
from notnow.reach.digest import (
    CameBack,
    PersonFigure,
    WeeklyFigures,
    compose_daily,
    compose_weekly,
    due_at,
    load_prefs,
    save_prefs,
    send_due,
)
from notnow.reach.smtp import SendFailed, SmtpConfig, load_settings, save_settings, send
from notnow.services.followups.item import AgendaItem
from notnow.storage.engine import Database
from notnow.storage.tables import DigestLog

BERLIN = "Europe/Berlin"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_due_at_in_the_persons_zone() -> None:
    at = time(7, 30)
    # 07:00 in Berlin (CET): due at 07:30 local = 06:30 UTC today.
    assert due_at(at, BERLIN, utc(2026, 11, 23, 6, 0), last_local_date=None) == \
        utc(2026, 11, 23, 6, 30)
    # Sent today: tomorrow.
    assert due_at(at, BERLIN, utc(2026, 11, 23, 6, 40), last_local_date=date(2026, 11, 23)) \
        == utc(2026, 11, 24, 6, 30)
    # Missed by more than the grace (the worker was down all morning): tomorrow, not at noon.
    assert due_at(at, BERLIN, utc(2026, 11, 23, 11, 0), last_local_date=date(2026, 11, 22)) \
        == utc(2026, 11, 24, 6, 30)
    # Within the grace: still today.
    assert due_at(at, BERLIN, utc(2026, 11, 23, 9, 0), last_local_date=date(2026, 11, 22)) \
        == utc(2026, 11, 23, 6, 30)
    # In Tokyo the same instant is already the afternoon of the 23rd.
    assert due_at(at, "Asia/Tokyo", utc(2026, 11, 23, 6, 0), last_local_date=None) == \
        utc(2026, 11, 23, 22, 30)
    # The weekly note: Mondays only (2026-11-23 is a Monday).
    assert due_at(at, BERLIN, utc(2026, 11, 24, 6, 0), last_local_date=date(2026, 11, 23),
                  weekday=0) == utc(2026, 11, 30, 6, 30)


def test_daylight_saving_days() -> None:
    # Spring: 02:30 does not exist in Berlin on 29 March 2026; sent as 03:30 CEST (01:30 UTC).
    assert due_at(time(2, 30), BERLIN, utc(2026, 3, 28, 23, 0), last_local_date=None) == \
        utc(2026, 3, 29, 1, 30)
    # Autumn: 02:30 happens twice on 25 October 2026; sent at the first, not again an hour
    # later.
    first = due_at(time(2, 30), BERLIN, utc(2026, 10, 24, 23, 0), last_local_date=None)
    assert first == utc(2026, 10, 25, 0, 30)
    assert due_at(time(2, 30), BERLIN, utc(2026, 10, 25, 1, 30),
                  last_local_date=date(2026, 10, 25)) == utc(2026, 10, 26, 1, 30)


@pytest.mark.parametrize("zone", [BERLIN, "America/New_York", "Australia/Lord_Howe",
                                  "Asia/Kolkata", "UTC"])
def test_a_worker_ticking_all_year_sends_exactly_once_a_day(zone: str) -> None:
    """Simulate a worker that runs every 7 minutes (and is down for a few hours now and then)
    through a year with both DST changes: one mail per local day, never two, none late."""
    rng = random.Random(zone)
    at = time(rng.choice([1, 2, 3, 7]), rng.choice([0, 15, 30, 45]))
    tz = ZoneInfo(zone)
    sent: dict[date, datetime] = {}
    now, end = utc(2026, 1, 1), utc(2027, 1, 1)
    while now < end:
        if rng.random() < 0.002:
            now += timedelta(hours=rng.randint(1, 3))  # the worker is down for a while
        slot = due_at(at, zone, now, last_local_date=max(sent) if sent else None)
        if slot <= now:
            day = slot.astimezone(tz).date()
            assert day not in sent
            sent[day] = now
            assert now - slot <= timedelta(hours=4)
        now += timedelta(minutes=7)
    days = sorted(sent)
    assert len(days) >= 360 and all(b > a for a, b in zip(days, days[1:], strict=False))


def _item(fid: int, name: str, score: float | None, *, why: str | None = None,
          overdue: int = 0) -> AgendaItem:
    return AgendaItem(followup_id=fid, due=date(2026, 11, 23) - timedelta(days=overdue),
                      overdue_days=overdue, contact_id=fid, contact_name=name,
                      contact_role=Role.DECISION_MAKER, account_id=1, account_name="Acme & Co",
                      channel=Channel.EMAIL, purpose="Check back about the budget", why=why,
                      score=score, ripeness=f"ripe: score {score}" if score else None)


ITEMS = [_item(1, "Low", 0.2, why="asked for a call in spring"),
         _item(2, "Top <Tina>", 0.9, why="said: try me after the audit"),
         _item(3, "Unscored", None, overdue=3), _item(4, "Middle", 0.5)]


def test_the_morning_mail_puts_the_ripest_first_with_its_why() -> None:
    mail = compose_daily(ITEMS, person="Ann", day=date(2026, 11, 23),
                         app_url="https://notnow.example.com/")
    assert mail is not None
    assert mail.subject == "notnow: 4 follow-ups today"
    order = [mail.text.index(n) for n in ("Top <Tina>", "Middle", "Low", "Unscored")]
    assert order == sorted(order)
    assert "Why: said: try me after the audit" in mail.text
    assert "3 days overdue" in mail.text
    assert "https://notnow.example.com/followups/2" in mail.text
    assert "Top &lt;Tina&gt;" in mail.html and "Top <Tina>" not in mail.html
    assert "Acme &amp; Co" in mail.html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in mail.html
    assert "max-width:600px" in mail.html
    assert compose_daily([], person="Ann", day=date(2026, 11, 23)) is None
    capped = compose_daily(ITEMS, person="Ann", day=date(2026, 11, 23), limit=2)
    assert capped is not None and "…and 2 more in your agenda" in capped.text


def test_the_weekly_note() -> None:
    figures = WeeklyFigures(
        "Team North", date(2026, 11, 16),
        pestering=[PersonFigure("Bo", 3, "two emails to Dana in one day")],
        giving_up_early=[],
        came_back=[CameBack("Anna Berg", "Acme", "not_now", 97, "won")],
        nos_logged=12, followups_done=30)
    mail = compose_weekly(figures, manager="Mia")
    assert mail.subject == "notnow weekly: Team North"
    assert "Bo: 3 (two emails to Dana in one day)" in mail.text
    assert "Nobody gave up too soon." in mail.text
    assert "Anna Berg · Acme: won, 97 days after “not now”" in mail.text
    assert "12 nos logged, 30 follow-ups done." in mail.text
    assert "<li" in mail.html and "Nobody gave up too soon." in mail.html


def test_preferences_are_opt_in_and_checked(db: Database) -> None:
    ann = add_user(db, "Ann")
    assert not load_prefs(db, ann).enabled
    prefs = save_prefs(db, ann, NOW, enabled=True, send_at="06:45", timezone=BERLIN)
    assert prefs.to_dict() == {"user_id": ann, "enabled": True, "send_at": "06:45",
                               "timezone": BERLIN, "weekly_note": False}
    assert load_prefs(db, ann) == prefs
    assert save_prefs(db, ann, NOW, weekly_note=True).send_at == time(6, 45)
    with pytest.raises(InvalidInput, match="HH:MM"):
        save_prefs(db, ann, NOW, send_at="7.30")
    with pytest.raises(InvalidInput, match="unknown time zone"):
        save_prefs(db, ann, NOW, timezone="Mars/Olympus")


def test_sent_through_smtp_once_a_day(db: Database, smtp_sink) -> None:  # type: ignore[no-untyped-def]
    ann, bo, mia = add_user(db, "Ann"), add_user(db, "Bo"), add_user(db, "Mia")
    save_prefs(db, ann, NOW, enabled=True, send_at="07:30", timezone=BERLIN)
    save_prefs(db, bo, NOW, enabled=False)  # opt-in: Bo gets nothing
    save_prefs(db, mia, NOW, enabled=True, send_at="07:30", timezone=BERLIN, weekly_note=True)
    smtp = save_settings(db, SmtpConfig("127.0.0.1", "notnow@example.com", smtp_sink.port,
                                        "none", "notnow", "NOTNOW_SMTP_PASSWORD"), NOW)
    assert load_settings(db) == smtp
    env = {"NOTNOW_SMTP_PASSWORD": "mail-pass"}
    asked: list[tuple[int, date]] = []

    def agenda(user_id: int, day: date) -> list[AgendaItem]:
        asked.append((user_id, day))
        return ITEMS if user_id == ann else []

    def weekly(user_id: int, week: date) -> WeeklyFigures:
        return WeeklyFigures("Team", week, came_back=[CameBack("A", "B", "no_budget", 60,
                                                               "replied")])

    monday = utc(2026, 11, 23, 6, 31)  # 07:31 in Berlin
    report = send_due(db, now=monday, smtp=smtp, environ=env, agenda_for=agenda,
                      weekly_for=weekly)
    assert (report.sent, report.empty, report.failed) == (2, 1, 0)  # Ann, Mia's note; Mia
    assert sorted(asked) == sorted([(ann, date(2026, 11, 23)), (mia, date(2026, 11, 23))])
    assert set(smtp_sink.logins) == {("notnow", "mail-pass")}
    by_subject = {m["Subject"]: m for m in smtp_sink.messages}
    daily = by_subject["notnow: 4 follow-ups today"]
    assert daily["To"] == "Ann <ann@example.com>" and daily["From"] == "notnow@example.com"
    assert daily.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in daily.walk()]
    assert kinds == ["multipart/alternative", "text/plain", "text/html"]
    assert "notnow weekly: Team" in by_subject

    # The worker runs again a few minutes later, and the next day.
    again = send_due(db, now=monday + timedelta(minutes=5), smtp=smtp, environ=env,
                     agenda_for=agenda, weekly_for=weekly)
    assert (again.sent, again.empty) == (0, 0) and len(smtp_sink.messages) == 2
    tuesday = send_due(db, now=monday + timedelta(days=1), smtp=smtp, environ=env,
                       agenda_for=agenda, weekly_for=weekly)
    assert tuesday.sent == 1  # Ann's daily mail; Mia's note waits for Monday
    with db.read() as s:
        log = s.execute(select(DigestLog.user_id, DigestLog.kind, DigestLog.local_date,
                               DigestLog.status, DigestLog.items)
                        .order_by(DigestLog.local_date, DigestLog.user_id, DigestLog.kind)).all()
    assert [tuple(r) for r in log] == [
        (ann, "daily", date(2026, 11, 23), "sent", 4),
        (mia, "daily", date(2026, 11, 23), "empty", 0),
        (mia, "weekly", date(2026, 11, 23), "sent", 1),
        (ann, "daily", date(2026, 11, 24), "sent", 4),
        (mia, "daily", date(2026, 11, 24), "empty", 0)]


def test_a_failed_send_is_logged_in_words_and_retried(sqlite_db: Database, smtp_sink) -> None:  # type: ignore[no-untyped-def]
    db = sqlite_db
    ann = add_user(db, "Ann")
    save_prefs(db, ann, NOW, enabled=True, send_at="07:30", timezone=BERLIN)
    smtp = SmtpConfig("127.0.0.1", "notnow@example.com", smtp_sink.port, "none", "notnow",
                      "NOTNOW_SMTP_PASSWORD")
    at = utc(2026, 11, 23, 6, 31)
    wrong = send_due(db, now=at, smtp=smtp, environ={"NOTNOW_SMTP_PASSWORD": "nope"},
                     agenda_for=lambda u, d: ITEMS)
    assert wrong.failed == 1 and "refused the user name or password (535)" in wrong.errors[0]
    unset = send_due(db, now=at + timedelta(minutes=5), smtp=smtp, environ={},
                     agenda_for=lambda u, d: ITEMS)
    assert unset.errors == ("Ann: the environment variable NOTNOW_SMTP_PASSWORD that holds the "
                            "SMTP password is not set in this process",)
    fixed = send_due(db, now=at + timedelta(minutes=10), smtp=smtp,
                     environ={"NOTNOW_SMTP_PASSWORD": "mail-pass"},
                     agenda_for=lambda u, d: ITEMS)
    assert fixed.sent == 1 and len(smtp_sink.messages) == 1
    with db.read() as s:
        assert s.scalar(select(DigestLog.status)) == "sent"


def test_smtp_settings_and_connection_errors_in_plain_words(smtp_sink) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="refusing to send a password unencrypted"):
        SmtpConfig("mail.example.com", "a@example.com", 25, "none", "u", "PW").check()
    with pytest.raises(InvalidInput, match="not an email address"):
        SmtpConfig("mail.example.com", "nobody").check()
    with pytest.raises(InvalidInput, match="security is one of"):
        SmtpConfig("mail.example.com", "a@example.com", security="ssl").check()
    mail = compose_daily(ITEMS, person="Ann", day=date(2026, 11, 23))
    assert mail is not None
    message = mail.message(to="ann@example.com")
    # The sink offers no STARTTLS: said plainly rather than sending in clear.
    with pytest.raises(SendFailed, match="does not offer STARTTLS"):
        send(SmtpConfig("127.0.0.1", "a@example.com", smtp_sink.port, "starttls"), [message],
             environ={})
    with pytest.raises(SendFailed, match="cannot send through 127.0.0.1:9"):
        send(SmtpConfig("127.0.0.1", "a@example.com", 9, "none", timeout=2), [message],
             environ={})
    send(SmtpConfig("127.0.0.1", "a@example.com", smtp_sink.port, "none"), [message],
         environ={})
    assert smtp_sink.envelopes == [("a@example.com", ["ann@example.com"])]
