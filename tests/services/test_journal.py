"""The journal is private to its author, comes back on the account, and after 30 days."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from actors import as_id, owner_of
from learning_facts import build
from notnow.errors import InvalidInput, NotFound
from notnow.services.learning import journal as J


def test_entries_are_private_to_their_author(ws: Any) -> None:
    ids = build(ws)
    me = as_id(ws, ids["ana"])
    mine = J.add_entry(ws, me, "They never heard the pricing; I felt brushed off",
                       feelings="annoyed", rejection=ids["r1"])
    assert mine.account_id == ids["acme"] and mine.account_name == "Acme"
    for other in ("ben", "mia"):  # a salesperson, then a manager
        me = as_id(ws, ids[other])
        assert J.list_entries(ws, me) == []
        assert J.journal_for_account(ws, me, ids["acme"]) == []
        with pytest.raises(NotFound):
            J.get_entry(ws, me, mine.id)
        with pytest.raises(NotFound):
            J.reflect(ws, me, mine.id, "sneaky")
    me = as_id(ws, ids["ana"])
    assert [e.id for e in J.journal_for_account(ws, me, ids["acme"])] == [mine.id]
    assert J.get_entry(ws, me, mine.id).reflection is None


def test_an_entry_comes_back_after_the_reflection_delay(ws: Any) -> None:
    ids = build(ws)
    me = as_id(ws, ids["ana"])
    entry = J.add_entry(ws, me, "Lost to Rival", account="Acme")
    never = J.add_entry(ws, me, "Just venting", reflect_days=None)
    assert entry.reflect_on == ws.today() + timedelta(days=J.REFLECT_DAYS)
    assert never.reflect_on is None
    assert J.due_for_reflection(ws, me) == []
    later = ws.today() + timedelta(days=30)
    assert [e.id for e in J.due_for_reflection(ws, me, later)] == [entry.id]
    J.reflect(ws, me, entry.id, "It was timing, not me")
    again = J.reflect(ws, me, entry.id, "And I was too quick to discount")
    assert again.reflection == "It was timing, not me\n\nAnd I was too quick to discount"
    assert J.due_for_reflection(ws, me, later) == []


def test_journal_input_is_checked(ws: Any) -> None:
    with pytest.raises(InvalidInput):
        J.add_entry(ws, owner_of(ws), "   ")
    with pytest.raises(InvalidInput):
        J.add_entry(ws, owner_of(ws), "ok", reflect_days=0)
    with pytest.raises(NotFound):
        J.add_entry(ws, owner_of(ws), "ok", account="Nowhere Inc")


def test_cli_journal(cli: Any) -> None:
    r = cli("journal", "add", "Felt brushed off", "--feelings", "tired")
    assert r.code == 0 and "private" in r.err
    r = cli("journal", "list", "--json")
    assert r.code == 0 and r.json()[0]["text"] == "Felt brushed off"  # type: ignore[index]
    r = cli("journal", "reflect")
    assert r.code == 0 and "Nothing to re-read" in r.err
    r = cli("journal", "reflect", "1", "--text", "Timing, not me")
    assert r.code == 0
    assert cli("journal", "list", "--json").json()[0]["reflection"] == "Timing, not me"  # type: ignore[index]
