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


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'notnow.db'}"
        return
    if PG_BASE is None:
        pytest.skip(PG_SKIP)
    with pg_schema() as url:
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
