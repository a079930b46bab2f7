"""`notnow classify`, `notnow eval` and `notnow teach` as a user runs them."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from notnow.cli.main import main


@dataclass
class Run:
    code: int
    out: str
    err: str


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
        return Run(code, captured.out, captured.err)

    return _run


def test_classify_prints_readably(run: Callable[..., Run]) -> None:
    result = run("classify", "We went with HubSpot, and anyway the budget is gone.")
    assert result.code == 0
    assert "competitor_chosen" in result.out and "HubSpot" in result.out


def test_classify_json(run: Callable[..., Run]) -> None:
    result = run("classify", "Please remove me from your list.", "--json")
    assert result.code == 0 and json.loads(result.out)["label"] == "do_not_contact"


def test_classify_empty_text_is_an_error(run: Callable[..., Run]) -> None:
    result = run("classify", "   ")
    assert result.code == 1 and "empty" in result.err


def test_classify_jsonl_keeps_order_and_survives_bad_lines(run: Callable[..., Run]) -> None:
    lines = [
        "Not interested, thanks.",
        json.dumps({"text": "Try me again next quarter.", "reference_date": "2027-03-10"}),
        "{not json",
        "",
        json.dumps({"text": "Out of office until 5 January.", "reference_date": "bad"}),
        "Remove me from your list.",
    ]
    result = run("classify", "--jsonl", "--today", "2026-11-22", stdin="\n".join(lines) + "\n")
    assert result.code == 0
    out = [json.loads(line) for line in result.out.splitlines()]
    assert len(out) == len(lines)
    assert out[0]["label"] == "not_interested"
    assert out[1]["label"] == "not_now" and out[1]["checkback"] > "2027-03-10"
    assert out[2]["error"]["code"] == "invalid_input" and out[2]["error"]["line"] == 3
    assert out[3]["error"]["code"] == "invalid_input"  # an empty line is an empty text
    assert out[4]["error"]["field"] == "reference_date"
    assert out[5]["label"] == "do_not_contact"
    for body in (out[0], out[1], out[5]):
        assert {"label", "also", "confidence", "evidence", "checkback", "checkback_phrase",
                "granularity", "return_date", "referral", "competitor",
                "capability"} <= set(body)


def test_eval_rejections_and_time_hints(run: Callable[..., Run], tmp_path: Path) -> None:
    rej = tmp_path / "rej.jsonl"
    rej.write_text("\n".join(json.dumps(r) for r in [
        {"text": "Remove me from your list.", "label": "do_not_contact", "also": []},
        {"text": "Way too expensive for us.", "label": "price", "also": []},
        {"text": "I'm out of the office until 14 December.", "label": "auto_reply"},
    ]) + "\n")
    result = run("eval", str(rej), "--json")
    assert result.code == 0
    report = json.loads(result.out)
    assert report["kind"] == "rejections" and report["rows"] == 3
    assert report["confusion"]["do_not_contact"] == {"do_not_contact": 1}
    assert 0 <= report["macro_f1"] <= 1
    table = run("eval", str(rej))
    assert "macro-F1" in table.out and "confusion" in table.out

    hints = tmp_path / "hints.jsonl"
    hints.write_text(json.dumps({"text": "call me back in the new year",
                                 "reference_date": "2026-11-22",
                                 "expected_checkback": "2027-01-04", "granularity": "year"})
                     + "\n")
    report = json.loads(run("eval", str(hints), "--json").out)
    assert report["kind"] == "time_hints" and report["time_hint_accuracy"] == 1.0


def test_eval_names_the_bad_line(run: Callable[..., Run], tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok", "label": "price"}\n{oops\n')
    result = run("eval", str(bad))
    assert result.code == 1 and "bad.jsonl, line 2" in result.err


@pytest.mark.parametrize(("content", "message"), [
    ('{"text": "fine", "label": "price"}\n{"text": "x", "label": "maybe"}\n', "line 2"),
    ('{"text": "fine", "label": "price"}\nnot json\n', "line 2"),
    ('{"label": "price"}\n', "line 1"),
    ('{"text": "ok", "label": "price", "also": ["nope"]}\n', "line 1"),
])
def test_teach_validates_every_line(run: Callable[..., Run], tmp_path: Path, content: str,
                                    message: str) -> None:
    path = tmp_path / "team.jsonl"
    path.write_text(content)
    result = run("teach", str(path))
    assert result.code == 1 and "team.jsonl" in result.err and message in result.err


def test_only_an_admin_teaches_the_team_model(run: Callable[..., Run], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "team.jsonl"
    path.write_text('{"text": "We only buy from our parent company", "label": "has_solution"}\n')
    assert run("user", "add", "Sam", "--email", "sam@example.com", "--role",
               "salesperson", "--no-password").code == 0
    monkeypatch.setenv("NOTNOW_USER", "sam@example.com")
    refused = run("teach", str(path))
    assert refused.code == 1 and "only an admin" in refused.err
    assert not (tmp_path / "home" / "model").exists()  # nothing taught, nothing written
    monkeypatch.delenv("NOTNOW_USER")
    assert "model.taught" not in run("audit", "--json").out


def test_teach_trains_a_team_model_that_analyze_uses(
        run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import notnow.understand.build as build
    import notnow.understand.train as train_mod
    from notnow.understand import teammodel

    small = build.shipped_examples()[::12]
    monkeypatch.setattr(build, "shipped_examples", lambda: small)
    monkeypatch.setattr(train_mod, "ITERATIONS", 40)
    monkeypatch.setattr(teammodel, "RECHECK_SECONDS", 0.0)
    phrase = "zorblax quux frobnicate"
    path = tmp_path / "team.jsonl"
    path.write_text("".join(json.dumps({"text": f"{phrase} {i}", "label": "gatekeeper"}) + "\n"
                            for i in range(6)))
    # The team model is built on the (here: reduced) shipped corpus; accept it as current.
    monkeypatch.setattr(teammodel, "shipped_model", lambda: type(
        "M", (), {"corpus_sha256": build.corpus_hash(build.corpus_files())})())
    result = run("teach", str(path))
    assert result.code == 0, result.err
    assert (tmp_path / "home" / "model" / teammodel.MODEL_FILE).exists()
    out = json.loads(run("classify", phrase, "--json").out)
    assert out["label"] == "gatekeeper"
    assert "model.taught" in run("audit", "--json").out


def test_teach_twice_does_not_double_the_examples_and_shows_progress(
        run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import notnow.understand.build as build
    import notnow.understand.train as train_mod
    from notnow.understand import teammodel

    small = build.shipped_examples()[::12]
    monkeypatch.setattr(build, "shipped_examples", lambda: small)
    monkeypatch.setattr(train_mod, "ITERATIONS", 40)
    path = tmp_path / "team.jsonl"
    path.write_text("".join(json.dumps({"text": f"blorp {i}", "label": "gatekeeper"}) + "\n"
                            for i in range(4)))
    first = run("teach", str(path))
    assert first.code == 0, first.err
    steps = train_mod.FOLDS + 2
    assert f"step 1 of {steps}: reading" in first.err
    assert f"step {steps} of {steps}: training" in first.err
    assert "Added 4 example(s) (4 team examples in all)" in first.err
    model = tmp_path / "home" / "model" / teammodel.MODEL_FILE
    stamp = model.stat().st_mtime_ns
    again = run("teach", str(path))
    assert again.code == 0, again.err
    assert "Added 0 example(s), 4 already known (4 team examples in all)" in again.err
    assert "nothing to retrain" in again.err and model.stat().st_mtime_ns == stamp
    assert len(teammodel.team_examples(tmp_path / "home" / "model")) == 4
    path.write_text(json.dumps({"text": "blorp 1", "label": "not_now"}) + "\n")
    relabel = run("teach", str(path))
    assert "Added 1 example(s) (4 team examples in all)" in relabel.err
    rows = teammodel.team_examples(tmp_path / "home" / "model")
    assert [r["label"] for r in rows if r["text"] == "blorp 1"] == ["not_now"]


def test_record_correction_appends_a_team_example(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from notnow.core.model import Label
    from notnow.understand import record_correction, teammodel

    record_correction("They said try again in spring", Label.NOT_NOW, [Label.INTERESTED],
                      team_dir=tmp_path / "model")
    record_correction("price is too high", "price", (),  # type: ignore[arg-type]
                      team_dir=tmp_path / "model")
    rows = teammodel.team_examples(tmp_path / "model")
    assert [r["label"] for r in rows] == ["not_now", "price"]
    assert rows[0]["also"] == ["interested"] and rows[0]["source"].startswith("team")
