"""`notnow contact|account|deal edit|delete|merge`, `deal won|lost`, `rejection edit|delete`,
`notnow trash|restore|delete` (issue 14), on SQLite and PostgreSQL."""

from __future__ import annotations


def _seed(cli) -> dict[str, int]:  # type: ignore[no-untyped-def]
    assert cli("account", "add", "Acme Corp", "--country", "US").code == 0
    dana = cli("contact", "add", "Dana Ruiz", "--account", "acme", "--email", "dana@acme.com",
               "--json").json()
    twin = cli("contact", "add", "Dana R.", "--account", "acme", "--email", "druiz@acme.com",
               "--phone", "+1 312 555 0100", "--json").json()
    deal = cli("deal", "add", "Suite", "--account", "acme", "--json").json()
    return {"dana": dana["id"], "twin": twin["id"], "deal": deal["id"]}


def test_contact_edit_and_the_email_of_another_contact(cli) -> None:  # type: ignore[no-untyped-def]
    ids = _seed(cli)
    r = cli("contact", "edit", str(ids["dana"]), "--email", "dana.ruiz@acme.com",
            "--name", "Dana Ruiz-Lee")
    assert r.code == 0, r.err
    assert "Dana Ruiz-Lee" in r.out and "dana.ruiz@acme.com" in r.out
    r = cli("contact", "edit", str(ids["dana"]), "--email", "DRuiz@acme.com")
    assert r.code == 1
    assert f"notnow contact merge {ids['twin']} {ids['dana']}" in r.err
    assert cli("contact", "edit", str(ids["dana"])).code == 1  # nothing to change


def test_contact_edit_to_an_opted_out_email_says_so_naming_no_one(cli) -> None:  # type: ignore[no-untyped-def]
    ids = _seed(cli)
    cli("account", "add", "Globex")
    cli("contact", "add", "Zed Hidden", "--account", "globex", "--email", "zed@globex.com")
    assert cli("dnc", "zed@globex.com", "--reason", "asked").code == 0
    assert cli("contact", "erase", "zed@globex.com", "--reason", "a request", "--yes").code == 0
    r = cli("contact", "edit", str(ids["dana"]), "--email", "zed@globex.com")
    assert r.code == 0
    assert "Do not contact" in r.err and "Zed" not in r.err + r.out


def test_delete_needs_yes_without_a_terminal_and_restore_brings_it_back(cli) -> None:  # type: ignore[no-untyped-def]
    ids = _seed(cli)
    r = cli("contact", "delete", str(ids["twin"]))
    assert r.code == 1 and "--yes" in r.err
    r = cli("contact", "delete", str(ids["twin"]), "--yes")
    assert r.code == 0 and f"notnow restore contact {ids['twin']}" in r.err
    assert cli("contact", "show", str(ids["twin"])).code == 1
    listed = cli("trash", "--json").json()
    assert [(t["entity"], t["entity_id"]) for t in listed] == [("contact", ids["twin"])]
    assert cli("restore", "contact", str(ids["twin"])).code == 0
    assert cli("contact", "show", str(ids["twin"])).code == 0
    assert "The trash is empty" in cli("trash").out
    assert cli("restore", "contact", str(ids["twin"])).code == 1
    assert cli("restore", "planet", "1").code == 1


def test_contact_merge_keeps_everything(cli) -> None:  # type: ignore[no-untyped-def]
    ids = _seed(cli)
    assert cli("log", "--contact", str(ids["twin"]), "--label", "not_now", "--yes").code == 0
    r = cli("contact", "merge", str(ids["dana"]), str(ids["twin"]), "--yes", "--json")
    assert r.code == 0, r.err
    assert r.json()["moved"]["rejections"] == 1
    shown = cli("contact", "show", str(ids["dana"]), "--json").json()
    assert shown["phone"] == "+1 312 555 0100"
    assert len(cli("rejections", "--contact", str(ids["dana"]), "--json").json()) == 1
    assert cli("contact", "merge", str(ids["dana"]), str(ids["dana"]), "--yes").code == 1


def test_deal_won_lost_edit_merge_delete(cli) -> None:  # type: ignore[no-untyped-def]
    ids = _seed(cli)
    deal = str(ids["deal"])
    r = cli("deal", "lost", deal, "--reason", "went with a cheaper tool", "--json")
    assert r.code == 0 and r.json()["status"] == "lost"
    assert r.json()["lost_reason"] == "went with a cheaper tool"
    r = cli("deal", "won", deal)
    assert r.code == 0 and "won" in r.out
    assert cli("deal", "reopen", deal, "--json").json()["status"] == "open"
    r = cli("deal", "edit", deal, "--value", "1200", "--contact", "dana@acme.com", "--json")
    assert r.code == 0 and r.json()["contact_id"] == ids["dana"]
    other = cli("deal", "add", "Suite again", "--account", "acme", "--json").json()
    assert cli("deal", "merge", deal, str(other["id"]), "--yes").code == 0
    assert cli("deal", "delete", deal, "--yes").code == 0
    assert cli("deal", "show", deal).code == 1
    assert cli("restore", "deal", deal).code == 0


def test_account_edit_merge_delete(cli) -> None:  # type: ignore[no-untyped-def]
    _seed(cli)
    assert cli("account", "edit", "acme", "--name", "Acme Corporation").code == 0
    dup = cli("account", "add", "ACME Inc", "--domain", "acme.com", "--json").json()
    assert cli("account", "merge", "Acme Corporation", str(dup["id"]), "--yes").code == 0
    shown = cli("account", "show", "Acme Corporation", "--json").json()
    assert shown["account"]["domain"] == "acme.com" and len(shown["contacts"]) == 2
    assert cli("account", "delete", "Acme Corporation", "--yes").code == 0
    assert cli("contact", "list", "--json").json() == []


def test_rejection_edit_and_delete_touch_and_followup(cli) -> None:  # type: ignore[no-untyped-def]
    ids = _seed(cli)
    rej = cli("log", "--contact", str(ids["dana"]), "--label", "no_budget", "--yes",
              "--json").json()
    r = cli("rejection", "edit", str(rej["id"]), "--competitor", "Rival", "--stage", "proposal")
    assert r.code == 0 and "Rival" in r.out
    r = cli("rejection", "edit", str(rej["id"]), "--when", "2099-01-01")
    assert r.code == 1 and "future" in r.err
    fid = rej["followups"][0]["id"]
    assert cli("delete", "followup", str(fid), "--yes").code == 0
    assert cli("done", str(fid)).code == 1
    touch = cli("touch", str(ids["dana"]), "--channel", "call", "--json").json()
    assert cli("delete", "touch", str(touch["id"]), "--yes").code == 0
    assert cli("rejection", "delete", str(rej["id"]), "--yes").code == 0
    assert cli("rejections", "--json").json() == []


def test_a_lost_deal_won_later_is_the_proof_that_no_meant_not_now(cli) -> None:  # type: ignore[no-untyped-def]
    ids = _seed(cli)
    assert cli("log", "--contact", str(ids["dana"]), "--deal", str(ids["deal"]), "--label",
               "no_budget", "--when", "2026-10-01", "--yes").code == 0
    assert cli("deal", "lost", str(ids["deal"]), "--reason", "budget frozen").code == 0
    assert cli("proof", "--json").json()["won_back"] == 0
    assert cli("deal", "won", str(ids["deal"])).code == 0
    proof = cli("proof", "--json").json()
    assert proof["won_back"] == 1 and proof["wins"] == 1
