"""Rebuild the shipped model from the shipped corpus: ``python -m notnow.understand.build``.

The command first rewrites `corpus/generated.jsonl` from the fragments (as
``python -m notnow.understand.corpusgen`` does), then trains on it.
Deterministic: the same corpus files give the same model file. The model records the SHA-256
of the corpus it was built from, and a test fails when the two drift apart.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from notnow.core.model import Label
from notnow.understand import corpusgen
from notnow.understand.corpusgen import CORPUS_DIR
from notnow.understand.model import SHIPPED_MODEL, LinearModel
from notnow.understand.train import Example, corpus_hash, read_rows, train


def corpus_files(directory: Path = CORPUS_DIR) -> list[Path]:
    return sorted(directory.glob("*.jsonl"))


def shipped_examples(directory: Path = CORPUS_DIR) -> list[Example]:
    examples: list[Example] = []
    for path in corpus_files(directory):
        for row in read_rows(path):
            examples.append(Example(str(row["text"]), Label(row["label"])))
    return examples


def build(out: Path = SHIPPED_MODEL) -> LinearModel:
    files = corpus_files()
    model = train(shipped_examples(), corpus_sha256=corpus_hash(files),
                  meta={"corpus": [p.name for p in files]})
    model.save(out)
    return model


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else SHIPPED_MODEL
    started = time.perf_counter()
    rows = corpusgen.write()
    print(f"corpus: {rows} rows written to {corpusgen.GENERATED}")
    model = build(out)
    took = time.perf_counter() - started
    print(f"model: {out} ({model.meta['examples']} examples, {model.meta['features']} features, "
          f"temperature {model.temperature}) in {took:.1f} s")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
