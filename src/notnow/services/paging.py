"""Pages by key: a list in a unique order goes on from where its last page ended.

An offset makes the database walk every row before the page (a page 945,000 contacts in took
1.2 s, one 377,849 rejections in 5.3 s: bench/bench_lists.py); a key goes straight to it through
the index the list is read from, as fast on the last page as on the first. Where a page ends
is given to the client as a token (``next_after``), which it gives back (``after``) for the
next page. The token names a position, nothing else: the list's own filters (what the actor
may see) still decide every row, so a made-up token shows nothing more than the list does.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, literal, tuple_

from notnow.errors import InvalidInput

T = TypeVar("T")

MAX_TOKEN = 2048
"""The longest token taken: a position holds a name of at most 300 characters (each up to 4
bytes of UTF-8: 1,200) and an id, in base64 (four characters for three bytes): at most 1,650."""


class Listed(list[T]):
    """A page of a list, which also knows where each of its rows stands in the list's order
    (as stored: the token of a page is built from the very values the database ordered by)."""

    def __init__(self, items: Iterable[T], positions: Iterable[tuple[Any, ...]]) -> None:
        super().__init__(items)
        self.positions = list(positions)


@dataclass(frozen=True)
class Keyset:
    """A list's order: its columns (the last one unique, the id), ascending or descending."""

    columns: tuple[Any, ...]
    descending: bool = False

    def order(self) -> list[Any]:
        return [c.desc() for c in self.columns] if self.descending else list(self.columns)

    def after(self, token: str | None, *, offset: int = 0) -> ColumnElement[bool] | None:
        """The condition "after the position ``token`` names" (None for no token). A page
        starts at an offset or after a token, not both."""
        if token is None:
            return None
        if offset:
            raise InvalidInput("give after or offset, not both", field="offset")
        values = self.decode(token)
        bound = [literal(v, c.type) for v, c in zip(values, self.columns, strict=True)]
        row, given = tuple_(*self.columns), tuple_(*bound)
        first = self.columns[0]
        # the first column's bound as well: an index that begins with it (but does not go on
        # with the others) then starts its scan there instead of filtering from the top
        if self.descending:
            return and_(first <= bound[0], row < given)
        return and_(first >= bound[0], row > given)

    def listed(self, rows: Iterable[tuple[T, Any]]) -> Listed[T]:
        """The items of (item, its stored row) pairs, with the row's position in the order."""
        pairs = list(rows)
        return Listed((item for item, _ in pairs),
                      (tuple(getattr(row, c.key) for c in self.columns) for _, row in pairs))

    @staticmethod
    def token(position: tuple[Any, ...]) -> str:
        """The token of a position in the order."""
        values = [v.isoformat() if isinstance(v, datetime) else v for v in position]
        raw = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode(self, token: str) -> tuple[Any, ...]:
        """The values a token holds, each checked against its column; a clear 422 otherwise."""
        wrong = InvalidInput("is not a place in this list: give back, as it was, the token "
                             "that the page before named (next_after)", field="after")
        if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN:
            raise wrong
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            if _nesting(raw) > 1:  # a token is a flat list: "[[[[…" never reaches the reader
                raise wrong
            values = json.loads(raw.decode())
        except (binascii.Error, ValueError):
            raise wrong from None
        if not isinstance(values, list) or len(values) != len(self.columns):
            raise wrong
        return tuple(_value(v, c, wrong) for v, c in zip(values, self.columns, strict=True))


def _nesting(raw: bytes) -> int:
    """How deep lists and objects nest in the JSON text ``raw``, outside its strings. JSON's
    reader reads each level by calling itself: 1,500 "[" ran it to Python's recursion limit,
    where anything else that ran meanwhile (a finalizer the collector called) failed too."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # "
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


def _value(value: Any, column: Any, wrong: InvalidInput) -> Any:
    kind = getattr(column.type, "impl", column.type).python_type  # a TypeDecorator's own
    if kind is int:
        if type(value) is not int or not 0 < value < 2**63:
            raise wrong
        return value
    if kind is datetime:
        try:
            at = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            at = None
        if at is None or at.tzinfo is None:
            raise wrong
        return at
    length = getattr(column.type, "length", None) or 300
    if not isinstance(value, str) or len(value) > length or "\x00" in value:
        raise wrong
    return value


def next_after(rows: Sequence[Any], limit: int) -> str | None:
    """The token of the page of ``limit`` rows, from a list asked for one more (None: the last
    page)."""
    if len(rows) <= limit:
        return None
    if not isinstance(rows, Listed):
        raise TypeError("a page by key needs the positions of its rows (Keyset.listed)")
    return Keyset.token(rows.positions[limit - 1])
