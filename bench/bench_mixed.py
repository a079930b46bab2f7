"""The web app under a mixed team load on PostgreSQL, beside a static page as the ceiling.

    python bench/bench_mixed.py [--postgres-url postgresql+psycopg://…/h_mixedload]
        [--contacts 1000000] [--reuse] [--workers 2] [--seconds 15] [--readers 50] [--writers 5]
        [--think 0]

1. The database: ``--contacts`` contacts for one salesperson (and 5 % more for a second) with
   their history, built by ``bench_agenda``'s generator through the real schema (migrations,
   then COPY, ANALYZE) in the database the URL names — kept afterwards, so that ``--reuse``
   measures it again without the build (minutes at 1M). The bench's people are added once: the
   workspace owner (whose agenda it is) gets an API token; an admin with a password lets team
   mode start.
2. Two servers on free loopback ports, under the same uvicorn settings: ``notnow serve --team
   --workers N`` and, as the ceiling, a minimal FastAPI app answering a prebuilt page of the
   agenda page's size (``--serve-ceiling``).
3. Load from separate processes (``--load-procs``), one keep-alive HTTP/1.1 connection per
   client, each request bounded by a timeout, each phase by ``--seconds`` and
   ``--max-requests``. Readers open the agenda page (``/``), account pages
   (``/accounts/{id}``) and API reads (``/api/v1/contacts/{id}``, ``/api/v1/agenda?limit=50``)
   in equal shares, the accounts and contacts those of the agenda's first 50 rows (after a
   warm-up of each endpoint); writers log rejections
   (``POST /api/v1/rejections``) and act on follow-ups (snooze, then undo: the follow-ups
   acted on stay as they were; the rejections logged stay, with their plans). Every endpoint
   is measured alone (all readers on it, or all writers), then all at once; the ceiling alone
   with all readers.
4. ``--think 0`` (the default) is a closed loop: each client sends its next request as soon as
   the last one is answered, so the server is saturated, latency is mostly queueing (about
   clients / throughput), and throughput is what is measured, against the ceiling. With
   ``--think S`` each client pauses a random time averaging S seconds after each response, as
   a person reads a page before the next click (an interactive load: the latencies people
   see at that pace); no ceiling is measured then.

Prints, per endpoint: requests/s, p50, p99, errors alone and mixed; the ratio of each read's
throughput alone to the ceiling's; the load average, a calibration loop and each process's CPU
seconds; the targets of issue 16 and whether each was met; and the command to run it again.
The clock is fixed (``NOTNOW_NOW``) to the day the generator plans for.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_agenda as big  # noqa: E402  (the generator of the agenda bench)
import conditions  # noqa: E402  (load average and calibration loop)

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/h_mixedload"
ADMIN_EMAIL = "bench-admin@example.com"
ADMIN_PASSWORD = "bench-password-not-secret"  # loopback only, a throwaway database
TIMEOUT = 10.0  # seconds a request may take before it counts as an error
HOT = 50  # account pages and contacts asked for: those of the agenda's first 50 rows
READS = ("agenda page", "account page", "api contact", "api agenda")
WRITES = ("log rejection", "snooze+undo")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --------------------------------------------------------------------------- the database


def workspace(url: str, home: Path) -> Any:
    from datetime import UTC, datetime
    from datetime import time as dtime

    from notnow import settings
    from notnow.core.clock import FixedClock
    from notnow.services.workspace import open_workspace

    cfg = settings.load({"NOTNOW_HOME": str(home), "NOTNOW_DATABASE_URL": url})
    return open_workspace(cfg, clock=FixedClock(datetime.combine(big.DAY, dtime(9),
                                                                 tzinfo=UTC)))


def contact_count(url: str) -> int | None:
    """How many contacts the database holds (None: no schema yet)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if conn.execute(text("SELECT to_regclass('contacts')")).scalar() is None:
                return None
            return int(conn.execute(text("SELECT count(*) FROM contacts")).scalar() or 0)
    finally:
        engine.dispose()


def build(url: str, n: int, reuse: bool) -> None:
    from notnow.storage.engine import open_database

    want = n + n // 20
    have = contact_count(url)
    if reuse and have is not None and have >= want:
        log(f"reusing {url}: {have:,} contacts")
        return
    if have:
        raise SystemExit(f"{url} already holds {have:,} contacts (want {want:,}): pass "
                         "--reuse to measure it as it is, or drop and create the database")
    open_database(url).dispose()  # the schema, through the migrations
    t0 = time.perf_counter()
    log(f"building {n:,} contacts in {url}")
    counts = big.load_postgres(None, n, url)
    log(f"built in {time.perf_counter() - t0:.0f} s: {counts}")


def people(url: str, home: Path) -> str:
    """The owner's API token (a new one each run); an admin with a password (once)."""
    from notnow.services.team.acting import actor_for
    from notnow.services.team.auth import add_user, create_token, has_login

    ws = workspace(url, home)
    try:
        owner = actor_for(ws, big.OWNER)
        if owner is None:
            raise SystemExit("the database has no user 1: was it built by this bench?")
        if not has_login(ws):
            add_user(ws, owner, {"name": "Bench Admin", "email": ADMIN_EMAIL, "role": "admin",
                                 "password": ADMIN_PASSWORD})
        return create_token(ws, owner, "bench-mixed").token
    finally:
        ws.close()


def targets(url: str, home: Path) -> dict[str, list[int]]:
    """What the clients ask for: accounts and contacts on the agenda, follow-ups to snooze,
    contacts to log rejections for (the owner's, far from the agenda's)."""
    from sqlalchemy import text

    from notnow.services.followups.agenda import ranked_agenda

    ws = workspace(url, home)
    try:
        items = ranked_agenda(ws, big.DAY, (big.OWNER,), limit=200)
        with ws.db.engine.connect() as conn:
            top = int(conn.execute(text("SELECT max(id) FROM contacts WHERE owner_id = :o"),
                                   {"o": big.OWNER}).scalar() or 1)
            due = {r[0] for r in conn.execute(text(
                "SELECT id FROM followups WHERE status = 'due' AND id = ANY(:ids)"),
                {"ids": [i.followup_id for i in items]})}
    finally:
        ws.close()
    if not items:
        raise SystemExit("the owner's agenda is empty: nothing to measure")
    t_render = render_cost(items)
    rng = random.Random(5)
    agenda_contacts = {i.contact_id for i in items}
    loggable = [c for c in rng.sample(range(1, top + 1), min(top, 4000))
                if c not in agenda_contacts][:2000]
    top = items[:HOT]  # what a salesperson opens: the top of their agenda
    return {"render_us_per_row": [t_render], "ranked_ms": [ranked_ms(url, home)],
            "accounts": sorted({i.account_id for i in top}),
            "contacts": sorted({i.contact_id for i in top}),
            "followups": [i.followup_id for i in items if i.followup_id in due][:100],
            "loggable": loggable}


def snapshot_churn(url: str, seconds: float = 2.0) -> float:
    """How many writes a second others commit to this database while this bench writes
    nothing (rows appended to ``notnow_data_changes``, which the caches follow; other
    databases' commits on the server change nothing)."""
    from sqlalchemy import create_engine

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    count = "SELECT count(*) FROM notnow_data_changes"
    try:
        with engine.connect() as conn:
            if conn.exec_driver_sql("SELECT to_regclass('notnow_data_changes')").scalar() \
                    is None:
                return 0.0  # not upgraded yet: the server opens it
            before = conn.exec_driver_sql(count).scalar() or 0
            time.sleep(seconds)
            after = conn.exec_driver_sql(count).scalar() or 0
    finally:
        engine.dispose()
    return round((after - before) / seconds, 1)


def render_cost(items: list[Any], runs: int = 20) -> float:
    """CPU microseconds a row to render the agenda's rows (``_agenda_rows.html``), as the page
    does when its data changed: the best of `runs`."""
    from notnow.web.app import HERE as WEB
    from notnow.web.followup_actions import SNOOZE_CHOICES
    from notnow.web.render import make_templates

    template = make_templates(WEB / "templates", team=True).get_template("_agenda_rows.html")
    best = float("inf")
    for _ in range(runs):
        t0 = time.process_time()
        template.render(items=items, today=big.DAY, snooze_choices=SNOOZE_CHOICES, groups=None)
        best = min(best, time.process_time() - t0)
    return round(1e6 * best / len(items), 1)


def ranked_ms(url: str, home: Path, runs: int = 10) -> float:
    """Wall milliseconds (median) to rank the owner's agenda, uncached: what a page costs
    after any write."""
    from notnow.services.followups.agenda import ranked_agenda

    ws = workspace(url, home)
    try:
        took = []
        for _ in range(runs):
            t0 = time.perf_counter()
            ranked_agenda(ws, big.DAY, (big.OWNER,), limit=200)
            took.append(time.perf_counter() - t0)
    finally:
        ws.close()
    return round(1000 * sorted(took)[len(took) // 2], 1)


# --------------------------------------------------------------------------- servers


def wait_for(port: int, proc: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            if proc.poll() is not None:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise SystemExit(f"{what} stopped: {err}") from None
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"{what} did not start in 120 s")


def start_notnow(url: str, home: Path, port: int, workers: int,
                 threads: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NOTNOW_HOME": str(home), "NOTNOW_DATABASE_URL": url,
           "NOTNOW_NOW": f"{big.DAY.isoformat()}T09:00:00+00:00", "NOTNOW_USER": ""}
    env.pop("NOTNOW_DEV", None)
    proc = subprocess.Popen([sys.executable, "-c", "from notnow.cli.main import run; run()",
                             "serve", "--team", "--port", str(port), "--workers",
                             str(workers), "--threads", str(threads)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    wait_for(port, proc, "notnow serve")
    return proc


def start_ceiling(port: int, size: int, workers: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, __file__, "--serve-ceiling", str(port),
                             "--page-bytes", str(size), "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    wait_for(port, proc, "the ceiling app")
    return proc


def ceiling_app() -> Any:
    """The reference: a minimal FastAPI page of the agenda page's size (an uvicorn factory)."""
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse

    size = int(os.environ["BENCH_PAGE_BYTES"])
    body = ("<!doctype html><title>static</title>" + "x" * size)[:size]
    app = FastAPI()

    @app.get("/")
    async def static_page() -> HTMLResponse:
        return HTMLResponse(body)

    return app


def serve_ceiling(port: int, size: int, workers: int) -> None:
    import uvicorn

    os.environ["BENCH_PAGE_BYTES"] = str(size)
    # the options `notnow serve --team` gives uvicorn (cli/serve.py)
    uvicorn.run("bench_mixed:ceiling_app", factory=True, app_dir=str(HERE), host="127.0.0.1",
                port=port, workers=workers, log_level="warning", access_log=False,
                proxy_headers=True, server_header=False)


def cpu_seconds(pid: int) -> float:
    """CPU seconds of a process and its children still running (from /proc)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        out = subprocess.run(["pgrep", "-g", str(os.getpgid(pid))], capture_output=True,
                             text=True).stdout.split()
        pids = [int(p) for p in out] or pids
    except (OSError, ProcessLookupError):
        pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return total


# --------------------------------------------------------------------------- load


class Conn:
    """One keep-alive HTTP/1.1 connection, as a browser or a script holds one."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.rw: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(self, method: str, path: str, body: dict[str, Any] | None = None,
                      ) -> tuple[int, bytes]:
        if self.rw is not None and self.rw[0].at_eof():
            self.close()  # the server closed it while it was idle (its keep-alive timeout,
            # 5 s): a new connection, as a browser makes one
        if self.rw is None:
            self.rw = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self.rw
        data = json.dumps(body).encode() if body is not None else b""
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
        if self.token:
            head += f"Authorization: Bearer {self.token}\r\n"
        if method != "GET":
            head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
        writer.write(head.encode() + b"\r\n" + data)
        await writer.drain()
        raw = await reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length, chunked = 0, False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        if not chunked:
            return status, await reader.readexactly(length)
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            parts.append(await reader.readexactly(size + 2))
            if size == 0:
                return status, b"".join(parts)

    def close(self) -> None:
        if self.rw is not None:
            self.rw[1].close()
            self.rw = None


async def _one(conn: Conn, kind: str, rng: random.Random, t: dict[str, list[int]]) -> bool:
    """One request (or, for snooze+undo, the pair) of `kind`; True when it succeeded."""
    if kind == "ceiling" or kind == "agenda page":
        status, body = await conn.request("GET", "/")
        return status == 200 and len(body) > 1000
    if kind == "account page":
        status, _ = await conn.request("GET", f"/accounts/{rng.choice(t['accounts'])}")
        return status == 200
    if kind == "api contact":
        status, _ = await conn.request("GET", f"/api/v1/contacts/{rng.choice(t['contacts'])}")
        return status == 200
    if kind == "api agenda":
        status, _ = await conn.request("GET", "/api/v1/agenda?limit=50")
        return status == 200
    if kind == "log rejection":
        status, _ = await conn.request("POST", "/api/v1/rejections", {
            "contact_id": rng.choice(t["loggable"]),
            "text": rng.choice(("Not now, try me after the summer.",
                                "We have no budget for this until next year.",
                                "We went with another vendor, sorry."))})
        return status == 201
    if kind == "snooze+undo":
        fid = rng.choice(t["followups"])
        status, _ = await conn.request("POST", f"/api/v1/followups/{fid}/snooze", {})
        if status == 409:  # another writer holds it snoozed: that one undoes it
            return True
        if status != 200:
            return False
        status, _ = await conn.request("POST", f"/api/v1/followups/{fid}/undo", {})
        return status in (200, 409)
    raise ValueError(kind)


async def _client(port: int, token: str, kind: str, seed: int, until: float, budget: list[int],
                  t: dict[str, list[int]], out: dict[str, Any], think: float) -> None:
    """One client: a request, then (with ``think``) a pause of a random length averaging
    ``think`` seconds, as a person reads what came back; again until the phase ends."""
    conn = Conn(port, token)
    rng = random.Random(seed)
    try:
        if think:  # the clients start spread out, not all at the same moment
            await asyncio.sleep(rng.uniform(0, think))
        while time.perf_counter() < until and budget[0] > 0:
            budget[0] -= 1
            t0 = time.perf_counter()
            try:
                ok = await asyncio.wait_for(_one(conn, kind, rng, t), TIMEOUT)
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
                ok = False
                conn.close()
            took = time.perf_counter() - t0
            if ok:
                out["lat"].append(took)
            else:
                out["errors"] += 1
            if think:
                await asyncio.sleep(min(rng.expovariate(1 / think),
                                        max(0.0, until - time.perf_counter())))
    finally:
        conn.close()


def run_load(spec: dict[str, Any]) -> dict[str, Any]:
    """In a load process: the clients of `spec` ({kind: count}) for `seconds`."""
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    results = {kind: {"lat": [], "errors": 0} for kind in spec["clients"]}

    async def main() -> float:
        until = time.perf_counter() + spec["seconds"]
        budget = [spec["max_requests"]]
        t0 = time.perf_counter()
        await asyncio.gather(*(
            _client(spec["port"], spec["token"], kind, spec["seed"] * 1000 + i, until, budget,
                    spec["targets"], results[kind], spec.get("think", 0.0))
            for kind, count in spec["clients"].items() for i in range(count)))
        return time.perf_counter() - t0

    elapsed = asyncio.run(main())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"seconds": elapsed, "cpu": usage.ru_utime + usage.ru_stime, "results": results}


def load(port: int, token: str, clients: dict[str, int], seconds: float, max_requests: int,
         procs: int, t: dict[str, list[int]], think: float = 0.0) -> dict[str, Any]:
    """`clients` split over `procs` load processes; their latencies merged."""
    shares = []
    for p in range(procs):
        share = {k: v // procs + (1 if p < v % procs else 0) for k, v in clients.items()}
        shares.append({k: v for k, v in share.items() if v})
    running = []
    for p, share in enumerate(shares):
        if not share:
            continue
        spec = {"port": port, "token": token, "clients": share, "seconds": seconds,
                "max_requests": max_requests // procs, "seed": p + 1, "targets": t,
                "think": think}
        spec_file = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        with spec_file:
            json.dump(spec, spec_file)
        running.append((subprocess.Popen([sys.executable, __file__, "--load-only",
                                          spec_file.name]), spec_file.name + ".out"))
    merged: dict[str, Any] = {k: {"lat": [], "errors": 0} for k in clients}
    elapsed, cpu = 0.0, 0.0
    for proc, out in running:
        if proc.wait(timeout=seconds + 3 * TIMEOUT + 60) != 0:
            raise SystemExit("a load process failed")
        got = json.loads(Path(out).read_text())
        os.unlink(out)
        elapsed = max(elapsed, got["seconds"])
        cpu += got["cpu"]
        for k, v in got["results"].items():
            merged[k]["lat"] += v["lat"]
            merged[k]["errors"] += v["errors"]
    return {k: summary(v["lat"], v["errors"], elapsed) for k, v in merged.items()} | {
        "_": {"seconds": elapsed, "load_cpu": cpu}}


def summary(lat: list[float], errors: int, seconds: float) -> dict[str, float]:
    lat = sorted(lat)

    def q(f: float) -> float:
        return round(1000 * lat[min(len(lat) - 1, int(len(lat) * f))], 1) if lat else 0.0

    return {"n": len(lat), "errors": errors, "rps": round(len(lat) / seconds, 1) if seconds
            else 0.0, "p50": q(0.50), "p99": q(0.99)}


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default=DEFAULT_URL, help="the whole URL; its "
                        "database is built (or reused) and kept")
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="measure the database as built "
                        "before (no build)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes, "
                        "for notnow and for the ceiling alike")
    parser.add_argument("--threads", type=int, default=8, help="notnow serve --threads")
    parser.add_argument("--seconds", type=float, default=15.0, help="each phase's length")
    parser.add_argument("--max-requests", type=int, default=200_000, help="each phase's "
                        "bound on requests")
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--writers", type=int, default=5)
    parser.add_argument("--load-procs", type=int, default=2, help="load processes")
    parser.add_argument("--think", type=float, default=0.0, help="each client's mean pause "
                        "(seconds, random) between a response and its next request, as people "
                        "read a page before the next click; 0: none (a closed loop at "
                        "saturation, which the shares of the ceiling need)")
    parser.add_argument("--only", default="", help="comma-separated endpoints to measure "
                        "alone (default: all)")
    parser.add_argument("--load-only", help=argparse.SUPPRESS)
    parser.add_argument("--serve-ceiling", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--page-bytes", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.load_only:
        spec = json.loads(Path(args.load_only).read_text())
        os.unlink(args.load_only)
        Path(args.load_only + ".out").write_text(json.dumps(run_load(spec)))
        return 0
    if args.serve_ceiling:
        serve_ceiling(args.serve_ceiling, args.page_bytes, args.workers)
        return 0

    build(args.postgres_url, args.contacts, args.reuse)
    home = Path(tempfile.mkdtemp(prefix="bench-mixed-"))
    token = people(args.postgres_url, home)
    t = targets(args.postgres_url, home)
    log(f"{len(t['accounts'])} accounts and {len(t['contacts'])} contacts on the agenda, "
        f"{len(t['followups'])} follow-ups to snooze")
    churn = snapshot_churn(args.postgres_url)
    port, cport = free_port(), free_port()
    server = start_notnow(args.postgres_url, home, port, args.workers, args.threads)
    ceiling = None
    try:
        size = len(asyncio.run(_fetch(port, token, "/")))
        ceiling = start_ceiling(cport, size, args.workers)
        run = {"alone": {}, "mixed": {}}  # type: dict[str, dict[str, Any]]
        for kind in READS + WRITES:  # warm every process's caches and connections
            load(port, token, {kind: args.workers * 4}, 3.0 if kind in READS else 1.0, 2000,
                 1, t)
        cpu0 = cpu_seconds(server.pid)
        only = [k for k in args.only.split(",") if k] or [*READS, *WRITES]
        phases: list[tuple[str, int, dict[str, int]]] = [] if args.think else [
            ("ceiling", cport, {"ceiling": args.readers})]
        phases += [(kind, port, {kind: args.writers if kind in WRITES else args.readers})
                   for kind in [*READS, *WRITES] if kind in only]
        for name, p, clients in phases:
            log(f"alone: {name}, {sum(clients.values())} clients, {args.seconds} s")
            c0 = cpu_seconds((ceiling if p == cport else server).pid)
            res = load(p, token, clients, args.seconds, args.max_requests, args.load_procs, t,
                       args.think)
            run["alone"][name] = res[name] | {
                "server_cpu": round(cpu_seconds((ceiling if p == cport else server).pid) - c0,
                                    1), "load_cpu": round(res["_"]["load_cpu"], 1)}
        mixed = {k: args.readers // len(READS) + (1 if i < args.readers % len(READS) else 0)
                 for i, k in enumerate(READS)}
        mixed |= {k: args.writers // len(WRITES) + (1 if i < args.writers % len(WRITES) else 0)
                  for i, k in enumerate(WRITES)}
        log(f"mixed: {mixed}, {args.seconds} s")
        c0 = cpu_seconds(server.pid)
        res = load(port, token, mixed, args.seconds, args.max_requests, args.load_procs, t,
                   args.think)
        run["mixed"] = res
        mixed_cpu = round(cpu_seconds(server.pid) - c0, 1)
        total_cpu = round(cpu_seconds(server.pid) - cpu0, 1)
    finally:
        for proc in (server, ceiling):
            if proc is not None:
                os.killpg(proc.pid, 15)
                proc.wait(timeout=30)
    report(args, run, size, mixed, mixed_cpu, total_cpu, t)
    print(f"writes committed by others before the run: {churn} a second (the caches follow "
          f"notnow_data_changes; commits in other databases change nothing)")
    return 0


async def _fetch(port: int, token: str, path: str) -> bytes:
    conn = Conn(port, token)
    try:
        status, body = await conn.request("GET", path)
    finally:
        conn.close()
    if status != 200:
        raise SystemExit(f"{path} answered {status}")
    return body


def report(args: argparse.Namespace, run: dict[str, Any], size: int, mixed: dict[str, int],
           mixed_cpu: float, total_cpu: float, t: dict[str, list[Any]]) -> None:
    alone, both = run["alone"], run["mixed"]
    ceil = alone.get("ceiling")  # measured in a closed loop only (without --think)
    print(f"machine: {conditions.line()}")
    print(f"database: {args.postgres_url}, {args.contacts:,} contacts for the agenda's owner; "
          f"servers: uvicorn --workers {args.workers} (notnow serve --team --threads "
          f"{args.threads}, and the ceiling); "
          f"{args.seconds} s a phase; agenda page {size:,} bytes")
    print(f"uncached: ranking the owner's agenda (200 rows) {t['ranked_ms'][0]} ms wall "
          f"(median of 10); rendering its rows {t['render_us_per_row'][0]} µs CPU a row")
    if ceil is not None:
        print(f"ceiling (minimal FastAPI page of {size:,} bytes, {args.readers} clients): "
              f"{ceil['rps']} req/s, p50 {ceil['p50']} ms, p99 {ceil['p99']} ms, "
              f"{ceil['errors']} errors; server CPU {ceil['server_cpu']} s, load generator "
              f"CPU {ceil['load_cpu']} s")
    else:
        print(f"clients pausing {args.think} s on average between a response and their next "
              f"request: at most {(args.readers + args.writers) / args.think:.0f} requests/s "
              f"offered in the mixed phase; no ceiling (the shares of it need a closed loop)")
    print()
    print("| endpoint | clients alone | req/s alone | p50 | p99 | errors | % of ceiling "
          "| server CPU ms/req | clients mixed | req/s mixed | p50 | p99 | errors "
          "| p99 mixed/alone |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for kind in (*READS, *WRITES):
        a, m = alone.get(kind), both[kind]
        if a is None:
            cells = "| – | – | – | – | – | – | – "
        else:
            share = f"{100 * a['rps'] / ceil['rps']:.0f} %" if kind in READS and ceil \
                and ceil["rps"] else "–"
            per = f"{1000 * a['server_cpu'] / a['n']:.1f}" if a["n"] else "–"
            cells = (f"| {args.writers if kind in WRITES else args.readers} | {a['rps']} "
                     f"| {a['p50']} ms | {a['p99']} ms | {a['errors']} | {share} | {per} ")
        ratio = f"{m['p99'] / a['p99']:.1f}x" if a and a["p99"] else "–"
        print(f"| {kind} {cells}| {mixed[kind]} | {m['rps']} | {m['p50']} ms | {m['p99']} ms "
              f"| {m['errors']} | {ratio} |")
    print(f"\nmixed phase: server CPU {mixed_cpu} s over {both['_']['seconds']:.1f} s; "
          f"load generators {both['_']['load_cpu']:.1f} s CPU; whole run's server CPU "
          f"{total_cpu} s")
    checks = [
        ("agenda page p50 <= 25 ms (mixed)", both["agenda page"]["p50"] <= 25),
        ("agenda page p99 <= 150 ms (mixed)", both["agenda page"]["p99"] <= 150),
        ("other reads p99 <= 150 ms (mixed)", all(both[k]["p99"] <= 150 for k in READS[1:])),
        ("writes p99 <= 250 ms (mixed)", all(both[k]["p99"] <= 250 for k in WRITES)),
        ("0 errors", all(v["errors"] == 0 for k, v in both.items() if k != "_")
         and all(v["errors"] == 0 for v in alone.values())),
        ("no p99 more than doubles mixed", all(
            both[k]["p99"] <= 2 * alone[k]["p99"] for k in alone if k != "ceiling")),
    ]
    if ceil is not None:
        checks += [
            ("agenda page >= 50 % of the ceiling (alone)", "agenda page" in alone and
             alone["agenda page"]["rps"] >= 0.5 * ceil["rps"]),
            ("account page and API reads >= 25 % of the ceiling (alone)", all(
                alone[k]["rps"] >= 0.25 * ceil["rps"] for k in READS[1:] if k in alone)),
        ]
    print("targets (issue 16): " + "; ".join(f"{name}: {'met' if good else 'NOT met'}"
                                              for name, good in checks))
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    again = [sys.executable, "bench/bench_mixed.py", "--postgres-url", args.postgres_url,
             "--contacts", str(args.contacts), "--reuse", "--workers", str(args.workers),
             "--threads", str(args.threads),
             "--seconds", str(args.seconds), "--readers", str(args.readers), "--writers",
             str(args.writers), "--load-procs", str(args.load_procs), "--think", str(args.think)]
    print("run again on the same database: PYTHONPATH=src " + shlex.join(again))


if __name__ == "__main__":
    sys.exit(main())
