"""What a page form does with a refused submission: it comes back with what was typed, and the
problem is said next to its field, in the words of the page.

A service names the field at fault (``InvalidInput(field=…)``) and may word its message for the
command line ("give the prospect's words (--text) or a label (--label)"); :func:`problem` turns
that into a sentence for the page, under the form's own name for the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from notnow.errors import NotnowError

_FLAG = re.compile(r"\s*\(--[a-z][a-z-]*\)|\s*--[a-z][a-z-]*")
_PREFIX = re.compile(r"^field '[^']*':\s*")
_BLANK = ("field required", "string should have at least", "input should be a valid string")


def _generic(message: str) -> bool:
    """A message worded for the command line, or a bare "missing": the page says its own."""
    bare = _PREFIX.sub("", message).lower()
    return bool(_FLAG.search(message)) or bare.startswith(_BLANK)


@dataclass(frozen=True)
class Problem:
    """A refused submission: which field (as the form names it; None: the whole form) and what
    to say next to it."""

    field: str | None
    message: str


def problem(exc: NotnowError, *, fields: Mapping[str, str] | None = None,
            words: Mapping[str, str] | None = None) -> Problem:
    """The page's problem for ``exc``: ``fields`` maps a service's field name to the form's
    (e.g. ``account_id`` → ``account``), ``words`` a form field to the sentence the page says
    when the service's message is worded for the command line or only says "missing". No
    command-line flag is ever shown."""
    field = exc.field
    if field is not None and fields:
        field = fields.get(field, field)
    if field is not None and words and field in words and _generic(exc.message):
        return Problem(field, words[field])
    text = _FLAG.sub("", exc.message).strip()
    text = _PREFIX.sub("", text)
    return Problem(field, text[:1].upper() + text[1:] if text else "That did not work.")
