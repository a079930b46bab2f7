"""``Idempotency-Key``: a retried POST gets the first answer and records nothing twice — for
each person, across workers (the keys are in the database), and under concurrent duplicates."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from actors import user
from web_support import running_server, seed

API = "/api/v1"
HTTPS = "https://notnow.example"


@pytest.fixture
def app(config: Any, clock: Any) -> Iterator[Any]:
    """Team mode: two salespeople, each with a token and an account."""
    from notnow.services.team.auth import create_token
    from notnow.web import create_app

    app = create_app(config, clock=clock, team=True)
    ws = app.state.ws
    app.state.tokens, app.state.accounts = {}, {}
    for name in ("Sara", "Tom"):
        who = user(ws, name)
        app.state.tokens[name] = create_token(ws, who, "script").token
        app.state.accounts[name] = seed(ws, who, name=f"{name} Corp").account_id
    yield app
    ws.close()


def client(app: Any, name: str) -> TestClient:
    return TestClient(app, base_url=HTTPS, raise_server_exceptions=False,
                      headers={"authorization": f"Bearer {app.state.tokens[name]}"})


def contacts_named(app: Any, name: str) -> int:
    from sqlalchemy import func, select

    from notnow.storage.tables import Contact

    with app.state.ws.db.read() as s:
        return s.scalar(select(func.count()).where(Contact.name == name)) or 0


def new_contact(app: Any, who: str, name: str = "Lee Park") -> dict[str, Any]:
    return {"name": name, "account_id": app.state.accounts[who], "email": "lee@acme.example"}


def test_a_retry_gets_the_first_answer_and_records_nothing_twice(app: Any) -> None:
    c = client(app, "Sara")
    headers = {"Idempotency-Key": "7d4f0c52-retry"}
    first = c.post(f"{API}/contacts", json=new_contact(app, "Sara"), headers=headers)
    again = c.post(f"{API}/contacts", json=new_contact(app, "Sara"), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert contacts_named(app, "Lee Park") == 1
    # a rejection logged twice is logged once, its follow-ups scheduled once
    body = {"contact_id": first.json()["id"], "label": "not_now", "checkback": "2027-03-01"}
    one = c.post(f"{API}/rejections", json=body, headers={"Idempotency-Key": "log-1"})
    two = c.post(f"{API}/rejections", json=body, headers={"Idempotency-Key": "log-1"})
    assert one.status_code == 201 and two.json()["id"] == one.json()["id"]
    listed = c.get(f"{API}/rejections", params={"contact_id": first.json()["id"]}).json()
    assert len(listed["items"]) == 1
    # without a key, or with another key, it is a new request
    assert c.post(f"{API}/contacts", json=new_contact(app, "Sara")).status_code == 201
    assert c.post(f"{API}/contacts", json=new_contact(app, "Sara"),
                  headers={"Idempotency-Key": "another"}).status_code == 201
    assert contacts_named(app, "Lee Park") == 3


def test_the_same_key_for_another_request_is_refused(app: Any) -> None:
    c = client(app, "Sara")
    headers = {"Idempotency-Key": "k-1"}
    assert c.post(f"{API}/contacts", json=new_contact(app, "Sara"),
                  headers=headers).status_code == 201
    other_body = c.post(f"{API}/contacts", json=new_contact(app, "Sara", "Kim Lo"),
                        headers=headers)
    assert other_body.status_code == 422
    error = other_body.json()["error"]
    assert error["field"] == "Idempotency-Key" and "another request" in error["message"]
    other_route = c.post(f"{API}/accounts", json={"name": "Beta"}, headers=headers)
    assert other_route.status_code == 422 and "POST /api/v1/contacts" in \
        other_route.json()["error"]["message"]
    assert contacts_named(app, "Kim Lo") == 0
    bad = c.post(f"{API}/accounts", json={"name": "Beta"},
                 headers={"Idempotency-Key": "x" * 201})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "Idempotency-Key"


def test_keys_are_each_persons_own(app: Any) -> None:
    headers = {"Idempotency-Key": "shared-key"}
    sara = client(app, "Sara").post(f"{API}/accounts", json={"name": "Gamma"}, headers=headers)
    tom = client(app, "Tom").post(f"{API}/accounts", json={"name": "Gamma"}, headers=headers)
    assert sara.status_code == tom.status_code == 201
    assert sara.json()["id"] != tom.json()["id"]
    assert sara.json()["owner_id"] != tom.json()["owner_id"]


def test_a_failed_request_is_not_kept_and_keys_expire_after_a_day(app: Any, clock: Any) -> None:
    c = client(app, "Sara")
    headers = {"Idempotency-Key": "k-fail"}
    missing = {"name": "Lee Park", "account_id": 999_999}
    assert c.post(f"{API}/contacts", json=missing, headers=headers).status_code == 404
    assert c.post(f"{API}/contacts", json=new_contact(app, "Sara"),
                  headers=headers).status_code == 201  # the failure left the key free
    headers = {"Idempotency-Key": "k-day"}
    assert c.post(f"{API}/accounts", json={"name": "Delta"}, headers=headers).status_code == 201
    clock.advance(hours=23)
    assert c.post(f"{API}/accounts", json={"name": "Delta"},
                  headers=headers).headers.get("idempotent-replayed") == "true"
    clock.advance(hours=2)
    fresh = c.post(f"{API}/accounts", json={"name": "Delta"}, headers=headers)
    assert fresh.status_code == 201 and "idempotent-replayed" not in fresh.headers


def test_a_copy_that_arrives_while_the_first_runs_is_told_so(app: Any) -> None:
    from notnow.services import idempotency
    from notnow.services.team.auth import actor_for_token

    ws = app.state.ws
    sara = actor_for_token(ws, app.state.tokens["Sara"])
    route = f"POST {API}/accounts"
    body = b'{"name": "Epsilon"}'
    assert idempotency.claim(ws, sara, "k-run", route, idempotency.fingerprint(route, body)) \
        is None  # a first copy, still running
    r = client(app, "Sara").post(f"{API}/accounts", content=body,
                                 headers={"Idempotency-Key": "k-run",
                                          "content-type": "application/json"})
    assert r.status_code == 409 and r.json()["error"]["field"] == "Idempotency-Key"
    with pytest.raises(Exception, match="still running"):
        idempotency.claim(ws, sara, "k-run", route, idempotency.fingerprint(route, body))


def test_concurrent_duplicates_record_once(app: Any) -> None:
    """Eight copies of one request at once, through a real server: one contact."""
    body = new_contact(app, "Sara", "Noa Vance")
    headers = {"authorization": f"Bearer {app.state.tokens['Sara']}",
               "Idempotency-Key": "burst-1"}
    statuses: list[int] = []
    ids: set[int] = set()
    with running_server(app) as base:
        barrier = threading.Barrier(8)

        def send() -> None:
            request = urllib.request.Request(
                f"{base}{API}/contacts", data=json.dumps(body).encode(), method="POST",
                headers={**headers, "content-type": "application/json"})
            barrier.wait()
            try:
                with urllib.request.urlopen(request, timeout=30) as r:
                    statuses.append(r.status)
                    ids.add(json.loads(r.read())["id"])
            except urllib.error.HTTPError as refused:
                statuses.append(refused.code)

        threads = [threading.Thread(target=send) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert set(statuses) <= {201, 409} and 201 in statuses, statuses
    assert len(ids) == 1 and contacts_named(app, "Noa Vance") == 1


def test_the_api_description_names_the_header(app: Any) -> None:
    schema = client(app, "Sara").get("/openapi.json").json()
    post = schema["paths"][f"{API}/contacts"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header"
               for p in post.get("parameters", []))
