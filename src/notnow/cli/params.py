"""Reading values that people type: dates, stdin text, integers. Errors name the option."""

from __future__ import annotations

import sys
from datetime import date, datetime

from notnow.core import limits
from notnow.errors import InvalidInput


def parse_date(value: str | None, *, field: str) -> date | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"not a date: {value!r} (use YYYY-MM-DD)", field=field) from None
    return limits.check_day(day, field=field)


def parse_when(value: str | None, *, field: str = "when",
               now: datetime | None = None) -> datetime | None:
    """An ISO date or datetime; a date means noon that day (UTC when no zone is given) — or,
    for today before noon, ``now``."""
    if value is None:
        return None
    from datetime import UTC, time

    text = value.strip()
    try:
        if len(text) == 10:
            noon = datetime.combine(date.fromisoformat(text), time(12, 0), tzinfo=UTC)
            parsed = min(noon, now) if now is not None and noon.date() == now.date() else noon
        else:
            parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"not a date or time: {value!r} (use YYYY-MM-DD or "
                           "YYYY-MM-DDTHH:MM)", field=field) from None
    limits.check_day(parsed, field=field)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def read_stdin_text(*, field: str = "text") -> str:
    """The prospect's words from standard input: must be non-empty text, not binary."""
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    if b"\x00" in data:
        raise InvalidInput("standard input looks binary (it has NUL bytes); pipe text",
                           field=field)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"standard input is not UTF-8 text (byte {exc.start})",
                           field=field) from None
    if not text.strip():
        raise InvalidInput("standard input is empty", field=field)
    return text


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()
