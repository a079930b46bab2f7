"""The agenda, kept between requests until the data changes — in every web process.

Ranking the day's follow-ups reads several tables; the agenda page is opened far more often
than anything is written. A result is reused while the day, the owner filter and the data
version are the same. The data version says whether anything committed since, by any process
on any machine:

- SQLite: this process's commit count, and the database and WAL files' size and modification
  time (a write by the CLI or a second server changes them).
- PostgreSQL: the database's data version, a sequence that every write transaction advances
  once it has committed (``storage.engine.Database.write``): commits in other databases of the
  same server, or reads, change nothing. (Where the sequence is missing — a database not
  upgraded yet — the server's transaction snapshot, ``txid_current_snapshot()``, which any
  commit anywhere changes.) One round trip per request: on a connection of its own small
  pool, in autocommit (no BEGIN, no ROLLBACK) and without the workspace pool's ping before
  each checkout (a dropped connection is retried once instead).

A value is stored only if the version is the same after computing it, so it is never older
than its key.

A request asks for the version once (:meth:`AgendaCache.request_version`, kept on
``request.state`` until this process commits something) and every read it makes from the
cache — who is signed in, the agenda, its rendered rows, an account — is keyed by that one
version: a page served from the cache costs one round trip to the database. Entries that
also depend on the clock (a session expires) are given a ``ttl``.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, ProgrammingError

from notnow.services.followups.agenda import ranked_agenda
from notnow.services.schemas import AgendaItem
from notnow.services.workspace import Workspace
from notnow.storage.engine import data_version

MAX_ENTRIES = 1024
T = TypeVar("T")
_UNSET: Any = object()


class AgendaCache:
    def __init__(self, ws: Workspace) -> None:
        self._path = ws.db.path
        self._engine = ws.db.engine
        self._postgres = self._engine.dialect.name == "postgresql"
        self._versions: Engine | None = None
        self._sequence = True
        if self._postgres:
            self._versions = create_engine(self._engine.url, pool_size=2, max_overflow=6,
                                           isolation_level="AUTOCOMMIT")
            weakref.finalize(self, self._versions.dispose)  # closed with the cache at the latest
        self._commits = 0
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[Any, ...], tuple[Any, float | None]] = OrderedDict()
        if self._path is not None or self._postgres:
            event.listen(ws.db.engine, "commit", self._bump)

    def _bump(self, _conn: Any) -> None:
        with self._lock:
            self._commits += 1

    def version(self) -> tuple[Any, ...] | None:
        if self._versions is not None:
            try:
                return self._snapshot(self._versions)
            except DBAPIError as exc:
                if not exc.connection_invalidated:
                    raise
                return self._snapshot(self._versions)  # the server restarted: a new connection
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

    def _snapshot(self, engine: Engine) -> tuple[Any, ...]:
        with engine.connect() as conn:
            if self._sequence:
                try:
                    return (data_version(conn),)
                except ProgrammingError:  # no sequence: a database not upgraded yet
                    self._sequence = False
            return (conn.exec_driver_sql("SELECT txid_current_snapshot()::text").scalar(),)

    def close(self) -> None:
        if self._versions is not None:
            self._versions.dispose()

    def request_version(self, request: Any) -> tuple[Any, ...] | None:
        """The data version for this request, asked of the database once per request — and
        again after this process committed anything (the request's own writes, say)."""
        state = request.state
        found = getattr(state, "data_version", None)
        if found is None or found[0] != self._commits:
            found = (self._commits, self.version())
            state.data_version = found
        return found[1]

    def get(self, key: tuple[Any, ...], compute: Callable[[], T], *,
            version: Any = _UNSET, ttl: float | None = None) -> T:
        """The value for `key` at the current data version (or at `version`, the request's),
        computed once per version; with `ttl`, kept at most that many seconds."""
        before = self.version() if version is _UNSET else version
        if before is None:
            return compute()
        full = (*key, before)
        with self._lock:
            found = self._entries.get(full)
            if found is not None and (found[1] is None or found[1] > time.monotonic()):
                self._entries.move_to_end(full)
                return found[0]  # type: ignore[no-any-return]
        value = compute()
        if self.version() == before:  # nothing was written while it was computed
            expires = None if ttl is None else time.monotonic() + ttl
            with self._lock:
                self._entries[full] = (value, expires)
                while len(self._entries) > MAX_ENTRIES:
                    self._entries.popitem(last=False)
        return value

    def agenda(self, ws: Workspace, day: date, owners: tuple[int, ...] | None, *,
               limit: int = 200, version: Any = _UNSET) -> list[AgendaItem]:
        """The agenda of ``owners``' follow-ups (checked by the caller with
        :func:`notnow.services.followups.agenda.agenda_owners`)."""
        return self.get(("agenda", day, owners, limit),
                        lambda: ranked_agenda(ws, day, owners, limit=limit), version=version)
