"""The lists' first pages on a big workspace: contacts, accounts, opt-outs.

    python bench/bench_lists.py [--contacts 1000000] [--backends sqlite,postgres]
        [--postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/h_lists] [--reuse]
        [--runs 5]

Builds ``--contacts`` contacts (5 % more for a second salesperson) with their history through
``bench_agenda``'s generator: on PostgreSQL in the database the URL names (kept, so that
``--reuse`` measures it again without the build), on SQLite in a temporary file. Then, for
an admin (everyone's lists) and a salesperson (their own), it times each list as the API asks
for it — ``list_contacts`` (50 a page, and a page 20,000 in), ``list_accounts`` (200),
``list_dnc`` (50) — the median wall time of ``--runs`` calls of the service, and of the very
statement the service ran, explained and run twice side by side: with the indexes as they are,
and inside a transaction that puts back those of migration 0027 (the name indexes without the
id, no index of a salesperson's contacts by name, none of the opt-outs) and is rolled back —
the code before migration 0028, on the same data, in the same run. Last, a page 90 % of
the way into each long list, by offset and by key (``after``: where the page before ended),
side by side: the same rows (checked), and each one's median time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_agenda as big  # noqa: E402  (the generator)
import conditions  # noqa: E402  (load average and calibration loop)

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/h_lists"
BEFORE_0028 = (
    "DROP INDEX ix_contacts_name_key", "DROP INDEX ix_accounts_name_key",
    "DROP INDEX ix_contacts_owner_name", "DROP INDEX ix_contacts_dnc",
    "CREATE INDEX ix_contacts_name_key ON contacts (name_key)",
    "CREATE INDEX ix_accounts_name_key ON accounts (name_key)",
)


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    fn()  # warm: the statement compiled, the pages read
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def statement_of(ws: Any, call: Callable[[], object], table: str) -> tuple[str, Any]:
    from sqlalchemy import event

    caught: list[tuple[str, Any]] = []

    def seen(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        if f"FROM {table}" in statement and " ORDER BY " in statement:
            caught.append((statement, params))

    event.listen(ws.db.engine, "before_cursor_execute", seen)
    try:
        call()
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", seen)
    return caught[0]


def timed_statement(ws: Any, statement: str, params: Any, runs: int,
                    before: bool) -> float:
    """The statement's median time, with the indexes as they are or as before 0028."""
    with ws.db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        cur = raw.cursor()
        if ws.db.is_sqlite:
            cur.execute("BEGIN")
        if before:
            for ddl in BEFORE_0028:
                cur.execute(ddl)
            cur.execute("ANALYZE contacts" if not ws.db.is_sqlite else "ANALYZE")

        def run() -> None:
            cur.execute(statement, params)
            cur.fetchall()

        try:
            return median_ms(run, runs)
        finally:
            raw.rollback()


def build(backend: str, n: int, url: str, reuse: bool, folder: str) -> str:
    from notnow.storage.engine import open_database

    if backend == "sqlite":
        path = Path(folder) / "lists.db"
        open_database(f"sqlite:///{path}").dispose()
        big.log(f"building {n:,} contacts in {path}")
        big.load_sqlite(path, n)
        return f"sqlite:///{path}"
    import bench_mixed

    bench_mixed.build(url, n, reuse)
    return url


def measure(url: str, runs: int) -> None:
    from datetime import UTC, datetime

    from notnow import settings
    from notnow.core.clock import FixedClock
    from notnow.services.capture.optout import list_dnc
    from notnow.services.records.accounts import list_accounts
    from notnow.services.records.contacts import list_contacts
    from notnow.services.team.acting import actor_for
    from notnow.services.workspace import open_workspace

    with tempfile.TemporaryDirectory() as home:
        cfg = settings.load({"NOTNOW_HOME": home, "NOTNOW_DATABASE_URL": url})
        ws = open_workspace(cfg, clock=FixedClock(datetime(2026, 11, 23, 9, tzinfo=UTC)))
        try:
            for who in (big.OWNER, big.OTHER):
                actor = actor_for(ws, who)
                if actor is None:
                    raise SystemExit(f"no user {who}: was the database built by this bench?")
                lists: list[tuple[str, str, Callable[[], object]]] = [
                    ("contacts, first 50", "contacts",
                     lambda a=actor: list_contacts(ws, a, limit=50)),
                    ("contacts, 50 from 20,000", "contacts",
                     lambda a=actor: list_contacts(ws, a, limit=50, offset=20_000)),
                    ("accounts, first 200", "accounts",
                     lambda a=actor: list_accounts(ws, a, limit=200)),
                    ("opt-outs, first 50", "contacts",
                     lambda a=actor: list_dnc(ws, a, limit=50)),
                ]
                for name, table, call in lists:
                    service = median_ms(call, runs)
                    statement, params = statement_of(ws, call, table)
                    now = timed_statement(ws, statement, params, runs, before=False)
                    then = timed_statement(ws, statement, params, runs, before=True)
                    print(f"{ws.db.engine.dialect.name:10} {actor.role.value:12} {name:26} "
                          f"service {service:8.1f} ms   its statement {now:8.1f} ms, "
                          f"with 0027's indexes {then:8.1f} ms", flush=True)
            deep_pages(ws, runs)
        finally:
            ws.close()


def deep_pages(ws: Any, runs: int) -> None:
    """A page 90 % of the way into each long list: by offset, and by the key of where the page
    before ended (``?after=``, :mod:`notnow.services.paging`), side by side."""
    from sqlalchemy import func, select

    from notnow.services.capture.log import list_rejections
    from notnow.services.capture.optout import list_dnc
    from notnow.services.paging import next_after
    from notnow.services.records import accounts, contacts
    from notnow.services.team.acting import actor_for
    from notnow.storage.tables import Account, Contact, Rejection

    for who in (big.OWNER, big.OTHER):
        actor = actor_for(ws, who)
        mine = [] if who == big.OWNER else [Contact.owner_id == who]
        with ws.db.read() as s:
            counts = {
                "contacts": s.scalar(select(func.count()).select_from(Contact).where(*mine)),
                "opt-outs": s.scalar(select(func.count()).select_from(Contact).where(
                    Contact.dnc_at.is_not(None), *mine)),
                "accounts": s.scalar(select(func.count()).select_from(Account)),
                "rejections": s.scalar(select(func.count()).select_from(Rejection)),
            }
        lists: list[tuple[str, Callable[..., list[Any]]]] = [
            ("contacts", lambda a=actor, **kw: contacts.list_contacts(ws, a, **kw)),
            ("opt-outs", lambda a=actor, **kw: list_dnc(ws, a, **kw))]
        if who == big.OWNER:  # everyone's accounts (a salesperson's are few) and rejections
            lists.append(("accounts", lambda a=actor, **kw: accounts.list_accounts(ws, a, **kw)))
            lists.append(("rejections", lambda a=actor, **kw: list_rejections(ws, a, **kw)))
        for name, call in lists:
            deep = int(counts[name] * 0.9)
            if deep < 2:
                continue
            token = next_after(call(limit=2, offset=deep - 1), 1)
            by_offset = call(limit=50, offset=deep)
            assert call(limit=50, after=token) == by_offset, name  # the same page
            offset_ms = median_ms(lambda c=call, d=deep: c(limit=50, offset=d), runs)
            key_ms = median_ms(lambda c=call, t=token: c(limit=50, after=t), runs)
            print(f"{ws.db.engine.dialect.name:10} {actor.role.value:12} {name:10} 50 at "
                  f"{deep:>9,} of {counts[name]:>9,}: by offset {offset_ms:8.1f} ms, "
                  f"by key {key_ms:6.1f} ms", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=PG_URL, help="the whole URL; its database "
                        "holds the data (built once, kept)")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {conditions.line()}", flush=True)
    print(f"{args.contacts:,} contacts (and 5 % more for a second salesperson); median of "
          f"{args.runs} calls each")
    with tempfile.TemporaryDirectory() as folder:
        for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
            url = build(backend, args.contacts, args.postgres_url, args.reuse, folder)
            measure(url, args.runs)
    print(f"machine after: {conditions.line()}")


if __name__ == "__main__":
    main()
