"""Time hints: when the prospect told us to come back, as a check-back day.

    >>> from datetime import date
    >>> hint = extract_time_hint("Not this year - try me in March.", today=date(2026, 11, 22))
    >>> hint.checkback, hint.phrase, hint.granularity
    (datetime.date(2027, 3, 1), 'in March', 'month')

How it works, fast enough to run on every reply:

1. Compiled patterns (:mod:`notnow.core.timehints_lexicon`) find every phrase that
   names something on the calendar: spans ("in six months", "a couple of weeks", "2-3 years"),
   dates ("May 13", "the 5th", "3/15"), months, weekdays, quarters ("Q3 2027", "the third
   quarter"), years, fiscal years, seasons, holidays ("after the holidays", "after tax season")
   and vague phrases ("down the road", "not right now"). A text without a digit or a time word
   costs one regex scan; around each such word only a small window is searched. Quoted lines
   (``>``) and mail headers ("On ... wrote:", "Sent:") are skipped.
2. For each phrase, :mod:`notnow.core.timehints_rules` reads the words before it ("next", "end
   of", "until", "not before") and the sentence around it (negation, renewal, absence, a
   call-back verb) and resolves it to the first business day of the period it names, in the
   account's country calendar (:mod:`notnow.core.businessdays`), never in the past.
3. The strongest phrase wins: the highest confidence, plus a bonus when the sentence asks us to
   act ("try me", "check back", "we resume") and a little for a finer granularity; a later
   phrase breaks a tie. A vague phrase only wins when nothing dated is said, and then the hint
   has no check-back.

Out-of-office returns (:func:`extract_return_date`): "back on the 13th May", "returning next
week", "out until 14 July" (back on 14 July: "until" names the first day back, like "closed
until January"), "out 12-19 October" and "out through 19 October" (back the first business day
after the 19th).

Renewals come back :data:`~notnow.core.timehints_calendar.RENEWAL_LEAD` (six weeks) before the
renewal, moved to a business day: "our contract renews next September" gives late July.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date

from notnow.errors import InvalidInput

from .timehints_lexicon import (
    ALL_FAMILIES,
    TRIGGER,
    TRIGGER_FAMILIES,
    head_pattern,
    trigger_families,
)
from .timehints_rules import Candidate, Rules, Settings

__all__ = ["TOLERANCE_DAYS", "TimeHint", "extract_return_date", "extract_time_hint",
           "may_have_hint", "warm_up", "within_tolerance"]

SCAN_LIMIT = 100_000
"""Only the first 100,000 characters are read: a hint lives near the top of a reply."""

TOLERANCE_DAYS = {"day": 2, "week": 7, "month": 10, "quarter": 15, "year": 15}
"""How far a check-back may be from the expected day and still count as right."""

_LEFT_REACH = 36
_RIGHT_REACH = 44
"""How far a phrase may reach before ("a couple of ...") and after ("... 19th October") its
trigger word."""

_QUOTED = re.compile(
    r"^[ \t]*(?:>[^\n]*|on\s[^\n]{0,200}?wrote:[^\n]*|(?:sent|date|from|to|subject|cc|"
    r"gesendet|envoy[ée])\s*:[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class TimeHint:
    """When to come back, and the words that say so.

    ``checkback`` is the first business day of the period the phrase names (None for a vague
    phrase such as "down the road"); ``text[start:end] == phrase``; ``granularity`` is "day",
    "week", "month", "quarter" or "year"; ``confidence`` is below 0.5 for vague phrases;
    ``kind`` says which rule read it ("relative", "month", "weekday", "date", "quarter",
    "year", "fiscal", "season", "holiday", "renewal", "range", "return", "vague" ...).
    """

    checkback: date | None
    phrase: str
    start: int
    end: int
    granularity: str
    confidence: float
    kind: str


def extract_time_hint(text: str, *, today: date, timezone: str | None = None,
                      fiscal_year_start: int | None = None,
                      country: str | None = None) -> TimeHint | None:
    """The strongest time hint in ``text``, or None when nothing in it is about time.

    ``today`` is the reference day in the account's time zone (the caller converts; ``timezone``
    is informational). ``fiscal_year_start`` (1-12) is the month the account's fiscal year
    starts (January when None); ``country`` (ISO code) picks the public holidays that a
    check-back skips, the D/M or M/D order of numeric dates, the hemisphere of seasons and the
    tax deadline (US calendar when None).
    """
    found = _candidates(text, today, fiscal_year_start, country)
    dated = [c for c in found if c.day is not None]
    pool = dated or found
    if not pool:
        return None
    return _hint(text, max(pool, key=lambda c: _score(c, len(text))))


def extract_return_date(text: str, *, today: date,
                        country: str | None = None) -> TimeHint | None:
    """The day an out-of-office sender is back, or None when the text gives none.

    "Back on the 13th May" and "out until 14 July" name the first day back; an absence range
    ("out 12-19 October", "away through Friday") ends the business day after its last day;
    "returning next week" is the Monday of that week.
    """
    found = [c for c in _candidates(text, today, None, country)
             if c.is_return and c.day is not None]
    if not found:
        return None
    best = max(found, key=lambda c: _score(c, len(text)))
    hint = _hint(text, best)
    return TimeHint(hint.checkback, hint.phrase, hint.start, hint.end, hint.granularity,
                    hint.confidence, "return")


_TRIGGER_WORDS = frozenset(w for w in TRIGGER_FAMILIES if w.isalnum()) | frozenset(
    part for w in TRIGGER_FAMILIES if not w.isalnum() for part in re.findall(r"[a-z]+", w))
_DIGIT = re.compile(r"\d")


def may_have_hint(text: str, words: AbstractSet[str]) -> bool:
    """A cheap gate for callers that already split ``text`` into lower-cased ``words``: False
    means ``text`` has no digit and no time word, so it holds no hint (one set test and one
    C-speed search, before any pattern of the extractor runs)."""
    return not words.isdisjoint(_TRIGGER_WORDS) or _DIGIT.search(text) is not None


def within_tolerance(expected: date | None, got: date | None, granularity: str | None) -> bool:
    """Whether ``got`` is close enough to ``expected`` for a hint of ``granularity``.

    Day +-2 days, week +-7, month +-10, quarter and year +-15; None matches only None. An
    unknown granularity is judged as a day.
    """
    if expected is None or got is None:
        return expected is None and got is None
    allowed = TOLERANCE_DAYS.get((granularity or "day").lower(), TOLERANCE_DAYS["day"])
    return abs((got - expected).days) <= allowed


def warm_up(today: date, country: str | None = None) -> None:
    """Pay the one-time costs now rather than on the first reply: compile every phrase
    pattern and load the public holidays of ``country`` around ``today``."""
    for families in {*TRIGGER_FAMILIES.values(), ALL_FAMILIES, trigger_families("1")}:
        head_pattern(families)
    extract_time_hint("in 2 weeks, next quarter or the year after", today=today, country=country)


def _candidates(text: str, today: date, fiscal_year_start: int | None,
                country: str | None) -> list[Candidate]:
    if not isinstance(text, str):
        raise InvalidInput("text must be a string", field="text")
    if fiscal_year_start is not None and not 1 <= fiscal_year_start <= 12:
        raise InvalidInput("fiscal_year_start must be a month number, 1-12",
                           field="fiscal_year_start")
    if not text or text.isspace():
        return []
    limit = min(len(text), SCAN_LIMIT)
    low = _lower(text[:limit])
    windows = _windows(low)
    if not windows:
        return []
    rules = Rules(low, Settings(today, country, fiscal_year_start))
    if ">" in low or ":" in low:
        spans = [(m.start(), m.end()) for m in _QUOTED.finditer(low)]
        if spans:
            starts = [s for s, _ in spans]

            def quoted(pos: int) -> bool:
                i = bisect_right(starts, pos) - 1
                return i >= 0 and pos < spans[i][1]

            return rules.candidates(windows, quoted)
    return rules.candidates(windows)


def _lower(text: str) -> str:
    """``text`` lower-cased with every offset kept (a few characters grow when lowered)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def _windows(low: str) -> list[tuple[int, int, frozenset[str]]]:
    """Merged stretches of text around each trigger word, widened to whole words, with the
    kinds of phrase their triggers can start (all kinds where triggers of different kinds meet,
    so that at most one pattern per trigger group, plus one, is ever compiled)."""
    windows: list[tuple[int, int, frozenset[str]]] = []
    size = len(low)
    for hit in TRIGGER.finditer(low):
        start, stop = max(0, hit.start() - _LEFT_REACH), min(size, hit.end() + _RIGHT_REACH)
        while start > 0 and low[start - 1].isalnum():
            start -= 1
        while stop < size and low[stop].isalnum():
            stop += 1
        families = trigger_families(hit.group())
        if windows and start <= windows[-1][1]:
            last = windows[-1]
            merged = families if families is last[2] else ALL_FAMILIES
            windows[-1] = (last[0], max(stop, last[1]), merged)
        else:
            windows.append((start, stop, families))
    return windows


_SPECIFICITY = {"day": 0.04, "week": 0.03, "month": 0.02, "quarter": 0.01, "year": 0.0}


def _score(candidate: Candidate, length: int) -> float:
    """Confidence, a bonus for a call-back verb, a little for a finer granularity ("Q2" over
    "next year" in "Q2 next year"), and a hair for appearing later."""
    return (candidate.confidence + (0.1 if candidate.cue else 0.0)
            + _SPECIFICITY.get(candidate.granularity, 0.0)
            + 0.005 * candidate.start / (length + 1))


def _hint(text: str, candidate: Candidate) -> TimeHint:
    confidence = candidate.confidence
    if candidate.cue and candidate.day is not None:
        confidence = min(0.98, confidence + 0.05)
    return TimeHint(
        checkback=candidate.day,
        phrase=text[candidate.start:candidate.end],
        start=candidate.start,
        end=candidate.end,
        granularity=candidate.granularity,
        confidence=round(confidence, 2),
        kind="relative" if candidate.kind == "relative_period" else candidate.kind,
    )
