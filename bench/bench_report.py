"""The full loss report over 100,000 rejections, on SQLite and on PostgreSQL.

Fills a fresh database with a synthetic team (accounts, contacts, deals, rejections, touches,
check-backs, autopsies), then times building the report and rendering its HTML and CSV.
PostgreSQL runs in a fresh schema that is dropped afterwards.

    python bench/bench_report.py [--n 100000] [--only sqlite|postgres]
        [--postgres-url URL] [--keep FILE.db] [--html FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

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
    """Fill the database at ``url`` (already migrated) with a synthetic team."""
    from sqlalchemy import create_engine, insert

    from notnow.storage import tables as T

    rng = random.Random(seed)
    engine = create_engine(url)
    n_accounts, n_contacts, n_deals = n // 5, n * 2 // 5, n * 3 // 10
    start = AS_OF - timedelta(days=730)
    counts: dict[str, int] = {}

    def put(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
        for i in range(0, len(rows), 5000):
            conn.execute(insert(table), rows[i:i + 5000])
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
        put(conn, T.Account.__table__, [
            {"id": i, "name": f"Account {i}", "employees": int(10 ** rng.uniform(0.5, 4.3)),
             "region": rng.choice(REGIONS), "industry": rng.choice(INDUSTRIES),
             "country": "US", "owner_id": rng.choice(users), "created_at": start}
            for i in range(1, n_accounts + 1)])
        put(conn, T.Contact.__table__, [
            {"id": i, "account_id": 1 + (i - 1) % n_accounts, "name": f"Contact {i}",
             "role": "decision_maker", "owner_id": rng.choice(users), "created_at": start}
            for i in range(1, n_contacts + 1)])
        deals = []
        for i in range(1, n_deals + 1):
            won = rng.random() < 0.14
            deals.append({"id": i, "account_id": 1 + (i - 1) % n_accounts, "offer": "Core",
                          "value": Decimal(rng.randrange(2, 80) * 1000), "currency": "USD",
                          "stage": rng.choice(STAGES),
                          "status": "won" if won else rng.choice(["lost", "nurturing"]),
                          "owner_id": rng.choice(users), "created_at": start,
                          "closed_at": when() if won else None})
        put(conn, T.Deal.__table__, deals)
        rejections, followups, autopsies = [], [], []
        for i in range(1, n + 1):
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
                    "listened_to_need": rng.random() < 0.7, "missed_timing": rng.random() < 0.4,
                    "missed_follow_up": rng.random() < 0.3, "missed_events": rng.random() < 0.2,
                    "too_aggressive": rng.random() < 0.15,
                    "winner": rng.choice(COMPETITORS + ["nobody", "in-house"])})
        put(conn, T.Rejection.__table__, rejections)
        touches = []
        for contact in range(1, n_contacts + 1):
            t = when(start, AS_OF - timedelta(days=40))
            author = rng.choice(users)
            attempts = min(14, int(rng.expovariate(1 / 4)) + 1)
            for _ in range(attempts):
                touches.append({"contact_id": contact,
                                "account_id": 1 + (contact - 1) % n_accounts,
                                "channel": rng.choice(CHANNELS[:5]), "direction": "outbound",
                                "at": t, "author_id": author, "created_at": t})
                t += timedelta(days=rng.choice([1, 2, 3, 5, 7, 10]))
            if rng.random() < 0.45:
                touches.append({"contact_id": contact,
                                "account_id": 1 + (contact - 1) % n_accounts,
                                "channel": "email", "direction": "inbound", "at": t,
                                "author_id": author, "created_at": t})
        put(conn, T.Touch.__table__, touches)
        put(conn, T.FollowUp.__table__, followups)
        put(conn, T.Autopsy.__table__, autopsies)
        from sqlalchemy import update

        conn.execute(update(T.Contact.__table__).where(T.Contact.id % 50 == 0)
                     .values(dnc_at=AS_OF - timedelta(days=100), dnc_source="prospect"))
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
        yield f"{base}?options=-csearch_path%3D{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def run(url: str, n: int, html: Path | None, reuse: bool = False) -> dict[str, float]:
    from notnow import settings
    from notnow.core.clock import FixedClock
    from notnow.render import report_html
    from notnow.services.learning import reports
    from notnow.services.workspace import open_workspace

    cfg = settings.load({"NOTNOW_HOME": tempfile.mkdtemp(), "NOTNOW_DATABASE_URL": url})
    ws = open_workspace(cfg, clock=FixedClock(AS_OF))
    try:
        if reuse:
            print("  reusing the data already there")
        else:
            t0 = time.perf_counter()
            counts = populate(url, n)
            fill = time.perf_counter() - t0
            print(f"  filled in {fill:.1f} s: "
                  + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        figures: dict[str, float] = {}
        for attempt in range(2):  # the first run warms the caches
            t0, c0 = time.perf_counter(), time.process_time()
            rep = reports.report(ws, team=True)
            t1, c1 = time.perf_counter(), time.process_time()
            page = report_html.render_html(rep)
            t2 = time.perf_counter()
            with tempfile.TemporaryDirectory() as d:
                report_html.write_csv(rep, Path(d))
            t3 = time.perf_counter()
            figures = {"build": t1 - t0, "html": t2 - t1, "csv": t3 - t2, "total": t3 - t0,
                       "cpu": c1 - c0}
            print(f"  run {attempt + 1}: report {figures['build']:.2f} s (CPU of this "
                  f"process {figures['cpu']:.2f} s), HTML "
                  f"{figures['html']:.2f} s ({len(page) / 1024:.0f} KiB), CSV "
                  f"{figures['csv']:.2f} s, total {figures['total']:.2f} s")
        t0 = time.perf_counter()
        reports.report(ws, for_user=PEOPLE[0])
        print(f"  one salesperson's report: {time.perf_counter() - t0:.2f} s")
        if html is not None:
            html.write_text(page, encoding="utf-8")
            print(f"  HTML written to {html}")
        return figures
    finally:
        ws.close()


def calibrate() -> float:
    """Seconds for a fixed pure-Python loop: about 0.25 s on an idle modern core. Figures
    measured on a busy machine scale with it."""
    t0 = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i & 7
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="rejections")
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--postgres-url", default=PG_URL)
    parser.add_argument("--keep", type=Path, help="keep the SQLite database here")
    parser.add_argument("--html", type=Path, help="write the SQLite run's HTML report here")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: time the report on the data already in that file")
    args = parser.parse_args()
    worst = 0.0
    import os

    print(f"notnow report over {args.n:,} rejections, as of {AS_OF.date()}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
          f"calibration loop {calibrate():.2f} s (about 0.25 s when idle)")
    if args.only in (None, "sqlite"):
        path = args.keep or Path(tempfile.mkdtemp()) / "bench.db"
        reuse = bool(args.reuse and args.keep and path.exists())
        if path.exists() and not reuse:
            path.unlink()
        print(f"SQLite ({path}):")
        worst = max(worst, run(f"sqlite:///{path}", args.n, args.html, reuse)["total"])
    if args.only in (None, "postgres"):
        try:
            with pg_schema(args.postgres_url) as url:
                print("PostgreSQL (fresh schema, dropped after):")
                worst = max(worst, run(url, args.n, None)["total"])
        except Exception as exc:  # noqa: BLE001 - report and go on
            print(f"PostgreSQL skipped: {exc.__class__.__name__}: {str(exc)[:200]}")
    print(f"slowest full report: {worst:.2f} s (budget 5 s)")
    return 0 if worst <= 5 else 1


if __name__ == "__main__":
    sys.exit(main())



