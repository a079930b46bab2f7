"""The mail reader's fast contact lookup by address is pinned to the readable rule.

`ingest._by_address` reads the few contacts with an address through its index and applies
`policy.may_write` in Python (SQLite's planner would otherwise read every contact of the
owner); it must pick what the plain query picks: among the contacts with that address the
actor may change (`lookup.owned(…, write=True)`), their own first, then the lowest id.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import case, delete, insert, select

from actors import owner_of, user
from notnow.services.lookup import owned
from notnow.services.mail.ingest import _by_address
from notnow.storage.tables import Account, Contact

KEYS = ["a@x.example", "b@x.example", "c@y.example"]


def _readable_rule(s: Any, actor: Any, key: str) -> int | None:
    mine_first = case((Contact.owner_id == actor.id, 0), else_=1)
    return s.scalar(select(Contact.id).where(
        Contact.email_key == key, owned(actor, Contact.owner_id, write=True))
        .order_by(mine_first, Contact.id).limit(1))


def test_by_address_is_the_owned_rule(ws: Any) -> None:
    boss = user(ws, "Mona", role="manager")
    people = [owner_of(ws), boss, user(ws, "Ann", manager=boss), user(ws, "Ben")]
    from notnow.services.team.acting import actor_for

    people = [actor_for(ws, p.id) for p in people]  # the manager's team, read again
    with ws.db.write() as s:
        account = s.scalar(insert(Account).values(name="X", name_key="x",
                                                  created_at=ws.now()).returning(Account.id))

    @settings(max_examples=40, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from([0, 1, 2, 3, None])),
                    max_size=8),
           st.sampled_from([0, 1, 2, 3]))
    def check(rows: list[tuple[str, int | None]], who: int) -> None:
        actor = people[who]
        with ws.db.write() as s:
            s.execute(delete(Contact))
            for n, (key, owner) in enumerate(rows):
                s.execute(insert(Contact).values(
                    name=f"P{n}", name_key=f"p{n}", email=key, email_key=key,
                    account_id=account, created_at=ws.now(),
                    owner_id=people[owner].id if owner is not None else None))
        with ws.db.read() as s:
            for key in KEYS:
                assert _by_address(s, actor, key) == _readable_rule(s, actor, key), (rows, who)

    check()
