"""The rules that turn one time phrase into a check-back day.

Every match of a head pattern (:func:`~notnow.core.timehints_lexicon.head_pattern`) names
something on the calendar (a span, a month, a quarter, a holiday ...). The words just before it
(read right to left) refine it: a determiner (``next``, ``this``, ``last``), a part
(``early``, ``mid``, ``end of``) and a preposition (``in``, ``after``, ``until``, ``before``,
``not before``). The sentence around it says more: a negation ("not this year" means next
year), a renewal ("our contract renews in September": come back ahead of it), an absence ("out
12-19 October": back after it), a call-back verb (the hint the prospect asks us to act on).

Conventions (each one a rule a salesperson would apply by hand):

- A named period starts on its first business day; "end of" a period starts its last stretch
  (last week of a month, last two weeks of a quarter or year); "after" it is the day after.
- "Until X" means back at X ("closed until January" - come back in January); "through X" and
  "until the end of X" mean the day after X.
- Results are never in the past: a month, quarter, season or holiday already gone this year is
  next year's; a date with an explicit past year is no hint at all (it is history).
- Ranges ("2-3 years", "a week or two", "Q2 or Q3") take the earlier end; an absence range
  ("out 12-19 October") ends the day after its last day.
- A renewal is approached :data:`RENEWAL_LEAD` ahead of it.
- "This year/quarter/month" in a rejection means "not this one": the next one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from notnow.core import businessdays
from notnow.core import timehints_calendar as cal
from notnow.core import timehints_cues as cues
from notnow.core import timehints_lexicon as lex
from notnow.core.timehints_heads import HANDLERS

RENEWAL_LEAD = cal.RENEWAL_LEAD


class Settings(NamedTuple):
    today: date
    country: str | None
    fiscal_year_start: int | None


class Candidate(NamedTuple):
    """One interpretation of one phrase; the caller keeps the best."""

    day: date | None
    start: int
    end: int
    head_start: int
    granularity: str
    confidence: float
    kind: str
    cue: bool = False
    is_return: bool = False


class Mods(NamedTuple):
    """The words before a head, read right to left."""

    start: int
    det: str | None = None
    part: str | None = None
    prep: str | None = None
    negated: bool = False


_DETS: dict[str, str] = {
    "next": "next", "nxt": "next", "nex": "next", "the next": "next", "coming": "next",
    "the coming": "next", "this coming": "next", "upcoming": "next",
    "the upcoming": "next", "following": "next", "the following": "next",
    "another": "next", "new": "new", "the new": "new", "this": "this",
    "current": "this", "the current": "this", "the": "the", "our": "the",
    "last": "last", "the last": "last", "past": "last", "the past": "last",
    "previous": "last", "the previous": "last", "every": "every",
    "each": "every", "per": "every", "once a": "every", "twice a": "every",
}
_PARTS: dict[str, str] = {
    "early": "start", "beginning of": "start", "start of": "start",
    "first week of": "start", "first of": "start", "first half of": "start",
    "first part of": "start", "turn of": "start", "mid": "mid",
    "middle of": "mid", "late": "late", "later": "later", "later in": "later",
    "end of": "end", "close of": "end", "ending of": "end",
    "second half of": "second_half", "2nd half of": "second_half", "back half of": "second_half",
    "last week of": "last_week", "rest of": "after", "remainder of": "after",
    "balance of": "after", "earlier": "past", "earlier in": "past",
}
_PREPS: dict[str, str] = {
    "in": "in", "within": "in", "during": "in", "at": "in", "on": "in",
    "around": "in", "into": "in", "towards": "in", "toward": "in",
    "sometime": "in", "sometime in": "in", "some time in": "in",
    "after": "after", "beyond": "after", "until after": "after",
    "till after": "after", "once": "after", "until": "until", "till": "until",
    "til": "until", "untill": "until", "before": "before", "by": "by",
    "from": "from", "starting": "from", "starting in": "from", "as of": "from",
    "for": "for", "over": "over", "through": "through", "thru": "through",
    "throughout": "through", "since": "since", "not before": "not_before",
    "not until": "not_before", "not till": "not_before",
    "no earlier than": "not_before", "no sooner than": "not_before",
    "not earlier than": "not_before", "wait": "in", "give it": "in",
    "give us": "in", "give me": "in",
}
_FILLERS = frozenset({"about", "approximately", "roughly", "maybe", "probably", "perhaps",
                      "around", "like", "say", "just", "only", "least", "at", "some", "another"})
_NEGATIONS = frozenset({"not", "never", "no", "nothing"})


def _finals(table: dict[str, str]) -> frozenset[str]:
    return frozenset(key.rsplit(" ", 1)[-1] for key in table)


_LAST_WORDS = {id(table): _finals(table) for table in (_DETS, _PARTS, _PREPS)}


def _longest(words: list[str], i: int, table: dict[str, str]) -> tuple[str | None, int]:
    """Match the longest key of ``table`` ending at ``words[i - 1]``; return (value, new i)."""
    if i == 0 or words[i - 1] not in _LAST_WORDS.get(id(table), table):
        return None, i
    for size in range(min(4, i), 0, -1):
        value = table.get(" ".join(words[i - size:i]))
        if value is not None:
            return value, i - size
    return None, i




def read_mods(tokens: list[re.Match[str]], head_start: int) -> Mods:
    """Read determiner, part and preposition from the word ``tokens`` just before a head."""
    words = [token.group() for token in tokens]
    i = len(words)
    start = head_start
    det, i = _longest(words, i, _DETS)
    if det is not None:
        start = tokens[i].start()
    part, j = _longest(words, i, _PARTS)
    if part is not None:
        i = j
        start = tokens[i].start()
        if part != "past" and i > 0 and words[i - 1] == "the":
            i -= 1  # "until THE end of the year"
            det = det or "the"
    k = i
    while k > 0 and words[k - 1] in _FILLERS:
        k -= 1
    prep, k2 = _longest(words, k, _PREPS)
    if prep is not None:
        i = k2
        start = tokens[i].start()
    negated = i > 0 and (words[i - 1] in _NEGATIONS or words[i - 1].endswith(("n't", "n’t")))
    return Mods(start, det, part, prep, negated)


_BOUNDARY = re.compile(r"[.!?\n;]")


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence (or line) around ``text[start:end]``, at most ~160 chars a side."""
    lo = max(0, start - 160)
    # The last of `_BOUNDARY`'s characters before `start` (five C-speed scans from the right
    # rather than a match object for every boundary in the 160 characters).
    left = max(text.rfind(".", lo, start), text.rfind("!", lo, start),
               text.rfind("?", lo, start), text.rfind("\n", lo, start),
               text.rfind(";", lo, start))
    right = _BOUNDARY.search(text, end, min(len(text), end + 160))
    return (left + 1 if left >= 0 else lo), (right.start() if right else min(len(text), end + 160))


@lru_cache(maxsize=4096)
def _next_business_day(day: date, country: str | None) -> date:
    return businessdays.next_business_day(day, country)


class Rules:
    """All rules for one text and one reference day; :meth:`candidates` runs them.

    ``low`` is the lower-cased text, character for character the same offsets as the original.
    """

    def __init__(self, low: str, settings: Settings) -> None:
        self.low = low
        self.s = settings
        self.today = settings.today

    # ------------------------------------------------------------------ helpers
    def bday(self, day: date) -> date:
        return _next_business_day(day, self.s.country)

    def after_today(self, day: date) -> date:
        """``day`` as a business day, pulled forward to the first business day after today."""
        day = self.bday(day)
        if day <= self.today:
            day = self.bday(self.today + timedelta(days=1))
        return day

    def apply(self, period: cal.Period, mods: Mods, *, busy: bool = False) -> date | None:
        """The day ``mods`` pick in ``period`` (None for a period in the past).

        ``busy`` marks a period the prospect is busy *during* (the holidays, tax season, an
        absence): named alone, it means "after it"; "before" or "by" it, two weeks ahead.
        """
        part, prep = mods.part, mods.prep
        if part == "past" or prep == "since":
            return None
        if part == "later":  # "later this year": halfway through what is left of it
            lo = max(period.start, self.today + timedelta(days=1))
            return lo + (period.end - lo) / 2 if lo < period.end else None
        if prep in ("after", "through") or part == "after":
            if part in (None, "end", "after", "last_week"):
                return period.end
            return cal.part_of(period, part) + timedelta(days=1)
        if prep == "until" and part == "end":
            return period.end
        if prep == "before" or busy and prep == "by":
            return cal.before(cal.part_of(period, part), period.granularity)
        if busy and (part is None or prep == "not_before"):
            return period.end
        return cal.part_of(period, part)

    def roll(self, make: Callable[[int], cal.Period | None], mods: Mods, *,
             busy: bool = False) -> tuple[date, cal.Period] | None:
        """The first yearly occurrence of a named period whose day is after today."""
        for year in (self.today.year - 1, self.today.year, self.today.year + 1,
                     self.today.year + 2):
            period = make(year)
            if period is None:
                continue
            day = self.apply(period, mods, busy=busy)
            if day is not None and self.bday(day) > self.today:
                return self.bday(day), period
        return None

    def fixed(self, period: cal.Period, mods: Mods, *, busy: bool = False) -> date | None:
        """The day in a period fixed in time; None when it is already history."""
        day = self.apply(period, mods, busy=busy)
        if day is None or day <= self.today and period.end <= self.today:
            return None
        return self.after_today(day)

    def right(self, end: int, size: int = 40) -> str:
        return self.low[end:end + size]

    # ------------------------------------------------------------------ driver
    def candidates(self, windows: list[tuple[int, int, frozenset[str]]],
                   skip: Callable[[int], bool] | None = None) -> list[Candidate]:
        """Resolve every head found in the windows ``(start, stop, families)``, in text order."""
        found: list[Candidate] = []
        for start, stop, families in windows:
            for match in lex.head_pattern(families).finditer(self.low, start, stop):
                if skip is not None and skip(match.start()):
                    continue
                candidate = self.resolve(match)
                if candidate is not None:
                    found.append(candidate)
        return _merge_ranges(self.low, found)

    def resolve(self, m: re.Match[str]) -> Candidate | None:
        group = m.lastgroup
        if group == "vague":  # no day to compute: keep it cheap
            return Candidate(None, m.start(), m.end(), m.start(), cal.MONTH, 0.25, "vague")
        sent_lo, sent_hi = _sentence(self.low, m.start(), m.end())
        tokens = list(lex.WORD.finditer(self.low, sent_lo, sent_hi))
        head_start = m.start()
        before = [token for token in tokens if token.end() <= head_start]
        mods = read_mods([t for t in before[-7:] if t.start() >= head_start - 48], head_start)
        handler = HANDLERS.get(group or "")
        if handler is None:
            return None
        left_flags = cues.scan(token.group() for token in before)
        if mods.prep == "before" and left_flags & cues.NEGATION:
            mods = mods._replace(prep="not_before")  # "we won't decide anything before Q2"
        result = handler(self, m, mods)
        if result is None:
            return None
        day, granularity, confidence, kind = result
        sentence = self.low[sent_lo:sent_hi]
        left = self.low[sent_lo:head_start]
        flags = left_flags | cues.scan(token.group() for token in tokens[len(before):])
        cue = bool(flags & cues.CALLBACK)
        is_return = False
        if day is not None:
            absent = cues.absence(flags, sentence)
            if kind == "return" or cues.return_to_work(left_flags, left):
                is_return = True
            elif absent and (cues.returning(left_flags)
                             or mods.prep in ("until", "through", "after", "not_before")):
                is_return = True
            elif absent and kind == "relative":
                is_return = True
            elif absent and mods.prep in (None, "in", "from", "over", "for") and kind in (
                    "date", "weekday", "relative_period"):
                day, is_return = self.after_absence(m, day), True
            starts = cues.contract_start(left[-70:])
            if kind not in ("return", "renewal") and starts:
                confidence = min(confidence, 0.4)  # a start, not a time to come back
            elif kind not in ("return", "renewal") and cues.renewal(flags, sentence):
                day = self.after_today(day - cal.RENEWAL_LEAD)
                kind, confidence = "renewal", min(confidence, 0.8)
        start = mods.start
        if is_return and kind != "renewal":
            kind = "return"
        return Candidate(day, start, m.end(), m.start(), granularity, confidence, kind, cue,
                         is_return)

    def after_absence(self, m: re.Match[str], day: date) -> date:
        """An absence during a named day or week: back the business day after it ends."""
        if m.lastgroup == "period" and m.group("period").lower().startswith("week"):
            return self.bday(cal.week_period(day).end)
        return self.bday(day + timedelta(days=1))


_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|to|through|thru|until|till|and|or)?\s*")


def _merge_ranges(text: str, found: list[Candidate]) -> list[Candidate]:
    """Join "A to B" / "A or B" pairs: the earlier day, or the later for an absence."""
    if len(found) < 2:
        return found
    merged: list[Candidate] = []
    i = 0
    while i < len(found):
        first = found[i]
        if i + 1 < len(found):
            second = found[i + 1]
            gap = text[first.end:second.head_start]
            if (first.day and second.day and first.kind != "vague" and len(gap) < 12
                    and _RANGE_JOIN.fullmatch(gap) and gap.strip()):
                day = second.day if second.is_return else min(first.day, second.day)
                merged.append(Candidate(day, first.start, second.end, first.head_start,
                                        second.granularity, max(first.confidence,
                                                                second.confidence),
                                        "return" if second.is_return else "range",
                                        first.cue or second.cue, second.is_return))
                i += 2
                continue
        merged.append(first)
        i += 1
    return merged
