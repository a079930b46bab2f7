"""Accounts, contacts and deals through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations


def _seed(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("account", "add", "Acme Corp", "--domain", "acme.com", "--country", "us",
               "--employees", "250", "--timezone", "America/Chicago",
               "--fiscal-year-start", "4").code == 0
    assert cli("contact", "add", "Dana Ruiz", "--account", "acme", "--role", "decision-maker",
               "--email", "dana@acme.com", "--department", "Operations").code == 0


def test_init_is_idempotent(cli) -> None:  # type: ignore[no-untyped-def]
    first = cli("init", "--json")
    second = cli("init", "--json")
    assert first.code == second.code == 0
    assert first.json()["created"] is True
    assert second.json()["created"] is False
    assert first.json()["workspace_id"] == second.json()["workspace_id"]


def test_account_add_list_show(cli) -> None:  # type: ignore[no-untyped-def]
    _seed(cli)
    listed = cli("account", "list", "--json").json()
    assert [a["name"] for a in listed] == ["Acme Corp"]
    assert listed[0]["country"] == "US" and listed[0]["fiscal_year_start"] == 4
    shown = cli("account", "show", "acme.com", "--json").json()
    assert shown["contacts"][0]["name"] == "Dana Ruiz"
    assert shown["contacts"][0]["role"] == "decision_maker"
    table = cli("account", "show", "Acme Corp")
    assert table.code == 0 and "Dana Ruiz" in table.out


def test_contact_by_id_email_and_name(cli) -> None:  # type: ignore[no-untyped-def]
    _seed(cli)
    by_email = cli("contact", "show", "dana@acme.com", "--json").json()
    by_id = cli("contact", "show", str(by_email["id"]), "--json").json()
    by_name = cli("contact", "show", "dana", "--json").json()
    assert by_email == by_id == by_name


def test_ambiguous_name_lists_candidates(cli) -> None:  # type: ignore[no-untyped-def]
    _seed(cli)
    cli("contact", "add", "Dana Smith", "--account", "Acme Corp", "--email", "ds@acme.com")
    result = cli("contact", "show", "dana")
    assert result.code == 1
    assert "matches 2 contacts" in result.err
    assert "Dana Ruiz" in result.err and "Dana Smith" in result.err


def test_unknown_ids_and_values_are_clear_errors(cli) -> None:  # type: ignore[no-untyped-def]
    _seed(cli)
    cases = [
        (("contact", "show", "999"), "no contact with id 999"),
        (("account", "show", "Globex"), "no account matches 'Globex'"),
        (("contact", "add", "X", "--account", "acme", "--role", "boss"), "field 'role'"),
        (("account", "add", "Y", "--timezone", "Mars/Base"), "unknown time zone"),
        (("account", "add", "Y", "--fiscal-year-start", "13"), "fiscal_year_start"),
        (("account", "add", "Y", "--country", "USA"), "field 'country'"),
        (("contact", "add", "Z", "--account", "acme", "--email", "not-an-email"), "email"),
        (("deal", "add", "Suite", "--account", "acme", "--stage", "signing"), "field 'stage'"),
        (("agenda", "--date", "2026-13-01"), "not a date"),
    ]
    before = cli("account", "list", "--json").json()
    for args, message in cases:
        result = cli(*args)
        assert result.code == 1, args
        assert result.err.startswith("Error: "), args
        assert message in result.err, (args, result.err)
    assert cli("account", "list", "--json").json() == before


def test_usage_errors_exit_2(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("account", "add").code == 2
    assert cli("frobnicate").code == 2
    assert cli("contact", "add", "X").code == 2  # --account is required


def test_deals(cli) -> None:  # type: ignore[no-untyped-def]
    _seed(cli)
    deal = cli("deal", "add", "Analytics suite", "--account", "acme", "--contact", "dana",
               "--value", "24000", "--currency", "eur", "--stage", "proposal", "--json").json()
    assert deal["currency"] == "EUR" and deal["stage"] == "proposal"
    assert cli("deal", "show", str(deal["id"]), "--json").json()["offer"] == "Analytics suite"
    assert [d["id"] for d in cli("deal", "list", "--status", "open", "--json").json()] == [
        deal["id"]]
    assert cli("deal", "list", "--status", "lost", "--json").json() == []
    assert cli("deal", "list", "--status", "gone").code == 1


def test_version(cli) -> None:  # type: ignore[no-untyped-def]
    from notnow import __version__

    result = cli("--version")
    assert result.code == 0 and result.out.strip() == f"notnow {__version__}"


def test_notnow_user_picks_who_the_cli_acts_as(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cli("init")
    sam = cli("user", "add", "Sam Cole", "--email", "sam@example.com", "--no-password",
              "--json").json()
    monkeypatch.setenv("NOTNOW_USER", "SAM@example.com")
    cli("account", "add", "Acme Corp")
    cli("contact", "add", "Dana Ruiz", "--account", "acme")
    assert cli("log", "--contact", "dana", "--label", "not_now", "--yes").code == 0
    mine = cli("agenda", "--date", "2030-01-01", "--json").json()
    assert mine and mine == cli("agenda", "--for", "sam@example.com", "--date", "2030-01-01",
                                "--json").json()
    theirs = cli("agenda", "--for", "owner", "--date", "2030-01-01", "--json")
    assert theirs.code == 1 and "no one called" in theirs.err  # a salesperson: their own only
    monkeypatch.setenv("NOTNOW_USER", "owner")  # an admin may open anyone's
    assert cli("agenda", "--date", "2030-01-01", "--json").json() == []
    assert cli("agenda", "--for", "sam@example.com", "--date", "2030-01-01",
               "--json").json() == mine
    monkeypatch.setenv("NOTNOW_USER", "SAM@example.com")
    assert sam["id"] > 0

    monkeypatch.setenv("NOTNOW_USER", "nobody@example.com")
    result = cli("account", "list")
    assert result.code == 1 and "NOTNOW_USER" in result.err and "nobody" in result.err

    monkeypatch.setenv("NOTNOW_USER", "owner")
    assert cli("user", "disable", "sam@example.com").code == 0
    monkeypatch.setenv("NOTNOW_USER", "sam@example.com")
    result = cli("account", "list")
    assert result.code == 1 and "disabled" in result.err
