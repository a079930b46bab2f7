"""The job table and the worker: due jobs, keys, retries with back-off, stuck jobs,
recurring jobs, clean shutdown — on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from notnow.core.clock import FixedClock
from notnow.errors import InvalidInput, MailServerError
from notnow.storage.engine import Database
from notnow.storage.tables import Job
from notnow.worker import (
    GiveUp,
    JobContext,
    JobKind,
    Registry,
    Retry,
    Worker,
    claim,
    enqueue,
    finish,
    prune,
)

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def job(db: Database, job_id: int) -> Job:
    with db.read() as s:
        row = s.execute(select(Job).where(Job.id == job_id)).scalar_one()
        s.expunge(row)
        return row


class Recorder:
    def __init__(self, fail_times: int = 0, exc: Exception | None = None) -> None:
        self.calls: list[tuple[int, int, dict[str, object]]] = []
        self.fail_times = fail_times
        self.exc = exc or RuntimeError("the server said no")

    def __call__(self, ctx: JobContext) -> None:
        self.calls.append((ctx.id, ctx.attempt, ctx.payload))
        if len(self.calls) <= self.fail_times:
            raise self.exc


def test_due_jobs_run_once_and_future_ones_wait(db: Database) -> None:
    clock = FixedClock(T0)
    rec = Recorder()
    worker = Worker(db, Registry([JobKind("digest", rec)]), clock=clock)
    now_id = enqueue(db, "digest", {"user": 1}, now=T0)
    later_id = enqueue(db, "digest", {"user": 2}, now=T0, run_at=T0 + timedelta(hours=1))
    enqueue(db, "unknown.kind", now=T0)  # no worker knows it: left alone
    assert worker.run_once().done == 1
    assert rec.calls == [(now_id, 1, {"user": 1})]
    assert job(db, now_id).status == "done" and job(db, later_id).status == "pending"
    assert worker.run_once().ran == 0
    clock.advance(hours=1)
    assert worker.run_once().done == 1 and rec.calls[-1][0] == later_id


def test_one_live_job_per_kind_and_key(db: Database) -> None:
    first = enqueue(db, "mail.sync", {"mailbox": 3}, key="mailbox:3", now=T0)
    assert enqueue(db, "mail.sync", {"mailbox": 3}, key="mailbox:3", now=T0) == first
    other = enqueue(db, "mail.sync", {"mailbox": 4}, key="mailbox:4", now=T0)
    assert other != first
    Worker(db, Registry([JobKind("mail.sync", Recorder())]), clock=FixedClock(T0)).run_once()
    again = enqueue(db, "mail.sync", {"mailbox": 3}, key="mailbox:3", now=T0)
    assert again not in (first, other)  # the first one is done: a new one may be queued


def test_failures_retry_with_exponential_backoff_then_fail(db: Database) -> None:
    clock = FixedClock(T0)
    rec = Recorder(fail_times=99)
    worker = Worker(db, Registry([JobKind("hook", rec, backoff=timedelta(seconds=30))]),
                    clock=clock)
    job_id = enqueue(db, "hook", now=T0, max_attempts=3)
    waits = []
    for _ in range(3):
        summary = worker.run_once()
        row = job(db, job_id)
        if row.status == "pending":
            waits.append(row.run_at - clock.now())
            clock.instant = row.run_at
    assert waits == [timedelta(seconds=30), timedelta(seconds=60)]
    assert summary.failed == 1 and row.status == "failed" and row.attempts == 3
    assert row.last_error == "RuntimeError: the server said no"
    assert [c[1] for c in rec.calls] == [1, 2, 3]


def test_retry_after_and_give_up(db: Database) -> None:
    clock = FixedClock(T0)
    worker = Worker(db, Registry([
        JobKind("later", Recorder(1, Retry("busy", after=timedelta(minutes=7)))),
        JobKind("never", Recorder(1, GiveUp("the mailbox was deleted"))),
        JobKind("server", Recorder(1, MailServerError("the password was refused",
                                                      reason="auth"))),
    ]), clock=clock)
    later = enqueue(db, "later", now=T0)
    never = enqueue(db, "never", now=T0)
    server = enqueue(db, "server", now=T0)
    worker.run_once()
    assert job(db, later).run_at == T0 + timedelta(minutes=7)
    assert (job(db, never).status, job(db, never).last_error) == ("failed",
                                                                  "the mailbox was deleted")
    assert job(db, server).last_error == "the password was refused"  # plain words, no type


def test_a_stuck_job_is_released_when_its_lock_expires(db: Database) -> None:
    job_id = enqueue(db, "sync", now=T0, max_attempts=2)
    (taken,) = claim(db, "worker-a", now=T0, lock_for=timedelta(minutes=10))
    assert claim(db, "worker-b", now=T0 + timedelta(minutes=5),
                 lock_for=timedelta(minutes=10)) == []
    (again,) = claim(db, "worker-b", now=T0 + timedelta(minutes=11),
                     lock_for=timedelta(minutes=10))
    assert again.id == taken.id and again.attempt == 2
    # worker-a comes back: its result is not recorded over worker-b's
    assert finish(db, taken, "worker-a", now=T0 + timedelta(minutes=12)) is False
    assert job(db, job_id).locked_by == "worker-b"
    # worker-b dies too: attempts are spent, the job is failed, not run a third time
    assert claim(db, "worker-c", now=T0 + timedelta(minutes=30),
                 lock_for=timedelta(minutes=10)) == []
    row = job(db, job_id)
    assert row.status == "failed" and "stopped while running it" in (row.last_error or "")


def test_heartbeat_keeps_a_long_job(db: Database) -> None:
    clock = FixedClock(T0)
    seen: list[bool] = []

    def long_job(ctx: JobContext) -> None:
        clock.advance(minutes=8)
        seen.append(ctx.heartbeat())
        clock.advance(minutes=8)  # 16 minutes in: past the first lock, within the renewed one
        seen.append(claim(db, "other", now=clock.now(), lock_for=timedelta(minutes=10)) == [])

    worker = Worker(db, Registry([JobKind("long", long_job, lock_for=timedelta(minutes=10))]),
                    clock=clock)
    job_id = enqueue(db, "long", now=T0)
    assert worker.run_once().done == 1
    assert seen == [True, True] and job(db, job_id).status == "done"


def test_recurring_jobs_come_back_and_survive_failures(db: Database) -> None:
    clock = FixedClock(T0)
    rec = Recorder(fail_times=2)
    worker = Worker(db, Registry([JobKind("mail.sync", rec, max_attempts=2,
                                          backoff=timedelta(seconds=10))]), clock=clock)
    job_id = enqueue(db, "mail.sync", key="mailbox:1", now=T0, every=timedelta(minutes=5),
                     max_attempts=2)
    worker.run_once()  # fails, retried in 10 s
    assert job(db, job_id).run_at == T0 + timedelta(seconds=10)
    clock.advance(seconds=10)
    worker.run_once()  # fails again, attempts spent: back to its regular schedule
    row = job(db, job_id)
    assert (row.status, row.attempts, row.run_at) == ("pending", 0,
                                                      clock.now() + timedelta(minutes=5))
    clock.instant = row.run_at
    assert worker.run_once().done == 1
    row = job(db, job_id)
    assert row.status == "pending" and row.run_at == clock.now() + timedelta(minutes=5)
    assert row.last_error is None
    with db.read() as s:
        assert len(s.execute(select(Job.id)).all()) == 1  # one row, rescheduled in place


def test_prune_deletes_old_finished_jobs_only(db: Database) -> None:
    worker = Worker(db, Registry([JobKind("x", Recorder())]), clock=FixedClock(T0))
    old = enqueue(db, "x", now=T0)
    worker.run_once()
    pending = enqueue(db, "x", now=T0, run_at=T0 + timedelta(days=30))
    assert prune(db, before=T0 + timedelta(days=8)) == 1
    with db.read() as s:
        assert [r for (r,) in s.execute(select(Job.id))] == [pending]
    assert old != pending


def test_run_forever_finishes_the_job_in_hand_on_sigterm(db: Database) -> None:
    ran: list[int] = []

    def handler(ctx: JobContext) -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        ran.append(ctx.id)

    before = signal.getsignal(signal.SIGTERM)
    worker = Worker(db, Registry([JobKind("x", handler)]))
    now = datetime.now(UTC)
    first = enqueue(db, "x", now=now)
    enqueue(db, "x", now=now)
    worker.run_forever(poll=0.05)
    assert ran == [first]  # stopped after the first job, which finished
    assert job(db, first).status == "done"
    assert signal.getsignal(signal.SIGTERM) is before


def test_run_forever_in_a_thread_stops_on_stop(db: Database) -> None:
    worker = Worker(db, Registry([JobKind("x", Recorder())]))
    passes: list[int] = []
    thread = threading.Thread(target=worker.run_forever,
                              kwargs={"poll": 0.02, "on_pass": lambda s: passes.append(s.ran)})
    thread.start()
    enqueue(db, "x", now=datetime.now(UTC))
    deadline = datetime.now(UTC) + timedelta(seconds=10)
    while sum(passes) < 1 and datetime.now(UTC) < deadline:
        threading.Event().wait(0.02)
    worker.stop()
    thread.join(timeout=10)
    assert not thread.is_alive() and sum(passes) == 1


def test_bad_kinds_and_arguments_are_refused(db: Database) -> None:
    registry = Registry([JobKind("x", Recorder())])
    with pytest.raises(InvalidInput, match="already registered"):
        registry.register(JobKind("x", Recorder()))
    with pytest.raises(InvalidInput):
        registry.register(JobKind("fast", Recorder(), every=timedelta(milliseconds=10)))
    with pytest.raises(InvalidInput):
        enqueue(db, "", now=T0)
    with pytest.raises(InvalidInput):
        enqueue(db, "x", now=T0, max_attempts=0)
    assert JobKind("x", Recorder()).retry_delay(40) == timedelta(hours=1)


def test_a_recurring_job_woken_while_it_runs_runs_again_at_once(db: Database) -> None:
    """A webhook queued while the deliveries job was running used to wait for the job's next
    period (30 s): the run had read the queue before the event committed, the wake-up found
    the job running and left it, and its end set the next run a period later."""
    from notnow.services.reach.schedule import KEY, WEBHOOKS, wake_now

    job_id = enqueue(db, WEBHOOKS, key=KEY, now=T0, every=timedelta(seconds=30))
    running = claim(db, "w1", now=T0, lock_for=timedelta(minutes=1))
    assert [j.id for j in running] == [job_id]
    with db.write() as s:  # an event queued while it runs, in its own transaction
        wake_now(s, WEBHOOKS, T0 + timedelta(seconds=1))
    assert finish(db, running[0], "w1", now=T0 + timedelta(seconds=2))
    assert job(db, job_id).run_at == T0 + timedelta(seconds=2)  # again now, not in 30 s
    again = claim(db, "w1", now=T0 + timedelta(seconds=2), lock_for=timedelta(minutes=1))
    assert finish(db, again[0], "w1", now=T0 + timedelta(seconds=3))
    assert job(db, job_id).run_at == T0 + timedelta(seconds=33)  # not woken: its period
