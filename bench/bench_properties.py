"""Run the comeback property checks over many random histories and print what they saw.

    python bench/bench_properties.py [N]      # default N = 10000

Same scenarios and checks as tests/core/test_properties_comeback.py (zero touches to opted-out
contacts, zero cap violations, zero follow-ups on weekends, holidays or in quiet periods); a
violation stops the run with Hypothesis's minimal failing example.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "core"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import test_properties_comeback as props  # noqa: E402

import conditions  # noqa: E402  (bench/conditions.py: load average and calibration loop)


def main(examples: int) -> None:
    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(props.scenarios())
    def check(s: props.Scenario) -> None:
        props.run_scenario(s)

    print(f"machine: {conditions.line()}", flush=True)
    started = time.perf_counter()
    check()
    elapsed = time.perf_counter() - started
    counts = props.COUNTS
    print(f"random histories checked: {counts['plans']} (asked for {examples})")
    for key in sorted(counts):
        print(f"  {key}: {counts[key]}")
    print("violations: 0 (touches to opted-out contacts, cap breaches, non-business days)")
    print(f"time: {elapsed:.1f} s ({elapsed / max(counts['plans'], 1) * 1000:.1f} ms per history)")
    print(f"machine at the end: {conditions.load_average()}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
