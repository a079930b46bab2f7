"""Capturing rejections through the service layer (understanding included), on SQLite or
PostgreSQL.

    python bench/bench_capture.py [--n 10000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    from notnow import settings
    from notnow.core.clock import FixedClock
    from notnow.services.capture.log import log_rejection
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.services.workspace import open_workspace

    with tempfile.TemporaryDirectory() as tmp:
        env = {"NOTNOW_HOME": tmp}
        if args.database_url:
            env["NOTNOW_DATABASE_URL"] = args.database_url
        ws = open_workspace(settings.load(env),
                            clock=FixedClock(datetime(2026, 11, 23, 9, tzinfo=UTC)))
        add_account(ws, {"name": "Bench Corp", "country": "US"})
        contacts = [add_contact(ws, {"name": f"Person {i}", "email": f"p{i}@bench.example"},
                                account="Bench Corp").id for i in range(200)]
        times = []
        start = time.perf_counter()
        for i in range(args.n):
            t0 = time.perf_counter()
            log_rejection(ws, {"text": REPLIES[i % len(REPLIES)], "stage": "email_prospecting"},
                          contact=contacts[i % len(contacts)])
            times.append(time.perf_counter() - t0)
            if (i + 1) % 1000 == 0:
                print(f"  {i + 1:,} captured…", file=sys.stderr)
        total = time.perf_counter() - start
        ws.close()
        backend = "PostgreSQL" if args.database_url else "SQLite"
        times.sort()
        print(f"{backend}: {args.n:,} rejections captured in {total:.1f} s "
              f"({args.n / total:,.0f}/s); per capture p50 {statistics.median(times) * 1000:.2f}"
              f" ms, p95 {times[int(len(times) * 0.95)] * 1000:.2f} ms")


if __name__ == "__main__":
    main()
