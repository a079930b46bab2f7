"""The shipped corpus and model: provenance, determinism, and that the model is current."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from notnow.core.model import Label
from notnow.errors import InvalidInput
from notnow.understand import corpusgen
from notnow.understand.build import corpus_files, shipped_examples
from notnow.understand.model import SHIPPED_MODEL, load
from notnow.understand.train import Example, corpus_hash, read_rows, train

DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "dev_rejections.jsonl"


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def test_shipped_model_was_built_from_the_shipped_corpus() -> None:
    model = load(SHIPPED_MODEL)
    assert model.corpus_sha256 == corpus_hash(corpus_files()), (
        "corpus changed: run python -m notnow.understand.build")
    assert model.labels == tuple(Label)
    assert 0.05 < model.temperature < 5


def test_generated_corpus_is_current_and_deterministic() -> None:
    rows = corpusgen.generate()
    assert rows == corpusgen.generate()
    on_disk = read_rows(corpusgen.GENERATED)
    assert on_disk == rows, "fragments changed: run python -m notnow.understand.corpusgen"


def test_every_row_has_a_source_and_a_known_label() -> None:
    counts: Counter[str] = Counter()
    for path in corpus_files():
        for row in read_rows(path):
            assert row["source"].startswith("notnow-authored"), row
            assert row["text"].strip()
            counts[Label(row["label"]).value] += 1
            assert all(Label(a) for a in row.get("also", []))
    assert sum(counts.values()) >= 3000
    assert min(counts[label.value] for label in Label) >= 150


def test_the_corpus_readme_describes_every_fragment_file() -> None:
    readme = (corpusgen.CORPUS_DIR / "README.md").read_text(encoding="utf-8")
    fragments = sorted(p.name for p in corpusgen.CORPUS_DIR.glob("fragments_*.txt"))
    assert fragments
    assert [name for name in fragments if f"`{name}`" not in readme] == []


def test_a_plain_no_beside_a_reason_is_labelled_by_the_reason() -> None:
    joined = [r for r in read_rows(corpusgen.GENERATED) if r["source"] == corpusgen.SRC_REASON]
    assert len(joined) >= 100
    labels = {Label(r["label"]) for r in joined}
    assert labels == set(corpusgen._REASONS)
    assert Label.NOT_INTERESTED not in labels


@pytest.mark.skipif(not DEV.exists(), reason="the shared dev set is not beside the repo")
def test_no_dev_row_is_in_the_training_corpus() -> None:
    dev = {_norm(json.loads(line)["text"]) for line in DEV.read_text().splitlines() if line}
    corpus = {_norm(e.text) for e in shipped_examples()}
    assert dev.isdisjoint(corpus)


def _small() -> list[Example]:
    return shipped_examples()[::12]


def test_training_is_deterministic_and_learns(monkeypatch: pytest.MonkeyPatch) -> None:
    import notnow.understand.train as train_mod

    monkeypatch.setattr(train_mod, "ITERATIONS", 60)
    examples = _small()
    first = train(examples, corpus_sha256="x")
    second = train(examples, corpus_sha256="x")
    assert first.to_dict() == second.to_dict()
    from datetime import date

    from notnow.understand.analyzer import analyze

    result = analyze("Remove me from your mailing list", today=date(2026, 11, 22), model=first)
    assert result.label is Label.DO_NOT_CONTACT


def test_saved_model_round_trips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import notnow.understand.train as train_mod

    monkeypatch.setattr(train_mod, "ITERATIONS", 20)
    model = train(_small(), corpus_sha256="abc", calibrate=False)
    for name in ("m.json.gz", "m.json"):  # a team model is gzipped, the shipped ones not
        path = tmp_path / name
        model.save(path)
        again = load(path)
        assert again.to_dict() == model.to_dict()
        model.save(tmp_path / f"2{name}")
        assert path.read_bytes() == (tmp_path / f"2{name}").read_bytes()
    assert (tmp_path / "m.json.gz").read_bytes()[:2] == b"\x1f\x8b"
    assert json.loads((tmp_path / "m.json").read_bytes()) == model.to_dict()


def test_the_shipped_models_are_read_without_unzipping() -> None:
    """Unzipping them cost every `notnow log` 5 ms, and one of a reply in another language
    15 ms; the wheel compresses them anyway."""
    from notnow.understand.model import INTL_MODEL

    for path in (SHIPPED_MODEL, INTL_MODEL):
        assert path.suffix == ".json" and path.read_bytes()[:1] == b"{", path


@pytest.mark.parametrize("body", [
    b"not gzip", b"\x1f\x8bnot really gzip", b"[1, 2]", b"{", b"",
    gzip.compress(b'{"format": 1}', mtime=0)[:-6]],
    ids=["not-json", "false-magic", "a-list", "cut-json", "empty", "cut-gzip"])
def test_a_broken_model_file_is_a_clear_error(tmp_path: Path, body: bytes) -> None:
    bad = tmp_path / "bad.json.gz"
    bad.write_bytes(body)
    with pytest.raises(InvalidInput, match="model file"):
        load(bad)
