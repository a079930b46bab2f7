"""Shared fixtures: a real database per test, migrated and empty (an SQLite file, or a
PostgreSQL database).

Tests that take `db_url` or `ws` run twice: on SQLite and on PostgreSQL. PostgreSQL comes from
NOTNOW_TEST_POSTGRES_URL, else a server at 127.0.0.1:5432 (database `test`, user `postgres`);
where none answers, those runs skip and say why.
"""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from notnow import settings
from notnow.core.clock import FixedClock

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # a Monday
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _pg_base_url() -> str | None:
    url = os.environ.get("NOTNOW_TEST_POSTGRES_URL")
    if url:
        return settings.normalise_database_url(url)
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return DEFAULT_PG
    except OSError:
        return None


PG_BASE = _pg_base_url()
PG_SKIP = ("no PostgreSQL: set NOTNOW_TEST_POSTGRES_URL or run a server on 127.0.0.1:5432 "
           "(database 'test', user 'postgres')")


def pytest_configure(config: pytest.Config) -> None:
    """pytest-xdist hands files out by their number of tests, most first, unless told to keep
    the order collected; a file of a few long tests (the access matrix: 4 tests, a minute)
    then came last, and one worker ran it alone while the other had finished."""
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False
    if not hasattr(config, "workerinput"):  # once, before any worker starts
        _compile_sources()
        _own_cache_folder()


def _own_cache_folder() -> None:
    """The tests' processes keep what they cache (`notnow.understand.patterns`) in a folder of
    the run's own, removed at its end, not in the user's `~/.cache`."""
    import atexit
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="notnow-test-cache-")
    os.environ["XDG_CACHE_HOME"] = folder
    atexit.register(shutil.rmtree, folder, ignore_errors=True)


def _compile_sources() -> None:
    """notnow's bytecode, written once, as an installed notnow has it: an editable install has
    none, and where PYTHONDONTWRITEBYTECODE is set (as on the CI machine) every process the
    tests start — a CLI command, a server, a worker, a benchmark — compiled all of notnow
    again from source, about 0.3 s each."""
    import compileall

    import notnow

    compileall.compile_dir(Path(notnow.__file__).parent, quiet=1, workers=1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The files that hold a slow test (real servers, browsers, the access matrix) run first,
    then the others, those with the most tests first: `pytest -n 2 --dist loadfile` hands
    whole files to the workers in this order (see :func:`pytest_configure`), and the heaviest
    first is the classic way to even out the finish. Order within a file is kept."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    sizes: dict[Path, int] = {}
    for item in items:
        sizes[item.path] = sizes.get(item.path, 0) + 1
    items.sort(key=lambda item: (item.path not in slow, -sizes[item.path]))  # stable


@contextlib.contextmanager
def pg_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema; yields a URL whose search_path points at it."""
    assert PG_BASE is not None
    from sqlalchemy import create_engine, text

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    sep = "&" if "?" in PG_BASE else "?"
    try:
        yield f"{PG_BASE}{sep}options=-csearch_path%3D{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


# A new database is migrated once per test session (and xdist worker) into a template, then
# copied for each test: running every migration costs ~0.4 s a test, a copy a few ms (SQLite).
# On PostgreSQL a copy (CREATE DATABASE … TEMPLATE) costs 0.2–0.4 s of the server's CPU, as
# much as a TRUNCATE of every table: a test's database is instead emptied after it (its rows
# deleted, its sequences restarted: ~30 ms) and given to the next test, when its schema is
# still the template's — a test that changed it (a downgrade, a table of its own) leaves its
# database to be dropped, and the next test gets a new copy. What is tested is the same: the
# migrated schema, empty, for each test. tests/storage tests the migrations themselves.

# Everything of a database's schema a test could change, as one digest.
_SCHEMA_DIGEST = """
SELECT md5(string_agg(x, E'\\n' ORDER BY x)) FROM (
  SELECT 'n:' || nspname AS x FROM pg_namespace
   WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
  UNION ALL
  SELECT 'c:' || n.nspname || '.' || c.relname || ':' || c.relkind::text || ':'
         || coalesce(pg_get_indexdef(c.oid), '')
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
  UNION ALL
  SELECT 'a:' || a.attrelid::regclass::text || ':' || a.attname || ':'
         || format_type(a.atttypid, a.atttypmod) || ':' || a.attnotnull::text || ':'
         || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE a.attnum > 0 AND NOT a.attisdropped
     AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
  UNION ALL
  SELECT 'k:' || conrelid::regclass::text || ':' || conname || ':' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  UNION ALL
  SELECT 't:' || tgrelid::regclass::text || ':' || pg_get_triggerdef(oid)
    FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL
  SELECT 'p:' || p.oid::regprocedure::text || ':' || md5(p.prosrc)
    FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'e:' || extname || ':' || extversion FROM pg_extension
  UNION ALL
  SELECT 's:' || array_to_string(setconfig, ',') FROM pg_db_role_setting
   WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
  UNION ALL
  SELECT 'v:' || version_num FROM alembic_version
) parts
"""

@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from notnow.storage.engine import open_database

    path = tmp_path_factory.mktemp("template") / "notnow.db"
    open_database(f"sqlite:///{path}").dispose()
    return path


class _PgTemplate:
    """A migrated template database on the test server, copied per test; None where the
    server does not let us create databases (then each test gets a schema, migrated)."""

    def __init__(self) -> None:
        from sqlalchemy import create_engine, make_url, text

        from notnow.storage.engine import open_database

        assert PG_BASE is not None
        self.base = make_url(PG_BASE)
        self.admin = create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
        self.name = f"nn_tpl_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
            version = int(conn.execute(text("SHOW server_version_num")).scalar_one())
        self.strategy = " STRATEGY WAL_LOG" if version >= 150000 else ""
        self.dropper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="drop-test-db")
        self.dropping: list[Future[None]] = []
        open_database(self.url(self.name)).dispose()
        self.spare: str | None = None  # an emptied database, the next test's
        self.keeper: Any = None  # a connection to the database emptied last
        self.spare_of: str | None = None
        self.digest, self.emptying = self._schema(self.name)

    def _direct(self, database: str):  # type: ignore[no-untyped-def]
        """A psycopg connection of its own to ``database`` (statements without parameters:
        no placeholders to escape; several statements in one round trip)."""
        import psycopg

        url = self.base.set(drivername="postgresql", database=database)
        return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)

    def _schema(self, database: str) -> tuple[str, str]:
        """The template's schema digest, and the statements that empty a copy of it."""
        from notnow.storage.tables import Base

        with self._direct(database) as conn:
            digest = conn.execute(_SCHEMA_DIGEST).fetchone()[0]
            tables = {r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'")}
        known = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name in tables]
        order = known + sorted(tables - set(known))  # children first
        return digest, "; ".join(f'DELETE FROM "{t}"' for t in order)

    def _empty(self, name: str) -> bool:
        """Make a test's database as the template left it, if only its data changed."""
        import psycopg

        conn = self.keeper if self.keeper is not None and self.spare_of == name else None
        try:
            if conn is None:
                conn = self._direct(name)  # kept: a warm connection checks faster
            conn.execute(  # what the test left connected (a server, a thread)
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            if conn.execute(_SCHEMA_DIGEST).fetchone()[0] != self.digest:
                conn.close()
                self.keeper = None
                return False
            conn.execute("SET lock_timeout = '5s'")
            with conn.transaction():
                conn.execute(self.emptying)
                conn.execute(
                    "SELECT count(setval(format('%I.%I', schemaname, sequencename), "
                    "start_value, false)) FROM pg_sequences WHERE schemaname = 'public'")
        except psycopg.Error:
            if conn is not None:
                conn.close()
            self.keeper = None
            return False
        self.keeper, self.spare_of = conn, name
        return True

    def url(self, database: str) -> str:
        return self.base.set(database=database).render_as_string(hide_password=False)

    @contextlib.contextmanager
    def copy(self) -> Iterator[str]:
        from sqlalchemy import text

        name, self.spare = self.spare, None
        if name is None:
            name = f"t_{uuid.uuid4().hex[:12]}"
            with self.admin.connect() as conn:
                conn.execute(text(
                    f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"{self.strategy}'))
        try:
            yield self.url(name)
        finally:
            if self._empty(name):
                self.spare = name
            else:  # dropped while the next test runs (a drop waits for a checkpoint)
                self.dropping.append(self.dropper.submit(self._drop, name))

    def _drop(self, name: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def drop(self) -> None:
        from sqlalchemy import text

        if self.keeper is not None:
            self.keeper.close()
        if self.spare is not None:
            self.dropping.append(self.dropper.submit(self._drop, self.spare))
        self.dropper.shutdown(wait=True)
        for done in self.dropping:
            done.result()  # a drop that failed fails the session
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_template() -> Iterator[_PgTemplate | None]:
    if PG_BASE is None:
        yield None
        return
    from sqlalchemy.exc import DBAPIError

    try:
        template = _PgTemplate()
    except DBAPIError:  # e.g. no CREATEDB right: a schema per test instead
        yield None
        return
    try:
        yield template
    finally:
        template.drop()


@pytest.fixture(scope="session")
def pg_base() -> str:
    """The URL of the PostgreSQL server the tests use (they skip, saying why, where none is)."""
    if PG_BASE is None:
        pytest.skip(PG_SKIP)
    return PG_BASE


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        import shutil

        path = tmp_path / "notnow.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        path.chmod(0o600)
        yield f"sqlite:///{path}"
        return
    if PG_BASE is None:
        pytest.skip(PG_SKIP)
    template = request.getfixturevalue("pg_template")
    with template.copy() if template is not None else pg_schema() as url:
        yield url


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> settings.Config:
    return settings.load({"NOTNOW_HOME": str(tmp_path), "NOTNOW_DATABASE_URL": db_url})


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id at its lowest cost in tests (the real cost is ~50 ms a hash, per sign-in);
    hashes still verify the same way, their parameters are in the stored string."""
    from argon2 import PasswordHasher

    from notnow.services.team import auth

    monkeypatch.setattr(auth, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=8,
                                                                parallelism=1))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def ws(config: settings.Config, clock: FixedClock) -> Iterator[object]:
    from notnow.services.workspace import open_workspace

    workspace = open_workspace(config, clock=clock)
    yield workspace
    workspace.close()


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> object:
        import json

        return json.loads(self.out)


@pytest.fixture
def cli(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `notnow ARGS…` in-process against this test's database; returns a Result."""
    from notnow.cli.main import main

    monkeypatch.setenv("NOTNOW_HOME", str(tmp_path))
    monkeypatch.setenv("NOTNOW_DATABASE_URL", db_url)
    monkeypatch.setenv("NOTNOW_NOW", NOW.isoformat())
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("NOTNOW_USER", raising=False)

    def run(*args: str, stdin: str | bytes | None = None) -> Result:
        capsys.readouterr()
        if stdin is not None:
            import io
            import sys

            data = stdin.encode() if isinstance(stdin, str) else stdin
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
