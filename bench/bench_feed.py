"""The calendar feed for a person with 2,000 upcoming follow-ups (target: <= 100 ms).

Builds a fresh database through the real schema (SQLite in a temporary folder; PostgreSQL in a
fresh schema, dropped afterwards) with one person who has ``--followups`` open follow-ups over
the next year, across contacts in several time zones, plus a colleague with ten times as many
(so the owner filter has work to do). Then times, side by side:

* ``render``  — `core.ical.render_calendar` alone, on the person's items;
* ``first``   — the first fetch of the feed URL: every event's version is recorded;
* ``steady``  — later fetches: read, reconcile, render, ETag (what a polling client costs);
* ``cached``  — the same with a `FeedCache` (the unchanged calendar is not rendered again);
* ``304``     — a poll with ``If-None-Match`` (the client already has this version);
* ``moved``   — a fetch after 50 follow-ups moved (their SEQUENCE goes up);
* ``service`` — `services.reach.feed.serve_feed`: the same read as the person, through the
  policy (their clause, a disabled person refused), with the app's `FeedCache`;
* ``http``    — a plain ``GET /calendar/feed/<token>.ics`` to the web app served by uvicorn on
  loopback (SQLite only: the app opens the workspace itself), what a calendar app costs.

    python bench/bench_feed.py [--followups 2000] [--runs 30] [--backends sqlite,postgres]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text, update

import conditions  # bench/conditions.py: load average and calibration loop
from notnow.core.ical import render_calendar
from notnow.reach.feed import FeedCache, feed_response, issue_feed, own_open_followups
from notnow.storage.engine import Database, open_database
from notnow.storage.tables import Account, Contact, FollowUp, User

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/London", None]


def fill(db: Database, followups: int) -> int:
    with db.write() as s:
        s.execute(insert(User), [
            {"id": 10, "name": "Ann", "email": "ann@example.com", "role": "salesperson",
             "active": True, "is_owner": False, "created_at": NOW},
            {"id": 11, "name": "Bo", "email": "bo@example.com", "role": "salesperson",
             "active": True, "is_owner": False, "created_at": NOW}])
        contacts = max(followups // 5, 1) * 11
        s.execute(insert(Account), [
            {"id": i, "name": f"Account {i} GmbH", "timezone": ZONES[i % len(ZONES)],
             "created_at": NOW} for i in range(1, contacts + 1)])
        s.execute(insert(Contact), [
            {"id": i, "account_id": i, "name": f"Contact {i}", "role": "decision_maker",
             "created_at": NOW} for i in range(1, contacts + 1)])
        rows = []
        for i in range(1, followups * 11 + 1):
            owner = 10 if i % 11 == 0 else 11
            rows.append({"id": i, "contact_id": 1 + i % contacts, "account_id": 1 + i % contacts,
                         "owner_id": owner, "due": NOW.date() + timedelta(days=i % 360),
                         "channel": "email" if i % 3 else "call",
                         "purpose": f"Check back about the budget for next year ({i})",
                         "why": "They said: try me after the audit in the spring",
                         "status": "due", "rule": "check-back", "created_at": NOW})
        for start in range(0, len(rows), 5000):
            s.execute(insert(FollowUp), rows[start:start + 5000])
    if not db.is_sqlite:
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return 10


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def line(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return (f"  {name:<8} median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   "
            f"min {ms[0]:7.1f} ms   ({len(ms)} runs)")


@contextlib.contextmanager
def database(backend: str, pg_url: str) -> Iterator[Database | None]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            db = open_database(f"sqlite:///{Path(folder) / 'bench.db'}")
            yield db
            db.dispose()
        return
    from sqlalchemy import create_engine

    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    name = f"bench_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
    except Exception as exc:  # noqa: BLE001 — report and go on
        print(f"  PostgreSQL not reachable ({type(exc).__name__}): skipped")
        yield None
        return
    db = open_database(f"{pg_url}?options=-csearch_path%3D{name}")
    try:
        yield db
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def run(backend: str, followups: int, runs: int, pg_url: str) -> None:
    print(f"\n{backend}: {followups:,} upcoming follow-ups for one person "
          f"(+{followups * 10:,} for a colleague)")
    with database(backend, pg_url) as db:
        if db is None:
            return
        user = fill(db, followups)
        token = issue_feed(db, user, NOW).token
        assert token
        reader = own_open_followups("UTC")

        cache = FeedCache()

        def fetch(now: datetime = NOW, etag: str | None = None,  # type: ignore[no-untyped-def]
                  cached: bool = False):
            return feed_response(db, token, workspace_id="bench", now=now, today=now.date(),
                                 read_items=reader, name="notnow — Ann", if_none_match=etag,
                                 cache=cache if cached else None)

        with db.read() as s:
            items = reader(s, user, NOW.date() - timedelta(days=14),
                           NOW.date() + timedelta(days=366))
        assert len(items) == followups, len(items)
        render = timed(lambda: render_calendar(items, workspace_id="bench", stamp=NOW), runs)
        first = timed(fetch, 1)
        answer = fetch()
        steady = timed(fetch, runs)
        cached = timed(lambda: fetch(cached=True), runs)
        etag = answer.headers["ETag"]
        not_modified = timed(lambda: fetch(etag=etag), runs)
        assert fetch(etag=etag).status == 304
        moved: list[float] = []
        for r in range(min(runs, 10)):
            with db.write() as s:
                s.execute(update(FollowUp).where(FollowUp.owner_id == user,
                                                 FollowUp.id % 40 == r)
                          .values(due=FollowUp.due + 1 if not db.is_sqlite else
                                  text("date(due, '+1 day')")))
            moved += timed(lambda r=r: fetch(NOW + timedelta(minutes=r + 1)), 1)
        print(f"  feed: {len(answer.body) / 1e6:.2f} MB, "
              f"{answer.body.count(b'BEGIN:VEVENT'):,} events")
        service, http = through_the_app(db, token, runs)
        for name, ms in [("render", render), ("first", first), ("steady", steady),
                         ("cached", cached), ("304", not_modified), ("moved", moved),
                         ("service", service), ("http", http)]:
            if ms:
                print(line(name, ms))


def through_the_app(db: Database, token: str, runs: int) -> tuple[list[float], list[float]]:
    """The feed through the service (as its person, through the policy) and over HTTP."""
    import threading
    import urllib.request

    from notnow import settings
    from notnow.core.clock import FixedClock
    from notnow.services.reach.feed import serve_feed
    from notnow.services.workspace import Workspace

    later = NOW + timedelta(hours=1)
    with tempfile.TemporaryDirectory() as home:
        config = settings.load({"NOTNOW_HOME": home, "NOTNOW_DATABASE_URL": str(db.url)})
        ws = Workspace(config=config, db=db, clock=FixedClock(later), owner_id=10,
                       workspace_id="bench")
        cache = FeedCache()
        assert serve_feed(ws, token, cache=cache).status == 200
        service = timed(lambda: serve_feed(ws, token, cache=cache), runs)
        if not db.is_sqlite:
            return service, []
        import socket

        import uvicorn

        from notnow.web import create_app

        app = create_app(config, clock=FixedClock(later), team=True)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                               log_level="error", access_log=False))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.02)
        url = f"http://127.0.0.1:{port}/calendar/feed/{token}.ics"

        def get() -> None:
            with urllib.request.urlopen(url, timeout=30) as answer:
                assert answer.status == 200
                answer.read()

        get()
        http = timed(get, runs)
        server.should_exit = True
        thread.join(10)
        return service, http


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followups", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=os.environ.get("NOTNOW_BENCH_POSTGRES_URL",
                                                                 PG_URL))
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {conditions.line()}")
    for backend in args.backends.split(","):
        run(backend.strip(), args.followups, args.runs, args.postgres_url)


if __name__ == "__main__":
    main()
