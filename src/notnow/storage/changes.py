"""What each write changed, for the caches of every web process (PostgreSQL).

Every write transaction of notnow (:meth:`notnow.storage.engine.Database.write`) appends one
row to ``notnow_data_changes`` in the same transaction, just before it commits: its
transaction id and what it touched — the accounts whose records it wrote, or *everything*.
A web process reads the rows committed since it last looked (:class:`ChangeFeed`), in the
one round trip a request already makes, and lets go only of what those rows name
(``web.agenda_cache``): a rejection logged for one account no longer empties the cached pages
of the other fifty.

What a write touched is read from what it executed, so no write path has to declare it:

- a row the ORM flushes, of a table whose rows belong to one account (:data:`BY_ACCOUNT`):
  that account, before and after the change; a row of such a table with no account:
  everything (audit events excepted: one with no account shows on no account's page); a
  contact added, removed, or given another owner or account: everything (who may read an
  account follows from its contacts' owners, and other accounts' pages name it);
- a row of a table that no cached read reads (:data:`UNSEEN`: jobs, sign-in failures,
  idempotency keys, delivery logs…): nothing — a test pins that no cached read reads them;
- a Core statement whose writer names the accounts of every row it changes
  (``.execution_options(**touching(accounts))``, as the replacement of open follow-ups
  does): those accounts;
- every other write — accounts, people, settings, the suppression list, and any INSERT,
  UPDATE or DELETE not made by the ORM's flush (Core statements, bulk imports, raw SQL):
  everything.

Erring is only ever towards *everything*: a wider invalidation costs a recomputation, never
a stale page.

Which rows a reader has seen is decided by PostgreSQL's own visibility, not by counting: a
reader keeps the transaction snapshot of its last look, and the next look returns the rows
visible in the new snapshot and not in the kept one (``txid_visible_in_snapshot``). A
transaction still committing when one look is taken is in neither and shows at a later look;
nothing is skipped, nothing needs a timeout. Rows are pruned by writers 15 minutes after they
were written; a reader that has not looked for 10 minutes lets go of everything instead of
reading them.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Any

from sqlalchemy import Engine, event, inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

TABLE = "notnow_data_changes"
log = logging.getLogger(__name__)
KEY = "notnow.changes"
"""Where a write transaction's connection collects what it touched (``Connection.info``)."""
EVERYTHING = "*"
TOUCHING = "notnow_touches"

BY_ACCOUNT = frozenset({
    "contacts", "deals", "rejections", "touches", "followups", "signals", "journal_entries",
    "trash", "audit_events"})
"""Tables whose every row belongs to one account (``account_id``): writing one touches it."""

NO_ACCOUNT_SHOWS_NOWHERE = frozenset({"audit_events"})
"""Of those, tables whose rows without an account are shown on no cached page."""

UNSEEN = frozenset({
    TABLE, "jobs", "idempotency_keys", "login_failures", "webhook_deliveries", "digest_log",
    "import_changes", "import_batches", "external_ids", "mail_folders_state", "mail_messages",
    "insight_figures", "calendar_events", "caldav_events", "report_stale", "cap_hits",
    "contact_facts", "report_basis"})
"""Tables no cached read reads (``tests/web/test_web_coherence.py`` records the statements
of every cached read and checks): writing them invalidates nothing."""

PRUNE_AFTER = "15 minutes"
STALE_READER = 600.0
"""Seconds after which a reader lets go of everything rather than read the rows since."""

_DML = re.compile(r"^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?([A-Za-z_]\w*)", re.I)
_READ = frozenset({"SELECT", "SET", "SHOW", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN",
                   "COMMIT", "LOCK", "ANALYZE", "EXPLAIN", "VALUES"})
_WRITES = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE|TRUNCATE|COPY)\b", re.I)
_TEMP = re.compile(r"^\s*CREATE\s+TEMP(ORARY)?\s+TABLE\b", re.I)
_FOR_UPDATE = re.compile(r"\bFOR\s+(NO\s+KEY\s+)?UPDATE\b", re.I)


def statement_touches(statement: str) -> str | None:
    """What a statement executed outside the ORM's flush touches: None (it writes nothing
    that a cached read shows) or :data:`EVERYTHING`."""
    if _TEMP.match(statement) and not _WRITES.search(statement):
        return None  # a table of this connection's own, gone when it ends
    head = _DML.match(statement)
    if head is not None:
        return None if head.group(2).lower() in UNSEEN else EVERYTHING
    words = statement.split(None, 1)
    first = words[0].upper() if words else ""
    if first in _READ:
        return None
    if first == "WITH" and not _WRITES.search(_FOR_UPDATE.sub("", statement)):
        return None
    return EVERYTHING


def row_touches(obj: Any, *, added: bool = False, removed: bool = False) -> set[Any]:
    """What one row the ORM flushes (``added``, ``removed`` or changed) touches: account ids,
    :data:`EVERYTHING`, or nothing."""
    table = getattr(obj, "__tablename__", None)
    if table in UNSEEN:
        return set()
    if table not in BY_ACCOUNT:
        return {EVERYTHING}
    state = inspect(obj)
    if table == "contacts" and (
            added or removed or state.attrs.owner_id.history.has_changes()
            or state.attrs.account_id.history.has_changes()):
        return {EVERYTHING}  # who may read an account follows from its contacts' owners
    history = state.attrs.account_id.history
    values = set(chain(history.added or (), history.unchanged or (), history.deleted or ()))
    if not values:
        return {EVERYTHING}  # not loaded: unknown
    if None in values:
        values.discard(None)
        if table not in NO_ACCOUNT_SHOWS_NOWHERE:
            return {EVERYTHING}
    return {int(v) for v in values}


class Touched:
    """What one write transaction has touched so far."""

    def __init__(self) -> None:
        self.everything = False
        self.accounts: set[int] = set()
        self.flushing = False

    def add(self, what: Iterable[Any]) -> None:
        for item in what:
            if item == EVERYTHING:
                self.everything = True
                self.accounts.clear()
                return
            if not self.everything:
                self.accounts.add(item)

    def __bool__(self) -> bool:
        return self.everything or bool(self.accounts)


def install(factory: sessionmaker[Session], engine: Engine) -> None:
    """Collect what the write sessions of ``factory`` touch (PostgreSQL)."""
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "after_flush_postexec", _after_flush_postexec)
    if not getattr(engine, "_notnow_changes", False):
        event.listen(engine, "before_cursor_execute", _before_cursor_execute)
        engine._notnow_changes = True  # type: ignore[attr-defined]


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    seen = session.info.get(KEY)
    if seen is not None:
        seen.flushing = True


def _after_flush(session: Session, _ctx: Any) -> None:
    seen = session.info.get(KEY)
    if seen is None:
        return
    for rows, added, removed in ((session.new, True, False), (session.dirty, False, False),
                                 (session.deleted, False, True)):
        for obj in rows:
            if seen.everything:
                return
            touches = row_touches(obj, added=added, removed=removed)
            if EVERYTHING in touches:
                log.debug("everything: a row of %s (added %s, removed %s)",
                          getattr(obj, "__tablename__", obj), added, removed)
            seen.add(touches)


def _after_flush_postexec(session: Session, _ctx: Any) -> None:
    seen = session.info.get(KEY)
    if seen is not None:
        seen.flushing = False


def _before_cursor_execute(conn: Any, _cursor: Any, statement: str, _params: Any,
                           context: Any, _many: bool) -> None:
    seen = conn.info.get(KEY)
    if seen is None or seen.everything:
        return
    options = context.execution_options if context is not None else {}
    if seen.flushing and "compiled_cache" in options:
        return  # the ORM's unit of work: its rows are read in _after_flush
    if TOUCHING in options:
        seen.add(options[TOUCHING])
        return
    if statement_touches(statement) is not None:
        log.debug("everything: %.200s", statement)
        seen.everything = True


def touching(accounts: Iterable[int]) -> dict[str, Any]:
    """Execution options for a statement whose writer knows which accounts' rows it changes
    (every one of them): only those are touched, not everything."""
    return {TOUCHING: tuple(sorted({int(a) for a in accounts}))}


def begin(session: Session) -> Any:
    """Start collecting for a write transaction; its connection."""
    seen = Touched()
    session.info[KEY] = seen
    conn = session.connection()
    conn.info[KEY] = seen
    return conn


def record(session: Session, conn: Any) -> None:
    """Flush, then append what this transaction touched (before it commits: the row and the
    data commit together)."""
    session.flush()
    seen = forget(session, conn)
    if not seen:
        return
    accounts = [] if seen.everything else sorted(seen.accounts)
    version = conn.exec_driver_sql(
        f"INSERT INTO {TABLE} (xid, everything, accounts, at) "
        "VALUES (txid_current(), %(everything)s, %(accounts)s, clock_timestamp()) "
        "RETURNING id", {"everything": seen.everything, "accounts": accounts}).scalar_one()
    if version % 256 == 0:
        conn.exec_driver_sql(
            f"DELETE FROM {TABLE} WHERE at < clock_timestamp() - interval '{PRUNE_AFTER}'")


def forget(session: Session, conn: Any) -> Touched | None:
    """Stop collecting (the transaction is ending); what was collected."""
    session.info.pop(KEY, None)
    return conn.info.pop(KEY, None)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Change:
    """One committed write: everything, or these accounts."""

    everything: bool
    accounts: tuple[int, ...] = ()


EVERYTHING_CHANGED = Change(True)


class ChangeFeed:
    """The writes committed since this process last looked (PostgreSQL), in one round trip.

    One look at a time (:meth:`poll`); the kept snapshot moves only once the rows visible in
    the new one have been handed out."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._turn = threading.Condition()
        self._running = False
        self._started = self._finished = 0
        self._result: Any = None
        self._snapshot: str | None = None
        self._looked = 0.0
        self._table: bool | None = None

    def poll(self, apply: Callable[[list[Change]], Any]) -> Any:
        """Read the writes committed since the last look and hand them to ``apply`` before
        the kept snapshot moves past them; what ``apply`` returns.

        One look at a time: a caller that arrives while a look is under way waits for the
        next one, which starts after it arrived (so it sees every write committed before
        then) and serves every caller that arrived meanwhile — one round trip for a whole
        burst of requests, on one connection."""
        with self._turn:
            wanted = self._started + 1  # a look that starts after this call began
            while self._finished < wanted:
                if not self._running:
                    self._running = True
                    self._started += 1
                    mine = self._started
                    break
                self._turn.wait()
            else:
                return self._result
        try:
            result = self._look(apply)
        except BaseException:
            with self._turn:
                self._running = False
                self._turn.notify_all()
            raise
        with self._turn:
            self._running = False
            self._finished, self._result = mine, result
            self._turn.notify_all()
        return result

    def _look(self, apply: Callable[[list[Change]], Any]) -> Any:
        """One look (only the caller :meth:`poll` lets run touches the kept snapshot)."""
        kept = self._snapshot
        stale = kept is not None and time.monotonic() - self._looked > STALE_READER
        snapshot, changes = self._read(None if stale else kept)
        if kept is None or stale:
            changes = [EVERYTHING_CHANGED]
        result = apply(changes)
        self._snapshot, self._looked = snapshot, time.monotonic()
        return result

    def _read(self, kept: str | None) -> tuple[str, list[Change]]:
        try:
            return self._query(kept)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            return self._query(kept)  # the server restarted: a new connection

    def _query(self, kept: str | None) -> tuple[str, list[Change]]:
        with self._engine.connect() as conn:
            if self._table is None:
                self._table = conn.exec_driver_sql(
                    f"SELECT to_regclass('{TABLE}') IS NOT NULL").scalar_one()
            if kept is None or not self._table:
                now = conn.exec_driver_sql("SELECT txid_current_snapshot()::text").scalar_one()
                if self._table or kept is None or now == kept:
                    return now, []
                return now, [EVERYTHING_CHANGED]  # not upgraded yet: any commit anywhere
            rows = conn.exec_driver_sql(
                f"WITH s AS (SELECT txid_current_snapshot() AS now, "
                f"CAST(%(kept)s AS txid_snapshot) AS kept) "
                f"SELECT s.now::text, c.everything, c.accounts FROM s LEFT JOIN {TABLE} c "
                f"ON c.xid >= txid_snapshot_xmin(s.kept) "
                f"AND txid_visible_in_snapshot(c.xid, s.now) "
                f"AND NOT txid_visible_in_snapshot(c.xid, s.kept)", {"kept": kept}).all()
        changes = [Change(bool(r[1]), tuple(r[2] or ())) for r in rows if r[1] is not None]
        return rows[0][0], changes
