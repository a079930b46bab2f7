"""The suite's PostgreSQL databases (tests/conftest.py): each test gets the migrated schema,
empty — a database emptied after one test and given to the next is the same as a new copy,
and one whose schema a test changed is never given again."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, text


@pytest.fixture
def template(pg_template: Any) -> Any:
    if pg_template is None:
        pytest.skip("the PostgreSQL test databases are copies of a template: no server, "
                    "or no right to create databases (then each test gets a schema)")
    return pg_template


def _rows(url: str, sql: str) -> list[Any]:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql))
            return list(result) if result.returns_rows else []
    finally:
        engine.dispose()


def _write(url: str) -> None:
    _rows(url, "INSERT INTO users (name, role, active, is_owner, created_at) "
               "VALUES ('Dana', 'salesperson', true, false, now()) RETURNING id")


def test_an_emptied_database_is_a_new_copy(template: Any) -> None:
    with template.copy() as first:
        fresh = _rows(first, "SELECT nextval('users_id_seq')")[0][0]
        _write(first)
        _write(first)
        left_open = create_engine(first).connect()  # a server or thread the test left
        left_open.execute(text("SELECT 1"))
    with template.copy() as second:
        assert second == first  # emptied, and given again
        assert _rows(second, "SELECT count(*) FROM users")[0][0] == 0
        assert _rows(second, "SELECT version_num FROM alembic_version") == \
            _rows(template.url(template.name), "SELECT version_num FROM alembic_version")
        [(ident,)] = _rows(second, "INSERT INTO users (name, role, active, is_owner, "
                                   "created_at) VALUES ('Lee', 'salesperson', true, false, "
                                   "now()) RETURNING id")
        assert ident == fresh  # its sequences start again
    left_open.invalidate()


def test_a_database_whose_schema_changed_is_not_given_again(template: Any) -> None:
    changes = ["ALTER TABLE contacts ADD COLUMN extra integer",
               "CREATE INDEX ix_extra ON users (name)",
               "CREATE TABLE test_runs (id integer)",
               "DROP TRIGGER dnc_touches ON touches",
               "UPDATE alembic_version SET version_num = '0003'"]
    for change in changes:
        with template.copy() as used:
            _rows(used, change)
        with template.copy() as after:
            assert after != used, change
            assert _rows(after, "SELECT count(*) FROM pg_trigger WHERE tgname = 'dnc_touches'"
                         ) == [(1,)]


def test_a_writer_still_running_does_not_stop_the_emptying(template: Any) -> None:
    with template.copy() as used:
        engine = create_engine(used)
        conn = engine.connect()
        conn.execute(text("LOCK TABLE users IN ACCESS EXCLUSIVE MODE"))  # held, not committed
    with template.copy() as after:
        assert after == used
        assert _rows(after, "SELECT count(*) FROM users") == [(0,)]
    conn.invalidate()
    engine.dispose()
