"""The browser as a workspace: the contact picker, new accounts, contacts and deals in place,
and forms that come back as typed, saying the problem next to its field in the page's words."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient

from actors import owner_of
from web_support import Seed, csrf

HX = {"hx-request": "true"}


def picked(client: TestClient, q: str) -> list[str]:
    html = client.get("/pick/contacts", params={"q": q}, headers=HX).text
    return re.findall(r'data-name="([^"]+)"', html)


def test_the_picker_finds_by_any_word_email_or_account_ignoring_accents(
        client: TestClient, app: Any, data: Seed) -> None:
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact

    ws = app.state.ws
    other = add_account(ws, owner_of(ws), {"name": "Zürich Textil"})
    add_contact(ws, owner_of(ws), {"name": "Lucía Peña", "email": "lucia@zt.example"},
                account=other.id)
    assert picked(client, "lucia") == ["Lucía Peña"]  # no accent, any case
    assert picked(client, "PEN") == ["Lucía Peña"]  # a later word of the name
    assert picked(client, "dana@") == ["Dana Lee"]  # the start of an email
    assert picked(client, "zurich") == ["Lucía Peña"]  # the account
    assert set(picked(client, "acme")) == {"Dana Lee", "Sam Ortiz"}
    assert picked(client, "nobody here") == []
    empty = client.get("/pick/contacts", params={"q": "zzz"}, headers=HX).text
    assert "No one you can log for matches" in empty
    assert client.get("/pick/contacts", params={"q": " "}, headers=HX).text.strip() == ""


def test_the_picker_answers_from_an_index(app: Any, data: Seed) -> None:
    """Each of the picker's statements reads a range of an index, never the whole table (the
    one that looks for a later word of a name runs only when the starts gave too few)."""
    from sqlalchemy import event

    from notnow.services.records.search import pick_contacts

    ws = app.state.ws
    engine = ws.db.engine
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, params: Any, context: Any,
             many: bool) -> None:
        if "FROM contacts" in statement:
            statements.append(statement % tuple(
                repr(p) for p in params) if not ws.db.is_sqlite and isinstance(params, tuple)
                else statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert [c.name for c in pick_contacts(ws, owner_of(ws), "Dan", limit=1)] == ["Dana Lee"]
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(statements) == 1  # one match was enough: no other statement ran
    with engine.connect() as conn:
        from sqlalchemy import text

        if ws.db.is_sqlite:
            plan = " ".join(str(r[-1]) for r in conn.execute(text(
                "EXPLAIN QUERY PLAN SELECT id FROM contacts WHERE name_key >= 'dan' "
                "AND name_key < 'dan\uffff' AND name_key LIKE 'dan%' ESCAPE '\\' "
                "ORDER BY name_key, id LIMIT 10")))
            assert "ix_contacts_name_key" in plan and "SCAN contacts" not in plan, plan
        else:
            conn.execute(text("SET enable_seqscan = off"))  # a tiny table: ask what it could use
            plan = " ".join(r[0] for r in conn.execute(text(
                "EXPLAIN SELECT id FROM contacts WHERE name_key >= 'dan' "
                "AND name_key < 'dan\uffff' AND name_key LIKE 'dan%' "
                "ORDER BY name_key, id LIMIT 10")))
            assert "ix_contacts_name_key" in plan, plan


def test_new_account_contact_and_deal_from_the_browser(client: TestClient, app: Any) -> None:
    token = csrf(client)
    assert 'action="/accounts/new"' in client.get("/accounts/new").text
    r = client.post("/accounts/new", data={"name": "Globex", "domain": "globex.example",
                                           "employees": "120", "csrf_token": token})
    assert r.status_code == 303
    account_id = int(r.headers["location"].rsplit("/", 1)[1])
    assert "Globex" in client.get(f"/accounts/{account_id}").text

    form = client.get(f"/contacts/new?account={account_id}").text
    assert "New contact at Globex" in form
    r = client.post("/contacts/new", data={"account": str(account_id), "name": "Hank Scorpio",
                                           "email": "hank@globex.example", "role": "executive",
                                           "csrf_token": token})
    assert r.status_code == 303
    contact_id = int(r.headers["location"].rsplit("/", 1)[1])
    assert "Hank Scorpio" in client.get(f"/contacts/{contact_id}").text

    r = client.post("/deals/new", data={"account": str(account_id), "offer": "Doomsday device",
                                        "value": "5000", "stage": "proposal",
                                        "contact": str(contact_id), "csrf_token": token})
    assert r.status_code == 303 and r.headers["location"] == f"/accounts/{account_id}#deals"
    assert "Doomsday device" in client.get(f"/accounts/{account_id}").text

    from sqlalchemy import select

    from notnow.storage.tables import AuditEvent

    with app.state.ws.db.read() as s:
        actions = set(s.scalars(select(AuditEvent.action)
                                .where(AuditEvent.account_id == account_id)))
    assert {"account.created", "contact.created", "deal.created"} <= actions


def test_a_refused_form_keeps_what_was_typed_and_says_why_next_to_the_field(
        client: TestClient, data: Seed) -> None:
    token = csrf(client)
    r = client.post("/contacts/new", data={"account": str(data.account_id), "name": "Ivy Ng",
                                           "email": "not an address", "title": "CFO",
                                           "csrf_token": token})
    assert r.status_code == 422
    html = r.text
    assert 'value="Ivy Ng"' in html and 'value="not an address"' in html and 'value="CFO"' in html
    error = re.search(r'<input id="email"[^>]*aria-invalid="true" aria-describedby="email-error"',
                      html)
    assert error, "the email field is marked"
    assert 'id="email-error"' in html and "--" not in re.search(
        r'id="email-error">([^<]*)<', html).group(1)  # type: ignore[union-attr]

    r = client.post("/accounts/new", data={"name": " ", "domain": "x.example",
                                           "csrf_token": token})
    assert r.status_code == 422 and "Give the account a name." in r.text
    assert 'value="x.example"' in r.text

    r = client.post("/contacts/new", data={"account": "Initech", "name": "Peter",
                                           "csrf_token": token})
    assert r.status_code == 422 and 'id="account-error"' in r.text and 'value="Initech"' in r.text

    r = client.post("/deals/new", data={"account": str(data.account_id), "offer": "More",
                                        "value": "-3", "csrf_token": token})
    assert r.status_code == 422 and 'id="value-error"' in r.text and 'value="More"' in r.text


def test_log_a_no_without_words_keeps_contact_notes_and_feelings(
        client: TestClient, data: Seed) -> None:
    token = csrf(client)
    r = client.post("/log", data={"contact": str(data.contact_id), "text": "",
                                  "notes": "they sounded rushed", "feelings": "a bit deflated",
                                  "checkback": "2027-01-15", "csrf_token": token})
    assert r.status_code == 422
    html = r.text
    assert f'id="contact" name="contact" value="{data.contact_id}"' in html
    assert "Dana Lee" in html  # still chosen
    assert ">they sounded rushed</textarea>" in html and ">a bit deflated</textarea>" in html
    assert 'value="2027-01-15"' in html
    said = re.search(r'id="text-error">([^<]*)<', html)
    assert said and said.group(1) == "Paste their words, or choose a label."
    assert "--text" not in html and "--label" not in html
    assert "<h1>Log a no</h1>" in html  # the page itself, not an error page

    r = client.post("/log", data={"contact": "", "label": "price", "notes": "kept",
                                  "csrf_token": token})
    assert r.status_code == 422 and 'id="contact-error"' in r.text and ">kept</textarea>" in r.text


def test_the_check_back_date_refreshes_the_plan_preview(client: TestClient) -> None:
    html = client.get("/log").text
    trigger = re.search(r'hx-trigger="([^"]*)"\s*\n?\s*hx-target="#reading"', html)
    assert trigger and "change from:#checkback" in trigger.group(1)


def test_add_a_contact_from_the_log_page_and_it_is_chosen(client: TestClient, data: Seed) -> None:
    token = csrf(client)
    headers = {**HX, "x-csrf-token": token}
    log_page = client.get("/log").text
    assert 'id="quick-contact"' in log_page and 'form="quick-contact"' in log_page

    r = client.post("/contacts/quick", data={"account": "Initech", "name": "Bill Lumbergh"},
                    headers=headers)
    assert r.status_code == 422 and 'id="q-add-account"' in r.text
    assert 'value="Bill Lumbergh"' in r.text  # kept
    r = client.post("/contacts/quick", data={"account": "Initech", "name": "Bill Lumbergh",
                                             "add_account_too": "1"}, headers=headers)
    assert r.status_code == 200 and "Account Initech added" in r.text
    account_id = re.search(r'name="account" value="(\d+)" form="quick-contact"', r.text)
    assert account_id and 'value="Bill Lumbergh"' in r.text

    r = client.post("/contacts/quick", data={"account": account_id.group(1),
                                             "name": "Bill Lumbergh", "email": "bill@",
                                             }, headers=headers)
    assert r.status_code == 422 and 'id="q-email-error"' in r.text
    r = client.post("/contacts/quick", data={"account": account_id.group(1),
                                             "name": "Bill Lumbergh",
                                             "email": "bill@initech.example"}, headers=headers)
    assert r.status_code == 200
    event = json.loads(r.headers["hx-trigger"])["notnow:picked"]
    assert event["name"] == "Bill Lumbergh" and event["account"] == "Initech"
    assert picked(client, "lumbergh") == ["Bill Lumbergh"]


def test_a_suppressed_person_added_from_the_browser_is_do_not_contact(
        client: TestClient, app: Any, data: Seed) -> None:
    from notnow.services.capture.optout import mark_dnc

    ws = app.state.ws
    mark_dnc(ws, owner_of(ws), data.contact_id, reason="asked to stop")
    token = csrf(client)
    r = client.post("/contacts/quick", data={"account": str(data.account_id),
                                             "name": "Dana L.", "email": "Dana@acme.example"},
                    headers={**HX, "x-csrf-token": token})
    assert r.status_code == 200
    assert json.loads(r.headers["hx-trigger"])["notnow:picked"]["dnc"] is True
