"""The API's long lists — contacts, accounts, opt-outs, rejections, deals, the audit trail —
page by key too: each page says where it ended (``next_after``), and ``?after=`` gives the
page after it, the same rows as paging by offset; a token that names no place is a 422 on
``after``, never a 5xx."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from web_support import Seed

API = "/api/v1"


def _pages(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while True:
        r = client.get(f"{API}{path}", params=params)
        assert r.status_code == 200, r.text
        page = r.json()
        out.append(page)
        if page["next_after"] is None:
            return out
        params = {**params, "after": page["next_after"]}


@pytest.mark.parametrize("path", ["/contacts", "/accounts", "/dnc", "/rejections", "/audit",
                                  "/deals"])
def test_pages_by_key_are_the_pages_by_offset(client: TestClient, data: Seed,
                                              path: str) -> None:
    longest = "😀" * 300  # a name of 300 four-byte characters: the longest token
    for n, name in enumerate(["Émile", "emile", "Zoe", "Ana", "Ana", "Bo", *[longest] * 3]):
        acc = client.post(f"{API}/accounts", json={"name": name}).json()
        c = client.post(f"{API}/contacts", json={"name": name, "account_id": acc["id"]}).json()
        assert client.post(f"{API}/rejections", json={
            "contact_id": c["id"], "label": "not_now"}).status_code == 201
        assert client.post(f"{API}/deals", json={
            "account_id": acc["id"], "offer": "Seats"}).status_code == 201
        if n % 2:
            assert client.post(f"{API}/contacts/{c['id']}/dnc",
                               json={"reason": "asked"}).status_code == 200
    whole = client.get(f"{API}{path}", params={"limit": 500}).json()
    assert whole["next_after"] is None and whole["next_offset"] is None
    by_key = _pages(client, path, limit=2)
    assert [i for p in by_key for i in p["items"]] == whole["items"]
    assert all(len(p["items"]) == 2 for p in by_key[:-1]) and len(by_key) > 1
    if path in ("/contacts", "/accounts"):
        assert max(len(p["next_after"] or "") for p in by_key) > 1000
    by_offset = [client.get(f"{API}{path}", params={"limit": 2, "offset": o}).json()
                 for o in range(0, len(whole["items"]), 2)]
    assert [i for p in by_offset for i in p["items"]] == whole["items"]
    assert [p["next_after"] for p in by_offset] == [p["next_after"] for p in by_key]


def test_after_and_offset_together_are_refused(client: TestClient, data: Seed) -> None:
    first = client.get(f"{API}/contacts", params={"limit": 1}).json()
    assert first["next_after"]
    r = client.get(f"{API}/contacts", params={"after": first["next_after"], "offset": 1})
    assert r.status_code == 422 and r.json()["error"]["field"] == "offset", r.text
    assert "not both" in r.json()["error"]["message"]


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=st.one_of(st.text(max_size=40), st.binary(max_size=40).map(
    lambda b: __import__("base64").urlsafe_b64encode(b).decode()),
    st.text(min_size=1001, max_size=1100)))
def test_any_token_is_a_page_or_a_422_on_after(client: TestClient, token: str) -> None:
    for path in ("/contacts", "/accounts", "/dnc", "/rejections", "/audit", "/deals"):
        r = client.get(f"{API}{path}", params={"after": token})
        assert r.status_code in (200, 422), (path, token, r.text)
        if r.status_code == 422:
            assert r.json()["error"]["field"] == "after", r.text


def test_a_token_nested_deeper_than_python_recurses_is_a_422(client: TestClient) -> None:
    """A token of 1,500 opening brackets made the JSON reader give up with a RecursionError:
    a 500 before."""
    import base64

    nested = base64.urlsafe_b64encode(b"[" * 1500).decode().rstrip("=")
    for path in ("/contacts", "/accounts", "/dnc", "/rejections", "/audit", "/deals"):
        r = client.get(f"{API}{path}", params={"after": nested})
        assert r.status_code == 422 and r.json()["error"]["field"] == "after", r.text
