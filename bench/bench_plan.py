"""Planning a rejection: the core alone, and end to end through the services (capture with the
prospect's words, plan, schedule, store) on SQLite or PostgreSQL.

    python bench/bench_plan.py [--n 300] [--database-url URL] [--label-only] [--deals N]

--label-only skips understanding the text (capture with a given label), to isolate planning.
--deals N first writes N deals as a CRM import leaves them — each named for its account
("Bench 7 - renewal 123"), and a few products on the deals of many accounts — so that the
plans that may propose another offer read what we sell among them.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from typing import Any

import conditions  # bench/conditions.py: load average and calibration loop

REPLIES = [
    ("Not interested, thanks.", "not_interested"),
    ("Budget is gone for this year, try me in April.", "no_budget"),
    ("We just signed with another vendor last month.", "competitor_chosen"),
    ("Not my area, you should talk to Priya in Finance.", "wrong_person"),
    ("Send me something in writing and I'll look at it after Q1.", "not_now"),
    ("We already use a tool for that and our contract runs until 2028.", "has_solution"),
    ("Without SSO this is a non-starter for our security team.", "missing_capability"),
    ("Way more than we can justify right now.", "price"),
]


def _pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))] * 1000


def bench_core(n: int) -> list[float]:
    from notnow.core.model import (
        AccountFacts,
        Channel,
        ContactFacts,
        History,
        Label,
        RejectionFacts,
        Role,
    )
    from notnow.core.plan import make_plan
    from notnow.core.playbook import default_playbook

    account = AccountFacts(1, "Bench", employees=40, country="US", timezone="America/New_York")
    contact = ContactFacts(1, 1, "Pat Doe")
    others = [ContactFacts(i, 1, f"Person {i}", role=Role.EXECUTIVE if i == 2 else Role.USER,
                           department=f"D{i % 3}") for i in range(2, 6)]
    playbook = default_playbook()
    times = []
    for i in range(n):
        label = Label(REPLIES[i % len(REPLIES)][1])
        r = RejectionFacts(i, 1, 1, datetime(2026, 11, 23, 9, tzinfo=UTC), label,
                           channel=Channel.EMAIL)
        t0 = time.perf_counter()
        make_plan(r, contact=contact, account=account, others=others, history=History(),
                  playbook=playbook, today=date(2026, 11, 23))
        times.append(time.perf_counter() - t0)
    return times


def add_deals(ws: Any, owner: Any, n: int) -> None:
    """``n`` deals as an import leaves them (one name each), and products on many accounts."""
    from sqlalchemy import insert, select

    from notnow.storage.tables import Account, Deal

    products = ["Insights", "Workflows", "Audit Trail", "Onboarding"]
    with ws.db.write() as s:
        accounts = list(s.execute(select(Account.id, Account.name)))
        now = ws.now()
        rows = [{"account_id": accounts[(i // 50 if i % 50 == 0 else i) % len(accounts)][0],
                 "owner_id": owner.id,
                 "offer": (products[i // 50 % 4] if i % 50 == 0
                           else f"{accounts[i % len(accounts)][1]} - renewal {i}"),
                 "status": ("won" if i % 7 == 0 else "open"), "created_at": now}
                for i in range(n)]
        for start in range(0, n, 5000):
            s.execute(insert(Deal), rows[start:start + 5000])
    if not ws.db.is_sqlite:  # the planner's statistics, as autovacuum would leave them
        from sqlalchemy import text
        with ws.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE deals"))


def bench_end_to_end(n: int, database_url: str | None, label_only: bool,
                     deals: int = 0) -> tuple[list[float], list[float]]:
    from notnow import settings
    from notnow.core.clock import FixedClock
    from notnow.services.capture.log import log_rejection
    from notnow.services.followups.planning import accept_plan
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.services.team.acting import actor_for
    from notnow.services.workspace import open_workspace

    with tempfile.TemporaryDirectory() as tmp:
        env = {"NOTNOW_HOME": tmp}
        if database_url:
            env["NOTNOW_DATABASE_URL"] = database_url
        ws = open_workspace(settings.load(env),
                            clock=FixedClock(datetime(2026, 11, 23, 9, tzinfo=UTC)))
        owner = actor_for(ws, ws.owner_id)  # the workspace owner acts, as the CLI does
        assert owner is not None
        times, planning = [], []
        for a in range(max(1, n // 5)):
            add_account(ws, owner, {"name": f"Bench {a}", "country": "US", "employees": 40})
            for c in range(5):
                add_contact(ws, owner, {"name": f"Person {a}-{c}"}, account=f"Bench {a}")
        if deals:
            add_deals(ws, owner, deals)
        for i in range(n):
            text, label = REPLIES[i % len(REPLIES)]
            data = {"label": label} if label_only else {"text": text}
            t0 = time.perf_counter()
            rej = log_rejection(ws, owner, {**data, "stage": "email_prospecting"},
                                contact=f"Person {i % (n // 5 or 1)}-{i % 5}", schedule=False)
            t1 = time.perf_counter()
            accept_plan(ws, owner, rej.id)
            t2 = time.perf_counter()
            times.append(t2 - t0)
            planning.append(t2 - t1)
        ws.close()
    return times, planning


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--label-only", action="store_true")
    parser.add_argument("--deals", type=int, default=0, help="deals written first")
    args = parser.parse_args()
    print(f"machine: {conditions.line()}", flush=True)
    core = bench_core(args.n)
    print(f"core make_plan: p50 {_pct(core, .5):.2f} ms, p95 {_pct(core, .95):.2f} ms "
          f"(n={len(core)})")
    e2e, planning = bench_end_to_end(args.n, args.database_url, args.label_only, args.deals)
    print(f"plan + schedule + store (accept_plan): p50 {_pct(planning, .5):.1f} ms, "
          f"p95 {_pct(planning, .95):.1f} ms")
    what = "label given" if args.label_only else "words understood"
    print(f"capture ({what}) + plan + schedule + store: p50 {_pct(e2e, .5):.1f} ms, "
          f"p95 {_pct(e2e, .95):.1f} ms, mean {statistics.mean(e2e) * 1000:.1f} ms "
          f"(n={len(e2e)}, {args.deals:,} deals, {args.database_url or 'SQLite'})")
    print(f"machine at the end: {conditions.load_average()}")


if __name__ == "__main__":
    main()
