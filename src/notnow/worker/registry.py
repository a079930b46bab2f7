"""Job kinds: what each kind of job does, how often it recurs, how it is retried.

A `Registry` is built by whoever starts the worker (the CLI, the web app in local mode) and
passed in: no module-level list to import for its side effects. Later issues register their
kinds (calendar feeds, digests, webhooks) the same way mail sync does:

    registry = Registry()
    registry.register(JobKind("mail.sync", sync_mailbox, every=timedelta(minutes=5)))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from notnow.errors import InvalidInput
from notnow.storage.engine import Database


@dataclass
class JobContext:
    """What a handler gets: the job, the database, the time, and a way to keep its lock."""

    id: int
    kind: str
    key: str | None
    payload: dict[str, Any]
    attempt: int
    db: Database
    now: datetime
    heartbeat: Callable[[], bool] = field(repr=False)
    """Extend the job's lock; call it every few batches in a long job. False means the job
    is no longer this worker's (its lock expired and another worker took it): stop."""
    workspace: Any = field(default=None, repr=False)
    """The workspace the worker runs for (`notnow.services.workspace.Workspace`), when the
    worker was given one: what the services a handler calls take."""
    environ: Mapping[str, str] = field(default_factory=dict, repr=False)
    """The worker process's environment, passed in (mailbox secrets are read from it)."""


class Retry(Exception):  # noqa: N818 (it asks for something, it reports no fault)
    """Raise from a handler to be run again after `after` (e.g. a server said "later")."""

    def __init__(self, message: str, *, after: timedelta | None = None) -> None:
        super().__init__(message)
        self.after = after


class GiveUp(Exception):  # noqa: N818
    """Raise from a handler when retrying cannot help (a mailbox was deleted): no retry."""


Handler = Callable[[JobContext], None]


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Handler
    every: timedelta | None = None
    """Recurring: run again this long after each run."""
    max_attempts: int = 5
    lock_for: timedelta = timedelta(minutes=10)
    """How long a run may take before the job is taken to be stuck (its worker died)."""
    backoff: timedelta = timedelta(seconds=30)
    """The first retry waits this long; each next one twice as long, up to `backoff_max`."""
    backoff_max: timedelta = timedelta(hours=1)

    def retry_delay(self, attempt: int) -> timedelta:
        """The wait before retry number `attempt` (1 after the first failure)."""
        factor: int = 2 ** min(max(attempt - 1, 0), 30)
        return min(self.backoff * factor, self.backoff_max)


class Registry:
    def __init__(self, kinds: list[JobKind] | None = None) -> None:
        self._kinds: dict[str, JobKind] = {}
        for kind in kinds or []:
            self.register(kind)

    def register(self, kind: JobKind) -> None:
        if not kind.name or len(kind.name) > 64:
            raise InvalidInput("a job kind's name is 1 to 64 characters", field="name")
        if kind.name in self._kinds:
            raise InvalidInput(f"the job kind {kind.name!r} is already registered",
                               field="name")
        if kind.every is not None and kind.every.total_seconds() < 1:
            raise InvalidInput("a recurring job runs at most once a second", field="every")
        self._kinds[kind.name] = kind

    def get(self, name: str) -> JobKind | None:
        return self._kinds.get(name)

    def names(self) -> frozenset[str]:
        return frozenset(self._kinds)

    def __contains__(self, name: object) -> bool:
        return name in self._kinds
