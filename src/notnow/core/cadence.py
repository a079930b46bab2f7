"""The follow-up engine: attempts, silence, pace, pauses, and the follow-up state machine.

* **Attempts** are outbound touches to a contact since their last answer; the **silence rule**
  says no reply is not a rejection before N attempts across M channels (9 across 3 by default).
* The **prospecting cadence** (settings) picks the next channel and gap; gaps lengthen as
  passive signals pile up and shorten on active ones (:func:`pace`), never below the caps.
* Every touch lands on a business day of the contact's country, outside quiet periods and
  caps (:func:`notnow.core.caps.earliest_allowed`), and after an out-of-office return date.
* A competitor's renewal gets a check-back some weeks **before** it falls.
* A gatekeeper gets several friendly conversations before the account is re-routed.
* Follow-ups move through a small state machine: done, snooze, skip, reschedule, cancel.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from notnow.core.businessdays import add_business_days, next_business_day, previous_business_day
from notnow.core.caps import Ledger, earliest_allowed, ensure_contactable, local_day, zone_of
from notnow.core.model import (
    AccountFacts,
    Channel,
    ContactFacts,
    Direction,
    FollowUpFacts,
    FollowUpStatus,
    History,
    Label,
    SignalFacts,
    TouchFacts,
)
from notnow.core.playbook import Nurture, Settings
from notnow.errors import Conflict, InvalidInput

# ------------------------------------------------------------------------------------------
# Attempts and the silence rule
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attempts:
    """Outbound touches to one contact since their last answer."""

    count: int
    channels: frozenset[Channel]
    last: date | None

    def silence_means_no(self, settings: Settings) -> bool:
        """True only after enough attempts across enough channels (the silence rule)."""
        return silence_means_no(self.count, len(self.channels), settings)

    def explain_silence(self, settings: Settings) -> str:
        rule = settings.silence
        if self.silence_means_no(settings):
            return (f"{self.count} attempts across {len(self.channels)} channels without an "
                    "answer: silence may now be read as a no")
        return (f"{self.count} of {rule.attempts} attempts across {len(self.channels)} of "
                f"{rule.channels} channels: silence is not a rejection yet")


def silence_means_no(attempts: int, channels: int, settings: Settings) -> bool:
    """The silence rule, the one place it is decided: no answer is not a rejection before
    ``settings.silence.attempts`` attempts across ``settings.silence.channels`` channels since
    the last answer. The follow-up engine (:meth:`Attempts.silence_means_no`) and the loss
    report (silent past the rule, giving up early) both ask it."""
    rule = settings.silence
    return attempts >= rule.attempts and channels >= rule.channels


def attempts(history: History, contact: ContactFacts,
             account: AccountFacts | None = None) -> Attempts:
    """Outbound touches since the contact's last inbound one (touches in time, then id,
    order)."""
    zone = zone_of(contact, account)
    own = sorted((t for t in history.touches if t.contact_id == contact.id),
                 key=lambda t: (t.at, t.id or 0))
    since_answer: list[TouchFacts] = []
    for touch in own:
        if touch.direction == Direction.INBOUND:
            since_answer = []
        else:
            since_answer.append(touch)
    return Attempts(
        count=len(since_answer),
        channels=frozenset(t.channel for t in since_answer),
        last=local_day(since_answer[-1].at, zone) if since_answer else None,
    )


# ------------------------------------------------------------------------------------------
# Pace: back off on passive signals, lean in on active ones
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pace:
    factor: float
    active: int
    passive: int

    def stretch(self, days: int) -> int:
        return max(0, round(days * self.factor))

    @property
    def why(self) -> str:
        if self.factor == 1:
            return "normal pace"
        word = "longer" if self.factor > 1 else "shorter"
        return (f"gaps x{self.factor:.2f} ({word}): {self.active} active and "
                f"{self.passive} passive signals lately")


def pace(signals: tuple[SignalFacts, ...], today: date, nurture: Nurture) -> Pace:
    """How much to stretch gaps: passive signals lengthen them, active ones shorten them."""
    since = today - timedelta(days=nurture.signal_window_days)
    recent = [s for s in signals if since <= s.at.date() <= today]
    active = sum(1 for s in recent if s.active)
    passive = len(recent) - active
    slower = min(nurture.backoff_max, 1 + passive * nurture.backoff_per_passive)
    faster = max(nurture.speedup_floor, 1 - active * nurture.speedup_per_active)
    return Pace(factor=round(slower * faster, 4), active=active, passive=passive)


# ------------------------------------------------------------------------------------------
# Scheduling the next touch
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NextTouch:
    day: date
    channel: Channel
    attempt: int  # 1-based number of this attempt
    why: str


def paused_until(history: History, contact_id: int) -> date | None:
    """The return date of the contact's latest out-of-office reply, if that is the latest word."""
    own = [r for r in history.rejections if r.contact_id == contact_id]
    if not own:
        return None
    last = max(own, key=lambda r: (r.at, r.id))
    return last.checkback if last.label == Label.AUTO_REPLY else None


def next_attempt(contact: ContactFacts, account: AccountFacts, history: History,
                 settings: Settings, today: date) -> NextTouch | None:
    """The next prospecting attempt, or None once the cadence is used up.

    The channel follows the cadence; when the cadence's channel would be a second unanswered
    touch in a row on that channel, the next different channel of the cadence is used.
    """
    ensure_contactable(contact, action="plan the next attempt")
    done = attempts(history, contact, account)
    cadence = settings.cadence
    if done.count >= len(cadence):
        return None
    step = cadence[done.count]
    speed = pace(_contact_signals(history, contact.id), today, settings.nurture)
    start = today
    if done.last is not None:
        start = max(today, add_business_days(done.last, speed.stretch(step.gap_days),
                                             account.country))
    reasons = [f"attempt {done.count + 1} of {len(cadence)} ({speed.why})"]
    back = paused_until(history, contact.id)
    if back is not None and back >= start:
        start = next_business_day(back + timedelta(days=1), account.country)
        reasons.append(f"out of office until {back.isoformat()}")
    ledger = Ledger(contact, account, history, settings)
    others = [c.channel for c in cadence if c.channel != step.channel]
    candidates = list(dict.fromkeys([step.channel, *others]))
    channel = next((c for c in candidates if ledger.channel_problem(start, c) is None),
                   step.channel)
    day = earliest_allowed(contact, account, start, channel, history, settings, ledger=ledger)
    if channel != step.channel:
        reasons.append(f"{channel.value} instead of an unanswered {step.channel.value}")
    return NextTouch(day=day, channel=channel, attempt=done.count + 1, why="; ".join(reasons))


def _contact_signals(history: History, contact_id: int) -> tuple[SignalFacts, ...]:
    return tuple(s for s in history.signals if s.contact_id in (contact_id, None))


# ------------------------------------------------------------------------------------------
# Check-backs and gatekeepers
# ------------------------------------------------------------------------------------------


def renewal_checkback(renewal: date, weeks_before: int, country: str | None,
                      today: date) -> date:
    """A business day ``weeks_before`` a renewal, so the approach comes before it falls."""
    target = renewal - timedelta(weeks=weeks_before)
    if target <= today:
        return next_business_day(today + timedelta(days=1), country)
    return previous_business_day(target, country)


def next_budget_year(today: date, fiscal_year_start: int | None, country: str | None) -> date:
    """The first business day of the account's next fiscal year (January if unknown)."""
    month = fiscal_year_start or 1
    start = date(today.year, month, 1)
    if start <= today:
        start = date(today.year + 1, month, 1)
    return next_business_day(start, country)


def after_months(today: date, months: int, country: str | None) -> date:
    return next_business_day(today + relativedelta(months=months), country)


@dataclass(frozen=True, slots=True)
class GatekeeperState:
    conversations: int
    limit: int

    @property
    def reroute(self) -> bool:
        """Time to find another way in: the gatekeeper had their friendly conversations."""
        return self.conversations >= self.limit


def gatekeeper_state(history: History, contact: ContactFacts,
                     settings: Settings) -> GatekeeperState:
    """How many conversations with this gatekeeper so far (touches either way, one per day)."""
    zone = zone_of(contact)
    days = {local_day(t.at, zone) for t in history.touches if t.contact_id == contact.id}
    return GatekeeperState(conversations=len(days), limit=settings.gatekeeper_conversations)


# ------------------------------------------------------------------------------------------
# The follow-up state machine
# ------------------------------------------------------------------------------------------


class Action(StrEnum):
    DONE = "done"
    SNOOZE = "snooze"
    SKIP = "skip"
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"


OPEN: frozenset[FollowUpStatus] = frozenset({FollowUpStatus.DUE, FollowUpStatus.SNOOZED})
_RESULT = {
    Action.DONE: FollowUpStatus.DONE,
    Action.SKIP: FollowUpStatus.SKIPPED,
    Action.CANCEL: FollowUpStatus.CANCELLED,
    Action.SNOOZE: FollowUpStatus.SNOOZED,
    Action.RESCHEDULE: FollowUpStatus.DUE,
}


def transition(followup: FollowUpFacts, action: Action, *, today: date,
               to: date | None = None, country: str | None = None) -> FollowUpFacts:
    """Apply ``action`` to an open follow-up and return the new record.

    Only a due or snoozed follow-up can change; done, skipped and cancelled ones are final
    (:class:`~notnow.errors.Conflict`). Snooze only ever postpones: from the later of the due
    date and today (by default to the next business day after it; a date it names must be
    later than that). Reschedule moves to any date after today. The new due date moves to a
    business day.
    """
    if followup.status not in OPEN:
        raise Conflict(f"follow-up {followup.id} is already {followup.status.value}; "
                       f"it cannot be marked {action.value}", id=followup.id,
                       status=followup.status.value)
    status = _RESULT[action]
    if action not in (Action.SNOOZE, Action.RESCHEDULE):
        if to is not None:
            raise InvalidInput(f"'{action.value}' takes no date", field="date")
        return dataclasses.replace(followup, status=status)
    base = max(followup.due, today) if action == Action.SNOOZE else today
    if to is None:
        if action == Action.RESCHEDULE:
            raise InvalidInput("reschedule needs a date", field="date")
        to = base + timedelta(days=1)
    if action == Action.SNOOZE and to <= base:
        raise InvalidInput(f"snooze only postpones: pick a date after {base.isoformat()} (it is "
                           f"due {followup.due.isoformat()}); to bring it forward, reschedule",
                           field="date")
    if to <= today:
        raise InvalidInput(f"{action.value} to a date after today ({today.isoformat()}), "
                           f"not {to.isoformat()}", field="date")
    return dataclasses.replace(followup, status=status, due=next_business_day(to, country))
