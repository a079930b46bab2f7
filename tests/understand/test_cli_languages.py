"""`notnow classify` and `notnow eval` with replies in other languages, as a user runs them."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from notnow.cli.main import main

Run = tuple[int, str, str]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    monkeypatch.setenv("NOTNOW_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NOTNOW_NOW", "2026-11-22T09:00:00+00:00")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")

    def _run(*args: str, stdin: str | None = None) -> Run:
        capsys.readouterr()
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return _run


def test_classify_shows_the_language_and_json_carries_it(run: Callable[..., Run]) -> None:
    code, out, _err = run("classify", "Merci de me retirer de votre liste de diffusion.")
    assert code == 0 and "do_not_contact" in out and "language fr" in out
    code, out, _err = run("classify", "Merci de me retirer de votre liste de diffusion.",
                          "--json")
    body = json.loads(out)
    assert body["language"] == "fr" and body["needs_review"] is False


def test_classify_marks_a_reading_to_check(run: Callable[..., Run]) -> None:
    code, out, _err = run("classify", "Dziękujemy, ale nie jesteśmy zainteresowani.")
    assert code == 0 and "check this:" in out and "Polish" in out


def test_eval_reports_per_language(run: Callable[..., Run], tmp_path: Path) -> None:
    rows = [
        {"text": "Bitte entfernen Sie mich aus Ihrem Verteiler.", "label": "do_not_contact",
         "lang": "de"},
        {"text": "Ich bin bis 14. Mai im Urlaub.", "label": "auto_reply", "lang": "de"},
        {"text": "No me interesa, gracias.", "label": "not_interested", "lang": "es"},
        {"text": "Please take me off your list.", "label": "do_not_contact"},
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    code, out, _err = run("eval", str(path), "--json")
    assert code == 0
    report = json.loads(out)
    langs = {s["language"]: s for s in report["languages"]}
    assert set(langs) == {"de", "es", "en"}
    assert langs["de"]["rows"] == 2 and langs["de"]["opt_out_recall"] == 1.0
    assert langs["de"]["auto_reply_recall"] == 1.0
    assert "review_rows" in report
    code, out, _err = run("eval", str(path))
    assert code == 0 and "per language" in out and "marked for review" in out
