"""Opening a spreadsheet export as text rows: encoding, delimiter, limits, line numbers.

A file is refused before any row is read when it cannot be a CSV export at all (empty, binary,
an archive or workbook, not a regular file). Otherwise it is read as a stream — never whole —
and each row comes with the physical line it starts on; a row that cannot be parsed (a stray
quote, a value over `MAX_FIELD` characters, a NUL byte, a file cut short inside quotes) becomes a
`RowProblem` and the rows after it are still read.

Encoding: UTF-8 with or without BOM (and UTF-16 with a BOM, as Excel's "Unicode text" writes),
else Windows-1252; the whole file is checked for valid UTF-8 first (a fast pass over the bytes),
so a bad byte on line 90,000 does not change how line 1 was read. The delimiter is sniffed from
the header line: comma, semicolon or tab (Excel's ``sep=;`` first line is honoured). Both are
reported to the person as assumptions (`TextFormat.notes`).
"""

from __future__ import annotations

import codecs
import csv
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from notnow.crm.records import RowProblem
from notnow.errors import InvalidInput

MAX_FIELD = 1 << 20
"""Characters allowed in one value (1 MiB); a longer one refuses its row, not the file."""
MAX_LINE = 1 << 20
"""Characters read of one physical line; the rest of a longer line is skipped, not kept."""
MAX_COLUMNS = 2000
MAX_HEADER_CELL = 500
SNIFF_BYTES = 64 * 1024
CHUNK = 256 * 1024

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (an .xlsx workbook?) — export the sheet as CSV"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip-compressed file — decompress it first"),
    (b"BZh", "a bzip2-compressed file — decompress it first"),
    (b"\xfd7zXZ\x00", "an xz-compressed file — decompress it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel (.xls) workbook — save it as CSV"),
    (b"%PDF", "a PDF document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program (ELF binary)"),
    (b"MZ", "a Windows program"),
)
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32 (with BOM)"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32 (with BOM)"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with BOM"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 (with BOM)"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 (with BOM)"),
)
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
_C1_ERRORS = "notnow.cp1252-c1"


def _c1_passthrough(err: UnicodeError) -> tuple[str, int]:
    """Windows-1252 leaves 5 bytes undefined; read them as the C1 controls they are in Latin-1
    (what browsers do), rather than refusing the file over them."""
    assert isinstance(err, UnicodeDecodeError)
    return "".join(chr(b) for b in err.object[err.start:err.end]), err.end


codecs.register_error(_C1_ERRORS, _c1_passthrough)


class UnreadableFile(InvalidInput):
    """The file cannot be read as a CSV export at all: nothing of it is used."""

    code = "unreadable_file"


@dataclass(frozen=True)
class TextFormat:
    """How a file is read: its encoding and delimiter, and what was assumed, in words."""

    encoding: str
    delimiter: str
    skip_first_line: bool = False  # an Excel "sep=;" line
    notes: tuple[str, ...] = ()
    errors: str = "strict"


def _refuse(name: str, why: str) -> UnreadableFile:
    return UnreadableFile(f"not a CSV export: {why}", file=name)


def check_regular_file(path: Path, name: str) -> int:
    """The file's size; refuses what is not a regular file (a folder, a FIFO, a device)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise UnreadableFile("no such file", file=name) from None
    except OSError as exc:
        raise UnreadableFile(f"cannot be opened ({exc.strerror})", file=name) from None
    if stat.S_ISDIR(st.st_mode):
        raise UnreadableFile("is a folder, not a file", file=name)
    if not stat.S_ISREG(st.st_mode):
        raise UnreadableFile("is not a regular file (a pipe or a device?)", file=name)
    return st.st_size


def _read_head(path: Path, name: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(SNIFF_BYTES)
    except OSError as exc:
        raise UnreadableFile(f"cannot be read ({exc.strerror})", file=name) from None


def _looks_binary(head: bytes) -> str | None:
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if b"\x00" in head:
        return "it contains NUL bytes, so it is binary, not text"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    if head and controls * 10 > len(head):
        return "it is mostly control characters, so it is binary, not text"
    return None


def _valid_as(path: Path, encoding: str) -> tuple[int, bool] | None:
    """None when the file is valid in `encoding`, else (offset of the first bad byte, whether
    the file merely ends inside a character: cut short, not another encoding)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                return offset + exc.start, not chunk
            if not chunk:
                return None
            offset += len(chunk)


def detect_encoding(path: Path, name: str) -> tuple[str, str, str]:
    """(codec, error mode, what to tell the person). Refuses empty and binary files."""
    size = check_regular_file(path, name)
    if size == 0:
        raise _refuse(name, "the file is empty")
    head = _read_head(path, name)
    for bom, codec, words in _BOMS:
        if head.startswith(bom):
            if len(head) == len(bom):
                raise _refuse(name, "the file holds nothing but a byte-order mark")
            bad = _valid_as(path, codec)
            if bad is None:
                return codec, "strict", f"encoding {words}"
            if bad[1]:
                return codec, "replace", (f"encoding {words}; the file ends inside a "
                                          "character (cut short?)")
            raise _refuse(name, f"it starts with a {words} mark but byte {bad[0]} is not "
                                f"valid {words.split(' ')[0]} (damaged?)")
    binary = _looks_binary(head)
    if binary is not None:
        raise _refuse(name, binary)
    bad = _valid_as(path, "utf-8")
    if bad is None:
        ascii_only = head.isascii() and size <= len(head)
        return "utf-8", "strict", "encoding UTF-8" + (" (plain ASCII)" if ascii_only else "")
    if bad[1]:
        return "utf-8", "replace", "encoding UTF-8; the file ends inside a character (cut short?)"
    return "cp1252", _C1_ERRORS, (f"encoding Windows-1252 assumed: byte {bad[0]} is not valid "
                                  "UTF-8 (a file saved by Excel on Windows?)")


def _first_line(stream: TextIO) -> str:
    return stream.readline(MAX_LINE)


def _count_outside_quotes(line: str) -> dict[str, int]:
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return counts


def sniff_delimiter(header_line: str) -> tuple[str, str]:
    """(delimiter, what to tell the person), from the header line."""
    counts = _count_outside_quotes(header_line)
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties: comma, then semicolon, then tab
    if counts[best] == 0:
        return ",", "delimiter: none found in the header line, so one column (comma assumed)"
    return best, f"delimiter {DELIMITERS[best]} (sniffed from the header line)"


def detect_format(path: Path, name: str, *, encoding: str | None = None,
                  delimiter: str | None = None) -> TextFormat:
    """Decide the encoding and delimiter; refuse a file that is not CSV at all."""
    if encoding is None:
        encoding, errors, enc_note = detect_encoding(path, name)
    else:
        check_regular_file(path, name)
        errors, enc_note = "strict", f"encoding {encoding} (as asked)"
    if delimiter is not None:
        if delimiter not in DELIMITERS:
            raise InvalidInput("the delimiter must be a comma, a semicolon or a tab",
                               field="delimiter")
        delim_note = f"delimiter {DELIMITERS[delimiter]} (as asked)"
        return TextFormat(encoding, delimiter, False, (enc_note, delim_note), errors)
    with open_text(path, encoding, errors) as stream:
        line = _first_line(stream)
        while line and not line.strip():
            line = _first_line(stream)
        stripped = line.strip()
        if stripped.lower().startswith("sep=") and len(stripped) == 5:
            sep = stripped[4]
            if sep in DELIMITERS:
                return TextFormat(encoding, sep, True, (
                    enc_note, f"delimiter {DELIMITERS[sep]} (from the file's sep= line)"),
                    errors)
        if not stripped:
            raise _refuse(name, "it has no header line (only blank lines)")
        delimiter, delim_note = sniff_delimiter(line)
    return TextFormat(encoding, delimiter, False, (enc_note, delim_note), errors)


def open_text(path: Path, encoding: str, errors: str = "strict") -> TextIO:
    # newline="": the csv module sees \r\n, \r and \n untouched, inside quotes too
    return open(path, encoding=encoding, errors=errors, newline="")


@dataclass
class _Lines:
    """The physical lines of a stream, counted, each cut at MAX_LINE characters."""

    stream: TextIO
    name: str
    count: int = 0
    overlong: list[int] = field(default_factory=list)
    nul: list[int] = field(default_factory=list)

    def __iter__(self) -> Iterator[str]:
        read = self.stream.readline
        while True:
            try:
                line = read(MAX_LINE)
            except UnicodeDecodeError:
                raise UnreadableFile(f"changed while it was read, or is not {self.stream.encoding}"
                                     f" after line {self.count}", file=self.name) from None
            if not line:
                return
            self.count += 1
            if len(line) == MAX_LINE and not line.endswith(("\n", "\r")):
                self.overlong.append(self.count)
                while True:  # skip the rest of this line without keeping it
                    more = read(MAX_LINE)
                    if not more or more.endswith(("\n", "\r")):
                        break
                line = "\n"
            if "\x00" in line:
                self.nul.append(self.count)
            yield line


@dataclass(frozen=True, slots=True)
class RawRow:
    line: int
    cells: list[str]


class Rows:
    """The rows of an open text stream: each a `RawRow` (its first physical line and its cells)
    or a `RowProblem`. Blank lines are skipped and counted in `blank`."""

    def __init__(self, stream: TextIO, delimiter: str, name: str, *, skip_first: bool = False):
        self.name = name
        self._lines = _Lines(stream, name)
        self._iter = iter(self._lines)
        if skip_first:
            next(self._iter, None)
        self._reader = csv.reader(self._iter, delimiter=delimiter, strict=True)
        self.blank = 0

    @property
    def lines_read(self) -> int:
        return self._lines.count

    def _flagged(self, found: list[int], first: int, last: int) -> int | None:
        while found and found[0] < first:
            found.pop(0)
        if found and found[0] <= last:
            return found.pop(0)
        return None

    def __iter__(self) -> Iterator[RawRow | RowProblem]:
        reader = self._reader
        lines = self._lines
        while True:
            first = lines.count + 1
            old = csv.field_size_limit(MAX_FIELD)
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield self._parse_problem(str(exc), first)
                continue
            finally:
                csv.field_size_limit(old)
            last = lines.count
            long_line = self._flagged(lines.overlong, first, last) if lines.overlong else None
            if long_line is not None:
                yield RowProblem(self.name, first, f"line {long_line} is longer than "
                                 f"{MAX_LINE:,} characters; the row is skipped")
                continue
            nul_line = self._flagged(lines.nul, first, last) if lines.nul else None
            if nul_line is not None:
                yield RowProblem(self.name, first, f"line {nul_line} contains a NUL byte "
                                 "(binary data in a text file?); the row is skipped")
                continue
            if not cells or not any(cells):
                self.blank += 1
                continue
            yield RawRow(first, cells)

    def _parse_problem(self, message: str, first: int) -> RowProblem:
        if "field larger than field limit" in message:
            why = (f"a value is longer than {MAX_FIELD:,} characters (a stray quote that runs "
                   "on, or data that is not text?); the row is skipped")
        elif "unexpected end of data" in message:
            why = ("the file ends inside a quoted value that starts here: it was cut short, or "
                   "a quote is not closed")
        elif "expected after" in message:
            why = ("a quote is out of place: a quoted value must be followed by the delimiter "
                   "(a stray quote inside a value must be doubled: \"\")")
        else:
            why = f"the row cannot be parsed ({message})"
        return RowProblem(self.name, first, why)


def header_problem(cells: list[str], name: str) -> str | None:
    """Why `cells` cannot be a header row, or None."""
    if len(cells) > MAX_COLUMNS:
        return f"the first line has {len(cells):,} columns; the limit is {MAX_COLUMNS:,}"
    for cell in cells:
        if len(cell) > MAX_HEADER_CELL:
            return (f"a header cell is {len(cell):,} characters long: the first line is not a "
                    "header row")
    return None


def printable(value: str, limit: int = 60) -> str:
    """A value as it can be shown in a report: shortened, NUL bytes made visible."""
    shown = value if len(value) <= limit else value[:limit] + "…"
    return shown.replace("\x00", "\\0")
