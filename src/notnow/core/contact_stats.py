"""Contacts, counted from their touches: attempts, silence, pestering, giving up.

Every figure asks the rule the product enforces; none keeps a copy of it. Definitions (also
shown in the report):

* **Attempts before access**: outbound touches to a contact made before their first inbound
  one.
* **Silence**: a contact who never answered (no inbound touch and no logged answer — any
  rejection but an out-of-office reply). Past the rule when the silence rule says so
  (:func:`notnow.core.cadence.silence_means_no`, over the outbound touches and their channels).
* **Gave up early**: a silent contact, not opted out, with nothing planned, whose last touch
  is more than ``idle_days`` old (UTC days), abandoned before the silence rule was reached;
  it is put down to the author of that last touch.
* **Cap hit**: an outbound touch that broke the contact cap or the nurture cap when it was
  made, as :func:`notnow.core.caps.touches_over_caps` replays them (calendar days in the
  contact's zone; the nurture cap from the latest rejection before the touch, if it is a soft
  no; replies not counted by the nurture cap).
* **Attempt on an opted-out contact**: an outbound touch at or after the contact's opt-out.

A contact's state (its caps, its answers, its silence) is read over its whole history; the
touches counted are those in the report's period.

Two ways fill a :class:`ContactTally`: :meth:`ContactTally.add_contact`, the readable one,
contact by contact from the core's records; and the report's grouped database queries through
:meth:`ContactTally.add_touches` and :meth:`ContactTally.add_contacts`. A property test pins the
second to the first on random histories (``tests/services/test_report_rules.py``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from statistics import median

from notnow.core.analytics import UNKNOWN, ratio
from notnow.core.cadence import attempts, silence_means_no
from notnow.core.caps import touches_over_caps
from notnow.core.model import AccountFacts, ContactFacts, Direction, History
from notnow.core.playbook import Settings

Who = str | int


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


@dataclass
class ContactTally:
    """The contact figures of the report, per salesperson where they are someone's doing."""

    settings: Settings
    as_of: date
    idle_days: int = 30

    attempts_before_access: Counter[int] = field(default_factory=Counter)
    replied: int = 0
    silent_under_rule: int = 0
    silent_past_rule: int = 0
    cap_hits: Counter[Who] = field(default_factory=Counter)
    opted_out_attempts: Counter[Who] = field(default_factory=Counter)
    gave_up_early: Counter[Who] = field(default_factory=Counter)
    abandoned: Counter[Who] = field(default_factory=Counter)
    outbound: Counter[Who] = field(default_factory=Counter)

    # --- from grouped figures ----------------------------------------------------------------

    def add_touches(self, who: Who | None, outbound: int, cap_hits: int,
                    opted_out: int) -> None:
        """``outbound`` touches by ``who``, of which ``cap_hits`` broke a cap and
        ``opted_out`` came at or after an opt-out."""
        key = UNKNOWN if who is None else who
        self.outbound[key] += outbound
        if cap_hits:
            self.cap_hits[key] += cap_hits
        if opted_out:
            self.opted_out_attempts[key] += opted_out

    def add_contacts(self, n: int, *, access: bool, before_access: int, answered: bool,
                     attempts: int, channels: int, abandoned_by: Who | None = None,
                     abandoned: bool = False) -> None:
        """``n`` contacts alike: whether one wrote to us (``access``, after ``before_access``
        attempts), whether they answered at all, their ``attempts`` (outbound touches) over
        ``channels`` channels, and — if a silent one was left (``abandoned``) — by whom."""
        if access:
            self.attempts_before_access[before_access] += n
        if answered:
            self.replied += n
            return
        past = silence_means_no(attempts, channels, self.settings)
        if past:
            self.silent_past_rule += n
        else:
            self.silent_under_rule += n
        if abandoned:
            who = UNKNOWN if abandoned_by is None else abandoned_by
            self.abandoned[who] += n
            if not past:
                self.gave_up_early[who] += n

    # --- the readable way: one contact from the core's records --------------------------------

    def add_contact(self, contact: ContactFacts, account: AccountFacts, history: History, *,
                    answered: bool = False, planned: bool = False,
                    since: datetime | None = None) -> None:
        """Count one contact from its whole ``history`` (its touches and rejections).

        ``answered``: they answered other than by an inbound touch (a logged reply);
        ``planned``: something is planned for them; ``since``: count only the touches made
        since then (the contact's state is still read over its whole history)."""
        for verdict in touches_over_caps(contact, account, history, self.settings):
            touch = verdict.touch
            if since is not None and _aware(touch.at) < since:
                continue
            self.add_touches(touch.author_id, 1, int(verdict.cap is not None),
                             int(verdict.opted_out))
        own = sorted((t for t in history.touches if t.contact_id == contact.id),
                     key=lambda t: (_aware(t.at), t.id or 0))
        if not own:
            return
        inbound = [_aware(t.at) for t in own if t.direction == Direction.INBOUND]
        first_in = min(inbound) if inbound else None
        before = sum(1 for t in own if t.direction == Direction.OUTBOUND
                     and (first_in is None or _aware(t.at) < first_in))
        done = attempts(history, contact, account)
        last = own[-1]
        idle = (self.as_of - _aware(last.at).astimezone(UTC).date()).days > self.idle_days
        self.add_contacts(1, access=first_in is not None, before_access=before,
                          answered=first_in is not None or answered, attempts=done.count,
                          channels=len(done.channels), abandoned_by=last.author_id,
                          abandoned=(idle and contact.dnc is None and not planned
                                     and done.count > 0))

    # --- results -------------------------------------------------------------------------------

    @property
    def contacts(self) -> int:
        return self.replied + self.silent_under_rule + self.silent_past_rule

    def access_histogram(self, top: int = 12) -> list[tuple[str, int]]:
        """(attempts, contacts) for contacts who answered; the last bucket is "top+"."""
        out = [(str(n), self.attempts_before_access.get(n, 0)) for n in range(top)]
        out.append((f"{top}+", sum(v for k, v in self.attempts_before_access.items()
                                   if k >= top)))
        return out

    def median_attempts_before_access(self) -> float | None:
        expanded = sorted(self.attempts_before_access.elements())
        return float(median(expanded)) if expanded else None

    def renamed(self, name: Callable[[Who], str]) -> ContactTally:
        """The same figures with each salesperson key replaced by ``name(key)`` (merging
        keys that get the same name)."""
        for counter in (self.cap_hits, self.opted_out_attempts, self.gave_up_early,
                        self.abandoned, self.outbound):
            items = list(counter.items())
            counter.clear()
            for key, n in items:
                counter[name(key)] += n
        return self

    def pesters(self) -> list[tuple[Who, int, int, int, float]]:
        """(salesperson, cap hits, attempts on opted-out contacts, outbound touches, share of
        their touches that were one of those), most pestering first."""
        names = set(self.cap_hits) | set(self.opted_out_attempts) | set(self.outbound)
        rows = [(n, self.cap_hits[n], self.opted_out_attempts[n], self.outbound[n],
                 ratio(self.cap_hits[n] + self.opted_out_attempts[n], self.outbound[n]))
                for n in names]
        return sorted(rows, key=lambda r: (-r[4], -(r[1] + r[2]), str(r[0])))

    def gives_up(self) -> list[tuple[Who, int, int, float]]:
        """(salesperson, abandoned silent contacts, of which before the rule, share)."""
        rows = [(n, self.abandoned[n], self.gave_up_early[n],
                 ratio(self.gave_up_early[n], self.abandoned[n])) for n in self.abandoned]
        return sorted(rows, key=lambda r: (-r[2], str(r[0])))
