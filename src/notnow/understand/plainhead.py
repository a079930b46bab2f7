"""The encoder's head in plain Python: what reading a reply uses, so that no process imports
numpy to read one.

numpy's import is 0.04 s of a cold `notnow log` of a reply in another language, for products
of a few hundred numbers that plain Python does in about a millisecond. The head is trained
and saved with numpy (`encoder_train`, `encoder.Head`); this reads the same file and does the
arithmetic training does (`encoder_train._logits`, `_softmax`, `opt_out_probs`) — pinned to
it by a property test (`tests/understand/test_plain_head.py`), which also checks that the
labels and decisions of the corpus's readings are the same.

The file is numpy's own `.npz` (a zip of `.npy` arrays); :func:`load` reads the few kinds it
holds (little-endian float32 and float64, fixed-width text) and refuses anything else.
"""

from __future__ import annotations

import math
import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import mul
from pathlib import Path
from typing import Any

from notnow.core.model import Label


@dataclass(frozen=True)
class PlainHead:
    """`encoder.Head` as plain numbers, its weights kept by column: each output's weights side
    by side."""

    labels: tuple[Label, ...]
    mean: array[float]
    scale: array[float]
    hidden: tuple[tuple[array[float], float], ...] | None
    """Each hidden unit's weights (one per input) and its bias; None for a linear head."""
    outputs: tuple[tuple[array[float], float], ...]
    """Each label's weights (one per hidden unit, or per input) and its bias."""
    temperature: float
    meta: dict[str, Any] = field(default_factory=dict)
    opt_out: tuple[array[float], float] | None = None

    def read(self, emb: Sequence[float]) -> tuple[list[float], float | None]:
        """The probability of each label (in `labels`' order) and the opt-out head's."""
        z = [(e - m) / s for e, m, s in zip(emb, self.mean, self.scale, strict=True)]
        x = z
        if self.hidden is not None:
            x = [max(sum(map(mul, z, w)) + b, 0.0) for w, b in self.hidden]
        logits = [(sum(map(mul, x, w)) + b) / self.temperature for w, b in self.outputs]
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        probs = [v / total for v in exps]
        if self.opt_out is None:
            return probs, None
        w, b = self.opt_out
        t = min(max(sum(map(mul, z, w)) + b, -40.0), 40.0)
        return probs, 1.0 / (1.0 + math.exp(-t))


def load(path: Path) -> PlainHead:
    """Read the head file `encoder.Head.save` wrote. Raises ValueError for anything else."""
    import json

    arrays = _npz(path)

    def floats(name: str) -> tuple[tuple[int, ...], array[float]]:
        shape, values = arrays[name]
        if not isinstance(values, array):
            raise ValueError(f"{path.name}: {name} is not numbers")
        return shape, values

    def columns(name: str) -> tuple[tuple[array[float], float], ...]:
        """A (inputs + 1) x outputs matrix (the last row the biases) as each output's column
        of weights and its bias."""
        shape, values = floats(name)
        if len(shape) != 2:
            raise ValueError(f"{path.name}: {name} is not a matrix")
        rows, cols = shape
        return tuple((values[j:(rows - 1) * cols:cols], values[(rows - 1) * cols + j])
                     for j in range(cols))

    labels_shape, labels = arrays["labels"]
    _, temperature = floats("temperature")
    _, meta = arrays["meta"]
    opt_out = None
    if "opt_out" in arrays:
        _, w = floats("opt_out")
        opt_out = (w[:-1], w[-1])
    return PlainHead(
        labels=tuple(Label(str(x)) for x in labels), mean=floats("mean")[1],
        scale=floats("scale")[1], hidden=columns("hidden") if "hidden" in arrays else None,
        outputs=columns("weights"), temperature=float(temperature[0]),
        meta=json.loads(str(meta[0])), opt_out=opt_out)


def _npz(path: Path) -> dict[str, tuple[tuple[int, ...], Any]]:
    """Each array of an `.npz` file: its shape and its values, flat (float32 and float64 as
    an `array`, text as a list of str)."""
    import ast
    import zipfile

    out: dict[str, tuple[tuple[int, ...], Any]] = {}
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ValueError(f"{path.name}: {exc}") from None
    with archive:
        for name in archive.namelist():
            raw = archive.read(name)
            if raw[:6] != b"\x93NUMPY" or raw[6] not in (1, 2, 3):
                raise ValueError(f"{path.name}: {name} is not a .npy array")
            size, start = ((int.from_bytes(raw[8:10], "little"), 10) if raw[6] == 1
                           else (int.from_bytes(raw[8:12], "little"), 12))
            try:
                header = ast.literal_eval(raw[start:start + size].decode("latin-1"))
                shape = tuple(int(n) for n in header["shape"])
                descr, fortran = str(header["descr"]), bool(header["fortran_order"])
            except (SyntaxError, ValueError, KeyError, TypeError):
                raise ValueError(f"{path.name}: {name} has no .npy header") from None
            data = raw[start + size:]
            count = math.prod(shape)
            if fortran and len(shape) > 1:
                raise ValueError(f"{path.name}: {name} is in column order")
            if descr in ("<f4", "<f8"):
                values: Any = array("f" if descr == "<f4" else "d")
                values.frombytes(data[:count * values.itemsize])
                if sys.byteorder != "little":
                    values.byteswap()
            elif descr.startswith("<U"):
                width = int(descr[2:])
                text = data[:count * width * 4].decode("utf-32-le")
                values = [text[i * width:(i + 1) * width].rstrip("\x00") for i in range(count)]
            else:
                raise ValueError(f"{path.name}: {name} holds {descr}, which the head never does")
            if len(values) != count:
                raise ValueError(f"{path.name}: {name} is cut short")
            out[name.removesuffix(".npy")] = (shape, values)
    return out
