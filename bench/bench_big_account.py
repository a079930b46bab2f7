"""An account of thousands of people: its page, its API read and its edit form, made again.

    python bench/bench_big_account.py [--people 10000] [--backends sqlite,postgres]
        [--postgres-url URL] [--runs 5] [--baseline SRC]

A large customer, or a CRM import, can put thousands of contacts and deals on one account.
This builds a workspace with one such account (``--people`` contacts and a quarter as many
deals, written in bulk) and times, as a reader waits for them after a write to the account
(nothing kept: the app's cache is emptied before each request), the account's page, the API's
``GET /api/v1/accounts/{id}`` and the account's edit form — the median wall time of ``--runs``
requests through the app in this process, and the size of each answer.

``--baseline SRC`` measures the same in a child process with another source tree first on the
path (``git archive <rev> src | tar -x -C /tmp/base`` then ``--baseline /tmp/base/src``), the
two taking turns backend by backend: the code before a change, side by side with it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import conditions  # noqa: E402  (load average and calibration loop)
from bench_demo import fresh_database  # noqa: E402  (a SQLite file, or a PostgreSQL schema)

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def build(url: str, home: str, people: int) -> tuple[Any, int]:
    """A local-mode app on a fresh workspace with one account of `people` contacts."""
    from sqlalchemy import insert

    from notnow import settings
    from notnow.core.clock import FixedClock
    from notnow.services.records.accounts import add_account
    from notnow.services.team.acting import actor_for
    from notnow.storage.tables import Contact, Deal
    from notnow.web import create_app

    app = create_app(settings.load({"NOTNOW_HOME": home, "NOTNOW_DATABASE_URL": url}),
                     clock=FixedClock(NOW))
    ws = app.state.ws
    owner = actor_for(ws, ws.owner_id)
    assert owner is not None
    acc = add_account(ws, owner, {"name": "Very Large Corp", "country": "US"})
    with ws.db.write() as s:
        s.execute(insert(Contact), [
            {"account_id": acc.id, "name": f"Person {i:06d}", "name_key": f"person {i:06d}",
             "role": ("user", "influencer", "decision_maker")[i % 3],
             "department": f"Department {i % 40}", "email": f"p{i}@large.example",
             "email_key": f"p{i}@large.example", "owner_id": ws.owner_id, "created_at": NOW}
            for i in range(people)])
        s.execute(insert(Deal), [
            {"account_id": acc.id, "offer": f"Seats {i}", "owner_id": ws.owner_id,
             "created_at": NOW} for i in range(people // 4)])
    return app, acc.id


def measure(backend: str, pg_url: str, people: int, runs: int) -> dict[str, list[float]]:
    """{what: [median ms, KB]} for one backend, in this process."""
    from fastapi.testclient import TestClient

    out: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as home, \
            fresh_database(pg_url if backend == "postgres" else None, home) as url:
        app, account = build(url, home, people)
        try:
            # local mode answers this machine only: the requests come from a loopback peer
            c = TestClient(app, base_url="http://127.0.0.1", client=("127.0.0.1", 50000))
            for what, path in (("account page", f"/accounts/{account}"),
                               ("API account", f"/api/v1/accounts/{account}"),
                               ("edit form", f"/accounts/{account}/edit")):
                c.get(path)  # the route's first request prepares it: not timed
                took, size = [], 0
                for _ in range(runs):
                    app.state.agenda.clear()  # nothing kept, as after a write to it
                    start = time.perf_counter()
                    r = c.get(path)
                    took.append(time.perf_counter() - start)
                    assert r.status_code == 200, (path, r.status_code)
                    size = len(r.content)
                out[what] = [round(1000 * statistics.median(took), 1), round(size / 1024)]
        finally:
            app.state.ws.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=PG_URL)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", type=Path, default=None)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # one backend, as JSON, for the parent
        print(json.dumps(measure(args.child, args.postgres_url, args.people, args.runs)))
        return
    print(f"machine: {conditions.line()}", flush=True)
    print(f"one account of {args.people:,} contacts and {args.people // 4:,} deals; "
          f"median of {args.runs} requests each, nothing kept (ms, and the answer's KB)")
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        rows = {"this tree": measure(backend, args.postgres_url, args.people, args.runs)}
        if args.baseline is not None:
            env = dict(os.environ, PYTHONPATH=os.pathsep.join(
                [str(args.baseline.resolve()), *[p for p in [os.environ.get("PYTHONPATH")]
                                                 if p]]))
            done = subprocess.run([sys.executable, __file__, "--child", backend,
                                   "--people", str(args.people), "--runs", str(args.runs),
                                   "--postgres-url", args.postgres_url],
                                  env=env, capture_output=True, text=True, check=True)
            rows[str(args.baseline)] = json.loads(done.stdout.strip().splitlines()[-1])
        for code, figures in rows.items():
            cells = "  ".join(f"{what} {ms:,.1f} ms ({kb:,.0f} KB)"
                              for what, (ms, kb) in figures.items())
            print(f"{backend:8} {code:18} {cells}", flush=True)
    print(f"machine after: {conditions.line()}")


if __name__ == "__main__":
    main()
