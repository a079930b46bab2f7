"""Headers on every answer: private answers are never cached, the security headers are on
errors and static files too, and team mode tells browsers to keep to HTTPS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from web_support import LOCAL, LOOPBACK_PEER

API = "/api/v1"
SECURITY = ("x-content-type-options", "x-frame-options", "referrer-policy",
            "content-security-policy")


def _boom() -> None:
    raise RuntimeError("postgresql://notnow:hunter2@db.internal/notnow exploded")


@pytest.fixture(scope="module", params=["local", "team"])
def client(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app per mode (SQLite): the headers are added around everything, whatever the
    database."""
    from notnow import settings
    from notnow.web import create_app

    team = request.param == "team"
    home = tmp_path_factory.mktemp(request.param)
    app = create_app(settings.load({"NOTNOW_HOME": str(home)}), team=team)
    app.add_api_route("/api/v1/boom", _boom)  # a route with a bug nobody foresaw
    app.add_api_route("/boom", _boom)
    base = "https://notnow.example" if team else LOCAL
    with TestClient(app, base_url=base, client=LOOPBACK_PEER, follow_redirects=False,
                    raise_server_exceptions=False) as c:
        c.team = team  # type: ignore[attr-defined]
        yield c
    app.state.ws.close()


def secure(r: Any, *, team: bool, private: bool = True) -> None:
    for name in SECURITY:
        assert name in r.headers, (r.request.url, r.status_code, name)
    assert r.headers["x-frame-options"] == "DENY"
    assert ("strict-transport-security" in r.headers) is team
    if private:
        assert r.headers["cache-control"] == "no-store", (r.request.url, r.status_code)


def test_private_pages_and_api_answers_are_not_cached(client: Any) -> None:
    team = client.team
    for path in ("/", "/journal", "/login", f"{API}/me", f"{API}/accounts", "/openapi.json"):
        r = client.get(path)
        assert r.status_code in (200, 303, 401), path
        secure(r, team=team)


def test_errors_carry_the_headers_too(client: Any) -> None:
    team = client.team
    answers = {
        404: client.get("/no/such/page"),
        405: client.delete("/journal"),
        422: client.get(f"{API}/accounts", params={"limit": "many"}),
        500: client.get(f"{API}/boom"),
    }
    if team:
        answers[401] = client.get(f"{API}/accounts")
    for status, r in answers.items():
        if team and status == 422:
            assert r.status_code == 401  # not signed in comes first
        else:
            assert r.status_code == status, (status, r.text)
        secure(r, team=team)
    boom = answers[500]
    assert boom.json()["error"]["code"] == "internal_error"
    assert "hunter2" not in boom.text and "postgresql" not in boom.text
    page = client.get("/boom")
    assert page.status_code == 500 and "hunter2" not in page.text
    secure(page, team=team)


def test_static_files_carry_the_security_headers_and_may_be_cached(client: Any) -> None:
    r = client.get("/static/notnow.css")
    assert r.status_code == 200
    secure(r, team=client.team, private=False)
    assert r.headers.get("cache-control") != "no-store"
    missing = client.get("/static/nothing.css")
    assert missing.status_code == 404
    secure(missing, team=client.team, private=False)


def test_hsts_only_in_team_mode(client: Any) -> None:
    r = client.get(f"{API}/me")
    if client.team:
        assert r.headers["strict-transport-security"] == "max-age=31536000"
    else:
        assert "strict-transport-security" not in r.headers
