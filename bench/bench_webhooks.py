"""Webhook deliveries to a local receiver (target: 1,000 in <= 10 s with the worker).

A receiver runs in a separate process on loopback (HTTP/1.1, keep-alive) and counts what it
gets, de-duplicating by ``webhook-id``. The script queues ``--events`` events for one webhook
(in batches of 100 per transaction), then delivers them with `webhooks.send_due` — one process,
one kept-alive connection, each delivery loaded, signed, posted and recorded. With
``--via worker`` (the default) they are delivered by what `notnow worker --once` runs
(`Worker.run_once` with the ``reach.webhooks`` job, woken as the services' outbox wakes it);
``--via library`` calls `webhooks.send_due` directly.

With ``--fail-seconds S`` the receiver answers 503 for S seconds from the first delivery: the
script then moves the clock from one retry time to the next (the back-off is minutes long)
until nothing is pending, and checks that everything arrived once.

    python bench/bench_webhooks.py [--events 1000] [--fail-seconds 60] [--via worker|library]
                                   [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

import conditions  # bench/conditions.py: load average and calibration loop
from notnow.reach.events import AccountRef, ContactRef, followup_due
from notnow.reach.secrets import SecretBox, load_or_create_key
from notnow.reach.webhooks import HttpSender, add_webhook, queue_event, send_due
from notnow.storage.engine import Database, open_database
from notnow.storage.tables import Account, Contact, WebhookDelivery


def receiver(port_out: Any, fail_seconds: float) -> None:
    started: list[float] = []  # the failing minute starts with the first delivery
    seen: dict[str, int] = {}
    counts = {"received": 0, "failed": 0}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else each answer waits ~40 ms for a delayed ACK

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _reply(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            self._reply(200, json.dumps({**counts, "unique": len(seen),
                                         "duplicates": sum(v - 1 for v in seen.values())})
                        .encode())

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            counts["received"] += 1
            if not started:
                started.append(time.monotonic())
            if time.monotonic() - started[0] < fail_seconds:
                counts["failed"] += 1
                self._reply(503, b'{"ok":false}')
                return
            wid = self.headers.get("webhook-id", "")
            seen[wid] = seen.get(wid, 0) + 1
            self._reply(200, b'{"ok":true}')

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_out.put(server.server_address[1])
    server.serve_forever()


def stats(port: int) -> dict[str, int]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=5) as answer:
        return dict(json.loads(answer.read()))


def worker_round(db: Database, clock: datetime) -> None:
    """What `notnow worker --once` does at ``clock``: run the due jobs (here: deliveries)."""
    from notnow.core.clock import FixedClock
    from notnow.services.reach import schedule
    from notnow.worker import Worker
    from notnow.worker.kinds import build_registry

    with db.write() as s:
        schedule.ensure(s, schedule.WEBHOOKS, clock, wake=True)
    summary = Worker(db, build_registry(), clock=FixedClock(clock)).run_once()
    assert not summary.failed, summary.errors


def run(db: Database, events: int, fail_seconds: float, via: str = "worker") -> None:
    box = SecretBox(load_or_create_key(Path(os.environ["NOTNOW_HOME"]) / "reach.key"))
    ctx = multiprocessing.get_context("fork")
    ports = ctx.Queue()
    proc = ctx.Process(target=receiver, args=(ports, fail_seconds), daemon=True)
    proc.start()
    port = ports.get(timeout=10)
    try:
        now = datetime.now(UTC)
        add_webhook(db, f"http://127.0.0.1:{port}/hook", "followup.due", created_by=None,
                    now=now, box=box)
        with db.write() as s:
            a = Account(name="Acme", created_at=now)
            s.add(a)
            s.flush()
            c = Contact(account_id=a.id, name="Anna", role="other", created_at=now)
            s.add(c)
            s.flush()
            contact, account = ContactRef(c.id, "Anna"), AccountRef(a.id, "Acme")
        start = time.perf_counter()
        for batch in range(0, events, 100):
            with db.write() as s:
                for i in range(batch, min(batch + 100, events)):
                    queue_event(s, followup_due(
                        followup_id=i, due=now.date(), channel="call", purpose="Call back",
                        why="asked for a call after the audit", contact=contact,
                        account=account, at=now), now)
        queued = time.perf_counter() - start
        print(f"  queued {events:,} events in {queued:.2f} s")

        start = time.perf_counter()
        rounds, clock = 0, now
        per_round: list[float] = []
        with HttpSender() as sender:
            while True:
                t0 = time.perf_counter()
                if via == "worker":
                    worker_round(db, clock)
                    report = None
                else:
                    report = send_due(db, now=clock, sender=sender, box=box,
                                      environ=os.environ, limit=events)
                per_round.append(time.perf_counter() - t0)
                rounds += 1
                with db.read() as s:
                    pending = s.scalar(select(func.max(WebhookDelivery.next_attempt_at))
                                       .where(WebhookDelivery.status == "pending"))
                if pending is None:
                    break
                if fail_seconds:
                    time.sleep(max(0.0, fail_seconds - (time.perf_counter() - start)) + 0.1)
                clock = max(pending, datetime.now(UTC))  # jump to when all retries are due
                assert rounds < 20, report
        took = time.perf_counter() - start
        got = stats(port)
        with db.read() as s:
            delivered = s.scalar(select(func.count()).select_from(WebhookDelivery)
                                 .where(WebhookDelivery.status == "delivered"))
        print(f"  via {via}: delivered {delivered:,} in {took:.2f} s over {rounds} round(s) "
              f"({delivered / sum(per_round):,.0f}/s while sending; first round "
              f"{per_round[0]:.2f} s, median round {statistics.median(per_round):.2f} s)")
        print(f"  receiver: {got['received']:,} requests, {got['failed']:,} answered 503, "
              f"{got['unique']:,} distinct webhook-ids, {got['duplicates']} duplicates")
        assert got["unique"] == events and got["duplicates"] == 0 and delivered == events
    finally:
        proc.terminate()
        proc.join(5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--fail-seconds", type=float, default=0.0)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--via", choices=("worker", "library"), default="worker")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="notnow-bench-")
    os.environ["NOTNOW_HOME"] = home  # the worker's workspace folder (its key file)
    os.environ.pop("NOTNOW_NOW", None)
    print(f"python {sys.version.split()[0]}, {conditions.line()}")
    if args.database_url:
        print(f"database: {args.database_url}")
        db = open_database(args.database_url)
        run(db, args.events, args.fail_seconds, args.via)
        db.dispose()
        return
    with tempfile.TemporaryDirectory() as folder:
        print("database: SQLite in a temporary folder")
        db = open_database(f"sqlite:///{Path(folder) / 'bench.db'}")
        run(db, args.events, args.fail_seconds, args.via)
        db.dispose()


if __name__ == "__main__":
    main()
