"""The agenda, kept between requests until the data changes — in every web process.

Ranking the day's follow-ups reads several tables; the agenda page is opened far more often
than anything is written. A result is reused while the day, the owner filter and the data
version are the same. The data version says whether anything committed since, by any process
on any machine:

- SQLite: this process's commit count, and the database and WAL files' size and modification
  time (a write by the CLI or a second server changes them).
- PostgreSQL: the server's transaction snapshot (``txid_current_snapshot()``: the oldest
  running transaction, the next id, the ones in progress). Two equal snapshots see exactly the
  same committed data, and any commit anywhere changes it, so nothing a write path has to
  remember to bump and nothing to listen for. One round trip per request, no table read.

A value is stored only if the version is the same after computing it, so it is never older
than its key.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import event

from notnow.services.followups.agenda import ranked_agenda
from notnow.services.schemas import AgendaItem
from notnow.services.workspace import Workspace

MAX_ENTRIES = 256
T = TypeVar("T")


class AgendaCache:
    def __init__(self, ws: Workspace) -> None:
        self._path = ws.db.path
        self._engine = ws.db.engine
        self._postgres = self._engine.dialect.name == "postgresql"
        self._commits = 0
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        if self._path is not None:
            event.listen(ws.db.engine, "commit", self._bump)

    def _bump(self, _conn: Any) -> None:
        with self._lock:
            self._commits += 1

    def version(self) -> tuple[Any, ...] | None:
        if self._postgres:
            with self._engine.connect() as conn:
                return (conn.exec_driver_sql("SELECT txid_current_snapshot()::text").scalar(),)
        if self._path is None:
            return None
        parts: list[Any] = [self._commits]
        for suffix in ("", "-wal"):
            try:
                st = os.stat(f"{self._path}{suffix}")
                parts += [st.st_mtime_ns, st.st_size]
            except OSError:
                parts += [None, None]
        return tuple(parts)

    def get(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """The value for `key` at the current data version, computed once per version."""
        before = self.version()
        if before is None:
            return compute()
        full = (*key, before)
        with self._lock:
            if full in self._entries:
                self._entries.move_to_end(full)
                return self._entries[full]  # type: ignore[no-any-return]
        value = compute()
        if self.version() == before:  # nothing was written while it was computed
            with self._lock:
                self._entries[full] = value
                while len(self._entries) > MAX_ENTRIES:
                    self._entries.popitem(last=False)
        return value

    def agenda(self, ws: Workspace, day: date, owners: tuple[int, ...] | None, *,
               limit: int = 200) -> list[AgendaItem]:
        """The agenda of ``owners``' follow-ups (checked by the caller with
        :func:`notnow.services.followups.agenda.agenda_owners`)."""
        return self.get(("agenda", day, owners, limit),
                        lambda: ranked_agenda(ws, day, owners, limit=limit))
