"""The classifier: accuracy against a keyword baseline, speed, and bad input — in one run.

    python bench/bench_classifier.py [--data PATH] [--hints PATH] [--seconds 3]

Accuracy: on a labeled JSONL file (default: the shared dev set, none of whose rows are in the
training corpus) it prints per-label precision / recall / F1, macro-F1 and the do_not_contact
figures for notnow and for a plain keyword baseline (a keyword list per label, the first label
whose keyword occurs wins, `not_interested` otherwise). It also prints the share of check-backs
within tolerance on the time-hint dev set, end to end through `analyze`
(bench/bench_timehints.py compares the time-hint extractor alone with dateparser).

Speed, on one core (the process is single-threaded): short replies per second through the
whole `analyze` (text prep, rules, model, slots, time hints), the time to load the model in a
fresh interpreter, and the time for one 2,000-word email. Then bad inputs: each must give a
result or a clear error, quickly.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from notnow.core.model import Label
from notnow.errors import InvalidInput
from notnow.understand import analyze
from notnow.understand.evaluate import evaluate_file, label_scores, read_jsonl

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
TODAY = date(2026, 11, 22)

KEYWORDS: list[tuple[Label, tuple[str, ...]]] = [
    (Label.DO_NOT_CONTACT, ("unsubscribe", "remove me", "stop emailing", "do not contact",
                            "stop calling", "opt out")),
    (Label.AUTO_REPLY, ("out of office", "out of the office", "automatic reply", "undeliverable",
                        "no longer with", "delivery", "on leave", "vacation")),
    (Label.NO_BUDGET, ("budget", "afford", "funds")),
    (Label.PRICE, ("expensive", "price", "cost", "cheaper")),
    (Label.COMPETITOR_CHOSEN, ("went with", "chose", "signed with", "another vendor",
                               "competitor")),
    (Label.HAS_SOLUTION, ("already have", "already use", "contract", "in-house", "happy with")),
    (Label.MISSING_CAPABILITY, ("need", "require", "integrate", "support", "feature")),
    (Label.WRONG_PERSON, ("not my", "wrong person", "talk to", "decision maker")),
    (Label.GATEKEEPER, ("assistant", "not available", "take a message", "in a meeting")),
    (Label.NO_AUTHORITY, ("approve", "boss", "board", "sign off", "manager")),
    (Label.BAD_EXPERIENCE, ("bad experience", "pushy", "terrible", "last time")),
    (Label.NOT_NOW, ("not now", "later", "next year", "next quarter", "busy", "not right now")),
    (Label.NO_NEED, ("don't need", "no need", "not a priority")),
    (Label.INTERESTED, ("interested in", "send me", "demo", "call me", "how much", "?")),
]


def keyword_label(text: str) -> Label:
    low = text.lower()
    for label, words in KEYWORDS:
        if any(w in low for w in words):
            return label
    return Label.NOT_INTERESTED


def accuracy(path: Path) -> None:
    rows = read_jsonl(path)
    gold = [r["label"] for r in rows]
    report = evaluate_file(path, today=TODAY)
    base_pred = [keyword_label(r["text"]).value for r in rows]
    base_scores, base_macro = label_scores(gold, base_pred)
    base = {s.label: s for s in base_scores}
    print(f"\n== accuracy on {path.name} ({len(rows)} rows, none in training)")
    print(f"{'label':20} {'notnow P/R/F1':>20} {'keyword P/R/F1':>20} {'n':>4}")
    for s in report.labels:
        b = base.get(s.label)
        bs = f"{b.precision:.2f}/{b.recall:.2f}/{b.f1:.2f}" if b else "-"
        print(f"{s.label:20} {s.precision:.2f}/{s.recall:.2f}/{s.f1:.2f}".ljust(41)
              + f"{bs:>20} {s.support:>4}")
    dnc = next((s for s in report.labels if s.label == "do_not_contact"), None)
    print(f"macro-F1: notnow {report.macro_f1:.3f}   keyword baseline {base_macro:.3f}")
    if dnc:
        print(f"do_not_contact: recall {dnc.recall:.2f}, precision {dnc.precision:.2f}")


def time_hints(path: Path) -> None:
    if not path.exists():
        return
    report = evaluate_file(path)
    print(f"\n== time hints through analyze on {path.name}: "
          f"{report.time_hint_accuracy:.1%} of {report.time_hint_rows} within tolerance")


def speed(seconds: float) -> None:
    from notnow.understand.corpusgen import load_fragments

    frags = load_fragments()
    texts = [t for cores in frags.cores.values() for t in cores if "{" not in t][:2000]
    for text in texts:  # warm: each feature's weights are decoded on first use
        analyze(text, today=TODAY)
    # Rounds over all the replies; the median round is reported (on a machine shared with
    # other work, a long average mixes in whatever else ran meanwhile).
    walls: list[float] = []
    cpus: list[float] = []
    started = time.perf_counter()
    while time.perf_counter() - started < seconds or len(walls) < 3:
        wall, cpu = time.perf_counter(), time.process_time()
        for text in texts:
            analyze(text, today=TODAY)
        walls.append(len(texts) / (time.perf_counter() - wall))
        cpus.append(len(texts) / (time.process_time() - cpu))
    rate, cpu_rate = statistics.median(walls), statistics.median(cpus)
    words = statistics.mean(len(t.split()) for t in texts)
    print(f"\n== speed (one core)\nshort replies: {rate:,.0f}/s wall, {cpu_rate:,.0f}/s of CPU "
          f"time, {1e6 / cpu_rate:.0f} µs of CPU each (median of {len(walls)} rounds over "
          f"{len(texts)} distinct replies, {words:.1f} words on average)")
    c = time.process_time()
    sum(i * i for i in range(1_000_000))
    print(f"machine reference (pure-Python loop of 1M squares): "
          f"{(time.process_time() - c) * 1000:.0f} ms CPU (compare machines and load with this)")

    code = ("import time; t=time.perf_counter(); "
            "from notnow.understand.teammodel import shipped_model; "
            "from notnow.understand import analyze; shipped_model(); "
            "print(time.perf_counter()-t)")
    loads = [float(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                  text=True, check=True).stdout) for _ in range(3)]
    print(f"model ready (import + load, fresh interpreter): {min(loads) * 1000:.0f} ms")

    body = " ".join(frags.parts["filler"] * 200).split()[:1960]
    email = ("Hi Sam,\n\n" + " ".join(body) + "\n\nWe went with HubSpot, and the budget is gone"
             " until next year.\n\nBest regards,\nDana\n")
    times, cpu_times = [], []
    for _ in range(20):
        t, c = time.perf_counter(), time.process_time()
        analyze(email, today=TODAY)
        times.append(time.perf_counter() - t)
        cpu_times.append(time.process_time() - c)
    print(f"2,000-word email: {statistics.median(times) * 1000:.2f} ms wall, "
          f"{statistics.median(cpu_times) * 1000:.2f} ms CPU (medians of 20)")
    print("(CPU figures count this process only; on a machine shared with other work the wall "
          "figures are lower bounds of what an idle core does)")


def bad_inputs() -> None:
    cases: dict[str, Any] = {
        "empty text": "   ",
        "binary junk": bytes(range(256)).decode("latin-1") * 40,
        "1 MB of text": "We are not interested at the moment. " * 28_000,
        "non-English (Japanese)": "今は結構です。来年またご連絡ください。",
        "HTML body": "<html><body><p>Please <b>remove</b> me from your list.</p>"
                     "<blockquote>old thread</blockquote></body></html>",
    }
    print("\n== bad input (a result or a clear error, never a crash or a hang)")
    for name, text in cases.items():
        t = time.perf_counter()
        try:
            result = analyze(text, today=TODAY)
            outcome = f"{result.label.value} ({result.confidence:.2f})"
        except InvalidInput as exc:
            outcome = f"InvalidInput: {exc.message}"
        print(f"{name:24} {(time.perf_counter() - t) * 1000:7.1f} ms  {outcome}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / "dev_rejections.jsonl")
    parser.add_argument("--hints", type=Path, default=SHARED / "dev_time_hints.jsonl")
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args(argv)
    steps: list[Callable[[], None]] = [
        lambda: accuracy(args.data), lambda: time_hints(args.hints),
        lambda: speed(args.seconds), bad_inputs,
    ]
    for step in steps:
        step()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
