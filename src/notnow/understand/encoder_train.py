"""Train the encoder's head (`encoder.Head`) on notnow's own corpus: part of the build.

The rows: the multilingual corpus (`intl_corpus.rows()`, held-out phrasings left out) and a
fixed, label-balanced sample of the English corpus (`corpus/generated.jsonl`). Each text goes
through the same preparation as in `analyze` (`textprep.prepare`) and the encoder; the head is
a class-balanced, L2-regularised multinomial logistic regression on the standardised embedding
(full-batch Adam, numpy). Its temperature is fitted on out-of-fold predictions, so that "0.8
confident" means about 80 % on phrasings the fold did not see; the review threshold
(`REVIEW_BELOW` in the analyzer) was read off the same out-of-fold predictions.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from notnow.core.model import Label
from notnow.understand import intl_corpus
from notnow.understand.corpusgen import GENERATED
from notnow.understand.encoder import Encoder, Head
from notnow.understand.textprep import prepare

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

LABELS: tuple[Label, ...] = tuple(Label)
ENGLISH_PER_LABEL = 120
L2 = 1e-3
ITERATIONS = 400
FOLDS = 4
SEED = 20261122


def training_rows() -> list[tuple[str, Label, str]]:
    """(text, label, language) of every row the head learns from."""
    out = [(r.text, r.label, r.lang) for r in intl_corpus.rows()]
    english: dict[str, list[str]] = {}
    with GENERATED.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            english.setdefault(row["label"], []).append(row["text"])
    rng = random.Random(SEED)
    for label in LABELS:
        texts = sorted(english.get(label.value, []))
        rng.shuffle(texts)
        out += [(t, label, "en") for t in texts[:ENGLISH_PER_LABEL]]
    return out


def embed(texts: Sequence[str], encoder: Encoder, cache: Path | None = None,
          progress: Callable[[int], None] | None = None) -> NDArray[np.float32]:
    """Embeddings of the prepared `texts`, in batches (`cache`: a .npz kept between builds)."""
    import numpy as np

    prepared = [prepare(t).text for t in texts]
    keys = [hashlib.sha1(p.encode("utf-8")).hexdigest() for p in prepared]
    known: dict[str, NDArray[np.float32]] = {}
    if cache is not None and cache.exists():
        with np.load(cache) as data:
            known = {k: data[k] for k in data.files}
    todo = sorted({k: p for k, p in zip(keys, prepared, strict=True) if k not in known}.items())
    for i in range(0, len(todo), 32):
        chunk = todo[i:i + 32]
        vectors = encoder.embed([p for _k, p in chunk])
        known.update({k: v for (k, _p), v in zip(chunk, vectors, strict=True)})
        if progress:
            progress(min(i + 32, len(todo)))
    if cache is not None and todo:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, **{k: known[k] for k in sorted(set(keys))})  # type: ignore[arg-type]
    return np.stack([known[k] for k in keys]).astype(np.float32)


def fit(x: NDArray[np.float64], y: NDArray[np.int64], *, l2: float = L2,
        iterations: int = ITERATIONS) -> NDArray[np.float64]:
    """Weights ((d + 1) x labels) of a class-balanced softmax regression on standardised x."""
    import numpy as np

    n, d = x.shape
    k = len(LABELS)
    xb = np.hstack([x, np.ones((n, 1))])
    counts = np.bincount(y, minlength=k).astype(float)
    sw = (n / (k * np.maximum(counts, 1.0)))[y]
    onehot = np.eye(k)[y]
    w = np.zeros((d + 1, k))
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t in range(1, iterations + 1):
        z = xb @ w
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = xb.T @ ((p - onehot) * sw[:, None]) / sw.sum() + l2 * w
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        lr = 0.05 * (0.5 + 0.5 * math.cos(math.pi * t / iterations)) + 0.002
        w -= lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return w


def _temperature(logits: NDArray[np.float64], y: NDArray[np.int64]) -> float:
    import numpy as np

    best, best_nll = 1.0, math.inf
    for t in np.arange(0.2, 4.01, 0.05):
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        nll = -float(logp[np.arange(len(y)), y].mean())
        if nll < best_nll:
            best, best_nll = float(t), nll
    return round(best, 2)


def train_head(texts: Sequence[str], labels: Sequence[Label], vectors: NDArray[np.float32],
               meta: dict[str, object]) -> tuple[Head, NDArray[np.float64]]:
    """The head, and its out-of-fold probabilities on the training rows (for calibration)."""
    import numpy as np

    x = vectors.astype(np.float64)
    y = np.asarray([LABELS.index(label) for label in labels], dtype=np.int64)
    # Folds by phrasing: the variants of one phrasing (as written, lower case, in an email)
    # share a fold, so out-of-fold means "a phrasing this model never saw".
    groups = [hashlib.sha1(prepare(t).text.lower().strip(" .!").encode()).hexdigest()
              for t in texts]
    fold = np.asarray([int(g, 16) % FOLDS for g in groups])
    oof = np.zeros((len(y), len(LABELS)))
    for k in range(FOLDS):
        tr, te = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        mean, scale = x[tr].mean(axis=0), x[tr].std(axis=0) + 1e-6
        w = fit((x[tr] - mean) / scale, y[tr])
        oof[te] = np.hstack([(x[te] - mean) / scale, np.ones((len(te), 1))]) @ w
    temperature = _temperature(oof, y)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    w = fit((x - mean) / scale, y)
    z = oof / temperature
    z -= z.max(axis=1, keepdims=True)
    probs = np.exp(z)
    probs /= probs.sum(axis=1, keepdims=True)
    head = Head(LABELS, mean.astype(np.float32), scale.astype(np.float32),
                w.astype(np.float32), temperature,
                dict(meta) | {"rows": len(y), "oof_accuracy": round(float(
                    (probs.argmax(axis=1) == y).mean()), 4)})
    return head, probs
