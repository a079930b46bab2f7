"""Calendar arithmetic for time hints: periods, their parts, and the named days of a year.

A *period* is a half-open span of days ``[start, end)`` with a granularity. The rules in
:mod:`notnow.core.timehints_rules` name a period ("April", "Q3 2027", "next year", "the holidays")
and a part of it ("early", "mid", "end of", "after"); this module turns the pair into a day.
Everything here is pure and cheap: no parsing, no I/O.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from typing import NamedTuple

from dateutil.easter import easter

DAY = "day"
WEEK = "week"
MONTH = "month"
QUARTER = "quarter"
YEAR = "year"

END_STRETCH_DAYS = {DAY: 1, WEEK: 3, MONTH: 7, QUARTER: 15, YEAR: 15}
"""How many days at the close of a period make its "end" (a week's end is Friday to Sunday).

"End of March" lands on 25 March, "end of the year" on 17 December: late enough to be the end,
early enough to reach people before a month-end or holiday close.
"""

RENEWAL_LEAD = timedelta(weeks=6)
"""How long before a renewal (or a contract's end) to come back: time to be considered."""

BEFORE_DAYS = {DAY: 14, WEEK: 14, MONTH: 30, QUARTER: 30, YEAR: 30}
""""Before Christmas" means about two weeks ahead of it; "before April", the month before."""

US_STYLE_DATES = frozenset({"US", "CA", "PH"})
"""Countries that write the month first in numeric dates (3/4 is 4 March); others read D/M."""

SOUTHERN_HEMISPHERE = frozenset({"AU", "NZ", "ZA", "AR", "BR", "CL", "UY", "PY"})

TAX_DEADLINES: dict[str, tuple[int, int]] = {
    "US": (4, 15),
    "CA": (4, 30),
    "GB": (1, 31),
    "UK": (1, 31),
    "AU": (10, 31),
    "NZ": (7, 7),
    "IN": (7, 31),
    "IE": (10, 31),
}
"""Last day of the personal tax season per country; "after tax season" is the day after it."""


class Period(NamedTuple):
    """Days ``start`` (inclusive) to ``end`` (exclusive) at a granularity."""

    start: date
    end: date
    granularity: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, the day of month clamped to the target month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    return date(year, month0 + 1, min(day.day, monthrange(year, month0 + 1)[1]))


def month_period(year: int, month: int) -> Period:
    return Period(date(year, month, 1), date(year + month // 12, month % 12 + 1, 1), MONTH)


def quarter_period(year: int, quarter: int) -> Period:
    return Period(date(year, 3 * quarter - 2, 1),
                  date(year + quarter // 4, (3 * quarter) % 12 + 1, 1), QUARTER)


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year + 1, 1, 1), YEAR)


def half_period(year: int, half: int) -> Period:
    start = date(year, 1 if half == 1 else 7, 1)
    return Period(start, add_months(start, 6), QUARTER)


def week_period(day: date) -> Period:
    """The Monday-to-Sunday week holding ``day``."""
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=7), WEEK)


def fiscal_year_period(year: int, start_month: int) -> Period:
    """The fiscal year that *starts* in ``year`` at ``start_month``."""
    start = date(year, start_month, 1)
    return Period(start, add_months(start, 12), YEAR)


def season_period(year: int, season: str, country: str | None) -> Period:
    """Meteorological seasons (spring = March to May ...), flipped south of the equator.

    Winter of ``year`` starts in December of ``year`` in the north.
    """
    first_month = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}[season]
    if (country or "").upper() in SOUTHERN_HEMISPHERE:
        first_month = (first_month + 6 - 1) % 12 + 1
    start = date(year, first_month, 1)
    return Period(start, add_months(start, 3), MONTH)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The ``nth`` (1-based; -1 for the last) ``weekday`` of a month."""
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    last = date(year, month, monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def holiday_period(name: str, year: int, country: str | None) -> Period | None:
    """The span a named holiday or busy season covers in ``year`` (None when unknown).

    "After X" is the period's end, so busy spans run to the day work normally resumes:
    the holidays end on 2 January, Thanksgiving on the Monday after it, Easter after Easter
    Monday, tax season the day after the filing deadline of the country (US: 15 April).
    """
    code = (country or "US").upper()
    if name == "christmas":
        return Period(date(year, 12, 24), date(year, 12, 26), DAY)
    if name == "holidays":
        return Period(date(year, 12, 20), date(year + 1, 1, 2), WEEK)
    if name == "new_year":
        return Period(date(year, 1, 1), date(year, 1, 2), DAY)
    if name == "new_year_eve":
        return Period(date(year, 12, 31), date(year + 1, 1, 1), DAY)
    if name == "thanksgiving":
        if code == "CA":
            day = _nth_weekday(year, 10, 0, 2)
            return Period(day, day + timedelta(days=1), DAY)
        day = _nth_weekday(year, 11, 3, 4)
        return Period(day, day + timedelta(days=4), WEEK)
    if name == "easter":
        sunday = easter(year)
        return Period(sunday - timedelta(days=2), sunday + timedelta(days=2), WEEK)
    if name == "tax_season":
        month, day_of_month = TAX_DEADLINES.get(code, TAX_DEADLINES["US"])
        deadline = date(year, month, day_of_month)
        return Period(deadline - timedelta(days=90), deadline + timedelta(days=1), MONTH)
    if name == "labor_day":
        day = _nth_weekday(year, 9, 0, 1)
        return Period(day, day + timedelta(days=1), DAY)
    if name == "memorial_day":
        day = _nth_weekday(year, 5, 0, -1)
        return Period(day, day + timedelta(days=1), DAY)
    if name == "july_4":
        return Period(date(year, 7, 4), date(year, 7, 5), DAY)
    if name == "black_friday":
        day = _nth_weekday(year, 11, 3, 4) + timedelta(days=1)
        return Period(day, day + timedelta(days=3), DAY)
    if name == "midyear":
        return Period(date(year, 7, 1), date(year, 7, 2), MONTH)
    return None


def part_of(period: Period, part: str | None) -> date:
    """The day that starts a part of ``period``.

    ``None``/"start" is the first day; "mid" the middle (the 15th of a month); "late" two thirds
    in; "end" the start of the period's last stretch (see ``END_STRETCH_DAYS``); "second_half" the
    middle; "after" the day after the period.
    """
    if part is None or part == "start":
        return period.start
    if part == "mid":
        if period.granularity == MONTH and period.days < 32:
            return period.start.replace(day=15)
        return period.start + timedelta(days=period.days // 2)
    if part == "second_half":
        return period.start + timedelta(days=period.days // 2)
    if part == "late":
        return period.start + timedelta(days=(2 * period.days) // 3)
    if part == "end":
        last = period.end - timedelta(days=1)
        stretch = END_STRETCH_DAYS.get(period.granularity, 7)
        return max(period.start, last - timedelta(days=stretch - 1))
    if part == "after":
        return period.end
    if part == "last_week":
        return max(period.start, period.end - timedelta(days=7))
    raise ValueError(f"unknown part of a period: {part!r}")


def before(day: date, granularity: str) -> date:
    """The day to come back *before* ``day`` (two weeks ahead of a day, a month ahead of more)."""
    return day - timedelta(days=BEFORE_DAYS.get(granularity, 14))
