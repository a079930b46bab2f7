"""The small things of issue 14, each as a user meets it at the prompt."""

from __future__ import annotations

from pathlib import Path

import pytest


def _dana(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("account", "add", "Acme", "--country", "ES").code == 0
    assert cli("contact", "add", "Lucía Pérez", "--account", "acme",
               "--email", "lucia@acme.es").code == 0


def test_playbook_edit_in_the_editor(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """`notnow playbook edit` opens $EDITOR (it crashed on the current Typer)."""
    monkeypatch.setenv("EDITOR", "false")  # an editor that fails: said plainly
    r = cli("playbook", "edit")
    assert r.code == 1 and "--from" in r.err and "Traceback" not in r.err
    monkeypatch.setenv("EDITOR", "true")  # saves nothing: no change
    r = cli("playbook", "edit")
    assert r.code == 0, r.err
    assert "No changes." in r.err
    script = tmp_path / "ed.sh"
    script.write_text('#!/bin/sh\nprintf "version: 1\\nsettings:\\n  cooling_off_minutes: 45\\n" '
                      '> "$1"\n')
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    r = cli("playbook", "edit")
    assert r.code == 0, r.err
    assert "Team playbook saved" in r.err
    assert "45" in cli("playbook", "show").out
    script.write_text('#!/bin/sh\nprintf "version: 1\\nsettings:\\n  nonsense: 1\\n" > "$1"\n')
    r = cli("playbook", "edit")
    assert r.code == 1 and "nonsense" in r.err


def test_log_when_refuses_a_future_date(cli) -> None:  # type: ignore[no-untyped-def]
    _dana(cli)
    r = cli("log", "--contact", "lucia", "--label", "not_now", "--when", "2026-12-25",
            "--yes")
    assert r.code == 1
    assert "--when" in r.err and "in the future" in r.err
    assert cli("rejections", "--json").json() == []
    today = cli("log", "--contact", "lucia", "--label", "not_now", "--when", "2026-11-23",
                "--yes", "--json")  # today, before noon: now
    assert today.code == 0, today.err
    assert cli("log", "--contact", "lucia", "--label", "not_now", "--when", "2026-11-20",
               "--yes").code == 0


def test_names_match_whatever_their_accents_and_case(cli) -> None:  # type: ignore[no-untyped-def]
    _dana(cli)
    for typed in ("lucia", "LUCIA PEREZ", "Lucía", "perez"):
        r = cli("contact", "show", typed, "--json")
        assert r.code == 0, (typed, r.err)
        assert r.json()["name"] == "Lucía Pérez"
    assert cli("account", "show", "ACME").code == 0


def test_drafts_are_signed_with_the_users_name(cli) -> None:  # type: ignore[no-untyped-def]
    _dana(cli)
    r = cli("log", "--contact", "lucia", "--label", "has_solution", "--yes", "--json")
    rid = str(r.json()["id"])
    first = cli("reply", rid)
    assert first.code == 0, first.err
    assert "owner" not in first.out.lower() and "[your name]" in first.out
    init = cli("init", "--name", "Sam Lee")
    assert init.code == 0
    signed = cli("reply", rid)
    assert "Sam Lee" in signed.out and "[your name]" not in signed.out
    assert cli("init", "--json").json()["owner"] == "Sam Lee"
    assert cli("init", "--name", "  ").code == 1
