"""The agenda and other hot reads, kept between requests until the data they show changes —
in every web process.

Ranking the day's follow-ups reads several tables; the agenda page is opened far more often
than anything is written. A value is reused until a write that may change it has committed,
by any process on any machine. Each process counts the writes it has learnt of (its *tick*)
and remembers, for each account, the tick of the last write that touched it; a value is kept
with the tick it was computed at and the accounts it shows:

- a value that depends on the whole workspace (the agenda, its rows, the team list) is good
  until any write after it;
- a value that shows one account (the account page, the API's account and contact) is good
  until a write that touched that account, or everything;
- who is signed in, until a write that touched everything (people, tokens and sessions are
  "everything" writes).

How a process learns of writes:

- PostgreSQL: every write transaction appends what it touched to ``notnow_data_changes`` as it
  commits (:mod:`notnow.storage.changes`), and a request reads the rows committed since this
  process last looked (:class:`notnow.storage.changes.ChangeFeed`): one round trip for the
  requests that arrive while a look is under way (GETs look from the event loop,
  :meth:`AgendaCache.alook`), on a connection of its own small pool, in autocommit and
  without the workspace pool's ping. Commits in other databases of the same server change nothing.
- SQLite: this process's commit count, and the database and WAL files' size and modification
  time (a write by the CLI or a second server changes them): any change touches everything.

When several requests ask for a value that is not kept, one computes it and the others wait
for it — provided it was asked for at a tick no older than theirs (its data is then at least
as new as what they must show); a request that needs newer data waits for the next
computation, which starts when the running one ends and serves every request queued for it.
One computation of a key at a time in a process (:class:`Flights`, which the kept answers of
:mod:`notnow.web.answers` use too): after a write, fifty readers of the agenda rank it once,
not fifty times, and writes coming faster than a ranking cannot pile up rankings.

A request looks once (:meth:`AgendaCache.request_version`, kept on ``request.state`` until
this process commits something) and every read it makes from the cache is checked against
that one tick; a value computed during the request is kept with that tick, so a write that
commits while it is computed makes it old at once. Entries that also depend on the clock (a
session expires) are given a ``ttl``.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import Engine, create_engine, event

from notnow.services.followups.agenda import Ranking, rank, rerank
from notnow.services.followups.item import AgendaItem
from notnow.services.workspace import Workspace
from notnow.storage.changes import Change, ChangeFeed
from notnow.storage.engine import poolable

MAX_ENTRIES = 1024
RANKINGS_KEPT = 64
"""Rankings kept to be brought up to date (`AgendaCache.agenda`)."""
AGENDA_CHUNK = 200
T = TypeVar("T")
_UNSET: Any = object()
ANY = None
"""``accounts=ANY``: the value depends on the whole workspace."""
Accounts = Iterable[int] | Callable[[Any], Iterable[int]] | None


FLIGHT_WAIT = 30.0
"""Seconds a request waits for another thread computing the same value before computing it
itself."""


class Stamped(Protocol):
    stamp: int  # the newest tick a computation was asked for at


F = TypeVar("F", bound=Stamped)


class Flights(Generic[F]):
    """The computations of each key, one at a time: the one running, and the one queued to
    start when it ends. A request whose tick is no newer than the running one's is served by
    it; one that needs newer data by the queued one (whose tick rises to the newest asked).
    The caller keeps it under its own lock (a thread lock, or the event loop's one thread)
    and waits in its own way (`AgendaCache.get`, `notnow.web.answers`)."""

    def __init__(self) -> None:
        self._by_key: dict[Any, list[F | None]] = {}

    def join(self, key: Any, stamp: int, new: Callable[[int], F]) -> tuple[F, F | None, bool]:
        """The computation that serves this request; the one to wait for before it starts
        (None: it starts now); and whether this request runs it (else it waits for it)."""
        flights = self._by_key.setdefault(key, [None, None])
        running, queued = flights
        if running is None:
            flight = flights[0] = new(stamp)
            return flight, None, True
        if running.stamp >= stamp:  # its data is at least as new as this request needs
            return running, None, False
        if queued is not None:
            queued.stamp = max(queued.stamp, stamp)
            return queued, None, False
        flight = flights[1] = new(stamp)
        return flight, running, True

    def start(self, key: Any, flight: F) -> None:
        """The queued ``flight`` starts: the running one now."""
        flights = self._by_key.get(key)
        if flights is not None and flights[1] is flight:
            flights[0], flights[1] = flight, None

    def end(self, key: Any, flight: F) -> None:
        """``flight`` ended (or its request left): neither running nor queued any more."""
        flights = self._by_key.get(key)
        if flights is None:
            return
        for i in (0, 1):
            if flights[i] is flight:
                flights[i] = None
        if flights[0] is None and flights[1] is None:
            del self._by_key[key]


class _Flight:
    """A value being computed, for the requests that ask for it meanwhile."""

    __slots__ = ("stamp", "done", "value", "ok")

    def __init__(self, stamp: int) -> None:
        self.stamp = stamp
        self.done = threading.Event()
        self.value: Any = None
        self.ok = False


class AgendaCache:
    def __init__(self, ws: Workspace) -> None:
        self._path = ws.db.path
        self._engine = ws.db.engine
        self._postgres = self._engine.dialect.name == "postgresql"
        self._versions: Engine | None = None
        self._feed: ChangeFeed | None = None
        if self._postgres:
            self._versions = poolable(create_engine(
                self._engine.url, pool_size=1, max_overflow=1, isolation_level="AUTOCOMMIT"))
            self._feed = ChangeFeed(self._versions)
            weakref.finalize(self, self._versions.dispose)  # closed with the cache at the latest
        self._commits = 0
        self._lock = threading.Lock()
        self._looker: ThreadPoolExecutor | None = None  # looks from the event loop
        self._look_loop: asyncio.AbstractEventLoop | None = None
        self._look_running: asyncio.Future[int | None] | None = None
        self._look_queued: asyncio.Future[int | None] | None = None
        self._tick = 0
        self._everything = 0  # the tick of the last write that touched everything
        self._accounts: dict[int, int] = {}  # account -> the tick of the last write to it
        self._file: tuple[Any, ...] | None = None
        self._flights: Flights[_Flight] = Flights()
        self._entries: OrderedDict[tuple[Any, ...], tuple[Any, int, Any, float | None]] = \
            OrderedDict()
        self._rankings: OrderedDict[tuple[Any, ...], tuple[Ranking, int]] = OrderedDict()
        self._listening = False
        # what else keeps values (the kept answers), weakly: the app holds this cache
        self.forgetters: list[weakref.WeakMethod[Callable[[], None]]] = []
        self._listen()

    def _listen(self) -> None:
        """Count this process's commits (again after :meth:`close`: an app may be started
        again, as tests do)."""
        with self._lock:
            if not self._listening and (self._path is not None or self._postgres):
                event.listen(self._engine, "commit", self._bump)
                self._listening = True

    def _bump(self, _conn: Any) -> None:
        with self._lock:
            self._commits += 1

    def version(self) -> int | None:
        """Learn of the writes committed since the last look; the tick now (None: nothing
        can be cached — an in-memory database)."""
        if not self._listening:
            self._listen()
        if self._feed is not None:
            return self._feed.poll(self._learn)  # type: ignore[no-any-return]
        if self._path is None:
            return None
        parts: list[Any] = [self._commits]
        for suffix in ("", "-wal"):
            try:
                st = os.stat(f"{self._path}{suffix}")
                parts += [st.st_mtime_ns, st.st_size]
            except OSError:
                parts += [None, None]
        found = tuple(parts)
        with self._lock:
            if found != self._file:
                self._file = found
                self._tick += 1
                self._everything = self._tick
            return self._tick

    def _learn(self, changes: list[Change]) -> int:
        with self._lock:
            for change in changes:
                self._tick += 1
                if change.everything:
                    self._everything = self._tick
                else:
                    for account in change.accounts:
                        self._accounts[account] = self._tick
            if len(self._accounts) > 4 * MAX_ENTRIES:  # forget the oldest: everything
                self._accounts.clear()
                self._everything = self._tick
            return self._tick

    @property
    def commits(self) -> int:
        """How many transactions this process has committed."""
        return self._commits

    async def alook(self) -> int | None:
        """:meth:`version` for the event loop: PostgreSQL's look runs on a thread of its own
        (not the request pool's, which may be busy computing), and requests that arrive while
        a look is under way share the next one, which starts after they arrived."""
        if self._feed is None:
            return self.version()  # SQLite: two stat calls
        loop = asyncio.get_running_loop()
        if loop is not self._look_loop:  # a new loop (tests): nothing of the old one holds
            self._look_loop, self._look_running, self._look_queued = loop, None, None
        mine = self._look_queued
        if mine is None:
            mine = self._look_queued = loop.create_future()
            if self._look_running is None:
                self._start_look(loop)
        return await asyncio.shield(mine)

    def _start_look(self, loop: asyncio.AbstractEventLoop) -> None:
        future, self._look_queued = self._look_queued, None
        assert future is not None
        self._look_running = future

        def finished(job: asyncio.Future[int | None]) -> None:
            if self._look_running is future:
                self._look_running = None
            if job.cancelled():
                future.cancel()
            elif job.exception() is not None:
                future.set_exception(job.exception())  # type: ignore[arg-type]
            else:
                future.set_result(job.result())
            if self._look_queued is not None and self._look_loop is loop:
                self._start_look(loop)

        if self._looker is None:  # again after close(): an app may be started again
            self._looker = ThreadPoolExecutor(1, thread_name_prefix="notnow-look")
        try:
            job = loop.run_in_executor(self._looker, self.version)
        except BaseException as exc:  # nothing may wait for a look that never started
            self._look_running = None
            future.set_exception(exc)
            raise
        job.add_done_callback(finished)

    def good(self, stamp: int, accounts: tuple[int, ...] | None) -> bool:
        """Whether a value computed at tick ``stamp`` showing ``accounts`` (``ANY``: the
        whole workspace) is still good: nothing it shows was written since."""
        with self._lock:
            return self._good(stamp, accounts)

    def clear(self) -> None:
        """Forget every kept value (tests compare kept values with fresh ones)."""
        with self._lock:
            self._entries.clear()
            self._rankings.clear()
        for ref in self.forgetters:
            forget = ref()
            if forget is not None:
                forget()

    def close(self) -> None:
        if self._listening:  # the engine's listener would keep this cache alive
            event.remove(self._engine, "commit", self._bump)
            self._listening = False
        if self._looker is not None:
            self._looker.shutdown(wait=True)  # a look holds a connection of `_versions`
            self._looker = None
        if self._versions is not None:
            self._versions.dispose()

    def request_version(self, request: Any) -> int | None:
        """The tick for this request, looked up once per request — and again after this
        process committed anything (the request's own writes, say)."""
        state = request.state
        found = getattr(state, "data_version", None)
        if found is None or found[0] != self._commits:
            found = (self._commits, self.version())
            state.data_version = found
        return found[1]

    def _good(self, stamp: int, accounts: Any) -> bool:
        if accounts is ANY:
            return self._tick == stamp
        return self._everything <= stamp and all(
            self._accounts.get(a, 0) <= stamp for a in accounts)

    def get(self, key: tuple[Any, ...], compute: Callable[[], T], *,
            version: Any = _UNSET, ttl: float | None = None,
            accounts: Accounts = ANY) -> T:
        """The value for `key`, computed again only after a write that may change it: any
        write (``accounts=ANY``), or one that touched everything or one of ``accounts`` (a
        list, or a function of the value: the accounts it shows). ``version``: the request's
        tick; with `ttl`, kept at most that many seconds."""
        stamp = self.version() if version is _UNSET else version
        if stamp is None:
            return compute()
        with self._lock:
            found = self._entries.get(key)
            if found is not None and (found[3] is None or found[3] > time.monotonic()) \
                    and self._good(found[1], found[2]):
                self._entries.move_to_end(key)
                return found[0]  # type: ignore[no-any-return]
            flight, wait_for, lead = self._flights.join(key, stamp, _Flight)
        if not lead:
            if flight.done.wait(FLIGHT_WAIT) and flight.ok:
                return flight.value  # type: ignore[no-any-return]
            return compute()
        if wait_for is not None:  # one computation of a key at a time
            wait_for.done.wait(FLIGHT_WAIT)
            with self._lock:
                self._flights.start(key, flight)
        try:
            value = compute()
            flight.value, flight.ok = value, True
        finally:
            flight.done.set()
            with self._lock:
                self._flights.end(key, flight)
        stamp = flight.stamp  # the newest asked for: all were learnt before it began
        shows = accounts(value) if callable(accounts) else accounts
        shows = ANY if shows is ANY else tuple(shows)
        expires = None if ttl is None else time.monotonic() + ttl
        with self._lock:
            if self._good(stamp, shows):  # nothing it shows was written since the request began
                self._entries[key] = (value, stamp, shows, expires)
                self._entries.move_to_end(key)
                while len(self._entries) > MAX_ENTRIES:
                    self._entries.popitem(last=False)
        return value

    def agenda(self, ws: Workspace, day: date, owners: tuple[int, ...] | None, *,
               limit: int = 200, version: Any = _UNSET) -> list[AgendaItem]:
        """The first ``limit`` of the agenda of ``owners``' follow-ups (checked by the caller
        with :func:`notnow.services.followups.agenda.agenda_owners`). Ranked to a multiple of
        :data:`AGENDA_CHUNK` rows, so that the page (200 rows) and the API's pages of 50 share
        one ranking.

        After writes that touched only some accounts, the last ranking is brought up to date
        by reading theirs alone (:func:`notnow.services.followups.agenda.rerank`); after one
        that touched everything, it is ranked afresh."""
        ranked_to = max(1, -(-limit // AGENDA_CHUNK)) * AGENDA_CHUNK
        key = ("agenda", day, owners, ranked_to)

        def compute() -> list[AgendaItem]:
            with self._lock:
                start = self._tick  # every write learnt of so far is seen by the reads below
                kept = self._rankings.get(key)
                touched = None if kept is None else self._touched_since(kept[1])
            ranking = None
            if kept is not None and touched is not None:
                ranking = rerank(ws, kept[0], touched)
            if ranking is None:
                ranking = rank(ws, day, owners, limit=ranked_to)
            with self._lock:
                self._rankings[key] = (ranking, start)
                self._rankings.move_to_end(key)
                while len(self._rankings) > RANKINGS_KEPT:
                    self._rankings.popitem(last=False)
            return ranking.items

        items = self.get(key, compute, version=version)
        return items if len(items) <= limit else items[:limit]

    def _touched_since(self, stamp: int) -> frozenset[int] | None:
        """The accounts written since tick ``stamp`` (None: everything was)."""
        if self._everything > stamp:
            return None
        return frozenset(a for a, tick in self._accounts.items() if tick > stamp)
