"""Lists that do not fit in one page say so and page: the accounts page, 200 at a time, and
`notnow account|contact|deal list` and `notnow rejections` with `--limit N --offset M`, which
say on stderr when there are more (a team with thousands of accounts saw the first 500 as if
they were all, and the CLI the first 200 or 500 without a word)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import insert

from web_support import local_client, seed

ACCOUNTS = 450


def many_accounts(ws: Any) -> None:
    from notnow.storage.tables import Account, Deal

    with ws.db.write() as s:
        ids = s.execute(insert(Account).returning(Account.id), [
            {"name": f"Company {i:04d}", "name_key": f"company {i:04d}",
             "owner_id": ws.owner_id, "created_at": ws.now()} for i in range(ACCOUNTS)]
        ).scalars().all()
        s.execute(insert(Deal), [{"account_id": a, "offer": "Seats", "owner_id": ws.owner_id,
                                  "created_at": ws.now()} for a in ids[:7]])


def test_the_accounts_page_pages_200_at_a_time(ws: Any) -> None:
    from notnow.web import create_app

    app = create_app(ws.config, clock=ws.clock)
    seed(app.state.ws)  # Acme Corp: first by name
    many_accounts(app.state.ws)
    c = local_client(app)
    seen: list[str] = []
    for number, rows, head in ((1, 200, "1–200 of more accounts"),
                               (2, 200, "201–400 of more accounts"),
                               (3, 51, "401–451 accounts")):
        html = c.get("/accounts", params={"page": number}).text
        ids = re.findall(r'<tr><td><a href="/accounts/(\d+)">', html)
        assert len(ids) == rows and head in html
        assert ('rel="next"' in html) == (number < 3)
        assert ('rel="prev"' in html) == (number > 1)
        seen += ids
    assert len(set(seen)) == ACCOUNTS + 1
    assert "No more accounts" in c.get("/accounts", params={"page": 9}).text
    filtered = c.get("/accounts", params={"q": "company 0", "page": 1}).text
    assert 'href="/accounts?q=company%200&amp;page=2"' in filtered  # the filter is kept
    small = c.get("/accounts", params={"q": "acme"}).text
    assert "1 account matching" in small and 'id="account-pages"' not in small


@pytest.mark.parametrize(("what", "total"), [("account", ACCOUNTS + 1), ("contact", 2),
                                             ("deal", 8), ("rejections", 3)])
def test_the_cli_lists_page_and_say_when_there_are_more(cli: Any, ws: Any, what: str,
                                                       total: int) -> None:
    from actors import owner_of
    from notnow.services.capture.log import log_rejection

    dana = seed(ws).contact_id
    many_accounts(ws)
    for day in ("2027-01-11", "2027-02-08", "2027-03-08"):
        log_rejection(ws, owner_of(ws), {"label": "not_now", "checkback": day}, contact=dana)
    command = [what] if what == "rejections" else [what, "list"]
    limit = total - 1
    first = cli(*command, "--limit", str(limit), "--json")
    assert first.code == 0 and len(first.json()) == limit  # type: ignore[arg-type]
    assert f"--offset {limit}" in first.err
    rest = cli(*command, "--limit", str(limit), "--offset", str(limit), "--json")
    assert len(rest.json()) == 1 and rest.err == ""  # type: ignore[arg-type]
    ids = {r["id"] for r in first.json() + rest.json()}  # type: ignore[operator]
    assert len(ids) == total
    plain = cli(*command, "--limit", "1")
    assert plain.code == 0 and "--offset 1" in plain.err and "--offset" not in plain.out
    assert cli(*command, "--limit", "0").code != 0


@pytest.mark.parametrize("what", ["account", "contact", "deal", "rejections"])
def test_the_cli_pages_by_key_too(cli: Any, ws: Any, what: str) -> None:
    """`--after TOKEN`, the token the page before named on stderr: the same rows as paging by
    offset, page after page; with --offset too, a usage error; a made-up token, a clear one."""
    from actors import owner_of
    from notnow.services.capture.log import log_rejection

    for name in ("Acme Corp", "Globex"):
        data = seed(ws, name=name)
        for _ in range(2):  # two at the same moment: in id order
            log_rejection(ws, owner_of(ws), {"label": "not_now"}, contact=data.contact_id,
                          schedule=False)
    command = [what] if what == "rejections" else [what, "list"]
    whole = cli(*command, "--json").json()
    assert len(whole) >= 2  # type: ignore[arg-type]
    seen: list[Any] = []
    args: tuple[str, ...] = ()
    while True:
        page = cli(*command, "--limit", "1", "--json", *args)
        assert page.code == 0, page.err
        seen += page.json()  # type: ignore[operator]
        found = re.search(r"--after (\S+)\)", page.err)
        if found is None:
            assert page.err == ""
            break
        # the first page offers both ways on; a page after a token only the token
        assert ("--offset 1" in page.err) == (not args), page.err
        args = ("--after", found.group(1))
    assert seen == whole and args
    both = cli(*command, *args, "--offset", "1")
    assert both.code != 0 and "offset" in both.err and "not both" in both.err
    assert both.out == ""
    bad = cli(*command, "--after", "bm90IGpzb24")
    assert bad.code != 0 and "after" in bad.err and "not a place" in bad.err
