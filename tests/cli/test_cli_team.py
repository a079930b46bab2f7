"""`notnow audit`, `notnow reassign`, `notnow contact export|erase` at the prompt."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest


@pytest.fixture
def team(cli, monkeypatch):  # type: ignore[no-untyped-def]
    cli("user", "add", "Sam Cole", "--email", "sam@example.com", "--no-password")
    cli("user", "add", "Lee Park", "--email", "lee@example.com", "--no-password")
    monkeypatch.setenv("NOTNOW_USER", "sam@example.com")
    cli("account", "add", "Acme Corp", "--country", "US")
    cli("contact", "add", "Dana Ruiz", "--account", "acme", "--email", "dana@acme.com")
    assert cli("log", "--contact", "dana", "--text", "Not now, try me in April.",
               "--yes").code == 0
    monkeypatch.setenv("NOTNOW_USER", "owner")
    return cli


def test_audit_shows_who_did_what(team, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = team("audit", "--contact", "dana@acme.com", "--json").json()
    assert {"contact.created", "rejection.logged"} <= {r["action"] for r in rows}
    assert {r["actor_name"] for r in rows} == {"Sam Cole"}
    out = tmp_path / "audit.csv"
    assert team("audit", "--csv", str(out)).code == 0
    assert "rejection.logged" in out.read_text()
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_a_salesperson_reads_no_audit_trail(team, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NOTNOW_USER", "sam@example.com")
    result = team("audit")
    assert result.code == 1 and "managers and admins" in result.err


def test_reassign_and_export_and_erase(team, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    moved = team("reassign", "--from", "sam@example.com", "--to", "lee@example.com",
                 "--json").json()
    assert moved["accounts"] == 1 and moved["contacts"] == 1 and moved["followups"] >= 1
    monkeypatch.setenv("NOTNOW_USER", "sam@example.com")
    assert team("contact", "show", "dana@acme.com").code == 1  # not Sam's any more
    monkeypatch.setenv("NOTNOW_USER", "lee@example.com")
    page = tmp_path / "dana.html"
    data = team("contact", "export", "dana@acme.com", "--html", str(page), "--json").json()
    assert data["contact"]["name"] == "Dana Ruiz" and data["rejections"]
    assert "Dana Ruiz" in page.read_text()
    refused = team("contact", "erase", "dana@acme.com", "--reason", "asked", "--yes")
    assert refused.code == 1 and "admin" in refused.err
    monkeypatch.setenv("NOTNOW_USER", "owner")
    assert team("contact", "erase", "dana@acme.com", "--reason", "asked").code == 1  # no --yes
    erased = team("contact", "erase", "dana@acme.com", "--reason", "request by email",
                  "--yes", "--json").json()
    assert erased["rejections"] == 1
    again = team("contact", "add", "Dana", "--account", "acme", "--email", "DANA@acme.com",
                 "--json").json()
    assert again["do_not_contact"] is True
    assert json.dumps(again).count("Ruiz") == 0
