"""What we sell, as a plan proposes it: offers written on deals of two accounts or more."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from actors import as_id, owner_of, user
from notnow.core.offers import Offer
from notnow.services.capture.log import log_rejection
from notnow.services.followups.planning import _offers, plan_rejection
from notnow.services.records.accounts import add_account
from notnow.services.records.contacts import add_contact
from notnow.services.records.deals import add_deal
from notnow.storage.tables import Account, Deal, User

OFFERS = ["Insights", "insights ", "Workflows", "Audit Trail", "Acme Corp - 40 seats renewal"]
INDUSTRIES = [None, "Retail", "Banking"]


def readable_rule(deals: list[tuple[str, int, str, str | None, int]],
                  may_read: set[int]) -> list[Offer]:
    """The rule as it reads: among the deals the actor may read (offer, account, status,
    the account's industry, owner), an offer is sold when its words are on deals of two
    accounts or more; offers whose words differ in case or spaces only are one; it fits the
    industries it was won in."""
    seen = [d for d in deals if d[4] in may_read]
    accounts: dict[str, set[int]] = {}
    for offer, account, *_ in seen:
        accounts.setdefault(offer, set()).add(account)
    sold = sorted(o for o, on in accounts.items() if len(on) > 1)
    names: dict[str, str] = {}
    for offer in sold:
        names.setdefault(offer.strip().lower(), offer.strip())
    won: dict[str, set[str]] = {}
    for offer, _, status, industry, _ in seen:
        if offer in sold and status == "won" and industry:
            won.setdefault(offer.strip().lower(), set()).add(industry)
    return [Offer(name=names[k], industries=tuple(sorted(won.get(k, ())))) for k in sorted(names)]


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(deals=st.lists(st.tuples(st.sampled_from(OFFERS), st.integers(0, 3),
                                st.sampled_from(["open", "won", "lost"]), st.integers(0, 1)),
                      max_size=14),
       industries=st.lists(st.sampled_from(INDUSTRIES), min_size=4, max_size=4))
def test_what_we_sell_is_the_readable_rule(ws: Any, deals: list[tuple[str, int, str, int]],
                                           industries: list[str | None]) -> None:
    owner = owner_of(ws)
    with ws.db.write() as s:
        s.execute(delete(Deal))
        s.execute(delete(Account))
    people = _people(ws)
    with ws.db.write() as s:
        accounts = [Account(name=f"Account {i}", industry=industries[i], owner_id=owner.id,
                            created_at=ws.now())
                    for i in range(4)]
        s.add_all(accounts)
        s.flush()
        ids = [a.id for a in accounts]
        s.add_all(Deal(account_id=ids[a], offer=offer, status=status, owner_id=people[who].id,
                       created_at=ws.now()) for offer, a, status, who in deals)
    rows = [(offer, ids[a], status, industries[a], people[who].id)
            for offer, a, status, who in deals]
    for actor in people:
        with ws.db.read() as s:
            assert _offers(s, actor) == readable_rule(rows, _readable(actor, people)), actor


def _people(ws: Any) -> list[Any]:
    """The owner (an admin: reads everything) and a salesperson (their own deals)."""
    with ws.db.read() as s:
        sol = s.scalar(select(User.id).where(User.email == "sol@example.com"))
    return [owner_of(ws), as_id(ws, sol) if sol is not None else user(ws, "Sol")]


def _readable(actor: Any, people: list[Any]) -> set[int]:
    return {p.id for p in people} if actor.is_admin else {actor.id}


def test_a_deals_name_is_not_proposed_an_offer_sold_twice_is(ws: Any) -> None:
    owner = owner_of(ws)
    acme = add_account(ws, owner, {"name": "Acme Corp", "industry": "Retail"})
    beta = add_account(ws, owner, {"name": "Beta Bank", "industry": "Banking"})
    gamma = add_account(ws, owner, {"name": "Gamma Goods", "industry": "Retail"})
    add_deal(ws, owner, {"offer": "Acme Corp - 40 seats renewal"}, account=acme.id)
    add_deal(ws, owner, {"offer": "Insights"}, account=acme.id)
    add_deal(ws, owner, {"offer": "Insights"}, account=beta.id)
    dana = add_contact(ws, owner, {"name": "Dana Diaz", "email": "dana@gamma.example"},
                       account=gamma.id)
    no = log_rejection(ws, owner, {"text": "Not now, maybe next quarter."}, contact=dana.id)
    said = plan_rejection(ws, owner, no.id).model_dump_json()
    assert "Consider offering Insights" in said
    assert "40 seats" not in said and "Acme" not in said


def test_many_offers_each_sold_twice_are_all_counted(ws: Any) -> None:
    """Past 500 offers sold twice, their industries are read through the count itself, not a
    list of the offers' names (a CRM file may hold tens of thousands)."""
    owner = owner_of(ws)
    with ws.db.write() as s:
        retail = Account(name="Shop", industry="Retail", owner_id=owner.id, created_at=ws.now())
        bank = Account(name="Bank", industry="Banking", owner_id=owner.id, created_at=ws.now())
        s.add_all([retail, bank])
        s.flush()
        deals = [(f"Offer {i:04d}", account, "won" if i % 3 == 0 else "open")
                 for i in range(600) for account in (retail, bank)]
        s.add_all(Deal(account_id=a.id, offer=o, status=st, owner_id=owner.id,
                       created_at=ws.now()) for o, a, st in deals)
    rows = [(o, a.id, st, a.industry, owner.id) for o, a, st in deals]
    with ws.db.read() as s:
        found = _offers(s, owner)
    assert len(found) == 600 and found[0].industries == ("Banking", "Retail")
    assert found == readable_rule(rows, {owner.id})
