"""Settings, declared as data: each has an environment variable, a default and help.

`docs/configuration.md` and the README table are checked against `SETTINGS` by a test, so a
setting cannot be added without being documented.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from notnow.errors import InvalidInput


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("NOTNOW_HOME", "the user data folder (platformdirs), e.g. ~/.local/share/notnow",
            "Folder that holds the workspace: the SQLite file, team model, exports, and "
            "cache/ (holidays already worked out)."),
    Setting("NOTNOW_DATABASE_URL", "sqlite:///$NOTNOW_HOME/notnow.db",
            "SQLAlchemy URL of the database. Use postgresql+psycopg://user@host/db for team "
            "mode; plain postgresql:// URLs are read as psycopg 3."),
    Setting("NOTNOW_USER", "the workspace owner",
            "Name or email of the user the CLI acts as (team mode)."),
    Setting("NOTNOW_TIMEZONE", "UTC",
            "Default IANA time zone for 'today' when an account or contact has none."),
    Setting("NOTNOW_COUNTRY", "US",
            "Default country (ISO code) for public holidays when an account has none."),
    Setting("NOTNOW_NOW", "(unset: the system clock)",
            "Fix the clock to an ISO date or datetime, e.g. 2026-11-22T09:00 — for demos, "
            "replays and tests."),
    Setting("NOTNOW_DEV", "(unset)",
            "1 re-reads page templates when they change (for people editing them); otherwise "
            "each is compiled once per server process."),
    Setting("NO_COLOR", "(unset)", "Any value turns off colour in the CLI."),
    Setting("FORCE_COLOR", "(unset)",
            "Any value keeps the terminal's layout (bold, colour, lines wrapped to the width) "
            "when the output goes to a pipe or a file; otherwise such output is plain text, "
            "one line each."),
)


@dataclass(frozen=True)
class Config:
    home: Path
    database_url: str
    user: str | None
    timezone: str
    country: str
    now: datetime | None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("notnow", appauthor=False))


def normalise_database_url(url: str) -> str:
    """Accept the common spellings and make PostgreSQL use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def parse_now(value: str, tz: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"not an ISO date or datetime: {value!r}", field="NOTNOW_NOW") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(tz))
    return parsed.astimezone(UTC)


def check_timezone(name: str, *, field: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"unknown time zone {name!r} (use an IANA name such as "
                           "Europe/Paris)", field=field) from None
    return name


def load(environ: Mapping[str, str] | None = None) -> Config:
    env = os.environ if environ is None else environ
    home = Path(env["NOTNOW_HOME"]).expanduser() if env.get("NOTNOW_HOME") else default_home()
    url = env.get("NOTNOW_DATABASE_URL") or f"sqlite:///{home / 'notnow.db'}"
    tz = check_timezone(env.get("NOTNOW_TIMEZONE") or "UTC", field="NOTNOW_TIMEZONE")
    now = parse_now(env["NOTNOW_NOW"], tz) if env.get("NOTNOW_NOW") else None
    return Config(
        home=home,
        database_url=normalise_database_url(url),
        user=env.get("NOTNOW_USER") or None,
        timezone=tz,
        country=(env.get("NOTNOW_COUNTRY") or "US").upper(),
        now=now,
    )


def today_in(tz: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(tz)).date()
