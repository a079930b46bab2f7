"""The worker loop: `run_once` runs what is due and returns; `run_forever` keeps doing so
until SIGTERM or SIGINT (or `stop()`), finishing the job in hand first.

Several workers (threads or processes, on one machine or many) can run against one
PostgreSQL database: `jobs.claim` gives each job to one of them. On SQLite, the web app runs
one worker in-process (local mode).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from types import FrameType
from typing import Any

from notnow.core.clock import Clock, SystemClock
from notnow.errors import NotnowError, StorageError
from notnow.storage.engine import Database
from notnow.worker import jobs
from notnow.worker.registry import GiveUp, JobContext, JobKind, Registry, Retry

log = logging.getLogger("notnow.worker")

KEEP_FINISHED = timedelta(days=7)
"""Finished one-off jobs are deleted this long after they end."""


@dataclass
class RunSummary:
    done: int = 0
    retried: int = 0
    failed: int = 0
    lost: int = 0
    """Jobs whose lock expired while they ran (another worker took them over)."""
    errors: list[str] = field(default_factory=list)

    @property
    def ran(self) -> int:
        return self.done + self.retried + self.failed + self.lost


def worker_name() -> str:
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Worker:
    def __init__(self, db: Database, registry: Registry, *, clock: Clock | None = None,
                 name: str | None = None, workspace: Any = None,
                 environ: Mapping[str, str] | None = None) -> None:
        self.db = db
        self.workspace = workspace
        self.environ = dict(environ or {})
        self.registry = registry
        self.clock = clock or SystemClock()
        self.name = name or worker_name()
        self._stop = threading.Event()

    # -- one pass ---------------------------------------------------------------------------

    def run_once(self, *, limit: int | None = None) -> RunSummary:
        """Run the jobs that are due now, one at a time, then return."""
        summary = RunSummary()
        kinds = self.registry.names()
        if not kinds:
            return summary
        jobs.prune(self.db, before=self.clock.now() - KEEP_FINISHED)
        while not self._stop.is_set() and (limit is None or summary.ran < limit):
            longest = max((self.registry.get(k) or _NONE).lock_for for k in kinds)
            claimed = jobs.claim(self.db, self.name, now=self.clock.now(), lock_for=longest,
                                 kinds=kinds)
            if not claimed:
                break
            self._run(claimed[0], summary)
        return summary

    def _run(self, job: jobs.ClaimedJob, summary: RunSummary) -> None:
        kind = self.registry.get(job.kind)
        assert kind is not None  # claimed only among registered kinds
        now = self.clock.now()

        def heartbeat() -> bool:
            return jobs.extend_lock(self.db, job.id, self.name, now=self.clock.now(),
                                    lock_for=kind.lock_for)

        ctx = JobContext(job.id, job.kind, job.key, job.payload, job.attempt, self.db, now,
                         heartbeat, workspace=self.workspace, environ=self.environ)
        try:
            kind.handler(ctx)
        except GiveUp as exc:
            self._settle(jobs.fail(self.db, job, self.name, _words(exc),
                                   now=self.clock.now(), retry_in=None), summary, "failed",
                         job, exc)
            return
        except Retry as exc:
            delay = exc.after or kind.retry_delay(job.attempt)
            retry = delay if job.attempt < job.max_attempts else None
            self._settle(jobs.fail(self.db, job, self.name, _words(exc),
                                   now=self.clock.now(), retry_in=retry), summary,
                         "retried" if retry else "failed", job, exc)
            return
        except Exception as exc:  # a handler's bug or a server's fault: retried, then failed
            retry = kind.retry_delay(job.attempt) if job.attempt < job.max_attempts else None
            if not isinstance(exc, NotnowError):
                log.exception("job %s (%s) failed", job.id, job.kind)
            self._settle(jobs.fail(self.db, job, self.name, _words(exc),
                                   now=self.clock.now(), retry_in=retry), summary,
                         "retried" if retry else "failed", job, exc)
            return
        self._settle(jobs.finish(self.db, job, self.name, now=self.clock.now()), summary,
                     "done", job, None)

    @staticmethod
    def _settle(ok: bool, summary: RunSummary, outcome: str, job: jobs.ClaimedJob,
                exc: BaseException | None) -> None:
        if not ok:
            summary.lost += 1
            log.warning("job %s (%s): its lock expired while it ran; another worker has it",
                        job.id, job.kind)
            return
        setattr(summary, outcome, getattr(summary, outcome) + 1)
        if exc is not None:
            summary.errors.append(f"job {job.id} ({job.kind}): {_words(exc)}")

    # -- the loop ---------------------------------------------------------------------------

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run_forever(self, *, poll: float = 5.0,
                    on_pass: Callable[[RunSummary], None] | None = None) -> None:
        """Run due jobs, sleep until the next is due (at most `poll` seconds), repeat, until
        SIGTERM/SIGINT or `stop()`. Signal handlers are installed only on the main thread and
        put back as they were on return."""
        previous: dict[signal.Signals, object] = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                previous[sig] = signal.signal(sig, self._on_signal)
        try:
            while not self._stop.is_set():
                try:
                    summary = self.run_once()
                except StorageError as exc:  # the database is away: wait and try again
                    log.warning("worker %s: %s", self.name, exc)
                    summary = RunSummary(errors=[str(exc)])
                if on_pass is not None:
                    on_pass(summary)
                self._stop.wait(self._sleep_for(poll))
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)  # type: ignore[arg-type]

    def _sleep_for(self, poll: float) -> float:
        try:
            due = jobs.next_due(self.db, kinds=self.registry.names())
        except StorageError:
            return poll
        if due is None:
            return poll
        return max(0.0, min(poll, (due - self.clock.now()).total_seconds()))

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        log.info("worker %s: signal %s, stopping after the current job", self.name, signum)
        self._stop.set()


def _noop(ctx: JobContext) -> None:
    pass


_NONE = JobKind("none", _noop)


def _words(exc: BaseException) -> str:
    if isinstance(exc, NotnowError):
        return exc.message
    text = str(exc) or type(exc).__name__
    return text if isinstance(exc, Retry | GiveUp) else f"{type(exc).__name__}: {text}"
