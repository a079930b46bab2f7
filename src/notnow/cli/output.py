"""Rendering for the CLI: readable tables by default, JSON with --json. NO_COLOR is honoured."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import typer

JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")
OFFSET_OPTION = typer.Option(0, "--offset", min=0, max=10_000_000,
                             help="How many to skip: the next page is --offset LIMIT.")


def limit_option(default: int, help: str = "How many at most.") -> Any:
    return typer.Option(default, "--limit", min=1, max=10_000, help=help)


AFTER_OPTION = typer.Option(None, "--after", help="Where the page before ended (the token it "
                            "named): the page after it, as fast deep in a long list as at its "
                            "start. Not with --offset.")


def page_of(rows: list[Any], limit: int, offset: int, what: str, *,
            after: str | None = None, keyed: bool = False) -> list[Any]:
    """The rows asked for, from a service asked for one more: when there are more, say so on
    stderr (never in the table or the JSON) and how to get them — by offset, and (``keyed``:
    a list in a unique order) by the token of where this page ended."""
    if len(rows) > limit:
        ways = [] if after is not None else [f"--offset {offset + limit}"]
        if keyed:
            from notnow.services.paging import next_after

            ways.append(f"--after {next_after(rows, limit)}")
        typer.echo(f"(more {what}: the next {limit} with {', or '.join(ways)})", err=True)
    return rows[:limit]


def to_jsonable(value: Any) -> Any:
    if hasattr(value, "model_dump"):  # a Pydantic model (not imported to ask: see item.py)
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "to_json"):
        return value.to_json()
    return value


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2) + "\n")


def console(stderr: bool = False) -> Any:
    """Where a command prints lines: Rich (bold, colour, wrapped to the width) on a terminal
    or with ``FORCE_COLOR``; otherwise — a pipe, a file, a script — :class:`PlainConsole`:
    the same words, one line each, without importing Rich (a fifth of a short command's
    output time)."""
    stream = sys.stderr if stderr else sys.stdout
    if not stream.isatty() and not os.environ.get("FORCE_COLOR"):
        return PlainConsole(stream, stderr=stderr)
    return rich_console(stderr)


def rich_console(stderr: bool = False) -> Any:
    """Rich's own console (a progress bar needs it, even when it shows nothing)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False, emoji=False)


_MARKUP_TAG = re.compile(r"(\\*)\[([a-z#/@][^\[\]]*?)\]")
"""A Rich markup tag (``[bold]``, ``[/bold red]``) and the backslashes before it."""
_TO_ESCAPE = re.compile(r"(\\*)\[(?:([a-z#/@][^\[\]]*?)\])?|(\\+)$")


def escape(text: str) -> str:
    """``text`` (a name, the prospect's words) shown as written inside a line with markup:
    whatever reads as a tag is escaped (a closing tag in a name stopped a command), and so
    are the backslashes that would change it. Exact where the text is followed by a tag or by
    markup-free text, unless it ends in a backslash and text follows (then that backslash is
    shown twice)."""
    def one(m: re.Match[str]) -> str:
        slashes, tag, trailing = m.group(1), m.group(2), m.group(3)
        if trailing is not None:  # before a tag, they would escape it
            return trailing * 2
        if tag is not None:  # a tag: each backslash doubled, then one to escape it
            return slashes * 2 + "\\[" + tag + "]"
        return slashes + ("\\" if slashes else "") + "["  # Rich drops one before a bracket
    return _TO_ESCAPE.sub(one, text)


def strip_markup(text: str) -> str:
    """``text`` as Rich shows it (without emoji codes) with the style left out: tags
    dropped, an escaped tag shown as text, and one backslash before any other bracket
    dropped."""
    if "[" not in text:
        return text
    out: list[str] = []
    position = 0
    for m in _MARKUP_TAG.finditer(text):
        out.append(text[position:m.start()].replace("\\[", "["))
        literal, escaped = divmod(len(m.group(1)), 2)  # two make one; one left escapes the tag
        out.append("\\" * literal + (f"[{m.group(2)}]" if escaped else ""))
        position = m.end()
    out.append(text[position:].replace("\\[", "["))
    return "".join(out)


class PlainConsole:
    """The part of Rich's `Console` the commands use, as plain text: ``print(text,
    markup=...)`` writes the text as one line, markup removed, control characters shown as
    escapes (:func:`_printable`: words from outside cannot drive the terminal). Anything but
    text (a Rich table) is handed to Rich."""

    def __init__(self, stream: Any, *, stderr: bool = False) -> None:
        self.stream = stream
        self.stderr = stderr

    def print(self, value: Any = "", *, markup: bool = True) -> None:
        if not isinstance(value, str):
            rich_console(self.stderr).print(value)
            return
        self.stream.write(_printable(strip_markup(value) if markup else value) + "\n")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return "yes" if value else ""
    return str(getattr(value, "value", value))


def table(rows: Iterable[Any], columns: Sequence[tuple[str, str | Callable[[Any], Any]]],
          *, title: str | None = None, empty: str = "Nothing to show.") -> None:
    """Rows as an aligned plain-text table that fits the terminal (``COLUMNS``; 80 when not a
    terminal): long cells wrap inside their column. Written directly, not through Rich — a
    table of a few hundred rows costs milliseconds instead of a third of a second, and a
    command that prints one does not import Rich."""
    rows = list(rows)
    out = sys.stdout
    if title:
        out.write(title + "\n")
    if not rows:
        out.write(empty + "\n")
        return
    grid = [[_printable(cell(getter(row) if callable(getter) else getattr(row, getter, None)))
             for _, getter in columns] for row in rows]
    out.write(layout([h for h, _ in columns], grid, shutil.get_terminal_size((80, 24)).columns))


GAP = "  "


def layout(headers: Sequence[str], grid: Sequence[Sequence[str]], width: int) -> str:
    """The table's text: a header line, a rule, then each row, its cells wrapped to their
    column's width (rows set apart by an empty line when any takes several). Columns wider
    than their share of ``width`` are narrowed, the widest first, down to 10 cells (the table
    may then be wider than ``width``)."""
    natural = [max([_width(h)] + [_width(part) for row in grid for part in
                                  row[i].split("\n")]) for i, h in enumerate(headers)]
    widths = _fit(natural, width - len(GAP) * (len(headers) - 1))
    rows = [[_wrap(text, w) for text, w in zip(row, widths, strict=True)] for row in grid]
    spaced = any(len(c) > 1 for row in rows for c in row)  # rows of several lines: set apart
    head = [_wrap(h, w) for h, w in zip(headers, widths, strict=True)]
    lines = [_line(head, widths), GAP.join("-" * w for w in widths)]
    for i, row in enumerate(rows):
        if spaced and i:
            lines.append("")
        lines.append(_line(row, widths))
    return "\n".join(lines) + "\n"


def _fit(natural: list[int], room: int, least: int = 10) -> list[int]:
    """Column widths: the natural ones when they fit in ``room``, else each capped at the
    largest cap that fits (never below ``least``, nor above its natural width)."""
    if sum(natural) <= room:
        return natural
    lo, hi = 0, max(natural)
    while lo < hi:  # the largest cap whose widths fit
        cap = (lo + hi + 1) // 2
        if sum(min(n, max(cap, least)) for n in natural) <= room:
            lo = cap
        else:
            hi = cap - 1
    return [min(n, max(lo, least)) for n in natural]


def _line(cells: list[list[str]], widths: list[int]) -> str:
    """One row (as many lines as its tallest cell), each cell padded to its column."""
    height = max(len(c) for c in cells)
    out = []
    for k in range(height):
        parts = [(c[k] if k < len(c) else "") for c in cells]
        text = GAP.join(p + " " * (w - _width(p)) for p, w in zip(parts, widths, strict=True))
        out.append(text.rstrip())
    return "\n".join(out)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells: at spaces where it can, within a word
    where a word is longer than the line."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            candidate = f"{line} {word}" if line else word
            if _width(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while _width(word) > width:  # a word wider than the column: folded
                cut = _cut(word, width)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def _cut(word: str, width: int) -> int:
    """How many characters of ``word`` fill ``width`` cells (at least one)."""
    used = 0
    for i, ch in enumerate(word):
        used += _char_width(ch)
        if used > width:
            return max(i, 1)
    return len(word)


def _width(text: str) -> int:
    """Terminal cells ``text`` takes (wide East Asian characters two, combining marks none)."""
    return len(text) if text.isascii() else sum(_char_width(ch) for ch in text)


def _char_width(ch: str) -> int:
    if ch.isascii():
        return 1
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _printable(text: str) -> str:
    """A cell as it is safe to print: line breaks kept, tabs as a space, every other control
    character shown as an escape (a name from a hostile file cannot move the cursor, clear
    the screen or retitle the terminal)."""
    if text.isprintable():
        return text
    out = []
    for ch in text.replace("\r\n", "\n").replace("\t", " "):
        if ch == "\n" or ch.isprintable() or unicodedata.category(ch) in ("Zs", "Mn", "Me"):
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def fields(obj: Any, names: Sequence[str], *, title: str | None = None) -> None:
    """A record as 'field: value' lines."""
    out = console()
    if title:
        out.print(f"[bold]{escape(title)}[/bold]")
    data = obj.model_dump() if hasattr(obj, "model_dump") else dict(obj)
    width = max(len(n) for n in names)
    for n in names:
        v = data.get(n)
        if v in (None, "", []):
            continue
        out.print(f"  {n.replace('_', ' '):<{width}}  {cell(v)}", markup=False)


def ok(message: str) -> None:
    console(stderr=True).print(message, markup=False)
