"""Importing mail from files: ``.eml`` files, mbox files, Maildir folders, or folders of them.

Messages are streamed (`notnow.mail.iter_messages`), read in batches by `ingest.Ingest` for
the actor as the mail's owner, each committed with what it led to: an import killed half-way
and run again adds only what the first run did not commit, and a re-import adds nothing. A
message that cannot be read is reported (file, message number, why) and the rest goes on.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from typing import Any

from notnow.core.policy import Actor
from notnow.errors import InvalidInput, MailError
from notnow.mail.parse import parse_message
from notnow.mail.sources import RawMessage, iter_messages
from notnow.mail.state import Origin
from notnow.services.mail.ingest import Ingest, Item, Tally, reader_for
from notnow.services.workspace import Workspace

BATCH = 200
MAX_PATHS = 1000


def import_files(ws: Workspace, actor: Actor, paths: Sequence[str | os.PathLike[str]], *,
                 everything: bool = False,
                 progress: Callable[[Tally], None] | None = None) -> dict[str, Any]:
    """Read every message in `paths` as the actor's mail; returns what was done, counted,
    with the messages that could not be read."""
    if not paths:
        raise InvalidInput("give at least one file or folder", field="paths")
    if len(paths) > MAX_PATHS:
        raise InvalidInput(f"at most {MAX_PATHS} paths at a time (give their folder)",
                           field="paths")
    started = time.monotonic()
    with ws.db.read() as s:
        reader = reader_for(s, actor, everything=everything)
    ingest = Ingest(ws, reader, progress=progress)
    items: list[Item] = []
    for got in iter_messages(paths):
        origin = Origin(source=got.source, number=got.number)
        if not isinstance(got, RawMessage):
            ingest.batch(items)
            items = []
            ingest.broken(origin, got.why)
            continue
        try:
            items.append((parse_message(got.data, source=got.source, number=got.number),
                          origin, None))
        except MailError as exc:
            ingest.batch(items)
            items = []
            ingest.broken(origin, str(exc.details.get("why") or exc.message))
            continue
        if len(items) >= BATCH:
            ingest.batch(items)
            items = []
    ingest.batch(items)
    tally = ingest.close()
    return {**tally.as_dict(), "seconds": round(time.monotonic() - started, 3)}
