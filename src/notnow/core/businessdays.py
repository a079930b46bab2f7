"""Business days: weekends and public holidays of a country (the `holidays` package).

Used by time hints (a check-back falls on the first business day of a period) and by the
follow-up engine (no touch on a weekend or a holiday in the contact's calendar).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Any

DEFAULT_COUNTRY = "US"
"""Used when a contact's country is unknown: most calendars close on 1 January too."""


@lru_cache(maxsize=256)
def _calendar(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    import holidays

    code = (country or DEFAULT_COUNTRY).upper()
    if code == "UK":
        code = "GB"
    try:
        cal: Any = holidays.country_holidays(code, subdiv=subdivision, years=year)
    except NotImplementedError:
        try:
            cal = holidays.country_holidays(code, years=year)
        except NotImplementedError:
            cal = holidays.country_holidays(DEFAULT_COUNTRY, years=year)
    return frozenset(cal.keys())


def is_holiday(day: date, country: str | None = None, subdivision: str | None = None) -> bool:
    return day in _calendar(country or DEFAULT_COUNTRY, subdivision, day.year)


def is_business_day(day: date, country: str | None = None,
                    subdivision: str | None = None) -> bool:
    return day.weekday() < 5 and not is_holiday(day, country, subdivision)


def next_business_day(day: date, country: str | None = None,
                      subdivision: str | None = None) -> date:
    """`day` itself when it is a business day, else the first one after it."""
    while not is_business_day(day, country, subdivision):
        day += timedelta(days=1)
    return day


def previous_business_day(day: date, country: str | None = None,
                          subdivision: str | None = None) -> date:
    while not is_business_day(day, country, subdivision):
        day -= timedelta(days=1)
    return day


def add_business_days(day: date, count: int, country: str | None = None,
                      subdivision: str | None = None) -> date:
    """Move `count` business days forward (or back when negative)."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += timedelta(days=step)
        if is_business_day(day, country, subdivision):
            remaining -= 1
    return day
