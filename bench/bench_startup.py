"""How fast does a whole `notnow` process start, run one command and exit?

    python bench/bench_startup.py [--runs 10] [--only help agenda log] [--baseline SRC]

Targets (issue 16, wall time on a quiet machine): `notnow --help` <= 0.15 s, `notnow agenda`
<= 0.4 s on the demo workspace, `notnow log …` <= 0.5 s. Every command runs as its own
process, N times, the commands taking turns (so they share whatever load the machine has);
each line gives the wall time (median, min, max) and the CPU time of the process (user +
system, from `wait4`), next to the reference processes of the same run: a bare interpreter,
`import typer`, `import typer, sqlalchemy.orm` (the floor of a command that reads the
database) and the same with pydantic's `BaseModel` (the floor of one that validates what it
stores, as `log` does). The load average and a calibration figure (a fixed pure-Python
loop's CPU time; about 0.25 s on this machine when idle) are printed before and after.

`--baseline SRC` runs every notnow command a second time with another source tree first on
the path (e.g. `git archive main src | tar -x -C /tmp/base` then `--baseline /tmp/base/src`),
in the same turns: the code before a change, side by side with it.

The workspace is a fresh `notnow demo` in a temporary folder; each `log` run starts from a
copy of it, so every run stores the same answer into the same workspace. Bytecode, and the
other languages' compiled patterns (`notnow.understand.patterns`, in the user's cache folder),
are written on the first (untimed) run of each command, as an installed notnow has them after
its first run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

LOG_EN = "Budget is gone until April, try me then"
LOG_DE = "Hm, schwierig im Moment."
LOG_DE_CLEAR = "Wir haben gerade kein Budget dafür."
CONTACT = "aiko.nakamura@kumoretail.jp"


def calibration() -> float:
    """CPU seconds of a fixed pure-Python loop (how fast this machine is right now)."""
    start = time.process_time()
    total = 0
    for i in range(3_000_000):
        total += i % 7
    return time.process_time() - start


def notnow_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("notnow")
    if exe.exists():
        return [sys.executable, str(exe)]
    return [sys.executable, "-c", "from notnow.cli.main import run; run()"]


Case = tuple[str, list[str], Callable[[], None] | None, dict[str, str]]


def run_once(argv: list[str], env: dict[str, str], prepare: Callable[[], None] | None
             ) -> tuple[float, float]:
    """(wall, CPU) seconds of one whole process."""
    if prepare is not None:
        prepare()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read() if proc.stderr else b""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {err.decode()[-800:]}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--only", nargs="*", default=None,
                        help="only the cases whose name starts with one of these")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="a source folder (holding notnow/) to run side by side")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="notnow-bench-startup-"))
    home, pristine = tmp / "home", tmp / "pristine"
    env = dict(os.environ, NOTNOW_HOME=str(home), COLUMNS="100", NO_COLOR="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed notnow has its bytecode
    env.pop("NOTNOW_DATABASE_URL", None)
    py, nn = sys.executable, notnow_cmd()
    subprocess.run([*nn, "demo"], env=env, check=True, capture_output=True)
    shutil.copytree(home, pristine)

    def fresh_home() -> None:
        shutil.rmtree(home)
        shutil.copytree(pristine, home)

    log = [*nn, "log", "--contact", CONTACT, "--text"]
    commands: list[tuple[str, list[str], Callable[[], None] | None]] = [
        ("help: notnow --help", [*nn, "--help"], None),
        ("help: notnow log --help", [*nn, "log", "--help"], None),
        ("agenda: notnow agenda", [*nn, "agenda"], None),
        ("agenda: notnow agenda --json", [*nn, "agenda", "--json"], None),
        ("rows: notnow rejections (160 rows)", [*nn, "rejections", "--limit", "500"], None),
        ("rows: notnow rejections --json", [*nn, "rejections", "--limit", "500", "--json"],
         None),
        ("rows: notnow contact list --json (142)", [*nn, "contact", "list", "--json"], None),
        ("log: English, clear (no encoder)", [*log, LOG_EN, "--yes"], fresh_home),
        ("log: German, clear (no encoder)", [*log, LOG_DE_CLEAR, "--yes"], fresh_home),
        ("log: German, unsure (the encoder reads it)", [*log, LOG_DE, "--yes"], fresh_home),
    ]
    if args.only:
        commands = [c for c in commands if c[0].startswith(tuple(args.only))]
    cases: list[Case] = [
        ("ref: python -c pass", [py, "-c", "pass"], None, env),
        ("ref: import typer", [py, "-c", "import typer"], None, env),
        ("ref: import typer, sqlalchemy.orm", [py, "-c", "import typer, sqlalchemy.orm"], None,
         env),
        ("ref: … and pydantic's BaseModel", [py, "-c", "import typer, sqlalchemy.orm; "
                                             "from pydantic import BaseModel"], None, env),
    ]
    for name, argv, prepare in commands:
        cases.append((name, argv, prepare, env))
        if args.baseline is not None:
            path = os.pathsep.join([str(args.baseline.resolve()),
                                    *[p for p in [os.environ.get("PYTHONPATH")] if p]])
            cases.append((f"{name} [baseline]", argv, prepare, dict(env, PYTHONPATH=path)))

    load_before, calib_before = os.getloadavg(), calibration()
    for _name, argv, prepare, case_env in cases:  # warm-up: bytecode, file cache
        run_once(argv, case_env, prepare)
    walls: dict[str, list[float]] = {name: [] for name, *_rest in cases}
    cpus: dict[str, list[float]] = {name: [] for name, *_rest in cases}
    for _ in range(args.runs):
        for name, argv, prepare, case_env in cases:
            wall, cpu = run_once(argv, case_env, prepare)
            walls[name].append(wall)
            cpus[name].append(cpu)
    load_after, calib_after = os.getloadavg(), calibration()
    shutil.rmtree(tmp, ignore_errors=True)

    print(f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
          f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}; "
          f"{os.cpu_count()} CPUs")
    print(f"calibration loop (CPU): {calib_before:.3f} s before, {calib_after:.3f} s after")
    print(f"{args.runs} runs each, whole process; wall median [min–max] | CPU median [min–max]")
    width = max(len(name) for name in walls)
    for name in walls:
        w, c = walls[name], cpus[name]
        print(f"{name:<{width}}  {statistics.median(w):.3f} s [{min(w):.3f}–{max(w):.3f}]"
              f"  |  {statistics.median(c):.3f} s [{min(c):.3f}–{max(c):.3f}]")


if __name__ == "__main__":
    main()
