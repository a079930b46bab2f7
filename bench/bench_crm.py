"""A HubSpot-shaped export of 100,000 contacts + 50,000 deals: read and mapped into neutral
records, or (``--store``) imported into a fresh workspace and then imported again (issue 13).

    python bench/bench_crm.py                          # generate in a temporary folder, read
    python bench/bench_crm.py --contacts 20000 --deals 10000 --runs 1
    python bench/bench_crm.py --keep /tmp/crm-bench    # keep the generated files
    python bench/bench_crm.py --store --runs 1         # import into a fresh SQLite workspace,
                                                       # then the same files again
    python bench/bench_crm.py --store --runs 1 \
        --database-url postgresql+psycopg://postgres@127.0.0.1/h_crmperf   # a fresh schema
    python bench/bench_crm.py --store --runs 1 --reference /work/wt/main-copy
        # and, side by side, the code of another source tree (its src/) on smaller files
        # (--reference-contacts 2000 --reference-deals 1000) with this code on the same ones

Each run imports (or reads) in a fresh child process, so its peak memory (max RSS) is the
import's own: the interpreter, notnow's imports and the streamed rows — never the whole file.
The child's CPU time is what it took of a CPU (on a shared machine the wall time mostly
measures the queue for one); the load average and a calibration loop (a fixed pure-Python
loop's CPU time, here and now) are printed so runs on differently loaded machines compare.
With PostgreSQL, the server's own CPU is not in the child's: the wall time is.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST = ["Maren", "Teodor", "Priya", "Declan", "Ingrid", "Omar", "Camille", "Lucía", "Jörg",
         "Ama", "Hollis", "Rex", "Sami", "Ute", "Noor", "Kofi", "Elin", "Mateo", "Yuki", "Zara"]
LAST = ["Okafor", "Vance", "Castellanos", "O'Brien", "Søderberg", "Haddad", "Fabre", "Ortega",
        "Müller", "Boateng", "Grange", "Ito", "Aydin", "Fenstermann", "Rahman", "Mensah"]
OWNERS = ["Ana Ruiz", "Ben Osei", "Dana Whitfield", "Jonas Weber", "Lena Park", "Marco Lentz"]
STAGES = ["Appointment Scheduled", "Qualified To Buy", "Presentation Scheduled",
          "Decision Maker Bought-In", "Contract Sent", "Closed Won", "Closed Lost",
          "Closed Lost", "Closed Lost"]
REASONS = [
    "We went with another vendor, they were already on site.",
    "Budget is frozen until the next fiscal year, try us in April.",
    "Way more than we can justify right now.",
    "Not a priority this year.",
    "Without SSO it's a non-starter for our security team.",
    "Please remove me from your list.",
    "Our CFO won't sign off on it.",
    "",
]
CONTACT_HEADER = ["Record ID", "First Name", "Last Name", "Email", "Phone Number",
                  "Contact owner", "Associated Company", "Associated Company IDs (Primary)",
                  "Lead Status", "Lifecycle Stage", "Job Title", "Buying Role",
                  "Unsubscribed from all email", "Create Date", "Last Activity Date",
                  "Original Source", "City", "Country/Region", "Number of Sales Activities",
                  "Marketing contact status"]
DEAL_HEADER = ["Record ID", "Deal Name", "Deal Stage", "Pipeline", "Amount", "Close Date",
               "Deal owner", "Closed Lost Reason", "Closed Won Reason", "Associated Company",
               "Associated Contact", "Associated Contact IDs", "Create Date",
               "Deal probability", "Deal Type", "Last Activity Date"]


def generate(folder: Path, contacts: int, deals: int, seed: int = 13) -> tuple[Path, Path]:
    rnd = random.Random(seed)
    cpath, dpath = folder / "hubspot-contacts.csv", folder / "hubspot-deals.csv"
    companies = [f"Company {i:05d} {rnd.choice(['GmbH', 'Ltd', 'Inc', 'SAS', 'AB'])}"
                 for i in range(max(1, contacts // 5))]
    works_at: list[int] = []
    with open(cpath, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(CONTACT_HEADER)
        for i in range(contacts):
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            company = rnd.randrange(len(companies))
            works_at.append(company)
            title = rnd.choice(["Head of Procurement", "CFO", "Operations Lead\n(night shift)",
                                "Office Manager", "=SUM(A1:A9)", "VP Sales"])
            w.writerow([100_000 + i, first, last, f"{first}.{last}.{i}@example.com".lower(),
                        f"+49 40 {2_000_000 + i}", rnd.choice(OWNERS), companies[company],
                        900_000 + company, rnd.choice(["Open", "Bad Timing", "Unqualified", ""]),
                        "Lead", title, rnd.choice(["Decision maker", "Influencer", "", ""]),
                        "true" if rnd.random() < 0.03 else "false",
                        f"2024-{1 + i % 12:02d}-{1 + i % 28:02d} 09:{i % 60:02d}",
                        "2024-06-01", "ORGANIC_SEARCH", "Hamburg", "Germany", rnd.randrange(20),
                        "Marketing contact"])
    with open(dpath, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(DEAL_HEADER)
        for i in range(deals):
            stage = rnd.choice(STAGES)
            reason = rnd.choice(REASONS) if stage == "Closed Lost" else ""
            contact = rnd.randrange(contacts)
            w.writerow([500_000 + i, f"Deal {i} – telematics", stage, "Sales Pipeline",
                        f"{rnd.randrange(1000, 200000):,}.00", f"2024-{1 + i % 12:02d}-15",
                        rnd.choice(OWNERS), reason, "", companies[works_at[contact]],
                        f"Contact {contact}", 100_000 + contact, "2024-01-10", "0.4",
                        "newbusiness", "2024-06-01"])
    return cpath, dpath


def read(folder: Path) -> dict[str, object]:
    """In the child: read both files, return timings, counts and the peak RSS."""
    from notnow.crm import RowProblem, open_export

    out: dict[str, object] = {}
    total = 0.0
    for name in ("hubspot-contacts.csv", "hubspot-deals.csv"):
        start = time.perf_counter()
        records = problems = 0
        lost_with_reason = opted_out = 0
        with open_export(folder / name) as f:
            for item in f:
                if isinstance(item, RowProblem):
                    problems += 1
                    continue
                records += 1
                if getattr(item, "lost_reason", None):
                    lost_with_reason += 1
                if getattr(item, "opted_out", False):
                    opted_out += 1
        seconds = time.perf_counter() - start
        total += seconds
        out[name] = {"seconds": round(seconds, 2), "records": records, "problems": problems,
                     "lost_with_reason": lost_with_reason, "opted_out": opted_out,
                     "bytes": (folder / name).stat().st_size}
    out["total_seconds"] = round(total, 2)
    out["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def store(folder: Path, database_url: str | None) -> dict[str, object]:
    """In the child: `notnow import` both files into a fresh workspace, then the same files
    again; timings, counts and the peak RSS."""
    from datetime import UTC, datetime

    from notnow import settings
    from notnow.core.clock import FixedClock
    from notnow.services.crm.imports import import_files
    from notnow.services.team.acting import actor_for
    from notnow.services.workspace import open_workspace

    home = folder / "workspace"
    home.mkdir(exist_ok=True)
    url = database_url or f"sqlite:///{home / 'notnow.db'}"
    ws = open_workspace(settings.load({"NOTNOW_HOME": str(home), "NOTNOW_DATABASE_URL": url}),
                        clock=FixedClock(datetime(2026, 12, 6, 9, tzinfo=UTC)))
    actor = actor_for(ws, ws.owner_id)
    assert actor is not None
    files = [folder / "hubspot-contacts.csv", folder / "hubspot-deals.csv"]
    out: dict[str, object] = {"database": url.split(":", 1)[0]}
    for label in ("first", "again"):
        start, cpu = time.perf_counter(), time.process_time()
        report = import_files(ws, actor, files)
        out[label] = {"seconds": round(time.perf_counter() - start, 2),
                      "cpu_seconds": round(time.process_time() - cpu, 2),
                      "counts": report.counts, "problems": report.problem_count}
    ws.close()
    out["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def _print_store(result: dict[str, object], rows: int) -> None:
    for label in ("first", "again"):
        r = result[label]
        assert isinstance(r, dict)
        created = sum(c.get("created", 0) for c in r["counts"].values())
        print(f"    {label}: {r['seconds']} s wall, {r['cpu_seconds']} s CPU "
              f"({r['cpu_seconds'] * 1000 / max(rows, 1):.3f} ms CPU a row), {created:,} "
              f"records created, {r['problems']} problems; {json.dumps(r['counts'])}",
              flush=True)


def calibration() -> float:
    """CPU seconds of a fixed pure-Python loop: how fast this machine is right now."""
    start = time.process_time()
    total = 0
    for i in range(3_000_000):
        total += i * i % 7
    assert total > 0
    return time.process_time() - start


def _schema_url(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


def _run_store(folder: Path, database_url: str | None, src: Path | None, label: str,
               rows: int) -> None:
    """One import (then again) in a child process, with this code or the tree at ``src``."""
    import shutil

    shutil.rmtree(folder / "workspace", ignore_errors=True)
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src / "src")
    url = database_url
    schema = None
    if database_url and database_url.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        schema = f"crm_bench_{os.getpid()}_{label.replace(' ', '_')}"
        engine = create_engine(database_url)
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = _schema_url(database_url, schema)
    cmd = [sys.executable, __file__, "--store-in", str(folder)]
    if url:
        cmd += ["--database-url", url]
    load = os.getloadavg()[0]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            print(f"{label}: failed\n{proc.stderr[-3000:]}", flush=True)
            return
        result = json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        if schema is not None:
            with engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    print(f"{label}: import into {result['database']}, peak RSS {result['max_rss_mb']} MB, "
          f"load average {load:.1f} → {os.getloadavg()[0]:.1f}", flush=True)
    _print_store(result, rows)


def lost_paths(n: int, database_url: str | None) -> None:
    """What one lost reason costs, three ways, on ``n`` contacts each (the figures behind
    docs/crm.md, "Lost reasons"): ``log_rejection`` as before (read, planned, scheduled),
    ``log_rejection(schedule=False, reading=…)`` with the reading done once per text, and the
    bulk path of services/crm/lost.py."""
    import shutil
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from notnow import settings
    from notnow.core.clock import FixedClock
    from notnow.services.capture.log import log_rejection, understand_text
    from notnow.services.crm.lost import Lost, OptOuts, Person, store_lost
    from notnow.services.team.acting import actor_for
    from notnow.services.workspace import open_workspace
    from notnow.storage.tables import Account, Contact, Deal

    home = Path(tempfile.mkdtemp(prefix="crm-lost-"))
    now = datetime(2026, 12, 6, 9, tzinfo=UTC)
    ws = open_workspace(settings.load({
        "NOTNOW_HOME": str(home),
        "NOTNOW_DATABASE_URL": database_url or f"sqlite:///{home / 'notnow.db'}"}),
        clock=FixedClock(now))
    actor = actor_for(ws, ws.owner_id)
    assert actor is not None
    ids: list[tuple[int, int]] = []
    with ws.db.write() as s:
        for i in range(3 * n):
            a = Account(name=f"Lost {i}", owner_id=actor.id, created_at=now)
            c = Contact(name=f"Person {i}", email=f"p{i}@lost{i}.example", account=a,
                        owner_id=actor.id, created_at=now)
            s.add(c)
            s.flush()
            d = Deal(offer=f"Deal {i}", account_id=a.id, contact_id=c.id, owner_id=actor.id,
                     status="lost", created_at=now)
            s.add(d)
            s.flush()
            ids.append((c.id, d.id))
    at = now - timedelta(days=30)
    texts = [r for r in REASONS if r]
    with ws.db.read() as s:
        acc = s.scalars(select(Account).limit(1)).one()
        readings = {t: understand_text(ws, t, today=at.date(), account=acc) for t in texts}

    def logged(part: list[tuple[int, int]], planned: bool) -> None:
        with ws.db.write() as s:
            for k, (cid, did) in enumerate(part):
                t = texts[k % len(texts)]
                log_rejection(ws, actor, {"text": t, "at": at}, contact=cid, deal=did,
                              session=s, schedule=planned,
                              **({} if planned else {"reading": readings[t]}))

    def bulk(part: list[tuple[int, int]]) -> None:
        with ws.db.write() as s:
            people, items = [], []
            for k, (cid, did) in enumerate(part):
                c = s.get(Contact, cid)
                assert c is not None
                p = Person(id=c.id, account_id=c.account_id, owner_id=c.owner_id, name=c.name,
                           email=c.email, phone=None, linkedin=None, country=None)
                t = texts[k % len(texts)]
                people.append(p)
                items.append(Lost(person=p, deal_id=did, deal_stage=None, text=t, at=at,
                                  reading=readings[t]))
            opt_outs = OptOuts(s, actor)
            store_lost(s, actor, items, now=now, opt_outs=opt_outs)
            opt_outs.write(people)

    print(f"one lost reason, {n} of each, load average {os.getloadavg()[0]:.1f}:")
    for label, run in (
            ("log_rejection: read each time, planned, scheduled",
             lambda: logged(ids[:n], True)),
            ("log_rejection(schedule=False, reading read once)",
             lambda: logged(ids[n:2 * n], False)),
            ("bulk path (services/crm/lost.py)", lambda: bulk(ids[2 * n:]))):
        cpu, wall = time.process_time(), time.perf_counter()
        run()
        print(f"    {label}: {(time.process_time() - cpu) * 1000 / n:.2f} ms CPU, "
              f"{(time.perf_counter() - wall) * 1000 / n:.2f} ms wall", flush=True)
    ws.close()
    shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--deals", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="generate into this folder")
    parser.add_argument("--read", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--store", action="store_true",
                        help="import into a fresh workspace (then again), not only read")
    parser.add_argument("--database-url", default=None,
                        help="with --store: this database (default: a fresh SQLite file); "
                        "for PostgreSQL give an empty database or schema")
    parser.add_argument("--store-in", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--reference", type=Path, default=None,
                        help="with --store: a source tree (e.g. a worktree of main) to import "
                        "with too, on the smaller reference files, beside this code")
    parser.add_argument("--lost-paths", type=int, default=0, metavar="N",
                        help="what one lost reason costs: log_rejection as before, without "
                        "its schedule, and the bulk path, N of each")
    parser.add_argument("--reference-contacts", type=int, default=2000)
    parser.add_argument("--reference-deals", type=int, default=1000)
    args = parser.parse_args()
    if args.read is not None:
        print(json.dumps(read(args.read)))
        return
    if args.store_in is not None:
        print(json.dumps(store(args.store_in, args.database_url)))
        return
    if args.lost_paths:
        print(f"load average {os.getloadavg()[0]:.1f}, calibration loop {calibration():.2f} s "
              "CPU", flush=True)
        lost_paths(args.lost_paths, args.database_url)
        return

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        generate(folder, args.contacts, args.deals)
        print(f"generated {args.contacts:,} contacts + {args.deals:,} deals in "
              f"{time.perf_counter() - t0:.1f} s into {folder}", flush=True)
        print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
              f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}, "
              f"calibration loop {calibration():.2f} s CPU", flush=True)
        rows = args.contacts + args.deals
        if args.store and args.reference is not None:
            small = folder / "reference"
            small.mkdir(exist_ok=True)
            generate(small, args.reference_contacts, args.reference_deals)
            n = args.reference_contacts + args.reference_deals
            print(f"reference files: {args.reference_contacts:,} contacts + "
                  f"{args.reference_deals:,} deals", flush=True)
            _run_store(small, args.database_url, args.reference, "reference (its code)", n)
            _run_store(small, args.database_url, None, "reference (this code)", n)
        for run in range(args.runs if args.store else 0):
            _run_store(folder, args.database_url, None, f"run {run + 1}", rows)
        if args.store:
            print(f"load average {os.getloadavg()[0]:.1f}, calibration loop "
                  f"{calibration():.2f} s CPU", flush=True)
        for run in range(0 if args.store else args.runs):
            proc = subprocess.run([sys.executable, __file__, "--read", str(folder)],
                                  capture_output=True, text=True, check=True)
            result = json.loads(proc.stdout)
            print(f"run {run + 1}: read+map {result['total_seconds']} s, peak RSS "
                  f"{result['max_rss_mb']} MB, load average {os.getloadavg()[0]:.1f}")
            for name in ("hubspot-contacts.csv", "hubspot-deals.csv"):
                r = result[name]
                assert isinstance(r, dict)
                print(f"    {name}: {r['bytes'] / 1e6:.1f} MB, {r['records']:,} records, "
                      f"{r['problems']} problems, {r['seconds']} s "
                      f"({r['records'] / max(r['seconds'], 1e-9):,.0f} records/s); "
                      f"lost with a reason {r['lost_with_reason']:,}, "
                      f"opted out {r['opted_out']:,}")


if __name__ == "__main__":
    main()
