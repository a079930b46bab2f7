"""The loss report's time and peak memory, the new path beside the previous one.

Fills a fresh database with a synthetic team (accounts, contacts, deals, rejections, touches,
check-backs, autopsies; about two touches per rejection), then, in the same run, measures in
fresh processes, alternating: the previous path (``bench/report_previous.py``: rows loaded into
Python) counting rejections, contacts and check-backs, and the whole team report of today
(``reports.report``: grouped in the database). Each figure is the process's wall and CPU time
and its peak resident memory (also shown over the memory after start-up). PostgreSQL runs in
a fresh schema of the database ``--postgres-url`` names, dropped afterwards.

    python bench/bench_report.py [--n 200000 1000000] [--only sqlite|postgres]
        [--postgres-url URL] [--keep FILE.db [--reuse]] [--runs 2]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

AS_OF = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
LABELS = [("not_interested", 18), ("not_now", 16), ("no_budget", 12), ("price", 9),
          ("competitor_chosen", 10), ("has_solution", 8), ("no_need", 8),
          ("missing_capability", 7), ("wrong_person", 4), ("gatekeeper", 4),
          ("no_authority", 3), ("bad_experience", 1), ("do_not_contact", 2)]
STAGES = ["cold_call", "email_prospecting", "proposal", "closing", "follow_up"]
CHANNELS = ["call", "email", "linkedin", "voicemail", "note", "meeting"]
REGIONS = ["North America", "Western Europe", "Nordics", "DACH", "UK & Ireland", "APAC"]
INDUSTRIES = ["logistics", "retail", "finance", "healthcare", "manufacturing", "software",
              "education", "public sector"]
COMPETITORS = ["Rival Inc", "Acme Cloud", "Northwind", "Initech", "Globex", "Umbrella"]
CAPABILITIES = ["SSO", "single sign-on", "SAML SSO", "on-prem", "self-hosted", "on premise",
                "audit log", "audit trail", "Salesforce integration", "SFDC sync",
                "mobile app", "iOS app", "EU data residency", "hosting in the EU", "SOC 2",
                "API", "REST API", "offline mode", "custom reports", "SCIM provisioning"]
PEOPLE = ["Alex Moreau", "Bea Kowalski", "Chris Adeyemi", "Dana Lindqvist", "Eli Navarro",
          "Fay Okafor", "Gil Brenner", "Hana Sato"]


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def populate(url: str, n: int, seed: int = 7) -> dict[str, int]:
    """Fill the database at ``url`` (already migrated) with a synthetic team, a chunk at a
    time (so that a million rejections fit in memory)."""
    from sqlalchemy import create_engine, insert, text, update

    from notnow.storage import tables as T

    rng = random.Random(seed)
    engine = create_engine(url)
    n_accounts, n_contacts, n_deals = n // 5, n * 2 // 5, n * 3 // 10
    start = AS_OF - timedelta(days=730)
    counts: dict[str, int] = {}
    chunk = 5000

    def put(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
        if rows:
            conn.execute(insert(table), rows)
        counts[table.name] = counts.get(table.name, 0) + len(rows)

    def when(lo: datetime = start, hi: datetime = AS_OF) -> datetime:
        return lo + timedelta(seconds=rng.randrange(int((hi - lo).total_seconds())))

    with engine.begin() as conn:
        put(conn, T.User.__table__, [
            {"id": 100 + i, "name": name, "email": f"u{i}@bench.test",
             "role": "salesperson", "active": True, "is_owner": False, "created_at": start}
            for i, name in enumerate(PEOPLE)]
            + [{"id": 99, "name": "Morgan (manager)", "email": "m@bench.test", "role": "manager",
                "active": True, "is_owner": False, "created_at": start}])
        users = [100 + i for i in range(len(PEOPLE))]
        for lo in range(1, n_accounts + 1, chunk):
            put(conn, T.Account.__table__, [
                {"id": i, "name": f"Account {i}", "employees": int(10 ** rng.uniform(0.5, 4.3)),
                 "region": rng.choice(REGIONS), "industry": rng.choice(INDUSTRIES),
                 "country": "US", "owner_id": rng.choice(users), "created_at": start}
                for i in range(lo, min(lo + chunk, n_accounts + 1))])
        for lo in range(1, n_contacts + 1, chunk):
            put(conn, T.Contact.__table__, [
                {"id": i, "account_id": 1 + (i - 1) % n_accounts, "name": f"Contact {i}",
                 "role": "decision_maker", "owner_id": rng.choice(users), "created_at": start}
                for i in range(lo, min(lo + chunk, n_contacts + 1))])
        for lo in range(1, n_deals + 1, chunk):
            deals = []
            for i in range(lo, min(lo + chunk, n_deals + 1)):
                won = rng.random() < 0.14
                deals.append({"id": i, "account_id": 1 + (i - 1) % n_accounts, "offer": "Core",
                              "value": Decimal(rng.randrange(2, 80) * 1000), "currency": "USD",
                              "stage": rng.choice(STAGES),
                              "status": "won" if won else rng.choice(["lost", "nurturing"]),
                              "owner_id": rng.choice(users), "created_at": start,
                              "closed_at": when() if won else None})
            put(conn, T.Deal.__table__, deals)
        for lo in range(1, n + 1, chunk):
            rejections: list[dict[str, Any]] = []
            followups: list[dict[str, Any]] = []
            autopsies: list[dict[str, Any]] = []
            for i in range(lo, min(lo + chunk, n + 1)):
                contact = rng.randrange(1, n_contacts + 1)
                account = 1 + (contact - 1) % n_accounts
                label = weighted(rng, LABELS)
                at = when()
                deal = account if account <= n_deals and rng.random() < 0.6 else None
                author = rng.choice(users)
                rejections.append({
                    "id": i, "contact_id": contact, "account_id": account, "deal_id": deal,
                    "at": at, "label": label, "stage": rng.choice(STAGES),
                    "channel": rng.choice(CHANNELS), "also": [], "evidence": [],
                    "label_source": "model", "author_id": author, "created_at": at,
                    "competitor": rng.choice(COMPETITORS)
                    if label in ("competitor_chosen", "has_solution") and rng.random() < 0.7
                    else None,
                    "capability": rng.choice(CAPABILITIES) if label == "missing_capability"
                    else None})
                if label != "do_not_contact":
                    due = (at + timedelta(days=rng.choice([30, 90, 180, 270]))).date()
                    status = "due" if due > AS_OF.date() else rng.choice(
                        ["done", "done", "done", "skipped", "due"])
                    followups.append({"contact_id": contact, "account_id": account,
                                      "rejection_id": i, "due": due, "channel": "email",
                                      "purpose": "check back", "status": status,
                                      "rule": "checkback.time_hint", "owner_id": author,
                                      "created_at": at})
                if rng.random() < 0.1:
                    autopsies.append({
                        "rejection_id": i, "author_id": author, "created_at": at,
                        "listened_to_need": rng.random() < 0.7,
                        "missed_timing": rng.random() < 0.4,
                        "missed_follow_up": rng.random() < 0.3,
                        "missed_events": rng.random() < 0.2,
                        "too_aggressive": rng.random() < 0.15,
                        "winner": rng.choice(COMPETITORS + ["nobody", "in-house"])})
            put(conn, T.Rejection.__table__, rejections)
            put(conn, T.FollowUp.__table__, followups)
            put(conn, T.Autopsy.__table__, autopsies)
        for lo in range(1, n_contacts + 1, chunk):
            touches: list[dict[str, Any]] = []
            for contact in range(lo, min(lo + chunk, n_contacts + 1)):
                t = when(start, AS_OF - timedelta(days=40))
                author = rng.choice(users)
                attempts = min(14, int(rng.expovariate(1 / 4)) + 1)
                for _ in range(attempts):
                    touches.append({"contact_id": contact,
                                    "account_id": 1 + (contact - 1) % n_accounts,
                                    "channel": rng.choice(CHANNELS[:5]),
                                    "direction": "outbound", "at": t, "author_id": author,
                                    "reply": rng.random() < 0.05, "created_at": t})
                    t += timedelta(days=rng.choice([1, 2, 3, 5, 7, 10]))
                if rng.random() < 0.45:
                    touches.append({"contact_id": contact,
                                    "account_id": 1 + (contact - 1) % n_accounts,
                                    "channel": "email", "direction": "inbound", "at": t,
                                    "author_id": author, "reply": False, "created_at": t})
            put(conn, T.Touch.__table__, touches)
        # after the touches: the storage guards refuse a touch after an opt-out
        conn.execute(update(T.Contact).where(T.Contact.id % 50 == 0)
                     .values(dnc_at=AS_OF - timedelta(days=100), dnc_source="prospect"))
    with engine.begin() as conn:  # the planner's statistics, as a live database has them
        conn.execute(text("ANALYZE"))
    engine.dispose()
    return counts


@contextlib.contextmanager
def pg_schema(base: str) -> Iterator[str]:
    from sqlalchemy import create_engine, text

    name = f"bench_{uuid.uuid4().hex[:10]}"
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


def _rss() -> int:
    """This process's resident memory now, in bytes."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def child(kind: str, url: str) -> None:
    """One measured run in a fresh process (``--child``): prints a JSON line of figures."""
    import resource

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import report_previous  # noqa: I001 - bench/, on the path above
    from notnow import settings
    from notnow.core.clock import FixedClock
    from notnow.services.learning import reports
    from notnow.services.playbook import team_settings
    from notnow.services.team.auth import actor_for
    from notnow.services.workspace import open_workspace

    cfg = settings.load({"NOTNOW_HOME": tempfile.mkdtemp(), "NOTNOW_DATABASE_URL": url})
    ws = open_workspace(cfg, clock=FixedClock(AS_OF))
    try:
        actor = actor_for(ws, ws.owner_id)
        assert actor is not None
        base = _rss()
        t0, c0 = time.perf_counter(), time.process_time()
        phases: dict[str, float] = {}
        if kind == "new":
            marks: list[tuple[str, float]] = []
            reports.report(ws, actor, team=True,
                           progress=lambda step, *_: marks.append((step, time.perf_counter())))
            for (step, at), (_, nxt) in zip(marks, marks[1:], strict=False):
                phases[step] = nxt - at
        else:
            scope = reports.resolve_scope(ws, actor, team=True)
            phases = report_previous.count(ws, scope, team_settings(ws))
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(json.dumps({"kind": kind, "wall": wall, "cpu": cpu, "base": base, "peak": peak,
                          "phases": phases}))
    finally:
        ws.close()


def measure(kind: str, url: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--url", url],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def prepare(url: str) -> None:
    """Create the schema (migrations) through the workspace, as notnow does."""
    from notnow import settings
    from notnow.core.clock import FixedClock
    from notnow.services.workspace import open_workspace

    cfg = settings.load({"NOTNOW_HOME": tempfile.mkdtemp(), "NOTNOW_DATABASE_URL": url})
    open_workspace(cfg, clock=FixedClock(AS_OF)).close()


def side_by_side(url: str, n: int, reuse: bool, runs: int) -> list[dict[str, Any]]:
    if not reuse:
        prepare(url)
        t0 = time.perf_counter()
        counts = populate(url, n)
        print(f"  filled in {time.perf_counter() - t0:.0f} s: "
              + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    rows = []
    for attempt in range(runs):
        for kind in ("previous", "new"):
            r = measure(kind, url)
            r["attempt"] = attempt + 1
            rows.append(r)
            phases = ", ".join(f"{k} {v:.2f}" for k, v in r["phases"].items()
                               if k != "figures")
            print(f"  {kind:>8} run {attempt + 1}: {r['wall']:6.2f} s wall, "
                  f"{r['cpu']:6.2f} s CPU, peak {r['peak'] / 2**20:5.0f} MB "
                  f"(+{(r['peak'] - r['base']) / 2**20:4.0f} MB over the "
                  f"{r['base'] / 2**20:.0f} MB after start-up); {phases}")
    return rows


def calibrate() -> float:
    """Seconds for a fixed pure-Python loop: about 0.25 s on an idle modern core. Figures
    measured on a busy machine scale with it."""
    t0 = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i & 7
    return time.perf_counter() - t0


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, nargs="+", default=[100_000],
                        help="rejections (several sizes: one run each)")
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--postgres-url", default=PG_URL,
                        help="the PostgreSQL database to use, whole (a fresh schema in it)")
    parser.add_argument("--keep", type=Path, help="keep the SQLite database here (one size)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: time the report on the data already in that file")
    parser.add_argument("--runs", type=int, default=2,
                        help="runs of each path, alternating (the first warms the caches)")
    parser.add_argument("--child", choices=["new", "previous"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url)
        return 0
    print(f"notnow report, previous path (rows into Python) against the new one (grouped in "
          f"the database), as of {AS_OF.date()}; {load()}; calibration loop "
          f"{calibrate():.2f} s (about 0.25 s when idle)")
    for n in args.n:
        if args.only in (None, "sqlite"):
            path = args.keep or Path(tempfile.mkdtemp()) / "bench.db"
            reuse = bool(args.reuse and args.keep and path.exists())
            if path.exists() and not reuse:
                path.unlink()
            print(f"SQLite, {n:,} rejections ({path}):")
            side_by_side(f"sqlite:///{path}", n, reuse, args.runs)
            if not args.keep:
                path.unlink()
        if args.only in (None, "postgres"):
            with pg_schema(args.postgres_url) as url:
                print(f"PostgreSQL, {n:,} rejections (a fresh schema in "
                      f"{make_url(args.postgres_url).database}, dropped after):")
                side_by_side(url, n, False, args.runs)
        print(f"  ({load()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
