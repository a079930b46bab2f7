"""Business days: weekends and public holidays of a country (the `holidays` package).

Used by time hints (a check-back falls on the first business day of a period) and by the
follow-up engine (no touch on a weekend or a holiday in the contact's calendar).

Importing `holidays` and working out a country's first year cost about 0.1 s, which every
`notnow log` paid. A process that is told where (:func:`keep_calendars_in`, the workspace's
``cache`` folder) keeps the holidays it works out in a file named after the `holidays`
release, and reads them from there in later runs; a file that cannot be read, or holds
anything but lists of days, is ignored and written again.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

DEFAULT_COUNTRY = "US"
"""Used when a contact's country is unknown: most calendars close on 1 January too."""


_kept: dict[str, Any] = {"folder": None, "days": None}
"""Where calendars are kept between runs (None: nowhere), and what was read from there."""
_keeping = threading.Lock()
"""Held while the kept calendars are read or written (a server's threads work them out)."""


def keep_calendars_in(folder: Path | None) -> None:
    """Keep the calendars this process works out in `folder` (which the caller made, private)
    and read them from there. What the process holds already stays: a calendar is the same
    wherever it is kept."""
    with _keeping:
        if folder != _kept["folder"]:
            _kept.update(folder=folder, days=None)


def _kept_file() -> Path | None:
    folder = _kept["folder"]
    if folder is None:
        return None
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("holidays")
    except PackageNotFoundError:  # pragma: no cover - a dependency of notnow
        return None
    return Path(folder) / f"holidays-{release}.json"


def _kept_days() -> dict[str, list[str]]:
    """The calendars read from the kept file (once; under ``_keeping``)."""
    if _kept["days"] is None:
        days: dict[str, list[str]] = {}
        path = _kept_file()
        try:
            got = json.loads(path.read_text(encoding="utf-8")) if path else {}
        except (OSError, ValueError):
            got = {}
        if isinstance(got, dict):
            days = {k: v for k, v in got.items() if isinstance(k, str) and isinstance(v, list)
                    and all(isinstance(d, str) for d in v)}
        _kept["days"] = days
    return _kept["days"]  # type: ignore[no-any-return]


def _keep(key: str, days: frozenset[date]) -> None:
    """Add a calendar to the kept file (under ``_keeping``)."""
    path = _kept_file()
    if path is None:
        return
    kept = _kept_days()
    kept[key] = sorted(d.isoformat() for d in days)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".holidays-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(kept, fh, separators=(",", ":"))
            os.replace(tmp, path)  # made 0600; a process writing at once: the last one wins
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # a folder we cannot write to: worked out again next time


@lru_cache(maxsize=256)
def _calendar(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    key = json.dumps([country.upper(), subdivision, year])
    with _keeping:
        kept = _kept_days().get(key) if _kept["folder"] is not None else None
    if kept is not None:
        try:
            return frozenset(date.fromisoformat(d) for d in kept)
        except ValueError:
            pass
    days = _work_out(country, subdivision, year)
    with _keeping:
        _keep(key, days)
    return days


def _work_out(country: str, subdivision: str | None, year: int) -> frozenset[date]:
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
