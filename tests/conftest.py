"""Shared fixtures: a fresh real database per test (SQLite file, or a PostgreSQL schema).

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
# copied for each test: running every migration costs ~0.4 s a test, a copy a few ms (SQLite)
# or ~60 ms (PostgreSQL's CREATE DATABASE … TEMPLATE). What is tested is the same: the
# migrated schema, fresh for each test. tests/storage tests the migrations themselves.

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

    def url(self, database: str) -> str:
        return self.base.set(database=database).render_as_string(hide_password=False)

    @contextlib.contextmanager
    def copy(self) -> Iterator[str]:
        from sqlalchemy import text

        name = f"t_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"{self.strategy}'))
        try:
            yield self.url(name)
        finally:
            # dropped while the next test runs (a drop waits for the server's checkpoint)
            self.dropping.append(self.dropper.submit(self._drop, name))

    def _drop(self, name: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def drop(self) -> None:
        from sqlalchemy import text

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
