"""Turn a demo reply's marked-up text into stored text, evidence spans and a check-back date."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from notnow.services.demo.data import Hint

_TOKEN = re.compile(r"\[\[|\|(\w+)\]\]|\]\]|<<|>>")


@dataclass(frozen=True)
class Marked:
    text: str
    evidence: list[dict[str, Any]]
    phrase: str | None  # the time hint's words, when there is one


def unmark(raw: str, label: str) -> Marked:
    """Remove ``[[…]]`` and ``<<…>>`` marks (which may nest), keeping where each phrase sits."""
    out: list[str] = []
    evidence: list[dict[str, Any]] = []
    opened: list[int] = []
    phrase = None
    pos = length = 0
    for m in _TOKEN.finditer(raw):
        piece = raw[pos:m.start()]
        out.append(piece)
        length += len(piece)
        pos = m.end()
        token = m.group(0)
        if token in ("[[", "<<"):
            opened.append(length)
            continue
        start = opened.pop()
        words = "".join(out)[start:length]
        kind = "time_hint" if token == ">>" else (m.group(1) or label)
        evidence.append({"start": start, "end": length, "text": words, "label": kind})
        if kind == "time_hint":
            phrase = words
    if opened:
        raise ValueError(f"unclosed mark in demo text: {raw[:60]!r}")
    out.append(raw[pos:])
    evidence.sort(key=lambda e: (e["start"], e["end"]))
    return Marked("".join(out), evidence, phrase)


def add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def next_month_start(day: date, month: int) -> date:
    """The first 1st of `month` strictly after `day`."""
    candidate = date(day.year, month, 1)
    return candidate if candidate > day else date(day.year + 1, month, 1)


GRANULARITY = {"days": "day", "weeks": "week", "months": "month", "next_quarter": "quarter",
               "quarter": "quarter", "month": "month", "next_year": "year", "fiscal": "month",
               "renewal": "month", "return": "day"}


def hint_date(hint: Hint, said_on: date, fiscal_year_start: int | None) -> date:
    """The calendar date a time hint points to (before moving to a business day)."""
    kind, n = hint
    if kind == "days" or kind == "return":
        return said_on + timedelta(days=n)
    if kind == "weeks":
        return said_on + timedelta(weeks=n)
    if kind == "months":
        return add_months(said_on, n)
    if kind == "next_quarter":
        q_start_month = 3 * ((said_on.month - 1) // 3) + 1
        return add_months(date(said_on.year, q_start_month, 1), 3)
    if kind == "quarter":
        return next_month_start(said_on, 3 * (n - 1) + 1)
    if kind == "month":
        return next_month_start(said_on, n)
    if kind == "next_year":
        return date(said_on.year + 1, 1, 1)
    if kind == "fiscal":
        return next_month_start(said_on, fiscal_year_start or 1)
    if kind == "renewal":  # approach a renewal some weeks before it falls
        return max(next_month_start(said_on, n) - timedelta(weeks=8),
                   said_on + timedelta(days=30))
    raise ValueError(f"unknown time hint kind {kind!r}")
