"""The word index (issue 14): search and the contact picker answer from SQLite's FTS5 tables and
PostgreSQL's trigram indexes — pinned to the readable rule (the words anywhere in the searched
fields, case aside; in the name, accents aside too) on random people, edits and deletions."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actors import owner_of, user

SYLLABLES = ["an", "der", "son", "lu", "cía", "ma", "ría", "o'b", "ri", "en", "ko", "wal",
             "ski", "é", "ü", "ñ", "10%", "a_b", "Jo", "Ol", "iv", "ia"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))


def _person(rng: random.Random, i: int) -> dict[str, Any]:
    name = f"{_word(rng).capitalize()} {_word(rng).capitalize()}"
    return {"name": name, "email": f"{_word(rng).replace(chr(39), '')}{i}@x{i % 3}.example"
            .replace("%", "").replace("é", "e").replace("ü", "u").replace("ñ", "n")
            .replace("í", "i"),
            "title": rng.choice([None, "Head of " + _word(rng), "CFO"]),
            "department": rng.choice([None, _word(rng)])}


def readable(c: dict[str, Any], query: str) -> bool:
    """The rule: three characters or more anywhere in the name, email, title or department
    (case aside), or in the name with accents aside; fewer, at the start of the name."""
    from notnow.core.identity import fold

    q = " ".join(query.split())
    key = fold(q)
    if len(q) < 3:
        return bool(key) and fold(c["name"]).startswith(key)
    fields = [c["name"], c["email"], c["title"], c["department"]]
    return any(f is not None and q.lower() in f.lower() for f in fields) or (
        len(key) >= 3 and key in fold(c["name"]))


def _people(ws: Any, n: int = 40) -> tuple[Any, dict[int, dict[str, Any]]]:
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact

    rng = random.Random(14)
    owner = owner_of(ws)
    acc = add_account(ws, owner, {"name": "Acme"})
    people = {}
    for i in range(n):
        data = {k: v for k, v in _person(rng, i).items() if v is not None}
        c = add_contact(ws, owner, data, account=acc.id)
        people[c.id] = {"name": c.name, "email": c.email, "title": c.title,
                        "department": c.department}
    return owner, people


def _queries(people: dict[int, dict[str, Any]]) -> st.SearchStrategy[str]:
    texts = [v for p in people.values() for v in p.values() if v]
    cut = st.tuples(st.sampled_from(texts), st.integers(0, 30), st.integers(1, 8)).map(
        lambda t: t[0][t[1]:t[1] + t[2]])
    return st.one_of(cut, cut.map(str.upper), st.text(alphabet="abcdeéíñoü %_'x",
                                                      min_size=1, max_size=6))


def test_search_finds_what_the_readable_rule_finds(ws: Any) -> None:
    from notnow.services.records.edit import edit_contact
    from notnow.services.records.search import search
    from notnow.services.records.trash import delete_record

    owner, people = _people(ws)
    # the index follows edits and deletions (triggers), whatever the path
    first, second = sorted(people)[:2]
    edit_contact(ws, owner, first, {"name": "Quintessa Marlowe", "title": "Buyer"})
    people[first].update(name="Quintessa Marlowe", title="Buyer")
    delete_record(ws, owner, "contact", second)
    del people[second]

    @settings(max_examples=80, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(_queries(people))
    def check(query: str) -> None:
        if not query.strip():
            return
        found = {c.id for c in search(ws, owner, query, limit=1000).contacts}
        assert found == {i for i, p in people.items() if readable(p, query)}, query

    check()
    assert {c.id for c in search(ws, owner, "marlowe").contacts} == {first}
    assert not search(ws, owner, people.get(second, {"name": "zzzqqq"})["name"]).contacts


def test_the_picker_finds_a_family_name_and_follows_a_rename(ws: Any) -> None:
    from notnow.errors import InvalidInput
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.services.records.edit import edit_contact
    from notnow.services.records.search import pick_contacts

    owner = owner_of(ws)
    ana, ben = user(ws, "Ana"), user(ws, "Ben")
    acc = add_account(ws, ana, {"name": "Harbor Foods"})
    mine = add_contact(ws, ana, {"name": "Lucía Andersson"}, account=acc.id)
    theirs = add_contact(ws, ben, {"name": "Olle Andersson"}, account=add_account(
        ws, ben, {"name": "Other"}).id)
    assert [c.id for c in pick_contacts(ws, ana, "ande")] == [mine.id]
    assert {c.id for c in pick_contacts(ws, owner, "ande")} == {mine.id, theirs.id}
    assert pick_contacts(ws, ana, "qxz") == []
    with pytest.raises(InvalidInput):  # not a 5xx from the database
        pick_contacts(ws, ana, "an\x00d")
    edit_contact(ws, ana, mine.id, {"name": "Lucía Berg"})
    assert pick_contacts(ws, ana, "ande") == []
    assert [c.id for c in pick_contacts(ws, ana, "berg")] == [mine.id]


def test_search_keeps_to_what_a_salesperson_may_read(ws: Any) -> None:
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.services.records.search import search

    ana, ben = user(ws, "Ana"), user(ws, "Ben")
    add_contact(ws, ben, {"name": "Zed Marlowe", "title": "Head of Marlowe"},
                account=add_account(ws, ben, {"name": "Marlowe Inc"}).id)
    found = search(ws, ana, "marlowe")
    assert found.empty
    assert [c.name for c in search(ws, ben, "marlowe").contacts] == ["Zed Marlowe"]
