"""The team's own model: examples it taught, corrections it made, and the model they train.

Files live in the workspace's model folder (``config.home / "model"``), which every caller
passes in (`team_dir`): nothing here reads the environment.

* ``team-examples.jsonl`` — rows ``{"text", "label", "also", "source"}`` from `notnow teach`
  and from corrections made in `notnow log` (`record_correction`);
* ``team-model.json.gz`` — the shipped corpus plus those examples (each counted three times),
  trained locally; `analyze` uses it when it exists and was built on the shipped corpus.

Corrections only append; the model is retrained by the next `notnow teach` (or `retrain`).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from notnow.core.labels import parse_label
from notnow.core.model import Label
from notnow.errors import InvalidInput
from notnow.storage.files import open_private, private_folder, tighten
from notnow.understand.model import INTL_MODEL, SHIPPED_MODEL, LinearModel, load

EXAMPLES_FILE = "team-examples.jsonl"
MODEL_FILE = "team-model.json.gz"
TEAM_WEIGHT = 3.0
"""A team's own example counts this many times as much as a shipped one."""

RECHECK_SECONDS = 1.0
"""How often `current_model` looks again for a new team model file."""

_lock = threading.Lock()
_checked: dict[Path | None, tuple[float, LinearModel]] = {}
_cache: dict[Any, LinearModel] = {}


def shipped_model() -> LinearModel:
    key = ("shipped", SHIPPED_MODEL)
    if key not in _cache:
        with _lock:
            if key not in _cache:
                _cache[key] = load(SHIPPED_MODEL)
    return _cache[key]


def intl_model() -> LinearModel:
    """The shipped multilingual linear model (the fast path outside English)."""
    key = ("intl", INTL_MODEL)
    if key not in _cache:
        with _lock:
            if key not in _cache:
                _cache[key] = load(INTL_MODEL)
    return _cache[key]


def current_model(team_dir: Path | None = None) -> LinearModel:
    """The team model in `team_dir` when there is a current one, else the shipped model.

    `team_dir` is the workspace's model folder (``config.home / "model"``), given by the
    caller; None means the shipped model. A new or retrained team model file is seen within
    `RECHECK_SECONDS`.
    """
    if team_dir is None:
        return shipped_model()
    now = time.monotonic()
    seen = _checked.get(team_dir)
    if seen is not None and now - seen[0] < RECHECK_SECONDS:
        return seen[1]
    model = _current_model(team_dir)
    if len(_checked) > 64:
        _checked.clear()
    _checked[team_dir] = (now, model)
    return model


def _current_model(team_dir: Path) -> LinearModel:
    path = team_dir / MODEL_FILE
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        return shipped_model()
    key = (str(path), stamp)
    model = _cache.get(key)
    if model is None:
        candidate = load(path)
        base = candidate.meta.get("base_corpus_sha256")
        model = candidate if base == shipped_model().corpus_sha256 else shipped_model()
        _cache[key] = model
    return model


def _parse_row(raw: str, *, file: str, line: int) -> dict[str, Any]:
    try:
        row = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"not valid JSON ({exc.msg})", file=file, line=line) from None
    if not isinstance(row, dict):
        raise InvalidInput("each line must be a JSON object", file=file, line=line)
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("'text' must be a non-empty string", field="text", file=file, line=line)
    try:
        label = parse_label(str(row.get("label", "")))
        also_raw = row.get("also") or []
        if not isinstance(also_raw, list):
            raise InvalidInput("'also' must be a list of labels", field="also")
        also = [parse_label(str(x), field="also") for x in also_raw]
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field=exc.field, file=file, line=line) from None
    return {"text": text, "label": label.value, "also": [a.value for a in also],
            "source": str(row.get("source") or f"team: {Path(file).name}")}


def read_examples_file(path: Path) -> list[dict[str, Any]]:
    """Validated rows of a teach file; the first bad line raises InvalidInput."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read the file: {exc}", file=str(path)) from None
    rows = [_parse_row(raw, file=str(path), line=n)
            for n, raw in enumerate(lines, start=1) if raw.strip()]
    if not rows:
        raise InvalidInput("no examples in the file", file=str(path))
    return rows


def _append(rows: Sequence[dict[str, Any]], folder: Path) -> Path:
    private_folder(folder)
    path = folder / EXAMPLES_FILE
    with open_private(path, "a", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def record_correction(text: str, label: Label | str, also: Sequence[Label | str] = (), *,
                      team_dir: Path) -> None:
    """Keep a salesperson's correction as a team example in `team_dir` (used at the next
    retrain)."""
    if not text.strip():
        return
    primary = parse_label(str(getattr(label, "value", label)))
    others = [parse_label(str(getattr(a, "value", a)), field="also") for a in also]
    _append([{"text": text, "label": primary.value, "also": [a.value for a in others],
              "source": "team: correction in notnow log"}], team_dir)


def team_examples(team_dir: Path) -> list[dict[str, Any]]:
    path = team_dir / EXAMPLES_FILE
    if not path.exists():
        return []
    return read_examples_file(path)


def _train_with(extra: Sequence[dict[str, Any]],
                progress: Callable[[str], None] | None = None) -> LinearModel:
    from notnow.understand.build import corpus_files, shipped_examples
    from notnow.understand.train import Example, corpus_hash, train

    examples = shipped_examples() + [
        Example(r["text"], Label(r["label"]), TEAM_WEIGHT) for r in extra]
    base = corpus_hash(corpus_files())
    return train(examples, corpus_sha256=_digest(extra), progress=progress,
                 meta={"base_corpus_sha256": base, "team_examples": len(extra)})


def _digest(rows: Sequence[dict[str, Any]]) -> str:
    return hashlib.sha256(json.dumps(list(rows), sort_keys=True).encode()).hexdigest()


def model_with(extra: Sequence[Any]) -> LinearModel:
    """A model trained on the shipped corpus plus `extra` (Example objects or rows)."""
    rows = [e if isinstance(e, dict) else {"text": e.text, "label": Label(e.label).value}
            for e in extra]
    key = hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()
    if key not in _cache:
        _cache[key] = _train_with(rows)
    return _cache[key]


def teach(path: Path, team_dir: Path, extra: Sequence[dict[str, Any]] = (), *,
          progress: Callable[[str], None] | None = None) -> tuple[int, int, Path]:
    """Add the examples in `path` to `team_dir` and retrain (with `extra` rows too: the
    corrections the workspace's database keeps). An example already taught (the same words
    and label) is not added again; the same words with another label replace the old ones.
    Returns (added, total team examples, model file)."""
    rows = read_examples_file(path)
    known = team_examples(team_dir)
    by_text = {r["text"]: r for r in known}
    added = 0
    for row in rows:
        old = by_text.get(row["text"])
        if old is None or (old["label"], sorted(old.get("also") or [])) != (
                row["label"], sorted(row.get("also") or [])):
            by_text[row["text"]] = row
            added += 1
    if added:
        _rewrite(list(by_text.values()), team_dir)
    return added, *retrain(team_dir, extra, progress=progress)


def _rewrite(rows: Sequence[dict[str, Any]], folder: Path) -> None:
    private_folder(folder)
    path = folder / EXAMPLES_FILE
    partial = path.with_suffix(".tmp")
    with open_private(partial, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    os.replace(partial, path)


def retrain(team_dir: Path, extra: Sequence[dict[str, Any]] = (), *,
            progress: Callable[[str], None] | None = None) -> tuple[int, Path]:
    """Train the team model on the shipped corpus, the examples in `team_dir` and `extra`
    (not again when the saved model was trained on exactly these)."""
    rows = team_examples(team_dir) + list(extra)
    out = team_dir / MODEL_FILE
    private_folder(team_dir)
    if out.exists():
        try:
            current = load(out)
        except Exception:  # noqa: BLE001 - a damaged file is simply trained again
            current = None
        if current is not None and current.corpus_sha256 == _digest(rows) \
                and current.meta.get("base_corpus_sha256") == shipped_model().corpus_sha256:
            if progress is not None:
                progress("the model already knows every example: nothing to retrain")
            return len(rows), out
    _train_with(rows, progress).save(out)
    tighten(out)
    return len(rows), out
