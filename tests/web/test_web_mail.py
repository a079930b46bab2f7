"""The mail page and the mail API in local mode: connect from the form (a problem shown in
place), each mailbox's last sync and its error in plain words, "sync now", remove."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from web_support import csrf_of, local_client

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def token(c: TestClient) -> str:
    return csrf_of(c.get("/mail").text)


@SQLITE
def test_connect_from_the_page_then_see_the_last_sync_and_its_error(client: TestClient,
                                                                     app: Any) -> None:
    from notnow.storage.tables import Job, Mailbox

    assert "No mailbox connected yet" in client.get("/mail").text
    form = {"csrf_token": token(client), "name": "work", "host": "imap.example.com",
            "username": "owner@vendor.example", "secret_env": "not a variable"}
    bad = client.post("/mail/connect", data=form)
    assert bad.status_code == 400 and "env:VARIABLE" in bad.text
    assert 'value="imap.example.com"' in bad.text  # the form is kept
    form["secret_env"] = "NOTNOW_MAIL_PASSWORD"
    assert client.post("/mail/connect", data=form).status_code == 303
    ws = app.state.ws
    with ws.db.write() as s:
        box = s.scalar(select(Mailbox))
        assert box is not None and box.secret_ref == "env:NOTNOW_MAIL_PASSWORD"
        box.last_error = "logging in (imap.example.com:993): the user name or password was refused"
        box.last_error_at = ws.now()
    html = client.get("/mail").text
    assert "Not synced yet" in html and "password was refused" in html
    assert "env:NOTNOW_MAIL_PASSWORD" in html
    with ws.db.write() as s:  # the recurring job waits five minutes; "sync now" makes it due
        job = s.scalar(select(Job))
        assert job is not None
        job.run_at = ws.now().replace(year=2030)
    assert client.post("/mail/work/sync", data={"csrf_token": token(client)}).status_code == 303
    with ws.db.read() as s:
        job = s.scalar(select(Job))
        assert job is not None and job.run_at == ws.now()
    assert client.post("/mail/nobox/sync", data={"csrf_token": token(client)}).status_code \
        == 404
    assert client.post("/mail/work/remove", data={"csrf_token": token(client)}).status_code \
        == 303
    assert "No mailbox connected yet" in client.get("/mail").text


@SQLITE
def test_the_api_connects_lists_queues_a_sync_and_removes(client: TestClient) -> None:
    h = {"x-csrf-token": token(client)}
    made = client.post("/api/v1/mail/mailboxes", headers=h, json={
        "name": "work", "host": "imap.example.com", "username": "owner@vendor.example",
        "oauth2_token_env": "GMAIL_TOKEN"})
    assert made.status_code == 201 and made.json()["auth_kind"] == "oauth2"
    page = client.get("/api/v1/mail/mailboxes").json()
    assert [b["secret"] for b in page["items"]] == ["env:GMAIL_TOKEN"]
    assert client.post("/api/v1/mail/mailboxes/work/sync", headers=h).status_code == 202
    assert client.get("/api/v1/mail/messages").json()["items"] == []
    assert client.delete("/api/v1/mail/mailboxes/work", headers=h).status_code == 200
    assert client.delete("/api/v1/mail/mailboxes/work", headers=h).status_code == 404


@SQLITE
def test_in_local_mode_the_app_runs_the_worker_in_a_thread(config: Any, clock: Any) -> None:
    import time

    from notnow.storage.tables import Mailbox
    from notnow.web import create_app

    app = create_app(config, clock=clock, worker=True, environ={})
    with local_client(app, follow_redirects=False) as c:
        h = {"x-csrf-token": token(c)}
        assert c.post("/api/v1/mail/mailboxes", headers=h, json={
            "name": "work", "host": "127.0.0.1", "port": 9, "username": "owner@vendor.example",
            "password_env": "NOT_SET_HERE", "security": "none"}).status_code == 201
        deadline = time.monotonic() + 30
        error = None
        while error is None and time.monotonic() < deadline:
            time.sleep(0.1)
            with app.state.ws.db.read() as s:
                error = s.scalar(select(Mailbox.last_error))
        # the sync ran in the app's own worker: the secret is not in its environment
        assert error is not None and "NOT_SET_HERE is not set" in error
