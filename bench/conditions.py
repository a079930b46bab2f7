"""How busy the machine is while a benchmark measures: one figure for every script.

Every benchmark prints :func:`line` as it starts (and most again as they end), so that each
figure in docs/performance.md can be judged against an idle machine: the load average, and
the seconds a fixed pure-Python loop takes now (about 0.25 s on an idle core of the build
machine; figures measured on a busy machine scale with it).
"""

from __future__ import annotations

import os
import time

IDLE = 0.25
"""Seconds :func:`calibration` takes on an idle core of the build machine."""
STEPS = int(os.environ.get("NOTNOW_BENCH_CALIBRATION_STEPS") or 5_000_000)
"""The loop's steps: five million, but where the test suite runs every benchmark on a tiny
workload (``tests/test_benches.py``: it looks at no figure, only that each one runs)."""


def calibration() -> float:
    """Seconds (wall) for a fixed pure-Python loop of five million steps."""
    start = time.perf_counter()
    total = 0
    for i in range(STEPS):
        total += i & 7
    assert total > 0
    return time.perf_counter() - start


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


def line() -> str:
    """The load average and the calibration loop, as one line to print."""
    return (f"{load_average()}; calibration loop {calibration():.2f} s "
            f"(about {IDLE:.2f} s on an idle core)")
