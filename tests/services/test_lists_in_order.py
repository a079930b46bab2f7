"""The lists of contacts, accounts and opt-outs read their page in order from an index: none
sorts every row it may show (on a million contacts the first page of contacts took 0.34 s,
bench/bench_lists.py). Each service's own statement is caught as it runs and explained with
sorting and whole-table scans priced out, as the planner prices them on a big table: a plan
that still sorts has no index for its order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from test_write_plans import _statements

from actors import owner_of, user
from web_support import seed


def _statement_of(ws: Any, call: Callable[[], object], table: str) -> tuple[str, Any]:
    """The statement (and its parameters) ``call`` ran that reads ``table`` first, in order."""
    caught = [(statement, params) for statement, params in _statements(ws, call)
              if f"FROM {table}" in statement and " ORDER BY " in statement]
    assert caught, f"no statement read {table} in order"
    return caught[0]


def _plan(ws: Any, statement: str, params: Any) -> str:
    """The statement's plan; on PostgreSQL with sorting and whole-table scans priced out (in
    the explaining transaction alone)."""
    with ws.db.engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            if ws.db.is_sqlite:
                cursor.execute("EXPLAIN QUERY PLAN " + statement, params)
                return " | ".join(str(row[-1]) for row in cursor.fetchall())
            for setting in ("enable_sort", "enable_seqscan", "enable_hashjoin"):
                cursor.execute(f"SET LOCAL {setting} = off")
            cursor.execute("EXPLAIN " + statement, params)
            return " | ".join(str(row[0]) for row in cursor.fetchall())
        finally:
            conn.rollback()


def _sorts(plan: str) -> bool:
    return "TEMP B-TREE FOR ORDER BY" in plan or "Sort Key" in plan or "Sort  (" in plan


@pytest.fixture
def people(ws: Any) -> dict[str, Any]:
    from notnow.services.capture.optout import mark_dnc

    sara, tom = user(ws, "Sara"), user(ws, "Tom")
    for who, name in ((sara, "Acme"), (tom, "Globex"), (sara, "Initech")):
        data = seed(ws, who, name=name)
        mark_dnc(ws, who, data.contact_id, reason="asked")
    return {"admin": owner_of(ws), "sara": sara}


@pytest.mark.parametrize("who", ["admin", "sara"])
def test_contacts_page_is_read_in_order(ws: Any, people: dict[str, Any], who: str) -> None:
    from notnow.services.records.contacts import list_contacts

    actor = people[who]
    listed = list_contacts(ws, actor, limit=2)
    assert listed  # the list works, and pages in (name, id) order
    statement, params = _statement_of(ws, lambda: list_contacts(ws, actor, limit=2), "contacts")
    plan = _plan(ws, statement, params)
    assert not _sorts(plan), plan


def test_opt_outs_are_read_newest_first_in_order(ws: Any, people: dict[str, Any]) -> None:
    """Everyone's opt-outs (an admin's list, the long one); a salesperson's are read by owner
    first, which SQLite's planner rightly prefers on a few rows."""
    from notnow.services.capture.optout import list_dnc

    actor = people["admin"]
    listed = list_dnc(ws, actor, limit=5)
    assert listed and [d.since for d in listed] == sorted((d.since for d in listed),
                                                          reverse=True)
    statement, params = _statement_of(ws, lambda: list_dnc(ws, actor, limit=5), "contacts")
    plan = _plan(ws, statement, params)
    assert not _sorts(plan), plan


def test_accounts_page_is_read_in_order(ws: Any, people: dict[str, Any]) -> None:
    from notnow.services.records.accounts import list_accounts

    actor = people["admin"]
    assert [a.name for a in list_accounts(ws, actor)][:3] == ["Acme", "Globex", "Initech"]
    statement, params = _statement_of(ws, lambda: list_accounts(ws, actor, limit=2),
                                      "accounts")
    plan = _plan(ws, statement, params)
    assert not _sorts(plan), plan
