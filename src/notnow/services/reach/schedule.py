"""The recurring jobs reach needs, queued where they become needed (never by the worker).

A job kind runs only when a row of the job table asks for it. Each reach job is one recurring
row per workspace (key ``"all"``): queued by the setting that makes it needed — the first
morning mail turned on, the first calendar server connected, the first webhook added — and
woken (``run_at`` moved to now) when an event is queued, so a delivery leaves within a worker
pass instead of at the next round.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from notnow.storage.tables import ACTIVE_JOB, Job

KEY = "all"
WEBHOOKS = "reach.webhooks"
DIGEST = "reach.digest"
CALDAV = "reach.caldav"
FOLLOWUPS_DUE = "reach.followups_due"

EVERY: dict[str, timedelta] = {
    WEBHOOKS: timedelta(seconds=30),
    DIGEST: timedelta(minutes=5),
    CALDAV: timedelta(minutes=15),
    FOLLOWUPS_DUE: timedelta(hours=1),
}
"""How often each job runs (a webhook delivery is also woken as soon as it is queued)."""


def ensure(s: Session, kind: str, now: datetime, *, wake: bool = False) -> None:
    """Make sure the recurring job ``kind`` exists, in the caller's transaction (a setting
    being saved); with ``wake`` its next run is now. Two transactions doing it at once make
    one job."""
    every = EVERY[kind]
    values = {"kind": kind, "key": KEY, "payload": {}, "status": "pending", "run_at": now,
              "attempts": 0, "max_attempts": 5, "every_seconds": int(every.total_seconds()),
              "created_at": now}
    upsert = postgresql.insert if s.get_bind().dialect.name == "postgresql" else sqlite.insert
    made = s.execute(upsert(Job).values(**values).on_conflict_do_nothing(
        index_elements=["kind", "key"], index_where=ACTIVE_JOB).returning(Job.id)).scalar()
    if made is None and wake:
        wake_now(s, kind, now)


def wake_now(s: Session, kind: str, now: datetime) -> None:
    """Move the recurring job's next run to now, in the caller's transaction — without ever
    waiting: a job row another transaction holds (it is waking it too, or a worker is claiming
    or settling it) is skipped (``SKIP LOCKED``), so a use case that queues an event never
    queues behind another one on this row, and never deadlocks with it over the contacts'
    locks. A job a worker is running is woken too: its run may have read the queue before
    this transaction commits, so its due time is moved, and the worker, seeing it moved when
    the run ends, runs it again at once (``worker.jobs.finish``) instead of after its period."""
    found = s.execute(select(Job.id, Job.status, Job.run_at).where(
        Job.kind == kind, Job.key == KEY,
        or_(and_(Job.status == "pending", Job.run_at > now), Job.status == "running"))
        .with_for_update(skip_locked=True)).first()
    if found is None:
        return
    when = now
    if found.status == "running" and found.run_at is not None:
        when = max(now, found.run_at + timedelta(microseconds=1))  # moved, surely
    s.execute(update(Job).where(Job.id == found.id).values(run_at=when))
