"""Train the linear model: multinomial logistic regression in a few lines of numpy.

numpy is imported here only — never on the classify path. The trainer is small on purpose so
that `notnow teach` can retrain on any install: full-batch Adam on an L2-regularised,
class-balanced cross-entropy over sparse binary features (each row scaled to unit length),
then a temperature fitted on out-of-fold predictions so that "0.8 confident" means about 80 %.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notnow.core.model import Label
from notnow.understand.features import RULE_PREFIX, featurize, hint_features, tokens
from notnow.understand.model import BIAS, LinearModel, encode_weights
from notnow.understand.rules import cue_hits, hard_hits
from notnow.understand.textprep import prepare

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

LABELS: tuple[Label, ...] = tuple(Label)
L2 = 1e-5
ITERATIONS = 450
FOLDS = 3
ALSO_THRESHOLD = 0.25
WEIGHT_FLOOR = 0.03
"""Weights smaller than this are dropped from the shipped model (size and speed)."""


@dataclass(frozen=True)
class Example:
    text: str
    label: Label
    weight: float = 1.0


CORPUS_TODAY = date(2026, 11, 22)
"""The day the corpus's time phrases are read against (they were written that week)."""


def example_features(text: str) -> list[str]:
    """The features of one training text, through the same steps as `analyze`."""
    from notnow.core.timehints import extract_time_hint, may_have_hint

    clean = prepare(text).text
    toks = tokens(clean)
    words = frozenset(t[0] for t in toks)
    hits = hard_hits(clean, words) + cue_hits(clean, words)
    feats = featurize(clean, {h.label.value: (h.start, h.end) for h in hits}, toks)
    if may_have_hint(clean, words):
        feats.update(hint_features(extract_time_hint(clean, today=CORPUS_TODAY), CORPUS_TODAY))
    return list(feats)


def corpus_hash(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read_rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


class _Data:
    def __init__(self, docs: Sequence[list[str]], vocab: Mapping[str, int]) -> None:
        import numpy as np

        indices: list[int] = []
        data: list[float] = []
        rows: list[int] = []
        for i, doc in enumerate(docs):
            known = [vocab[f] for f in doc if f in vocab]
            scale = 1.0 / math.sqrt(len(known)) if known else 0.0
            indices.append(0)
            data.append(1.0)
            rows.append(i)
            indices += known
            data += [scale] * len(known)
            rows += [i] * len(known)
        self.n = len(docs)
        self.indices = np.asarray(indices, dtype=np.int64)
        self.data = np.asarray(data, dtype=np.float64)
        self.rows = np.asarray(rows, dtype=np.int64)

    def logits(self, w: NDArray[np.float64]) -> NDArray[np.float64]:
        """Scores, one row per class (w is classes x features)."""
        import numpy as np

        return np.stack([np.bincount(self.rows, weights=self.data * wc[self.indices],
                                     minlength=self.n) for wc in w])

    def grad(self, g: NDArray[np.float64], n_features: int) -> NDArray[np.float64]:
        """X^T g for g of shape classes x rows."""
        import numpy as np

        return np.stack([np.bincount(self.indices, weights=self.data * gc[self.rows],
                                     minlength=n_features) for gc in g])


def _fit(data: _Data, y: NDArray[np.int64], sample_w: NDArray[np.float64],
         n_features: int) -> NDArray[np.float64]:
    import numpy as np

    n_classes = len(LABELS)
    onehot = np.zeros((n_classes, data.n))
    onehot[y, np.arange(data.n)] = 1.0
    w = np.zeros((n_classes, n_features))
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    b1, b2, lr = 0.9, 0.999, 0.08
    norm = sample_w.sum()
    for t in range(1, ITERATIONS + 1):
        z = data.logits(w)
        z -= z.max(axis=0, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=0, keepdims=True)
        g = data.grad((p - onehot) * (sample_w / norm)[None, :], n_features) + L2 * w
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        step = lr * (0.5 + 0.5 * math.cos(math.pi * t / ITERATIONS)) + 0.002
        w -= step * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + 1e-8)
    return w


def _vocabulary(docs: Sequence[list[str]]) -> dict[str, int]:
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(doc))
    names = sorted(f for f, c in df.items() if c >= 2 or f.startswith(RULE_PREFIX))
    return {BIAS: 0} | {name: i + 1 for i, name in enumerate(names)}


def _weights(examples: Sequence[Example], y: NDArray[np.int64]) -> NDArray[np.float64]:
    import numpy as np

    counts = np.bincount(y, minlength=len(LABELS)).astype(float)
    balance = len(y) / (len(LABELS) * np.maximum(counts, 1.0))
    weights: NDArray[np.float64] = balance[y] * np.asarray([e.weight for e in examples])
    return weights


def _temperature(logits: NDArray[np.float64], y: NDArray[np.int64]) -> float:
    import numpy as np

    best, best_nll = 1.0, math.inf
    for t in np.arange(0.1, 4.01, 0.02):
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        nll = -float(logp[np.arange(len(y)), y].mean())
        if nll < best_nll:
            best, best_nll = float(t), nll
    return round(best, 2)


def precision_threshold(confidence: Sequence[float], right: Sequence[bool],
                        precision: float) -> float:
    """The lowest confidence such that readings at or above it are right at least
    `precision` of the time (1.0 when none is)."""
    pairs = sorted(zip(confidence, right, strict=True), reverse=True)
    best = 1.0
    correct = 0
    for n, (c, ok) in enumerate(pairs, start=1):
        correct += ok
        if correct / n >= precision:
            best = c
    return round(best, 3)


REVIEW_PRECISION = 0.9
"""Readings at or above the review threshold were right this often, out of fold."""
SURE_PRECISION = 0.95
"""Readings at or above the "sure" threshold were right this often, out of fold."""


def train(examples: Sequence[Example], *, corpus_sha256: str,
          meta: Mapping[str, Any] | None = None, calibrate: bool = True,
          sure_precision: float = SURE_PRECISION,
          progress: Callable[[str], None] | None = None) -> LinearModel:
    """Fit the model on `examples`; deterministic for the same input. ``progress`` hears
    each step as it starts (``"step 2 of 7: …"``)."""
    import numpy as np

    steps = (FOLDS if calibrate else 0) + 2

    def step(n: int, what: str) -> None:
        if progress is not None:
            progress(f"step {n} of {steps}: {what}")

    step(1, f"reading {len(examples):,} examples")
    docs = [example_features(e.text) for e in examples]
    y = np.asarray([LABELS.index(e.label) for e in examples], dtype=np.int64)
    sample_w = _weights(examples, y)
    temperature = 1.0
    thresholds: dict[str, float] = {}
    if calibrate:
        # Contiguous blocks: the variants of one phrasing stay in one fold, so the temperature
        # is fitted on phrasings the fold never saw (less optimistic than random folds).
        folds = (np.arange(len(examples)) // 16) % FOLDS
        oof = np.zeros((len(examples), len(LABELS)))
        for k in range(FOLDS):
            step(2 + k, f"calibrating the confidence (part {k + 1} of {FOLDS})")
            tr, te = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
            vocab = _vocabulary([docs[i] for i in tr])
            w = _fit(_Data([docs[i] for i in tr], vocab), y[tr], sample_w[tr], len(vocab))
            oof[te] = _Data([docs[i] for i in te], vocab).logits(w).T
        temperature = _temperature(oof, y)
        z = oof / temperature
        z -= z.max(axis=1, keepdims=True)
        probs = np.exp(z)
        probs /= probs.sum(axis=1, keepdims=True)
        confidence = [float(c) for c in probs.max(axis=1)]
        right = [bool(x) for x in probs.argmax(axis=1) == y]
        thresholds = {
            "review_below": precision_threshold(confidence, right, REVIEW_PRECISION),
            "sure_above": precision_threshold(confidence, right, sure_precision)}
    step(steps, "training the model on every example")
    vocab = _vocabulary(docs)
    w = _fit(_Data(docs, vocab), y, sample_w, len(vocab))
    weights: dict[str, str] = {}
    for name, i in vocab.items():
        if name == BIAS:
            continue
        encoded = encode_weights([float(x) for x in w[:, i]], WEIGHT_FLOOR)
        if encoded:
            weights[name] = encoded
    return LinearModel(
        labels=LABELS,
        weights=weights,
        bias=tuple(round(float(x), 4) for x in w[:, vocab[BIAS]]),
        temperature=temperature,
        also_threshold=ALSO_THRESHOLD,
        corpus_sha256=corpus_sha256,
        meta=dict(meta or {}) | {"examples": len(examples), "features": len(weights)}
        | thresholds,
    )
