"""`--map column=field`: reading it, checking it against the file, and remembering it.

A mapping the person confirmed is kept per *header signature* (a hash of the file's headers, in
the form they are compared in), so the next export with the same columns is read the same way
without asking. The memory is a small JSON file in the workspace folder, written atomically;
a damaged or hostile one is ignored with a note, never trusted.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from notnow.crm.fields import FIELDS, IGNORE, describe_fields
from notnow.crm.profiles import norm_header
from notnow.crm.records import Source
from notnow.errors import InvalidInput

MEMORY_FILE = "crm-mappings.json"
MAX_MEMORY_BYTES = 1 << 20
MAX_REMEMBERED = 200


class NeedsMapping(InvalidInput):
    """No header set fits the file: the person must say which column is which (`--map`).
    `suggestion` proposes a mapping (header → field) to confirm."""

    code = "needs_mapping"

    def __init__(self, message: str, *, file: str, headers: Sequence[str],
                 suggestion: Mapping[str, str]) -> None:
        super().__init__(message, file=file, field="--map", headers=list(headers),
                         suggestion=dict(suggestion))
        self.headers = list(headers)
        self.suggestion = dict(suggestion)


@dataclass(frozen=True)
class ColumnMap:
    """Header (as written in the file) → field key, or `IGNORE`."""

    entries: tuple[tuple[str, str], ...]

    def as_dict(self) -> dict[str, str]:
        return dict(self.entries)

    def options(self) -> list[str]:
        """The `--map` options that say this mapping again."""
        return [f"{header}={key}" for header, key in self.entries]

    def __bool__(self) -> bool:
        return bool(self.entries)


def _field_key(raw: str, option: str) -> str:
    key = raw.strip().lower()
    if key in (IGNORE, "ignore"):
        return IGNORE
    if key in FIELDS:
        return key
    bare = [k for k in FIELDS if k.split(".", 1)[1] == key]
    if len(bare) == 1:
        return bare[0]
    if len(bare) > 1:
        raise InvalidInput(f"'{raw}' is a field of several kinds: say which — "
                           f"{', '.join(bare)}", field="--map", value=option)
    close = difflib.get_close_matches(key, list(FIELDS), n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise InvalidInput(f"unknown field '{raw}'{hint}; fields are {describe_fields()}, or '-' "
                       "to skip a column", field="--map", value=option)


def parse_map(options: Iterable[str], headers: Sequence[str]) -> ColumnMap:
    """Read `--map` options (`"Column name=deal.lost_reason"`; the last `=` splits, so a header
    may contain one) against a file's headers: each column must exist (compared as headers are,
    case and spacing aside) and each single-valued field be given once."""
    by_norm: dict[str, str] = {}
    for h in headers:
        by_norm.setdefault(norm_header(h), h)
    entries: list[tuple[str, str]] = []
    seen_cols: set[str] = set()
    seen_fields: dict[str, str] = {}
    for option in options:
        if "=" not in option:
            raise InvalidInput(f"'{option}' is not column=field (e.g. \"Why we lost=deal."
                               "lost_reason\")", field="--map", value=option)
        column, raw_key = option.rsplit("=", 1)
        header = by_norm.get(norm_header(column))
        if header is None:
            close = difflib.get_close_matches(column, list(headers), n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise InvalidInput(f"the file has no column '{column.strip()}'{hint}",
                               field="--map", value=option)
        if header in seen_cols:
            raise InvalidInput(f"column '{header}' is mapped twice", field="--map",
                               value=option)
        key = _field_key(raw_key, option)
        if key != IGNORE and not FIELDS[key].many:
            if key in seen_fields:
                raise InvalidInput(f"{key} is given twice: by '{seen_fields[key]}' and by "
                                   f"'{header}'", field="--map", value=option)
            seen_fields[key] = header
        seen_cols.add(header)
        entries.append((header, key))
    return ColumnMap(tuple(entries))


def signature(headers: Sequence[str]) -> str:
    """The header signature a mapping is remembered by."""
    joined = "\x1f".join(norm_header(h) for h in headers)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Remembered:
    source: Source
    columns: ColumnMap
    confirmed_at: str


class MappingMemory:
    """Mappings confirmed before, by header signature, in one JSON file (`path`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.notes: list[str] = []

    @classmethod
    def in_folder(cls, folder: Path) -> MappingMemory:
        return cls(folder / MEMORY_FILE)

    def _load(self) -> dict[str, Any]:
        try:
            if self.path.stat().st_size > MAX_MEMORY_BYTES:
                self.notes.append(f"{self.path.name} is too large to be a mapping memory; "
                                  "ignored")
                return {}
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            self.notes.append(f"{self.path.name} cannot be read; remembered mappings ignored")
            return {}
        if not isinstance(data, dict) or not isinstance(data.get("mappings"), dict):
            self.notes.append(f"{self.path.name} is not a mapping memory; ignored")
            return {}
        mappings: dict[str, Any] = data["mappings"]
        return mappings

    def recall(self, headers: Sequence[str]) -> Remembered | None:
        """The mapping confirmed for these very headers, if it still fits them."""
        entry = self._load().get(signature(headers))
        if not isinstance(entry, dict):
            return None
        try:
            source = Source(entry["source"])
            pairs = entry["map"]
            if not isinstance(pairs, list):
                raise TypeError
            columns = parse_map([f"{h}={k}" for h, k in pairs], headers)
            return Remembered(source, columns, str(entry.get("confirmed_at", "")))
        except (KeyError, TypeError, ValueError, InvalidInput):
            self.notes.append("a remembered mapping for these headers no longer fits; ignored")
            return None

    def remember(self, headers: Sequence[str], source: Source, columns: ColumnMap,
                 now: datetime) -> None:
        mappings = self._load()
        mappings[signature(headers)] = {
            "source": source.value,
            "headers": list(headers)[:200],
            "map": [list(pair) for pair in columns.entries],
            "confirmed_at": now.isoformat(),
        }
        if len(mappings) > MAX_REMEMBERED:  # keep the newest
            ordered = sorted(mappings.items(), key=lambda kv: str(kv[1].get("confirmed_at", "")))
            mappings = dict(ordered[-MAX_REMEMBERED:])
        body = json.dumps({"version": 1, "mappings": mappings}, ensure_ascii=False, indent=1)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".crm-mappings-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(body)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
