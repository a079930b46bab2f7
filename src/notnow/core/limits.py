"""What input notnow accepts: text lengths, ids, amounts and dates — one place for all of them.

The schemas (`notnow.services.schemas`) and the columns (`notnow.storage.tables`) take their
lengths from here, so an input is refused with a message naming its field before a database
refuses it (PostgreSQL enforces a column's length, SQLite does not): bad input is a 422, never
a 5xx. Services that take plain values (CLI arguments, query strings) check them with the
functions below. No I/O.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from notnow.errors import InvalidInput

MAX_ID = 2**31 - 1
"""The largest id (a 32-bit integer column, as on PostgreSQL)."""
MAX_COUNT = 2**31 - 1
"""The largest whole number stored in an integer column (employees…)."""
MAX_AMOUNT = Decimal(10) ** 12
"""Deal values must be below this (the column keeps 12 digits before the point, 2 after)."""
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)
"""Dates outside these are typing mistakes, not sales history (and overflow date arithmetic)."""

# text lengths, in characters
NAME = 300           # account, contact, offer, capability, title
LINE = 200           # department, location, outcome, competitor, token and user names
PLACE = 120          # industry, region, city
DOMAIN = 255
URL = 500            # website, LinkedIn profile
EMAIL = 320
PHONE = 60
TIMEZONE = 64
REASON = 2000        # do-not-contact reason, not-an-opt-out reason, erasure reason
NOTE = 5000          # rapport notes, a signal's note, a reference customer's story
REMARK = 20_000      # a rejection's notes and feelings, a journal entry
WORDS = 1_000_000    # the prospect's words (a pasted email thread)


def nul_free(value: str, field: str | None) -> str:
    """`value`, refused when it holds a NUL character (PostgreSQL cannot store one)."""
    if "\x00" in value:
        raise InvalidInput("must not contain a NUL character", field=field)
    return value


def check_text(value: str | None, field: str, max_length: int) -> str | None:
    """A free text a person typed: no NUL, at most `max_length` characters."""
    if value is None:
        return None
    nul_free(value, field)
    if len(value) > max_length:
        raise InvalidInput(f"{len(value):,} characters; at most {max_length:,}", field=field)
    return value


def check_id(value: int | None, field: str) -> int | None:
    """An id as given (1 … 2^31-1); a number out of that range names no record."""
    if value is not None and not 1 <= value <= MAX_ID:
        raise InvalidInput(f"{value} is not an id (1 to {MAX_ID})", field=field)
    return value


def check_day(value: date | None, field: str) -> date | None:
    """A date between 1900-01-01 and 2100-12-31 (a datetime is judged by its own date)."""
    if value is None:
        return None
    day = value.date() if isinstance(value, datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(f"{day.isoformat()} is out of range: use a date between "
                           f"{FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}", field=field)
    return value


def check_amount(value: Decimal | None, field: str) -> Decimal | None:
    """A money amount: 0 or more, below a trillion."""
    if value is not None and not (Decimal(0) <= value < MAX_AMOUNT):
        raise InvalidInput(f"must be at least 0 and below {MAX_AMOUNT:,}", field=field)
    return value
