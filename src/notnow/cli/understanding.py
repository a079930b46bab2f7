"""`notnow classify`, `notnow eval`, `notnow teach`: the understanding package at the prompt."""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import typer

from notnow.cli.output import JSON_OPTION


def register(app: typer.Typer) -> None:
    app.command("classify")(classify)
    app.command("eval")(evaluate)
    app.command("teach")(teach)


def _today(value: str | None) -> date:
    from notnow.cli.params import parse_date
    from notnow.settings import load, today_in

    parsed = parse_date(value, field="--today")
    if parsed is not None:
        return parsed
    config = load()
    if config.now is not None:
        return today_in(config.timezone, config.now)
    from datetime import UTC, datetime

    return today_in(config.timezone, datetime.now(UTC))


def _team_dir() -> Path:
    """The workspace's model folder, where `notnow teach` keeps the team model."""
    from notnow.settings import load

    return load().home / "model"


def classify(
    text: str = typer.Argument(None, help="The prospect's words ('-' reads stdin)."),
    jsonl: bool = typer.Option(False, "--jsonl", help="Read stdin, one input per line (text or "
                               "a JSON object with 'text' and optional 'reference_date'); "
                               "write one JSON object per line."),
    today: str = typer.Option(None, "--today", help="Reference date YYYY-MM-DD for time hints "
                              "(default: today)."),
    timezone: str = typer.Option(None, "--timezone", help="The account's IANA time zone."),
    fiscal_year_start: int = typer.Option(None, "--fiscal-year-start", min=1, max=12,
                                          help="Month the account's fiscal year starts."),
    country: str = typer.Option(None, "--country", help="Country code for public holidays."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Read a reply: label, other labels, confidence, evidence, check-back and slots.

    Replies in English, German, French, Spanish, Italian, Dutch, Portuguese, Swedish,
    Norwegian and Danish are read; the language is shown (and is "language" in --json), and a
    reading to confirm is marked "check this" (needs_review, review_reason,
    opt_out_suspected in --json).

    Example:  notnow classify "Budget is gone, try me after our fiscal year starts in April"
    """
    from notnow.understand import analyze

    ref = _today(today)
    opts: dict[str, Any] = {"timezone": timezone, "fiscal_year_start": fiscal_year_start,
                            "country": country, "team_dir": _team_dir()}
    if jsonl:
        _classify_lines(ref, opts)
        return
    if text is None or text == "-":
        from notnow.cli.params import read_stdin_text

        if text is None and sys.stdin.isatty():
            from notnow.errors import InvalidInput

            raise InvalidInput("give the prospect's words: notnow classify \"…\" (or pipe "
                               "them in, or use --jsonl)", field="TEXT")
        text = read_stdin_text(field="TEXT")
    result = analyze(text, today=ref, **opts)
    if json_out:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        _print_understanding(result)


def _classify_lines(ref: date, opts: dict[str, Any]) -> None:
    from notnow.errors import InvalidInput
    from notnow.understand import analyze

    out = sys.stdout
    for n, raw in enumerate(sys.stdin, start=1):
        line = raw.rstrip("\n")
        try:
            text, day = _parse_line(line, ref, n)
            body: dict[str, Any] = analyze(text, today=day, **opts).to_json()
        except InvalidInput as exc:
            body = {"error": exc.to_dict() | {"line": n}}
        out.write(json.dumps(body, ensure_ascii=False) + "\n")
        out.flush()


def _parse_line(line: str, ref: date, n: int) -> tuple[str, date]:
    from notnow.errors import InvalidInput

    stripped = line.strip()
    if not stripped.startswith("{"):
        return line, ref
    try:
        obj = json.loads(stripped)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"not valid JSON ({exc.msg})", line=n) from None
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise InvalidInput("a JSON line needs a 'text' string", field="text", line=n)
    day = ref
    if obj.get("reference_date") is not None:
        try:
            day = date.fromisoformat(str(obj["reference_date"]))
        except ValueError:
            raise InvalidInput(f"not a date: {obj['reference_date']!r} (use YYYY-MM-DD)",
                               field="reference_date", line=n) from None
    return obj["text"], day


def _print_understanding(result: Any) -> None:
    from notnow.cli.output import console, escape

    out = console()
    also = f"  (also: {', '.join(a.value for a in result.also)})" if result.also else ""
    lang = f"  language {result.language}" if result.language else "  language unknown"
    out.print(f"[bold]{result.label.value}[/bold]  {result.confidence:.0%}{also}{lang}")
    if result.needs_review:
        out.print(f"  [bold]check this:[/bold] {escape(result.review_reason)}")
    for ev in result.evidence:
        out.print(f"  evidence  [{ev.start}:{ev.end}] {ev.text!r}", markup=False)
    rows = [
        ("check-back", result.checkback and f"{result.checkback} ({result.granularity}, "
                                            f"from {result.checkback_phrase!r})"),
        ("back on", result.return_date),
        ("referral", result.referral and ", ".join(
            x for x in (result.referral.name, result.referral.role, result.referral.email) if x)),
        ("competitor", result.competitor),
        ("capability", result.capability),
    ]
    for name, value in rows:
        if value:
            out.print(f"  {name:<10}  {value}", markup=False)


def evaluate(
    file: str = typer.Argument(..., help="JSONL in the dev set's format (rejections or time "
                                         "hints)."),
    today: str = typer.Option(None, "--today", help="Reference date for rows without one."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Score the classifier on a labeled file: per-label P/R/F1, macro-F1, confusion, time hints.

    Also per language (the rows' "lang" field, else the language notnow detects): accuracy,
    macro-F1, opt-out recall and precision, auto-reply recall; and how many readings were
    marked for review.

    Example:  notnow eval ../shared/data/dev_rejections.jsonl
    """
    from rich.progress import Progress

    from notnow.cli.output import rich_console
    from notnow.understand.evaluate import evaluate_file

    path = Path(file)
    with Progress(console=rich_console(stderr=True), transient=True) as progress:
        def start(total: int) -> Any:
            task = progress.add_task(f"reading {path.name}", total=total)
            return lambda: progress.advance(task)

        report = evaluate_file(path, today=_today(today), progress=start, team_dir=_team_dir())
    if json_out:
        sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        _print_report(report)


_SHORT = {"not_interested": "NI", "not_now": "NOW", "no_budget": "BUD", "price": "PRI",
          "competitor_chosen": "CMP", "has_solution": "HAS", "no_need": "NEE",
          "missing_capability": "CAP", "wrong_person": "WRO", "gatekeeper": "GAT",
          "no_authority": "AUT", "bad_experience": "BAD", "do_not_contact": "DNC",
          "auto_reply": "AUTO", "interested": "INT"}


def _print_report(report: Any) -> None:
    from rich.table import Table

    from notnow.cli.output import console

    out = console()
    out.print(f"[bold]{report.file}[/bold]: {report.rows} rows ({report.kind})")
    if report.kind == "rejections":
        t = Table(header_style="bold")
        for col in ("label", "precision", "recall", "F1", "support"):
            t.add_column(col, justify="left" if col == "label" else "right")
        for s in report.labels:
            t.add_row(s.label, f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}",
                      str(s.support))
        out.print(t)
        out.print(f"macro-F1 {report.macro_f1:.3f}   accuracy {report.accuracy:.3f}")
        labels = [s.label for s in report.labels]
        c = Table(title="confusion (rows: expected, columns: predicted)", header_style="bold",
                  title_justify="left")
        c.add_column("", no_wrap=True)
        for label in labels:
            c.add_column(_SHORT.get(label, label[:3]), justify="right")
        for gold in labels:
            row = report.confusion.get(gold, {})
            c.add_row(_SHORT.get(gold, gold[:3]), *[str(row.get(p, "")) for p in labels])
        out.print(c)
        out.print("  ".join(f"{_SHORT.get(x, x[:3])}={x}" for x in labels), markup=False)
        _print_languages(report)
        out.print(f"marked for review: {report.review_rows} of {report.rows}"
                  + (f"; accuracy of the others {report.accuracy_without_review:.3f}"
                     if report.accuracy_without_review is not None else ""))
    else:
        acc = report.time_hint_accuracy
        out.print(f"time hints within tolerance: {acc:.1%} of {report.time_hint_rows}"
                  if acc is not None else "no time-hint rows")
        _print_languages(report)
    for err in report.errors:
        out.print(f"  line {err['line']}: {err['error']['message']}", markup=False)


def _print_languages(report: Any) -> None:
    from rich.table import Table

    from notnow.cli.output import console

    if not report.languages:
        return

    def pct(value: float | None) -> str:
        return "" if value is None else f"{value:.2f}"

    t = Table(title="per language", header_style="bold", title_justify="left")
    columns = (["language", "rows", "accuracy", "macro-F1", "opt-out recall",
                "opt-out precision", "auto-reply recall"] if report.kind == "rejections"
               else ["language", "rows", "within tolerance"])
    for col in columns:
        t.add_column(col, justify="left" if col == "language" else "right")
    for s in report.languages:
        if report.kind == "rejections":
            t.add_row(s.language, str(s.rows), pct(s.accuracy), pct(s.macro_f1),
                      pct(s.opt_out_recall), pct(s.opt_out_precision),
                      pct(s.auto_reply_recall))
        else:
            t.add_row(s.language, str(s.rows), pct(s.time_hint_accuracy))
    console().print(t)


def teach(
    file: str = typer.Argument(..., help="JSONL rows {\"text\", \"label\", \"also\"?}."),
) -> None:
    """Add your team's own labeled examples and retrain the model locally (about a minute).

    The team model lives in the workspace folder (NOTNOW_HOME/model) and is used from then on
    (by classify, eval, log and the web app of that workspace). Admins only: it changes how
    everyone's replies are read.

    Example:  notnow teach our-replies.jsonl
    """
    from notnow.cli.context import session
    from notnow.cli.output import console
    from notnow.services.learning.examples import teach as teach_team

    source = Path(file)
    err = console(stderr=True)
    begun = time.monotonic()
    count = 0

    def started(rows: int) -> None:
        nonlocal count
        count = rows
        err.print(f"Teaching {rows} example(s) from {source.name}; retraining takes about a "
                  "minute or two.", markup=False)

    def progress(what: str) -> None:
        err.print(f"  {what} ({time.monotonic() - begun:.0f} s)", markup=False)

    ws, actor = session()
    added, total, path = teach_team(ws, actor, source, progress=progress, started=started)
    known = count - added
    err.print(f"Added {added} example(s)"
              + (f", {known} already known" if known else "")
              + f" ({total} team examples in all); model saved to {path}", markup=False)
