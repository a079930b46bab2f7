"""The learned part: a linear model over sparse features, scored in pure Python.

The model file is gzipped JSON: the label order, one weight vector per feature, a bias
feature, the temperature that calibrates its confidence, and the SHA-256 of the corpus it was
trained on. Scoring is a dict lookup and a vector add per feature — no numpy, no scikit-learn —
so one reply costs microseconds and the model loads in a few tens of milliseconds.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notnow.core.model import Label
from notnow.errors import InvalidInput
from notnow.understand.features import Span

FORMAT = 2
BIAS = "<bias>"
SHIPPED_MODEL = Path(__file__).parent / "trained" / "default-model.json.gz"


_WIDTH = 48
_OFFSET = 1 << 24
_MASK = (1 << _WIDTH) - 1
_SCALE = 1000
"""Weights are stored with three decimals, so each is an exact integer number of thousandths.
A feature's weights for all labels are packed into one Python integer (one 48-bit field per
label, each offset to stay positive): adding the packed integers of a reply's features adds
every label's score at once, which is several times faster than adding float vectors."""


@dataclass(frozen=True)
class Scored:
    """Calibrated probabilities per label, and the features that were used."""

    probs: dict[Label, float]
    used: list[tuple[str, Span]]
    scale: float
    labels: tuple[Label, ...]
    model: LinearModel

    def contributions(self, label: Label) -> list[tuple[float, Span, str]]:
        """(weight towards `label`, span, feature) for the features that pushed it up."""
        k = self.labels.index(label)
        scale, decoded = self.scale, self.model._decoded  # every used feature was decoded
        return [(v[k] * scale, span, feat) for feat, span in self.used
                if (v := decoded[feat])[k] > 0]


@dataclass(frozen=True)
class LinearModel:
    """Weights are stored sparse: feature -> "k:w k:w" (label index, weight), and decoded
    on first use (then cached): to a packed integer for scoring, to a vector for evidence.

    Keeping them as strings until a feature is seen makes loading the model a matter of
    parsing ten thousand short strings, well inside the half-second budget.
    """

    labels: tuple[Label, ...]
    weights: Mapping[str, str]
    bias: tuple[float, ...]
    temperature: float
    also_threshold: float
    corpus_sha256: str
    meta: Mapping[str, Any]
    _decoded: dict[str, tuple[float, ...]] = field(
        default_factory=dict, repr=False, compare=False)
    _packed: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def vector(self, feat: str) -> tuple[float, ...] | None:
        """The feature's weight for each label (decoded on first use, then cached)."""
        found = self._decoded.get(feat)
        if found is None:
            raw = self.weights.get(feat)
            if raw is None:
                return None
            dense = [0.0] * len(self.labels)
            for item in raw.split():
                k, _, w = item.partition(":")
                dense[int(k)] = float(w)
            found = self._decoded[feat] = tuple(dense)
        return found

    def _pack(self, feat: str) -> int:
        """The feature's weights as one packed integer (0 when the model does not know it)."""
        vec = self.vector(feat)
        packed = 0
        if vec is not None:
            for k, w in enumerate(vec):
                packed |= (round(w * _SCALE) + _OFFSET) << (k * _WIDTH)
        self._packed[feat] = packed
        return packed

    def score(self, feats: Mapping[str, Span]) -> Scored:
        packed = self._packed
        get = packed.get
        total = 0
        used: list[tuple[str, Span]] = []
        for feat, span in feats.items():
            p = get(feat)
            if p is None:
                p = self._pack(feat)
            if p:
                total += p
                used.append((feat, span))
        n = len(used)
        t = self.temperature
        if n:
            scale = 1.0 / math.sqrt(n)
            base = n * _OFFSET
            factor = scale / _SCALE
            scores = [(b + (((total >> (k * _WIDTH)) & _MASK) - base) * factor) / t
                      for k, b in enumerate(self.bias)]
        else:
            scale = 0.0
            scores = [b / t for b in self.bias]
        probs = _softmax(scores)
        return Scored(dict(zip(self.labels, probs, strict=True)), used, scale, self.labels, self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "labels": [label.value for label in self.labels],
            "bias": list(self.bias),
            "temperature": self.temperature,
            "also_threshold": self.also_threshold,
            "corpus_sha256": self.corpus_sha256,
            "meta": dict(self.meta),
            "weights": dict(self.weights),
        }

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps(self.to_dict(), separators=(",", ":"), sort_keys=True)
        # No name and mtime=0 in the gzip header: the same model always gives the same bytes.
        with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                                                   compresslevel=9, mtime=0) as fh:
            fh.write(body.encode("utf-8"))


def encode_weights(row: Sequence[float], threshold: float) -> str:
    """One feature's weights as "k:w" pairs, dropping those below `threshold`."""
    return " ".join(f"{k}:{w:.3f}" for k, w in enumerate(row) if abs(w) >= threshold)


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def load(path: Path = SHIPPED_MODEL) -> LinearModel:
    """Read a model file written by `LinearModel.save`."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read the model file: {exc}", file=str(path)) from None
    if data.get("format") != FORMAT:
        raise InvalidInput(f"unsupported model format {data.get('format')!r}", file=str(path))
    return LinearModel(
        labels=tuple(Label(x) for x in data["labels"]),
        weights=data["weights"],
        bias=tuple(float(x) for x in data["bias"]),
        temperature=float(data["temperature"]),
        also_threshold=float(data["also_threshold"]),
        corpus_sha256=str(data["corpus_sha256"]),
        meta=data.get("meta", {}),
    )
