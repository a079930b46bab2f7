"""Kept answers (issue 16, `notnow.web.answers`): a hot read asked again while nothing it shows
changed is replayed without running its route; never to anyone else, never after a write it
depends on, never past the session; a page's CSRF token is new on every replay; fifty readers
after a write cost one computation."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from actors import owner_of
from web_support import csrf_of, local_client, seed

FAR = "2030-01-02"  # after every follow-up these tests plan: all of them are due
HTTPS = "https://notnow.example"


def _count_routes(app: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The hot routes' runs, by what they read from the app's cache."""
    cache = app.state.agenda
    runs: list[str] = []
    real_agenda, real_get = cache.agenda, cache.get

    def agenda(*a: Any, **kw: Any) -> Any:
        runs.append("agenda")
        return real_agenda(*a, **kw)

    def get(key: Any, *a: Any, **kw: Any) -> Any:
        if key[0] in ("account", "api-account", "api-contact"):
            runs.append(key[0])
        return real_get(key, *a, **kw)

    monkeypatch.setattr(cache, "agenda", agenda)
    monkeypatch.setattr(cache, "get", get)
    return runs


def _reject(client: Any, contact_id: int, text: str = "Not now, try me in March.") -> None:
    r = client.post("/api/v1/rejections", json={"contact_id": contact_id, "text": text})
    assert r.status_code == 201, r.text


def test_a_hot_read_asked_again_is_replayed_until_a_write(
        app: Any, client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before, every request ran its route (the dependencies, the handler on the thread pool,
    the template) even when the data it shows was kept."""
    a = seed(app.state.ws)
    _reject(client, a.contact_id)
    client.get("/")  # the browser's first visit sets its CSRF cookie: sent from now on
    runs = _count_routes(app, monkeypatch)
    paths = ["/", f"/accounts/{a.account_id}", f"/api/v1/accounts/{a.account_id}",
             f"/api/v1/contacts/{a.contact_id}", f"/api/v1/agenda?day={FAR}"]
    first = {p: client.get(p) for p in paths}
    assert all(r.status_code == 200 for r in first.values())
    ran = len(runs)
    assert ran >= len(paths)
    again = {p: client.get(p) for p in paths}
    assert len(runs) == ran, runs[ran:]  # all replayed
    for p in paths:
        assert again[p].content == first[p].content, p
        assert again[p].headers["content-type"] == first[p].headers["content-type"]
        assert again[p].headers["cache-control"] == "no-store"  # the outer layers still apply
    _reject(client, a.other_contact_id, "We went with Rival Inc, sorry.")  # a write
    after = client.get(f"/api/v1/agenda?day={FAR}").json()
    assert len(runs) > ran
    assert a.other_contact_id in {i["contact_id"] for i in after["items"]}


def test_a_write_to_another_account_keeps_an_accounts_answer(
        app: Any, client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = app.state.ws
    if ws.db.is_sqlite:
        pytest.skip("SQLite: any write touches everything (one file, its size and time)")
    a, b = seed(ws), seed(ws, name="Birch Ltd")
    client.get("/")  # the browser's CSRF cookie, sent from now on
    runs = _count_routes(app, monkeypatch)
    page = client.get(f"/accounts/{a.account_id}").text
    ran = len(runs)
    _reject(client, b.contact_id)  # Birch's
    assert client.get(f"/accounts/{a.account_id}").text == page
    assert len(runs) == ran  # replayed
    _reject(client, a.contact_id)  # Acme's own
    assert client.get(f"/accounts/{a.account_id}").text != page
    assert len(runs) > ran


def test_a_replayed_page_gets_a_csrf_token_of_its_own(
        app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A request without a token gets a page with a new one (for htmx and in its cookie); a
    replay must not hand the same token to someone else, and each one works."""
    seed(app.state.ws)
    runs = _count_routes(app, monkeypatch)
    browsers = [local_client(app, follow_redirects=False) for _ in range(3)]
    pages = []
    for fresh in browsers:  # no cookie yet
        r = fresh.get("/")
        assert r.status_code == 200
        found = re.search(r'"X-CSRF-Token": "([^"]+)"', r.text)
        assert found, "no CSRF token for htmx"
        assert fresh.cookies.get("notnow_csrf") == found.group(1)  # the cookie holds the page's
        pages.append((found.group(1), r.text))
    assert runs.count("agenda") == 1  # the second and third were replayed
    tokens = [t for t, _ in pages]
    assert len(set(tokens)) == 3
    assert pages[1][1].replace(tokens[1], tokens[0]) == pages[0][1]  # the same page otherwise
    for fresh, token in zip(browsers, tokens, strict=True):
        form = fresh.post("/journal", data={"text": "Lost one.", "csrf_token": token})
        assert form.status_code < 400, form.text  # the token works
        other = fresh.post("/journal", data={"text": "Lost one.", "csrf_token": tokens[
            (tokens.index(token) + 1) % 3]})
        assert other.status_code == 403  # another browser's does not


def test_a_replay_needs_a_second_request_alike(
        app: Any, client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The query, htmx's headers and our cookies are part of what is asked."""
    seed(app.state.ws)
    runs = _count_routes(app, monkeypatch)
    client.get("/api/v1/agenda?limit=5")
    ran = len(runs)
    client.get("/api/v1/agenda?limit=6")
    client.get("/api/v1/agenda?limit=5", headers={"HX-Request": "true"})
    assert len(runs) == ran + 2
    client.get("/api/v1/agenda?limit=5", headers={"User-Agent": "another browser"})
    assert len(runs) == ran + 2  # the user agent changes nothing


def test_an_answer_too_large_is_neither_kept_nor_held(
        app: Any, client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long streamed answer (an export) must not be held in memory on its way out."""
    from notnow.web import answers

    seed(app.state.ws)
    runs = _count_routes(app, monkeypatch)
    monkeypatch.setattr(answers, "ANSWER_BYTES", 20)
    first = client.get("/api/v1/agenda?limit=5")
    assert len(first.content) > 20
    assert client.get("/api/v1/agenda?limit=5").content == first.content
    assert runs.count("agenda") == 2  # not replayed
    monkeypatch.setattr(answers, "ANSWER_BYTES", 10**6)
    client.get("/api/v1/agenda?limit=5")
    client.get("/api/v1/agenda?limit=5")
    assert runs.count("agenda") == 3


@pytest.fixture
def team_app(config: Any, clock: Any) -> Iterator[Any]:
    from notnow.services.team.auth import add_user
    from notnow.web import create_app

    app = create_app(config, clock=clock, team=True)
    ws = app.state.ws
    for email, role in (("ada@example.com", "admin"), ("sara@example.com", "salesperson"),
                        ("tom@example.com", "salesperson")):
        add_user(ws, owner_of(ws), {"name": email.split("@")[0].title(), "email": email,
                                    "role": role, "password": "correct horse battery"})
    yield app
    app.state.agenda.close()
    ws.close()


def _token(ws: Any, email: str) -> str:
    from notnow.services.team.acting import actor_for
    from notnow.services.team.auth import create_token, resolve_user

    with ws.db.read() as s:
        uid = resolve_user(s, email).id
    return create_token(ws, actor_for(ws, uid), "script").token  # type: ignore[no-any-return]


def test_an_answer_is_replayed_only_to_the_same_credentials(team_app: Any) -> None:
    """Sara's kept contact is not Tom's to read; a revoked token gets no replay."""
    from notnow.services.capture.log import log_rejection
    from notnow.services.team.acting import actor_for
    from notnow.services.team.auth import resolve_user

    ws = team_app.state.ws
    with ws.db.read() as s:
        sara = actor_for(ws, resolve_user(s, "sara@example.com").id)
    mine = seed(ws, sara)
    log_rejection(ws, sara, {"text": "Not now, try me in March."}, contact=mine.contact_id)
    sara_key, tom_key = _token(ws, "sara@example.com"), _token(ws, "tom@example.com")
    with TestClient(team_app, base_url=HTTPS) as c:
        path = f"/api/v1/contacts/{mine.contact_id}"
        for _ in range(2):
            assert c.get(path, headers={"Authorization": f"Bearer {sara_key}"}
                         ).status_code == 200
        assert c.get(path, headers={"Authorization": f"Bearer {tom_key}"}).status_code == 404
        assert c.get(path, headers={"Authorization": f"Bearer {tom_key}x"}).status_code == 401
        assert c.get(path).status_code == 401
        mine_page = c.get("/api/v1/agenda", headers={"Authorization": f"Bearer {sara_key}"})
        toms = c.get("/api/v1/agenda", headers={"Authorization": f"Bearer {tom_key}"})
        assert mine_page.json() != toms.json() and toms.json()["items"] == []
        tokens = c.get("/api/v1/tokens", headers={"Authorization": f"Bearer {sara_key}"}).json()
        revoked = c.delete(f"/api/v1/tokens/{tokens[0]['id']}",
                           headers={"Authorization": f"Bearer {sara_key}"})
        assert revoked.status_code < 300, revoked.text
        assert c.get(path, headers={"Authorization": f"Bearer {sara_key}"}).status_code == 401


def test_an_answer_is_not_replayed_past_the_end_of_its_session(
        team_app: Any, clock: Any) -> None:
    from notnow.services.team.sessions import IDLE

    with TestClient(team_app, base_url=HTTPS, follow_redirects=False) as c:
        token = csrf_of(c.get("/login").text)
        assert c.post("/login", data={"email": "sara@example.com",
                                      "password": "correct horse battery",
                                      "csrf_token": token}).status_code == 303
        assert c.get("/").status_code == 200
        assert c.get("/").status_code == 200  # kept
        clock.advance(seconds=(IDLE + IDLE / 10).total_seconds())  # the session ends
        r = c.get("/")
        assert r.status_code == 303 and r.headers["location"].startswith("/login")


async def _get(app: Any, path: str) -> tuple[int, bytes]:
    """One GET straight into the app, as uvicorn hands it over (many at once on one loop)."""
    sent: list[Any] = []
    path, _, query = path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
             "root_path": "", "query_string": query.encode(),
             "headers": [(b"host", b"127.0.0.1:8000")], "client": ("127.0.0.1", 5000),
             "server": ("127.0.0.1", 8000), "state": {}}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def test_readers_arriving_together_after_a_write_share_one_computation(
        app: Any, client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before, each of them ran the route on the thread pool (the ranking itself was shared,
    but every request held a thread while it waited)."""
    a = seed(app.state.ws)
    _reject(client, a.contact_id)
    runs = _count_routes(app, monkeypatch)

    async def together() -> list[tuple[int, bytes]]:
        return await asyncio.gather(*(_get(app, f"/api/v1/agenda?day={FAR}")
                                      for _ in range(20)))

    answers = asyncio.run(together())
    assert {status for status, _ in answers} == {200}
    assert len({body for _, body in answers}) == 1
    assert runs.count("agenda") == 1, runs
    assert re.search(rb'"contact_id":\s*%d' % a.contact_id, answers[0][1])


def test_a_reader_that_leaves_while_queued_holds_up_nobody(
        app: Any, client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A request queued behind a computation and cancelled (its client left) must not leave
    the next computation waiting for it forever."""
    import time as clock

    a = seed(app.state.ws)
    _reject(client, a.contact_id)
    cache = app.state.agenda
    real = cache.agenda

    def slow(*args: Any, **kw: Any) -> Any:
        clock.sleep(0.3)
        return real(*args, **kw)

    monkeypatch.setattr(cache, "agenda", slow)
    path = f"/api/v1/agenda?day={FAR}"

    async def scene() -> tuple[int, bytes]:
        first = asyncio.create_task(_get(app, path))  # computing
        await asyncio.sleep(0.1)
        await asyncio.to_thread(_reject, client, a.other_contact_id)  # newer data wanted
        queued = asyncio.create_task(_get(app, path))  # waits for the next computation
        await asyncio.sleep(0.05)
        queued.cancel()
        await first
        again = asyncio.create_task(_get(app, path))  # computing again
        await asyncio.sleep(0.1)
        await asyncio.to_thread(_reject, client, a.contact_id, "No budget this year.")
        answer = await asyncio.wait_for(_get(app, path), 10)  # queued: behind `again` only
        await again
        return answer

    status, body = asyncio.run(scene())
    assert status == 200 and b'"contact_id":%d' % a.other_contact_id in body
