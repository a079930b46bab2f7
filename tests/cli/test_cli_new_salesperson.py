"""Solo to team (issue 14): a new salesperson gets a useful Today — how to start when they have
nothing, and the work handed over to them (`notnow reassign`) on their agenda."""

from __future__ import annotations

import pytest


def test_a_new_salespersons_today(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    assert cli("account", "add", "Acme", "--country", "US",
               "--timezone", "America/Chicago").code == 0
    assert cli("contact", "add", "Kim Yoon", "--account", "acme", "--role", "decision_maker",
               "--email", "kim@acme.com").code == 0
    assert cli("log", "--contact", "kim@acme.com", "--label", "not_now", "--when",
               "2026-11-10", "--yes").code == 0
    assert cli("user", "add", "Nia Obi", "--email", "nia@team.example", "--no-password").code == 0

    monkeypatch.setenv("NOTNOW_USER", "nia@team.example")
    first = cli("agenda")
    assert first.code == 0, first.err
    assert "Nothing due" in first.out
    assert "notnow account add" in first.out and "notnow log" in first.out
    assert 'notnow reassign --to "Nia Obi"' in first.out
    assert "Kim" not in first.out  # the owner's work is not hers

    monkeypatch.delenv("NOTNOW_USER")
    moved = cli("reassign", "--to", "nia@team.example", "--account", "acme")
    assert moved.code == 0, moved.err

    monkeypatch.setenv("NOTNOW_USER", "nia@team.example")
    today = cli("agenda", "--json").json()
    assert today and {i["contact_name"] for i in today} == {"Kim Yoon"}
    shown = cli("agenda")
    assert "Kim Yoon" in shown.out and "notnow account add" not in shown.out
    assert cli("contact", "show", "kim@acme.com").code == 0  # hers now
    for f in today:
        assert cli("done", str(f["followup_id"])).code == 0
    after = cli("agenda")  # the day's work done: what comes next
    assert "Nothing due" in after.out and "Next:" in after.out
    assert "notnow account add" not in after.out
