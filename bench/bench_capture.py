"""Capturing rejections through the service layer (understanding included), on SQLite or
PostgreSQL: `log_rejection` per call, for the workspace owner as the actor.

    python bench/bench_capture.py [--n 2000] [--database-url URL] [--demo]
        [--compare SRC]

`--compare SRC` runs the same measurement, in a child process, on another source tree (e.g.
`/work/main/src`, the code before a change) and prints both side by side, with a calibration
loop's time before each (a fixed pure-Python loop: how fast the machine is right now).
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_demo import fresh_database  # noqa: E402  (a SQLite file, or a PostgreSQL schema)

REPLIES = [
    "Not interested, thanks.",
    "Budget is gone for this year, try me in April.",
    "We just signed with another vendor last month.",
    "Please remove me from your mailing list.",
    "I'm out of the office until Monday and will reply when I'm back.",
    "Not my area, you should talk to Priya in Finance.",
    "Send me something in writing and I'll look at it after Q1.",
    "We already use a tool for that and our contract runs until 2028.",
    "Without SSO this is a non-starter for our security team.",
    "Way more than we can justify right now.",
]
CONTACTS = 200
SOFT_NOES = ["Not now, maybe in the spring.", "We have no budget this year.",
             "Check back in Q3 please."]
"""With ``--demo``: noes whose plans reach the account's other people."""


def calibration() -> float:
    """CPU seconds of a fixed pure-Python loop (about 0.1 s on an idle build machine)."""
    start = time.process_time()
    total = 0
    for i in range(2_000_000):
        total += i % 7
    return time.process_time() - start


def measure(n: int, database_url: str | None, demo: bool = False) -> dict[str, object]:
    from notnow import settings
    from notnow.core.clock import FixedClock
    from notnow.services.capture.log import log_rejection
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.services.team.acting import actor_for
    from notnow.services.workspace import open_workspace

    # on PostgreSQL a new schema each measurement (this tree's, --compare's), dropped after
    with tempfile.TemporaryDirectory() as tmp, fresh_database(database_url, tmp) as url:
        env = {"NOTNOW_HOME": tmp, "NOTNOW_DATABASE_URL": url}
        ws = open_workspace(settings.load(env),
                            clock=FixedClock(datetime(2026, 11, 23, 9, tzinfo=UTC)))
        actor = actor_for(ws, ws.owner_id)
        assert actor is not None
        if demo:  # real accounts: several departments and roles, plans that reach others
            from sqlalchemy import select

            from notnow.services.demo.load import load_demo
            from notnow.storage.tables import Contact

            load_demo(ws, actor)
            with ws.db.read() as s:
                contacts = list(s.scalars(select(Contact.id).where(Contact.dnc_at.is_(None))
                                          .order_by(Contact.id)))
        else:
            add_account(ws, actor, {"name": "Bench Corp", "country": "US"})
            contacts = [add_contact(ws, actor, {"name": f"Person {i}",
                                                "email": f"p{i}@bench.example"},
                                    account="Bench Corp").id for i in range(CONTACTS)]
        # cold outreach at one account; the demo's deals are under way (their stage is read)
        stage = {} if demo else {"stage": "email_prospecting"}
        replies = SOFT_NOES if demo else REPLIES
        # the model loaded before timing (the first reading loads it)
        log_rejection(ws, actor, {"text": REPLIES[0]}, contact=contacts[0])
        cpu_times, wall_times = [], []
        cal = calibration()
        start, cpu_start = time.perf_counter(), time.process_time()
        for i in range(n):
            t0, c0 = time.perf_counter(), time.process_time()
            log_rejection(ws, actor, {"text": replies[i % len(replies)], **stage},
                          contact=contacts[i % len(contacts)])
            cpu_times.append(time.process_time() - c0)
            wall_times.append(time.perf_counter() - t0)
            if (i + 1) % 1000 == 0:
                print(f"  {i + 1:,} captured…", file=sys.stderr)
        total, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        ws.close()
    wall_times.sort()
    return {"n": n, "wall": total, "cpu": cpu, "calibration": cal,
            "cpu_per_call_ms": cpu / n * 1000,
            "p50_ms": statistics.median(wall_times) * 1000,
            "p95_ms": wall_times[int(len(wall_times) * 0.95)] * 1000,
            "load": os.getloadavg()}


def show(name: str, r: dict[str, object]) -> str:
    load = " ".join(f"{x:.1f}" for x in r["load"])  # type: ignore[attr-defined]
    return (f"{name:<28} {r['n']:>6,} {r['cpu']:8.1f} s {r['cpu_per_call_ms']:8.2f} ms "
            f"{r['wall']:8.1f} s {r['p50_ms']:8.2f} ms {r['p95_ms']:8.2f} ms "
            f"{r['calibration']:6.3f} s   {load}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--compare", type=Path, default=None,
                        help="another source tree (its src/ folder) to measure side by side")
    parser.add_argument("--demo", action="store_true",
                        help="log soft noes to the demo workspace's contacts (36 accounts, "
                             "several departments and roles: plans reach others) instead of "
                             "ten kinds of reply to 200 alike people at one account")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    if args.json:  # the child of --compare
        print(json.dumps(measure(args.n, args.database_url, args.demo)))
        return
    print(f"machine: {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; python {sys.version.split()[0]}; "
          f"{'PostgreSQL' if args.database_url else 'SQLite'}, pinned to one core; "
          f"calib. below: the calibration loop, CPU seconds of a fixed loop in each run")
    rows = [("this tree", measure(args.n, args.database_url, args.demo))]
    if args.compare is not None:
        cmd = [sys.executable, __file__, "--json", "--n", str(args.n),
               *(["--demo"] if args.demo else [])]
        if args.database_url:
            cmd += ["--database-url", args.database_url]
        env = {**os.environ, "PYTHONPATH": str(args.compare.resolve())}
        out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
        rows.append((f"{args.compare}", json.loads(out.strip().splitlines()[-1])))
    print(f"{'code':<28} {'calls':>6} {'CPU':>10} {'CPU/call':>11} {'wall':>10} "
          f"{'p50 wall':>11} {'p95 wall':>11} {'calib.':>8}   load")
    for name, r in rows:
        print(show(name, r))


if __name__ == "__main__":
    main()
