"""Bad input is a 422 naming the field (or a 404), never a 5xx — on SQLite and PostgreSQL.

Each case was a 503 or a 500 before (PostgreSQL refused the value itself, with the database URL
in the message; dates overflowed): text longer than its column, ids above 2^31, NUL bytes,
dates like 9999-12-31 and 0001-01-01, deal values of 1e12 and more.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from web_support import local_client, seed

API = "/api/v1"


@pytest.fixture
def app(config: Any, clock: Any) -> Iterator[Any]:
    from notnow.web import create_app

    app = create_app(config, clock=clock)
    app.state.seed = seed(app.state.ws)
    yield app
    app.state.ws.close()


@pytest.fixture
def client(app: Any) -> Any:
    return local_client(app, raise_server_exceptions=False)


def refused(r: Any, field: str | None, status: int = 422) -> dict[str, Any]:
    assert r.status_code == status, r.text
    error: dict[str, Any] = r.json()["error"]
    assert error["field"] == field, error
    assert "postgresql" not in r.text and "sqlite" not in r.text and "database" not in r.text
    return error


def counts(app: Any) -> tuple[int, ...]:
    from sqlalchemy import func, select

    from notnow.storage.tables import Account, Contact, Deal, Rejection, Signal, Touch

    with app.state.ws.db.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) or 0
                     for t in (Account, Contact, Deal, Rejection, Touch, Signal))


TOO_LONG = [  # route, body (ids filled in), field, its limit
    ("/accounts", {"name": "Acme"}, "industry", 120),
    ("/accounts", {"name": "Acme"}, "domain", 255),
    ("/accounts", {"name": "Acme"}, "rapport_notes", 5000),
    ("/accounts", {}, "name", 300),
    ("/contacts", {"name": "Lee", "account_id": "account"}, "phone", 60),
    ("/contacts", {"name": "Lee", "account_id": "account"}, "title", 300),
    ("/contacts", {"name": "Lee", "account_id": "account"}, "linkedin", 500),
    ("/rejections", {"contact_id": "contact", "label": "competitor_chosen"}, "competitor", 200),
    ("/rejections", {"contact_id": "contact", "label": "not_now"}, "notes", 20_000),
    ("/touches", {"contact_id": "contact", "channel": "call"}, "outcome", 200),
    ("/signals", {"contact_id": "contact", "kind": "visited"}, "note", 5000),
]


def _body(app: Any, body: dict[str, Any]) -> dict[str, Any]:
    ids = {"account": app.state.seed.account_id, "contact": app.state.seed.other_contact_id,
           "deal": app.state.seed.deal_id}
    return {k: ids.get(v, v) if isinstance(v, str) else v for k, v in body.items()}


def test_text_longer_than_its_column_is_refused_naming_the_field(app: Any,
                                                                client: Any) -> None:
    for route, body, field, limit in TOO_LONG:
        before = counts(app)
        r = client.post(f"{API}{route}", json={**_body(app, body), field: "x" * (limit + 1)})
        assert f"at most {limit}" in refused(r, field)["message"]
        assert counts(app) == before
        ok = client.post(f"{API}{route}", json={**_body(app, body), field: "x" * limit})
        assert ok.status_code == 201, ok.text  # the limit itself is stored (PostgreSQL too)


def test_ids_beyond_32_bits_are_refused_in_paths_and_bodies(app: Any, client: Any) -> None:
    big = 2**31
    for path in (f"/contacts/{big}", f"/accounts/{big}", f"/rejections/{big}/plan",
                 f"/contacts/{2**63}"):
        assert client.get(f"{API}{path}").status_code in (404, 422)
    refused(client.post(f"{API}/contacts", json={"name": "Lee", "account_id": big}),
            "account_id")
    refused(client.post(f"{API}/rejections", json={"contact_id": big, "label": "not_now"}),
            "contact_id")
    refused(client.post(f"{API}/touches", json={"contact_id": app.state.seed.contact_id,
                                                "channel": "call", "deal_id": 2**40}), "deal_id")
    refused(client.post(f"{API}/accounts", json={"name": "Acme", "employees": big}),
            "employees")
    refused(client.get(f"{API}/contacts", params={"account_id": big}), "account_id")


NUL = [
    ("/accounts", {"name": "Ac\x00me"}, "name"),
    ("/accounts", {"name": "Acme", "rapport_notes": "a\x00b"}, "rapport_notes"),
    ("/rejections", {"contact_id": "contact", "text": "not now\x00"}, "text"),
    ("/rejections", {"contact_id": "contact", "label": "not_now", "notes": "\x00"}, "notes"),
    ("/signals", {"contact_id": "contact", "kind": "visited", "note": "a\x00"}, "note"),
    ("/journal", {"text": "what happened\x00"}, "text"),
    ("/tokens", {"name": "script\x00"}, "name"),
    ("/contacts/{contact}/dnc", {"reason": "asked\x00"}, "reason"),
]


def test_nul_bytes_are_refused_naming_the_field(app: Any, client: Any) -> None:
    before = counts(app)
    for route, body, field in NUL:
        path = route.replace("{contact}", str(app.state.seed.contact_id))
        error = refused(client.post(f"{API}{path}", json=_body(app, body)), field)
        assert "NUL" in error["message"]
    assert counts(app) == before


def test_nul_bytes_in_query_parameters_are_refused(client: Any) -> None:
    for path, field in (("/search?q=a%00b", "q"), ("/accounts?q=%00", "q"),
                        ("/audit?action=a%00", "action"), ("/agenda?anything=%00", "anything")):
        refused(client.get(f"{API}{path}"), field)


def test_dates_outside_a_sane_range_are_refused_naming_the_field(app: Any,
                                                                 client: Any) -> None:
    for day in ("9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"):
        _refused_on(app, client, day)
    ok = client.post(f"{API}/rejections", json={"contact_id": app.state.seed.contact_id,
                                                "label": "not_now", "checkback": "2100-12-31"})
    assert ok.status_code == 201, ok.text


def _refused_on(app: Any, client: Any, day: str) -> None:
    contact = app.state.seed.contact_id
    refused(client.post(f"{API}/rejections", json={"contact_id": contact, "label": "not_now",
                                                   "checkback": day}), "checkback")
    refused(client.post(f"{API}/rejections", json={"contact_id": contact, "label": "not_now",
                                                   "at": f"{day}T00:00:00Z"}), "at")
    refused(client.post(f"{API}/touches", json={"contact_id": contact, "channel": "call",
                                                "at": f"{day}T23:59:59+14:00"}), "at")
    refused(client.post(f"{API}/signals", json={"contact_id": contact, "kind": "visited",
                                                "at": f"{day}T00:00:00Z"}), "at")
    refused(client.get(f"{API}/agenda", params={"day": day}), "day")
    for path in ("/report", "/proof", "/audit"):
        refused(client.get(f"{API}{path}", params={"since": day}), "since")
    rej = client.post(f"{API}/rejections", json={"contact_id": contact, "label": "not_now",
                                                 "checkback": "2026-12-01"}).json()
    followup = rej["followups"][0]["id"]
    r = client.post(f"{API}/followups/{followup}/snooze", json={"to": day})
    assert r.status_code == 422 and r.json()["error"]["field"] in ("to", "date"), r.text


def test_deal_values_of_a_trillion_or_more_are_refused(app: Any, client: Any) -> None:
    account = app.state.seed.account_id
    for value in (1e12, "1e30", 10**15):
        refused(client.post(f"{API}/deals", json={"offer": "Fleet", "account_id": account,
                                                  "value": value}), "value")
    ok = client.post(f"{API}/deals", json={"offer": "Fleet", "account_id": account,
                                           "value": "999999999999.99"})
    assert ok.status_code == 201 and ok.json()["value"] == "999999999999.99"


def test_unknown_referenced_ids_are_not_found(app: Any, client: Any) -> None:
    seeded = app.state.seed
    missing = 999_999
    for route, body in (
        ("/contacts", {"name": "Lee", "account_id": missing}),
        ("/deals", {"offer": "Fleet", "account_id": missing}),
        ("/deals", {"offer": "Fleet", "account_id": seeded.account_id, "contact_id": missing}),
        ("/rejections", {"contact_id": missing, "label": "not_now"}),
        ("/rejections", {"contact_id": seeded.contact_id, "label": "not_now",
                         "deal_id": missing}),
        ("/touches", {"contact_id": seeded.contact_id, "channel": "call", "deal_id": missing}),
        ("/journal", {"text": "x", "account_id": missing}),
        ("/journal", {"text": "x", "rejection_id": missing}),
    ):
        r = client.post(f"{API}{route}", json=body)
        assert r.status_code in (404, 422), (route, body, r.text)


def test_storage_refuses_what_the_schemas_refuse_whatever_path_writes(app: Any) -> None:
    """A path that skips the schemas (an importer, a bug) meets the same limits at the flush,
    on SQLite too (which would store any length) — named, not a server error."""
    from notnow.errors import InvalidInput
    from notnow.storage.tables import Account, Deal

    db = app.state.ws.db
    for row, field in ((Account(name="x" * 301), "name"),
                       (Account(name="Acme", rapport_notes="x" * 5001), "rapport_notes"),
                       (Account(name="Ac\x00me"), "name"),
                       (Account(name="Acme", employees=2**31), "employees"),
                       (Deal(account_id=app.state.seed.account_id, offer="Fleet",
                             value=10**12), "value")):
        with pytest.raises(InvalidInput) as caught, db.write() as s:
            s.add(row)
        assert caught.value.field == field


def test_no_error_carries_the_database_url(config: Any, clock: Any) -> None:
    """A database that cannot be reached answers 503 in plain words: no URL, user, password,
    host or path — on the web and in the exception the CLI prints."""
    from notnow.errors import StorageError
    from notnow.storage.engine import Database, translate
    from notnow.web import create_app

    url = "postgresql+psycopg://notnow:s3cret-pw@127.0.0.1:1/teamdb"
    app = create_app(config, clock=clock)
    real = app.state.ws.db
    app.state.ws.db = Database(url)
    try:
        r = local_client(app, raise_server_exceptions=False).get(f"{API}/accounts")
    finally:
        app.state.ws.db.dispose()
        app.state.ws.db = real
        app.state.ws.close()
    assert r.status_code == 503 and r.json()["error"]["code"] == "storage_error"
    for secret in ("s3cret", "notnow:", "127.0.0.1:1", "teamdb", "postgresql+psycopg"):
        assert secret not in r.text
    from sqlalchemy.exc import DBAPIError

    for orig in (Exception("value too long for type character varying(120)"),
                 Exception("could not connect to server: Connection refused"),
                 Exception("something else entirely")):
        exc = DBAPIError("INSERT …", {"p": "s3cret-pw"}, orig)
        message = translate(exc, url).message
        assert "s3cret" not in message and "teamdb" not in message
    assert isinstance(translate(DBAPIError("x", {}, Exception("boom")), url), StorageError)


def test_the_cli_refuses_the_same_input_with_a_clear_message(cli: Any) -> None:
    assert cli("account", "add", "Acme Corp").code == 0
    cases = (
        (("account", "add", "x" * 301), "name"),
        (("account", "add", "Acme", "--industry", "x" * 121), "industry"),
        (("deal", "add", "Fleet", "--account", "acme", "--value", "1e12"), "value"),
        (("log", "--contact", "nobody", "--label", "not_now", "--when", "9999-12-31"), "when"),
        (("report", "--since", "0001-01-01"), "since"),
    )
    for args, field in cases:
        result = cli(*args)
        assert result.code == 1, (args, result)
        assert result.err.startswith("Error:") and field in result.err, (args, result.err)
        assert "Traceback" not in result.err

