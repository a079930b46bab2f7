"""One resolver per kind of head: spans, dates, months, weekdays, quarters, years, fiscal years,
seasons and holidays (vague phrases need none: they have no day).

A resolver gets the rules object (reference day, country, fiscal-year start, the text), the
regex match of its head and the words before it (:class:`~notnow.core.timehints_rules.Mods`),
and returns ``(day, granularity, confidence, kind)`` or None when the phrase is no hint (a past
date, "every Monday", "3 years of experience", "Happy New Year").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from notnow.core import businessdays
from notnow.core import timehints_calendar as cal
from notnow.core import timehints_cues as cues
from notnow.core import timehints_lexicon as lex

if TYPE_CHECKING:
    from notnow.core.timehints_rules import Mods, Rules

Resolved = tuple[date | None, str, float, str]
Handler = Callable[["Rules", "re.Match[str]", "Mods"], "Resolved | None"]
HANDLERS: dict[str, Handler] = {}

_RIGHT_NEXT_YEAR = re.compile(r"^,?\s*(?:of\s+|in\s+)?(?:the\s+)?(?:next|following|coming)\s+"
                              r"(?:year|yr)\b")
_RIGHT_THIS_YEAR = re.compile(r"^,?\s*(?:of\s+|in\s+)?this\s+(?:year|yr)\b")
_RIGHT_OF_YEAR = re.compile(r"^\s+of\s+(?:the\s+)?year\b")
_RIGHT_FROM_NOW = re.compile(r"^\s+(?:from\s+(?:now|today)|out|hence|time|down\s+the)\b")
_RIGHT_OF_NOUN = re.compile(r"^\s+of\s+(?!now\b|today\b|this\b|next\b)")
_RIGHT_BEFORE = re.compile(
    r"^\s+(?:(?:before|ahead\s+of|prior\s+to)\s+(?:the|our|its|their|your|renewal|expir|contract"
    r"|end|launch|deadline)|['’]?s?\s*notice)\b")
_HYPHENATED = re.compile(r"[\da-z]\s*-\s*[a-z]")
_ADJ_FOLLOW = re.compile(r"^\s*[a-z]")
_NOT_ADJ_WORDS = re.compile(
    r"^\s*(?:from|out|later|time|or|and|ago|hence|away|in|on|at|to|then|so|but|and|for|as|if"
    r"|when|we|i|you|they|it|is|are|would|will|should|down|max|tops|min|at|please|until)\b")
_RIGHT_AFTER_NEXT = re.compile(r"^\s+after\s+next\b")
_RIGHT_END = re.compile(r"^\s*(?:-\s*)?end\b")
_ORDINAL_FOLLOW = re.compile(
    r"^(?:\s+of\s+(?P<which>this|next|the)\s+month|\s*[,.;:!?)]|\s*$|\s+(?:and|or|at|if|when"
    r"|then|to|through|so|but|please|would|works|is|as|-|–|would|will|should|i|we))")
_WEEKDAY_RANGE_LEFT = re.compile(rf"{lex.WEEKDAY_RE}\s*(?:{lex.DASH}|to|through|thru)\s*$")
_CLAUSE_END = re.compile(r"[,;:.!?\n]")
_PER_BEFORE = re.compile(r"(?:[$€£%\d]|\bonce|\btwice|\bthrice|\btimes)\s*$")
_GREETING = re.compile(r"\b(?:happy|merry|blessed|joyous|wonderful|great|nice|lovely|good)"
                       r"\s+(?:and\s+\w+\s+)?(?:the\s+)?$")
_STRICT_MONTHS = frozenset({"may", "mar", "march", "jan"})
"""Month names that are also everyday words ("we may", "march on", "Jan from accounting"): they
need a modifier ("in May") or a call-back verb just before them ("check back March")."""

_HOLIDAY_NAMES: list[tuple[str, str]] = [
    ("christmas", "christmas"), ("xmas", "christmas"), ("x-mas", "christmas"),
    ("thanksgiving", "thanksgiving"), ("easter", "easter"), ("tax", "tax_season"),
    ("labo", "labor_day"), ("memorial", "memorial_day"), ("independence", "july_4"),
    ("4th of july", "july_4"), ("fourth of july", "july_4"), ("first of the year", "new_year"),
    ("turn of the year", "new_year"), ("mid", "midyear"), ("black friday", "black_friday"),
    ("new", "new_year"), ("the holidays", "holidays"), ("holiday", "holidays"),
    ("festive", "holidays"), ("winter break", "holidays"), ("the hol", "holidays"),
]
_BUSY = frozenset({"christmas", "holidays", "thanksgiving", "easter", "tax_season",
                   "black_friday"})
_HOLIDAY_GRANULARITY = {"new_year": cal.YEAR, "holidays": cal.WEEK, "christmas": cal.WEEK,
                        "thanksgiving": cal.WEEK, "tax_season": cal.MONTH,
                        "midyear": cal.MONTH}


def handles(*groups: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        for group in groups:
            HANDLERS[group] = func
        return func
    return register


def _flags(text: str) -> int:
    return cues.scan(lex.WORD.findall(text))



def _told_as_history(r: Rules, start: int, end: int) -> bool:
    """Whether the clause around ``low[start:end]`` tells what already happened ("we signed in
    March", "it took us 6 months", "our Q3 results were great") and looks nowhere ahead."""
    lo = max(0, start - 120)
    for found in _CLAUSE_END.finditer(r.low, lo, start):
        lo = found.end()
    stop = _CLAUSE_END.search(r.low, end, end + 60)
    clause = r.low[lo:stop.start() if stop else end + 60]
    return cues.past_event(_flags(clause), clause)


def _has_mods(mods: Mods) -> bool:
    return bool(mods.prep or mods.det or mods.part or mods.negated)


def _two_digit_year(text: str) -> int:
    value = int(text.lstrip("'"))
    return value + 2000 if value < 100 else value


def nth_period(unit: str, offset: int, today: date, fiscal_start: int | None = None
               ) -> cal.Period:
    """The week/month/quarter/year (or fiscal year) ``offset`` periods from today's."""
    if unit.startswith("week"):
        return cal.week_period(today + timedelta(days=7 * offset))
    if unit.startswith("month"):
        start = cal.add_months(today.replace(day=1), offset)
        return cal.month_period(start.year, start.month)
    if unit.startswith(("quarter", "qtr")):
        year, quarter0 = divmod(today.year * 4 + (today.month - 1) // 3 + offset, 4)
        return cal.quarter_period(year, quarter0 + 1)
    if fiscal_start and fiscal_start != 1:
        year = today.year if today.month >= fiscal_start else today.year - 1
        return cal.fiscal_year_period(year + offset, fiscal_start)
    return cal.year_period(today.year + offset)


# ---------------------------------------------------------------------- spans
_UNIT_PREFIXES = (("bus", "bday"), ("wor", "bday"), ("d", "day"), ("w", "week"),
                  ("f", "fortnight"), ("q", "quarter"), ("y", "year"), ("m", "month"))


@handles("span")
def span(r: Rules, m: re.Match[str], mods: Mods) -> Resolved | None:
    """"In six months", "90 days", "a couple of weeks", "the next 2 years", "2-3 years"."""
    right = r.right(m.end())
    if (mods.det in ("last", "every") or mods.part == "past" or mods.prep == "since"
            or lex.PAST_RIGHT.match(right) or right.startswith(("-to-", "-long"))
            or _RIGHT_OF_NOUN.match(right) or _RIGHT_BEFORE.match(right)):
        return None
    count_text = m.group("count")
    value, vague = lex.parse_count(count_text)
    if count_text in ("a", "an") and _PER_BEFORE.search(r.low, max(0, m.start() - 8), m.start()):
        return None  # "$50 a month", "once a quarter"
    if m.group("tail") and "half" in m.group("tail").lower():
        value += 0.5
    unit_text = m.group("unit").lower()
    unit = next(name for prefix, name in _UNIT_PREFIXES if unit_text.startswith(prefix))
    day = _add_span(r, unit, value)
    granularity = _span_granularity(unit, value)
    phrase = m.group("span")
    adjective = (_HYPHENATED.search(phrase) is not None
                 or not unit_text.endswith("s") and value > 1)
    if adjective and _ADJ_FOLLOW.match(right) and not _NOT_ADJ_WORDS.match(right):
        if lex.CONTRACT_NOUN.match(right):  # "a 3-year contract": approach its end
            return r.after_today(day - cal.RENEWAL_LEAD), granularity, 0.6, "renewal"
        return day, granularity, 0.4, "relative"
    if (mods.prep not in ("after", "until", "not_before") and mods.det != "next"
            and not _RIGHT_FROM_NOW.match(right) and _told_as_history(r, m.start(), m.end())):
        return None  # "we've used them for 5 years", "it took us 6 months"
    if mods.prep in ("in", "after", "until", "not_before") or _RIGHT_FROM_NOW.match(right):
        confidence = 0.85
    elif mods.det == "next":
        confidence = 0.6 if mods.prep in ("over", "for", None) and vague else 0.8
    elif mods.prep in ("for", "over"):
        confidence = 0.6
    else:
        confidence = 0.5
    if vague:
        confidence -= 0.1
    return day, granularity, confidence, "relative"


def _add_span(r: Rules, unit: str, value: float) -> date:
    today = r.today
    if unit == "bday":
        return businessdays.add_business_days(today, max(1, round(value)), r.s.country)
    if unit in ("day", "week", "fortnight"):
        days = value * {"day": 1, "week": 7, "fortnight": 14}[unit]
        return r.after_today(today + timedelta(days=round(days)))
    months = value * {"month": 1, "quarter": 3, "year": 12}[unit]
    whole = int(months)
    day = cal.add_months(today, whole) + timedelta(days=round((months - whole) * 30))
    return r.after_today(day)


def _span_granularity(unit: str, value: float) -> str:
    if unit in ("day", "bday"):
        return cal.DAY if value < 7 else cal.WEEK if value < 28 else cal.MONTH
    if unit in ("week", "fortnight"):
        return cal.WEEK if value <= 8 else cal.MONTH
    return {"month": cal.MONTH, "quarter": cal.QUARTER, "year": cal.YEAR}[unit]


# ---------------------------------------------------------------------- dates
def _roll_or_fix(r: Rules, make: Callable[[int], cal.Period | None], year: int | None,
                 mods: Mods, *, busy: bool = False) -> date | None:
    if year is not None:
        period = make(year)
        return None if period is None else r.fixed(period, mods, busy=busy)
    rolled = r.roll(make, mods, busy=busy)
    return None if rolled is None else rolled[0]


def _explicit_year(r: Rules, right: str, given: str | None) -> int | None:
    if given:
        return _two_digit_year(given)
    if _RIGHT_NEXT_YEAR.match(right):
        return r.today.year + 1
    if _RIGHT_THIS_YEAR.match(right):
        return r.today.year
    return None


@handles("md", "dm")
def month_day(r: Rules, m: re.Match[str], mods: Mods) -> Resolved | None:
    """"May 13", "13th May", "Monday, Jan. 4", "12-19 October", "Sept 2, 2027"."""
    if m.group("md"):
        month_text, first, last, year_text = (m.group("md_m"), m.group("md_d"),
                                              m.group("md_d2"), m.group("md_y"))
    else:
        month_text, first, last, year_text = (m.group("dm_m"), m.group("dm_d"),
                                              m.group("dm_d2"), m.group("dm_y"))
    month = lex.month_number(month_text)
    first_day, last_day = int(first), int(last) if last else int(first)

    def make(year: int) -> cal.Period | None:
        try:
            start, final = date(year, month, first_day), date(year, month, last_day)
        except ValueError:
            return None
        return cal.Period(start, final + timedelta(days=1), cal.DAY) if final >= start else None

    absence = False
    if last:
        lo, hi = m.start() - 120, m.end() + 60
        around = r.low[max(0, lo):hi]
        absence = cues.absence(_flags(around), around)
    year = _explicit_year(r, r.right(m.end()), year_text)
    day = _roll_or_fix(r, make, year, mods, busy=absence)
    if day is None:
        return None
    confidence = 0.9 if _has_mods(mods) or year else 0.8
    return day, cal.DAY, confidence, "return" if absence else "date"


@handles("iso", "slash")
def numeric_date(r: Rules, m: re.Match[str], mods: Mods) -> Resolved | None:
    """"2027-03-15"; "3/15", "15/3/2027", "15.03.2027" (D/M outside the US, Canada and PH)."""
    if m.group("iso"):
        year: int | None = int(m.group("iy"))
        month, day_of_month = int(m.group("im")), int(m.group("id"))
    else:
        a, b, c = int(m.group("s1")), int(m.group("s2")), m.group("s3")
        if c is None and ("." in m.group("slash") or mods.prep is None):
            return None  # "1.5", "1/2" - a fraction, not a date
        us = (r.s.country or "US").upper() in cal.US_STYLE_DATES
        month, day_of_month = (a, b) if (us and a <= 12) or b > 12 else (b, a)
        year = _two_digit_year(c) if c else None

    def make(y: int) -> cal.Period | None:
        try:
            start = date(y, month, day_of_month)
        except ValueError:
            return None
        return cal.Period(start, start + timedelta(days=1), cal.DAY)

    day = _roll_or_fix(r, make, year, mods)
    return None if day is None else (day, cal.DAY, 0.85, "date")


@handles("month")
def month_name(r: Rules, m: re.Match[str], mods: Mods) -> Resolved | None:
    """"In April", "mid January", "end of March", "next September", "April 2027"."""
    token = m.group("mo").lower().rstrip(".")
    right = r.right(m.end())
    year = _explicit_year(r, right, m.group("mo_y"))
    if mods.det in ("last", "every"):
        return None
    if year is None and token in _STRICT_MONTHS and (
            lex.MAY_VERB.match(right) or not _has_mods(mods) and (
                token == "jan"
                or not cues.callback(lex.WORD.findall(r.low, max(0, m.start() - 25), m.start())))):
        return None  # "we may revisit", "Jan from accounting"
    month = lex.month_number(token)
    day = _roll_or_fix(r, lambda y: cal.month_period(y, month), year, mods)
    if day is None:
        return None
    confidence = 0.85 if _has_mods(mods) or year else 0.6
    if year is None and _told_as_history(r, m.start(), m.end()):
        return None  # "we signed with them in March": history, not a hint
    return day, cal.MONTH, confidence, "month"


@handles("weekday")
def weekday(r: Rules, m: re.Match[str], mods: Mods) -> Resolved | None:
    """"Monday" is the next Monday; "next Tuesday" is Tuesday of next week."""
    if mods.det in ("last", "every") or mods.part == "past" or mods.prep == "since":
        return None
    target = lex.weekday_number(m.group("wd"))
    today = r.today
    if mods.det == "next":
        day = cal.week_period(today).end + timedelta(days=target)
    else:
        day = today + timedelta(days=(target - today.weekday()) % 7 or 7)
    if m.group("wd_week"):
        day += timedelta(days=7)
    if mods.prep in ("after", "through"):
        day += timedelta(days=1)
    confidence = 0.8 if _has_mods(mods) else 0.7
    if _told_as_history(r, m.start(), m.end()) or _WEEKDAY_RANGE_LEFT.search(
            r.low, max(0, m.start() - 16), m.start()):
        return None  # "thanks for the call on Monday", "Monday-Friday"
    return r.after_today(day), cal.DAY, confidence, "weekday"


@handles("ordinal")
def ordinal(r: Rules, m: re.Match[str], mods: Mods) -> Resolved | None:
    """"The 5th", "on the 13th", "after the 15th of next month"."""
    follow = _ORDINAL_FOLLOW.match(r.right(m.end()))
    if follow is None or not (mods.det == "the" or mods.prep) or mods.det in ("last", "every"):
        return None
    wanted = int(m.group("od"))
    base = r.today.replace(day=1)
    if follow.group("which") == "next":
        base = cal.add_months(base, 1)
    for months in range(0, 3):
        first = cal.add_months(base, months)
        try:
            day = first.replace(day=wanted)
        except ValueError:
            continue
        if mods.prep == "after":
            day += timedelta(days=1)
        if day > r.today:
            return r.after_today(day), cal.DAY, 0.75, "date"
    return None


# ---------------------------------------------------------------------- periods
_QUARTER_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
                  "fourth": 4, "4th": 4, "final": 4, "last": 4}


@handles("quarter")
def quarter(r: Rules, m: re.Match[str], mods: Mods) -> Resolved | None:
    """"Q3", "Q3 2027", "the third quarter", "end of Q1", "after Q1", "Q1 of next year"."""
    number = m.group("qn") or m.group("qn2")
    word = (m.group("qw") or "").lower()
    right = r.right(m.end())
    if word in ("last", "final") and not (m.group("qy") or _RIGHT_OF_YEAR.match(right)
                                          or _RIGHT_NEXT_YEAR.match(right)):
        return None  # "last quarter" is the previous one
    n = int(number) if number else _QUARTER_WORDS[word]
    year = _explicit_year(r, right, m.group("qy"))
    day = _roll_or_fix(r, lambda y: cal.quarter_period(y, n), year, mods)
    if day is None:
        return None
    if year is None and _told_as_history(r, m.start(), m.end()):
        return None  # "our Q3 results were great"
    return day, cal.QUARTER, 0.85, "quarter"


@handles("half")
def half(r: Rules, m: re.Match[str], mods: Mods) -> Resolved | None:
    """"H2", "H1 2027"."""
    n = int(m.group("hn"))
    year = _explicit_year(r, r.right(m.end()), m.group("hy"))
    day = _roll_or_fix(r, lambda y: cal.half_period(y, n), year, mods)
    return None if day is None else (day, cal.QUARTER, 0.75, "quarter")


@handles("thistime")
def this_time_next(r: Rules, m: re.Match[str], mods: Mods) -> Resolved | None:
    """"This time next year": the same day one period on."""
    unit = m.group("ttu").lower()
    day = {"week": r.today + timedelta(days=7), "month": cal.add_months(r.today, 1),
           "year": cal.add_months(r.today, 12)}[unit]
    return r.after_today(day), unit, 0.85, "relative"


@handles("pend")
def period_end(r: Rules, m: re.Match[str], mods: Mods) -> Resolved | None:
    """"Year end", "EOQ", "after year-end"."""
    token = (m.group("pend_u") or m.group("pend")).lower()
    unit = {"eoy": "year", "eoq": "quarter", "eom": "month", "eow": "week"}.get(token, token)
    return _current_or_next(r, unit, mods._replace(part=mods.part or "end"), 0.8)


def _current_or_next(r: Rules, unit: str, mods: Mods, confidence: float,
                     offset: int = 0) -> Resolved | None:
    fiscal = r.s.fiscal_year_start if unit.startswith("y") and _budget_talk(r, mods) else None
    period = nth_period(unit, offset, r.today, fiscal)
    day = r.apply(period, mods)
    if day is None:
        return None
    if day <= r.today:
        if offset == 0 and period.end > r.today and mods.part in ("end", "late", "last_week"):
            day = r.today + timedelta(days=1)
        else:
            period = nth_period(unit, offset + 1, r.today, fiscal)
            day = r.apply(period, mods)
            if day is None:
                return None
    granularity = {"week": cal.WEEK, "month": cal.MONTH, "quarter": cal.QUARTER,
                   "qtr": cal.QUARTER}.get(unit, cal.YEAR)
    kind = {cal.YEAR: "year", cal.QUARTER: "quarter"}.get(granularity, "relative_period")
    return r.after_today(day), granularity, confidence, "fiscal" if fiscal else kind


def _budget_talk(r: Rules, mods: Mods) -> bool:
    lo = max(0, mods.start - 80)
    return bool(_flags(r.low[lo:mods.start + 40]) & cues.BUDGET)


@handles("period")
def period(r: Rules, m: re.Match[str], mods: Mods) -> Resolved | None:
    """"Next week", "this quarter" (the next one), "end of the month", "early next year"."""
    unit = m.group("period").lower()
    unit = {"yr": "year", "qtr": "quarter"}.get(unit, unit)
    if mods.det in ("last", "every") or mods.part == "past" or mods.prep == "since":
        return None
    if unit == "weekend":
        if mods.det not in ("the", "this", "next") and mods.prep is None:
            return None
        extra = 7 if mods.det == "next" else 0
        return (r.after_today(cal.week_period(r.today).end + timedelta(days=extra)), cal.DAY,
                0.7, "weekday")
    if mods.det is None and mods.part is None:
        return None  # "months of work", "per year"
    if _RIGHT_AFTER_NEXT.match(r.right(m.end())):
        return _current_or_next(r, unit, mods, 0.8, offset=2)
    if mods.det in ("next", "new"):
        return _current_or_next(r, unit, mods, 0.85, offset=1)
    if mods.part is None and mods.prep not in ("until", "through", "after"):
        # "not this year", "busy this quarter": the next one
        lo = max(0, mods.start - 80)
        before = r.low[lo:m.end()]
        negative = mods.negated or cues.negation(_flags(before), before)
        return _current_or_next(r, unit, mods, 0.75 if negative else 0.55, offset=1)
    return _current_or_next(r, unit, mods, 0.8)


@handles("year")
def year_number(r: Rules, m: re.Match[str], mods: Mods) -> Resolved | None:
    """"2028", "until 2027", "mid-2027", "end of 2027"; the current year reads as "this year"."""
    value = int(m.group("year"))
    before = r.low[max(0, m.start() - 3):m.start()]
    if value < r.today.year or re.search(r"(?:\d\s*[-/.]|[#$©\d]|\(c\))\s*$", before):
        return None
    if value == r.today.year:
        if mods.part is None and mods.prep in (None, "in", "for"):
            if not mods.prep and not mods.negated:
                return None  # "© 2026", "our 2026 plan"
            return _current_or_next(r, "year", mods, 0.7, offset=1)
        return _current_or_next(r, "year", mods, 0.7)
    day = r.fixed(cal.year_period(value), mods)
    if day is None:
        return None
    return day, cal.YEAR, 0.8 if _has_mods(mods) else 0.5, "year"


@handles("fiscal")
def fiscal(r: Rules, m: re.Match[str], mods: Mods) -> Resolved | None:
    """"Next fiscal year", "FY27", "when our fiscal year starts in April", "budget cycle"."""
    token = m.group("fiscal").lower()
    right = r.right(m.end(), 60)
    start_month = r.s.fiscal_year_start or 1
    starts = lex.FISCAL_START.match(right)
    if starts:
        start_month = lex.month_number(starts.group("month"))
        if (starts.group("verb") or "").lower().startswith(("end", "clos")):
            start_month = start_month % 12 + 1
    elif token in ("fiscal", "fy") and not (mods.det in ("next", "new", "this") or mods.part
                                            or mods.prep and mods.det):
        return None  # "our fiscal discipline"
    granularity = cal.MONTH if starts else cal.YEAR
    confidence = 0.9 if starts else 0.85
    if m.group("fyy"):
        named = _two_digit_year(m.group("fyy"))
        first = cal.fiscal_year_period(named if start_month == 1 else named - 1, start_month)
        day = r.fixed(first, mods)
        return None if day is None else (day, granularity, 0.8, "fiscal")
    today = r.today
    current = cal.fiscal_year_period(
        today.year if today.month >= start_month else today.year - 1, start_month)
    nxt = cal.fiscal_year_period(current.end.year, start_month)
    part = "end" if (_RIGHT_END.match(right) or token == "fye") else mods.part
    if part in ("end", "late", "mid", "second_half", "last_week") and mods.prep != "after":
        for period_ in (current, nxt):
            day = cal.part_of(period_, part)
            if day > today:
                return r.after_today(day), granularity, confidence, "fiscal"
    return r.after_today(nxt.start), granularity, confidence, "fiscal"


# ---------------------------------------------------------------------- seasons & holidays
@handles("season")
def season(r: Rules, m: re.Match[str], mods: Mods) -> Resolved | None:
    """"In the spring", "after summer", "early fall", "summer 2027" (meteorological seasons)."""
    phrase = m.group("season")
    name = m.group("season_w")
    if mods.det in ("last", "every") or mods.part == "past":
        return None
    if name == "fall" and not _has_mods(mods):
        return None  # "prices fall"
    busy = len(phrase.split()) > 1 and mods.prep not in ("in", "from")
    year = _explicit_year(r, r.right(m.end()), m.group("sy"))
    day = _roll_or_fix(r, lambda y: cal.season_period(y, name, r.s.country), year, mods,
                       busy=busy)
    if day is None or year is None and _told_as_history(r, m.start(), m.end()):
        return None
    return day, cal.MONTH, 0.75 if _has_mods(mods) else 0.6, "season"


@handles("hol")
def holiday(r: Rules, m: re.Match[str], mods: Mods) -> Resolved | None:
    """"After the holidays", "after Christmas", "in the new year", "after tax season"."""
    phrase = m.group("hol_w")
    if _GREETING.search(r.low, max(0, m.start() - 24), m.start()):
        return None  # "Happy New Year", "Merry Christmas"
    name = next((key for prefix, key in _HOLIDAY_NAMES if phrase.startswith(prefix)), "")
    tail = (m.group("hol_tail") or "").lower()
    if name == "christmas" and tail.strip() in ("break", "holidays", "holiday", "season",
                                               "period"):
        name = "holidays"
    if not name or mods.det in ("last", "every") or mods.part == "past":
        return None
    busy = name in _BUSY
    country = r.s.country
    year = _explicit_year(r, r.right(m.end()), None)
    day = _roll_or_fix(r, lambda y: cal.holiday_period(name, y, country), year, mods,
                       busy=busy)
    if day is None or year is None and _told_as_history(r, m.start(), m.end()):
        return None  # "our mid-year review went well"
    kind = "season" if name in ("tax_season", "midyear") else "holiday"
    return day, _HOLIDAY_GRANULARITY.get(name, cal.DAY), 0.85, kind


@handles("tmrw")
def tomorrow(r: Rules, m: re.Match[str], mods: Mods) -> Resolved | None:
    days = 2 if "after" in m.group("tmrw").lower() else 1
    if mods.prep == "after":
        days += 1
    return r.after_today(r.today + timedelta(days=days)), cal.DAY, 0.8, "relative"
