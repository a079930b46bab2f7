"""Each job exactly once with several workers claiming at the same time: threads on both
databases, and separate processes on PostgreSQL (team mode)."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from notnow.storage.engine import Database, open_database
from notnow.worker import JobContext, JobKind, Registry, Worker, enqueue

JOBS = 120


def _record(ctx: JobContext) -> None:
    """Each run leaves a row: a job that ran twice leaves two."""
    with ctx.db.write() as s:
        s.execute(text("INSERT INTO test_runs (job_id) VALUES (:id)"), {"id": ctx.id})


def _prepare(db: Database) -> list[int]:
    with db.write() as s:
        s.execute(text("CREATE TABLE test_runs (job_id INTEGER NOT NULL)"))
    now = datetime.now(UTC)
    return [enqueue(db, "count", {"n": i}, now=now) for i in range(JOBS)]


def _runs(db: Database) -> Counter[int]:
    with db.read() as s:
        return Counter(r for (r,) in s.execute(text("SELECT job_id FROM test_runs")))


def test_threads_claiming_at_once_run_each_job_once(db: Database) -> None:
    ids = _prepare(db)
    registry = Registry([JobKind("count", _record)])
    start = threading.Barrier(4)

    def work() -> None:
        start.wait()
        Worker(db, registry).run_once()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    runs = _runs(db)
    assert sorted(runs) == sorted(ids) and set(runs.values()) == {1}


def _process_worker(url: str, barrier: multiprocessing.synchronize.Barrier) -> None:
    db = open_database(url, migrate=False)
    try:
        barrier.wait(timeout=60)
        Worker(db, Registry([JobKind("count", _record)])).run_once()
    finally:
        db.dispose()


@pytest.mark.postgres
def test_processes_claiming_at_once_run_each_job_once(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("several worker processes are team mode: PostgreSQL")
    ids = _prepare(db)
    # fork: no re-import in each child (spawn costs ~1.5 s a process here); the parent's
    # pooled connections are closed first so that no child inherits and closes them
    db.engine.dispose()
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(3)
    procs = [ctx.Process(target=_process_worker, args=(db.url, barrier)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    runs = _runs(db)
    assert sorted(runs) == sorted(ids) and set(runs.values()) == {1}
