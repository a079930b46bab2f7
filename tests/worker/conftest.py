"""Worker tests: one real database per module and backend (SQLite file, PostgreSQL schema),
emptied of jobs before each test — the worker touches nothing else, and creating a schema
per test would cost more than the tests themselves.

PostgreSQL as in tests/conftest.py: NOTNOW_TEST_POSTGRES_URL, else 127.0.0.1:5432 (database
`test`, user `postgres`); where none answers, those runs skip and say why.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from notnow import settings
from notnow.storage.engine import Database, open_database

PG_SKIP = ("no PostgreSQL: set NOTNOW_TEST_POSTGRES_URL or run a server on 127.0.0.1:5432 "
           "(database 'test', user 'postgres')")


def _pg_base() -> str | None:
    url = os.environ.get("NOTNOW_TEST_POSTGRES_URL")
    if url:
        return settings.normalise_database_url(url)
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    except OSError:
        return None


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def module_db(request: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    if request.param == "sqlite":
        database = open_database(f"sqlite:///{tmp_path_factory.mktemp('worker') / 'w.db'}")
        yield database
        database.dispose()
        return
    base = _pg_base()
    if base is None:
        pytest.skip(PG_SKIP)
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    sep = "&" if "?" in base else "?"
    database = open_database(f"{base}{sep}options=-csearch_path%3D{name}")
    try:
        yield database
    finally:
        database.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


@pytest.fixture
def db(module_db: Database) -> Database:
    with module_db.write() as s:
        s.execute(text("DELETE FROM jobs"))
        s.execute(text("DROP TABLE IF EXISTS test_runs"))
    return module_db
