"""Team mode: sign-in, cookies, CSRF, tokens, rate limits, roles and private journals."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from actors import as_id, owner_of
from web_support import csrf_of, seed

API = "/api/v1"
HTTPS = "https://notnow.example"
PASSWORD = "correct horse battery"


@pytest.fixture
def app(config: Any, clock: Any) -> Iterator[Any]:
    from notnow.services.team.auth import add_user, list_users
    from notnow.web import create_app

    app = create_app(config, clock=clock, team=True)
    ws = app.state.ws
    admin = add_user(ws, owner_of(ws),
                     {"name": "Ada Admin", "email": "ada@example.com", "role": "admin",
                          "password": PASSWORD})
    boss = add_user(ws, owner_of(ws),
                    {"name": "Max Manager", "email": "max@example.com", "role": "manager",
                         "password": PASSWORD})
    add_user(ws, owner_of(ws),
             {"name": "Sara Seller", "email": "sara@example.com", "password": PASSWORD},
             manager=boss.id)
    add_user(ws, owner_of(ws),
             {"name": "Tom Seller", "email": "tom@example.com", "password": PASSWORD})
    app.state.ids = {u.email: u.id for u in list_users(ws, owner_of(ws))}
    assert app.state.ids["ada@example.com"] == admin.id
    yield app
    ws.close()


def browser(app: Any) -> TestClient:
    return TestClient(app, base_url=HTTPS, follow_redirects=False)




def sign_in(c: TestClient, email: str, password: str = PASSWORD) -> Any:
    token = csrf_of(c.get("/login").text)
    return c.post("/login", data={"email": email, "password": password, "csrf_token": token,
                                  "next": "/"})


def as_user(app: Any, email: str) -> TestClient:
    c = browser(app)
    assert sign_in(c, email).status_code == 303
    return c


def test_pages_and_api_need_sign_in(app: Any) -> None:
    with browser(app) as c:
        r = c.get("/accounts")
        assert r.status_code == 303 and r.headers["location"] == "/login?next=/accounts"
        r = c.get(f"{API}/me")
        assert r.status_code == 401 and r.json()["error"]["code"] == "authentication_failed"


def test_sign_in_sets_a_safe_cookie_and_sign_out_ends_it(app: Any) -> None:
    with browser(app) as c:
        r = sign_in(c, "sara@example.com")
        assert r.status_code == 303 and r.headers["location"] == "/"
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "secure" in cookie and "samesite=lax" in cookie
        assert c.get(f"{API}/me").json()["email"] == "sara@example.com"
        home = c.get("/")
        assert home.status_code == 200 and "Sara Seller" in home.text
        assert c.post("/logout", data={"csrf_token": csrf_of(home.text)}).status_code == 303
        assert c.get(f"{API}/me").status_code == 401


def test_wrong_password_and_rate_limit(app: Any) -> None:
    with browser(app) as c:
        for _ in range(5):
            r = sign_in(c, "tom@example.com", "wrong password!")
            assert r.status_code == 401 and "wrong email or password" in r.text
        r = sign_in(c, "tom@example.com")  # the right one, too late
        assert r.status_code == 429 and "too many failed sign-ins" in r.text
        assert c.get(f"{API}/me").status_code == 401
    with browser(app) as other:  # the same address, another account: not locked out
        assert sign_in(other, "sara@example.com").status_code == 303


def test_open_redirects_are_refused(app: Any) -> None:
    with browser(app) as c:
        token = csrf_of(c.get("/login").text)
        r = c.post("/login", data={"email": "sara@example.com", "password": PASSWORD,
                                   "csrf_token": token, "next": "//evil.example/x"})
        assert r.headers["location"] == "/"


def test_forms_need_the_csrf_token(app: Any) -> None:
    with browser(app) as c:
        r = c.post("/login", data={"email": "sara@example.com", "password": PASSWORD})
        assert r.status_code == 403
    with as_user(app, "sara@example.com") as c:
        r = c.post(f"{API}/accounts", json={"name": "No token"})
        assert r.status_code == 403 and r.json()["error"]["field"] == "csrf_token"
        token = csrf_of(c.get("/journal").text)
        r = c.post(f"{API}/accounts", json={"name": "With token"},
                   headers={"x-csrf-token": token})
        assert r.status_code == 201
        r = c.post("/journal", data={"text": "forged", "csrf_token": "x" * 43})
        assert r.status_code == 403


def test_api_tokens_act_as_their_user_without_csrf(app: Any) -> None:
    from notnow.services.team.auth import create_token, disable_user

    ws = app.state.ws
    tok = create_token(ws, owner_of(ws), "script", user="tom@example.com").token
    with TestClient(app, base_url=HTTPS) as c:
        h = {"authorization": f"Bearer {tok}"}
        assert c.get(f"{API}/me", headers=h).json()["email"] == "tom@example.com"
        assert c.post(f"{API}/accounts", json={"name": "Scripted"}, headers=h).status_code == 201
        disable_user(ws, owner_of(ws), "tom@example.com")
        assert c.get(f"{API}/me", headers=h).status_code == 401
        assert c.get(f"{API}/me", headers={"authorization": "Bearer nn_made_up"}) \
            .status_code == 401


def test_only_admins_manage_users(app: Any) -> None:
    with as_user(app, "max@example.com") as c:  # a manager sees their team, adds no one
        emails = {u["email"] for u in c.get(f"{API}/users").json()["items"]}
        assert emails == {"max@example.com", "sara@example.com"}
        token = csrf_of(c.get("/journal").text)
        r = c.post(f"{API}/users", json={"name": "New", "email": "new@example.com",
                                         "role": "salesperson"}, headers={"x-csrf-token": token})
        assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"
    with as_user(app, "ada@example.com") as c:
        token = csrf_of(c.get("/journal").text)
        emails = {u["email"] for u in c.get(f"{API}/users").json()["items"]}
        assert {"ada@example.com", "sara@example.com", "tom@example.com"} <= emails
        r = c.post(f"{API}/users", json={"name": "New", "email": "new@example.com",
                                         "role": "salesperson"}, headers={"x-csrf-token": token})
        assert r.status_code == 201


def test_agenda_roles(app: Any) -> None:
    ws = app.state.ws
    ids = app.state.ids
    from notnow.services.capture.log import log_rejection

    for who in ("sara@example.com", "tom@example.com"):
        actor = as_id(ws, ids[who])
        data = seed(ws, actor, name=f"{actor.name}'s account")
        log_rejection(ws, actor, {"label": "not_now", "checkback": "2026-11-23"},
                      contact=data.contact_id)
    with as_user(app, "sara@example.com") as c:
        mine = c.get(f"{API}/agenda").json()["items"]
        assert len(mine) == 1
        assert 'id="whose"' not in c.get("/").text
        r = c.get(f"{API}/agenda", params={"user_id": ids["tom@example.com"]})
        assert r.status_code == 404  # another team's agenda: not even its existence
    with as_user(app, "max@example.com") as c:  # Sara reports to Max; Tom does not
        assert len(c.get(f"{API}/agenda", params={"user_id": ids["sara@example.com"]})
                   .json()["items"]) == 1
        assert c.get(f"{API}/agenda", params={"user_id": ids["tom@example.com"]}) \
            .status_code == 404
        assert c.get(f"/?user_id={ids['tom@example.com']}").status_code == 404
        home = c.get("/").text
        assert 'id="whose"' in home and "Sara Seller" in home and "Tom Seller" not in home
        assert "Dana Lee" in c.get(f"/?user_id={ids['sara@example.com']}").text
    with as_user(app, "ada@example.com") as c:
        assert len(c.get(f"{API}/agenda", params={"user_id": ids["tom@example.com"]})
                   .json()["items"]) == 1


def test_journals_are_private_even_to_managers_and_admins(app: Any) -> None:
    from notnow.services.learning.journal import add_entry

    ws = app.state.ws
    sara = as_id(ws, app.state.ids["sara@example.com"])
    entry = add_entry(ws, sara, "I felt brushed off; try the COO next time.")
    with as_user(app, "sara@example.com") as c:
        assert c.get(f"/journal/{entry.id}").status_code == 200
        assert c.get(f"{API}/journal/{entry.id}").json()["text"].startswith("I felt")
    for other in ("tom@example.com", "max@example.com", "ada@example.com"):
        with as_user(app, other) as c:
            page = c.get(f"/journal/{entry.id}")
            assert page.status_code == 404 and "brushed off" not in page.text
            assert c.get(f"{API}/journal/{entry.id}").status_code == 404
            assert c.get(f"{API}/journal").json()["items"] == []
            assert "brushed off" not in c.get("/journal").text
