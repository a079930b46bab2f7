"""Worker tests: a fresh real database (SQLite file, or a PostgreSQL schema) per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from notnow.storage.engine import Database, open_database


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.dispose()
