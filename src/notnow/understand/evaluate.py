"""The evaluation harness behind `notnow eval` and bench/bench_classifier.py.

Two JSONL formats are read, detected per file from the first row:

* rejections — ``{"text", "label", "also"?}``: per-label precision / recall / F1, macro-F1 over
  the labels that occur in the file, accuracy and the confusion matrix;
* time hints — ``{"text", "reference_date", "expected_checkback", "granularity"}``: the share of
  check-backs within tolerance (``notnow.core.timehints.within_tolerance``; null when null).

Every report is also broken down per language (`Report.languages`): the row's ``lang`` field
when the file has one (the gold language), else the language notnow detected. For rejections it
also counts the readings marked for review and how often the others were right.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from notnow.core.model import Label
from notnow.errors import InvalidInput

Predict = Callable[[str, date], Any]
"""(text, reference date) -> an Understanding (or anything with .label and .checkback)."""


@dataclass
class LabelScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class LanguageScore:
    language: str
    rows: int
    accuracy: float | None = None
    macro_f1: float | None = None
    opt_out_recall: float | None = None
    opt_out_precision: float | None = None
    auto_reply_recall: float | None = None
    time_hint_accuracy: float | None = None


@dataclass
class Report:
    file: str
    kind: str  # "rejections" or "time_hints"
    rows: int
    accuracy: float | None = None
    macro_f1: float | None = None
    labels: list[LabelScore] = field(default_factory=list)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    time_hint_accuracy: float | None = None
    time_hint_rows: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    languages: list[LanguageScore] = field(default_factory=list)
    review_rows: int = 0
    """Readings marked for review (`needs_review`)."""
    accuracy_without_review: float | None = None
    """Accuracy over the readings not marked for review."""

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file, "kind": self.kind, "rows": self.rows,
            "accuracy": self.accuracy, "macro_f1": self.macro_f1,
            "labels": [vars(s) for s in self.labels], "confusion": self.confusion,
            "time_hint_accuracy": self.time_hint_accuracy, "time_hint_rows": self.time_hint_rows,
            "errors": self.errors,
            "languages": [vars(s) for s in self.languages],
            "review_rows": self.review_rows,
            "accuracy_without_review": self.accuracy_without_review,
        }


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read the file: {exc}", file=str(path)) from None
    rows: list[dict[str, Any]] = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"not valid JSON ({exc.msg})", file=str(path), line=n) from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise InvalidInput("each line must be an object with a 'text' string",
                               file=str(path), line=n)
        row["_line"] = n
        rows.append(row)
    if not rows:
        raise InvalidInput("no rows in the file", file=str(path))
    return rows


def detect_kind(rows: Sequence[dict[str, Any]], *, file: str) -> str:
    first = rows[0]
    if "expected_checkback" in first:
        return "time_hints"
    if "label" in first:
        return "rejections"
    raise InvalidInput("unknown format: rows need 'label' (rejections) or "
                       "'expected_checkback' (time hints)", file=file, line=first["_line"])


def label_scores(gold: Sequence[str], pred: Sequence[str]) -> tuple[list[LabelScore], float]:
    """Per-label scores and macro-F1 over the labels that occur in `gold`."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        if g == p:
            tp[g] += 1
        else:
            fp[p] += 1
            fn[g] += 1
    scores = []
    for label in [x.value for x in Label if x.value in set(gold) | set(pred)]:
        p_den, r_den = tp[label] + fp[label], tp[label] + fn[label]
        precision = tp[label] / p_den if p_den else 0.0
        recall = tp[label] / r_den if r_den else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(LabelScore(label, round(precision, 4), round(recall, 4), round(f1, 4),
                                 r_den))
    present = [s.f1 for s in scores if s.support]
    return scores, round(sum(present) / len(present), 4) if present else 0.0


def evaluate_rows(rows: Sequence[dict[str, Any]], kind: str, predict: Predict, *,
                  file: str = "-", today: date | None = None,
                  progress: Callable[[], None] | None = None) -> Report:
    report = Report(file=file, kind=kind, rows=len(rows))
    gold: list[str] = []
    pred: list[str] = []
    langs: list[str] = []
    review: list[bool] = []
    hint_ok: list[bool] = []
    hits = total = 0
    from notnow.core.timehints import within_tolerance

    for row in rows:
        ref = _reference(row, today, file)
        try:
            result = predict(row["text"], ref)
        except InvalidInput as exc:
            report.errors.append({"line": row["_line"], "error": exc.to_dict()})
            if progress:
                progress()
            continue
        langs.append(str(row.get("lang") or getattr(result, "language", None) or "unknown"))
        if kind == "rejections":
            gold.append(str(row["label"]))
            pred.append(result.label.value)
            review.append(bool(getattr(result, "needs_review", False)))
        else:
            expected = row.get("expected_checkback")
            want = date.fromisoformat(expected) if expected else None
            total += 1
            ok = bool(within_tolerance(want, result.checkback,
                                       str(row.get("granularity") or "day")))
            hits += ok
            hint_ok.append(ok)
        if progress:
            progress()
    if kind == "rejections":
        report.labels, report.macro_f1 = label_scores(gold, pred)
        report.accuracy = round(sum(g == p for g, p in zip(gold, pred, strict=True))
                                / max(len(gold), 1), 4)
        report.confusion = confusion(gold, pred)
        report.review_rows = sum(review)
        kept = [g == p for g, p, r in zip(gold, pred, review, strict=True) if not r]
        report.accuracy_without_review = round(sum(kept) / len(kept), 4) if kept else None
        report.languages = [_language_rejections(code, [
            (g, p) for g, p, x in zip(gold, pred, langs, strict=True) if x == code])
            for code in _ordered(langs)]
    else:
        report.time_hint_rows = total
        report.time_hint_accuracy = round(hits / total, 4) if total else None
        report.languages = [
            LanguageScore(code, n := sum(1 for x in langs if x == code),
                          time_hint_accuracy=round(sum(
                              ok for ok, x in zip(hint_ok, langs, strict=True) if x == code)
                              / n, 4))
            for code in _ordered(langs)]
    return report


def _ordered(langs: Sequence[str]) -> list[str]:
    """The languages in `langs`, English first, then by number of rows."""
    counts = Counter(langs)
    return sorted(counts, key=lambda c: (c != "en", -counts[c], c))


def _share(hits: int, of: int) -> float | None:
    return round(hits / of, 4) if of else None


def _language_rejections(code: str, pairs: Sequence[tuple[str, str]]) -> LanguageScore:
    gold = [g for g, _p in pairs]
    pred = [p for _g, p in pairs]
    _scores, macro = label_scores(gold, pred)
    dnc = "do_not_contact"
    return LanguageScore(
        code, len(pairs),
        accuracy=_share(sum(g == p for g, p in pairs), len(pairs)), macro_f1=macro,
        opt_out_recall=_share(sum(g == p == dnc for g, p in pairs), gold.count(dnc)),
        opt_out_precision=_share(sum(g == p == dnc for g, p in pairs), pred.count(dnc)),
        auto_reply_recall=_share(sum(g == p == "auto_reply" for g, p in pairs),
                                 gold.count("auto_reply")))


def _reference(row: dict[str, Any], today: date | None, file: str) -> date:
    raw = row.get("reference_date")
    if raw:
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            raise InvalidInput(f"bad reference_date {raw!r}", field="reference_date",
                               file=file, line=row["_line"]) from None
    return today or date.today()


def confusion(gold: Iterable[str], pred: Iterable[str]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for g, p in zip(gold, pred, strict=True):
        row = table.setdefault(g, {})
        row[p] = row.get(p, 0) + 1
    return table


def evaluate_file(path: Path, predict: Predict | None = None, *, today: date | None = None,
                  progress: Callable[[int], Callable[[], None]] | None = None,
                  team_dir: Path | None = None) -> Report:
    """Score `predict` (default: `analyze`, with the team model in `team_dir` if any) on one
    JSONL file of either format."""
    rows = read_jsonl(path)
    kind = detect_kind(rows, file=str(path))
    if predict is None:
        from notnow.understand.analyzer import analyze

        def predict(text: str, ref: date) -> Any:
            return analyze(text, today=ref, team_dir=team_dir)

    tick = progress(len(rows)) if progress else None
    return evaluate_rows(rows, kind, predict, file=str(path), today=today, progress=tick)
