"""Loading the demo (`notnow demo`) into a fresh workspace, on SQLite or PostgreSQL.

    python bench/bench_demo.py [--runs 5] [--database-url URL]

Prints the time of `load_demo` alone (the workspace is created and migrated before the clock
starts) and the rows it wrote. With a PostgreSQL --database-url, each run gets a fresh schema
that is dropped afterwards, so the database is left as it was.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import conditions  # bench/conditions.py: load average and calibration loop


@contextlib.contextmanager
def fresh_database(url: str | None, folder: str) -> Iterator[str]:
    """A SQLite file in `folder`, or a new PostgreSQL schema (dropped on exit)."""
    if not url:
        yield f"sqlite:///{folder}/notnow.db"
        return
    from sqlalchemy import create_engine, text

    from notnow.settings import normalise_database_url

    base = normalise_database_url(url)
    name = f"bench_demo_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        sep = "&" if "?" in base else "?"
        yield f"{base}{sep}options=-csearch_path%3D{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    print(f"machine: {conditions.line()}", flush=True)

    from notnow import settings
    from notnow.core.clock import FixedClock
    from notnow.services.demo.load import load_demo
    from notnow.services.team.acting import actor_for
    from notnow.services.workspace import open_workspace

    times = []
    summary: dict[str, int] = {}
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp, fresh_database(args.database_url, tmp) as url:
            env = {"NOTNOW_HOME": tmp, "NOTNOW_DATABASE_URL": url}
            now = datetime(2026, 11, 23, 9, 30, tzinfo=UTC) + timedelta(days=37 * run)
            ws = open_workspace(settings.load(env), clock=FixedClock(now))
            owner = actor_for(ws, ws.owner_id)  # the CLI and `serve --demo` load it as the owner
            t0 = time.perf_counter()
            summary = load_demo(ws, owner)
            times.append(time.perf_counter() - t0)
            ws.close()
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"load_demo on {backend}, {args.runs} runs (different days): "
          f"first {times[0]:.2f} s (includes first-use imports and holiday calendars), "
          f"median {statistics.median(times):.2f} s, max {max(times):.2f} s")
    print("rows: " + ", ".join(f"{v} {k}" for k, v in summary.items()))
    print(f"machine at the end: {conditions.load_average()}")


if __name__ == "__main__":
    main()
