"""Bringing a ranked agenda up to date (issue 16): after writes that touched some accounts, a
web process reads only their follow-ups (`services.followups.agenda.rerank`) instead of ranking
every follow-up due again; whatever the writes, the agenda is the one ranked afresh."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text

from actors import owner_of
from web_support import RandomWrites, seed

DAY = date(2030, 1, 2)  # after every follow-up these tests plan: all of them are due


def _postgres(ws: Any) -> None:
    if ws.db.is_sqlite:
        pytest.skip("SQLite keeps no change log: any write touches everything, and the agenda "
                    "is ranked afresh")


def _changes(ws: Any, after: int) -> tuple[int, bool, frozenset[int]]:
    """What the writes committed after change row ``after`` touched: the last row's id,
    whether one touched everything, and the accounts."""
    with ws.db.read() as s:
        rows = s.execute(text("SELECT id, everything, accounts FROM notnow_data_changes "
                              "WHERE id > :after ORDER BY id"), {"after": after}).all()
    return (rows[-1][0] if rows else after, any(r[1] for r in rows),
            frozenset(a for r in rows for a in r[2]))


def _world(app: Any, client: Any, rng: random.Random) -> RandomWrites:
    ws = app.state.ws
    seeds = [seed(ws, name=n) for n in ("Acme Corp", "Birch Ltd", "Cedar AG", "Dune SA")]
    people = [c for s in seeds for c in (s.contact_id, s.other_contact_id)]
    for person in people:  # something due for everyone
        r = client.post("/api/v1/rejections", json={"contact_id": person,
                                                    "text": "Not now, try me in March."})
        assert r.status_code == 201, r.text
    return RandomWrites(client, rng, [s.account_id for s in seeds], people)


@pytest.mark.parametrize("seed_no", [1, 2, 3])
def test_an_agenda_brought_up_to_date_is_the_one_ranked_afresh(
        app: Any, client: Any, seed_no: int) -> None:
    """Random writes through the API; after each, the ranking brought up to date with the
    accounts they touched (chained: each from the last) equals a fresh one — every row in
    order, and the items shown — for the owner's agenda and everyone's, long and short."""
    from notnow.services.followups.agenda import rank, rerank

    ws = app.state.ws
    _postgres(ws)
    rng = random.Random(seed_no)
    writes = _world(app, client, rng)
    me, today = (owner_of(ws).id,), ws.today()  # today: the signals' warmth counts
    agendas = [(None, 200, DAY), (me, 200, today), (me, 3, today), (None, 3, DAY)]
    last, _, _ = _changes(ws, 0)
    kept = {view: rank(ws, view[2], view[0], limit=view[1]) for view in agendas}
    assert all(kept[view].order for view in agendas)
    done, brought = [], 0
    for _ in range(24):
        done.append(writes.one())
        last, everything, accounts = _changes(ws, last)
        for view in agendas:
            owners, limit, day = view
            fresh = rank(ws, day, owners, limit=limit)
            if everything:
                kept[view] = fresh
                continue
            got = rerank(ws, kept[view], accounts)
            assert got is not None
            assert got.order == fresh.order, f"ranked otherwise after: {done}"
            assert got.items == fresh.items, f"shown otherwise after: {done}"
            kept[view] = got
            brought += 1
    assert brought >= 48, done  # most writes touched some accounts only


def test_the_web_brings_its_agenda_up_to_date_after_a_write_to_one_account(
        app: Any, client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before, each process ranked every follow-up due again after any write."""
    from notnow.services.followups import agenda as service
    from notnow.web import agenda_cache

    ws = app.state.ws
    _postgres(ws)
    writes = _world(app, client, random.Random(7))
    calls: list[str] = []
    for name in ("rank", "rerank"):
        real = getattr(service, name)
        monkeypatch.setattr(agenda_cache, name, lambda *a, _real=real, _name=name, **kw: (
            calls.append(_name), _real(*a, **kw))[1])
    first = client.get(f"/api/v1/agenda?day={DAY}").json()
    r = client.post("/api/v1/touches", json={"contact_id": writes.people[0], "channel": "call",
                                             "outcome": "left a message"})
    assert r.status_code == 201, r.text
    after = client.get(f"/api/v1/agenda?day={DAY}").json()
    assert calls == ["rank", "rerank"]
    assert after != first  # the touch moved its contact down the agenda
    app.state.agenda.clear()
    assert client.get(f"/api/v1/agenda?day={DAY}").json() == after
