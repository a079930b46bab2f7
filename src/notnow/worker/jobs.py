"""The job table: enqueue, claim, finish, fail — each a short transaction of its own.

Claiming is what makes "each job exactly once" true with several workers:

- PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` picks due rows no other worker is claiming,
  and the same transaction marks them ``running`` with the worker's name and a lock expiry;
- SQLite: `Database.write()` begins with ``BEGIN IMMEDIATE``, so one writer claims at a time.

A claimed job is ``running`` until its worker finishes it. A worker that died leaves its job
``running`` with a lock that expires: the next claim takes it again (that attempt counts), or
fails it for good when its attempts are spent. Long handlers call `extend_lock`.
Finishing and failing check ``locked_by``, so a worker whose lock expired and was taken over
cannot overwrite what the new owner records.

"At most one live job of a kind per key" (one pending mail sync per mailbox) is a partial
unique index, `uq_jobs_active_kind_key`; `enqueue` returns the live job's id in that case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from notnow.errors import InvalidInput
from notnow.storage.engine import Database
from notnow.storage.tables import ACTIVE_JOB, Job

PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
MAX_ERROR_CHARS = 2000


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    kind: str
    key: str | None
    payload: dict[str, Any]
    attempt: int
    """1 for the first run, 2 for the first retry, …"""
    max_attempts: int
    every_seconds: int | None
    locked_until: datetime
    run_at: datetime | None = None
    """When it was due as it was claimed: a recurring job woken while it runs
    (``services.reach.schedule.wake_now`` moves this) runs again at once when it ends."""


def enqueue(db: Database, kind: str, payload: dict[str, Any] | None = None, *,
            now: datetime, key: str | None = None, run_at: datetime | None = None,
            max_attempts: int = 5, every: timedelta | None = None) -> int:
    """Add a job; returns its id. With `key`, a live (pending or running) job of the same
    kind and key is kept instead and its id returned. `every` makes it recurring: after each
    run it is scheduled again `every` later (failures retry with back-off first)."""
    if not kind or len(kind) > 64:
        raise InvalidInput("a job kind is 1 to 64 characters", field="kind")
    if key is not None and len(key) > 200:
        raise InvalidInput("a job key is at most 200 characters", field="key")
    if max_attempts < 1:
        raise InvalidInput("max_attempts must be at least 1", field="max_attempts")
    values = {
        "kind": kind, "key": key, "payload": payload or {}, "status": PENDING,
        "run_at": run_at or now, "attempts": 0, "max_attempts": max_attempts,
        "every_seconds": int(every.total_seconds()) if every else None, "created_at": now,
    }
    with db.write() as s:
        dialect = s.get_bind().dialect.name
        if key is None:
            return int(s.execute(insert(Job).values(**values)
                                 .returning(Job.id)).scalar_one())
        upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = upsert(Job).values(**values).on_conflict_do_nothing(
            index_elements=["kind", "key"], index_where=ACTIVE_JOB).returning(Job.id)
        new_id = s.execute(stmt).scalar()
        if new_id is not None:
            return int(new_id)
        existing = s.execute(select(Job.id).where(Job.kind == kind, Job.key == key,
                                                  Job.status.in_((PENDING, RUNNING)))).scalar()
        if existing is None:  # finished between the insert and this read: try once more
            return int(s.execute(insert(Job).values(**values)
                                 .returning(Job.id)).scalar_one())
        return int(existing)


def claim(db: Database, worker: str, *, now: datetime, lock_for: timedelta,
          kinds: frozenset[str] | None = None, limit: int = 1) -> list[ClaimedJob]:
    """Take up to `limit` due jobs for `worker`: pending ones whose time has come, and running
    ones whose lock expired (their worker died). Jobs whose attempts are spent are failed."""
    until = now + lock_for
    due = or_(and_(Job.status == PENDING, Job.run_at <= now),
              and_(Job.status == RUNNING, Job.locked_until < now))
    query = select(Job).where(due).order_by(Job.run_at, Job.id).limit(limit)
    if kinds is not None:
        query = query.where(Job.kind.in_(sorted(kinds)))
    claimed: list[ClaimedJob] = []
    with db.write() as s:
        rows = s.execute(query.with_for_update(skip_locked=True)).scalars().all()
        for job in rows:
            if job.status == RUNNING and job.attempts >= job.max_attempts:
                job.status = FAILED
                job.finished_at = now
                job.locked_by = job.locked_until = None
                job.last_error = _cut(f"{job.last_error or ''}\nits worker stopped while "
                                      f"running it, {job.attempts} times: given up").strip()
                continue
            job.status = RUNNING
            job.locked_by = worker[:200]
            job.locked_until = until
            job.attempts += 1
            claimed.append(ClaimedJob(job.id, job.kind, job.key, dict(job.payload or {}),
                                      job.attempts, job.max_attempts, job.every_seconds, until,
                                      job.run_at))
    return claimed


def extend_lock(db: Database, job_id: int, worker: str, *, now: datetime,
                lock_for: timedelta) -> bool:
    """Keep a long job's lock (call it well before the lock expires). False when the job is
    no longer this worker's."""
    with db.write() as s:
        result = s.execute(update(Job).where(Job.id == job_id, Job.locked_by == worker,
                                             Job.status == RUNNING)
                           .values(locked_until=now + lock_for))
        return bool(result.rowcount)  # type: ignore[attr-defined]


def finish(db: Database, job: ClaimedJob, worker: str, *, now: datetime) -> bool:
    """Record success. A recurring job goes back to pending for its next run."""
    values: dict[str, Any]
    if job.every_seconds:
        later = now + timedelta(seconds=job.every_seconds)
        # woken while it ran (something was queued that this run may have missed): again now
        again = later if job.run_at is None else case((Job.run_at != job.run_at, now),
                                                      else_=later)
        values = {"status": PENDING, "run_at": again, "attempts": 0, "last_error": None}
    else:
        values = {"status": DONE, "finished_at": now, "last_error": None}
    return _settle(db, job, worker, {**values, "locked_by": None, "locked_until": None})


def fail(db: Database, job: ClaimedJob, worker: str, error: str, *, now: datetime,
         retry_in: timedelta | None) -> bool:
    """Record a failure: retried after `retry_in`, or failed for good when it is None (a
    recurring job then waits for its next regular run instead)."""
    values: dict[str, Any] = {"last_error": _cut(error), "locked_by": None,
                              "locked_until": None}
    if retry_in is not None:
        values.update(status=PENDING, run_at=now + retry_in)
    elif job.every_seconds:
        values.update(status=PENDING, run_at=now + timedelta(seconds=job.every_seconds),
                      attempts=0)
    else:
        values.update(status=FAILED, finished_at=now)
    return _settle(db, job, worker, values)


def _settle(db: Database, job: ClaimedJob, worker: str, values: dict[str, Any]) -> bool:
    with db.write() as s:
        result = s.execute(update(Job).where(Job.id == job.id, Job.locked_by == worker,
                                             Job.status == RUNNING).values(**values))
        return bool(result.rowcount)  # type: ignore[attr-defined]


def prune(db: Database, *, before: datetime) -> int:
    """Delete finished one-off jobs (done or failed) that ended before `before`."""
    with db.write() as s:
        result = s.execute(delete(Job).where(Job.status.in_((DONE, FAILED)),
                                             Job.finished_at < before))
        return int(result.rowcount)  # type: ignore[attr-defined]


def next_due(db: Database, *, kinds: frozenset[str] | None = None) -> datetime | None:
    """When the next pending job is due (for a worker deciding how long to sleep)."""
    query = select(Job.run_at).where(Job.status == PENDING).order_by(Job.run_at).limit(1)
    if kinds is not None:
        query = query.where(Job.kind.in_(sorted(kinds)))
    with db.read() as s:
        return s.execute(query).scalar()


def _cut(text: str) -> str:
    return text if len(text) <= MAX_ERROR_CHARS else text[:MAX_ERROR_CHARS - 1] + "…"
