"""`notnow calendar feed`, `notnow webhook …`, `notnow digest …`, `notnow caldav …` and
`notnow worker --once` at the prompt: the contract of the issue, exit codes, JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only: these pin the interface; the services' tests run on PostgreSQL too."""
    return f"sqlite:///{tmp_path / 'notnow.db'}"


@pytest.fixture
def team(cli, monkeypatch):  # type: ignore[no-untyped-def]
    cli("user", "add", "Sam Cole", "--email", "sam@example.com", "--no-password")
    return cli


def test_calendar_feed_prints_the_path_and_token_once_and_rotates(team) -> None:  # type: ignore[no-untyped-def]
    made = team("calendar", "feed")
    assert made.code == 0
    path = made.out.strip()
    match = re.fullmatch(r"/calendar/feed/(nncal_[A-Za-z0-9_-]{43})\.ics", path)
    assert match and match.group(1) in made.err
    again = team("calendar", "feed", "--json")
    assert again.code == 0
    shown = again.json()
    assert shown["token"] is None and shown["path"] is None  # stored hashed: shown once
    rotated = team("calendar", "feed", "--rotate", "--json").json()
    assert rotated["token"] and rotated["path"] == f"/calendar/feed/{rotated['token']}.ics"
    assert rotated["token"] != match.group(1) and rotated["rotated_at"]


def test_webhook_add_list_test_log_remove(team, receiver, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    added = team("webhook", "add", receiver.url, "--events",
                 "rejection.logged,contact.opted_out", "--json")
    assert added.code == 0, added.err
    hook = added.json()
    assert hook["events"] == ["rejection.logged", "contact.opted_out"]
    assert hook["signing_secret"].startswith("whsec_") and hook["secret"] == "sealed"
    assert team("webhook", "list", "--json").json()[0]["id"] == hook["id"]
    assert "whsec_" not in team("webhook", "list", "--json").out  # shown once only

    tested = team("webhook", "test", str(hook["id"]), "--json")
    assert tested.code == 0 and tested.json()["delivered"] is True
    [request] = receiver.requests
    assert json.loads(request["body"])["type"] == "webhook.test"
    assert request["headers"]["webhook-signature"].startswith("v1,")
    log = team("webhook", "log", str(hook["id"]), "--json").json()
    assert [(d["event_type"], d["status"], d["status_code"]) for d in log] == [
        ("webhook.test", "delivered", 200)]

    bad = team("webhook", "add", receiver.url, "--events", "rejection.maybe")
    assert bad.code == 1 and "unknown event" in bad.err
    monkeypatch.setenv("NOTNOW_USER", "sam@example.com")
    refused = team("webhook", "add", receiver.url, "--events", "rejection.logged",
                   "--secret-env", "X")
    assert refused.code == 1 and "only an admin" in refused.err
    assert team("webhook", "list", "--json").json() == []
    gone = team("webhook", "remove", str(hook["id"]))
    assert gone.code == 1 and f"no webhook with id {hook['id']}" in gone.err
    monkeypatch.delenv("NOTNOW_USER")
    assert team("webhook", "remove", str(hook["id"])).code == 0
    assert team("webhook", "list", "--json").json() == []


def test_webhook_secret_from_the_environment_is_never_stored(team, receiver,  # type: ignore[no-untyped-def]
                                                             monkeypatch) -> None:
    from notnow.reach.webhooks import new_secret

    secret = new_secret()
    monkeypatch.setenv("HOOK_SECRET", secret)
    hook = team("webhook", "add", receiver.url, "--events", "followup.due",
                "--secret-env", "HOOK_SECRET", "--json").json()
    assert hook["signing_secret"] is None and hook["secret"] == "env:HOOK_SECRET"
    assert team("webhook", "test", str(hook["id"])).code == 0
    monkeypatch.delenv("HOOK_SECRET")
    failed = team("webhook", "test", str(hook["id"]))
    assert failed.code == 1 and "HOOK_SECRET" in failed.err


def test_digest_and_caldav_are_each_persons_own(team, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NOTNOW_USER", "sam@example.com")
    on = team("digest", "on", "--at", "08:00", "--timezone", "Europe/Berlin", "--json")
    assert on.code == 0 and on.json() == {"user_id": on.json()["user_id"], "enabled": True,
                                          "send_at": "08:00", "timezone": "Europe/Berlin",
                                          "weekly_note": False}
    assert team("digest", "on", "--weekly").code == 1  # the weekly note is for managers
    assert team("digest", "off", "--json").json()["enabled"] is False
    assert team("digest", "smtp", "smtp.example.com", "--from", "n@example.com").code == 1
    connected = team("caldav", "connect", "https://dav.example.com/", "--username", "sam",
                     "--password-env", "DAV_PW", "--json")
    assert connected.code == 0 and connected.json()["secret"] == "env:DAV_PW"
    assert "password" not in json.dumps(connected.json()).lower().replace("password_env", "")
    assert team("caldav", "show", "--json").json()["username"] == "sam"
    monkeypatch.delenv("NOTNOW_USER")
    assert team("caldav", "show", "--json").json() is None  # the owner's own: none
    monkeypatch.setenv("NOTNOW_USER", "sam@example.com")
    assert team("caldav", "disconnect").code == 0
    assert team("caldav", "show", "--json").json() is None


def test_worker_once_delivers_what_the_services_queued(team, receiver) -> None:  # type: ignore[no-untyped-def]
    team("webhook", "add", receiver.url, "--events", "rejection.logged")
    team("account", "add", "Acme Corp", "--country", "US")
    team("contact", "add", "Dana Ruiz", "--account", "acme", "--email", "dana@acme.com")
    assert team("log", "--contact", "dana", "--label", "not_now", "--yes").code == 0
    ran = team("worker", "--once", "--json")
    assert ran.code == 0, ran.err
    assert [json.loads(r["body"])["type"] for r in receiver.requests] == ["rejection.logged"]
    assert team("worker", "--once", "--json").code == 0
    assert len(receiver.requests) == 1  # once
