"""An account of hundreds or thousands of people (a large customer, a CRM import) costs what a
few hundred cost: its page shows the first 200 people and deals and says how many there are,
the API the first 500 with the totals (the rest paged with the account's contact and deal
lists), and its edit form reads no contact at all."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, insert

from actors import owner_of
from web_support import local_client, seed

PEOPLE = 520
DEALS = 510


@pytest.fixture
def big(ws: Any) -> Iterator[tuple[Any, int]]:
    """The app and an account with PEOPLE + 2 contacts and DEALS + 1 deals."""
    from notnow.storage.tables import Contact, Deal
    from notnow.web import create_app

    app = create_app(ws.config, clock=ws.clock)
    acc = seed(app.state.ws)
    owner, now = app.state.ws.owner_id, app.state.ws.now()
    with app.state.ws.db.write() as s:
        s.execute(insert(Contact), [
            {"account_id": acc.account_id, "name": f"Person {i:04d}",
             "name_key": f"person {i:04d}", "role": "user", "owner_id": owner,
             "email": f"p{i}@acme.example", "email_key": f"p{i}@acme.example",
             "created_at": now}
            for i in range(PEOPLE)])
        s.execute(insert(Deal), [
            {"account_id": acc.account_id, "offer": f"Seats {i}", "owner_id": owner,
             "created_at": now}
            for i in range(DEALS)])
    yield app, acc.account_id
    app.state.ws.close()


def test_the_api_gives_the_first_500_and_the_totals_and_the_lists_page_the_rest(
        big: tuple[Any, int]) -> None:
    app, account = big
    c = local_client(app)
    detail = c.get(f"/api/v1/accounts/{account}").json()
    assert len(detail["contacts"]) == 500 and detail["contacts_total"] == PEOPLE + 2
    assert len(detail["deals"]) == 500 and detail["deals_total"] == DEALS + 1
    first = c.get("/api/v1/contacts", params={"account_id": account, "limit": 500}).json()
    assert [p["id"] for p in detail["contacts"]] == [p["id"] for p in first["items"]]
    rest = c.get("/api/v1/contacts", params={"account_id": account, "limit": 500,
                                              "offset": 500}).json()["items"]
    assert len({p["id"] for p in detail["contacts"] + rest}) == PEOPLE + 2
    deals = c.get("/api/v1/deals", params={"account_id": account, "limit": 500}).json()
    assert [d["id"] for d in detail["deals"]] == [d["id"] for d in deals["items"]]


def test_the_page_shows_the_first_200_says_how_many_and_names_every_next_step(
        big: tuple[Any, int]) -> None:
    from notnow.services.capture.log import log_rejection
    from notnow.services.records.contacts import list_contacts

    app, account = big
    ws = app.state.ws
    everyone = list_contacts(ws, owner_of(ws), account=account, limit=1000)
    last = everyone[-1]  # by name: not among the people the page shows
    log_rejection(ws, owner_of(ws), {"label": "not_now", "checkback": "2027-01-11"},
                  contact=last.id)
    html = local_client(app).get(f"/accounts/{account}").text
    people = set(re.findall(r'class="person[^"]*" href="/contacts/(\d+)"', html))
    assert len(people) == 200 and str(last.id) not in people
    assert f"The first 200 of {PEOPLE + 2:,} people" in html
    assert f"The first 200 of {DEALS + 1:,} deals" in html
    steps = html[html.index('id="next-steps"'):]
    assert f'<a href="/contacts/{last.id}">{last.name}</a>' in steps  # named, not "contact"


def test_a_small_account_says_nothing_of_the_kind(ws: Any) -> None:
    from notnow.web import create_app

    app = create_app(ws.config, clock=ws.clock)
    acc = seed(app.state.ws)
    html = local_client(app).get(f"/accounts/{acc.account_id}").text
    assert "people-shown" not in html and "deals-shown" not in html
    assert html.count('class="person') == 2


def test_the_edit_form_reads_no_contact(big: tuple[Any, int]) -> None:
    app, account = big
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    engine = app.state.ws.db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        page = local_client(app).get(f"/accounts/{account}/edit")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert page.status_code == 200 and "Edit Acme Corp" in page.text
    assert statements and not [q for q in statements if "FROM contacts" in q]


def test_the_cli_says_how_many_it_did_not_show(big: tuple[Any, int], cli: Any) -> None:
    _app, account = big
    out = cli("account", "show", str(account)).out
    assert f"(the first 500 of {PEOPLE + 2:,} contacts, by name)" in out
    assert f"(the first 500 of {DEALS + 1:,} deals)" in out


def test_team_reading_totals_count_only_what_the_reader_may_see(ws: Any) -> None:
    """A salesperson's totals are of their own contacts and deals, not the account's."""
    from actors import user
    from notnow.services.records.accounts import add_account, show_account
    from notnow.services.records.contacts import add_contact

    acc = seed(ws)  # the owner's account, two contacts, one deal
    sara = user(ws, "Sara")
    mine = add_account(ws, sara, {"name": "Shared Co"})
    add_contact(ws, sara, {"name": "Noa"}, account=mine.id)
    from notnow.storage.tables import Contact

    with ws.db.write() as s:  # someone else's person at her account (as an import leaves it)
        s.execute(insert(Contact), [{"account_id": mine.id, "name": "Kim", "name_key": "kim",
                                     "owner_id": ws.owner_id, "created_at": ws.now()}])
    assert show_account(ws, sara, mine.id)["contacts_total"] == 1
    assert show_account(ws, sara, mine.id, limit=1)["contacts_total"] == 1
    assert show_account(ws, owner_of(ws), mine.id, limit=1)["contacts_total"] == 2
    assert show_account(ws, owner_of(ws), acc.account_id)["contacts_total"] == 2
    assert show_account(ws, owner_of(ws), acc.account_id, limit=1)["contacts_total"] == 2
    assert len(show_account(ws, owner_of(ws), acc.account_id, limit=1)["contacts"]) == 1


def test_the_page_shows_the_best_ways_in_first(big: tuple[Any, int]) -> None:
    """Past 200 people the page shows the executives and decision makers first, however
    their names sort; the API's first 500 stay in name order, as its lists page them."""
    from notnow.storage.tables import Contact

    app, account = big
    ws = app.state.ws
    with ws.db.write() as s:
        ids = s.execute(insert(Contact).returning(Contact.id), [
            {"account_id": account, "name": f"Zz Chief {i}", "name_key": f"zz chief {i}",
             "role": "executive", "owner_id": ws.owner_id, "created_at": ws.now()}
            for i in range(2)]).scalars().all()
    c = local_client(app)
    html = c.get(f"/accounts/{account}").text
    people = re.findall(r'class="person[^"]*" href="/contacts/(\d+)"', html)
    assert len(people) == 200 and {str(i) for i in ids} <= set(people)
    assert "executives and decision makers first" in html
    named = [p["name"] for p in c.get(f"/api/v1/accounts/{account}").json()["contacts"]]
    assert named == sorted(named, key=str.lower) and not any("Chief" in n for n in named)
