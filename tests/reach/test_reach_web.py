"""The reach settings page and API: the feed's full address shown once and rotated from the
page, the feed answering a plain GET and HEAD (read back by icalendar), the test button and
the delivery log, and who may manage webhooks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from reach_support import NOW, add_followup

from actors import owner_of, user
from web_support import local_client, seed


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only: these pin the interface; the services' tests run on PostgreSQL too."""
    return f"sqlite:///{tmp_path / 'notnow.db'}"


@pytest.fixture
def app(config: Any, clock: Any) -> Iterator[Any]:
    from notnow.web import create_app

    app = create_app(config, clock=clock)
    yield app
    app.state.ws.close()


def _csrf(c: TestClient) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/settings/reach").text)
    assert found
    return found.group(1)


def test_the_page_shows_the_feed_address_once_and_rotates_it(app: Any) -> None:
    ws = app.state.ws
    data = seed(ws)
    add_followup(ws.db, (data.contact_id, data.account_id), ws.owner_id,
                 NOW.date() + timedelta(days=1), purpose="Call Dana back")
    with local_client(app, follow_redirects=False) as c:
        page = c.get("/settings/reach")
        assert page.status_code == 200 and "Make my feed" in page.text
        token = _csrf(c)
        made = c.post("/settings/reach/feed", data={"csrf_token": token})
        assert made.status_code == 200
        url = re.search(r'class="feed-url"[^>]*>(http://127\.0\.0\.1/calendar/feed/'
                        r'nncal_[\w-]+\.ics)<', made.text)
        assert url, made.text[:2000]
        path = url.group(1).removeprefix("http://127.0.0.1")
        assert path not in c.get("/settings/reach").text  # shown once

        answer = c.get(path, headers={"Accept": "text/calendar"})
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
        assert answer.headers["etag"] and answer.headers["last-modified"]
        assert "set-cookie" not in answer.headers
        [event] = Calendar.from_ical(answer.content).walk("VEVENT")
        assert "Dana" in str(event.get("summary"))
        head = c.head(path)
        assert head.status_code == 200 and head.content == b""
        assert c.get(path, headers={"If-None-Match": answer.headers["etag"]}).status_code == 304

        rotated = c.post("/settings/reach/feed", data={"csrf_token": token})
        assert "Rotate the address" in rotated.text
        assert c.get(path).status_code == 404
        new = re.search(r"/calendar/feed/nncal_[\w-]+\.ics", rotated.text)
        assert new and c.get(new.group(0)).status_code == 200


def test_the_api_gives_the_full_address(app: Any) -> None:
    with local_client(app) as c:
        assert c.get("/api/v1/calendar/feed").json()["exists"] is False
        made = c.post("/api/v1/calendar/feed", json={}).json()
        assert made["url"] == f"http://127.0.0.1{made['path']}"
        status = c.get("/api/v1/calendar/feed").json()
        assert status["exists"] is True and status["token"] is None
        assert c.put("/api/v1/digest", json={"enabled": False, "send_at": "09:15"}).json()[
            "send_at"] == "09:15"


def test_webhooks_from_the_page_test_button_and_log(app: Any, receiver: Any) -> None:
    with local_client(app, follow_redirects=False) as c:
        token = _csrf(c)
        added = c.post("/settings/reach/webhooks", data={
            "csrf_token": token, "url": receiver.url, "kind": "standard",
            "events": ["rejection.logged", "followup.due"]})
        assert added.status_code == 200
        secret = re.search(r"whsec_[A-Za-z0-9+/=]+", added.text)
        assert secret
        assert secret.group(0) not in c.get("/settings/reach").text
        hook = c.get("/api/v1/webhooks").json()[0]
        tested = c.post(f"/settings/reach/webhooks/{hook['id']}/test",
                        data={"csrf_token": token})
        assert tested.status_code == 200 and "delivered (200)" in tested.text
        assert "webhook.test" in tested.text  # the delivery log
        assert len(receiver.requests) == 1
        log = c.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()
        assert log[0]["status"] == "delivered"
        assert c.post(f"/settings/reach/webhooks/{hook['id']}/remove",
                      data={"csrf_token": token}).status_code == 303
        assert c.get("/api/v1/webhooks").json() == []


def test_a_salesperson_manages_only_their_own_slack_target(app: Any) -> None:
    from notnow.services.team.auth import create_token

    ws = app.state.ws
    sam = user(ws, "Sam")
    bearer = {"authorization": f"Bearer {create_token(ws, owner_of(ws), 't', user=sam.id).token}"}
    with local_client(app) as c:
        refused = c.post("/api/v1/webhooks", headers=bearer, json={
            "url": "https://crm.example.com/hook", "events": ["rejection.logged"],
            "secret_env": "X"})
        assert refused.status_code == 403
        admins = c.post("/api/v1/webhooks", json={
            "url": "https://crm.example.com/hook", "events": ["rejection.logged"],
            "secret_env": "X"}).json()
        mine = c.post("/api/v1/webhooks", headers=bearer, json={
            "url": "https://hooks.slack.com/services/T/B/C", "kind": "slack",
            "events": ["rejection.logged"], "secret_env": "SAM_SLACK"})
        assert mine.status_code == 201 and mine.json()["owner_id"] == sam.id
        assert mine.json()["url"] == "https://hooks.slack.com/…"  # the URL is the secret
        assert [h["id"] for h in c.get("/api/v1/webhooks", headers=bearer).json()] == [
            mine.json()["id"]]
        other = c.delete(f"/api/v1/webhooks/{admins['id']}", headers=bearer)
        missing = c.delete("/api/v1/webhooks/999999", headers=bearer)
        assert other.status_code == missing.status_code == 404
        assert other.json()["error"]["message"].replace(str(admins["id"]), "#") == \
            missing.json()["error"]["message"].replace("999999", "#")
        assert c.put("/api/v1/smtp", headers=bearer, json={
            "host": "smtp.example.com", "from_address": "n@example.com"}).status_code == 403
