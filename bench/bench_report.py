"""The loss report's time and peak memory: this tree's beside a reference tree's and the
previous path's, in the same run.

Fills a database with a synthetic team (accounts, contacts, deals, rejections, touches,
check-backs, autopsies; about two touches per rejection), or reuses one kept from an earlier
run, then measures in fresh processes, alternating: the previous path
(``bench/report_previous.py``: rows loaded into Python) counting rejections, contacts and
check-backs; with ``--ref``, the whole team report of another source tree (e.g. a worktree of
main, imported with ``PYTHONPATH=REF/src``); and this tree's whole team report
(``reports.report``: grouped in the database). Each figure is the process's wall and CPU
time, the CPU time of the PostgreSQL backend that served it (read from ``/proc``: the
database's share of the work, which wall time on a shared machine hides), and its peak
resident memory (also over the memory after start-up). The reports of both trees must be
identical (a hash of everything they say is compared).

PostgreSQL runs in a schema of the database ``--postgres-url`` names (the URL is taken whole):
a fresh one dropped afterwards, or with ``--keep`` one kept for ``--reuse``.

    python bench/bench_report.py [--n 100000 1000000] [--only sqlite|postgres]
        [--postgres-url URL] [--keep [FILE.db|SCHEMA] [--reuse]] [--ref TREE]
        [--ref-postgres-url URL] [--touches N] [--paths previous ref new] [--runs 2]
        [--each]

The report keeps its cap verdicts and each contact's facts (``report_facts``) and works out
again, before it counts, those of the contacts written since: the first run on a database
filled or migrated works them all out (its "kept figures" phase). ``--touches N`` writes N
touches before each run, so that each run also refreshes what a day's work changed. A
reference tree that does not know this code's migrations runs on its own copy of the data
(``--ref-postgres-url``: ``createdb -T`` of the filled database, before this tree opened it).

``--each`` also times each of the report's grouped queries (``report_sql``) alone, one after
the other on one settled read transaction of this tree's code: where the database's work goes.
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

import conditions  # bench/conditions.py: load average and calibration loop

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
    # the planner's statistics and the visibility map, as autovacuum leaves a live database
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql"
                          else "ANALYZE"))
    engine.dispose()
    return counts


def engine_url(url: str) -> str:
    """The URL as notnow reads it (``postgresql://`` means psycopg 3)."""
    from notnow.settings import normalise_database_url

    return normalise_database_url(url)


def in_schema(base: str, name: str) -> str:
    """``base`` (taken whole: host, port, user, password, database, its other options) with
    ``name`` first on the search path."""
    url = make_url(engine_url(base))
    options = url.query.get("options", "")
    if isinstance(options, tuple):
        options = " ".join(options)
    options = f"{options} -csearch_path={name}".strip()
    return url.update_query_dict({"options": options}).render_as_string(hide_password=False)


@contextlib.contextmanager
def pg_schema(base: str, keep: str | None) -> Iterator[tuple[str, bool]]:
    """A schema of the database ``base`` names, as a URL, and whether it holds data already:
    a fresh one dropped afterwards, or with ``keep`` that one, kept."""
    from sqlalchemy import create_engine, text

    name = keep or f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(engine_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM information_schema.schemata "
                                   "WHERE schema_name = :n"), {"n": name}).first() is not None
        if not exists:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield in_schema(base, name), exists
    finally:
        if keep is None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def _rss() -> int:
    """This process's resident memory now, in bytes."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _reference_reads_ahead(url: str) -> None:
    """The reference code (``--ref``) opens a database one migration ahead of it as its own:
    the columns it does not know it does not read."""
    from sqlalchemy import create_engine

    from notnow.storage import migrate

    engine = create_engine(url)
    with engine.connect() as conn:
        current = migrate.current_revision(conn)
    engine.dispose()
    if current is not None and current not in migrate.known_revisions():
        migrate.HEAD = current


def _fingerprint(report: Any) -> str:
    """A hash of everything the report says (not when it was made)."""
    import hashlib

    data = report.to_json()
    data.pop("generated_at", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _backend(ws: Any) -> int | None:
    """The process id of the PostgreSQL backend serving this workspace's pooled connection
    (None on SQLite, whose work is this process's own)."""
    from sqlalchemy import text

    if ws.db.is_sqlite:
        return None
    with ws.db.read() as s:
        return int(s.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _cpu_of(pid: int | None) -> float | None:
    """User and system CPU seconds of a process on this machine (the database server's
    backend: its share of the report's work, measured whatever else runs)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child(kind: str, url: str) -> None:
    """One measured run in a fresh process (``--child``): prints a JSON line of figures."""
    import resource

    import notnow
    from notnow import settings
    from notnow.core.clock import FixedClock
    from notnow.services.learning import reports
    from notnow.services.playbook import team_settings
    from notnow.services.team.acting import actor_for
    from notnow.services.workspace import open_workspace

    if kind == "ref":
        _reference_reads_ahead(url)
    cfg = settings.load({"NOTNOW_HOME": tempfile.mkdtemp(), "NOTNOW_DATABASE_URL": url})
    ws = open_workspace(cfg, clock=FixedClock(AS_OF))
    try:
        actor = actor_for(ws, ws.owner_id)
        assert actor is not None
        backend = _backend(ws)
        b0 = _cpu_of(backend)
        base = _rss()
        r0 = resource.getrusage(resource.RUSAGE_SELF)
        t0, c0 = time.perf_counter(), time.process_time()
        phases: dict[str, float] = {}
        fingerprint = None
        if kind == "previous":
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            import report_previous  # noqa: I001 - bench/, on the path above

            scope = reports.resolve_scope(ws, actor, team=True)
            phases = report_previous.count(ws, scope, team_settings(ws))
        else:
            marks: list[tuple[str, float]] = []
            report = reports.report(
                ws, actor, team=True,
                progress=lambda step, *_: marks.append((step, time.perf_counter())))
            for (step, at), (_, nxt) in zip(marks, marks[1:], strict=False):
                phases[step] = nxt - at
            fingerprint = _fingerprint(report)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        b1 = _cpu_of(backend)
        server = b1 - b0 if b0 is not None and b1 is not None and _backend(ws) == backend \
            else None
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        peak = r1.ru_maxrss * 1024
        print(json.dumps({"kind": kind, "wall": wall, "cpu": cpu, "base": base, "peak": peak,
                          "server": server, "phases": phases, "fingerprint": fingerprint,
                          "code": str(Path(notnow.__file__).parent),
                          "switches": r1.ru_nivcsw - r0.ru_nivcsw}))
    finally:
        ws.close()


def measure(kind: str, url: str, ref: Path | None) -> dict[str, Any]:
    env = dict(os.environ)
    if kind == "ref":
        assert ref is not None
        env["PYTHONPATH"] = str(ref / "src")
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--url", url],
                         capture_output=True, text=True, check=False, env=env)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def prepare(url: str) -> None:
    """Create the schema or bring it to this code's migration, through the workspace, as
    notnow does (before anything is timed)."""
    from notnow import settings
    from notnow.core.clock import FixedClock
    from notnow.services.workspace import open_workspace

    cfg = settings.load({"NOTNOW_HOME": tempfile.mkdtemp(), "NOTNOW_DATABASE_URL": url})
    open_workspace(cfg, clock=FixedClock(AS_OF)).close()


def filled(url: str) -> int:
    """Rejections already in the database at ``url``."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT COUNT(*) FROM rejections")).scalar_one())
    finally:
        engine.dispose()


def add_touches(url: str, n: int, seed: int) -> None:
    """A day of work before a run: ``n`` outbound touches to contacts drawn at random (the
    same ones for the same ``seed``, whichever database), written in one transaction."""
    from sqlalchemy import create_engine, insert, select, text

    from notnow.storage import tables as T

    rng = random.Random(seed)
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            top = int(conn.execute(text("SELECT max(id) FROM contacts")).scalar_one())
            ids = sorted({rng.randrange(1, top + 1) for _ in range(n)})
            owners: dict[int, int] = {int(c): int(a) for c, a in conn.execute(
                select(T.Contact.id, T.Contact.account_id)
                .where(T.Contact.dnc_at.is_(None), T.Contact.id.in_(ids)))}
            rows = [{"contact_id": cid, "account_id": owners[cid],
                     "channel": rng.choice(CHANNELS), "direction": "outbound",
                     "at": AS_OF - timedelta(minutes=rng.randrange(1, 600)),
                     "author_id": 100 + rng.randrange(len(PEOPLE)), "created_at": AS_OF,
                     "reply": False} for cid in ids if cid in owners]
            conn.execute(insert(T.Touch), rows)
    finally:
        engine.dispose()


NAMES = {"previous": "previous (rows into Python)", "ref": "reference tree", "new": "this tree"}


def side_by_side(url: str, n: int, reuse: bool, runs: int, ref: Path | None,
                 paths: list[str], ref_url: str | None = None, touches: int = 0
                 ) -> list[dict[str, Any]]:
    if reuse:
        have = filled(url)
        if have != n:
            raise SystemExit(f"--reuse: the database holds {have:,} rejections, not {n:,}")
        print(f"  reusing the {n:,} rejections already there")
        prepare(url)
    else:
        prepare(url)
        t0 = time.perf_counter()
        counts = populate(url, n)
        print(f"  filled in {time.perf_counter() - t0:.0f} s: "
              + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    kinds = [k for k in ("previous", "ref", "new") if k in paths and (k != "ref" or ref)]
    rows = []
    if ref_url is not None and "ref" in kinds:
        have = filled(ref_url)
        if have != n:
            raise SystemExit(f"--ref-postgres-url: it holds {have:,} rejections, not {n:,}")
    for attempt in range(runs):
        for kind in kinds:
            where = ref_url if kind == "ref" and ref_url is not None else url
            if touches:
                add_touches(where, touches, seed=attempt)
            r = measure(kind, where, ref)
            r["attempt"] = attempt + 1
            rows.append(r)
            phases = ", ".join(f"{k} {v:.2f}" for k, v in r["phases"].items()
                               if k != "figures")
            server = (f" + {r['server']:5.2f} s CPU of the database server"
                      if r.get("server") is not None else "")
            print(f"  {NAMES[kind]:>27} run {attempt + 1}: {r['wall']:6.2f} s wall, "
                  f"{r['cpu']:6.2f} s CPU{server}, peak {r['peak'] / 2**20:5.0f} MB "
                  f"(+{(r['peak'] - r['base']) / 2**20:4.0f} MB over the "
                  f"{r['base'] / 2**20:.0f} MB after start-up); {phases}; "
                  f"{load(short=True)}", flush=True)
    attempts: list[int | None] = list(range(1, runs + 1)) if touches else [None]
    for run in attempts:
        # with --touches the data grows between runs: the runs of one attempt are compared
        prints = {(r["kind"], r["fingerprint"]) for r in rows
                  if r["fingerprint"] and run in (None, r["attempt"])}
        which = f" of run {run}" if run else ""
        if len({p for _, p in prints}) > 1:
            print(f"  !! the reports{which} differ: {sorted(prints)}")
        elif prints:
            print(f"  the reports{which} are identical "
                  f"({', '.join(sorted({k for k, _ in prints}))}: "
                  f"sha256 {next(iter(prints))[1][:12]})")
    return rows


def each_query(url: str) -> None:
    """Each grouped query of the report alone (this tree), on one settled read transaction."""
    from notnow.core import contact_stats as C
    from notnow.core.playbook import default_playbook
    from notnow.services.learning import report_facts
    from notnow.services.learning import report_sql as R
    from notnow.storage.engine import open_database

    db = open_database(url)
    f, as_of, cfg = R.Filter(None, None), AS_OF.date(), default_playbook().settings
    idle = C.ContactTally(settings=cfg, as_of=as_of).idle_days
    queries: dict[str, Any] = {
        "touches' cap verdicts, kept": lambda s: report_facts.touch_groups(s, f, cfg),
        "contacts, kept": lambda s: report_facts.contact_groups(s, f, as_of, idle),
        "touches' cap verdicts, worked out": lambda s: list(R.touch_groups(s, f, cfg)),
        "contacts, worked out": lambda s: list(R.contact_groups(s, f, as_of, idle)),
        "check-backs, kept": lambda s: list(report_facts.checkback_groups(s, f, as_of)),
        "check-backs, worked out": lambda s: list(R.checkback_groups(s, f, as_of)),
        "rejections by account facts": lambda s: list(R.account_groups(s, f)),
        "rejections by label, stage, person, month": lambda s: list(R.rejection_groups(s, f)),
        "won back": lambda s: list(R.won_back_groups(s, f)),
        "rejections by channel": lambda s: list(R.channel_groups(s, f)),
    }
    total = 0.0
    try:
        for name, run in queries.items():
            with db.read() as s:
                R.settle(s)
                start = time.perf_counter()
                run(s)
                took = time.perf_counter() - start
            total += took
            print(f"    alone: {name:<42} {took:6.2f} s", flush=True)
        print(f"    alone: {'all of them, one after the other':<42} {total:6.2f} s; "
              f"{load(short=True)}", flush=True)
    finally:
        db.dispose()


def load(short: bool = True) -> str:
    """The one-minute load average, for a line of figures."""
    return f"load {os.getloadavg()[0]:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, nargs="+", default=[100_000],
                        help="rejections (several sizes: one run each)")
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--postgres-url", default=PG_URL,
                        help="the PostgreSQL database to use, whole (a schema in it)")
    parser.add_argument("--keep", nargs="?", const="", metavar="FILE.db|SCHEMA",
                        help="keep what was filled: the SQLite file (default "
                             "bench_report_N.db in the temporary folder) and the PostgreSQL "
                             "schema (default bench_report_N)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: time the report on the data already kept")
    parser.add_argument("--ref", type=Path,
                        help="a source tree (e.g. a worktree of main) whose report is measured "
                             "beside this tree's, in the same run (PYTHONPATH=REF/src)")
    parser.add_argument("--ref-postgres-url",
                        help="with --ref, --only postgres and --reuse: the reference tree's "
                             "own copy of the data (a database copied with createdb -T before "
                             "this tree migrated it), taken whole, schema as --keep names")
    parser.add_argument("--touches", type=int, default=0, metavar="N",
                        help="before each run, N outbound touches written to random contacts "
                             "(the same in each database): the report after a day's work")
    parser.add_argument("--paths", nargs="+", choices=["previous", "ref", "new"],
                        default=["previous", "ref", "new"],
                        help="which to measure: the previous path, the reference tree, this "
                             "tree")
    parser.add_argument("--runs", type=int, default=2,
                        help="runs of each path, alternating (the first warms the caches)")
    parser.add_argument("--each", action="store_true",
                        help="also time each grouped query of the report alone")
    parser.add_argument("--child", choices=["new", "previous", "ref"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url)
        return 0
    if args.reuse and args.keep is None:
        parser.error("--reuse needs --keep")
    print(f"notnow report, previous path (rows into Python), "
          f"{'the reference tree ' + str(args.ref) + ', ' if args.ref else ''}and this "
          f"tree's, as of {AS_OF.date()}; {conditions.line()}", flush=True)
    for n in args.n:
        if args.only in (None, "sqlite"):
            path = (Path(args.keep) if args.keep else
                    Path(tempfile.gettempdir()) / f"bench_report_{n}.db" if args.keep == ""
                    else Path(tempfile.mkdtemp()) / "bench.db")
            reuse = bool(args.reuse and path.exists())
            if path.exists() and not reuse:
                path.unlink()
            print(f"SQLite, {n:,} rejections ({path}):", flush=True)
            side_by_side(f"sqlite:///{path}", n, reuse, args.runs, args.ref, args.paths,
                         touches=args.touches)
            if args.each:
                each_query(f"sqlite:///{path}")
            if args.keep is None:
                path.unlink()
        if args.only in (None, "postgres"):
            keep = None if args.keep is None else (args.keep or f"bench_report_{n}")
            with pg_schema(args.postgres_url, keep) as (url, exists):
                where = make_url(engine_url(args.postgres_url))
                print(f"PostgreSQL, {n:,} rejections (schema "
                      f"{keep or 'fresh, dropped after'} of {where.database} on "
                      f"{where.host}:{where.port}):", flush=True)
                if exists and not args.reuse:
                    raise SystemExit(f"the schema {keep} exists: add --reuse, or drop it")
                ref_url = (in_schema(args.ref_postgres_url, keep)
                           if args.ref_postgres_url and keep else None)
                side_by_side(url, n, exists, args.runs, args.ref, args.paths, ref_url,
                             args.touches)
                if args.each:
                    each_query(url)
        print(f"  ({conditions.line()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
