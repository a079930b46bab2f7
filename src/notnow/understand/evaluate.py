"""The evaluation harness behind `notnow eval` and bench/bench_classifier.py.

Two JSONL formats are read, detected per file from the first row:

* rejections — ``{"text", "label", "also"?}``: per-label precision / recall / F1, macro-F1 over
  the labels that occur in the file, accuracy and the confusion matrix;
* time hints — ``{"text", "reference_date", "expected_checkback", "granularity"}``: the share of
  check-backs within tolerance (``notnow.core.timehints.within_tolerance``; null when null).
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

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file, "kind": self.kind, "rows": self.rows,
            "accuracy": self.accuracy, "macro_f1": self.macro_f1,
            "labels": [vars(s) for s in self.labels], "confusion": self.confusion,
            "time_hint_accuracy": self.time_hint_accuracy, "time_hint_rows": self.time_hint_rows,
            "errors": self.errors,
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
        if kind == "rejections":
            gold.append(str(row["label"]))
            pred.append(result.label.value)
        else:
            expected = row.get("expected_checkback")
            want = date.fromisoformat(expected) if expected else None
            total += 1
            hits += bool(within_tolerance(want, result.checkback,
                                          str(row.get("granularity") or "day")))
        if progress:
            progress()
    if kind == "rejections":
        report.labels, report.macro_f1 = label_scores(gold, pred)
        report.accuracy = round(sum(g == p for g, p in zip(gold, pred, strict=True))
                                / max(len(gold), 1), 4)
        report.confusion = confusion(gold, pred)
    else:
        report.time_hint_rows = total
        report.time_hint_accuracy = round(hits / total, 4) if total else None
    return report


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
                  progress: Callable[[int], Callable[[], None]] | None = None) -> Report:
    """Score `predict` (default: `analyze`) on one JSONL file of either format."""
    rows = read_jsonl(path)
    kind = detect_kind(rows, file=str(path))
    if predict is None:
        from notnow.understand.analyzer import analyze

        def predict(text: str, ref: date) -> Any:
            return analyze(text, today=ref)

    tick = progress(len(rows)) if progress else None
    return evaluate_rows(rows, kind, predict, file=str(path), today=today, progress=tick)
