"""Every benchmark under bench/ still runs against the code as it is.

docs/performance.md keeps only figures the current code reproduces; a benchmark that no longer
runs reproduces nothing. Four of them had stopped running without anyone seeing — three
called the services as they were before every service took the actor, one looked for a test
module where it no longer is — until they were run again.
Each one runs here on a tiny workload (SQLite, a few rows, a fraction of a second of load),
as its own process, the way docs/performance.md runs it; its figures are not looked at, only
that it finishes and says something.

Left out: bench_classifier (it reads every labelled corpus: 20 s), bench_startup (it times
dozens of processes), bench_mixed (a PostgreSQL database of its own, two servers),
bench_heavy_reads (bench_mixed's database and a server);
report_previous.py is bench_report's reference, not a benchmark.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUNS = {
    "bench_agenda.py": ["--sizes", "1000", "--backends", "sqlite", "--runs", "2"],
    "bench_big_account.py": ["--people", "40", "--backends", "sqlite", "--runs", "1"],
    "bench_capture.py": ["--n", "3"],
    "bench_crm.py": ["--contacts", "50", "--deals", "20", "--runs", "1", "--store"],
    "bench_demo.py": ["--runs", "1"],
    "bench_feed.py": ["--followups", "20", "--runs", "1", "--backends", "sqlite"],
    "bench_lists.py": ["--contacts", "300", "--backends", "sqlite", "--runs", "1"],
    "bench_mail.py": ["--messages", "20"],
    "bench_pages.py": ["--sizes", "demo", "--runs", "1", "--backends", "sqlite"],
    "bench_plan.py": ["--n", "3"],
    "bench_properties.py": ["30"],
    "bench_report.py": ["--n", "300", "--only", "sqlite", "--runs", "1"],
    "bench_timehints.py": ["--seconds", "0.05"],
    "bench_web.py": ["--seconds", "0.5", "--requests", "10"],
    "bench_webhooks.py": ["--events", "3"],
}
LEFT_OUT = {"bench_classifier.py", "bench_startup.py", "bench_mixed.py", "bench_heavy_reads.py",
            "report_previous.py"}
SHARED = {"conditions.py"}  # the load average and calibration loop every benchmark prints
MACHINE = ("load average", "calibration loop")
"""What every benchmark prints, so that its figures can be judged against an idle machine."""


def test_every_benchmark_is_run_here_or_said_why_not() -> None:
    found = {p.name for p in (ROOT / "bench").glob("*.py")}
    assert found == set(RUNS) | LEFT_OUT | SHARED, found ^ (set(RUNS) | LEFT_OUT | SHARED)


@pytest.mark.parametrize("script", sorted(LEFT_OUT - {"report_previous.py"}))
def test_a_benchmark_not_run_here_still_says_how_busy_the_machine_was(script: str) -> None:
    """Read from its code, comments and docstrings aside: it prints `conditions.line()`, or
    both words in a string it formats itself."""
    import ast

    tree = ast.parse((ROOT / "bench" / script).read_text())
    calls = {ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and node.body
                  and isinstance(node.body[0], ast.Expr)}
    strings = " ".join(node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
                       and isinstance(node.value, str) and id(node) not in docstrings)
    assert "conditions.line" in calls or all(words in strings for words in MACHINE), script


@pytest.mark.parametrize("script", sorted(RUNS))
def test_the_benchmark_runs(script: str, tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "TMPDIR": str(tmp_path),
           "NOTNOW_BENCH_CALIBRATION_STEPS": "1000"}  # the figures are not looked at here
    env.pop("NOTNOW_DATABASE_URL", None)
    env.pop("NOTNOW_HOME", None)
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *RUNS[script]],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, (done.stdout[-2000:], done.stderr[-4000:])
    assert done.stdout.strip(), done.stderr[-2000:]
    missing = [words for words in MACHINE if words not in done.stdout]
    assert not missing, (f"{script} does not print its {missing}", done.stdout[-2000:])


def test_the_start_up_bench_replies_read_as_it_says() -> None:
    """bench_startup names each `log` case by how its reply is read: "clear (no encoder)"
    replies are settled by the rules and the linear models, the "unsure" one by the encoder
    too. Its figures mean what its names say only while that holds."""
    import importlib.util
    from datetime import date

    from notnow.understand import analyze
    from notnow.understand import encoder as encoder_mod

    spec = importlib.util.spec_from_file_location("bench_startup", ROOT / "bench" /
                                                  "bench_startup.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    real, asked = encoder_mod.load_reader, []

    def counting() -> object:
        asked.append(1)
        return real()

    encoder_mod.load_reader = counting  # type: ignore[assignment]
    try:
        read = {}
        for text in (bench.LOG_EN, bench.LOG_DE_CLEAR, bench.LOG_DE):
            asked.clear()
            analyze(text, today=date(2026, 12, 8))
            read[text] = bool(asked)
    finally:
        encoder_mod.load_reader = real
    assert read == {bench.LOG_EN: False, bench.LOG_DE_CLEAR: False, bench.LOG_DE: True}
