"""The learned part: a linear model over sparse features, scored in pure Python.

The model file is gzipped JSON: the label order, one weight vector per feature, a bias
feature, the temperature that calibrates its confidence, and the SHA-256 of the corpus it was
trained on. Scoring is a dict lookup and an integer add per feature — no numpy, no scikit-learn —
so one reply costs microseconds and the model loads in a few tens of milliseconds.
"""

from __future__ import annotations

import gzip
import json
import math
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

from notnow.core.model import Label
from notnow.errors import InvalidInput
from notnow.understand.features import Span

FORMAT = 2
BIAS = "<bias>"
SHIPPED_MODEL = Path(__file__).parent / "trained" / "default-model.json"
INTL_MODEL = Path(__file__).parent / "trained" / "intl-model.json"
"""The multilingual linear model: the fast path for clear replies outside English.

The shipped models are plain JSON (the wheel compresses them anyway): unzipping them cost every
`notnow log` 5 ms, and one of a reply in another language 15 ms. A team model, written once and
kept in the workspace, is gzipped (`…json.gz`); `load` reads either."""


_WIDTH = 64
_OFFSET = 1 << 24
_SCALE = 1000
_UNKNOWN_CAP = 200_000
"""Weights are stored with three decimals, so each is an exact integer number of thousandths.
A feature's weights for all labels are packed into one Python integer (one 64-bit field per
label, each offset to stay positive): adding the packed integers of a reply's features adds
every label's score at once, and `struct` reads all the fields back in one call — several
times faster than adding float vectors. Features the model does not know are remembered as 0
(up to `_UNKNOWN_CAP` of them, then forgotten), so a reply's features are looked up in one
C-level pass."""


_FIELDS: dict[int, struct.Struct] = {}


def _fields(count: int) -> struct.Struct:
    """The layout of a packed sum of `count` labels: one unsigned 64-bit field per label,
    little-endian."""
    return _FIELDS.setdefault(count, struct.Struct(f"<{count}Q"))


@dataclass(slots=True)
class Scored:
    """Calibrated probabilities per label, and the reply's features."""

    probs: dict[Label, float]
    feats: Mapping[str, Span]
    packed: list[int]
    """Each feature's packed weights, in the order of `feats` (0: the model does not know it)."""
    scale: float
    labels: tuple[Label, ...]
    model: LinearModel

    @property
    def used(self) -> list[tuple[str, Span]]:
        """The features the model knows (those that were scored), in the reply's order."""
        return [item for item, p in zip(self.feats.items(), self.packed, strict=True) if p]

    def contributions(self, label: Label) -> list[tuple[float, Span, str]]:
        """(weight towards `label`, span, feature) for the features that pushed it up."""
        positive = self.model._positive[self.labels.index(label)].get
        scale = self.scale
        return [(w * scale, span, feat) for feat, span in self.feats.items()
                if (w := positive(feat)) is not None]

    def strongest(self, label: Label, limit: int, skip: str = "") -> list[tuple[float, Span, str]]:
        """The `limit` largest `contributions(label)`, largest first (ties: in the reply's
        order), leaving out features whose name starts with `skip` (when given)."""
        ranked = sorted([c for c in self.contributions(label)
                         if not (skip and c[2].startswith(skip))],
                        key=itemgetter(0), reverse=True)
        return ranked[:limit]

    def strongest_spans(self, label: Label, limit: int, skip: str = "") -> list[Span]:
        """The spans of `strongest(label, limit, skip)`, computed with fewer steps."""
        weights = list(map(self.model._positive[self.labels.index(label)].get, self.feats))
        ranked = sorted(filter(None, weights), reverse=True)  # a known weight is never 0
        if not ranked:
            return []
        names = list(self.feats)
        spans = list(self.feats.values())
        scale = self.scale
        out: list[Span] = []
        last, at = 0.0, -1
        for w in ranked:
            if w == last:  # equal weights: the next one in the reply's order
                at = weights.index(w, at + 1)
            else:
                if w * scale == last * scale:  # distinct weights, equal contributions
                    return [span for _w, span, _f in self.strongest(label, limit, skip)]
                last, at = w, weights.index(w)
            if skip and names[at].startswith(skip):
                continue
            out.append(spans[at])
            if len(out) >= limit:
                break
        return out


@dataclass(frozen=True)
class LinearModel:
    """Weights are stored sparse: feature -> "k:w k:w" (label index, weight), and decoded
    on first use (then cached): to a packed integer for scoring, and into `_positive` (the
    labels a feature pushes up, with the weight) for evidence.

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
    _positive: tuple[dict[str, float], ...] = field(init=False, repr=False, compare=False)
    """For each label, the known features (packed so far) that push it up, with their weight."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_positive", tuple({} for _ in self.labels))

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
                if w > 0:
                    self._positive[k][feat] = w
        elif len(self._packed) > len(self.weights) + _UNKNOWN_CAP:
            known = {f: p for f, p in self._packed.items() if p}
            self._packed.clear()
            self._packed.update(known)
        self._packed[feat] = packed
        return packed

    def score(self, feats: Mapping[str, Span]) -> Scored:
        found = list(map(self._packed.get, feats))
        if None in found:  # features seen for the first time
            pack = self._pack
            packed = [pack(feat) if p is None else p
                      for feat, p in zip(feats, found, strict=True)]
        else:
            packed = cast(list[int], found)
        n = len(packed) - packed.count(0)
        t = self.temperature
        if n:
            scale = 1.0 / math.sqrt(n)
            base = n * _OFFSET
            factor = scale / _SCALE
            total: int = sum(packed)
            count = len(self.labels)
            unpack = _FIELDS.get(count) or _fields(count)
            fields = unpack.unpack(total.to_bytes(unpack.size, "little"))
            scores = [(b + (f - base) * factor) / t for b, f in zip(self.bias, fields, strict=True)]
        else:
            scale = 0.0
            scores = [b / t for b in self.bias]
        probs = _softmax(scores)
        return Scored(dict(zip(self.labels, probs, strict=True)), feats, packed, scale,
                      self.labels, self)

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
        """Write the model as JSON, gzipped when the name ends in ``.gz``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps(self.to_dict(), separators=(",", ":"), sort_keys=True)
        if path.suffix != ".gz":
            path.write_text(body + "\n", encoding="utf-8")
            return
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
    """Read a model file written by `LinearModel.save` (gzipped or not)."""
    import zlib

    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":  # gzip's magic number
            raw = gzip.decompress(raw)
        data = json.loads(raw)
    except (OSError, ValueError, EOFError, zlib.error) as exc:
        raise InvalidInput(f"cannot read the model file: {exc}", file=str(path)) from None
    if not isinstance(data, dict):
        raise InvalidInput("cannot read the model file: not a model", file=str(path))
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
