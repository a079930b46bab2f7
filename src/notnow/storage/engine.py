"""Opening the database: engine, SQLite pragmas, schema version, short transactions.

All writes go through `Database.write()`: on SQLite it starts with ``BEGIN IMMEDIATE`` so that two
writers never deadlock half-way, and database errors become notnow's own storage errors.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from notnow.errors import (
    Conflict,
    DatabaseLocked,
    DatabaseReadOnly,
    DatabaseTooNew,
    InvalidInput,
    NotFound,
    NotnowError,
    StorageError,
)
from notnow.storage import changes, files, guards

LOCK_WAIT_MS = 5000
"""How long a write waits for a lock that another transaction holds — the SQLite file's write
lock (its busy timeout), a PostgreSQL row or advisory lock (``lock_timeout``, set for each
write transaction) — before it gives up with :class:`DatabaseLocked`, nothing written. A
session stuck elsewhere (someone's open ``psql`` transaction, a hung process, a long import
holding an account) delays a write by this much at most; it never holds the write, and the
thread serving it, for as long as it lasts."""


def _sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    name = u.database
    if name.startswith("file:"):  # SQLite URI form: file:/path?mode=ro
        name = name[len("file:"):].split("?", 1)[0]
    return Path(name)


def _on_sqlite_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={int(LOCK_WAIT_MS)}")
    try:
        cur.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError:
        pass  # read-only file: WAL cannot be turned on, reads still work
    cur.execute("PRAGMA synchronous=NORMAL")
    # 64 MiB page cache per connection (default 2 MiB): the agenda over 1M contacts reads a few
    # thousand scattered pages; kept warm across requests it runs 4-7x faster (bench_agenda)
    cur.execute("PRAGMA cache_size=-65536")
    cur.close()


def _on_begin(conn: Any) -> None:
    immediate = conn.get_execution_options().get("immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _where(url: str) -> str:
    """How a message names the database: an SQLite file by its path (it is the user's own
    file); a server database never by its URL (it may hold a user name, a password, a host)."""
    path = _sqlite_path(url)
    if path is not None:
        return f"the database {path}"
    return f"the {make_url(url).get_backend_name()} database"


LOCK_NOT_AVAILABLE = "55P03"
"""PostgreSQL's SQLSTATE for a lock not granted within ``lock_timeout``."""

_BAD_VALUE = ("too long", "out of range", "overflow", "nul", "0x00", "invalid input syntax",
              "invalid byte sequence", "datetime field", "date/time field")


def translate(exc: BaseException, url: str) -> NotnowError:
    """Turn a driver error into a notnow error with a message a person can act on.

    A value the database refuses (too long, out of range, a NUL character) is bad input (422)
    and a broken reference or a duplicate a 404/409 — never a 5xx; the schemas and the flush
    guard (`storage.guards`) refuse them first with the field named, this is the last net.
    No message carries the database URL, SQL or the values sent.
    """
    msg = str(getattr(exc, "orig", exc)).lower()
    where = _where(url)
    if ("locked" in msg or "busy" in msg or "lock timeout" in msg
            or getattr(getattr(exc, "orig", None), "sqlstate", None) == LOCK_NOT_AVAILABLE):
        return DatabaseLocked(f"{where} is busy with another change to the same records; "
                              "nothing was changed — try again in a moment")
    if "readonly" in msg or "read-only" in msg or "read only" in msg:
        return DatabaseReadOnly(f"{where} is read-only: check the permissions of the file and "
                                "its folder")
    if "unable to open" in msg:
        return StorageError(f"cannot open {where}: check that the folder exists and is "
                            "writable")
    if "do_not_contact" in msg:
        from notnow.errors import DoNotContact

        return DoNotContact("this contact", since=None, reason=None, source="storage guard",
                            action="schedule or record an outbound touch")
    if "contact_held" in msg:
        from notnow.errors import ContactHeld

        return ContactHeld("this contact", reason=None, action="schedule a follow-up")
    if "timeout expired" in msg:
        return StorageError(f"cannot connect to {where}: it did not answer in time; is the "
                            "server up and reachable?")
    if "connection" in msg and "refused" in msg or "could not connect" in msg:
        return StorageError(f"cannot connect to {where}: is the server running?")
    if isinstance(exc, IntegrityError):
        if "foreign key" in msg:
            return NotFound("a record this refers to does not exist (any more)")
        if "unique" in msg or "duplicate" in msg:
            return Conflict("this exists already")
        return InvalidInput("a required value is missing or not allowed")
    if isinstance(exc, DataError) or any(word in msg for word in _BAD_VALUE):
        return InvalidInput("a value is out of range, too long or holds a character that "
                            "cannot be stored")
    return StorageError(f"{where} failed ({type(getattr(exc, 'orig', exc)).__name__}); "
                        "nothing was changed")


class _Engines:
    """One engine per database URL in a process, kept while the process lives (a few at most).

    SQLAlchemy caches each statement's compiled SQL per engine: a workspace opened again in
    the same process (a test run, a worker opening the workspace for each job, several
    commands in one process) reuses the engine and skips compiling every statement anew.
    Each Database holds a reference; when the last one is disposed, the engine's pooled
    connections are closed (the engine object and its statement cache stay, holding no
    connection). Beyond ``KEEP`` unused engines, the least recently used is dropped.
    """

    KEEP = 8

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._engines: OrderedDict[tuple[str, bool], Engine] = OrderedDict()
        self._users: dict[tuple[str, bool], int] = {}

    def take(self, url: str, *, echo: bool, sqlite: bool) -> Engine:
        key = (url, echo)
        with self._lock:
            engine = self._engines.get(key)
            if engine is not None:
                self._engines.move_to_end(key)
            else:
                engine = _new_engine(url, echo=echo, sqlite=sqlite)
                self._engines[key] = engine
                self._trim()
            self._users[key] = self._users.get(key, 0) + 1
            return engine

    def give_back(self, url: str, *, echo: bool) -> None:
        key = (url, echo)
        with self._lock:
            engine = self._engines.get(key)
            left = self._users.get(key, 0) - 1
            if left > 0:
                self._users[key] = left
                return
            self._users.pop(key, None)
        if engine is not None:
            engine.dispose()  # no connection outlives the last workspace using it

    def _trim(self) -> None:
        idle = [k for k in self._engines if not self._users.get(k)]
        while len(self._engines) > self.KEEP and idle:
            self._engines.pop(idle.pop(0)).dispose()


def _new_engine(url: str, *, echo: bool, sqlite: bool) -> Engine:
    kwargs: dict[str, Any] = {"echo": echo}
    if not sqlite:
        kwargs.update(pool_pre_ping=True, pool_size=5, max_overflow=10)
    engine = create_engine(url, **kwargs)
    if sqlite:
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_begin)
    else:
        poolable(engine)
    return engine


def poolable(engine: Engine) -> Engine:
    """Let ``engine`` (PostgreSQL) work through a pooler in transaction mode (PgBouncer…).

    Everything notnow keeps in a connection lasts one transaction (row locks, advisory
    ``xact`` locks, ``SET LOCAL``, temporary tables dropped on commit), and a pooler in
    transaction mode keeps a transaction on one server connection, so all of it holds. What
    does not: the statements psycopg prepares on the server after their fifth run — the next
    transaction may run on another server connection, where the statement is missing, and
    the prepared one is left in the way of whoever gets this server connection next. So each
    new connection asks the server where it is: when that is not where notnow dialled
    (another address or port: a pooler or a proxy in between), nothing is prepared on it.

    And a server that does not answer is given up on after :data:`CONNECT_TIMEOUT_S` (unless
    the URL says otherwise with ``connect_timeout``), not psycopg's two minutes."""
    event.listen(engine, "do_connect", _bounded_connect)
    event.listen(engine, "connect", _on_postgres_connect)
    return engine


CONNECT_TIMEOUT_S = 10
"""Seconds to wait for a PostgreSQL server (or a pooler) to answer a new connection: one that
took it and went quiet (a hung pooler, a machine gone from the network) costs a request that
much, then a clear error — not psycopg's 130 s on every thread that asks, and the kept
answers' look at the change log, which every GET waits for."""


def _bounded_connect(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
    cparams.setdefault("connect_timeout", CONNECT_TIMEOUT_S)


def _on_postgres_connect(dbapi_conn: Any, _record: Any) -> None:
    if not direct(dbapi_conn):
        dbapi_conn.prepare_threshold = None


WHERE_AM_I = "SELECT host(inet_server_addr()), inet_server_port()"


def direct(dbapi_conn: Any) -> bool:
    """Whether a psycopg connection talks to PostgreSQL itself: the server's own address and
    port are the ones dialled (both a Unix socket counts too). Unsure is not direct. The
    connection is handed on as it came, outside any transaction, whatever the answer."""
    try:
        info = dbapi_conn.info
        dialled = (info.hostaddr or None, int(info.port))
        with dbapi_conn.cursor() as cur:
            cur.execute(WHERE_AM_I)
            row = cur.fetchone()
    except Exception:  # an older libpq without hostaddr, a server that will not say
        row = None
    finally:
        if not dbapi_conn.autocommit:
            with contextlib.suppress(Exception):
                dbapi_conn.rollback()  # a failed question leaves no aborted transaction
    if row is None:
        return False
    return same_place(dialled, (row[0], row[1]))


def same_place(dialled: tuple[str | None, int | None], server: tuple[str | None, int | None],
               ) -> bool:
    """Whether the (address, port) notnow dialled is the one the server sees itself at: the
    same address however written (an IPv4 address seen on a dual-stack socket as
    ``::ffff:127.0.0.1``) and the same port; a Unix socket (no address) on both sides too."""
    import ipaddress

    if dialled[0] is None or server[0] is None:
        return dialled[0] is None and server[0] is None  # both a Unix socket
    try:
        here, there = ipaddress.ip_address(dialled[0]), ipaddress.ip_address(server[0])
    except ValueError:
        return False
    here = getattr(here, "ipv4_mapped", None) or here
    there = getattr(there, "ipv4_mapped", None) or there
    return here == there and dialled[1] == server[1]


_ENGINES = _Engines()
_READING: ContextVar[tuple[Database, Session] | None] = ContextVar("notnow_reading",
                                                                   default=None)
"""The read transaction :meth:`Database.reading` holds open in this thread, if any."""


class Database:
    """One workspace database. Cheap to create; `open_database` also checks the schema."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.path = _sqlite_path(url)
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        self._echo = echo
        self._disposed = False
        self.engine: Engine = _ENGINES.take(url, echo=echo, sqlite=self.is_sqlite)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        writer = self.engine.execution_options(immediate=True) if self.is_sqlite else self.engine
        self._write = sessionmaker(writer, expire_on_commit=False)
        guards.install(self._write)
        if not self.is_sqlite:
            changes.install(self._write, self.engine)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read transaction, rolled back when the block ends — or, inside
        :meth:`reading` of this database in the same thread, that one."""
        outer = _READING.get()
        if outer is not None and outer[0] is self:
            yield outer[1]
            return
        try:
            with self._read() as session:
                yield session
                session.rollback()
        except (OperationalError, DBAPIError) as exc:
            raise translate(exc, self.url) from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """One read transaction for everything read in the block, by whichever service: a
        page made of several services' reads takes one connection from the pool and pays for
        one transaction (begin, the pool's ping, rollback), not one per part. Reads of this
        database in the same thread (and context) share its session; another thread's, or a
        write's, do not. Only for reads: what one part loads, the next sees as loaded."""
        outer = _READING.get()
        if outer is not None and outer[0] is self:  # already inside one
            yield outer[1]
            return
        with self.read() as session:
            token = _READING.set((self, session))
            try:
                yield session
            finally:
                _READING.reset(token)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A short write transaction: committed when the block ends, rolled back on error.

        On PostgreSQL it also appends, in the same transaction, what it touched
        (:mod:`notnow.storage.changes`): every web process's cache then lets go of the pages
        that show it — at the moment the data is committed, not before, not after."""
        try:
            with self._write() as session, session.begin():
                if self.is_sqlite:
                    yield session
                    return
                conn = changes.begin(session)
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(LOCK_WAIT_MS)}")
                try:
                    yield session
                except BaseException:
                    changes.forget(session, conn)
                    raise
                changes.record(session, conn)
        except (OperationalError, DBAPIError) as exc:
            raise translate(exc, self.url) from exc

    def dispose(self) -> None:
        """Let go of the database: once no workspace of this process uses it, its
        connections are closed. Disposing twice is harmless."""
        if self._disposed:
            return
        self._disposed = True
        _ENGINES.give_back(self.url, echo=self._echo)


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Open the database, creating it or upgrading its schema as needed.

    A database written by a newer notnow is refused (DatabaseTooNew) and left untouched.
    Before an SQLite file is upgraded, a copy is kept beside it (``notnow.db.bak-<rev>``).
    """
    from notnow.storage import migrate as migrations

    db = Database(url)
    if db.path is not None:
        _private_file(db.path, url)
    try:
        with db.engine.connect() as conn:
            current = migrations.current_revision(conn)
    except (OperationalError, DBAPIError) as exc:
        raise translate(exc, url) from exc
    if current == migrations.HEAD:
        return db
    if current is not None and current not in migrations.known_revisions():
        db.dispose()
        raise DatabaseTooNew(
            f"{_where(url)} was written by a newer notnow (schema {current}); "
            "upgrade notnow to use it — nothing was changed"
        )
    if not migrate:
        return db
    if db.path is not None and current is not None and db.path.exists():
        backup = db.path.with_name(f"{db.path.name}.bak-{current}")
        shutil.copy2(db.path, backup)
        files.tighten(backup)
    try:
        migrations.upgrade(db)
    except (OperationalError, DBAPIError) as exc:
        raise translate(exc, url) from exc
    return db


def _private_file(path: Path, url: str) -> None:
    """The database file and its folder, readable only by their owner (`storage.files`):
    a new file is made 0600 before SQLite opens it (its -wal and -shm files take its mode)."""
    try:
        if not path.parent.exists():
            files.private_folder(path.parent)
        if not path.exists() and "mode=ro" not in url:
            files.create_private(path)
        files.secure_database_files(path)
    except OSError as exc:
        raise StorageError(f"cannot create the database {path}: {exc.strerror}") from exc


def ping(db: Database) -> None:
    with db.read() as s:
        s.execute(text("SELECT 1"))
