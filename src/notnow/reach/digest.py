"""The morning mail: the day's agenda, ripest first, each with its why — and the managers'
weekly note.

* `compose_daily` turns agenda rows (``services.followups.item.AgendaItem``, as the agenda service
  returns them for the person) into a short mail: plain text and HTML, one column, large type,
  readable on a phone.
* `compose_weekly` turns the figures given to it (who is pestering, who gives up early, what
  came back) into the manager's note.
* `due_at` says when a person's next mail is due: their chosen local time in their IANA zone,
  on a local day that has had none yet. Daylight-saving days are handled by `zoneinfo`: a time
  that does not exist that day (the spring jump) is sent as if the clock had not jumped (02:30
  becomes 03:30), a time that happens twice (the autumn fall-back) is sent at its first
  occurrence, and never twice — ``digest_log`` has one row per person, kind and local date,
  unique in the database, taken before the mail is sent.
* `send_due` sends whatever is due now; the worker runs it every few minutes (phase 2).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from notnow.errors import InvalidInput, NotnowError
from notnow.reach.smtp import SmtpConfig, send
from notnow.settings import check_timezone
from notnow.storage.engine import Database
from notnow.storage.tables import DigestLog, DigestPref, User

DAILY, WEEKLY = "daily", "weekly"
GRACE = timedelta(hours=4)
"""A mail that could not go at its time (the worker was down) still goes this much later;
after that the day is skipped rather than arriving in the afternoon."""
MAX_ITEMS = 25


class AgendaRow(Protocol):
    """What the digest reads of an agenda row (``services.followups.item.AgendaItem`` has it)."""

    @property
    def followup_id(self) -> int: ...
    @property
    def due(self) -> date: ...
    @property
    def overdue_days(self) -> int: ...
    @property
    def contact_name(self) -> str: ...
    @property
    def account_name(self) -> str: ...
    @property
    def channel(self) -> Any: ...
    @property
    def purpose(self) -> str: ...
    @property
    def why(self) -> str | None: ...
    @property
    def score(self) -> float | None: ...
    @property
    def ripeness(self) -> str | None: ...


# --- preferences ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestPrefs:
    user_id: int
    enabled: bool = False
    send_at: time = time(7, 30)
    timezone: str = "UTC"
    weekly_note: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"user_id": self.user_id, "enabled": self.enabled,
                "send_at": self.send_at.strftime("%H:%M"), "timezone": self.timezone,
                "weekly_note": self.weekly_note}


def parse_send_at(value: str) -> time:
    try:
        hours, minutes = value.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise InvalidInput(f"{value!r} is not a time of day: use HH:MM, e.g. 07:30",
                           field="send_at") from None


def load_prefs(db: Database, user_id: int) -> DigestPrefs:
    with db.read() as s:
        row = s.get(DigestPref, user_id)
        if row is None:
            return DigestPrefs(user_id)
        return DigestPrefs(user_id, row.enabled, parse_send_at(row.send_at), row.timezone,
                           row.weekly_note)


def save_prefs(db: Database, user_id: int, now: datetime, *, enabled: bool | None = None,
               send_at: str | time | None = None, timezone: str | None = None,
               weekly_note: bool | None = None) -> DigestPrefs:
    """Change what is given, keep the rest (opt-in: off until turned on)."""
    if isinstance(send_at, str):
        send_at = parse_send_at(send_at)
    if timezone is not None:
        check_timezone(timezone, field="timezone")
    with db.write() as s:
        row = s.get(DigestPref, user_id)
        if row is None:
            row = DigestPref(user_id=user_id, enabled=False, send_at="07:30", timezone="UTC",
                             weekly_note=False, updated_at=now)
            s.add(row)
        if enabled is not None:
            row.enabled = enabled
        if send_at is not None:
            row.send_at = send_at.strftime("%H:%M")
        if timezone is not None:
            row.timezone = timezone
        if weekly_note is not None:
            row.weekly_note = weekly_note
        row.updated_at = now
        s.flush()
        return DigestPrefs(user_id, row.enabled, parse_send_at(row.send_at), row.timezone,
                           row.weekly_note)


# --- when -------------------------------------------------------------------------------------


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The instant (UTC) of a local day and time: first occurrence of a repeated time, and a
    skipped time read with the offset before the jump."""
    return datetime.combine(day, at, tzinfo=zone).replace(fold=0).astimezone(UTC)


def due_at(send_at: time, timezone: str, now: datetime, *, last_local_date: date | None,
           weekday: int | None = None, grace: timedelta = GRACE) -> datetime:
    """When the next mail is due (UTC): the first local day after ``last_local_date`` (and on
    ``weekday``, 0 = Monday, for the weekly note) whose slot is not more than ``grace`` ago."""
    zone = ZoneInfo(timezone)
    day = now.astimezone(zone).date() - timedelta(days=1)
    for _ in range(16):
        if (last_local_date is None or day > last_local_date) and (
                weekday is None or day.weekday() == weekday):
            slot = local_instant(day, send_at, zone)
            if slot + grace >= now:
                return slot
        day += timedelta(days=1)
    raise AssertionError("unreachable: a slot is always found within two weeks")


# --- composing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str

    def message(self, *, to: str, to_name: str | None = None,
                sender: str | None = None) -> EmailMessage:
        msg = EmailMessage()
        msg["Subject"] = self.subject
        msg["To"] = formataddr((to_name or "", to))
        if sender:
            msg["From"] = sender
        msg["Message-ID"] = make_msgid(domain="notnow.local")
        msg["Auto-Submitted"] = "auto-generated"  # no auto-replies to a digest
        msg.set_content(self.text)
        msg.add_alternative(self.html, subtype="html")
        return msg


def ripest_first(items: Sequence[AgendaRow]) -> list[AgendaRow]:
    """Highest ripeness first; unscored rows after, the longest overdue first."""
    return sorted(items, key=lambda i: (i.score is None, -(i.score or 0.0), -i.overdue_days,
                                        i.due, i.followup_id))


def _channel(item: AgendaRow) -> str:
    value = getattr(item.channel, "value", item.channel)
    return str(value).replace("_", " ")


def _when(item: AgendaRow) -> str:
    if item.overdue_days > 0:
        return f"{item.overdue_days} day{'s' if item.overdue_days != 1 else ''} overdue"
    return "today"


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head>
<body style="margin:0;padding:0;background:#f6f6f4;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f6f6f4;">
<tr><td align="center" style="padding:16px 8px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"
 style="max-width:600px;background:#ffffff;border-radius:8px;font-family:-apple-system,
 'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f2328;">
<tr><td style="padding:20px 20px 8px 20px;">
<h1 style="margin:0 0 4px 0;font-size:22px;line-height:1.3;">{title}</h1>
<p style="margin:0;color:#57606a;">{intro}</p></td></tr>
{rows}
<tr><td style="padding:16px 20px 20px 20px;color:#57606a;font-size:13px;">{footer}</td></tr>
</table></td></tr></table></body></html>
"""


def _row_html(n: int, item: AgendaRow, link: str | None) -> str:
    e = html.escape
    who = f"{e(item.contact_name)} <span style=\"color:#57606a;\">· {e(item.account_name)}</span>"
    lines = [f'<div style="font-weight:600;font-size:17px;">{n}. {who}</div>',
             f"<div>{e(_channel(item).capitalize())} — {e(item.purpose)} "
             f'<span style="color:#57606a;">({e(_when(item))})</span></div>']
    if item.why:
        lines.append(f'<div style="color:#1f2328;"><b>Why:</b> {e(item.why)}</div>')
    if item.ripeness:
        lines.append(f'<div style="color:#57606a;font-size:14px;">{e(item.ripeness)}</div>')
    if link:
        lines.append(f'<div style="margin-top:6px;"><a href="{e(link, quote=True)}" '
                     'style="display:inline-block;padding:8px 14px;border-radius:6px;'
                     'background:#1f6feb;color:#ffffff;text-decoration:none;">Open</a></div>')
    body = "\n".join(lines)
    return (f'<tr><td style="padding:12px 20px;border-top:1px solid #eaeef2;">{body}'
            "</td></tr>")


def compose_daily(items: Sequence[AgendaRow], *, person: str, day: date,
                  app_url: str | None = None, limit: int = MAX_ITEMS) -> Mail | None:
    """The morning mail, or None on a day with nothing due (no empty mails)."""
    if not items:
        return None
    ranked = ripest_first(items)
    shown, more = ranked[:limit], len(ranked) - limit
    n = len(ranked)
    title = f"Your {n} follow-up{'s' if n != 1 else ''} for {day:%A} {day.day} {day:%B}"
    intro = f"Good morning, {person}. Ripest first, each with the reason it is due now."
    text_lines = [title, "", intro, ""]
    for i, item in enumerate(shown, 1):
        text_lines.append(f"{i}. {item.contact_name} · {item.account_name}")
        text_lines.append(f"   {_channel(item).capitalize()} — {item.purpose} ({_when(item)})")
        if item.why:
            text_lines.append(f"   Why: {item.why}")
        if item.ripeness:
            text_lines.append(f"   {item.ripeness}")
        if app_url:
            text_lines.append(f"   {app_url.rstrip('/')}/followups/{item.followup_id}")
        text_lines.append("")
    footer = (f"…and {more} more in your agenda. " if more > 0 else "") + \
        "You get this mail because you turned on the morning mail in notnow's settings."
    text_lines.append(footer)
    rows = "\n".join(_row_html(i, item, f"{app_url.rstrip('/')}/followups/{item.followup_id}"
                               if app_url else None) for i, item in enumerate(shown, 1))
    page = _PAGE.format(title=html.escape(title), intro=html.escape(intro), rows=rows,
                        footer=html.escape(footer))
    return Mail(f"notnow: {n} follow-up{'s' if n != 1 else ''} today", "\n".join(text_lines),
                page)


@dataclass(frozen=True)
class PersonFigure:
    """One salesperson in a weekly list, with the count that put them there."""

    name: str
    count: int
    detail: str | None = None


@dataclass(frozen=True)
class CameBack:
    """A prospect who said no and came back this week."""

    contact: str
    account: str
    said: str  # the label of their no, e.g. not_now
    days_after_no: int
    outcome: str  # e.g. "won", "replied", "meeting booked"


@dataclass(frozen=True)
class WeeklyFigures:
    team: str
    week_start: date
    pestering: Sequence[PersonFigure] = field(default_factory=tuple)
    giving_up_early: Sequence[PersonFigure] = field(default_factory=tuple)
    came_back: Sequence[CameBack] = field(default_factory=tuple)
    nos_logged: int = 0
    followups_done: int = 0


def compose_weekly(figures: WeeklyFigures, *, manager: str) -> Mail:
    """The manager's weekly note, from figures computed elsewhere (analytics)."""
    e = html.escape
    week = f"{figures.week_start.day} {figures.week_start:%B %Y}"
    title = f"{figures.team}: the week of {week}"
    sections: list[tuple[str, list[str], str]] = []
    sections.append(("Pestering — touches the caps refused or that came too close together",
                     [f"{p.name}: {p.count}" + (f" ({p.detail})" if p.detail else "")
                      for p in figures.pestering], "Nobody pushed too hard. Good."))
    sections.append(("Giving up early — silence taken for a no before enough attempts",
                     [f"{p.name}: {p.count}" + (f" ({p.detail})" if p.detail else "")
                      for p in figures.giving_up_early], "Nobody gave up too soon."))
    sections.append(("What came back — a no that turned into something",
                     [f"{c.contact} · {c.account}: {c.outcome}, {c.days_after_no} days after "
                      f"“{c.said.replace('_', ' ')}”" for c in figures.came_back],
                     "Nothing came back this week — the check-backs are still running."))
    summary = (f"{figures.nos_logged} no{'s' if figures.nos_logged != 1 else ''} logged, "
               f"{figures.followups_done} follow-up{'s' if figures.followups_done != 1 else ''}"
               " done.")
    text = [title, "", f"Hello {manager}. {summary}", ""]
    rows: list[str] = []
    for heading, lines, empty in sections:
        text += [heading, *(f"- {line}" for line in lines or [empty]), ""]
        items = "".join(f"<li style=\"margin:2px 0;\">{e(line)}</li>" for line in lines)
        body = (f'<ul style="margin:4px 0 0 0;padding-left:20px;">{items}</ul>' if lines
                else f'<p style="margin:4px 0 0 0;color:#57606a;">{e(empty)}</p>')
        rows.append(f'<tr><td style="padding:12px 20px;border-top:1px solid #eaeef2;">'
                    f'<div style="font-weight:600;">{e(heading)}</div>{body}</td></tr>')
    footer = "You get this note because you turned on the weekly note in notnow's settings."
    text.append(footer)
    page = _PAGE.format(title=e(title), intro=e(f"Hello {manager}. {summary}"),
                        rows="\n".join(rows), footer=e(footer))
    return Mail(f"notnow weekly: {figures.team}", "\n".join(text), page)


# --- sending what is due ----------------------------------------------------------------------

AgendaSource = Callable[[int, date], Sequence[AgendaRow]]
"""The agenda a person may see for a local day (phase 2: the agenda service, as that person)."""
WeeklySource = Callable[[int, date], WeeklyFigures | None]
"""A manager's figures for the week starting on a Monday (phase 2: analytics, as that person)."""


@dataclass(frozen=True)
class DigestReport:
    sent: int = 0
    empty: int = 0
    failed: int = 0
    errors: tuple[str, ...] = ()


def _last_date(db: Database, user_id: int, kind: str) -> date | None:
    with db.read() as s:
        return s.scalar(select(func.max(DigestLog.local_date)).where(
            DigestLog.user_id == user_id, DigestLog.kind == kind,
            DigestLog.status.in_(("sending", "sent", "empty"))))


def _claim(db: Database, user_id: int, kind: str, local_date: date, now: datetime) -> bool:
    """Take the (person, kind, day) slot before sending; False if it is taken (sent, or being
    sent by another worker). A failed attempt can be taken again."""
    try:
        with db.write() as s:
            retried = s.execute(
                update(DigestLog).where(DigestLog.user_id == user_id, DigestLog.kind == kind,
                                        DigestLog.local_date == local_date,
                                        DigestLog.status == "failed")
                .values(status="sending", attempted_at=now, error=None))
            if retried.rowcount:  # type: ignore[attr-defined]
                return True
            s.add(DigestLog(user_id=user_id, kind=kind, local_date=local_date, status="sending",
                            items=0, attempted_at=now))
        return True
    except IntegrityError:
        return False


def _finish(db: Database, user_id: int, kind: str, local_date: date, *, status: str,
            items: int, now: datetime, error: str | None = None) -> None:
    with db.write() as s:
        s.execute(update(DigestLog).where(
            DigestLog.user_id == user_id, DigestLog.kind == kind,
            DigestLog.local_date == local_date).values(
            status=status, items=items, error=error,
            sent_at=now if status == "sent" else None))


def send_due(db: Database, *, now: datetime, smtp: SmtpConfig, environ: Mapping[str, str],
             agenda_for: AgendaSource, weekly_for: WeeklySource | None = None,
             app_url: str | None = None) -> DigestReport:
    """Send every morning mail and weekly note that is due now, each at most once a day (or
    week). A failure is logged and retried at the next run within the grace period."""
    with db.read() as s:
        people = s.execute(select(DigestPref.user_id, DigestPref.send_at, DigestPref.timezone,
                                  DigestPref.weekly_note, User.name, User.email).join(
            User, User.id == DigestPref.user_id).where(
            DigestPref.enabled.is_(True), User.active.is_(True))).all()
    counts = {"sent": 0, "empty": 0, "failed": 0}
    errors: list[str] = []
    for user_id, send_at, zone, weekly_note, name, email in people:
        if not email:
            continue
        at = parse_send_at(send_at)
        jobs: list[tuple[str, int | None]] = [(DAILY, None)]
        if weekly_note and weekly_for is not None:
            jobs.append((WEEKLY, 0))
        for kind, weekday in jobs:
            slot = due_at(at, zone, now, last_local_date=_last_date(db, user_id, kind),
                          weekday=weekday)
            if slot > now:
                continue
            local_date = slot.astimezone(ZoneInfo(zone)).date()
            if not _claim(db, user_id, kind, local_date, now):
                continue
            try:
                mail: Mail | None
                if kind == DAILY:
                    rows = agenda_for(user_id, local_date)
                    mail, size = compose_daily(rows, person=name, day=local_date,
                                               app_url=app_url), len(rows)
                else:
                    assert weekly_for is not None
                    figures = weekly_for(user_id, local_date)
                    mail = compose_weekly(figures, manager=name) if figures else None
                    size = len(figures.came_back) if figures else 0
                if mail is None:
                    _finish(db, user_id, kind, local_date, status="empty", items=0, now=now)
                    counts["empty"] += 1
                    continue
                send(smtp, [mail.message(to=email, to_name=name, sender=smtp.from_address)],
                     environ=environ)
            except NotnowError as exc:
                _finish(db, user_id, kind, local_date, status="failed", items=0, now=now,
                        error=exc.message)
                counts["failed"] += 1
                errors.append(f"{name}: {exc.message}")
                continue
            except Exception as exc:  # a bug: free the day for a retry, let the worker see it
                _finish(db, user_id, kind, local_date, status="failed", items=0, now=now,
                        error=f"unexpected error: {type(exc).__name__}")
                raise
            _finish(db, user_id, kind, local_date, status="sent", items=size, now=now)
            counts["sent"] += 1
    return DigestReport(counts["sent"], counts["empty"], counts["failed"], tuple(errors))
