"""`notnow import` and `notnow export --for` at the prompt: exit codes, what is said, JSON."""

from __future__ import annotations

import csv
from pathlib import Path

FIXTURES = Path(__file__).parents[1] / "crm" / "fixtures"
HUBSPOT = [str(FIXTURES / n) for n in ("hubspot-companies.csv", "hubspot-contacts.csv",
                                       "hubspot-deals.csv", "hubspot-calls.csv")]


def test_import_dry_run_then_import_then_again(cli) -> None:  # type: ignore[no-untyped-def]
    dry = cli("import", *HUBSPOT, "--from", "hubspot", "--dry-run")
    assert dry.code == 1  # rows with problems: reported, the others would be imported
    assert "Would be:" in dry.out and "Dry run: nothing was stored." in dry.err
    assert "hubspot-deals.csv, line 7" in dry.out and "no deal name" in dry.out
    assert "HubSpot contacts export" in dry.out and "Ben Osei" in dry.out
    assert cli("account", "list", "--json").json() == []
    done = cli("import", *HUBSPOT, "--json")
    report = done.json()
    batch = str(report["batch_id"])  # PostgreSQL's sequence moved on in the dry run too
    assert done.code == 1 and report["batch_id"] and not report["dry_run"]
    assert report["counts"]["rejection"]["created"] == 3
    assert len(cli("account", "list", "--json").json()) == 4
    again = cli("import", *HUBSPOT, "--json").json()
    assert again["counts"]["contact"] == {"unchanged": 5}
    undone = cli("import", "undo", batch)
    assert undone.code == 0 and f"import {batch} undone" in undone.err
    assert cli("import", "undo", batch).code == 1  # once
    assert "undo ID" in cli("import", "undo").err


def test_a_clean_file_exits_0_and_a_refused_one_1(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ok = cli("import", str(FIXTURES / "salesforce-contacts.csv"))
    assert ok.code == 0, ok.out + ok.err
    assert "Imported: import " in ok.err
    bad = tmp_path / "x.csv"
    bad.write_bytes(b"\x00\x01\x02binary")
    refused = cli("import", str(bad))
    assert refused.code == 1 and refused.err.startswith("Error: ")
    assert "Traceback" not in refused.err
    wrong = cli("import", str(FIXTURES / "salesforce-contacts.csv"), "--from", "hubspot")
    assert wrong.code == 1 and "--from salesforce" in wrong.err
    missing = cli("import", str(tmp_path / "nope.csv"))
    assert missing.code == 1 and "no such file" in missing.err


def test_a_spreadsheet_needs_a_mapping_once(cli) -> None:  # type: ignore[no-untyped-def]
    path = str(FIXTURES / "generic-losses.csv")
    asked = cli("import", path)
    assert asked.code == 1 and "--map" in asked.err
    maps = ["Kunde=account.name", "ansprechpartner=contact.name", "E-Mail=email",
            "Projekt=deal.title", "Ergebnis=deal.status", "Warum verloren=lost_reason",
            "Datum=deal.close_date", "Summe=deal.value"]
    args = [a for m in maps for a in ("--map", m)]
    assert cli("import", path, *args).code == 0
    assert cli("import", path, "--dry-run").code == 0  # remembered


def test_export_for_each_crm(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("import", *HUBSPOT)
    out = tmp_path / "back"
    done = cli("export", "--for", "hubspot", "--out", str(out))
    assert done.code == 0, done.err
    with (out / "hubspot-deals.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["Record ID"]: r["notnow reason"] for r in rows} == {
        "7001": "competitor_chosen", "7002": "no_budget", "7005": "do_not_contact"}
    with (out / "hubspot-contacts.csv").open(encoding="utf-8") as fh:
        people = {r["Record ID"]: r for r in csv.DictReader(fh)}
    assert people["503"]["notnow do not contact"] == "true"
    again = cli("export", "--for", "hubspot", "--out", str(out))
    assert again.code == 1 and "--overwrite" in again.err
    assert cli("export", "--for", "hubspot", "--out", str(out), "--overwrite").code == 0
    assert cli("export", "--for", "salesforce", "--out", str(tmp_path / "sf"),
               "--json").json() == []  # nothing came from Salesforce
    assert cli("export", "--for", "zoho").code == 1


def test_a_salesperson_exports_only_their_records(cli, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("user", "add", "Sam Cole", "--email", "sam@example.com", "--no-password")
    batch = str(cli("import", *HUBSPOT, "--json").json()["batch_id"])  # the owner's
    monkeypatch.setenv("NOTNOW_USER", "sam@example.com")
    done = cli("export", "--for", "csv", "--out", str(tmp_path / "sam"), "--json")
    assert done.code == 0 and done.json() == []
    assert cli("import", "undo", batch).code == 1  # not Sam's import
    assert cli("import", *HUBSPOT[:1], "--owner", "owner").code == 1  # no one of his
