"""Time as an argument: the core never reads the system clock itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock for tests and for replaying history: it says what it is told."""

    instant: datetime

    def now(self) -> datetime:
        return self.instant

    def advance(self, **kwargs: float) -> None:
        from datetime import timedelta

        self.instant = self.instant + timedelta(**kwargs)
