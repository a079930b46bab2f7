"""How well the shipped reader does on replies it never saw: floors a little below the figures
measured by bench/bench_classifier.py (docs/learning.md), so a change that makes it worse
fails here. The dev set is only read, never trained on."""

from __future__ import annotations

from datetime import date

import pytest

from notnow.understand import analyze, intl_corpus
from notnow.understand.evaluate import evaluate_rows, read_jsonl

from .conftest import SHARED_DATA

TODAY = date(2026, 11, 22)


def _report(rows: list[dict[str, object]]):  # type: ignore[no-untyped-def]
    for n, row in enumerate(rows, start=1):
        row.setdefault("_line", n)
    return evaluate_rows(rows, "rejections", lambda text, ref: analyze(text, today=ref),
                         file="rows", today=TODAY)


@pytest.mark.slow
@pytest.mark.skipif(SHARED_DATA is None, reason="the shared dev set is not beside the repo")
def test_the_multilingual_dev_set_stays_above_its_floors() -> None:
    assert SHARED_DATA is not None
    report = _report(read_jsonl(SHARED_DATA / "dev_multilingual_rejections.jsonl"))
    scores = {s.label: s for s in report.labels}
    assert report.macro_f1 is not None and report.macro_f1 >= 0.62
    assert report.accuracy is not None and report.accuracy >= 0.75
    assert scores["do_not_contact"].recall >= 0.93
    assert scores["do_not_contact"].precision >= 0.9
    assert scores["auto_reply"].recall >= 0.93
    # what is not marked "check this" is mostly right
    assert report.accuracy_without_review is not None and report.accuracy_without_review >= 0.88


@pytest.mark.slow
def test_held_out_phrasings_stay_above_their_floors() -> None:
    rows = [{"text": r.text, "label": r.label.value, "lang": r.lang}
            for r in intl_corpus.rows(held_out=True)][::2]
    report = _report(rows)  # type: ignore[arg-type]
    scores = {s.label: s for s in report.labels}
    assert report.macro_f1 is not None and report.macro_f1 >= 0.82
    assert scores["do_not_contact"].recall >= 0.9
    assert scores["auto_reply"].recall >= 0.9
