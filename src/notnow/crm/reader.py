"""Reading one CRM export: `open_export(path)` → a `CrmFile` that says what it is and how it
is read, then streams `CrmRecord`s and `RowProblem`s, row after row.

Everything that can refuse the whole file happens when it is opened — not CSV, no header,
headers no profile fits and no mapping given — so nothing of a refused file is ever read into
records. Rows are then read one at a time; memory does not grow with the file (a bounded
look-ahead of `LOOKAHEAD` rows settles the date order and the decimal mark first).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain
from pathlib import Path
from types import TracebackType
from typing import TextIO

from notnow.crm import values as v
from notnow.crm.fields import FIELDS, IGNORE, Parse
from notnow.crm.mapping import ColumnMap, MappingMemory, NeedsMapping, parse_map, signature
from notnow.crm.profiles import (
    SALESFORCE_FOOTER,
    Profile,
    Recognition,
    candidates,
    norm_header,
    suggest,
)
from notnow.crm.records import CrmRecord, Kind, RowProblem, Source, Tally
from notnow.crm.rows import RowMapper
from notnow.crm.textfile import (
    RawRow,
    Rows,
    UnreadableFile,
    detect_format,
    header_problem,
    open_text,
)
from notnow.errors import InvalidInput

LOOKAHEAD = 500
_LOCAL_LABELS = frozenset({"titel", "wert", "besitzer", "verlustgrund", "titre", "valeur",
                           "statut", "propriétaire", "título", "valor", "estado",
                           "propietario", "titolo", "valore"})
_ALWAYS_FOOTER = ("confidential information - do not distribute", "copyright")


def _kind_of(keys: Sequence[str]) -> Kind:
    kinds = {FIELDS[k].kind for k in keys if k != IGNORE}
    for kind in (Kind.DEAL, Kind.ACTIVITY, Kind.CONTACT, Kind.ACCOUNT):
        if kind in kinds:
            return kind
    raise InvalidInput("the mapping reads no column: map at least a name or a title",
                       field="--map")


class CrmFile:
    """One export file, opened and recognised. Iterate it for its records and problems; use it
    as a context manager (or call `close`) to release the file."""

    def __init__(self, path: Path | str, *, name: str | None = None,
                 source: Source | str | None = None,
                 columns: ColumnMap | Sequence[str] | None = None,
                 date_order: v.DateOrder | str | None = None, decimal_comma: bool | None = None,
                 memory: MappingMemory | None = None) -> None:
        self.path = Path(path)
        self.name = name or self.path.name
        self.hint = Source(source) if source is not None else None
        fmt = detect_format(self.path, self.name)
        self.encoding = fmt.encoding
        self.delimiter = fmt.delimiter
        self.notes: list[str] = list(fmt.notes)
        self.tally = Tally()
        self._stream: TextIO = open_text(self.path, fmt.encoding, fmt.errors)
        try:
            self._rows = Rows(self._stream, fmt.delimiter, self.name,
                              skip_first=fmt.skip_first_line)
            self._iter = iter(self._rows)
            self.headers = self._read_header()
            self.signature = signature(self.headers)
            if columns is not None and not isinstance(columns, ColumnMap):
                columns = parse_map(columns, self.headers)
            self.column_map: ColumnMap | None = columns or None
            """The person's mapping (`--map`, or remembered): what to remember once confirmed."""
            self._recognise(columns, memory)
            self._date_order = v.DateOrder(date_order) if date_order else None
            self._decimal_comma = decimal_comma
        except BaseException:
            self._stream.close()
            raise
        self._used = False

    # --- opening --------------------------------------------------------------------------

    def _read_header(self) -> list[str]:
        first = next(self._iter, None)
        if first is None:
            raise UnreadableFile("not a CSV export: it has no header line", file=self.name)
        if isinstance(first, RowProblem):
            raise UnreadableFile(f"not a CSV export: the header line cannot be read — "
                                 f"{first.why}", file=self.name, line=first.line)
        why = header_problem(first.cells, self.name)
        if why is not None:
            raise UnreadableFile(f"not a CSV export: {why}", file=self.name, line=first.line)
        self.header_line = first.line
        return [c.strip() or f"(column {i + 1})" for i, c in enumerate(first.cells)]

    def _recognise(self, columns: ColumnMap | None, memory: MappingMemory | None) -> None:
        headers = self.headers
        found: list[Recognition] = []
        if self.hint is not Source.CSV:
            found = candidates(headers, self.hint)
            if not found and self.hint is not None and candidates(headers):
                other = candidates(headers)[0].profile
                raise InvalidInput(f"the headers are those of a {other.title}, not of a "
                                   f"{self.hint.value} export: leave out --from, or say "
                                   f"--from {other.source.value}", file=self.name,
                                   field="--from")
        remembered = None
        if not columns and memory is not None:
            remembered = memory.recall(headers)
            self.notes += memory.notes
            if remembered is not None:
                columns = self.column_map = remembered.columns
                self.notes.append(f"mapping remembered from {remembered.confirmed_at[:10]}")
        if found:
            best = found[0]
            self.profile: Profile | None = best.profile
            self.source = best.source
            self.kind = best.kind
            self.title = best.profile.title
            self.defaults = dict(best.profile.defaults)
            by_field = self._by_field(best)
        elif columns:
            self.profile = None
            self.source = remembered.source if remembered else (self.hint or Source.CSV)
            self.kind = _kind_of([k for _, k in columns.entries])
            self.title = f"{self.kind.value}s spreadsheet (mapped column by column)"
            self.defaults = {}
            by_field = {}
        else:
            raise NeedsMapping(
                "no column set notnow knows (HubSpot, Pipedrive, Salesforce) fits this file's "
                "headers: say which column is which with --map \"Column=field\"",
                file=self.name, headers=headers, suggestion=suggest(headers))
        if columns:
            by_field = self._with_map(by_field, columns)
        self.columns: dict[str, list[int]] = by_field
        self.used = {headers[i]: key for key, idxs in by_field.items() for i in idxs}
        self.unused = [h for h in headers if h not in self.used and not h.startswith("(column")]
        if not any(FIELDS[k].kind is self.kind for k in by_field):
            raise NeedsMapping(f"no column of this {self.title} can be read as a "
                               f"{self.kind.value}", file=self.name, headers=headers,
                               suggestion=suggest(headers))

    def _by_field(self, rec: Recognition) -> dict[str, list[int]]:
        profile = rec.profile
        rank = {h: n for n, h in enumerate(profile.columns)}
        normed = [norm_header(h) for h in self.headers]
        by_field: dict[str, list[tuple[int, int]]] = {}
        for i, key in rec.columns.items():
            by_field.setdefault(key, []).append((rank.get(normed[i], len(rank) + i), i))
        return {k: [i for _, i in sorted(pairs)] for k, pairs in by_field.items()}

    def _with_map(self, by_field: dict[str, list[int]],
                  columns: ColumnMap) -> dict[str, list[int]]:
        """The person's `--map` first, for each field it names; then the profile's columns
        that the person did not map elsewhere."""
        index = {h: i for i, h in reversed(list(enumerate(self.headers)))}
        mapped = {index[h] for h, _ in columns.entries}
        explicit: dict[str, list[int]] = {}
        for header, key in columns.entries:
            if key != IGNORE:
                explicit.setdefault(key, []).append(index[header])
        out: dict[str, list[int]] = {}
        for key in dict.fromkeys([*explicit, *by_field]):
            idxs = explicit.get(key, []) + [i for i in by_field.get(key, []) if i not in mapped]
            if idxs:
                out[key] = idxs
        return out

    # --- reading --------------------------------------------------------------------------

    def _settle_locale(self, ahead: list[RawRow]) -> None:
        date_cols = [i for k, idxs in self.columns.items() if FIELDS[k].parse is Parse.DATE
                     for i in idxs]
        amount_cols = [i for k, idxs in self.columns.items()
                       if FIELDS[k].parse is Parse.AMOUNT for i in idxs]
        localized = self.delimiter == ";" or any(
            norm_header(h).rsplit(" - ", 1)[-1] in _LOCAL_LABELS for h in self.headers
            if " - " in h)
        if self._date_order is None:
            dmy = mdy = ambiguous = 0
            for row in ahead:
                for i in date_cols:
                    if i >= len(row.cells) or not row.cells[i]:
                        continue
                    ev = v.slash_date_evidence(row.cells[i])
                    if ev is v.DateOrder.DMY:
                        dmy += 1
                    elif ev is v.DateOrder.MDY:
                        mdy += 1
                    elif "/" in row.cells[i]:
                        ambiguous += 1
            if dmy or mdy:
                self._date_order = v.DateOrder.DMY if dmy >= mdy else v.DateOrder.MDY
                words = "day first" if self._date_order is v.DateOrder.DMY else "month first"
                self.notes.append(f"dates read {words} (as values such as "
                                  f"{'25/03' if dmy >= mdy else '03/25'} show)")
            else:
                self._date_order = v.DateOrder.DMY if localized else v.DateOrder.MDY
                if ambiguous:
                    words = ("day first (a European export)" if localized
                             else "month first (US)")
                    self.notes.append(f"dates such as 03/04 read {words}: say --date-order "
                                      f"{'mdy' if localized else 'dmy'} if that is wrong")
        if self._decimal_comma is None:
            comma = dot = 0
            for row in ahead:
                for i in amount_cols:
                    if i < len(row.cells) and row.cells[i]:
                        mark = v.amount_evidence(row.cells[i])
                        comma += mark is True
                        dot += mark is False
            if comma or dot:
                self._decimal_comma = comma > dot
            else:
                self._decimal_comma = localized
            if comma and dot:
                self.notes.append("amounts are written both with decimal commas and decimal "
                                  "points; read with the more common one")
            elif self._decimal_comma and amount_cols:
                self.notes.append("amounts read with a decimal comma (1.234,56)")

    def _is_footer(self, row: RawRow) -> bool:
        if self.source is not Source.SALESFORCE and row.cells[0].lstrip()[:4].lower() not in (
                "conf", "copy", ""):
            return False
        first = next((c for c in row.cells if c.strip()), "")
        low = v.squash(first).lower()
        if low.startswith(_ALWAYS_FOOTER) and ("salesforce" in low or "confidential" in low):
            return True
        if self.source is Source.SALESFORCE:
            filled = sum(1 for c in row.cells if c.strip())
            return bool(SALESFORCE_FOOTER.match(low)) and (filled <= 3 or row.cells[0] == first)
        return False

    def __iter__(self) -> Iterator[CrmRecord | RowProblem]:
        if self._used:
            raise RuntimeError("a CrmFile is read once; open it again to read it again")
        self._used = True
        ahead: list[RawRow] = []
        pending: list[RowProblem] = []
        for item in self._iter:
            if isinstance(item, RowProblem):
                pending.append(item)
            else:
                ahead.append(item)
            if len(ahead) >= LOOKAHEAD:
                break
        self._settle_locale(ahead)
        assert self._date_order is not None and self._decimal_comma is not None
        mapper = RowMapper(name=self.name, source=self.source, kind=self.kind,
                           headers=self.headers, columns=self.columns, defaults=self.defaults,
                           order=self._date_order, decimal_comma=self._decimal_comma)
        tally = self.tally
        for problem in pending:
            tally.problems += 1
            yield problem
        for item in chain(ahead, self._iter):
            if isinstance(item, RowProblem):
                tally.problems += 1
                yield item
                continue
            if self._is_footer(item):
                tally.skip("report footer lines")
                continue
            tally.rows += 1
            for out in mapper.map(item.line, item.cells):
                if isinstance(out, RowProblem):
                    tally.problems += 1
                else:
                    tally.count(out.kind.value)
                yield out
        if self._rows.blank:
            tally.skipped["blank lines"] = self._rows.blank
        for why, n in mapper.skipped.items():
            tally.skipped[why] = n

    @property
    def size(self) -> int:
        """The file's size in bytes."""
        return self.path.stat().st_size

    @property
    def bytes_read(self) -> int:
        """How far into the file reading is, in bytes (for a progress bar; read ahead by at
        most one buffer)."""
        buffer = getattr(self._stream, "buffer", None)
        try:
            return int(buffer.tell()) if buffer is not None else 0
        except (OSError, ValueError):
            return self.size

    # --- resources ------------------------------------------------------------------------

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> CrmFile:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def describe(self) -> list[str]:
        """What the person is told before the rows: what the file was read as, and how."""
        lines = [f"{self.name}: {self.title}"]
        lines += [f"  {note}" for note in self.notes]
        if self.unused:
            shown = ", ".join(repr(h) for h in self.unused[:12])
            more = f" and {len(self.unused) - 12} more" if len(self.unused) > 12 else ""
            lines.append(f"  columns not read: {shown}{more} (map one with --map "
                         "\"Column=field\")")
        return lines


def open_export(path: Path | str, *, name: str | None = None,
                source: Source | str | None = None,
                columns: ColumnMap | Sequence[str] | None = None,
                date_order: v.DateOrder | str | None = None,
                decimal_comma: bool | None = None,
                memory: MappingMemory | None = None) -> CrmFile:
    """Open one export: refuses it at once (`UnreadableFile`, `NeedsMapping`, `InvalidInput`)
    when it cannot be read, else returns it ready to stream. `columns` is the person's mapping:
    a `ColumnMap`, or the `--map` options themselves (checked against this file's headers);
    it adds to (and wins over) what the recognised header set reads, or is the whole mapping
    of a spreadsheet no header set fits. `memory` recalls a mapping confirmed before."""
    return CrmFile(path, name=name, source=source, columns=columns, date_order=date_order,
                   decimal_comma=decimal_comma, memory=memory)


def read_all(path: Path | str, **options: object) -> tuple[list[CrmRecord], list[RowProblem]]:
    """Every record and problem of a small file, for tests and previews (not for big files)."""
    records: list[CrmRecord] = []
    problems: list[RowProblem] = []
    with open_export(path, **options) as f:  # type: ignore[arg-type]
        for item in f:
            if isinstance(item, RowProblem):
                problems.append(item)
            else:
                records.append(item)
    return records, problems
