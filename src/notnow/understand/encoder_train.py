"""Train the encoder's heads (`encoder.Head`) on notnow's own corpus: part of the build.

The rows: the multilingual corpus (`intl_corpus.rows()`, held-out phrasings left out) and a
fixed, label-balanced sample of the English corpus (`corpus/generated.jsonl`). Each text goes
through the same preparation as in `analyze` (`textprep.prepare`) and the encoder. Two heads
are trained on the standardised embedding (numpy, full-batch Adam):

* the label head: a class-balanced, L2-regularised softmax — a linear layer, or with `HIDDEN`
  units one hidden ReLU layer — whose temperature is fitted on out-of-fold predictions, so
  that "0.8 confident" means about 80 % on phrasings the fold did not see (the review
  threshold, `review_below`, is read off the same predictions by the build);
* the opt-out head: one logistic unit, opt-out or not, both classes weighted alike; its two
  thresholds come from its out-of-fold probabilities (`opt_out_thresholds`): `opt_out_suspect`
  still flags `SUSPECT_RECALL` of the opt-outs, `opt_out_decide` is where it was right
  `DECIDE_PRECISION` of the time.

Folds group the variants of one phrasing, so "out of fold" means "a phrasing never seen".
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
HIDDEN = 128
"""Hidden units of the head's network (0: a linear head)."""
MLP_L2 = 3e-3
MLP_ITERATIONS = 200
SUSPECT_RECALL = 0.98
"""The opt-out head flags (as suspected) at least this share of the opt-outs, out of fold."""
DECIDE_PRECISION = 0.99
"""Where the opt-out head may decide (with the label head's agreement, see `analyzer`), it
was right at least this often, out of fold."""


HEAD_LATER_BATCHES = False
"""Whether the head learns from the later batches of the multilingual corpus
(`intl_corpus.LATER_BATCHES`) too. Not yet: the fifth batch trains the linear model, and the
shipped head is the one built from the first four (a rebuild embeds ~9,000 texts, ~35 minutes of
CPU; see docs/performance.md)."""


def training_rows() -> list[tuple[str, Label, str]]:
    """(text, label, language) of every row the head learns from."""
    out = [(r.text, r.label, r.lang) for r in intl_corpus.rows(later=HEAD_LATER_BATCHES)]
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


def _softmax(z: NDArray[np.float64]) -> NDArray[np.float64]:
    import numpy as np

    z = z - z.max(axis=1, keepdims=True)
    p: NDArray[np.float64] = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    return p


def _adam(params: list[NDArray[np.float64]], grads: Callable[[], list[NDArray[np.float64]]],
          iterations: int, rate: float) -> None:
    """Full-batch Adam with a cosine-decayed rate, updating `params` in place."""
    import numpy as np

    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    for t in range(1, iterations + 1):
        lr = rate * (0.5 + 0.5 * math.cos(math.pi * t / iterations)) + rate / 25
        for p, g, mi, vi in zip(params, grads(), m, v, strict=True):
            mi *= 0.9
            mi += 0.1 * g
            vi *= 0.999
            vi += 0.001 * g * g
            p -= lr * (mi / (1 - 0.9**t)) / (np.sqrt(vi / (1 - 0.999**t)) + 1e-8)


def _balanced(y: NDArray[np.int64], k: int) -> NDArray[np.float64]:
    import numpy as np

    counts = np.bincount(y, minlength=k).astype(float)
    sw: NDArray[np.float64] = (len(y) / (k * np.maximum(counts, 1.0)))[y]
    out: NDArray[np.float64] = sw / sw.sum()
    return out


def fit(x: NDArray[np.float64], y: NDArray[np.int64], *, l2: float = L2,
        iterations: int = ITERATIONS) -> NDArray[np.float64]:
    """Weights ((d + 1) x labels) of a class-balanced softmax regression on standardised x."""
    import numpy as np

    n, d = x.shape
    k = len(LABELS)
    xb = np.hstack([x, np.ones((n, 1))])
    sw = _balanced(y, k)
    onehot = np.eye(k)[y]
    w = np.zeros((d + 1, k))

    def grads() -> list[NDArray[np.float64]]:
        p = _softmax(xb @ w)
        return [xb.T @ ((p - onehot) * sw[:, None]) + l2 * w]

    _adam([w], grads, iterations, 0.05)
    return w


def fit_mlp(x: NDArray[np.float64], y: NDArray[np.int64], *, units: int = HIDDEN,
            l2: float = MLP_L2, iterations: int = MLP_ITERATIONS, seed: int = SEED
            ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """One hidden layer (ReLU) and a softmax, class-balanced, L2-regularised, on standardised
    x: the hidden layer's ((d + 1) x units) and the output's ((units + 1) x labels) weights."""
    import numpy as np

    n, d = x.shape
    k = len(LABELS)
    rng = np.random.default_rng(seed)
    xb = np.hstack([x, np.ones((n, 1))]).astype(np.float32)
    sw = _balanced(y, k).astype(np.float32)
    onehot = np.eye(k, dtype=np.float32)[y]
    w1 = (rng.standard_normal((d + 1, units)) * math.sqrt(2.0 / d)).astype(np.float32)
    w1[-1] = 0.0
    w2 = np.zeros((units + 1, k), dtype=np.float32)

    def grads() -> list[NDArray[np.float64]]:
        h = np.maximum(xb @ w1, 0.0)
        hb = np.hstack([h, np.ones((n, 1), dtype=np.float32)])
        p = _softmax(hb @ w2)
        delta = ((p - onehot) * sw[:, None]).astype(np.float32)
        g2 = hb.T @ delta + l2 * w2
        dh = (delta @ w2[:-1].T) * (h > 0)
        g1 = xb.T @ dh + l2 * w1
        return [g1, g2]

    _adam([w1, w2], grads, iterations, 0.01)  # type: ignore[list-item]
    return w1.astype(np.float64), w2.astype(np.float64)


def fit_opt_out(x: NDArray[np.float64], positive: NDArray[np.bool_], *, l2: float = L2,
                iterations: int = ITERATIONS) -> NDArray[np.float64]:
    """Weights (d + 1) of the opt-out head: a logistic regression, opt-out or not, on
    standardised x, both classes weighted to count the same."""
    import numpy as np

    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    target = positive.astype(np.float64)
    pos = max(float(target.sum()), 1.0)
    sw = np.where(positive, 0.5 / pos, 0.5 / max(n - pos, 1.0))
    w = np.zeros(d + 1)

    def grads() -> list[NDArray[np.float64]]:
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -40, 40)))
        return [xb.T @ ((p - target) * sw) + l2 * w]

    _adam([w], grads, iterations, 0.05)
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


def _logits(x: NDArray[np.float64], w: NDArray[np.float64],
            hidden: NDArray[np.float64] | None) -> NDArray[np.float64]:
    import numpy as np

    if hidden is not None:
        x = np.maximum(x @ hidden[:-1] + hidden[-1], 0.0)
    out: NDArray[np.float64] = x @ w[:-1] + w[-1]
    return out


def opt_out_probs(z: NDArray[np.float64], w: NDArray[np.float64]) -> NDArray[np.float64]:
    """The opt-out head's probability for each standardised embedding (a row of `z`); `w`
    holds a weight per dimension and, last, the bias."""
    import numpy as np

    out: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(z @ w[:-1] + w[-1], -40, 40)))
    return out


def opt_out_thresholds(p: Sequence[float], positive: Sequence[bool]) -> dict[str, float]:
    """From out-of-fold opt-out probabilities: `opt_out_suspect`, the highest threshold that
    still flags `SUSPECT_RECALL` of the opt-outs, and `opt_out_decide`, the lowest at which
    the flagged rows are opt-outs at least `DECIDE_PRECISION` of the time (1.0: never)."""
    pairs = sorted(zip(p, positive, strict=True), reverse=True)
    total = max(sum(positive), 1)
    suspect = decide = 1.0
    found = 0
    for n, (prob, pos) in enumerate(pairs, start=1):
        found += pos
        if found / n >= DECIDE_PRECISION:
            decide = prob
        if found / total >= SUSPECT_RECALL and suspect == 1.0:
            suspect = prob
    return {"opt_out_suspect": round(min(suspect, decide), 4),
            "opt_out_decide": round(max(decide, 0.5), 4)}


def train_head(texts: Sequence[str], labels: Sequence[Label], vectors: NDArray[np.float32],
               meta: dict[str, object], *, units: int = HIDDEN
               ) -> tuple[Head, NDArray[np.float64], NDArray[np.float64]]:
    """The head, and its out-of-fold probabilities on the training rows (for calibration):
    per label, and of the opt-out head. `units=0` trains a linear head."""
    import numpy as np

    x = vectors.astype(np.float64)
    y = np.asarray([LABELS.index(label) for label in labels], dtype=np.int64)
    positive = y == LABELS.index(Label.DO_NOT_CONTACT)
    # Folds by phrasing: the variants of one phrasing (as written, lower case, in an email)
    # share a fold, so out-of-fold means "a phrasing this model never saw".
    groups = [hashlib.sha1(prepare(t).text.lower().strip(" .!").encode()).hexdigest()
              for t in texts]
    fold = np.asarray([int(g, 16) % FOLDS for g in groups])
    oof = np.zeros((len(y), len(LABELS)))
    oof_dnc = np.zeros(len(y))

    def fitted(rows: NDArray[np.int64]) -> tuple[NDArray[np.float64], NDArray[np.float64],
                                                 NDArray[np.float64] | None,
                                                 NDArray[np.float64], NDArray[np.float64]]:
        mean, scale = x[rows].mean(axis=0), x[rows].std(axis=0) + 1e-6
        z = (x[rows] - mean) / scale
        hidden, w = fit_mlp(z, y[rows], units=units) if units else (None, fit(z, y[rows]))
        return mean, scale, hidden, w, fit_opt_out(z, positive[rows])

    for k in range(FOLDS):
        tr, te = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        mean, scale, hidden, w, dnc = fitted(tr)
        z = (x[te] - mean) / scale
        oof[te] = _logits(z, w, hidden)
        oof_dnc[te] = opt_out_probs(z, dnc)
    temperature = _temperature(oof, y)
    mean, scale, hidden, w, dnc = fitted(np.arange(len(y)))
    probs = _softmax(oof / temperature)
    head = Head(LABELS, mean.astype(np.float32), scale.astype(np.float32),
                w.astype(np.float32), temperature,
                dict(meta) | {"rows": len(y), "hidden_units": units,
                              "oof_accuracy": round(float((probs.argmax(axis=1) == y).mean()), 4)}
                | opt_out_thresholds(oof_dnc.tolist(), positive.tolist()),
                hidden=None if hidden is None else hidden.astype(np.float32),
                opt_out=dnc.astype(np.float32))
    return head, probs, oof_dnc
