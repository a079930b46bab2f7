"""CSV files that are safe to open in a spreadsheet: the one place every CSV cell is made.

A cell whose text starts like a formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage return,
also after spaces, and their full-width forms) would be run by Excel, LibreOffice or Google
Sheets when the file is opened — a prospect's words or an account's name can carry
``=HYPERLINK(…)`` or worse. `safe_cell` prefixes such text with an apostrophe, which the
spreadsheet shows as text. Numbers stay numbers (``-2`` as an int is a value, not a formula).
Every CSV notnow writes — the report's tables, the files for CRMs — goes through it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from notnow.storage.files import open_private

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What a formula may start with: = + - @, tab, CR, and the full-width = + - @."""


def safe_cell(value: object) -> str:
    """A cell as text that no spreadsheet will run as a formula (None is empty)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime):
        text = value.isoformat(timespec="seconds")
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    text = text.replace("\x00", "")
    if text.startswith(FORMULA_START) or text.lstrip(" ").startswith(FORMULA_START[:4]):
        return "'" + text
    return text


def safe_row(row: Iterable[object]) -> list[str]:
    return [safe_cell(c) for c in row]


def write_csv(path: Path, header: Sequence[object], rows: Iterable[Iterable[object]], *,
              encoding: str = "utf-8") -> Path:
    """Write a CSV file (only its owner may read it: it holds people's words), every cell safe."""
    with open_private(path, "w", newline="", encoding=encoding) as fh:
        out = csv.writer(fh)
        out.writerow(safe_row(header))
        out.writerows(safe_row(row) for row in rows)
    return path
