"""Contacts, counted from their touches: attempts, silence, pestering, giving up.

Pure, one pass over touches ordered by contact then time (times as epoch seconds, so that
100,000s of touches are cheap to compare). Definitions (also shown in the report):

* **Attempts before access**: outbound touches to a contact before their first inbound one.
* **Silence**: a contact who never answered (no inbound touch and no logged answer). Past
  the rule once the attempts since the last answer reach the silence rule (9 across 3
  channels by default).
* **Gave up early**: a silent contact, not opted out, with nothing planned, whose last
  attempt is more than ``idle_days`` old, abandoned before the silence rule was reached.
* **Cap hit**: an outbound touch that broke a contact cap (more than N touches in D days),
  or, after the contact's first soft no, the nurture cap.
* **Attempt on an opted-out contact**: an outbound touch after the contact's opt-out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from statistics import median
from typing import NamedTuple

from notnow.core.analytics import UNKNOWN, ratio
from notnow.core.playbook import Settings

Who = str | int
DAY = 86400.0
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


class TouchRow(NamedTuple):
    contact_id: int
    at: float  # seconds since 1970-01-01 UTC, like the opt-out and soft-no times

    direction: str  # "outbound" | "inbound"
    channel: str
    salesperson: str | int | None  # a name, or an id that :meth:`ContactTally.renamed` maps


@dataclass
class ContactTally:
    """Reads every touch, grouped by contact and in time order, once."""

    settings: Settings
    as_of: date
    opted_out: Mapping[int, float] = field(default_factory=dict)  # epoch seconds
    soft_no: Mapping[int, float] = field(default_factory=dict)  # first soft no, epoch s
    answered: frozenset[int] | set[int] = field(default_factory=frozenset)
    planned: frozenset[int] | set[int] = field(default_factory=frozenset)
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

    def add_all(self, rows: Iterable[TouchRow]) -> ContactTally:
        """``rows`` must be ordered by contact, then time."""
        current: int | None = None
        bucket: list[TouchRow] = []
        for row in rows:
            if row[0] != current:
                if bucket:
                    self._contact(bucket[0][0], bucket)
                current, bucket = row[0], []
            bucket.append(row)
        if bucket:
            self._contact(bucket[0][0], bucket)
        return self

    def _contact(self, contact_id: int, touches: Sequence[TouchRow]) -> None:
        s = self.settings
        opt_out = self.opted_out.get(contact_id)
        soft = self.soft_no.get(contact_id)
        windows = [(w.touches, w.days * DAY) for w in s.contact_caps]
        n_limit, n_span = s.nurture.touches, s.nurture.per_days * DAY
        sent: list[float] = []  # outbound times, in order
        before_access = 0
        access = False
        start = 0  # index in `sent` of the first outbound touch since the last answer
        outbound, opted, caps = self.outbound, self.opted_out_attempts, self.cap_hits
        for _cid, at, direction, _channel, salesperson in touches:
            if direction == "inbound":
                if not access:
                    access = True
                    self.attempts_before_access[before_access] += 1
                start = len(sent)
                continue
            who = salesperson or UNKNOWN
            outbound[who] += 1
            if not access:
                before_access += 1
            k = len(sent)
            if opt_out is not None and at >= opt_out:
                opted[who] += 1
            else:
                hit = (soft is not None and at > soft and k >= n_limit
                       and sent[k - n_limit] > soft and at - sent[k - n_limit] < n_span)
                for limit, span in windows:
                    if hit or (k >= limit and at - sent[k - limit] < span):
                        hit = True
                        break
                if hit:
                    caps[who] += 1
            sent.append(at)
        if access or contact_id in self.answered:
            self.replied += 1
            return
        since_answer = touches[-(len(sent) - start):] if len(sent) > start else ()
        channels = {t[3] for t in since_answer}  # rows may be plain tuples
        past_rule = (len(sent) - start >= s.silence.attempts
                     and len(channels) >= s.silence.channels)
        if past_rule:
            self.silent_past_rule += 1
        else:
            self.silent_under_rule += 1
        if not sent or opt_out is not None or contact_id in self.planned:
            return
        last = touches[-1]
        last_day = date.fromordinal(EPOCH_ORDINAL + int(last[1] // DAY))
        if (self.as_of - last_day).days > self.idle_days:
            who = last[4] or UNKNOWN
            self.abandoned[who] += 1
            if not past_rule:
                self.gave_up_early[who] += 1

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
