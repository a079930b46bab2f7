"""The agenda at scale: one salesperson with up to 1,000,000 contacts and 5,000,000 touches.

For each size and backend it builds a fresh database through the real schema (migrations),
fills it with raw bulk inserts (SQLite: executemany in big transactions; PostgreSQL: COPY),
runs ANALYZE, then times side by side, for one fixed day:

* the service, ``notnow.services.followups.agenda.agenda(ws, owner, day)`` (the owner as the
  actor, their own agenda);
* a hand-written SQL query (``text()``) returning the same candidate rows with the same
  ranking inputs (due, label, dated check-back, last touch), what is shown of them (contact,
  account, channel, purpose, why) and the recent signals, written both with joins and with
  correlated subqueries ("best SQL" is the faster);
* and, as a floor, the service's own statements written by hand and run without Python
  ranking: the ranking range, the signals, the details of 200 rows.

All must return the same follow-up ids. PostgreSQL runs in a fresh schema that is dropped
afterwards; it is skipped with a message when the server is not reachable.

    python bench/bench_agenda.py [--sizes 10000,100000,1000000] [--backends sqlite,postgres]
        [--runs 50] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

DAY = date(2026, 11, 23)  # a Monday: the agenda is measured for this day
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_CONNINFO = "host=127.0.0.1 port=5432 dbname=test user=postgres"
"""What the bulk loader connects to (bench_pages points it at its --postgres-url)."""
OWNER, OTHER = 1, 2
CHUNK = 200_000  # rows per table buffered before a flush
CHANNELS = ["call", "email", "email", "email", "linkedin", "voicemail", "meeting", "note"]
LABELS = ["not_interested"] * 18 + ["not_now"] * 16 + ["no_budget"] * 12 + ["price"] * 9 + \
    ["competitor_chosen"] * 10 + ["has_solution"] * 8 + ["no_need"] * 8 + \
    ["missing_capability"] * 7 + ["wrong_person"] * 4 + ["gatekeeper"] * 4 + \
    ["no_authority"] * 3 + ["bad_experience"] + ["interested"] * 2
SIGNALS = ["replied", "opened", "opened", "clicked", "visited", "asked_info", "ignored",
           "unopened", "unopened", "bounced"]
ROLES = ["decision_maker", "influencer", "user", "gatekeeper", "executive", "other"]
OUTCOMES = [None, None, "no answer", "left message", "spoke", "replied"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "accounts": ("id", "name", "name_key", "domain", "industry", "country", "owner_id",
                 "created_at"),
    "contacts": ("id", "account_id", "name", "name_key", "title", "role", "email", "dnc_at",
                 "dnc_reason", "dnc_source", "owner_id", "created_at"),
    "rejections": ("id", "contact_id", "account_id", "at", "stage", "channel", "text", "label",
                   "also", "label_source", "evidence", "checkback", "author_id", "created_at"),
    "touches": ("id", "contact_id", "account_id", "channel", "direction", "outcome", "at",
                "author_id", "created_at"),
    "followups": ("id", "contact_id", "account_id", "rejection_id", "due", "channel", "purpose",
                  "why", "status", "rule", "owner_id", "created_at", "closed_at"),
    "signals": ("id", "contact_id", "account_id", "kind", "active", "at", "author_id"),
}
ORDER = ("accounts", "contacts", "rejections", "touches", "followups", "signals")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- data


class Stamps:
    """Timestamps as the backend stores them, formatted cheaply from a day offset."""

    def __init__(self, sqlite: bool) -> None:
        self.days = [(DAY - timedelta(days=d)).isoformat() for d in range(0, 800)]
        self.suffix = ".000000" if sqlite else "+00"

    def at(self, days_ago: int, minute: int) -> str:
        return f"{self.days[days_ago]} {minute // 60:02d}:{minute % 60:02d}:00{self.suffix}"


def generate(n: int, sqlite: bool, flush: Callable[[str, list[tuple[Any, ...]]], None],
             seed: int = 11) -> dict[str, int]:
    """``n`` contacts for the owner and ``n // 20`` for a second user, with their history."""
    rng = random.Random(seed)
    rand, choice, randint = rng.random, rng.choice, rng.randrange
    st = Stamps(sqlite)
    buf: dict[str, list[tuple[Any, ...]]] = {t: [] for t in ORDER}
    ids = dict.fromkeys(ORDER, 0)
    total = n + n // 20

    def flush_all() -> None:
        for t in ORDER:
            if buf[t]:
                flush(t, buf[t])
                buf[t] = []

    account = 0
    for cid in range(1, total + 1):
        owner = OWNER if cid <= n else OTHER
        if (cid - 1) % 5 == 0 or cid == n + 1:  # about one account per five contacts
            ids["accounts"] += 1
            account = ids["accounts"]
            buf["accounts"].append((account, f"Account {account}", f"account {account}",
                                    f"acct{account}.example",
                                    choice(("retail", "software", "logistics", "finance")),
                                    choice(("US", "DE", "FR", "GB", "SE")), owner,
                                    st.at(730, 480)))
        created_days = 730 - randint(0, 30)
        dnc = rand() < 0.03
        dnc_at = st.at(randint(1, 60), 600) if dnc else None
        buf["contacts"].append((cid, account, f"Contact {cid}", f"contact {cid}",
                                "Head of Operations",
                                choice(ROLES), f"c{cid}@acct{account}.example", dnc_at,
                                "asked to stop" if dnc else None, "manual" if dnc else None,
                                owner, st.at(created_days, 540)))
        # five touches over the past two years, oldest first
        for k in range(5):
            ids["touches"] += 1
            ago = max(1, created_days - (k + 1) * 140 + randint(0, 120))
            inbound = rand() < 0.2
            buf["touches"].append((ids["touches"], cid, account, choice(CHANNELS),
                                   "inbound" if inbound else "outbound", choice(OUTCOMES),
                                   st.at(ago, 420 + randint(0, 600)), owner,
                                   st.at(ago, 1200)))
        rejection = None
        if rand() < 0.40:
            ids["rejections"] += 1
            rejection = ids["rejections"]
            label = choice(LABELS)
            checkback = (DAY + timedelta(days=randint(1, 700))).isoformat() \
                if label == "not_now" and rand() < 0.6 else None
            ago = randint(20, 700)
            buf["rejections"].append((rejection, cid, account, st.at(ago, 600), "cold_call",
                                      choice(CHANNELS), "not right now, thanks", label, "[]",
                                      "manual", "[]", checkback, owner, st.at(ago, 610)))
        if rand() < 0.10:
            for _ in range(randint(1, 3)):
                ids["signals"] += 1
                kind = choice(SIGNALS)
                buf["signals"].append((ids["signals"], cid, account, kind,
                                       kind in ("replied", "clicked", "visited", "asked_info"),
                                       st.at(randint(0, 364), 700), owner))
        if not dnc and rand() < 0.10:
            # past follow-ups, mostly done or skipped
            for _ in range(randint(1, 2)):
                ids["followups"] += 1
                ago = randint(30, 700)
                buf["followups"].append((ids["followups"], cid, account, rejection,
                                         st.days[ago], choice(("call", "email")),
                                         "check in", None, "done" if rand() < 0.8 else "skipped",
                                         "cadence", owner, st.at(ago + 10, 600),
                                         st.at(ago, 900)))
            # the open one: spread over the next two years; one in a hundred is overdue
            ids["followups"] += 1
            if rand() < 0.01:
                due = DAY - timedelta(days=randint(1, 90))
            else:
                due = DAY + timedelta(days=randint(0, 729))
            buf["followups"].append((ids["followups"], cid, account, rejection, due.isoformat(),
                                     choice(("call", "email", "linkedin")), "check back",
                                     "they asked us to come back", "snoozed"
                                     if rand() < 0.05 else "due", "checkback", owner,
                                     st.at(randint(1, 200), 600), None))
        if len(buf["touches"]) >= CHUNK:
            flush_all()
    flush_all()
    return {"contacts": total, **{t: ids[t] for t in ORDER if t != "contacts"}}


# --------------------------------------------------------------------------- loading


def users_rows(sqlite: bool) -> list[tuple[Any, ...]]:
    at = Stamps(sqlite).at(800 - 1, 0)
    return [(OWNER, "owner", "owner@example.com", "admin", True, True, at),
            (OTHER, "Sam Second", "sam@example.com", "salesperson", True, False, at)]


USER_COLS = "id, name, email, role, active, is_owner, created_at"


def load_sqlite(path: Path, n: int) -> dict[str, int]:
    from notnow.storage import derived, guards, report_stale

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-1000000")
    for stmt in guards.SQLITE_DROP + derived.SQLITE_DROP + report_stale.SQLITE_DROP:  # put back
        conn.execute(stmt)
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO users ({USER_COLS}) VALUES (?,?,?,?,?,?,?)", users_rows(True))
    seen: dict[str, int] = {}

    def flush(table: str, rows: list[tuple[Any, ...]]) -> None:
        cols = COLUMNS[table]
        conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) "
                         f"VALUES ({', '.join('?' * len(cols))})", rows)
        seen[table] = seen.get(table, 0) + len(rows)
        if table == "touches":
            conn.execute("COMMIT")
            conn.execute("BEGIN")
            log(f"  sqlite: {seen['touches']:,} touches, {seen.get('contacts', 0):,} contacts")

    counts = generate(n, True, flush)
    conn.execute("COMMIT")
    log("  sqlite: ranking inputs of the follow-ups (what the triggers keep)")
    conn.execute("BEGIN")
    for stmt in derived.BACKFILL:
        conn.execute(stmt)
    conn.execute("COMMIT")
    for stmt in report_stale.FORGET:  # the report works everything out anew
        conn.execute(stmt)
    for stmt in guards.SQLITE_TRIGGERS + derived.SQLITE_TRIGGERS + report_stale.SQLITE_TRIGGERS:
        conn.execute(stmt)
    log("  sqlite: ANALYZE")
    conn.execute("PRAGMA analysis_limit=1000")  # sampled statistics: seconds, not minutes
    conn.execute("ANALYZE")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    return counts


def _pg_text(v: Any) -> str:
    if v is None:
        return "\\N"
    if v is True:
        return "t"
    if v is False:
        return "f"
    return str(v)


def libpq_url(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as psycopg takes it (the database named in it kept)."""
    from sqlalchemy.engine import make_url

    plain = make_url(url).set(drivername="postgresql", query={})
    return plain.render_as_string(hide_password=False)


def load_postgres(schema: str | None, n: int, base: str | None = None) -> dict[str, int]:
    """Fill the database `base` (a SQLAlchemy URL; else :data:`PG_CONNINFO`) names, in
    `schema`, else its default search path."""
    import psycopg

    from notnow.storage import derived, report_stale

    extra = {"options": f"-csearch_path={schema}"} if schema else {}
    with psycopg.connect(libpq_url(base) if base else PG_CONNINFO, **extra) as conn:
        # bulk history: skip FK, do-not-contact and ranking-input triggers for the load
        # (superuser only); the ranking inputs are filled in by one statement afterwards
        conn.execute("SET session_replication_role = replica")
        with conn.cursor() as cur:
            for row in users_rows(False):
                cur.execute(f"INSERT INTO users ({USER_COLS}) VALUES (%s,%s,%s,%s,%s,%s,%s)",
                            row)
        seen: dict[str, int] = {}

        def flush(table: str, rows: list[tuple[Any, ...]]) -> None:
            data = "".join("\t".join(map(_pg_text, r)) + "\n" for r in rows)
            with conn.cursor() as cur, \
                    cur.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as cp:
                cp.write(data)
            seen[table] = seen.get(table, 0) + len(rows)
            if table == "touches":
                conn.commit()
                log(f"  postgres: {seen['touches']:,} touches, "
                    f"{seen.get('contacts', 0):,} contacts")

        counts = generate(n, False, flush)
        for table in (*ORDER, "users"):  # ids were given explicitly: move the sequences on
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT max(id) FROM {table}))")
        conn.commit()
        log("  postgres: ranking inputs of the follow-ups (what the triggers keep)")
        for stmt in derived.BACKFILL + report_stale.FORGET:
            conn.execute(stmt)
        conn.commit()
        conn.execute("SET session_replication_role = DEFAULT")
        conn.commit()
        log("  postgres: VACUUM ANALYZE")  # what autovacuum would do after a big load
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    return counts


@contextlib.contextmanager
def pg_schema(base: str) -> Iterator[tuple[str, str]]:
    from sqlalchemy import create_engine, text

    name = f"bench_agenda_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        yield name, f"{base}?options=-csearch_path%3D{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()


def pg_reachable(base: str) -> str | None:
    from sqlalchemy import create_engine, text

    engine = create_engine(base)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "skip PostgreSQL"
        return str(exc).splitlines()[0]
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- measuring

HAND_CANDIDATES = """
SELECT f.id, f.contact_id, f.account_id, f.due, f.channel, f.purpose, f.why, f.status,
       (SELECT c.name FROM contacts c WHERE c.id = f.contact_id) AS contact_name,
       (SELECT c.role FROM contacts c WHERE c.id = f.contact_id) AS contact_role,
       (SELECT a.name FROM accounts a WHERE a.id = f.account_id) AS account_name,
       f.label, f.dated_checkback, f.last_touch_at
FROM followups f
WHERE f.owner_id = :owner AND f.status IN ('due', 'snoozed') AND f.due <= :day
  AND (SELECT c.dnc_at FROM contacts c WHERE c.id = f.contact_id) IS NULL
ORDER BY f.due, f.id
LIMIT 5000
"""
JOIN_CANDIDATES = """
SELECT f.id, f.contact_id, f.account_id, f.due, f.channel, f.purpose, f.why, f.status,
       c.name, c.role, a.name, f.label, f.dated_checkback, f.last_touch_at
FROM followups f
JOIN contacts c ON c.id = f.contact_id
JOIN accounts a ON a.id = f.account_id
WHERE f.owner_id = :owner AND f.status IN ('due', 'snoozed') AND f.due <= :day
  AND c.dnc_at IS NULL
ORDER BY f.due, f.id
LIMIT 5000
"""
STEP_RANKING = """
SELECT f.id, f.due, f.contact_id, f.label, f.dated_checkback, f.last_touch_at
FROM followups f
WHERE f.owner_id = :owner AND f.status IN ('due', 'snoozed') AND f.due <= :day
ORDER BY f.due, f.id
LIMIT 5000
"""
STEP_DETAILS = """
SELECT f.id, f.account_id, f.channel, f.purpose, f.why, c.name, c.role, a.name, c.dnc_at
FROM followups f
JOIN contacts c ON c.id = f.contact_id
JOIN accounts a ON a.id = f.account_id
WHERE f.id IN :ids
"""
HAND_SIGNALS = """
SELECT s.contact_id, s.kind, s.at FROM signals s
WHERE s.at >= :since AND s.contact_id IN :contacts
"""


@dataclass
class Timing:
    p50: float
    p95: float


def timed(fn: Callable[[], Any], runs: int, warmup: int = 3) -> Timing:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return Timing(statistics.median(samples), samples[min(len(samples) - 1,
                                                          int(len(samples) * 0.95))])


def measure(url: str, runs: int) -> dict[str, Any]:
    from sqlalchemy import bindparam, text

    from notnow import settings
    from notnow.core.clock import FixedClock
    from notnow.core.ripeness import WARMTH_DAYS
    from notnow.services.followups.agenda import CANDIDATES, agenda
    from notnow.services.team.acting import actor_for
    from notnow.services.workspace import open_workspace

    cfg = settings.load({"NOTNOW_HOME": tempfile.mkdtemp(), "NOTNOW_DATABASE_URL": url})
    ws = open_workspace(cfg, clock=FixedClock(datetime.combine(DAY, dtime(9), tzinfo=UTC)))
    since = datetime.combine(DAY - timedelta(days=WARMTH_DAYS), dtime(0), tzinfo=UTC)
    if ws.db.is_sqlite:
        since_param: Any = since.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    else:
        since_param = since
    day_param: Any = DAY.isoformat() if ws.db.is_sqlite else DAY
    params = {"owner": OWNER, "day": day_param, "since": since_param}

    if ws.db.is_sqlite:
        signals_q = text(HAND_SIGNALS).bindparams(bindparam("contacts", expanding=True))
    else:  # one array parameter, as the service does
        from sqlalchemy import Integer
        from sqlalchemy.dialects.postgresql import ARRAY

        signals_q = text(HAND_SIGNALS.replace("IN :contacts", "= ANY(:contacts)")).bindparams(
            bindparam("contacts", type_=ARRAY(Integer)))
    if ws.db.is_sqlite:
        details_q = text(STEP_DETAILS).bindparams(bindparam("ids", expanding=True))
    else:
        details_q = text(STEP_DETAILS.replace("IN :ids", "= ANY(:ids)")).bindparams(
            bindparam("ids", type_=ARRAY(Integer)))
    fast_plan = text("SELECT set_config('jit', 'off', true), "
                     "set_config('max_parallel_workers_per_gather', '0', true)")

    def hand(candidates: str = HAND_CANDIDATES) -> tuple[list[Any], list[Any]]:
        with ws.db.engine.connect() as conn:
            if not ws.db.is_sqlite:  # no JIT, no parallel workers: they only cost here
                conn.execute(fast_plan)
            rows = conn.execute(text(candidates), params).all()
            sigs = conn.execute(signals_q, {**params, "contacts": [r[1] for r in rows]}
                                ).all() if rows else []
        return rows, sigs

    def two_step(shown: int = 200) -> tuple[list[Any], list[Any], list[Any]]:
        """The service's statements by hand: the ranking range, the signals, and the details
        of ``shown`` rows (the first by due date: SQL alone cannot rank by ripeness)."""
        with ws.db.engine.connect() as conn:
            rows = conn.execute(text(STEP_RANKING), params).all()
            sigs = conn.execute(signals_q, {**params, "contacts": sorted({r[2] for r in rows})}
                                ).all() if rows else []
            details = conn.execute(details_q, {"ids": [r[0] for r in rows[:shown]]}
                                   ).all() if rows else []
        return rows, sigs, details

    def svc(user: int = OWNER) -> Any:
        return agenda(ws, actors[user], DAY)

    try:
        rows, sigs = hand()
        actors = {who: actor_for(ws, who) for who in (OWNER, OTHER)}
        full = agenda(ws, actors[OWNER], DAY, limit=CANDIDATES)
        same = {r[0] for r in rows} == {a.followup_id for a in full} \
            == {r[0] for r in hand(JOIN_CANDIDATES)[0]} == {r[0] for r in two_step()[0]}
        top = svc()
        # interleaved rounds; each figure is the better of its two rounds
        t: dict[str, list[Timing]] = {"service": [], "subq": [], "join": [], "steps": []}
        for _ in range(2):
            t["service"].append(timed(svc, runs))
            t["subq"].append(timed(hand, runs))
            t["join"].append(timed(lambda: hand(JOIN_CANDIDATES), runs))
            t["steps"].append(timed(two_step, runs))
        other = timed(lambda: svc(OTHER), max(5, runs // 2))
        other_rows = len(agenda(ws, actors[OTHER], DAY, limit=CANDIDATES))
    finally:
        ws.close()
    best = {k: min(v, key=lambda x: x.p50) for k, v in t.items()}
    hand_best = min(best["subq"], best["join"], key=lambda x: x.p50)
    return {"candidates": len(rows), "signals": len(sigs), "shown": len(top), "same": same,
            "service": best["service"], "hand": hand_best, "subq": best["subq"],
            "join": best["join"], "steps": best["steps"], "other": other, "other_rows": other_rows,
            "rounds": {k: [round(x.p50, 2) for x in v] for k, v in t.items()}}


def calibrate() -> float:
    t0 = time.perf_counter()
    x = 0
    for i in range(3_000_000):
        x += i * i % 7
    return time.perf_counter() - t0


def run_one(backend: str, n: int, runs: int, pg_base: str) -> dict[str, Any]:
    from notnow.storage.engine import open_database

    t0 = time.perf_counter()
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-agenda-") as tmp:
            path = Path(tmp) / "notnow.db"
            url = f"sqlite:///{path}"
            open_database(url).dispose()
            log(f"sqlite n={n:,}: loading into {path}")
            counts = load_sqlite(path, n)
            load_s = time.perf_counter() - t0
            size_mb = path.stat().st_size / 1e6
            log(f"sqlite n={n:,}: loaded in {load_s:.1f} s ({size_mb:.0f} MB); measuring")
            result = measure(url, runs)
    else:
        with pg_schema(pg_base) as (schema, url):
            open_database(url).dispose()
            log(f"postgres n={n:,}: loading into schema {schema}")
            counts = load_postgres(schema, n, pg_base)
            load_s = time.perf_counter() - t0
            log(f"postgres n={n:,}: loaded in {load_s:.1f} s; measuring")
            result = measure(url, runs)
    return {"backend": backend, "n": n, "load_s": load_s, "counts": counts, **result}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--postgres-url", default=PG_URL)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if "postgres" in backends:
        why = pg_reachable(args.postgres_url)
        if why is not None:
            print(f"PostgreSQL skipped: {args.postgres_url} not reachable ({why})")
            backends.remove("postgres")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
          f"calibration loop {calibrate():.2f} s; day {DAY}, {args.runs} runs each")
    results = []
    for n in sizes:
        for backend in backends:
            r = run_one(backend, n, args.runs, args.postgres_url)
            results.append(r)
            c = r["counts"]
            print(f"{backend} n={n:,}: {c['contacts']:,} contacts, {c['touches']:,} touches, "
                  f"{c['rejections']:,} rejections, {c['signals']:,} signals, "
                  f"{c['followups']:,} follow-ups; loaded in {r['load_s']:.1f} s; "
                  f"p50 per round (ms) {r['rounds']}; second user ({r['other_rows']} due) "
                  f"p50 {r['other'].p50:.2f} ms; "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
            if not r["same"]:
                print(f"MISMATCH: {backend} n={n}: the service and the SQL disagree on ids")
    print()
    print("| backend | contacts | touches | due rows | service p50 | p95 | best SQL query p50 "
          "| p95 | ratio | SQL joins p50 | SQL subqueries p50 | service's statements by hand "
          "p50 | same ids |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        s, h = r["service"], r["hand"]
        print(f"| {r['backend']} | {r['n']:,} | {r['counts']['touches']:,} | {r['candidates']:,} "
              f"| {s.p50:.2f} ms | {s.p95:.2f} ms | {h.p50:.2f} ms | {h.p95:.2f} ms "
              f"| {s.p50 / h.p50:.2f}x | {r['join'].p50:.2f} ms | {r['subq'].p50:.2f} ms "
              f"| {r['steps'].p50:.2f} ms | {'yes' if r['same'] else 'NO'} |")
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    return 0 if all(r["same"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
