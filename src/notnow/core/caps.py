"""Frequency caps, quiet periods and do-not-contact: what makes pestering impossible.

Every outbound touch counts, manual ones included, and so does every follow-up still planned
(due or snoozed): a schedule that respects the caps stays within them when it is carried out.
The rules, in the order they are checked:

1. **Do-not-contact** is absolute: :class:`~notnow.errors.DoNotContact` naming when, why and
   where the opt-out came from. Nothing is scheduled either for a contact *held* while a
   possible opt-out waits for a decision (:func:`ensure_schedulable`).
2. **Quiet periods** (settings): no touch at all inside one.
3. **Contact caps** and, after a soft no, the **nurture cap** (1 touch per 30 days by default):
   no window of that many consecutive days holds more touches than allowed. The nurture cap
   does not count an answer to the prospect's own message (the thank-you after their no:
   :attr:`~notnow.core.model.TouchFacts.reply`); the contact caps count every touch.
4. **Account caps**: the same over all contacts of the account.
5. **No two unanswered touches in a row on the same channel** for one contact.

A broken cap raises :class:`~notnow.errors.CapExceeded` saying which cap and when the next
touch is allowed. Days are the contact's local days (contact, else account time zone).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from notnow.core.businessdays import is_business_day
from notnow.core.labels import is_rejection
from notnow.core.model import (
    AccountFacts,
    Channel,
    ContactFacts,
    Direction,
    FollowUpStatus,
    History,
    Label,
    RejectionFacts,
    TouchFacts,
)
from notnow.core.playbook import Settings, Window
from notnow.errors import CapExceeded, ContactHeld, DoNotContact

NOT_SOFT: frozenset[Label] = frozenset({Label.DO_NOT_CONTACT, Label.GATEKEEPER,
                                        Label.WRONG_PERSON})
"""Rejections that are not the prospect's own soft no (an opt-out, or a routing answer)."""

PERSONAL_CAPS: frozenset[str] = frozenset({"contact", "nurture"})
"""The caps that count one contact's own touches (the contact caps and the nurture cap): what
the loss report calls a cap hit (:func:`touches_over_caps`)."""

PLANNED: frozenset[FollowUpStatus] = frozenset({FollowUpStatus.DUE, FollowUpStatus.SNOOZED})

SEARCH_DAYS = 3 * 366
"""How far ahead :func:`earliest_allowed` looks before giving up."""


def zone_of(contact: ContactFacts, account: AccountFacts | None = None) -> ZoneInfo:
    """The contact's time zone: their own, else the account's, else UTC."""
    for name in (contact.timezone, account.timezone if account else None):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def local_day(when: datetime | date, zone: ZoneInfo) -> date:
    if isinstance(when, datetime):
        aware = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
        return aware.astimezone(zone).date()
    return when


def ensure_contactable(contact: ContactFacts, action: str = "contact", *,
                       at: datetime | None = None) -> None:
    """Raise :class:`DoNotContact` if the contact opted out.

    ``at`` is when a touch happened, for a touch being recorded: one made before the opt-out
    is history and may be recorded (a call logged the day after); any other is refused.
    Without ``at`` (scheduling, drafting, touching now) an opt-out refuses everything."""
    if contact.dnc is not None:
        mark = contact.dnc
        if at is not None and _aware(at) < _aware(mark.since):
            return
        raise DoNotContact(contact.name, since=mark.since.date().isoformat(),
                           reason=mark.reason, source=mark.source.value, action=action)


def channel_closed(contact: ContactFacts, channel: Channel) -> str | None:
    """Why nothing can reach ``contact`` on ``channel`` at all, if so: email to an address
    that bounced for good. The one check: planning tries another channel."""
    if channel == Channel.EMAIL and contact.email_bounced:
        return f"email to {contact.name} bounced (the address is not deliverable)"
    return None


def ensure_schedulable(contact: ContactFacts, action: str = "schedule a follow-up") -> None:
    """Raise if nothing may be scheduled for the contact: :class:`DoNotContact` when they opted
    out, :class:`ContactHeld` while a possible opt-out waits for a person's decision.

    The one rule for follow-ups (a touch that happened is checked by
    :func:`ensure_contactable` only); storage's guards and triggers say the same."""
    ensure_contactable(contact, action=action)
    if contact.hold is not None:
        raise ContactHeld(contact.name, reason=contact.hold, action=action)


def is_soft_no(label: Label) -> bool:
    """A rejection that is the prospect's own soft no: it brings the nurture cap."""
    return is_rejection(label) and label not in NOT_SOFT


def latest_soft_no(history: History, contact_id: int) -> RejectionFacts | None:
    """The contact's latest rejection (by time, then id) if it is a soft no (then the nurture
    cap applies). A later answer — an opt-out, interest — lifts it; an out-of-office reply is
    not an answer: it neither starts nor lifts the nurture cap."""
    own = [r for r in history.rejections
           if r.contact_id == contact_id and r.label != Label.AUTO_REPLY]
    if not own:
        return None
    last = max(own, key=lambda r: (r.at, r.id))
    return last if is_soft_no(last.label) else None


@dataclass(frozen=True, slots=True)
class _Cap:
    name: str
    kind: str  # "contact", "nurture" or "account"
    window: Window
    days: tuple[date, ...]  # sorted touch days the cap counts

    def broken_by(self, day: date) -> bool:
        """Would one more touch on ``day`` put more than allowed in some window?"""
        span = timedelta(days=self.window.days - 1)
        first = day - span
        # Of the windows holding ``day``, the fullest either starts at the earliest possible day
        # or ends on a touch: moving a window left only loses the touch at its right end.
        later = self.days[bisect_left(self.days, day):bisect_right(self.days, day + span)]
        for start in (first, *(t - span for t in later)):
            count = bisect_right(self.days, start + span) - bisect_left(self.days, start)
            if count >= self.window.touches:
                return True
        return False

    def skip_from(self, day: date) -> date:
        """The day after the furthest-reaching full window that holds ``day`` (every day up to
        it is forbidden by this cap), or simply the next day.

        Forbidden days are the union of full windows. Of the full windows holding ``day``, the
        one reaching furthest right starts on ``day`` itself or on a touch (sliding a full
        window right keeps it full until its oldest touch leaves).
        """
        span = timedelta(days=self.window.days - 1)
        lo, hi = bisect_left(self.days, day - span), bisect_right(self.days, day)
        for start in (day, *reversed(self.days[lo:hi])):
            count = bisect_right(self.days, start + span) - bisect_left(self.days, start)
            if count >= self.window.touches:
                return start + span + timedelta(days=1)
        return day + timedelta(days=1)


def _without(days: tuple[date, ...], gone: list[date]) -> tuple[date, ...]:
    """``days`` (sorted) less one occurrence of each day in ``gone``."""
    if not gone:
        return days
    left = list(days)
    for day in gone:
        left.remove(day)
    return tuple(left)


def _range(first: date, last: date) -> Iterable[date]:
    while first <= last:
        yield first
        first += timedelta(days=1)


class Ledger:
    """The touches (done and planned) that the caps count, for one contact and its account.

    With ``reply``, the touch being placed answers the prospect's own message: the nurture cap
    does not apply to it (the contact and account caps do)."""

    def __init__(self, contact: ContactFacts, account: AccountFacts, history: History,
                 settings: Settings, *, reply: bool = False) -> None:
        self.contact = contact
        self.account = account
        self.settings = settings
        self.zone = zone_of(contact, account)
        own: list[tuple[date, Channel]] = []
        planned: set[tuple[date, Channel]] = set()
        replies: list[date] = []  # answers to their own message: not nurture
        account_days: list[date] = []
        for t in history.touches:
            if t.direction != Direction.OUTBOUND:
                continue
            day = local_day(t.at, self.zone)
            if t.contact_id == contact.id:
                own.append((day, t.channel))
                if t.reply:
                    replies.append(day)
            if t.account_id == account.id:
                account_days.append(day)
        for f in history.followups:
            if f.status not in PLANNED:
                continue
            if f.contact_id == contact.id:
                own.append((f.due, f.channel))
                planned.add((f.due, f.channel))
                if f.reply:
                    replies.append(f.due)
            if f.account_id == account.id or (f.account_id is None and f.contact_id == contact.id):
                account_days.append(f.due)
        self.sequence = sorted(own)
        self.planned = frozenset(planned)  # not done yet: no answer known can reply to them
        self.answers = sorted(
            [local_day(t.at, self.zone) for t in history.touches
             if t.direction == Direction.INBOUND and t.contact_id == contact.id]
            + [local_day(s.at, self.zone) for s in history.signals
               if s.active and s.contact_id in (contact.id, None)]
            + [local_day(r.at, self.zone) for r in history.rejections
               if r.contact_id == contact.id]  # a no is an answer too
        )
        own_days = tuple(d for d, _ in self.sequence)
        caps = [_Cap(f"contact cap ({w.touches} per {w.days} days)", "contact", w, own_days)
                for w in settings.contact_caps]
        if not reply and latest_soft_no(history, contact.id) is not None:
            nurture = Window(touches=settings.nurture.touches, days=settings.nurture.per_days)
            caps.append(_Cap(f"nurture cap after a soft no ({nurture.touches} per "
                             f"{nurture.days} days)", "nurture", nurture,
                             _without(own_days, replies)))
        caps += [_Cap(f"account cap ({w.touches} per {w.days} days at {account.name})",
                      "account", w,
                      tuple(sorted(account_days))) for w in settings.account_caps]
        self.caps = tuple(caps)
        self._verdicts: dict[date, str | None] = {}

    def time_problem(self, day: date) -> str | None:
        """Why a touch on ``day`` breaks a quiet period or a cap, if it does."""
        if day not in self._verdicts:
            quiet = self.settings.quiet_period_on(day)
            self._verdicts[day] = (
                f"quiet period '{quiet.name}' ({quiet.start} to {quiet.end})" if quiet
                else next((c.name for c in self.caps if c.broken_by(day)), None))
        return self._verdicts[day]

    def cap_problem(self, day: date, kinds: frozenset[str] = PERSONAL_CAPS) -> str | None:
        """The first cap of ``kinds`` that one more touch on ``day`` would break, if any."""
        return next((c.name for c in self.caps if c.kind in kinds and c.broken_by(day)), None)

    def skip(self, day: date) -> date:
        """The next day worth trying after a quiet period or a cap forbade ``day``."""
        quiet = self.settings.quiet_period_on(day)
        if quiet is not None:
            return quiet.last_day(day) + timedelta(days=1)
        return max([day + timedelta(days=1)]
                   + [c.skip_from(day) for c in self.caps if c.broken_by(day)])

    def channel_problem(self, day: date, channel: Channel) -> str | None:
        """Why ``channel`` on ``day`` would be a second unanswered touch in a row (or cannot
        reach the contact at all: :func:`channel_closed`), if it is."""
        closed = channel_closed(self.contact, channel)
        if closed is not None:
            return closed
        if not self.settings.nurture.no_unanswered_repeat:
            return None
        i = bisect_right(self.sequence, (day, channel))
        before = self.sequence[:i]
        if before:
            prev_day, prev_channel = before[-1]
            # An answer on the day of a touch that was made answers it; one that is only
            # planned (like the touch being checked) can be answered only later.
            since = prev_day + timedelta(days=1) if before[-1] in self.planned else prev_day
            answered = bisect_right(self.answers, day) > bisect_left(self.answers, since)
            if prev_channel == channel and not answered:
                return (f"the {channel.value} touch of {prev_day.isoformat()} is unanswered: "
                        "use another channel")
        after = [(d, c) for d, c in self.sequence[i:] if d > day or c != channel]
        answered = bool(after) and (bisect_right(self.answers, after[0][0])
                                    > bisect_right(self.answers, day))
        if after and after[0][1] == channel and not answered:
            return (f"a {channel.value} touch is planned for {after[0][0].isoformat()}: "
                    "use another channel")
        return None

    def next_change(self, day: date) -> date | None:
        """The first day after ``day`` with a touch or an answer: only there can the
        same-channel rule give another verdict."""
        i = bisect_right(self.sequence, (day, max(Channel)))
        if i and self.sequence[i - 1][0] == day:
            return day + timedelta(days=1)  # the same-day touch is behind us tomorrow
        j = bisect_right(self.answers, day)
        found = [d for d in (self.sequence[i][0] if i < len(self.sequence) else None,
                             self.answers[j] if j < len(self.answers) else None) if d]
        return min(found) if found else None

    def next_free_day(self, after: date) -> date | None:
        """The first day after ``after`` that no quiet period or cap forbids."""
        for day in _range(after + timedelta(days=1), after + timedelta(days=SEARCH_DAYS)):
            if self.time_problem(day) is None:
                return day
        return None


def check_touch_allowed(contact: ContactFacts, account: AccountFacts, when: datetime | date,
                        channel: Channel, history: History, settings: Settings, *,
                        reply: bool = False) -> None:
    """Raise if a touch to ``contact`` on ``channel`` at ``when`` is not allowed.

    ``when`` is a day for what is planned, a moment for a touch being recorded (one made
    before an opt-out is history: see :func:`ensure_contactable`).

    ``history`` holds the account's outbound and inbound touches, signals, the contact's
    rejections, and the follow-ups still planned; each counts where its ids say. ``reply``:
    the touch answers the prospect's own message (see :class:`Ledger`).
    """
    ensure_contactable(contact, action=f"touch by {channel.value}",
                       at=when if isinstance(when, datetime) else None)
    ledger = Ledger(contact, account, history, settings, reply=reply)
    day = local_day(when, ledger.zone)
    problem = ledger.time_problem(day)
    if problem is not None:
        nxt = ledger.next_free_day(day)
        hint = f"next touch allowed on {nxt.isoformat()}" if nxt else "no touch allowed soon"
        raise CapExceeded(f"{contact.name} on {day.isoformat()}: {problem}; {hint}",
                          cap=problem, next_allowed=nxt.isoformat() if nxt else None)
    problem = ledger.channel_problem(day, channel)
    if problem is not None:
        raise CapExceeded(f"{contact.name} on {day.isoformat()}: {problem}",
                          cap="same channel unanswered", channel=channel.value)


def earliest_allowed(contact: ContactFacts, account: AccountFacts, after: date,
                     channel: Channel, history: History, settings: Settings,
                     *, ledger: Ledger | None = None, until: date | None = None) -> date:
    """The first business day on or after ``after`` when a touch on ``channel`` is allowed.

    Business days and public holidays are the account's country's. Raises
    :class:`DoNotContact` for an opted-out contact, :class:`CapExceeded` if no day within
    three years (or by ``until``) would do — e.g. the channel waits for an answer.
    """
    ensure_contactable(contact, action=f"schedule a {channel.value} touch")
    closed = channel_closed(contact, channel)
    if closed is not None:
        raise CapExceeded(f"cannot schedule for {contact.name}: {closed}", cap="bounced",
                          channel=channel.value)
    book = ledger if ledger is not None else Ledger(contact, account, history, settings)
    if not any(d >= after for d, _ in book.sequence):
        blocked = book.channel_problem(after, channel)
        if blocked is not None:  # nothing later can change it: only an answer would
            raise CapExceeded(f"cannot schedule for {contact.name}: {blocked}",
                              cap="same channel unanswered", channel=channel.value)
    last = after + timedelta(days=SEARCH_DAYS)
    if until is not None:
        last = min(last, until)
    day = after
    while day <= last:
        if not is_business_day(day, account.country):
            day += timedelta(days=1)
        elif book.time_problem(day) is not None:
            day = book.skip(day)
        elif book.channel_problem(day, channel) is not None:
            change = book.next_change(day)
            if change is None:
                break  # only an answer could lift it, and answers are not scheduled
            day = change
        else:
            return day
    raise CapExceeded(f"no day up to {last.isoformat()} allows a {channel.value} touch to "
                      f"{contact.name}: {book.channel_problem(after, channel) or 'caps'}",
                      cap="no free day", channel=channel.value)


@dataclass(frozen=True, slots=True)
class TouchVerdict:
    """What the rules said of one outbound touch when it was made."""

    touch: TouchFacts
    day: date  # the contact's local day
    opted_out: bool  # made at or after the contact's opt-out (:func:`ensure_contactable`)
    cap: str | None  # the contact or nurture cap it broke (None: within them, or opted out)


def touches_over_caps(contact: ContactFacts, account: AccountFacts, history: History,
                      settings: Settings) -> list[TouchVerdict]:
    """Replay the contact's outbound touches in the order they were made — by time, then id —
    and say of each what the caps said when it was made: the readable rule the loss report's
    cap hits are pinned to.

    A touch is judged by :class:`Ledger` over what came before it: the contact's earlier
    outbound touches (replies count for the contact caps, not the nurture cap; a reply itself
    is not held to the nurture cap), and the rejections made strictly before it (the nurture
    cap applies when the latest of them is a soft no: :func:`latest_soft_no`). Days are the
    contact's local days. A touch at or after an opt-out is not a cap hit: it should not have
    happened at all (``opted_out``). Only the caps on the contact's own touches count
    (:data:`PERSONAL_CAPS`): account caps and quiet periods are the team's calendar, not one
    person's pestering; follow-ups planned at the time are not history and do not count.
    """
    own = sorted((t for t in history.touches
                  if t.contact_id == contact.id and t.direction == Direction.OUTBOUND),
                 key=lambda t: (_aware(t.at), t.id or 0))
    said = [r for r in history.rejections if r.contact_id == contact.id]
    zone = zone_of(contact, account)
    out: list[TouchVerdict] = []
    for i, touch in enumerate(own):
        at = _aware(touch.at)
        day = local_day(at, zone)
        if contact.dnc is not None and at >= _aware(contact.dnc.since):
            out.append(TouchVerdict(touch, day, True, None))
            continue
        before = History(touches=tuple(own[:i]),
                         rejections=tuple(r for r in said if _aware(r.at) < at))
        ledger = Ledger(contact, account, before, settings, reply=touch.reply)
        out.append(TouchVerdict(touch, day, False, ledger.cap_problem(day)))
    return out
