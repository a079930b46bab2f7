"""Heavy reads at once: does a plain read still get an answer?

    python bench/bench_heavy_reads.py [--postgres-url postgresql+psycopg://…/h_mixedload]
        [--contacts 1000000] [--reuse] [--heavy 8] [--path /api/v1/report] [--threads 8]
        [--since DAY|none] [--baseline SRC]

The database is ``bench_mixed``'s (built there, or here the same way, kept for ``--reuse``).
One ``notnow serve --team`` process with ``--threads`` threads; ``--heavy`` clients each ask
once for ``--path`` (the loss report by default, each for another ``since`` day, so that no
answer is shared; ``--since`` gives them all one day, or none), all at once, while one more
client asks for a plain read that nothing keeps (``GET /api/v1/journal``) every 100 ms until
the last heavy answer is in. Prints each heavy answer's status and seconds, and the plain
read's median and longest wait, with the load average and a calibration loop.
``--baseline SRC`` serves the same from another source tree (``git archive <rev> src | tar -x
-C /tmp/base``) first, then this tree, when its schema is the database's (this tree migrates
it on).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_mixed  # noqa: E402  (the database, its people, the server)
import conditions  # noqa: E402  (load average and calibration loop)


def get(port: int, token: str, path: str) -> tuple[int, float]:
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                 headers={"Authorization": f"Bearer {token}"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        e.read()
        status = e.code
    return status, time.perf_counter() - start


def people(url: str, home: Path, src: Path | None) -> str:
    """The owner's token, made by the tree that serves first (through its own schema)."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(src.resolve()),
                                             *filter(None, [env.get("PYTHONPATH")])])
    done = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                           "import bench_mixed; print(bench_mixed.people(sys.argv[2], "
                           "__import__('pathlib').Path(sys.argv[3])))", str(HERE), url,
                           str(home)], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def run(url: str, home: Path, token: str, args: argparse.Namespace,
        src: Path | None) -> dict[str, Any]:
    saved = os.environ.get("PYTHONPATH")
    if src is not None:
        os.environ["PYTHONPATH"] = os.pathsep.join([str(src.resolve()), *filter(None, [saved])])
    port = bench_mixed.free_port()
    try:
        proc = bench_mixed.start_notnow(url, home, port, 1, args.threads)
    finally:
        if src is not None:
            if saved is None:
                os.environ.pop("PYTHONPATH", None)
            else:
                os.environ["PYTHONPATH"] = saved
    try:
        get(port, token, "/api/v1/journal")
        sep = "&" if "?" in args.path else "?"
        heavy: list[tuple[int, float]] = []

        def path(i: int) -> str:
            if args.since == "none":
                return args.path
            return f"{args.path}{sep}since={args.since or f'2026-06-{i % 28 + 1:02d}'}"

        clients = [threading.Thread(target=lambda i=i: heavy.append(get(port, token, path(i))))
                   for i in range(args.heavy)]
        start = time.perf_counter()
        for c in clients:
            c.start()
        plain: list[float] = []
        while any(c.is_alive() for c in clients):
            plain.append(get(port, token, "/api/v1/journal")[1])
            time.sleep(0.1)
        return {"heavy": sorted(heavy, key=lambda h: h[1]), "plain": plain,
                "seconds": time.perf_counter() - start}
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres-url", default=bench_mixed.DEFAULT_URL,
                        help="the whole URL; its database holds the data")
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--heavy", type=int, default=8)
    parser.add_argument("--path", default="/api/v1/report")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--since", default="", help="the day every heavy read asks from "
                        "('none': all time); default, another day of June 2026 for each")
    parser.add_argument("--baseline", type=Path, default=None)
    args = parser.parse_args()
    print(f"machine: {conditions.line()}", flush=True)
    bench_mixed.build(args.postgres_url, args.contacts, args.reuse)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        trees: list[tuple[str, Path | None]] = [("this tree", None)]
        if args.baseline is not None:  # first: this tree may migrate the database on
            trees.insert(0, (str(args.baseline), args.baseline))
        token = people(args.postgres_url, home, trees[0][1])
        for name, src in trees:
            got = run(args.postgres_url, home, token, args, src)
            plain = got["plain"]
            print(f"{name}: {args.heavy} x {args.path} at once ({args.threads} threads), "
                  f"all answered in {got['seconds']:.1f} s: "
                  + json.dumps([(s, round(t, 1)) for s, t in got["heavy"]]), flush=True)
            print(f"{name}: a plain read every 100 ms meanwhile ({len(plain)}): median "
                  f"{statistics.median(plain) * 1000:.0f} ms, longest "
                  f"{max(plain) * 1000:.0f} ms", flush=True)
    print(f"machine after: {conditions.line()}")


if __name__ == "__main__":
    main()
