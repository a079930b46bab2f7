"""Rendering for the CLI: readable tables by default, JSON with --json. NO_COLOR is honoured."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import typer

JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")


def to_jsonable(value: Any) -> Any:
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
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
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


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
    from rich.table import Table
    from rich.text import Text

    rows = list(rows)
    out = console()
    if not rows:
        out.print(empty)
        return
    t = Table(title=title, title_justify="left", header_style="bold")
    for header, _ in columns:
        t.add_column(header, overflow="fold")
    for row in rows:
        values = []
        for _, getter in columns:
            v = getter(row) if callable(getter) else getattr(row, getter, None)
            values.append(Text(cell(v)))  # the user's text as written: no markup, no emoji
        t.add_row(*values)
    out.print(t)


def fields(obj: Any, names: Sequence[str], *, title: str | None = None) -> None:
    """A record as 'field: value' lines."""
    out = console()
    if title:
        out.print(f"[bold]{title}[/bold]")
    data = obj.model_dump() if hasattr(obj, "model_dump") else dict(obj)
    width = max(len(n) for n in names)
    for n in names:
        v = data.get(n)
        if v in (None, "", []):
            continue
        out.print(f"  {n.replace('_', ' '):<{width}}  {cell(v)}", markup=False)


def ok(message: str) -> None:
    console(stderr=True).print(message, markup=False)
